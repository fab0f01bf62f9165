namespace SpineGraph.Core.Embedded;

/// <summary>The default backend: the graph port over an in-process <see cref="EmbeddedGraph"/>.</summary>
public sealed class EmbeddedGraphStore(EmbeddedGraph graph) : IGraphStore
{
    public EmbeddedGraph Graph { get; } = graph;

    private readonly PredicateEdgeIndex predicateIndex = new(graph);

    public ValueTask<GraphMeta> GetMetaAsync(CancellationToken ct) => ValueTask.FromResult(Graph.Meta);

    public ValueTask<StoreHealth> CheckHealthAsync(CancellationToken ct) =>
        ValueTask.FromResult(new StoreHealth(true, "embedded", $"{Graph.Meta.NodeCount} nodes, {Graph.Meta.EdgeCount} edges"));

    /// <summary>The graph's node columns as a lexicon (light nodes made on demand), which carries its search index.</summary>
    public ValueTask<IReadOnlyList<Node>> GetLexiconAsync(CancellationToken ct) => ValueTask.FromResult<IReadOnlyList<Node>>(Graph.Lexicon);

    public ValueTask<NodeDetail?> GetNodeAsync(string id, CancellationToken ct)
    {
        var n = Graph.FindNode(id);
        if (n < 0) return ValueTask.FromResult<NodeDetail?>(null);
        var counts = new List<EdgeCount>();
        foreach (var p in Vocabulary.Predicates)
        {
            var o = Graph.OutCount(n, p);
            if (o > 0) counts.Add(new EdgeCount(p, Direction.Out, o));
            var i = Graph.InCount(n, p);
            if (i > 0) counts.Add(new EdgeCount(p, Direction.In, i));
        }
        return ValueTask.FromResult<NodeDetail?>(new NodeDetail(Graph.Node(n), counts));
    }

