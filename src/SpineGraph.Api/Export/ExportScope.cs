using System.Runtime.CompilerServices;
using SpineGraph.Core;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Export;

/// <summary>The file formats of <c>GET /api/v1/export</c>: wire name, media type and file extension.</summary>
public enum ExportFormat { KgxJsonl, KgxTsv, GraphMl, Cytoscape, Csv }

public static class ExportFormats
{
    public static readonly IReadOnlyList<string> Names = ["kgx-jsonl", "kgx-tsv", "graphml", "cytoscape", "csv"];

    public const string Zip = "application/zip";
    public const string GraphMl = "application/graphml+xml";
    public const string Json = "application/json";
    public const string Csv = "text/csv";

    /// <summary>Every media type the export answers with, for the OpenAPI document.</summary>
    public static readonly IReadOnlyList<string> MediaTypes = [Zip, GraphMl, Json, Csv];

    public static ExportFormat? Parse(string name)
    {
        var i = Names.ToList().FindIndex(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : (ExportFormat)i;
    }

    public static string ContentType(ExportFormat f) => f switch
    {
        ExportFormat.KgxJsonl or ExportFormat.KgxTsv => Zip,
        ExportFormat.GraphMl => GraphMl + "; charset=utf-8",
        ExportFormat.Cytoscape => Json + "; charset=utf-8",
        _ => Csv + "; charset=utf-8; header=present",
    };

    public static string Extension(ExportFormat f) => f switch
    {
        ExportFormat.KgxJsonl => "kgx-jsonl.zip",
        ExportFormat.KgxTsv => "kgx-tsv.zip",
        ExportFormat.GraphMl => "graphml",
        ExportFormat.Cytoscape => "cyjs",
        _ => "csv",
    };

    /// <summary><c>spinegraph-&lt;first 12 hex digits of the graph version&gt;.&lt;ext&gt;</c>: ASCII letters, digits, '-' and '.' only.</summary>
    public static string FileName(string version, ExportFormat f)
    {
        var hex = new string(version[(version.LastIndexOf(':') + 1)..].Where(char.IsAsciiLetterOrDigit).Take(12).ToArray()).ToLowerInvariant();
        return $"spinegraph-{(hex.Length == 0 ? "graph" : hex)}.{Extension(f)}";
    }
}

/// <summary>One page of edges with the nodes at their ends (for names) and their sources.</summary>
public sealed record EdgePage(IReadOnlyList<Edge> Edges, IReadOnlyDictionary<string, Node> Nodes);

/// <summary>
/// What an export holds, read page by page: the whole graph (nodes by id, then edges by id, in keyset pages from the
/// store, so memory follows the page size, not the graph) or a neighbourhood (an answer of the subgraph traversal,
/// already bounded). <see cref="MinTier"/> filters edges; every node of the scope is kept.
/// </summary>
public sealed class ExportScope
{
    /// <summary>Nodes and edges read from the store per page of a whole-graph export.</summary>
    public const int PageSize = 1000;

    private readonly Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<Node>>> _nodes;
    private readonly Func<CancellationToken, IAsyncEnumerable<EdgePage>> _edges;

    private ExportScope(string version, IReadOnlyList<string>? ids, int? depth, EvidenceTier minTier, bool truncated,
        Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<Node>>> nodes, Func<CancellationToken, IAsyncEnumerable<EdgePage>> edges)
    {
        Version = version;
        Ids = ids;
        Depth = depth;
        MinTier = minTier;
        Truncated = truncated;
        _nodes = nodes;
        _edges = edges;
    }

    public string Version { get; }

    /// <summary>The resolved ids of a neighbourhood export; null for the whole graph.</summary>
    public IReadOnlyList<string>? Ids { get; }

    public int? Depth { get; }
    public EvidenceTier MinTier { get; }

    /// <summary>The neighbourhood hit its node cap (as <c>/subgraph</c> says <c>truncated</c>).</summary>
    public bool Truncated { get; }

    public IAsyncEnumerable<IReadOnlyList<Node>> NodePagesAsync(CancellationToken ct) => _nodes(ct);

    public IAsyncEnumerable<EdgePage> EdgePagesAsync(CancellationToken ct) => _edges(ct);

    public static ExportScope Whole(GraphEngine engine, string version, EvidenceTier minTier) =>
        new(version, null, null, minTier, false, ct => WholeNodesAsync(engine, ct), ct => WholeEdgesAsync(engine, minTier, ct));

    public static ExportScope Neighbourhood(SubgraphAnswer a, string version, IReadOnlyList<string> ids, int depth, EvidenceTier minTier)
    {
        IReadOnlyList<Node> nodes = a.Nodes.Select(id => a.Graph.Nodes[id]).ToArray();
        var page = new EdgePage(a.Edges.Select(id => a.Graph.Edges[id]).ToArray(), a.Graph.Nodes);
        return new(version, ids, depth, minTier, a.Truncated, _ => One(nodes), _ => One(page));
    }

    private static async IAsyncEnumerable<T> One<T>(T item)
    {
        await Task.CompletedTask;
        yield return item;
    }

    private static async IAsyncEnumerable<IReadOnlyList<Node>> WholeNodesAsync(GraphEngine engine, [EnumeratorCancellation] CancellationToken ct)
    {
        for (string? after = null; ;)
        {
            var slice = await engine.ListNodesAsync(null, after, PageSize, ct);
            if (slice.Items.Count > 0) yield return slice.Items;
            if (slice.Items.Count < PageSize) yield break;
            after = slice.Items[^1].Id;
        }
    }

    private static async IAsyncEnumerable<EdgePage> WholeEdgesAsync(GraphEngine engine, EvidenceTier minTier, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = new EdgeQuery(Filter: new EdgeFilter(minTier));
        string? after = null;
        while (true)
        {
            var a = await engine.ListEdgesAsync(query, after, PageSize, ct);
            if (a.Items.Count > 0) yield return new EdgePage(a.Items.Select(id => a.Graph.Edges[id]).ToArray(), a.Graph.Nodes);
            if (!a.More || a.Items.Count == 0) yield break;
            after = a.Items[^1];
        }
    }
}
