using Microsoft.Extensions.Logging;
using System.Collections.Immutable;
using System.Text.Json;
using SpineGraph.Core;

namespace SpineGraph.Storage.Neo4j;

public sealed partial class Neo4jGraphStore
{
    // Shared fragments of the path statements. Cypher's variable-length patterns keep relationships unique
    // per path, not nodes: SimplePaths keeps only paths that visit no node twice, as the embedded store does.
    private const string SimplePaths =
        """
        WITH p, [x IN nodes(p) | x.id] AS ids, [y IN relationships(p) | y.id] AS rids
        WHERE all(i IN range(0, size(ids) - 2) WHERE NOT ids[i] IN ids[i + 1..])
        """;

    // GraphPath.Key: node ids joined by '|', '#', edge ids joined by '|'; the order is length, then key (ordinal).
    private const string OrderedPaths =
        """
        WITH p, ids, rids, reduce(acc = head(ids), part IN tail(ids) | acc + '|' + part) + '#' + reduce(acc = head(rids), part IN tail(rids) | acc + '|' + part) AS key
        ORDER BY length(p), key
        LIMIT $limit
        """;

    private const string PathProjection =
        $$"""
        RETURN [x IN nodes(p) | properties(x)] AS nodes, [r IN relationships(p) | {{EdgeProjection}}] AS rels
        """;

    private static readonly string Causal = GraphModel.TypeAlternatives(Vocabulary.CausalPredicates);
    private static readonly string Any = GraphModel.TypeAlternatives(Enum.GetValues<Predicate>());

    internal static readonly CypherStatementFamily NarrowerPaths = new("store.narrower", 1, MaxPathHops, k =>
        $"""
        MATCH p = (:Node)-[:{Vocabulary.RelationshipType(Predicate.SubclassOf)}*1..{k}]->(root:Node)
        WHERE root.id IN $ids
        {SimplePaths}
        {OrderedPaths}
        {PathProjection}
        """, "Narrower kinds of some nodes: subclass_of paths (1..k edges) ending at one of them, shortest first then by key.", "ids", "limit");

    internal static readonly CypherStatementFamily BroaderPaths = new("store.broader", 1, MaxPathHops, k =>
        $"""
        MATCH p = (root:Node)-[:{Vocabulary.RelationshipType(Predicate.SubclassOf)}*1..{k}]->(:Node)
        WHERE root.id IN $ids
        {SimplePaths}
        {OrderedPaths}
        {PathProjection}
        """, "Broader kinds of some nodes: subclass_of paths (1..k edges) starting at one of them, shortest first then by key.", "ids", "limit");

    internal static readonly CypherStatementFamily UpstreamPaths = new("store.causalUpstream", 1, MaxPathHops, k =>
        $"""
        MATCH p = (:Node)-[:{Causal}*1..{k}]->(anchor:Node)
        WHERE anchor.id IN $anchors
        {SimplePaths}
        {OrderedPaths}
        {PathProjection}
        """, "Causal chains (causes, has_phenotype; 1..k edges) ending at an anchor, shortest first then by key, Limit + 1 of them.", "anchors", "limit");

    internal static readonly CypherStatementFamily DownstreamPaths = new("store.causalDownstream", 1, MaxPathHops, k =>
        $"""
        MATCH p = (anchor:Node)-[:{Causal}*1..{k}]->(:Node)
        WHERE anchor.id IN $anchors
        {SimplePaths}
        {OrderedPaths}
        {PathProjection}
        """, "Causal chains (1..k edges) starting at an anchor, shortest first then by key, Limit + 1 of them.", "anchors", "limit");

    internal static readonly CypherStatementFamily ThroughPaths = new("store.causalThrough", 1, MaxPathHops, k =>
        $"""
        MATCH p = (:Node)-[:{Causal}*1..{k}]->(anchor:Node)
        WHERE anchor.id IN $anchors
        {SimplePaths}
          AND $through IN ids
        {OrderedPaths}
        {PathProjection}
        """, "Causal chains (1..k edges) ending at an anchor and passing through a given node, shortest first then by key, Limit + 1 of them.", "anchors", "through", "limit");

