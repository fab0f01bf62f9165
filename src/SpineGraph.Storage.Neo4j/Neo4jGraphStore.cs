using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineGraph.Core;

namespace SpineGraph.Storage.Neo4j;

/// <summary>
/// The graph port in Cypher: typed, directed one-hop expansions with a LIMIT that limits, hydration of nodes and
/// edges by id, node pages. Every traversal is computed above the port by the engine in Core. Per graph version
/// the store keeps a small catalog in memory: counts (<see cref="GetMetaAsync"/>), the sources cited by edges,
/// and the search lexicon (ids, names, synonyms, lay terms) the engine builds its search index from.
/// </summary>
public sealed partial class Neo4jGraphStore(ICypherRunner runner, IOptions<Neo4jOptions> options, ILogger<Neo4jGraphStore> logger, TimeProvider? time = null)
    : IGraphStore
{
    private static readonly Predicate[] AllPredicates = Enum.GetValues<Predicate>();

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
                ? new StoreHealth(false, "neo4j", "Neo4j answers but holds no SpineGraph graph; run the seed command.")
                : new StoreHealth(true, "neo4j", $"Neo4j answers with graph {version}");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is GraphUnavailableException or Neo4jQueryException or Neo4jProtocolException)
        {
            // Said to anyone who asks: what went wrong, never where Neo4j is or what it wrote back (that goes to the log).
            return new StoreHealth(false, "neo4j", ex is Neo4jQueryException q ? $"Neo4j refused the health check: {q.Code}" : ex.Message);
        }
    }

    // ================================================================== nodes

    /// <summary>The node and its degree per relationship type and direction: <c>COUNT { (n)-[:T]->() }</c> with the far
    /// end unlabelled is answered from the node's degree store, so a hub costs no more than a leaf.</summary>
    internal static readonly CypherStatement NodeWithCounts = new("store.node",
        $$"""
        MATCH (n:Node {id: $id})
        RETURN properties(n) AS node,
               [{{string.Join(", ", AllPredicates.Select(p => $"COUNT {{ (n)-[:{Vocabulary.RelationshipType(p)}]->() }}"))}}] AS outCounts,
               [{{string.Join(", ", AllPredicates.Select(p => $"COUNT {{ (n)<-[:{Vocabulary.RelationshipType(p)}]-() }}"))}}] AS inCounts
        """, "id")
    { Purpose = "A node with its relationship counts per type and direction (node detail)." };

    public async ValueTask<NodeDetail?> GetNodeAsync(string id, CancellationToken ct)
    {
        return await ReadAsync(NodeWithCounts, new() { ["id"] = id }, result =>
        {
            if (result.Rows.Count == 0) return null;
            var row = result.Rows[0];
            var node = GraphModel.ToNode(row[result.Column("node")]);
            var outs = row[result.Column("outCounts")].EnumerateArray().Select(x => x.GetInt32()).ToArray();
            var ins = row[result.Column("inCounts")].EnumerateArray().Select(x => x.GetInt32()).ToArray();
            var counts = new List<EdgeCount>();
            for (var i = 0; i < AllPredicates.Length; i++)
            {
                if (outs[i] > 0) counts.Add(new EdgeCount(AllPredicates[i], Direction.Out, outs[i]));
                if (ins[i] > 0) counts.Add(new EdgeCount(AllPredicates[i], Direction.In, ins[i]));
            }
            return (NodeDetail?)new NodeDetail(node, counts);
        }, ct);
    }

    internal static readonly CypherStatement NodesById = new("store.nodes",
        "MATCH (n:Node) WHERE n.id IN $ids RETURN properties(n) AS node", "ids")
    { Purpose = "Nodes by id (the store puts them in the order asked)." };

    public async ValueTask<IReadOnlyList<Node>> GetNodesAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var byId = await ReadAsync(NodesById, new() { ["ids"] = ids.Distinct().ToArray() },
            result => result.Rows.Select(r => GraphModel.ToNode(r[0])).ToDictionary(n => n.Id, StringComparer.Ordinal), ct);
        var list = new List<Node>(ids.Count);
        foreach (var id in ids)
            if (byId.TryGetValue(id, out var n)) list.Add(n);
        return list;
    }

    internal static readonly CypherStatement NodePage = new("store.listNodes",
        """
        MATCH (n:Node)
        WHERE n.id > $after AND ($category IS NULL OR n.category = $category)
        WITH n ORDER BY n.id LIMIT $limit
        RETURN properties(n) AS node
        """, "category", "after", "limit")
    { Purpose = "A page of nodes ordered by id after a key (keyset on the unique id index), optionally of one category." };

    public async ValueTask<Slice<Node>> ListNodesAsync(NodeCategory? category, string? afterId, int limit, CancellationToken ct)
    {
        var catalog = await CatalogAsync(ct);
        var total = category is { } c ? catalog.Meta.Categories.First(x => x.Category == c).Count : catalog.Meta.NodeCount;
        if (limit <= 0) return new Slice<Node>([], total);
        var items = await ReadAsync(NodePage, new()
        {
            ["category"] = category is { } k ? Vocabulary.Snake(k) : null,
            ["after"] = afterId ?? "", // every id sorts after "": one range seek from the key
            ["limit"] = limit,
        }, result => result.Rows.Select(r => GraphModel.ToNode(r[0])).ToList(), ct);
        items.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new Slice<Node>(items, total);
    }

    // ================================================================== lexicon

    public async ValueTask<IReadOnlyList<Node>> GetLexiconAsync(CancellationToken ct) => (await CatalogAsync(ct)).Lexicon;

    // ================================================================== one hop

    /// <summary>One typed, directed hop from each frontier node: the relationship type and direction are in the
    /// pattern (from the allow-list), so Neo4j expands only relationships of that type and direction; rows are
    /// ordered and cut by <c>LIMIT</c> in the database.</summary>
    private static CypherStatement ExpandStatement(Predicate p, Direction d)
    {
        var type = Vocabulary.RelationshipType(p);
        var pattern = d == Direction.Out ? $"(n:Node {{id: id}})-[r:{type}]->(m:Node)" : $"(n:Node {{id: id}})<-[r:{type}]-(m:Node)";
        return new CypherStatement($"store.expand.{type}.{(d == Direction.Out ? "out" : "in")}",
            $"""
            UNWIND $ids AS id
            MATCH {pattern}
            WHERE r.tier <= $maxTier AND ($effects IS NULL OR r.effectRank IN $effects)
            WITH id, r, m ORDER BY r.id, id LIMIT $limit
            RETURN r.id AS id, id AS near, m.id AS other, m.category AS otherCategory, m.urgency AS otherUrgency,
                   r.tier AS tier, r.effectRank AS effect, r.knowledgeLevel AS knowledgeLevel
            """, "ids", "maxTier", "effects", "limit")
        { Purpose = $"One hop {(d == Direction.Out ? "out along" : "in along")} {type} from each frontier node, filtered by tier and effect, ordered by edge id, at most $limit rows." };
    }

    internal static readonly IReadOnlyDictionary<Predicate, CypherStatement> ExpandOut =
        Vocabulary.Predicates.ToDictionary(p => p, p => ExpandStatement(p, Direction.Out));

    internal static readonly IReadOnlyDictionary<Predicate, CypherStatement> ExpandIn =
        Vocabulary.Predicates.ToDictionary(p => p, p => ExpandStatement(p, Direction.In));

    public async ValueTask<Expansion> ExpandAsync(IReadOnlyCollection<string> frontier, IReadOnlyList<Hop> hops, EdgeFilter filter, int limit, CancellationToken ct)
    {
        var ids = frontier.Distinct().ToArray();
        if (ids.Length == 0 || hops.Count == 0 || limit <= 0) return new Expansion([], false);
        var parameters = new Dictionary<string, object?>
        {
            ["ids"] = ids,
            ["maxTier"] = (int)filter.MinTier,
            ["effects"] = filter.Effects?.Select(e => (int)e).Order().ToArray(),
            ["limit"] = limit + 1,
        };
        // One statement per hop, sent together; each is typed and directed, and its LIMIT bounds what Neo4j returns.
        var results = await Task.WhenAll(hops.Distinct().Select(h =>
            ReadAsync(h.Direction == Direction.Out ? ExpandOut[h.Predicate] : ExpandIn[h.Predicate], parameters, result => HopRows(h, result), ct)));
        var rows = results.SelectMany(r => r).ToList();
        rows.Sort(EdgeRow.Compare);
        var truncated = rows.Count > limit;
        if (truncated) rows.RemoveRange(limit, rows.Count - limit);
        return new Expansion(rows, truncated);
    }

    private static List<EdgeRow> HopRows(Hop hop, CypherResult result)
    {
        var rows = new List<EdgeRow>(result.Rows.Count);
        int id = result.Column("id"), near = result.Column("near"), other = result.Column("other"), cat = result.Column("otherCategory"),
            urg = result.Column("otherUrgency"), tier = result.Column("tier"), effect = result.Column("effect"), kl = result.Column("knowledgeLevel");
        foreach (var row in result.Rows)
        {
            var nearId = Id(row[near]);
            var otherId = Id(row[other]);
            var (subject, obj) = hop.Direction == Direction.Out ? (nearId, otherId) : (otherId, nearId);
            rows.Add(new EdgeRow(Id(row[id]), subject, hop.Predicate, obj, (EvidenceTier)row[tier].GetInt32(), (Effect)row[effect].GetInt32(),
                GraphModel.Parse<KnowledgeLevel>(row[kl]), hop.Direction, GraphModel.Parse<NodeCategory>(row[cat]),
                row[urg].ValueKind == JsonValueKind.String ? GraphModel.Parse<Urgency>(row[urg]) : Urgency.None));
        }
        return rows;
    }

    /// <summary>An id cell: a string, or the row is not one of ours.</summary>
    private static string Id(JsonElement cell) => cell.GetString() ?? throw new Neo4jProtocolException("an id is null");

    /// <summary>Whole-graph edges of one relationship type, filtered, after a key, by id (typed: Neo4j scans only that type).</summary>
    internal static readonly IReadOnlyDictionary<Predicate, CypherStatement> EdgesOfType = Vocabulary.Predicates.ToDictionary(p => p, p =>
        new CypherStatement($"store.edgesOfType.{Vocabulary.RelationshipType(p)}",
            $$"""
            MATCH (a:Node)-[r:{{Vocabulary.RelationshipType(p)}}]->(b:Node)
            WHERE r.id > $after AND r.tier <= $maxTier
              AND ($effects IS NULL OR r.effectRank IN $effects)
              AND ($subjectCategory IS NULL OR a.category = $subjectCategory)
              AND ($objectCategory IS NULL OR b.category = $objectCategory)
              AND ($source IS NULL OR $source IN r.publications)
            WITH r ORDER BY r.id LIMIT $limit
            RETURN {{EdgeProjection}} AS edge
            """, "after", "maxTier", "effects", "subjectCategory", "objectCategory", "source", "limit")
        { Purpose = $"Whole-graph {Vocabulary.RelationshipType(p)} edges filtered by tier, effect, end categories and source, after a key, ordered by id, at most $limit (GET /edges)." });

    public async ValueTask<(IReadOnlyList<Edge> Items, bool More)> ListEdgesAsync(EdgeQuery query, string? afterId, int limit, CancellationToken ct)
    {
        var filter = query.EvidenceFilter;
        var parameters = new Dictionary<string, object?>
        {
            ["after"] = afterId ?? "", // every id sorts after "": one range seek from the key, first page or not
            ["maxTier"] = (int)filter.MinTier,
            ["effects"] = filter.Effects?.Select(e => (int)e).Order().ToArray(),
            ["subjectCategory"] = query.SubjectCategory is { } sc ? Vocabulary.Snake(sc) : null,
            ["objectCategory"] = query.ObjectCategory is { } oc ? Vocabulary.Snake(oc) : null,
            ["source"] = query.Source,
            ["limit"] = limit + 1,
        };
        var predicates = query.Predicate is { } only ? [only] : Vocabulary.Predicates;
        return await WithCatalogAsync(async catalog =>
        {
            var results = await Task.WhenAll(predicates.Select(p =>
                ReadAsync(EdgesOfType[p], parameters, r => r.Rows.Select(row => GraphModel.ToEdge(row[0], catalog.Source)).ToList(), ct)));
            var edges = results.SelectMany(r => r).ToList();
            edges.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            var more = edges.Count > limit;
            if (more) edges.RemoveRange(limit, edges.Count - limit);
            return ((IReadOnlyList<Edge>)edges, more);
        }, ct);
    }

    internal static readonly CypherStatement EdgesByRef = new("store.edgesByRef",
        $$"""
        UNWIND $edges AS e
        MATCH (a:Node {id: e.subject})-[r]->(b:Node {id: e.object})
        WHERE r.id = e.id
        RETURN {{EdgeProjection}} AS edge
        """, "edges")
    { Purpose = "Edges by id, each found from its indexed subject node towards its object (hydration of an answer's edges)." };

    public async ValueTask<IReadOnlyList<Edge>> GetEdgesAsync(IReadOnlyList<EdgeRef> refs, CancellationToken ct)
    {
        if (refs.Count == 0) return [];
        return await WithCatalogAsync(async catalog =>
        {
            var byId = await ReadAsync(EdgesByRef, new()
            {
                ["edges"] = refs.DistinctBy(r => r.Id).Select(r => new Dictionary<string, string> { ["id"] = r.Id, ["subject"] = r.Subject, ["object"] = r.Obj }).ToArray(),
            }, result => result.Rows.Select(r => GraphModel.ToEdge(r[0], catalog.Source)).ToDictionary(e => e.Id, StringComparer.Ordinal), ct);
            var list = new List<Edge>(refs.Count);
            foreach (var r in refs)
                if (byId.TryGetValue(r.Id, out var e)) list.Add(e);
            return (IReadOnlyList<Edge>)list;
        }, ct);
    }

    // ================================================================== plumbing

    private Task<CypherResult> ReadAsync(CypherStatement statement, Dictionary<string, object?> parameters, CancellationToken ct) =>
        runner.RunAsync(statement, parameters, AccessMode.Read, ct);

    /// <summary>Runs a read and maps its rows. Rows that are not what the statement returns (another server or a proxy
    /// answering, a graph the seed command did not write) mean the backend cannot answer (503), not a bug here (500).</summary>
    private async Task<T> ReadAsync<T>(CypherStatement statement, Dictionary<string, object?> parameters, Func<CypherResult, T> map, CancellationToken ct)
    {
        var result = await ReadAsync(statement, parameters, ct);
        try
        {
            return map(result);
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            throw Unreadable(statement.Name, ex);
        }
    }

    /// <summary>What reading a row that is not of the expected shape throws (JSON of another kind, a missing column or
    /// property, an unknown value, a repeated id).</summary>
    private static bool IsUnreadable(Exception ex) =>
        ex is Neo4jProtocolException or InvalidOperationException or FormatException or KeyNotFoundException or IndexOutOfRangeException
            or ArgumentException or Neo4jQueryException { Code: CypherResult.MissingField };

    private static GraphUnavailableException Unreadable(string what, Exception ex) =>
        new($"Neo4j answered '{what}' with rows SpineGraph cannot read ({(ex is Neo4jProtocolException ? ex.Message : "unexpected columns or value types")}); " +
            "is it the graph the seed command wrote?", ex);
}
