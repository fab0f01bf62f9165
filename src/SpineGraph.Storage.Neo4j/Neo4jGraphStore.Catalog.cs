using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using SpineGraph.Core;

namespace SpineGraph.Storage.Neo4j;

public sealed partial class Neo4jGraphStore
{
    /// <summary>What the store keeps per graph version: counts, sources, and the search lexicon.</summary>
    private sealed class Catalog(string version, GraphMeta meta, FrozenDictionary<string, Source> sources, Node[] lexicon, long checkedAt)
    {
        public string Version { get; } = version;
        public GraphMeta Meta { get; } = meta;
        public FrozenDictionary<string, Source> Sources { get; } = sources;

        /// <summary>Light nodes (id, category, name, synonyms, lay terms), ordered by id.</summary>
        public Node[] Lexicon { get; } = lexicon;
        public long CheckedAt { get; set; } = checkedAt;

        public Source Source(string id) =>
            Sources.TryGetValue(id, out var s) ? s : throw new MissingSourceException(id);
    }

    private sealed class MissingSourceException(string id) : Exception($"Source '{id}' is not in the catalog.");

    private volatile Catalog? _catalog;
    private readonly SemaphoreSlim _catalogLock = new(1, 1);

    internal static readonly CypherStatement Version = new("store.version",
        "MATCH (m:SpineGraphMeta {key: 'graph'}) RETURN m.version AS version")
    { Purpose = "The graph version the seeder wrote last (health check; the store reloads its catalog when it changes)." };

    internal static readonly CypherStatement CategoryCounts = new("store.categoryCounts",
        "MATCH (n:Node) RETURN n.category AS category, count(*) AS count")
    { Purpose = "Nodes per category (graph meta)." };

    internal static readonly CypherStatement EdgeCounts = new("store.edgeCounts",
        """
        MATCH (a:Node)-[r]->(b:Node)
        RETURN a.category AS subject, type(r) AS type, b.category AS object, r.tier AS tier, count(*) AS count
        """)
    { Purpose = "Edges per (subject category, type, object category, tier) (graph meta: triples and tiers)." };

    internal static readonly CypherStatement AllSources = new("store.sources",
        "MATCH (s:Source) RETURN properties(s) AS source")
    { Purpose = "Every source, cached per graph version to resolve the publications of edges." };

    internal static readonly CypherStatement Lexicon = new("store.lexicon",
        "MATCH (n:Node) RETURN n.id AS id, n.category AS category, n.name AS name, n.synonyms AS synonyms, n.layTerms AS layTerms")
    { Purpose = "The search lexicon (ids, names, synonyms, lay terms), loaded per graph version into an in-memory SearchIndex." };

    private async Task<string?> ReadVersionAsync(CancellationToken ct)
    {
        var result = await ReadAsync(Version, [], ct);
        return result.Rows.Count == 0 ? null : result.Rows[0][0].GetString();
    }

