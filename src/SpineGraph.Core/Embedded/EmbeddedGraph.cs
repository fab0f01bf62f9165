using System.Collections.Frozen;
using SpineGraph.Core.Seed;

namespace SpineGraph.Core.Embedded;

/// <summary>
/// The immutable in-memory graph: integer node and edge indices, adjacency per predicate in both
/// directions in compressed sparse rows. Built once; every read is lock-free.
/// </summary>
public sealed class EmbeddedGraph
{
    internal static readonly int PredicateCount = Enum.GetValues<Predicate>().Length;

    internal readonly Node[] Nodes;
    internal readonly Edge[] Edges;
    internal readonly int[] EdgeSubject;
    internal readonly int[] EdgeObject;
    internal readonly FrozenDictionary<string, int> NodeIndex;
    internal readonly FrozenDictionary<string, int> EdgeIndex;

    // Adjacency: for node n and predicate p, edges leaving n are OutEdges[OutStart[n*P+p] .. OutStart[n*P+p+1]).
    internal readonly int[] OutStart;
    internal readonly int[] OutEdges;
    internal readonly int[] InStart;
    internal readonly int[] InEdges;

    /// <summary>Edge indices sorted by id (keyset paging of whole-graph edge queries).</summary>
    internal readonly int[] SortedEdges;

    /// <summary>Node indices sorted by id, all and per category.</summary>
    internal readonly int[] SortedNodes;
    internal readonly int[][] SortedNodesByCategory;

    public GraphMeta Meta { get; }
    public IReadOnlyList<Source> Sources { get; }

    public EmbeddedGraph(SeedData data)
    {
        Nodes = data.Nodes.ToArray();
        NodeIndex = Nodes.Select((n, i) => (n.Id, i)).ToFrozenDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        Edges = data.Edges.ToArray();
        EdgeIndex = Edges.Select((e, i) => (e.Id, i)).ToFrozenDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        EdgeSubject = Edges.Select(e => NodeIndex[e.Subject]).ToArray();
        EdgeObject = Edges.Select(e => NodeIndex[e.Object]).ToArray();
        Sources = data.Sources;

        (OutStart, OutEdges) = BuildCsr(EdgeSubject);
        (InStart, InEdges) = BuildCsr(EdgeObject);

        SortedEdges = Enumerable.Range(0, Edges.Length).OrderBy(i => Edges[i].Id, StringComparer.Ordinal).ToArray();
        SortedNodes = Enumerable.Range(0, Nodes.Length).OrderBy(i => Nodes[i].Id, StringComparer.Ordinal).ToArray();
        SortedNodesByCategory = Vocabulary.Categories
            .Select(c => SortedNodes.Where(i => Nodes[i].Category == c).ToArray())
            .ToArray();
        Meta = ComputeMeta(data.Version);
    }

    private (int[] Start, int[] Edges) BuildCsr(int[] endpoint)
    {
        var p = PredicateCount;
        var start = new int[Nodes.Length * p + 1];
        for (var e = 0; e < Edges.Length; e++) start[endpoint[e] * p + (int)Edges[e].Predicate + 1]++;
        for (var i = 1; i < start.Length; i++) start[i] += start[i - 1];
        var fill = (int[])start.Clone();
        var list = new int[Edges.Length];
        // Edges in id order within a slot, so traversals are deterministic.
        foreach (var e in Enumerable.Range(0, Edges.Length).OrderBy(e => Edges[e].Id, StringComparer.Ordinal))
            list[fill[endpoint[e] * p + (int)Edges[e].Predicate]++] = e;
        return (start, list);
    }

    internal ReadOnlySpan<int> Out(int node, Predicate p)
    {
        var slot = node * PredicateCount + (int)p;
        return OutEdges.AsSpan(OutStart[slot], OutStart[slot + 1] - OutStart[slot]);
    }

    internal ReadOnlySpan<int> In(int node, Predicate p)
    {
        var slot = node * PredicateCount + (int)p;
        return InEdges.AsSpan(InStart[slot], InStart[slot + 1] - InStart[slot]);
    }

    /// <summary>Positions in <see cref="OutEdges"/> of the edges leaving a node (usable across iterator yields, unlike spans).</summary>
    internal (int Start, int End) OutRange(int node, Predicate p) => (OutStart[node * PredicateCount + (int)p], OutStart[node * PredicateCount + (int)p + 1]);

    /// <summary>Positions in <see cref="InEdges"/> of the edges arriving at a node.</summary>
    internal (int Start, int End) InRange(int node, Predicate p) => (InStart[node * PredicateCount + (int)p], InStart[node * PredicateCount + (int)p + 1]);

    internal int OutCount(int node, Predicate p) => OutStart[node * PredicateCount + (int)p + 1] - OutStart[node * PredicateCount + (int)p];

    internal int InCount(int node, Predicate p) => InStart[node * PredicateCount + (int)p + 1] - InStart[node * PredicateCount + (int)p];

    /// <summary>The node at the far end of edge <paramref name="e"/> from <paramref name="node"/>.</summary>
    internal int Other(int e, int node) => EdgeSubject[e] == node ? EdgeObject[e] : EdgeSubject[e];

    private GraphMeta ComputeMeta(string version)
    {
        var categories = Vocabulary.Categories
            .Select(c => new CategoryCount(c, SortedNodesByCategory[(int)c].Length))
            .ToArray();
        var triples = Edges
            .Select((e, i) => (S: Nodes[EdgeSubject[i]].Category, e.Predicate, O: Nodes[EdgeObject[i]].Category))
            .GroupBy(t => t)
            .OrderBy(g => g.Key.S).ThenBy(g => g.Key.Predicate).ThenBy(g => g.Key.O)
            .Select(g => new TripleCount(g.Key.S, g.Key.Predicate, g.Key.O, g.Count()))
            .ToArray();
        var tiers = Enum.GetValues<EvidenceTier>()
            .Select(t => new TierCount(t, Edges.Count(e => e.Tier == t)))
            .ToArray();
        return new GraphMeta(version, Nodes.Length, Edges.Length, categories, triples, tiers, Sources.Count);
    }
}
