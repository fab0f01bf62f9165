using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineGraph.Core;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;

namespace SpineGraph.Storage.Neo4j;

/// <summary>What a seeding run did.</summary>
public sealed record SeedReport(
    string Version, long Nodes, long Edges, long Sources,
    long NodesCreated, long NodesDeleted, long RelationshipsCreated, long RelationshipsDeleted, long PropertiesSet);

/// <summary>
/// Writes a validated seed to Neo4j in bounded, auto-commit batches, so it works the same on a single instance, a
/// cluster and Aura: uniqueness constraints and indexes first (IF NOT EXISTS), then sources, nodes and relationships
/// upserted in batches (<c>UNWIND $rows AS row MERGE …</c>), each item stamped with this load's <c>seedStamp</c>
/// (a number larger than any earlier load's), then whatever carries an older stamp is deleted, a batch at a time
/// (found through the stamp indexes), and last the meta node switches the graph version and holds the catalog
/// (counts per category, per triple and per tier). Readers keep the old version until that last write. Running it
/// twice leaves the same graph. Memory is the batch, not the graph; a failed batch is retried alone (upserts are
/// idempotent), and a failed load leaves the previous version in place until the next run completes.
/// </summary>
public sealed class Neo4jSeeder(ICypherRunner runner, IOptions<Neo4jOptions> options, ILogger<Neo4jSeeder> logger)
{
    private readonly Neo4jOptions _options = options.Value;

    internal static readonly CypherStatement NodeIdConstraint = new("seed.constraint.nodeId",
        "CREATE CONSTRAINT spinegraph_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE")
    { Purpose = "Node ids are unique (and indexed: every lookup by id uses it)." };

    internal static readonly CypherStatement SourceIdConstraint = new("seed.constraint.sourceId",
        "CREATE CONSTRAINT spinegraph_source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE")
    { Purpose = "Source ids are unique." };

    internal static readonly CypherStatement MetaKeyConstraint = new("seed.constraint.metaKey",
        "CREATE CONSTRAINT spinegraph_meta_key IF NOT EXISTS FOR (m:SpineGraphMeta) REQUIRE m.key IS UNIQUE")
    { Purpose = "At most one graph meta node." };

    internal static readonly CypherStatement CategoryIndex = new("seed.index.nodeCategory",
        "CREATE INDEX spinegraph_node_category IF NOT EXISTS FOR (n:Node) ON (n.category)")
    { Purpose = "Index for node pages of one category." };

    internal static readonly CypherStatement NodeStampIndex = new("seed.index.nodeStamp",
        "CREATE INDEX spinegraph_node_stamp IF NOT EXISTS FOR (n:Node) ON (n.seedStamp)")
    { Purpose = "Finds the nodes an earlier load left (seedStamp < this load's) without a scan." };

    internal static readonly CypherStatement SourceStampIndex = new("seed.index.sourceStamp",
        "CREATE INDEX spinegraph_source_stamp IF NOT EXISTS FOR (s:Source) ON (s.seedStamp)")
    { Purpose = "Finds the sources an earlier load left." };

    /// <summary>Per relationship type: a range index on the stamp, so the prune seeks instead of scanning.</summary>
    internal static readonly IReadOnlyDictionary<Predicate, CypherStatement> EdgeStampIndexes = Vocabulary.Predicates.ToFrozenDictionary(
        p => p,
        p => new CypherStatement($"seed.index.stamp.{Vocabulary.RelationshipType(p)}",
            $"CREATE INDEX spinegraph_{Vocabulary.RelationshipType(p).ToLowerInvariant()}_stamp IF NOT EXISTS FOR ()-[r:{Vocabulary.RelationshipType(p)}]-() ON (r.seedStamp)")
        { Purpose = $"Finds the :{Vocabulary.RelationshipType(p)} relationships an earlier load left (relationship property index)." });

