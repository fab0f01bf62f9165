using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineGraph.Core;
using SpineGraph.Core.Seed;

namespace SpineGraph.Storage.Neo4j;

/// <summary>What a seeding run did.</summary>
public sealed record SeedReport(
    string Version, long Nodes, long Edges, long Sources,
    long NodesCreated, long NodesDeleted, long RelationshipsCreated, long RelationshipsDeleted, long PropertiesSet);

/// <summary>
/// Writes a validated seed to Neo4j: uniqueness constraints and an index (IF NOT EXISTS, each in its own
/// transaction as Neo4j requires for schema changes), then one explicit transaction that upserts sources,
/// nodes and relationships in batches (<c>UNWIND $rows AS row MERGE …</c>), deletes whatever the seed no
/// longer holds, and writes the version last. Running it twice leaves the same graph; readers see the old
/// graph or the new one, never a mix. A transient failure retries the whole transaction.
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

    internal static readonly CypherStatement UpsertSources = new("seed.sources",
        """
        UNWIND $rows AS row
        MERGE (s:Source {id: row.id})
        SET s = row
        """, "rows")
    { Purpose = "Upserts a batch of sources (all properties replaced)." };

    /// <summary>Per category: upsert the nodes, set that category's label and remove the others (labels from Vocabulary only).</summary>
    internal static readonly IReadOnlyDictionary<NodeCategory, CypherStatement> UpsertNodes = Vocabulary.Categories.ToFrozenDictionary(
        c => c,
        c => new CypherStatement($"seed.nodes.{Vocabulary.Label(c)}",
            $"""
            UNWIND $rows AS row
            MERGE (n:Node {"{"}id: row.id{"}"})
            SET n = row
            SET n:{Vocabulary.Label(c)}
            REMOVE {string.Join(", ", Vocabulary.Categories.Where(o => o != c).Select(o => "n:" + Vocabulary.Label(o)))}
            """, "rows")
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
            SET r = row.props
            """, "rows")
        { Purpose = $"Upserts a batch of {Vocabulary.Snake(p)} relationships (:{Vocabulary.RelationshipType(p)}) keyed by edge id; all properties replaced." });

    internal static readonly CypherStatement PruneEdges = new("seed.prune.edges",
        """
        MATCH (a:Node)-[r]->(b:Node)
        WHERE NOT [r.id, type(r), a.id, b.id] IN $keep
        DELETE r
        """, "keep")
    { Purpose = "Deletes relationships the seed no longer holds (or whose type or ends changed)." };

    internal static readonly CypherStatement PruneNodes = new("seed.prune.nodes",
        "MATCH (n:Node) WHERE NOT n.id IN $ids DETACH DELETE n", "ids")
    { Purpose = "Deletes nodes the seed no longer holds, with their relationships." };

    internal static readonly CypherStatement PruneSources = new("seed.prune.sources",
        "MATCH (s:Source) WHERE NOT s.id IN $ids DELETE s", "ids")
    { Purpose = "Deletes sources the seed no longer holds." };

    internal static readonly CypherStatement WriteMeta = new("seed.meta",
        """
        MERGE (m:SpineGraphMeta {key: 'graph'})
        SET m.version = $version, m.nodeCount = $nodeCount, m.edgeCount = $edgeCount, m.sourceCount = $sourceCount
        """, "version", "nodeCount", "edgeCount", "sourceCount")
    { Purpose = "Writes the graph version and counts (last, in the same transaction)." };

    internal static readonly CypherStatement Counts = new("seed.counts",
        """
        RETURN COUNT { MATCH (n:Node) } AS nodes,
               COUNT { MATCH (:Node)-[r]->(:Node) } AS edges,
               COUNT { MATCH (s:Source) } AS sources
        """)
    { Purpose = "Counts after seeding, printed by the seed command." };

    internal static IEnumerable<CypherStatement> Schema => [NodeIdConstraint, SourceIdConstraint, MetaKeyConstraint, CategoryIndex];

    public async Task<SeedReport> SeedAsync(SeedData data, CancellationToken ct)
    {
        var timeout = _options.SeedTimeout;
        foreach (var s in Schema)
            await runner.RunAsync(s, new Dictionary<string, object?>(), AccessMode.Write, ct, timeout);

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var totals = await WriteAsync(data, timeout, ct);
                var counts = await runner.RunAsync(Counts, new Dictionary<string, object?>(), AccessMode.Read, ct, timeout);
                var row = counts.Rows[0];
                return new SeedReport(data.Version, row[0].GetInt64(), row[1].GetInt64(), row[2].GetInt64(),
                    totals.GetValueOrDefault("nodesCreated"), totals.GetValueOrDefault("nodesDeleted"),
                    totals.GetValueOrDefault("relationshipsCreated"), totals.GetValueOrDefault("relationshipsDeleted"),
                    totals.GetValueOrDefault("propertiesSet"));
            }
            catch (Neo4jQueryException ex) when (ex.IsTransient && attempt < _options.MaxRetries && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Seeding failed with {Code}; retrying the transaction ({Attempt}/{Max})", ex.Code, attempt + 1, _options.MaxRetries);
                await Task.Delay(_options.RetryBaseDelay * (attempt + 1), ct);
            }
        }
    }

    private async Task<Dictionary<string, long>> WriteAsync(SeedData data, TimeSpan timeout, CancellationToken ct)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var tx = await runner.BeginAsync(ct, timeout);

        async Task Run(CypherStatement s, Dictionary<string, object?> parameters)
        {
            var r = await tx.RunAsync(s, parameters, ct);
            foreach (var (k, v) in r.Counters) totals[k] = totals.GetValueOrDefault(k) + v;
        }

        async Task Batches<T>(CypherStatement s, IEnumerable<T> items, Func<T, object> row)
        {
            foreach (var chunk in items.Chunk(_options.SeedBatchSize))
                await Run(s, new() { ["rows"] = chunk.Select(row).ToArray() });
        }

        await Batches(UpsertSources, data.Sources, s => GraphModel.SourceProps(s));
        foreach (var c in Vocabulary.Categories)
            await Batches(UpsertNodes[c], data.Nodes.Where(n => n.Category == c), n => GraphModel.NodeProps(n));
        await Run(PruneEdges, new()
        {
            ["keep"] = data.Edges.Select(e => new[] { e.Id, Vocabulary.RelationshipType(e.Predicate), e.Subject, e.Object }).ToArray(),
        });
        await Run(PruneNodes, new() { ["ids"] = data.Nodes.Select(n => n.Id).ToArray() });
        await Run(PruneSources, new() { ["ids"] = data.Sources.Select(s => s.Id).ToArray() });
        foreach (var p in Vocabulary.Predicates)
            await Batches(UpsertEdges[p], data.Edges.Where(e => e.Predicate == p), e => new Dictionary<string, object?>
            {
                ["id"] = e.Id,
                ["subject"] = e.Subject,
                ["object"] = e.Object,
                ["props"] = GraphModel.EdgeProps(e),
            });
        await Run(WriteMeta, new()
        {
            ["version"] = data.Version,
            ["nodeCount"] = data.Nodes.Count,
            ["edgeCount"] = data.Edges.Count,
            ["sourceCount"] = data.Sources.Count,
        });
        await tx.CommitAsync(ct);
        return totals;
    }
}
