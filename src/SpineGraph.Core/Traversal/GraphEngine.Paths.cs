using SpineGraph.Core.Queries;

namespace SpineGraph.Core.Traversal;

/// <summary>The order of paths: shortest first, then by the node and edge ids along the path (ordinal).</summary>
internal static class PathOrder
{
    public static int CompareSequences(List<string> aNodes, List<EdgeRow> aRows, List<string> bNodes, List<EdgeRow> bRows)
    {
        for (var i = 0; i < Math.Min(aNodes.Count, bNodes.Count); i++)
        {
            var c = string.CompareOrdinal(aNodes[i], bNodes[i]);
            if (c != 0) return c;
            if (i < aRows.Count && i < bRows.Count)
            {
                c = string.CompareOrdinal(aRows[i].Id, bRows[i].Id);
                if (c != 0) return c;
            }
        }
        return aNodes.Count.CompareTo(bNodes.Count);
    }
}

public sealed partial class GraphEngine
{
    private static readonly Hop[] CausalForward = [Hop.Out(Predicate.Causes), Hop.Out(Predicate.HasPhenotype), Hop.Out(Predicate.SubclassOf)];

    /// <summary>
    /// The k shortest simple paths from one node to another, in order (shortest first, then by the node and edge ids
    /// along the path), one page. Causal direction follows causes, has_phenotype and subclass_of from cause to effect;
    /// any follows every edge either way. The search expands about half the hops from each end, keeps the edges it
    /// found, and enumerates paths in order over them only until the page and one more are found.
    /// </summary>
    public async ValueTask<PathsAnswer> PathsAsync(PathQuery q, CancellationToken ct)
    {
        var budget = new Budget(Limits.TraversalRows);
        var filter = new EdgeFilter(q.MinTier);
        var forwardHops = q.Direction == PathDirection.Causal ? CausalForward : Hop.Any;
        var backwardHops = q.Direction == PathDirection.Causal ? Upstream : Hop.Any;
        var k1 = (q.MaxHops + 1) / 2;
        var k2 = q.MaxHops - k1;
        var truncated = false;

        // Adjacency in path direction: from → (edge, to), de-duplicated.
        var adjacency = new Dictionary<string, List<(EdgeRow Row, string To)>>(StringComparer.Ordinal);
        var seenArcs = new HashSet<(string, string, string)>();
        void Arc(string from, EdgeRow row, string to)
        {
            if (!seenArcs.Add((from, row.Id, to))) return;
            if (!adjacency.TryGetValue(from, out var list)) adjacency[from] = list = [];
            list.Add((row, to));
        }
        bool Allowed(string node, NodeCategory category) => q.Via is null || node == q.From || node == q.To || q.Via.Contains(category);

        // Forward from `from` (k1 levels) and backward from `to` (k2 levels): every edge of every path of at most MaxHops is found.
        var forward = await BfsAsync(q.From, forwardHops, k1, (row) => { if (Allowed(row.Other, row.OtherCategory)) Arc(row.Near, row, row.Other); return Allowed(row.Other, row.OtherCategory); });
        var backward = await BfsAsync(q.To, backwardHops, k2, (row) => { if (Allowed(row.Other, row.OtherCategory)) Arc(row.Other, row, row.Near); return Allowed(row.Other, row.OtherCategory); });
        foreach (var list in adjacency.Values)
            list.Sort((a, b) => { var c = string.CompareOrdinal(a.To, b.To); return c != 0 ? c : string.CompareOrdinal(a.Row.Id, b.Row.Id); });

        // Lower bound on the hops from a node to `to`: its backward distance, or more than k2 if the backward search did not reach it.
        int Bound(string n) => backward.TryGetValue(n, out var d) ? d : k2 + 1;

        var wanted = q.Offset + q.Limit + 1;
        var found = new List<(List<string> Nodes, List<EdgeRow> Rows)>();
        var steps = Limits.PathSteps;
        truncated |= budget.Spent;
        var nodes = new List<string> { q.From };
        var rows = new List<EdgeRow>();
        for (var length = Math.Max(1, Bound(q.From)); length <= q.MaxHops && found.Count < wanted && !truncated; length++)
        {
            Walk(q.From, length);
            ct.ThrowIfCancellationRequested();
        }

        void Walk(string at, int remaining)
        {
            if (found.Count >= wanted || truncated) return;
            if (remaining == 0)
            {
                if (at == q.To) found.Add(([.. nodes], [.. rows]));
                return;
            }
            if (at == q.To || !adjacency.TryGetValue(at, out var next)) return;
            foreach (var (row, to) in next)
            {
                if (--steps < 0) { truncated = true; return; }
                if (Bound(to) > remaining - 1 || nodes.Contains(to)) continue;
                nodes.Add(to);
                rows.Add(row);
                Walk(to, remaining - 1);
                nodes.RemoveAt(nodes.Count - 1);
                rows.RemoveAt(rows.Count - 1);
                if (found.Count >= wanted || truncated) return;
            }
        }

        var more = found.Count > q.Offset + q.Limit;
        var page = found.Skip(q.Offset).Take(q.Limit).ToList();
        var builder = new GraphBuilder();
        builder.Node(q.From);
        builder.Node(q.To);
        foreach (var (_, pathRows) in page) foreach (var r in pathRows) builder.Edge(r);
        var graph = await builder.BuildAsync(store, ct);
        return new PathsAnswer(page.Select(p => new PathRef([.. p.Nodes], [.. p.Rows.Select(r => r.Id)])).ToArray(),
            more || truncated ? null : found.Count, more, truncated, graph);

        async ValueTask<Dictionary<string, int>> BfsAsync(string start, IReadOnlyList<Hop> hops, int levels, Func<EdgeRow, bool> take)
        {
            var dist = new Dictionary<string, int>(StringComparer.Ordinal) { [start] = 0 };
            var frontier = new List<string> { start };
            for (var d = 0; d < levels && frontier.Count > 0; d++)
            {
                var e = await budget.ExpandAsync(store, frontier, hops, filter, ct);
                truncated |= e.Truncated;
                var next = new List<string>();
                foreach (var row in e.Rows)
                    if (take(row) && dist.TryAdd(row.Other, d + 1) && row.Other != q.To && row.Other != q.From) next.Add(row.Other);
                frontier = next;
            }
            return dist;
        }
    }