    internal static readonly CypherStatement UpsertSources = new("seed.sources",
        """
        UNWIND $rows AS row
        MERGE (s:Source {id: row.id})
        SET s = row, s.seedStamp = $stamp
        """, "rows", "stamp")
    { Purpose = "Upserts a batch of sources (all properties replaced)." };

    /// <summary>Per category: upsert the nodes, set that category's label and remove the others (labels from Vocabulary only).</summary>
    internal static readonly IReadOnlyDictionary<NodeCategory, CypherStatement> UpsertNodes = Vocabulary.Categories.ToFrozenDictionary(
        c => c,
        c => new CypherStatement($"seed.nodes.{Vocabulary.Label(c)}",
            $"""
            UNWIND $rows AS row
            MERGE (n:Node {"{"}id: row.id{"}"})
            SET n = row, n.seedStamp = $stamp
            SET n:{Vocabulary.Label(c)}
            REMOVE {string.Join(", ", Vocabulary.Categories.Where(o => o != c).Select(o => "n:" + Vocabulary.Label(o)))}
            """, "rows", "stamp")
        { Purpose = $"Upserts a batch of {Vocabulary.Snake(c)} nodes: all properties replaced, label :{Vocabulary.Label(c)} set, other category labels removed." });

    /// <summary>Per predicate: upsert the relationships of that type between existing nodes, keyed by edge id.</summary>
    internal static readonly IReadOnlyDictionary<Predicate, CypherStatement> UpsertEdges = Vocabulary.Predicates.ToFrozenDictionary(
        p => p,
        p => new CypherStatement($"seed.edges.{Vocabulary.RelationshipType(p)}",
            $"""
            UNWIND $rows AS row
            MATCH (a:Node {"{"}id: row.subject{"}"})
            MATCH (b:Node {"{"}id: row.object{"}"})
            MERGE (a)-[r:{Vocabulary.RelationshipType(p)} {"{"}id: row.id{"}"}]->(b)
            SET r = row.props, r.seedStamp = $stamp
            """, "rows", "stamp")
        { Purpose = $"Upserts a batch of {Vocabulary.Snake(p)} relationships (:{Vocabulary.RelationshipType(p)}) keyed by edge id; all properties replaced." });

    /// <summary>Per relationship type: deletes up to a batch of relationships an earlier load left (older stamp).</summary>
    internal static readonly IReadOnlyDictionary<Predicate, CypherStatement> PruneEdges = Vocabulary.Predicates.ToFrozenDictionary(
        p => p,
        p => new CypherStatement($"seed.prune.{Vocabulary.RelationshipType(p)}",
            $"""
            MATCH ()-[r:{Vocabulary.RelationshipType(p)}]->()
            WHERE r.seedStamp < $stamp OR r.seedStamp IS NULL
            WITH r LIMIT $batch
            DELETE r
            RETURN count(*) AS deleted
            """, "stamp", "batch")
        { Purpose = $"Deletes a batch of :{Vocabulary.RelationshipType(p)} relationships the seed no longer holds (or whose type or ends changed)." });

    internal static readonly CypherStatement PruneNodes = new("seed.prune.nodes",
        """
        MATCH (n:Node)
        WHERE n.seedStamp < $stamp OR n.seedStamp IS NULL
        WITH n LIMIT $batch
        DETACH DELETE n
        RETURN count(*) AS deleted
        """, "stamp", "batch")
    { Purpose = "Deletes a batch of nodes the seed no longer holds, with their relationships." };

    internal static readonly CypherStatement PruneSources = new("seed.prune.sources",
        """
        MATCH (s:Source)
        WHERE s.seedStamp < $stamp OR s.seedStamp IS NULL
        WITH s LIMIT $batch
        DELETE s
        RETURN count(*) AS deleted
        """, "stamp", "batch")
    { Purpose = "Deletes a batch of sources the seed no longer holds." };

