namespace SpineGraph.Core.Traversal;

/// <summary>What a treatment acts on along a supporting path.</summary>
public enum TreatmentRoute : byte
{
    /// <summary>It treats a condition or targets a mechanism on a causal chain to the symptom.</summary>
    Cause,

    /// <summary>It treats the condition itself (or a narrower kind of it).</summary>
    Direct,

    /// <summary>It treats a broader kind of the condition (lumbar spinal stenosis is a spinal stenosis).</summary>
    BroaderCondition,

    /// <summary>It targets a mechanism downstream of the condition.</summary>
    Mechanism,

    /// <summary>It treats a condition that the condition causes.</summary>
    RelatedCondition,

    /// <summary>It relieves the symptom (or a narrower kind of it) directly.</summary>
    Symptom,
}

/// <summary>How closely a treatment's evidence bears on the question, most specific first (a ranking key).</summary>
public enum Specificity : byte
{
    /// <summary>It acts on the named cause or condition itself (or a narrower kind).</summary>
    Named,

    /// <summary>It acts on a broader kind of the named condition.</summary>
    Broader,

    /// <summary>It acts on a mechanism or condition of the causal chain.</summary>
    Chain,

    /// <summary>It relieves the symptom.</summary>
    Symptom,
}

/// <summary>A path that supports a treatment: it starts at the treatment and its first edge is the evidence.</summary>
public sealed record SupportingPath(TreatmentRoute Route, PathRef Path);

/// <summary>One ranked treatment: its best evidence, its best path per route, and how many supporting paths there are.</summary>
public sealed record TreatmentItem(
    string Treatment,
    IReadOnlyList<TreatmentRoute> Routes,
    string BestEvidence,
    EvidenceTier Tier,
    Effect Effect,
    Specificity Specificity,
    bool EvidenceAgainst,
    bool MixedEvidence,
    IReadOnlyList<SupportingPath> Paths,
    long PathCount,
    IReadOnlyList<string> UrgentSymptoms,
    IReadOnlyList<string> AdverseEvents);

/// <summary>A red-flag symptom met on the way, with the shortest causal path found to it.</summary>
public sealed record RedFlag(string Symptom, PathRef Path);

/// <summary>The nodes, edges and sources an answer refers to, each once.</summary>
public sealed record KnowledgeGraph(
    IReadOnlyDictionary<string, Node> Nodes,
    IReadOnlyDictionary<string, Edge> Edges,
    IReadOnlyDictionary<string, Source> Sources);

public sealed record TreatmentAnswer(
    string? Symptom,
    IReadOnlyList<string> IncludedSymptoms,
    string? Cause,
    string? Condition,
    IReadOnlyList<TreatmentItem> Items,
    IReadOnlyList<TreatmentItem> EvidenceAgainst,
    int Total,
    int Offset,
    IReadOnlyList<RedFlag> RedFlags,
    bool Truncated,
    KnowledgeGraph Graph);

public sealed record CauseItem(string Cause, PathRef BestPath, EvidenceTier WeakestTier, long PathCount);

public sealed record CauseAnswer(
    string Symptom,
    IReadOnlyList<string> IncludedSymptoms,
    IReadOnlyList<CauseItem> Items,
    int Total,
    int Offset,
    IReadOnlyList<RedFlag> RedFlags,
    bool Truncated,
    KnowledgeGraph Graph);

/// <summary>A page of paths; <c>More</c> says another path exists after this page.</summary>
public sealed record PathsAnswer(IReadOnlyList<PathRef> Items, int? Total, bool More, bool Truncated, KnowledgeGraph Graph);

public sealed record SubgraphAnswer(IReadOnlyList<string> Nodes, IReadOnlyList<string> Edges, bool Truncated, KnowledgeGraph Graph);

/// <summary>A page of whole-graph edges by id (in the graph's maps); <c>More</c> says another follows.</summary>
public sealed record EdgeListAnswer(IReadOnlyList<string> Items, bool More, KnowledgeGraph Graph);

/// <summary>One page of a node's edges. <c>Truncated</c>: the node has more edges than one traversal reads, so the
/// order is strongest first among those read and <c>Total</c> counts only those.</summary>
public sealed record EdgesAnswer(IReadOnlyList<EdgeRow> Items, int Total, bool Truncated, KnowledgeGraph Graph);

public enum ResolveFailureKind { NotFound, Ambiguous, WrongCategory }

/// <summary>Why a parameter did not resolve to one node, with suggestions for the caller.</summary>
public sealed record ResolveFailure(
    ResolveFailureKind Kind,
    string Parameter,
    string Value,
    string Message,
    IReadOnlyList<SearchHit> Suggestions);

/// <summary>Either a node or the reason there is none.</summary>
public sealed record Resolution(Node? Node, ResolveFailure? Failure)
{
    public static Resolution Of(Node node) => new(node, null);
    public static Resolution Fail(ResolveFailure failure) => new(null, failure);
}