    /// <summary>Nodes within <paramref name="depth"/> hops of the given nodes (edges either way, at or above a tier),
    /// nearest first (ties by id), cut at <paramref name="maxNodes"/>, and every edge among them, by id.</summary>
    public async ValueTask<SubgraphAnswer> SubgraphAsync(IReadOnlyList<string> ids, int depth, EvidenceTier minTier, int maxNodes, CancellationToken ct)
    {
        var budget = new Budget(Limits.TraversalRows);
        var filter = new EdgeFilter(minTier);
        var included = new List<string>();
        var set = new HashSet<string>(StringComparer.Ordinal);
        var truncated = false;
        var edges = new Dictionary<string, EdgeRow>(StringComparer.Ordinal);
        var known = (await store.GetNodesAsync(ids.Distinct().ToArray(), ct)).Select(n => n.Id);
        var frontier = known.Order(StringComparer.Ordinal).ToList();
        var rowsSeen = new List<EdgeRow>();
        for (var level = 0; frontier.Count > 0; level++)
        {
            foreach (var n in frontier)
            {
                if (included.Count >= maxNodes) { truncated = true; break; }
                if (set.Add(n)) included.Add(n);
            }
            // The last level is expanded too, for the edges among its nodes.
            var expanded = await budget.ExpandAsync(store, frontier.Where(set.Contains).ToArray(), Hop.Any, filter, ct);
            truncated |= expanded.Truncated;
            rowsSeen.AddRange(expanded.Rows);
            if (truncated || level == depth) break;
            frontier = expanded.Rows.Select(r => r.Other).Where(o => !set.Contains(o)).Distinct().Order(StringComparer.Ordinal).ToList();
            ct.ThrowIfCancellationRequested();
        }
        foreach (var r in rowsSeen)
            if (set.Contains(r.Subject) && set.Contains(r.Object)) edges.TryAdd(r.Id, r);
        var edgeIds = edges.Keys.Order(StringComparer.Ordinal).ToArray();
        var builder = new GraphBuilder();
        foreach (var n in included) builder.Node(n);
        foreach (var e in edgeIds) builder.Edge(edges[e]);
        return new SubgraphAnswer(included, edgeIds, truncated, await builder.BuildAsync(store, ct));
    }
}