    internal static readonly CypherStatement PreviousStamp = new("seed.previousStamp",
        "MATCH (m:SpineGraphMeta {key: 'graph'}) RETURN m.seedStamp AS stamp")
    { Purpose = "The stamp of the last completed load (this load's must be larger)." };

    internal static readonly CypherStatement WriteMeta = new("seed.meta",
        """
        MERGE (m:SpineGraphMeta {key: 'graph'})
        SET m.version = $version, m.seedStamp = $stamp, m.nodeCount = $nodeCount, m.edgeCount = $edgeCount,
            m.sourceCount = $sourceCount, m.catalog = $catalog
        """, "version", "stamp", "nodeCount", "edgeCount", "sourceCount", "catalog")
    { Purpose = "Switches the graph version, last, once everything is written and pruned; holds the counts (the catalog)." };

    internal static readonly CypherStatement Counts = new("seed.counts",
        """
        RETURN COUNT { MATCH (n:Node) } AS nodes,
               COUNT { MATCH (:Node)-[r]->(:Node) } AS edges,
               COUNT { MATCH (s:Source) } AS sources
        """)
    { Purpose = "Counts after seeding, printed by the seed command." };

    /// <summary>Per relationship type: a range index on the edge id, so whole-graph edge pages (<c>r.id > $after ORDER BY
    /// r.id LIMIT $limit</c>) seek from the key in index order and stop at the limit instead of scanning the type.</summary>
    internal static readonly IReadOnlyDictionary<Predicate, CypherStatement> EdgeIdIndexes = Vocabulary.Predicates.ToFrozenDictionary(
        p => p,
        p => new CypherStatement($"seed.index.id.{Vocabulary.RelationshipType(p)}",
            $"CREATE INDEX spinegraph_{Vocabulary.RelationshipType(p).ToLowerInvariant()}_id IF NOT EXISTS FOR ()-[r:{Vocabulary.RelationshipType(p)}]-() ON (r.id)")
        { Purpose = $"Keyset pages of :{Vocabulary.RelationshipType(p)} relationships by id (relationship property index)." });

    internal static IEnumerable<CypherStatement> Schema =>
        [NodeIdConstraint, SourceIdConstraint, MetaKeyConstraint, CategoryIndex, NodeStampIndex, SourceStampIndex, .. EdgeStampIndexes.Values, .. EdgeIdIndexes.Values];

    public Task<SeedReport> SeedAsync(SeedData data, CancellationToken ct) =>
        SeedAsync(new EmbeddedGraph(data).Meta, data.Sources, data.Nodes, data.Edges, ct);

