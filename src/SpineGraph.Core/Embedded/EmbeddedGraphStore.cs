using System.Collections.Immutable;

namespace SpineGraph.Core.Embedded;

/// <summary>The default backend: answers every traversal in-process from an <see cref="EmbeddedGraph"/>.</summary>
public sealed class EmbeddedGraphStore(EmbeddedGraph graph) : IGraphStore
{
    /// <summary>Most partial paths one traversal may expand before it stops and reports truncation.</summary>
    public const int MaxExpansions = 200_000;

    private static readonly Predicate[] AllPredicates = Enum.GetValues<Predicate>();
    private static readonly Predicate[] SubclassOnly = [Predicate.SubclassOf];

    public EmbeddedGraph Graph { get; } = graph;

    public ValueTask<GraphMeta> GetMetaAsync(CancellationToken ct) => ValueTask.FromResult(Graph.Meta);

    public ValueTask<StoreHealth> CheckHealthAsync(CancellationToken ct) =>
        ValueTask.FromResult(new StoreHealth(true, "embedded", $"{Graph.Meta.NodeCount} nodes, {Graph.Meta.EdgeCount} edges"));

    public ValueTask<NodeDetail?> GetNodeAsync(string id, CancellationToken ct)
    {
        if (!Graph.NodeIndex.TryGetValue(id, out var n)) return ValueTask.FromResult<NodeDetail?>(null);
        var counts = new List<EdgeCount>();
        foreach (var p in AllPredicates)
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

    public ValueTask<Slice<Node>> ListNodesAsync(NodeCategory? category, int offset, int limit, CancellationToken ct)
    {
        var sorted = category is { } c ? Graph.SortedNodesByCategory[(int)c] : Graph.SortedNodes;
        var items = sorted.Skip(offset).Take(limit).Select(i => Graph.Nodes[i]).ToArray();
        return ValueTask.FromResult(new Slice<Node>(items, sorted.Length));
    }

    public ValueTask<IReadOnlyList<SearchHit>> SearchAsync(string text, NodeCategory? category, int limit, CancellationToken ct)
    {
        var hits = new List<SearchHit>(Math.Min(limit, 64));
        var trimmed = text.Trim();
        int? byId = Graph.NodeIndex.TryGetValue(trimmed, out var idHit) ? idHit : null;
        if (byId is { } b && (category is null || Graph.Nodes[b].Category == category))
            hits.Add(new SearchHit(Graph.Nodes[b], Graph.Nodes[b].Id, MatchedField.Id, MatchKind.Exact, 1.0));
        Func<int, bool>? accept = category is { } c ? i => Graph.Nodes[i].Category == c && i != byId : byId is null ? null : i => i != byId;
        foreach (var h in Graph.Search.Search(trimmed, accept, limit - hits.Count))
            hits.Add(new SearchHit(Graph.Nodes[h.Node], h.Text, h.Field, h.Kind, h.Score));
        return ValueTask.FromResult<IReadOnlyList<SearchHit>>(hits);
    }

    public ValueTask<Slice<EdgeView>> GetEdgesAsync(string nodeId, EdgeFilter filter, int offset, int limit, CancellationToken ct)
    {
        if (!Graph.NodeIndex.TryGetValue(nodeId, out var n)) return ValueTask.FromResult(new Slice<EdgeView>([], 0));
        var predicates = filter.Predicate is { } only ? [only] : AllPredicates;
        var views = Incident(n, predicates, filter.Direction).Where(v => filter.Accepts(v.Edge)).ToList();
        views.Sort(EdgeView.CompareByEvidence);
        return ValueTask.FromResult(new Slice<EdgeView>(views.Skip(offset).Take(limit).ToArray(), views.Count));
    }

    public ValueTask<IReadOnlyList<EdgeView>> GetIncidentEdgesAsync(
        IReadOnlyList<string> ids, IReadOnlyList<Predicate> predicates, Direction direction, CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<EdgeView>>(Indices(ids).SelectMany(n => Incident(n, predicates, direction)).ToList());

    /// <summary>Edges of a node along the predicates, out (far end: object) and/or in (far end: subject).</summary>
    private IEnumerable<EdgeView> Incident(int n, IReadOnlyList<Predicate> predicates, Direction direction)
    {
        foreach (var p in predicates)
        {
            if (direction != Direction.In)
            {
                var (start, end) = Graph.OutRange(n, p);
                for (var k = start; k < end; k++)
                {
                    var e = Graph.OutEdges[k];
                    yield return new EdgeView(Graph.Edges[e], Graph.Nodes[Graph.EdgeObject[e]], Direction.Out);
                }
            }
            if (direction != Direction.Out)
            {
                var (start, end) = Graph.InRange(n, p);
                for (var k = start; k < end; k++)
                {
                    var e = Graph.InEdges[k];
                    yield return new EdgeView(Graph.Edges[e], Graph.Nodes[Graph.EdgeSubject[e]], Direction.In);
                }
            }
        }
    }

    public ValueTask<IReadOnlyList<GraphPath>> GetNarrowerAsync(IReadOnlyList<string> ids, int maxDepth, CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<GraphPath>>(Enumerate(Indices(ids), upstream: true, SubclassOnly, maxDepth, int.MaxValue, null, ct, out _));

    public ValueTask<IReadOnlyList<GraphPath>> GetBroaderAsync(IReadOnlyList<string> ids, int maxDepth, CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<GraphPath>>(Enumerate(Indices(ids), upstream: false, SubclassOnly, maxDepth, int.MaxValue, null, ct, out _));

    /// <summary>Indices of the known ids, each once.</summary>
    private int[] Indices(IEnumerable<string> ids) =>
        ids.Where(Graph.NodeIndex.ContainsKey).Select(i => Graph.NodeIndex[i]).Distinct().ToArray();

    public ValueTask<PathSet> GetCausalPathsAsync(CausalQuery q, CancellationToken ct)
    {
        var anchors = Indices(q.Anchors);
        if (anchors.Length == 0 || q.MaxHops < 1) return ValueTask.FromResult(new PathSet([], false));

        if (q.Through is null || q.Direction == CausalDirection.Downstream)
        {
            var paths = Enumerate(anchors, q.Direction == CausalDirection.Upstream, Vocabulary.CausalPredicates, q.MaxHops, q.Limit, null, ct, out var truncated);
            return ValueTask.FromResult(new PathSet(paths, truncated));
        }

        if (!Graph.NodeIndex.TryGetValue(q.Through, out var through)) return ValueTask.FromResult(new PathSet([], false));
        var anchorSet = anchors.ToHashSet();
        // Chains through C: (something upstream of C, or C) → … → C → … → anchor.
        var down = Enumerate([through], upstream: false, Vocabulary.CausalPredicates, q.MaxHops, int.MaxValue, anchorSet.Contains, ct, out var t1);
        if (anchorSet.Contains(through)) down.Insert(0, GraphPath.Single(Graph.Nodes[through]));
        var up = Enumerate([through], upstream: true, Vocabulary.CausalPredicates, q.MaxHops, int.MaxValue, null, ct, out var t2);
        up.Insert(0, GraphPath.Single(Graph.Nodes[through]));

        var result = new List<GraphPath>();
        foreach (var u in up)
        {
            foreach (var d in down)
            {
                var length = u.Length + d.Length;
                if (length < 1 || length > q.MaxHops) continue;
                if (!Disjoint(u, d)) continue;
                result.Add(u.Concat(d));
            }
        }
        result.Sort(GraphPath.CompareShortestFirst);
        var cut = result.Count > q.Limit;
        return ValueTask.FromResult(new PathSet(cut ? result.GetRange(0, q.Limit) : result, cut || t1 || t2));
    }

    private static bool Disjoint(GraphPath upstream, GraphPath downstream)
    {
        // They share exactly the meeting node (upstream's end, downstream's start).
        for (var i = 0; i < upstream.Nodes.Length - 1; i++)
            for (var j = 1; j < downstream.Nodes.Length; j++)
                if (upstream.Nodes[i].Id == downstream.Nodes[j].Id) return false;
        return true;
    }

    public ValueTask<PathSet> FindPathsAsync(PathQuery q, CancellationToken ct)
    {
        if (!Graph.NodeIndex.TryGetValue(q.From, out var from) || !Graph.NodeIndex.TryGetValue(q.To, out var to) || from == to)
            return ValueTask.FromResult(new PathSet([], false));

        // Distances to the target (edges either way), bounded by MaxHops, prune the enumeration below.
        var dist = new Dictionary<int, int> { [to] = 0 };
        var frontier = new List<int> { to };
        for (var d = 1; d <= q.MaxHops && frontier.Count > 0; d++)
        {
            var next = new List<int>();
            foreach (var n in frontier)
                foreach (var (e, other) in Neighbours(n, q.MinTier))
                    if (dist.TryAdd(other, d)) next.Add(other);
            frontier = next;
        }
        if (!dist.TryGetValue(from, out var shortest)) return ValueTask.FromResult(new PathSet([], false));

        var result = new List<GraphPath>();
        var budget = MaxExpansions;
        var truncated = false;
        var nodeStack = new List<int> { from };
        var edgeStack = new List<int>();
        for (var length = shortest; length <= q.MaxHops && result.Count < q.Limit && !truncated; length++)
        {
            var level = new List<GraphPath>();
            Dfs(from, length);
            level.Sort(GraphPath.CompareShortestFirst);
            result.AddRange(level.Take(q.Limit - result.Count));
            if (level.Count > 0 && result.Count >= q.Limit && length < q.MaxHops) truncated = true;

            void Dfs(int node, int remaining)
            {
                if (remaining == 0)
                {
                    if (node == to)
                        level.Add(new GraphPath([.. nodeStack.Select(i => Graph.Nodes[i])], [.. edgeStack.Select(i => Graph.Edges[i])]));
                    return;
                }
                if (node == to) return;
                foreach (var (e, other) in Neighbours(node, q.MinTier))
                {
                    if (--budget < 0) { truncated = true; return; }
                    if (!dist.TryGetValue(other, out var od) || od > remaining - 1 || nodeStack.Contains(other)) continue;
                    nodeStack.Add(other);
                    edgeStack.Add(e);
                    Dfs(other, remaining - 1);
                    nodeStack.RemoveAt(nodeStack.Count - 1);
                    edgeStack.RemoveAt(edgeStack.Count - 1);
                    if (truncated) return;
                }
            }
            ct.ThrowIfCancellationRequested();
        }
        return ValueTask.FromResult(new PathSet(result, truncated));
    }

    public ValueTask<Subgraph> GetSubgraphAsync(SubgraphQuery q, CancellationToken ct)
    {
        var included = new List<int>();
        var seen = new HashSet<int>();
        var truncated = false;
        var frontier = Indices(q.Ids).OrderBy(i => Graph.Nodes[i].Id, StringComparer.Ordinal).ToList();
        for (var depth = 0; frontier.Count > 0; depth++)
        {
            foreach (var n in frontier)
            {
                if (included.Count >= q.MaxNodes) { truncated = true; break; }
                if (seen.Add(n)) included.Add(n);
            }
            if (truncated || depth == q.Depth) break;
            var next = new HashSet<int>();
            foreach (var n in frontier)
                foreach (var (_, other) in Neighbours(n, q.MinTier))
                    if (!seen.Contains(other)) next.Add(other);
            frontier = next.OrderBy(i => Graph.Nodes[i].Id, StringComparer.Ordinal).ToList();
            ct.ThrowIfCancellationRequested();
        }
        var edges = new List<Edge>();
        foreach (var n in included)
            foreach (var p in AllPredicates)
                foreach (var e in Graph.Out(n, p))
                    if (Graph.Edges[e].Tier <= q.MinTier && seen.Contains(Graph.EdgeObject[e])) edges.Add(Graph.Edges[e]);
        edges.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return ValueTask.FromResult(new Subgraph(included.Select(i => Graph.Nodes[i]).ToArray(), edges, truncated));
    }

    /// <summary>Edges either way from a node, at or above a tier, with the node at the other end.</summary>
    private IEnumerable<(int Edge, int Other)> Neighbours(int node, EvidenceTier minTier)
    {
        foreach (var p in AllPredicates)
        {
            var (outs, oute) = Graph.OutRange(node, p);
            for (var k = outs; k < oute; k++)
            {
                var e = Graph.OutEdges[k];
                if (Graph.Edges[e].Tier <= minTier) yield return (e, Graph.EdgeObject[e]);
            }
            var (ins, ine) = Graph.InRange(node, p);
            for (var k = ins; k < ine; k++)
            {
                var e = Graph.InEdges[k];
                if (Graph.Edges[e].Tier <= minTier) yield return (e, Graph.EdgeSubject[e]);
            }
        }
    }

    /// <summary>
    /// Every simple path of 1..maxHops edges along the predicates, starting (downstream) or ending
    /// (upstream) at a root, oriented subject → object, shortest first then by key; at most
    /// <paramref name="limit"/> (whole levels are sorted before cutting so the order is stable).
    /// <paramref name="acceptEnd"/> keeps only paths whose far end it accepts (the walk goes on through others).
    /// </summary>
    private List<GraphPath> Enumerate(int[] roots, bool upstream, Predicate[] predicates, int maxHops, int limit,
        Func<int, bool>? acceptEnd, CancellationToken ct, out bool truncated)
    {
        truncated = false;
        var steps = new List<(int Node, int Edge, int Parent)>();
        var frontier = new List<int>();
        foreach (var r in roots)
        {
            frontier.Add(steps.Count);
            steps.Add((r, -1, -1));
        }
        var result = new List<GraphPath>();
        for (var depth = 1; depth <= maxHops && frontier.Count > 0; depth++)
        {
            var next = new List<int>();
            var level = new List<GraphPath>();
            foreach (var s in frontier)
            {
                var node = steps[s].Node;
                foreach (var p in predicates)
                {
                    var adj = upstream ? Graph.In(node, p) : Graph.Out(node, p);
                    foreach (var e in adj)
                    {
                        var other = upstream ? Graph.EdgeSubject[e] : Graph.EdgeObject[e];
                        if (OnChain(steps, s, other)) continue;
                        if (steps.Count >= MaxExpansions) { truncated = true; break; }
                        next.Add(steps.Count);
                        steps.Add((other, e, s));
                        if (acceptEnd is null || acceptEnd(other)) level.Add(ToPath(steps, steps.Count - 1, upstream));
                    }
                }
            }
            level.Sort(GraphPath.CompareShortestFirst);
            result.AddRange(level);
            if (result.Count >= limit)
            {
                truncated |= result.Count > limit || (depth < maxHops && next.Count > 0);
                if (result.Count > limit) result.RemoveRange(limit, result.Count - limit);
                break;
            }
            if (truncated) break;
            frontier = next;
            ct.ThrowIfCancellationRequested();
        }
        return result;
    }

    private static bool OnChain(List<(int Node, int Edge, int Parent)> steps, int s, int node)
    {
        for (var i = s; i >= 0; i = steps[i].Parent)
            if (steps[i].Node == node) return true;
        return false;
    }

    private GraphPath ToPath(List<(int Node, int Edge, int Parent)> steps, int s, bool upstream)
    {
        var nodes = ImmutableArray.CreateBuilder<Node>();
        var edges = ImmutableArray.CreateBuilder<Edge>();
        for (var i = s; i >= 0; i = steps[i].Parent)
        {
            nodes.Add(Graph.Nodes[steps[i].Node]);
            if (steps[i].Edge >= 0) edges.Add(Graph.Edges[steps[i].Edge]);
        }
        // Walking parents from an upstream step goes cause → effect already; downstream walks go backwards.
        if (!upstream)
        {
            nodes.Reverse();
            edges.Reverse();
        }
        return new GraphPath(nodes.ToImmutable(), edges.ToImmutable());
    }
}