    public ValueTask<IReadOnlyList<Node>> GetNodesAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var result = new List<Node>(ids.Count);
        foreach (var id in ids)
            if (Graph.FindNode(id) is var n and >= 0) result.Add(Graph.Node(n));
        return ValueTask.FromResult<IReadOnlyList<Node>>(result);
    }

    public ValueTask<IReadOnlyList<Edge>> GetEdgesAsync(IReadOnlyList<EdgeRef> refs, CancellationToken ct)
    {
        var result = new List<Edge>(refs.Count);
        foreach (var r in refs)
            if (Graph.FindEdge(r.Id) is var e and >= 0) result.Add(Graph.Edge(e));
        return ValueTask.FromResult<IReadOnlyList<Edge>>(result);
    }

    public ValueTask<Slice<Node>> ListNodesAsync(NodeCategory? category, string? afterId, int limit, CancellationToken ct)
    {
        // Nodes are numbered in id order (and each category's list is in that order): binary search for the key.
        var total = category is { } c0 ? Graph.NodesOf(c0).Length : Graph.NodeCount;
        int lo = 0, hi = total;
        while (afterId is not null && lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(Graph.NodeId(At(mid)), afterId) <= 0) lo = mid + 1;
            else hi = mid;
        }
        var count = Math.Clamp(limit, 0, total - lo);
        var items = new Node[count];
        for (var i = 0; i < count; i++) items[i] = Graph.Node(At(lo + i));
        return ValueTask.FromResult(new Slice<Node>(items, total));

        int At(int i) => category is { } c ? Graph.NodesOf(c)[i] : i;
    }

    public ValueTask<(IReadOnlyList<Edge> Items, bool More)> ListEdgesAsync(EdgeQuery query, string? afterId, int limit, CancellationToken ct)
    {
        // Edges are numbered in id order: binary search for the first edge after the key, then scan, over the
        // predicate's own edges when the query names one.
        var lo = afterId is null ? 0 : FirstAfter(afterId);
        var subset = query.Predicate is { } p ? predicateIndex.From(p, lo) : default;
        var count = query.Predicate is null ? Graph.EdgeCount - lo : subset.Length;
        var source = query.Source is { } id ? Array.FindIndex(Graph.SourceArray, s => s.Id == id) : -2;
        var items = new List<Edge>(Math.Min(limit, 256));
        for (var i = 0; i < count; i++)
        {
            if ((i & 4095) == 0) ct.ThrowIfCancellationRequested();
            var e = query.Predicate is null ? lo + i : subset[i];
            if (!Accepts(query, e, source)) continue;
            if (items.Count == limit) return ValueTask.FromResult<(IReadOnlyList<Edge>, bool)>((items, true));
            items.Add(Graph.Edge(e));
        }
        return ValueTask.FromResult<(IReadOnlyList<Edge>, bool)>((items, false));
    }

    /// <summary>Whether edge <paramref name="e"/> passes the query's filters other than the predicate (the scan reads only
    /// the predicate's edges when one is named).</summary>
    private bool Accepts(EdgeQuery query, int e, int source) =>
        query.EvidenceFilter.Accepts((EvidenceTier)Graph.EdgeTiers[e], (Effect)Graph.EdgeEffects[e])
        && (query.SubjectCategory is not { } sc || Graph.CategoryOf(Graph.EdgeSubject[e]) == sc)
        && (query.ObjectCategory is not { } oc || Graph.CategoryOf(Graph.EdgeObject[e]) == oc)
        && (source == -2 || Graph.SourcesOf(e).Contains(source));

    private int FirstAfter(string afterId)
    {
        var key = System.Text.Encoding.UTF8.GetBytes(afterId);
        var buffer = new byte[256];
        int lo = 0, hi = Graph.EdgeCount;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Utf8Text.Compare(Graph.EdgeIdBytes(mid, ref buffer), key) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public ValueTask<Expansion> ExpandAsync(IReadOnlyCollection<string> frontier, IReadOnlyList<Hop> hops, EdgeFilter filter, int limit, CancellationToken ct)
    {
        // Rows are collected as (edge, near node, direction) keys: edges and nodes are numbered in id order, so sorting
        // the keys is the row order, and rows (with their strings) are made only for those returned.
        var nodes = new List<int>(frontier.Count);
        var count = 0;
        foreach (var id in frontier)
        {
            if (Graph.FindNode(id) is not (var n and >= 0)) continue;
            nodes.Add(n);
            for (var h = 0; h < hops.Count; h++)
                count += hops[h].Direction == Direction.Out ? Graph.OutCount(n, hops[h].Predicate) : Graph.InCount(n, hops[h].Predicate);
        }
        var keys = new List<ulong>(count);
        var tiers = Graph.EdgeTiers.Span;
        var effects = Graph.EdgeEffects.Span;
        foreach (var n in nodes)
        {
            for (var h = 0; h < hops.Count; h++)
            {
                var hop = hops[h];
                var adjacency = hop.Direction == Direction.Out ? Graph.Out(n, hop.Predicate) : Graph.In(n, hop.Predicate);
                foreach (var e in adjacency)
                    if (filter.Accepts((EvidenceTier)tiers[e], (Effect)effects[e]))
                        keys.Add(((ulong)e << 29) | ((ulong)n << 1) | (hop.Direction == Direction.Out ? 0UL : 1UL));
            }
        }
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keys);
        span.Sort();
        var kept = Math.Min(span.Length, Math.Max(limit, 0));
        var rows = new EdgeRow[kept];
        for (var i = 0; i < kept; i++)
        {
            var key = span[i];
            var e = (int)(key >> 29);
            var direction = (key & 1) == 0 ? Direction.Out : Direction.In;
            var s = Graph.EdgeSubject[e];
            var o = Graph.EdgeObject[e];
            var other = direction == Direction.Out ? o : s;
            rows[i] = new EdgeRow(Graph.EdgeId(e), Graph.NodeId(s), (Predicate)Graph.EdgePredicates[e], Graph.NodeId(o),
                (EvidenceTier)tiers[e], (Effect)effects[e], (KnowledgeLevel)Graph.EdgeLevels[e], direction,
                Graph.CategoryOf(other), Graph.UrgencyOf(other));
        }
        return ValueTask.FromResult(new Expansion(rows, span.Length > limit));
    }
}
