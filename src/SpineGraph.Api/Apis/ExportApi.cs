using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Api.Export;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Apis;

/// <summary>Whole-graph and neighbourhood exports for researchers: KGX, GraphML, Cytoscape.js and CSV files, streamed.</summary>
public static class ExportApi
{
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("Export");

        api.MapGet("/export", ExportGraph)
            .WithName("ExportGraph")
            .WithSummary("The whole graph, or a neighbourhood, as a file")
            .WithDescription(
                "The graph as a file to download (`Content-Disposition: attachment; filename=\"spinegraph-<version>.<ext>\"`), " +
                "streamed as it is read from the store (in pages of " + ExportScope.PageSize + " nodes or edges), with the graph version inside. " +
                "`format`: `kgx-jsonl` and `kgx-tsv` — a zip of `nodes`, `edges` and `sources` in the seed's own KGX files " +
                "(JSON Lines, or TSV with `|` between list items) and `graph.json` (version, scope, counts): a seed folder the API " +
                "loads back as it was; `graphml` — GraphML with every field as an attribute (NetworkX, Gephi, yEd), the version in " +
                "the graph's `version` data; `cytoscape` — Cytoscape.js elements JSON (`data.version`); `csv` — the edge list with " +
                "both ends' names and categories and a `graph_version` column. Without `ids`, the whole graph; with `ids` (as " +
                $"`/subgraph`: at most {Limits.SubgraphIdsMax} ids or exact names), the nodes within `depth` hops (0 to " +
                $"{Limits.SubgraphDepthMax}, default {Limits.SubgraphDepthDefault}), at most {Limits.SubgraphNodesMax} (then " +
                "`truncated` in the file's metadata). `minTier` drops weaker edges (every node of the scope is kept). " +
                "Exports are not kept in the output cache and not bound by the request timeout; the ETag works as everywhere.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .CacheOutput(b => b.NoCache())
            .DisableRequestTimeout();

        return app;
    }

    public sealed record ExportRequest(
        [property: FromQuery(Name = "format"), Description("File format: `kgx-jsonl`, `kgx-tsv` (zip archives), `graphml`, `cytoscape` or `csv`.")] string? Format,
        [property: FromQuery(Name = "ids"), Description("A neighbourhood instead of the whole graph: comma-separated node ids or exact names, at most 20 (each up to 200 characters).")] string? Ids,
        [property: FromQuery(Name = "depth"), Description("With `ids`: hops out from the given nodes, 0 to 3 (default 1).")] int? Depth,
        [property: FromQuery(Name = "minTier"), Description("Weakest evidence tier of the edges exported. Default T5 (all).")] string? MinTier);

    public static async Task<Results<ExportResult, ProblemHttpResult>> ExportGraph([AsParameters] ExportRequest r, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var formatText = p.OneOf("format", p.Required("format", r.Format), ExportFormats.Names);
        var ids = GraphApi.ParseIds(p, r.Ids, required: false);
        var depth = p.Range("depth", r.Depth, Limits.SubgraphDepthDefault, 0, Limits.SubgraphDepthMax);
        if (r.Depth is not null && ids.Length == 0) p.Fail("depth", "'depth' applies to a neighbourhood: give 'ids' too.");
        var tier = p.MinTier("minTier", r.MinTier);
        if (!p.Ok) return p.Problem();
        var format = ExportFormats.Parse(formatText!)!.Value;
        var version = (await engine.MetaAsync(ct)).Version;

        if (ids.Length == 0) return new ExportResult(ExportScope.Whole(engine, version, tier), format);
        var (resolved, problem) = await GraphApi.ResolveIdsAsync(engine, ids, ct);
        if (problem is not null) return problem;
        var a = await engine.SubgraphAsync(resolved!, depth, tier, Limits.SubgraphNodesMax, ct);
        return new ExportResult(ExportScope.Neighbourhood(a, version, resolved!, depth, tier), format);
    }
}
