using System.Collections.Immutable;
using SpineGraph.Core;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;

namespace SpineGraph.Tests.Support;

/// <summary>Builds small graphs in code for engine tests: <c>new TinyGraph().Condition("a").Causes("a", "m")…</c>.</summary>
public sealed class TinyGraph
{
    private static readonly Source Doc = new("sgdoc:test", SourceKind.SourceDocument, "test document", null, [], "test.txt", null);
    private readonly List<Node> _nodes = [];
    private readonly List<Edge> _edges = [];

    public TinyGraph Add(NodeCategory category, string id, string? name = null, string[]? synonyms = null, string[]? lay = null, Urgency urgency = Urgency.None)
    {
        _nodes.Add(new Node("sg:" + id, category, name ?? id, $"Test node {id}.", [.. synonyms ?? []], [.. lay ?? []], [],
            category == NodeCategory.Treatment ? TreatmentKind.Other : null, urgency, urgency == Urgency.None ? null : "test red flag"));
        return this;
    }

    public TinyGraph Condition(params string[] ids) => AddAll(NodeCategory.Condition, ids);
    public TinyGraph Mechanism(params string[] ids) => AddAll(NodeCategory.Mechanism, ids);
    public TinyGraph Symptom(params string[] ids) => AddAll(NodeCategory.Symptom, ids);
    public TinyGraph Treatment(params string[] ids) => AddAll(NodeCategory.Treatment, ids);

    private TinyGraph AddAll(NodeCategory c, string[] ids)
    {
        foreach (var id in ids) Add(c, id);
        return this;
    }

    public TinyGraph Edge(string subject, Predicate predicate, string obj, EvidenceTier tier = EvidenceTier.T5, Effect effect = Effect.Uncertain, string? id = null,
        KnowledgeLevel knowledgeLevel = KnowledgeLevel.KnowledgeAssertion)
    {
        _edges.Add(new Edge(id ?? $"sg:e-{subject}--{Vocabulary.Snake(predicate)}--{obj}", "sg:" + subject, predicate, "sg:" + obj, tier, effect,
            knowledgeLevel, AgentType.ManualAgent, $"{subject} {predicate} {obj}", null, ImmutableArray.Create(Doc), Vocabulary.KnowledgeSource));
        return this;
    }

    /// <summary>The graph as seed data; its version is a hash of its ids and evidence, so two different tiny graphs never share one.</summary>
    public SeedData Data => new(_nodes, _edges, [Doc], "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join("|", _nodes.Select(n => n.Id + n.Name)) + "#" + string.Join("|", _edges.Select(e => $"{e.Id}{e.Tier}{e.Effect}{e.KnowledgeLevel}"))))).ToLowerInvariant()[..16]);

    public EmbeddedGraphStore Store() => new(new EmbeddedGraph(Data));
}
