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

    internal static readonly CypherStatement MetaNode = new("store.meta",
        """
        MATCH (m:SpineGraphMeta {key: 'graph'})
        RETURN m.version AS version, m.nodeCount AS nodes, m.edgeCount AS edges, m.sourceCount AS sources, m.catalog AS catalog
        """)
    { Purpose = "The counts the seeder wrote with the graph version (graph meta), read instead of counting the graph." };

    internal static readonly CypherStatement SourcePage = new("store.sources",
        """
        MATCH (s:Source) WHERE s.id > $after
        RETURN properties(s) AS source
        ORDER BY s.id LIMIT $limit
        """, "after", "limit")
    { Purpose = "One page of sources by id (keyset on the unique id index), cached per graph version to resolve the publications of edges." };

    internal static readonly CypherStatement LexiconPage = new("store.lexicon",
        """
        MATCH (n:Node) WHERE n.id > $after
        RETURN n.id AS id, n.category AS category, n.name AS name, n.synonyms AS synonyms, n.layTerms AS layTerms
        ORDER BY n.id LIMIT $limit
        """, "after", "limit")
    { Purpose = "One page of the search lexicon (ids, names, synonyms, lay terms) by id, loaded per graph version into an in-memory SearchIndex." };

    /// <summary>Rows per page when the catalog reads sources and the lexicon.</summary>
    internal const int CatalogPage = 5_000;

    private async Task<string?> ReadVersionAsync(CancellationToken ct)
    {
        var version = await ReadAsync(Version, [], result => result.Rows.Count == 0 ? null : result.Rows[0][0].GetString() ?? throw new Neo4jProtocolException("the graph version is null"), ct);
        _failure = null; // Neo4j answers again
        return version;
    }

    /// <summary>How long a failure to read the catalog is given at once to whoever asks next, rather than asking Neo4j
    /// again: a request asks twice (its ETag, then its answer), and requests queue behind one that waits on a hung Neo4j,
    /// so without it each would wait out its own timeout in turn. Any version read that succeeds (a health check) ends it.</summary>
    internal static readonly TimeSpan FailureMemo = TimeSpan.FromSeconds(1);

    private sealed record Failure(GraphUnavailableException Error, long At);

    private volatile Failure? _failure;

    private void ThrowIfJustFailed()
    {
        if (_failure is { } f && _time.GetElapsedTime(f.At) < FailureMemo)
            throw new GraphUnavailableException(f.Error.Message, f.Error, f.Error.RetryAfter);
    }

    /// <summary>Whether the failure is the one remembered, given again (it must not restart the memo or wrap itself).</summary>
    private bool IsReplay(GraphUnavailableException ex) => _failure is { } f && ReferenceEquals(ex.InnerException, f.Error);

    /// <summary>The catalog of the current graph version; checks the version at most once per refresh interval.</summary>
    private async ValueTask<Catalog> CatalogAsync(CancellationToken ct, bool force = false)
    {
        var c = _catalog;
        if (c is not null && !force && _time.GetElapsedTime(c.CheckedAt) < _refresh) return c;
        ThrowIfJustFailed();
        await _catalogLock.WaitAsync(ct);
        try
        {
            c = _catalog;
            if (c is not null && !force && _time.GetElapsedTime(c.CheckedAt) < _refresh) return c;
            ThrowIfJustFailed();
            return await RefreshAsync(c, ct);
        }
        catch (GraphUnavailableException ex) when (!ct.IsCancellationRequested && !IsReplay(ex))
        {
            _failure = new Failure(ex, _time.GetTimestamp());
            throw;
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    /// <summary>The catalog of the graph version Neo4j holds now: <paramref name="c"/> if it is that version, else loaded.</summary>
    private async Task<Catalog> RefreshAsync(Catalog? c, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var version = await ReadVersionAsync(ct) ?? throw new GraphUnavailableException(
                "Neo4j holds no SpineGraph graph (no :SpineGraphMeta node); run the seed command.");
            if (c is not null && c.Version == version)
            {
                c.CheckedAt = _time.GetTimestamp();
                return c;
            }
            Catalog loaded;
            try
            {
                loaded = await LoadCatalogAsync(version, ct);
            }
            catch (Exception ex) when (IsUnreadable(ex))
            {
                throw Unreadable("the catalog", ex);
            }
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

    private async Task<Catalog> LoadCatalogAsync(string version, CancellationToken ct)
    {
        var m = await ReadAsync(MetaNode, [], ct);
        if (m.Rows.Count == 0 || m.Rows[0][4].ValueKind != System.Text.Json.JsonValueKind.String)
            throw new GraphUnavailableException("The graph in Neo4j was written by an older seeder (its meta node has no catalog); run the seed command again.");
        var row = m.Rows[0];
        GraphMeta meta;
        try
        {
            meta = GraphCatalog.Parse(row[4].GetString()!, version, row[1].GetInt32(), row[2].GetInt32(), row[3].GetInt32());
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new Neo4jProtocolException($"The graph's meta node holds an unreadable catalog ({ex.Message}); run the seed command again.", ex);
        }

        var sources = new Dictionary<string, Source>(StringComparer.Ordinal);
        await foreach (var r in PagesAsync(SourcePage, ct))
        {
            var source = GraphModel.ToSource(r[0]);
            sources[source.Id] = source;
        }

        var lexicon = new List<Node>(meta.NodeCount);
        await foreach (var r in PagesAsync(LexiconPage, ct))
            lexicon.Add(new Node(
                r[0].GetString()!,
                Vocabulary.TryParse<NodeCategory>(r[1].GetString(), out var cat) ? cat : throw new Neo4jProtocolException($"node '{r[0]}' has no known category"),
                r[2].GetString() ?? "",
                "",
                [.. r[3].ValueKind == System.Text.Json.JsonValueKind.Array ? r[3].EnumerateArray().Select(x => x.GetString()!) : []],
                [.. r[4].ValueKind == System.Text.Json.JsonValueKind.Array ? r[4].EnumerateArray().Select(x => x.GetString()!) : []],
                [], null, Urgency.None, null));

        return new Catalog(version, meta, sources.ToFrozenDictionary(StringComparer.Ordinal), [.. lexicon], _time.GetTimestamp());
    }

    /// <summary>Every row of a keyset-paged statement (<c>$after</c>, <c>$limit</c>, ordered by id in column 0's id).</summary>
    private async IAsyncEnumerable<System.Text.Json.JsonElement[]> PagesAsync(CypherStatement statement, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var after = "";
        while (true)
        {
            var page = await ReadAsync(statement, new Dictionary<string, object?> { ["after"] = after, ["limit"] = CatalogPage }, ct);
            foreach (var r in page.Rows) yield return r;
            if (page.Rows.Count < CatalogPage) yield break;
            var last = page.Rows[^1][0];
            after = last.ValueKind == System.Text.Json.JsonValueKind.String ? last.GetString()! : last.GetProperty("id").GetString()!;
        }
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
