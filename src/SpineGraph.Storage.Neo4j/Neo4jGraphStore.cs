using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineGraph.Core;
using SpineGraph.Core.Search;

namespace SpineGraph.Storage.Neo4j;

/// <summary>
/// The graph port in Cypher. One-hop reads, node pages and edge pages are answered by Neo4j; path
/// enumeration is done by Neo4j (bounded variable-length patterns, ordered and limited server-side) and
/// re-checked in C# with the same comparer as the embedded store. Per graph version the store keeps a small
/// catalog in memory: counts (<see cref="GetMetaAsync"/>), the sources cited by edges, and the search lexicon
/// (ids, names, synonyms, lay terms) from which it builds the same <see cref="SearchIndex"/> as the embedded store.
/// </summary>
public sealed partial class Neo4jGraphStore(ICypherRunner runner, IOptions<Neo4jOptions> options, ILogger<Neo4jGraphStore> logger, TimeProvider? time = null)
    : IGraphStore
{
    /// <summary>Longest path (edges) any traversal supports: Cypher needs the bound as a literal, so one
    /// statement per length is prepared (see <see cref="CypherStatementFamily"/>).</summary>
    public const int MaxPathHops = 5;

    /// <summary>Most paths one statement returns (GetNarrower has no truncation flag; the other traversals ask for Limit + 1).</summary>
    public const int MaxPathRows = 20_000;

    private static readonly Predicate[] AllPredicates = Enum.GetValues<Predicate>();
    private static readonly string[] AllTypes = AllPredicates.Select(Vocabulary.RelationshipType).ToArray();

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TimeSpan _refresh = options.Value.CatalogRefreshInterval;

    /// <summary>Projection of a relationship <c>r</c>: its type, end node ids and properties.</summary>
    internal const string EdgeProjection = "{type: type(r), subject: startNode(r).id, object: endNode(r).id, props: properties(r)}";

    // ================================================================== meta and health

    public async ValueTask<GraphMeta> GetMetaAsync(CancellationToken ct) => (await CatalogAsync(ct)).Meta;

    public async ValueTask<StoreHealth> CheckHealthAsync(CancellationToken ct)
    {
        try
        {
            var version = await ReadVersionAsync(ct);
            return version is null
                ? new StoreHealth(false, "neo4j", $"Neo4j at {runner.Target} answers but holds no SpineGraph graph; run the seed command.")
                : new StoreHealth(true, "neo4j", $"Neo4j at {runner.Target}, graph {version}");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is GraphUnavailableException or Neo4jQueryException or Neo4jProtocolException)
        {
            return new StoreHealth(false, "neo4j", ex.Message);
        }
    }

    // ================================================================== nodes

    internal static readonly CypherStatement NodeWithCounts = new("store.node",
        """
        MATCH (n:Node {id: $id})
        RETURN properties(n) AS node,
               [(n)-[r]->(:Node) | type(r)] AS outTypes,
               [(n)<-[r]-(:Node) | type(r)] AS inTypes
        """, "id") { Purpose = "A node with the type of each of its relationships, out and in (for the per-predicate counts)." };

    public async ValueTask<NodeDetail?> GetNodeAsync(string id, CancellationToken ct)
    {
        var result = await ReadAsync(NodeWithCounts, new() { ["id"] = id }, ct);
        if (result.Rows.Count == 0) return null;
        var row = result.Rows[0];
        var node = GraphModel.ToNode(row[result.Column("node")]);
        var outs = Count(row[result.Column("outTypes")]);
        var ins = Count(row[result.Column("inTypes")]);
        var counts = new List<EdgeCount>();
        foreach (var p in AllPredicates)
        {
            if (outs.TryGetValue(p, out var o)) counts.Add(new EdgeCount(p, Direction.Out, o));
            if (ins.TryGetValue(p, out var i)) counts.Add(new EdgeCount(p, Direction.In, i));
        }
        return new NodeDetail(node, counts);

        static Dictionary<Predicate, int> Count(JsonElement types)
        {
            var d = new Dictionary<Predicate, int>();
            foreach (var t in types.EnumerateArray())
                if (GraphModel.TryPredicate(t.GetString() ?? "", out var p)) d[p] = d.GetValueOrDefault(p) + 1;
            return d;
        }
    }

    internal static readonly CypherStatement NodesById = new("store.nodes",
        "MATCH (n:Node) WHERE n.id IN $ids RETURN properties(n) AS node", "ids")
    { Purpose = "Nodes by id (the store puts them in the order asked)." };

    public async ValueTask<IReadOnlyList<Node>> GetNodesAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var result = await ReadAsync(NodesById, new() { ["ids"] = ids.Distinct().ToArray() }, ct);
        var byId = result.Rows.Select(r => GraphModel.ToNode(r[0])).ToDictionary(n => n.Id, StringComparer.Ordinal);
        var list = new List<Node>(ids.Count);
        foreach (var id in ids)
            if (byId.TryGetValue(id, out var n)) list.Add(n);
        return list;
    }

    internal static readonly CypherStatement NodePage = new("store.listNodes",
        """
        MATCH (n:Node)
        WHERE $category IS NULL OR n.category = $category
        WITH n ORDER BY n.id SKIP $offset LIMIT $limit
        RETURN properties(n) AS node
        """, "category", "offset", "limit") { Purpose = "A page of nodes ordered by id, optionally of one category." };

    public async ValueTask<Slice<Node>> ListNodesAsync(NodeCategory? category, int offset, int limit, CancellationToken ct)
    {
        var catalog = await CatalogAsync(ct);
        var total = category is { } c ? catalog.Meta.Categories.First(x => x.Category == c).Count : catalog.Meta.NodeCount;
        if (limit <= 0 || offset >= total) return new Slice<Node>([], total);
        var result = await ReadAsync(NodePage, new()
        {
            ["category"] = category is { } k ? Vocabulary.Snake(k) : null,
            ["offset"] = Math.Max(0, offset),
            ["limit"] = limit,
        }, ct);
        var items = result.Rows.Select(r => GraphModel.ToNode(r[0])).ToList();
        items.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new Slice<Node>(items, total);
    }

    // ================================================================== search

    public async ValueTask<IReadOnlyList<SearchHit>> SearchAsync(string text, NodeCategory? category, int limit, CancellationToken ct)
    {
        var catalog = await CatalogAsync(ct);
        var lex = catalog.Lexicon;
        var found = new List<(int Node, string Text, MatchedField Field, MatchKind Kind, double Score)>();
        var trimmed = text.Trim();
        int? byId = catalog.LexiconIndex.TryGetValue(trimmed, out var idHit) ? idHit : null;
        if (byId is { } b && (category is null || lex[b].Category == category))
            found.Add((b, lex[b].Id, MatchedField.Id, MatchKind.Exact, 1.0));
        Func<int, bool>? accept = category is { } c ? i => lex[i].Category == c && i != byId : byId is null ? null : i => i != byId;
        found.AddRange(catalog.Search.Search(trimmed, accept, limit - found.Count));
        if (found.Count == 0) return [];

        var nodes = (await GetNodesAsync(found.Select(h => lex[h.Node].Id).ToArray(), ct)).ToDictionary(n => n.Id, StringComparer.Ordinal);
        var hits = new List<SearchHit>(found.Count);
        foreach (var h in found)
            if (nodes.TryGetValue(lex[h.Node].Id, out var node)) hits.Add(new SearchHit(node, h.Text, h.Field, h.Kind, h.Score));
        return hits;
    }

    // ================================================================== one hop

    internal static readonly CypherStatement EdgePage = new("store.edges",
        $$"""
        MATCH (n:Node {id: $id})-[r]-(m:Node)
        WHERE type(r) IN $types AND r.tier <= $maxTier
          AND ($effects IS NULL OR r.effectRank IN $effects)
          AND ($direction = 'both' OR ($direction = 'out') = (startNode(r).id = $id))
        WITH r, m ORDER BY r.tier, r.effectRank, r.id
        WITH collect({edge: {{EdgeProjection}}, other: properties(m)}) AS views
        RETURN size(views) AS total, views[$offset..($offset + $limit)] AS page
        """, "id", "types", "maxTier", "effects", "direction", "offset", "limit")
    { Purpose = "One hop from a node, filtered by direction, predicate, tier and effect; ordered by tier, effect, id; the total and one page." };

    public async ValueTask<Slice<EdgeView>> GetEdgesAsync(string nodeId, EdgeFilter filter, int offset, int limit, CancellationToken ct)
    {
        var types = filter.Predicate is { } only ? [Vocabulary.RelationshipType(only)] : AllTypes;
        return await WithCatalogAsync(async catalog =>
        {
            var result = await ReadAsync(EdgePage, new()
            {
                ["id"] = nodeId,
                ["types"] = types,
                ["maxTier"] = (int)filter.MinTier,
                ["effects"] = filter.Effects?.Select(e => (int)e).Order().ToArray(),
                ["direction"] = DirectionName(filter.Direction),
                ["offset"] = Math.Max(0, offset),
                ["limit"] = Math.Max(0, limit),
            }, ct);
            if (result.Rows.Count == 0) return new Slice<EdgeView>([], 0);
            var row = result.Rows[0];
            var total = row[result.Column("total")].GetInt32();
            var page = row[result.Column("page")].EnumerateArray().Select(v => View(v, nodeId, catalog)).ToList();
            page.Sort(EdgeView.CompareByEvidence);
            return new Slice<EdgeView>(page, total);
        }, ct);
    }

    internal static readonly CypherStatement Incident = new("store.incident",
        $$"""
        UNWIND $ids AS id
        MATCH (n:Node {id: id})-[r]-(m:Node)
        WHERE type(r) IN $types AND ($direction = 'both' OR ($direction = 'out') = (startNode(r).id = id))
        RETURN id, {edge: {{EdgeProjection}}, other: properties(m)} AS view
        """, "ids", "types", "direction")
    { Purpose = "One hop from each of a set of nodes along some relationship types (treatments of targets, adverse events)." };

    public async ValueTask<IReadOnlyList<EdgeView>> GetIncidentEdgesAsync(
        IReadOnlyList<string> ids, IReadOnlyList<Predicate> predicates, Direction direction, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToArray();
        if (distinct.Length == 0 || predicates.Count == 0) return [];
        return await WithCatalogAsync(async catalog =>
        {
            var result = await ReadAsync(Incident, new()
            {
                ["ids"] = distinct,
                ["types"] = predicates.Distinct().Select(Vocabulary.RelationshipType).ToArray(),
                ["direction"] = DirectionName(direction),
            }, ct);
            var byNode = new Dictionary<string, List<EdgeView>>(StringComparer.Ordinal);
            foreach (var row in result.Rows)
            {
                var id = row[0].GetString()!;
                if (!byNode.TryGetValue(id, out var list)) byNode[id] = list = [];
                list.Add(View(row[1], id, catalog));
            }
            // The embedded store's order: per node asked, per predicate asked, out then in, by edge id.
            var views = new List<EdgeView>();
            foreach (var id in distinct)
            {
                if (!byNode.TryGetValue(id, out var list)) continue;
                foreach (var p in predicates)
                    foreach (var d in new[] { Direction.Out, Direction.In })
                        views.AddRange(list.Where(v => v.Edge.Predicate == p && v.Direction == d).OrderBy(v => v.Edge.Id, StringComparer.Ordinal));
            }
            return (IReadOnlyList<EdgeView>)views;
        }, ct);
    }

    private static EdgeView View(JsonElement v, string nearId, Catalog catalog)
    {
        var edge = GraphModel.ToEdge(v.GetProperty("edge"), catalog.Source);
        var other = GraphModel.ToNode(v.GetProperty("other"));
        return new EdgeView(edge, other, edge.Subject == nearId ? Direction.Out : Direction.In);
    }

    private static string DirectionName(Direction d) => d switch
    {
        Direction.Out => "out",
        Direction.In => "in",
        _ => "both",
    };

    // ================================================================== plumbing

    private Task<CypherResult> ReadAsync(CypherStatement statement, Dictionary<string, object?> parameters, CancellationToken ct) =>
        runner.RunAsync(statement, parameters, AccessMode.Read, ct);
}
