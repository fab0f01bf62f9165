using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace SpineGraph.Core;

/// <summary>What a node is. Each maps to one Biolink class (see <see cref="Vocabulary"/>).</summary>
public enum NodeCategory : byte { Condition, Mechanism, Symptom, Treatment }

/// <summary>SpineGraph's predicates. Each maps to a Biolink predicate (see <see cref="Vocabulary"/>).</summary>
public enum Predicate : byte { Causes, HasPhenotype, Treats, Relieves, Targets, HasAdverseEvent, SubclassOf }

/// <summary>Evidence tier, T1 (established) to T5 (unsupported). Lower is stronger.</summary>
public enum EvidenceTier : byte
{
    [JsonStringEnumMemberName("T1")] T1 = 1,
    [JsonStringEnumMemberName("T2")] T2 = 2,
    [JsonStringEnumMemberName("T3")] T3 = 3,
    [JsonStringEnumMemberName("T4")] T4 = 4,
    [JsonStringEnumMemberName("T5")] T5 = 5,
}

/// <summary>What the evidence says the subject does for the object. Declared in ranking order.</summary>
public enum Effect : byte { Benefit, Uncertain, NoBenefit, Harm }

/// <summary>Biolink <c>KnowledgeLevelEnum</c>.</summary>
public enum KnowledgeLevel : byte
{
    KnowledgeAssertion, LogicalEntailment, Prediction, StatisticalAssociation,
    TextCoOccurrence, Observation, NotProvided,
}

/// <summary>Biolink <c>AgentTypeEnum</c>.</summary>
public enum AgentType
{
    ManualAgent, AutomatedAgent, DataAnalysisPipeline, ComputationalModel, TextMiningAgent,
    ImageProcessingAgent, ManualValidationOfAutomatedAgent, NotProvided,
}

/// <summary>How urgently a symptom needs medical attention. <c>None</c> for ordinary symptoms.</summary>
public enum Urgency : byte { None, Urgent, Emergency }

public enum TreatmentKind { Drug, Injection, Procedure, Physical, SelfCare, Device, Other }

public enum SourceKind { SourceDocument, Guideline, SystematicReview, Rct, Review, Regulatory, Other }

/// <summary>Edge direction relative to a node.</summary>
public enum Direction : byte { Out, In, Both }

/// <summary>A node of the graph. Immutable; shared between requests.</summary>
public sealed record Node(
    string Id,
    NodeCategory Category,
    string Name,
    string Description,
    ImmutableArray<string> Synonyms,
    ImmutableArray<string> LayTerms,
    ImmutableArray<string> Xrefs,
    TreatmentKind? TreatmentKind,
    Urgency Urgency,
    string? UrgencyReason);

/// <summary>A cited work: one of the source documents, or a publication or guideline.</summary>
public sealed record Source(
    string Id,
    SourceKind Kind,
    string Citation,
    int? Year,
    ImmutableArray<string> Xrefs,
    string? File,
    string? Note);

/// <summary>One claim between two nodes, with its evidence.</summary>
public sealed record Edge(
    string Id,
    string Subject,
    Predicate Predicate,
    string Object,
    EvidenceTier Tier,
    Effect Effect,
    KnowledgeLevel KnowledgeLevel,
    AgentType AgentType,
    string Claim,
    string? Context,
    ImmutableArray<Source> Sources,
    string PrimaryKnowledgeSource)
{
    /// <summary>Orders edges strongest first: tier, then effect, then id.</summary>
    public static int CompareByEvidence(Edge a, Edge b)
    {
        var c = ((int)a.Tier).CompareTo((int)b.Tier);
        if (c != 0) return c;
        c = ((int)a.Effect).CompareTo((int)b.Effect);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }
}

/// <summary>
/// A path through the graph by id: <c>Nodes[i]</c> and <c>Nodes[i + 1]</c> are joined by the edge <c>Edges[i]</c>,
/// which may point either way (compare its subject with the node ids). Answers carry paths by id and the
/// nodes and edges themselves once each, in their <c>nodes</c> and <c>edges</c> maps.
/// </summary>
public sealed record PathRef(ImmutableArray<string> Nodes, ImmutableArray<string> Edges)
{
    public int Length => Edges.Length;
    public string Start => Nodes[0];
    public string End => Nodes[^1];
}

/// <summary>A node with a count of its edges per predicate and direction.</summary>
public sealed record NodeDetail(Node Node, IReadOnlyList<EdgeCount> EdgeCounts);

public sealed record EdgeCount(Predicate Predicate, Direction Direction, int Count);

/// <summary>A slice of an ordered list, with the total size of the list.</summary>
public sealed record Slice<T>(IReadOnlyList<T> Items, int Total);

/// <summary>A search hit: the node, the text that matched and how.</summary>
/// <summary>A search hit: the node, the name, synonym or lay term that matched, how, and which query words (normalized) it matched.</summary>
public sealed record SearchHit(Node Node, string MatchedText, MatchedField MatchedField, MatchKind MatchKind, double Score, IReadOnlyList<string> MatchedWords);

public enum MatchedField { Name, Synonym, LayTerm, Id }

/// <summary>How a search term matched, best first: every query word (exact, prefix, one typo), or only some (partial).</summary>
public enum MatchKind { Exact, Prefix, Fuzzy, Partial }

/// <summary>Summary of the graph's contents.</summary>
public sealed record GraphMeta(
    string Version,
    int NodeCount,
    int EdgeCount,
    IReadOnlyList<CategoryCount> Categories,
    IReadOnlyList<TripleCount> Triples,
    IReadOnlyList<TierCount> Tiers,
    int SourceCount);

public sealed record CategoryCount(NodeCategory Category, int Count);

public sealed record TripleCount(NodeCategory Subject, Predicate Predicate, NodeCategory Object, int Count);

public sealed record TierCount(EvidenceTier Tier, int Count);