    internal static readonly CypherStatementFamily BetweenPaths = new("store.paths", 1, MaxPathHops, k =>
        $"""
        MATCH p = (from:Node {"{"}id: $from{"}"})-[:{Any}*1..{k}]-(to:Node {"{"}id: $to{"}"})
        WHERE all(r IN relationships(p) WHERE r.tier <= $maxTier)
        {SimplePaths}
        {OrderedPaths}
        {PathProjection}
        """, "Simple paths between two nodes (1..k edges, either direction, every edge at or above a tier), shortest first then by key, Limit of them.", "from", "to", "maxTier", "limit");

    public async ValueTask<IReadOnlyList<GraphPath>> GetNarrowerAsync(IReadOnlyList<string> ids, int maxDepth, CancellationToken ct)
    {
        var roots = ids.Distinct().ToArray();
        if (roots.Length == 0 || maxDepth < 1) return [];
        var paths = await PathsAsync(NarrowerPaths[Hops(maxDepth)], new() { ["ids"] = roots, ["limit"] = MaxPathRows }, ct);
        if (paths.Count >= MaxPathRows)
            logger.LogWarning("GetNarrower stopped at {Max} paths for {Ids}", MaxPathRows, string.Join(", ", roots));
        return paths;
    }

    public async ValueTask<IReadOnlyList<GraphPath>> GetBroaderAsync(IReadOnlyList<string> ids, int maxDepth, CancellationToken ct)
    {
        var roots = ids.Distinct().ToArray();
        if (roots.Length == 0 || maxDepth < 1) return [];
        var paths = await PathsAsync(BroaderPaths[Hops(maxDepth)], new() { ["ids"] = roots, ["limit"] = MaxPathRows }, ct);
        if (paths.Count >= MaxPathRows)
            logger.LogWarning("GetBroader stopped at {Max} paths for {Ids}", MaxPathRows, string.Join(", ", roots));
        return paths;
    }

    public async ValueTask<PathSet> GetCausalPathsAsync(CausalQuery q, CancellationToken ct)
    {
        var anchors = q.Anchors.Distinct().ToArray();
        if (anchors.Length == 0 || q.MaxHops < 1) return new PathSet([], false);
        var k = Hops(q.MaxHops);
        var fetch = (int)Math.Min((long)Math.Max(q.Limit, 0) + 1, MaxPathRows);

        if (q.Through is null || q.Direction == CausalDirection.Downstream)
        {
            var family = q.Direction == CausalDirection.Upstream ? UpstreamPaths : DownstreamPaths;
            var paths = await PathsAsync(family[k], new() { ["anchors"] = anchors, ["limit"] = fetch }, ct);
            // The embedded store stops at the first level where it has Limit paths: it reports truncation if it
            // had more, or if it had exactly Limit and had not yet looked at longer chains.
            var truncated = paths.Count > q.Limit
                || (paths.Count == q.Limit && (q.Limit == 0 ? false : paths[^1].Length < q.MaxHops))
                || paths.Count >= MaxPathRows;
            return new PathSet(paths.Take(Math.Max(q.Limit, 0)).ToArray(), truncated);
        }

        var through = await PathsAsync(ThroughPaths[k], new() { ["anchors"] = anchors, ["through"] = q.Through, ["limit"] = fetch }, ct);
        var cut = through.Count > q.Limit || through.Count >= MaxPathRows;
        return new PathSet(through.Take(Math.Max(q.Limit, 0)).ToArray(), cut);
    }

    public async ValueTask<PathSet> FindPathsAsync(PathQuery q, CancellationToken ct)
    {
        if (q.From == q.To || q.MaxHops < 1 || q.Limit <= 0) return new PathSet([], false);
        var paths = await PathsAsync(BetweenPaths[Hops(q.MaxHops)], new()
        {
            ["from"] = q.From,
            ["to"] = q.To,
            ["maxTier"] = (int)q.MinTier,
            ["limit"] = Math.Min(q.Limit, MaxPathRows),
        }, ct);
        // As the embedded store: truncated when Limit paths were found before the longest length allowed.
        var truncated = paths.Count >= q.Limit && paths[q.Limit - 1].Length < q.MaxHops;
        return new PathSet(paths, truncated);
    }

