namespace SpineGraph.Core.Embedded;

/// <summary>The default backend: the graph port over an in-process <see cref="EmbeddedGraph"/>.</summary>
public sealed class EmbeddedGraphStore(EmbeddedGraph graph) : IGraphStore
{
    public EmbeddedGraph Graph { get; } = graph;

    public ValueTask<GraphMeta> GetMetaAsync(CancellationToken ct) => ValueTask.FromResult(Graph.Meta);

    public ValueTask<StoreHealth> CheckHealthAsync(CancellationToken ct) =>
        ValueTask.FromResult(new StoreHealth(true, "embedded", $"{Graph.Meta.NodeCount} nodes, {Graph.Meta.EdgeCount} edges"));

    public ValueTask<IReadOnlyList<Node>> GetLexiconAsync(CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<Node>>(Array.ConvertAll(Graph.SortedNodes, i => Graph.Nodes[i]));

    public ValueTask<NodeDetail?> GetNodeAsync(string id, CancellationToken ct)
    {
        if (!Graph.NodeIndex.TryGetValue(id, out var n)) return ValueTask.FromResult<NodeDetail?>(null);
        var counts = new List<EdgeCount>();
        foreach (var p in Vocabulary.Predicates)
        {
            var o = Graph.OutCount(n, p);
            if (o > 0) counts.Add(new EdgeCount(p, Direction.Out, o));
            var i = Graph.InCount(n, p);
            if (i > 0) counts.Add(new EdgeCount(p, Direction.In, i));
        }
        return ValueTask.FromResult<NodeDetail?>(new NodeDetail(Graph.Nodes[n], counts));
    }

    public ValueTask<IReadOnlyList<Node>> GetNodesAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var result = new List<Node>(ids.Count);
        foreach (var id in ids)
            if (Graph.NodeIndex.TryGetValue(id, out var n)) result.Add(Graph.Nodes[n]);
        return ValueTask.FromResult<IReadOnlyList<Node>>(result);
    }

    public ValueTask<IReadOnlyList<Edge>> GetEdgesAsync(IReadOnlyList<EdgeRef> refs, CancellationToken ct)
    {
        var result = new List<Edge>(refs.Count);
        foreach (var r in refs)
            if (Graph.EdgeIndex.TryGetValue(r.Id, out var e)) result.Add(Graph.Edges[e]);
        return ValueTask.FromResult<IReadOnlyList<Edge>>(result);
    }

    public ValueTask<Slice<Node>> ListNodesAsync(NodeCategory? category, int offset, int limit, CancellationToken ct)
    {
        var sorted = category is { } c ? Graph.SortedNodesByCategory[(int)c] : Graph.SortedNodes;
        var from = Math.Clamp(offset, 0, sorted.Length);
        var count = Math.Clamp(limit, 0, sorted.Length - from);
        var items = new Node[count];
        for (var i = 0; i < count; i++) items[i] = Graph.Nodes[sorted[from + i]];
        return ValueTask.FromResult(new Slice<Node>(items, sorted.Length));
    }

    public ValueTask<(IReadOnlyList<Edge> Items, bool More)> ListEdgesAsync(EdgeQuery query, string? afterId, int limit, CancellationToken ct)
    {
        var sorted = Graph.SortedEdges;
        // Binary search for the first edge after the key, then scan in id order.
        int lo = 0, hi = sorted.Length;
        if (afterId is not null)
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (string.CompareOrdinal(Graph.Edges[sorted[mid]].Id, afterId) <= 0) lo = mid + 1;
                else hi = mid;
            }
        var items = new List<Edge>(Math.Min(limit, 256));
        var filter = query.EvidenceFilter;
        for (var k = lo; k < sorted.Length; k++)
        {
            var i = sorted[k];
            var e = Graph.Edges[i];
            if ((query.Predicate is { } p && e.Predicate != p) || !filter.Accepts(e.Tier, e.Effect)
                || (query.SubjectCategory is { } sc && Graph.Nodes[Graph.EdgeSubject[i]].Category != sc)
                || (query.ObjectCategory is { } oc && Graph.Nodes[Graph.EdgeObject[i]].Category != oc)
                || (query.Source is { } src && !e.Sources.Any(s => s.Id == src)))
                continue;
            if (items.Count == limit) return ValueTask.FromResult<(IReadOnlyList<Edge>, bool)>((items, true));
            items.Add(e);
            if ((k & 4095) == 0) ct.ThrowIfCancellationRequested();
        }
        return ValueTask.FromResult<(IReadOnlyList<Edge>, bool)>((items, false));
    }

    public ValueTask<Expansion> ExpandAsync(IReadOnlyCollection<string> frontier, IReadOnlyList<Hop> hops, EdgeFilter filter, int limit, CancellationToken ct)
    {
        // Count first, so the row list is allocated once at its size.
        var count = 0;
        foreach (var id in frontier)
            if (Graph.NodeIndex.TryGetValue(id, out var n))
                for (var h = 0; h < hops.Count; h++)
                    count += hops[h].Direction == Direction.Out ? Graph.OutCount(n, hops[h].Predicate) : Graph.InCount(n, hops[h].Predicate);
        var rows = new List<EdgeRow>(count);
        foreach (var id in frontier)
        {
            if (!Graph.NodeIndex.TryGetValue(id, out var n)) continue;
            for (var h = 0; h < hops.Count; h++)
            {
                var hop = hops[h];
                var adjacency = hop.Direction == Direction.Out ? Graph.Out(n, hop.Predicate) : Graph.In(n, hop.Predicate);
                foreach (var e in adjacency)
                {
                    var edge = Graph.Edges[e];
                    if (!filter.Accepts(edge.Tier, edge.Effect)) continue;
                    var other = Graph.Nodes[hop.Direction == Direction.Out ? Graph.EdgeObject[e] : Graph.EdgeSubject[e]];
                    rows.Add(new EdgeRow(edge.Id, edge.Subject, edge.Predicate, edge.Object, edge.Tier, edge.Effect,
                        edge.KnowledgeLevel, hop.Direction, other.Category, other.Urgency));
                }
            }
        }
        if (rows.Count > 1) rows.Sort(EdgeRow.Compare);
        var truncated = rows.Count > limit;
        if (truncated) rows.RemoveRange(Math.Max(limit, 0), rows.Count - Math.Max(limit, 0));
        return ValueTask.FromResult(new Expansion(rows, truncated));
    }
}