    /// <summary>Writes a validated seed given as streams (each read once) with its meta (version and counts), computed
    /// when it was validated: the embedded graph's meta, so both backends report the same counts.</summary>
    public async Task<SeedReport> SeedAsync(GraphMeta meta, IEnumerable<Source> sources, IEnumerable<Node> nodes,
        IEnumerable<Edge> edges, CancellationToken ct)
    {
        var timeout = _options.SeedTimeout;
        foreach (var s in Schema)
            await RunAsync(s, [], ct);

        // Larger than the last completed load's stamp, even if this machine's clock is behind.
        var previous = await runner.RunAsync(PreviousStamp, new Dictionary<string, object?>(), AccessMode.Read, ct, timeout);
        var last = previous.Rows.Count > 0 && previous.Rows[0][0].ValueKind == System.Text.Json.JsonValueKind.Number ? previous.Rows[0][0].GetInt64() : 0;
        // Milliseconds since 1970: exact as a JSON number even in JavaScript (below 2^53), unlike .NET ticks.
        var stamp = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), last + 1);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);

        async Task Flush(CypherStatement statement, List<object> rows)
        {
            if (rows.Count == 0) return;
            var r = await RunAsync(statement, new() { ["rows"] = rows.ToArray(), ["stamp"] = stamp }, ct);
            foreach (var (k, v) in r.Counters) totals[k] = totals.GetValueOrDefault(k) + v;
            rows.Clear();
        }

        var batch = _options.SeedBatchSize;
        var sourceRows = new List<object>(batch);
        foreach (var s in sources)
        {
            sourceRows.Add(GraphModel.SourceProps(s));
            if (sourceRows.Count == batch) await Flush(UpsertSources, sourceRows);
        }
        await Flush(UpsertSources, sourceRows);

        var nodeRows = Vocabulary.Categories.ToDictionary(c => c, _ => new List<object>(batch));
        foreach (var n in nodes)
        {
            var rows = nodeRows[n.Category];
            rows.Add(GraphModel.NodeProps(n));
            if (rows.Count == batch) await Flush(UpsertNodes[n.Category], rows);
        }
        foreach (var (c, rows) in nodeRows) await Flush(UpsertNodes[c], rows);

        var edgeRows = Vocabulary.Predicates.ToDictionary(p => p, _ => new List<object>(batch));
        foreach (var e in edges)
        {
            var rows = edgeRows[e.Predicate];
            rows.Add(new Dictionary<string, object?> { ["id"] = e.Id, ["subject"] = e.Subject, ["object"] = e.Object, ["props"] = GraphModel.EdgeProps(e) });
            if (rows.Count == batch) await Flush(UpsertEdges[e.Predicate], rows);
        }
        foreach (var (p, rows) in edgeRows) await Flush(UpsertEdges[p], rows);

        // What an earlier load left: relationships first (a node's relationships go with it anyway), then nodes, sources.
        foreach (var p in Vocabulary.Predicates) await PruneAsync(PruneEdges[p], "relationshipsDeleted");
        await PruneAsync(PruneNodes, "nodesDeleted");
        await PruneAsync(PruneSources, "nodesDeleted");

        await RunAsync(WriteMeta, new()
        {
            ["version"] = meta.Version,
            ["stamp"] = stamp,
            ["nodeCount"] = meta.NodeCount,
            ["edgeCount"] = meta.EdgeCount,
            ["sourceCount"] = meta.SourceCount,
            ["catalog"] = GraphCatalog.ToJson(meta),
        }, ct);

        var counts = await runner.RunAsync(Counts, new Dictionary<string, object?>(), AccessMode.Read, ct, timeout);
        var row = counts.Rows[0];
        return new SeedReport(meta.Version, row[0].GetInt64(), row[1].GetInt64(), row[2].GetInt64(),
            totals.GetValueOrDefault("nodesCreated"), totals.GetValueOrDefault("nodesDeleted"),
            totals.GetValueOrDefault("relationshipsCreated"), totals.GetValueOrDefault("relationshipsDeleted"),
            totals.GetValueOrDefault("propertiesSet"));

        async Task PruneAsync(CypherStatement statement, string counter)
        {
            while (true)
            {
                var r = await RunAsync(statement, new() { ["stamp"] = stamp, ["batch"] = batch }, ct);
                foreach (var (k, v) in r.Counters) totals[k] = totals.GetValueOrDefault(k) + v;
                var deleted = r.Rows.Count == 0 ? 0 : r.Rows[0][0].GetInt64();
                if (deleted < batch) return;
            }
        }
    }

    /// <summary>One auto-commit statement; a transient failure retries that statement alone (every write is idempotent).</summary>
    private async Task<CypherResult> RunAsync(CypherStatement statement, Dictionary<string, object?> parameters, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await runner.RunAsync(statement, parameters, AccessMode.Write, ct, _options.SeedTimeout);
            }
            catch (Neo4jQueryException ex) when (ex.IsTransient && attempt < _options.MaxRetries && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Seed statement {Statement} failed with {Code}; retrying it ({Attempt}/{Max})", statement.Name, ex.Code, attempt + 1, _options.MaxRetries);
                await Task.Delay(_options.RetryBaseDelay * (attempt + 1), ct);
            }
        }
    }
}