    // ================================================================== subgraph

    internal static readonly CypherStatement Neighbours = new("store.neighbours",
        """
        UNWIND $ids AS id
        MATCH (:Node {id: id})-[r]-(m:Node)
        WHERE r.tier <= $maxTier
        RETURN DISTINCT m.id AS id
        """, "ids", "maxTier") { Purpose = "One breadth-first layer of a subgraph: neighbours (either direction) of some nodes over edges at or above a tier." };

    internal static readonly CypherStatement EdgesAmong = new("store.edgesAmong",
        $$"""
        MATCH (a:Node)-[r]->(b:Node)
        WHERE a.id IN $ids AND b.id IN $ids AND r.tier <= $maxTier
        RETURN {{EdgeProjection}} AS edge
        ORDER BY r.id
        """, "ids", "maxTier") { Purpose = "Every edge among a set of nodes, at or above a tier, by id (the edges of a subgraph)." };

    public async ValueTask<Subgraph> GetSubgraphAsync(SubgraphQuery q, CancellationToken ct)
    {
        var catalog = await CatalogAsync(ct);
        var included = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var truncated = false;
        var frontier = q.Ids.Where(catalog.LexiconIndex.ContainsKey).Distinct().Order(StringComparer.Ordinal).ToList();
        for (var depth = 0; frontier.Count > 0; depth++)
        {
            foreach (var n in frontier)
            {
                if (included.Count >= q.MaxNodes) { truncated = true; break; }
                if (seen.Add(n)) included.Add(n);
            }
            if (truncated || depth == q.Depth) break;
            var layer = await ReadAsync(Neighbours, new() { ["ids"] = frontier.ToArray(), ["maxTier"] = (int)q.MinTier }, ct);
            frontier = layer.Rows.Select(r => r[0].GetString()!).Where(id => !seen.Contains(id)).Distinct().Order(StringComparer.Ordinal).ToList();
        }
        if (included.Count == 0) return new Subgraph([], [], truncated);

        var nodes = await GetNodesAsync(included, ct);
        return await WithCatalogAsync(async c =>
        {
            var result = await ReadAsync(EdgesAmong, new() { ["ids"] = included.ToArray(), ["maxTier"] = (int)q.MinTier }, ct);
            var edges = result.Rows.Select(r => GraphModel.ToEdge(r[0], c.Source)).ToList();
            edges.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return new Subgraph(nodes, edges, truncated);
        }, ct);
    }

    // ================================================================== helpers

    private static int Hops(int maxHops) =>
        maxHops <= MaxPathHops ? maxHops
            : throw new ArgumentOutOfRangeException(nameof(maxHops), maxHops, $"The Neo4j store follows paths of at most {MaxPathHops} edges.");

    private async Task<List<GraphPath>> PathsAsync(CypherStatement statement, Dictionary<string, object?> parameters, CancellationToken ct) =>
        await WithCatalogAsync(async catalog =>
        {
            var result = await ReadAsync(statement, parameters, ct);
            var nodesCol = result.Column("nodes");
            var relsCol = result.Column("rels");
            var paths = new List<GraphPath>(result.Rows.Count);
            foreach (var row in result.Rows)
            {
                var nodes = row[nodesCol].EnumerateArray().Select(GraphModel.ToNode).ToImmutableArray();
                var edges = row[relsCol].EnumerateArray().Select(e => GraphModel.ToEdge(e, catalog.Source)).ToImmutableArray();
                paths.Add(new GraphPath(nodes, edges));
            }
            // Neo4j already ordered them; sorting again with the embedded comparer makes the order exactly .NET's ordinal one.
            paths.Sort(GraphPath.CompareShortestFirst);
            return paths;
        }, ct);
}