    /// <summary>The catalog of the current graph version; checks the version at most once per refresh interval.</summary>
    private async ValueTask<Catalog> CatalogAsync(CancellationToken ct, bool force = false)
    {
        var c = _catalog;
        if (c is not null && !force && _time.GetElapsedTime(c.CheckedAt) < _refresh) return c;
        await _catalogLock.WaitAsync(ct);
        try
        {
            c = _catalog;
            if (c is not null && !force && _time.GetElapsedTime(c.CheckedAt) < _refresh) return c;
            for (var attempt = 0; ; attempt++)
            {
                var version = await ReadVersionAsync(ct) ?? throw new GraphUnavailableException(
                    $"Neo4j at {runner.Target} holds no SpineGraph graph (no :SpineGraphMeta node); run the seed command.");
                if (c is not null && c.Version == version)
                {
                    c.CheckedAt = _time.GetTimestamp();
                    return c;
                }
                var loaded = await LoadCatalogAsync(version, ct);
                // The seeder writes everything in one transaction; if the version moved while we read, read again.
                if (await ReadVersionAsync(ct) == version || attempt >= 2)
                {
                    logger.LogInformation("Loaded Neo4j graph {Version}: {Nodes} nodes, {Edges} edges, {Sources} sources",
                        version, loaded.Meta.NodeCount, loaded.Meta.EdgeCount, loaded.Meta.SourceCount);
                    _catalog = loaded;
                    return loaded;
                }
            }
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    private async Task<Catalog> LoadCatalogAsync(string version, CancellationToken ct)
    {
        var cats = await ReadAsync(CategoryCounts, [], ct);
        var byCategory = new Dictionary<NodeCategory, int>();
        foreach (var row in cats.Rows)
            if (Vocabulary.TryParse<NodeCategory>(row[0].GetString(), out var c)) byCategory[c] = row[1].GetInt32();

        var edges = await ReadAsync(EdgeCounts, [], ct);
        var triples = new Dictionary<(NodeCategory, Predicate, NodeCategory), int>();
        var tiers = new Dictionary<int, int>();
        foreach (var row in edges.Rows)
        {
            if (!Vocabulary.TryParse<NodeCategory>(row[0].GetString(), out var s) || !GraphModel.TryPredicate(row[1].GetString() ?? "", out var p)
                || !Vocabulary.TryParse<NodeCategory>(row[2].GetString(), out var o)) continue;
            var n = row[4].GetInt32();
            triples[(s, p, o)] = triples.GetValueOrDefault((s, p, o)) + n;
            var tier = row[3].GetInt32();
            tiers[tier] = tiers.GetValueOrDefault(tier) + n;
        }

        var sources = await ReadAsync(AllSources, [], ct);
        var sourceMap = sources.Rows.Select(r => GraphModel.ToSource(r[0])).ToFrozenDictionary(s => s.Id, StringComparer.Ordinal);

        var lex = await ReadAsync(Lexicon, [], ct);
        var lexicon = lex.Rows.Select(r => new Node(
                r[0].GetString()!,
                Vocabulary.TryParse<NodeCategory>(r[1].GetString(), out var cat) ? cat : throw new Neo4jProtocolException($"node '{r[0]}' has no known category"),
                r[2].GetString() ?? "",
                "",
                [.. r[3].ValueKind == System.Text.Json.JsonValueKind.Array ? r[3].EnumerateArray().Select(x => x.GetString()!) : []],
                [.. r[4].ValueKind == System.Text.Json.JsonValueKind.Array ? r[4].EnumerateArray().Select(x => x.GetString()!) : []],
                [], null, Urgency.None, null))
            .OrderBy(n => n.Id, StringComparer.Ordinal)
            .ToArray();

        var meta = new GraphMeta(
            version,
            byCategory.Values.Sum(),
            triples.Values.Sum(),
            Vocabulary.Categories.Select(c => new CategoryCount(c, byCategory.GetValueOrDefault(c))).ToArray(),
            triples.OrderBy(t => t.Key.Item1).ThenBy(t => t.Key.Item2).ThenBy(t => t.Key.Item3)
                .Select(t => new TripleCount(t.Key.Item1, t.Key.Item2, t.Key.Item3, t.Value)).ToArray(),
            Enum.GetValues<EvidenceTier>().Select(t => new TierCount(t, tiers.GetValueOrDefault((int)t))).ToArray(),
            sourceMap.Count);
        return new Catalog(version, meta, sourceMap, lexicon, _time.GetTimestamp());
    }

    /// <summary>Runs a read that maps edges with the catalog's sources; if an edge cites a source the catalog
    /// lacks (the graph was reseeded since the catalog was loaded), reloads the catalog and runs it once more.</summary>
    private async Task<T> WithCatalogAsync<T>(Func<Catalog, Task<T>> body, CancellationToken ct)
    {
        var catalog = await CatalogAsync(ct);
        try
        {
            return await body(catalog);
        }
        catch (MissingSourceException)
        {
            catalog = await CatalogAsync(ct, force: true);
            try
            {
                return await body(catalog);
            }
            catch (MissingSourceException ex)
            {
                throw new Neo4jProtocolException($"An edge cites a source that is not in the graph ({ex.Message}); reseed the graph.", ex);
            }
        }
    }
}
