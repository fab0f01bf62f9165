using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Apis;

/// <summary>Whole-graph operations: paths between nodes, neighbourhoods to draw, and the graph's metadata.</summary>
public static class GraphApi
{
    public static IEndpointRouteBuilder MapGraphApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("Graph");

        api.MapGet("/paths", FindPaths)
            .WithName("FindPaths")
            .WithSummary("The shortest simple paths from one node to another")
            .WithDescription(
                "The k shortest paths with no repeated node, shortest first, then by the node and edge ids along the path. " +
                "`direction=causal` (default) follows causes, has_phenotype and subclass_of from cause to effect (from `from` " +
                "towards `to`); `direction=any` follows every edge either way. `via` keeps only paths whose intermediate nodes " +
                $"are of these categories. `maxHops` 1 to {Limits.PathHopsMax} (default {Limits.PathHopsDefault}); `limit` defaults to " +
                $"{Limits.PathsDefault}, at most {Limits.PathsMax}; `nextCursor` pages on exactly, to the first {Limits.PathsDepthMax} paths. " +
                "`total` is given when every path was found; `truncated` says a bound stopped the search before that. " +
                "`format=cytoscape`: the page's nodes and edges as Cytoscape.js elements, the paths and paging in `data`.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/subgraph", GetSubgraph)
            .WithName("GetSubgraph")
            .WithSummary("Nodes and edges around some nodes, ready to draw")
            .WithDescription(
                $"Nodes within `depth` hops (0 to {Limits.SubgraphDepthMax}, default {Limits.SubgraphDepthDefault}) of up to " +
                $"{Limits.SubgraphIdsMax} given nodes, edges either way, and every edge among them. At most " +
                $"{Limits.SubgraphNodesMax} nodes, nearest first; `truncated` says a cap was hit. `format=cytoscape`: the same as " +
                "Cytoscape.js elements, ready for `cytoscape({ elements })`; `/export` gives it as a file, in more formats.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/meta", GetMeta)
            .WithName("GetMeta")
            .WithSummary("Categories, predicates, counts and graph version")
            .WithDescription(
                "Node categories and predicates with their Biolink mapping and allowed signatures, edge counts per " +
                "(subject category, predicate, object category), counts per evidence tier with the tier rules, and the " +
                "graph version (a hash of the seed) that page cursors are tied to.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return app;
    }

    public sealed record PathsRequest(
        [property: FromQuery(Name = "from"), Description("Start node: id or exact name.")] string? From,
        [property: FromQuery(Name = "to"), Description("End node: id or exact name.")] string? To,
        [property: FromQuery(Name = "maxHops"), Description("Longest path in edges, 1 to 5 (default 3).")] int? MaxHops,
        [property: FromQuery(Name = "direction"), Description("`causal` (default): causal edges from cause to effect; `any`: every edge either way.")] string? Direction,
        [property: FromQuery(Name = "via"), Description("Allowed categories of intermediate nodes, comma-separated (default: all).")] string? Via,
        [property: FromQuery(Name = "minTier"), Description("Weakest evidence tier of the edges followed. Default T5 (all).")] string? MinTier,
        [property: FromQuery(Name = "limit"), Description("Most paths per page: default 10, at most 50.")] int? Limit,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from the previous page's `nextCursor`.")] string? Cursor,
        [property: FromQuery(Name = "format"), Description(GraphFormats.Description)] string? Format = null);

    public sealed record SubgraphRequest(
        [property: FromQuery(Name = "ids"), Description("Comma-separated node ids or exact names, at most 20 (each up to 200 characters).")] string? Ids,
        [property: FromQuery(Name = "depth"), Description("Hops out from the given nodes, 0 to 3 (default 1).")] int? Depth,
        [property: FromQuery(Name = "minTier"), Description("Weakest evidence tier of the edges followed and shown. Default T5 (all).")] string? MinTier,
        [property: FromQuery(Name = "format"), Description(GraphFormats.Description)] string? Format = null);

    public static async Task<Results<Ok<PathsResponse>, Ok<CytoscapeDocument>, ProblemHttpResult>> FindPaths([AsParameters] PathsRequest r, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var fromText = p.Required("from", r.From);
        var toText = p.Required("to", r.To);
        var hops = p.Range("maxHops", r.MaxHops, Limits.PathHopsDefault, 1, Limits.PathHopsMax);
        var direction = p.Enum<PathDirection>("direction", r.Direction) ?? PathDirection.Causal;
        var via = p.Set<NodeCategory>("via", r.Via);
        var tier = p.MinTier("minTier", r.MinTier);
        var cytoscape = GraphFormats.IsCytoscape(p, r.Format);
        var page = p.Page("paths", [r.From, r.To, r.MaxHops?.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Direction, r.Via, r.MinTier],
            r.Limit, r.Cursor, Limits.PathsDefault, Limits.PathsMax, Limits.PathsDepthMax);
        var (version, invalid) = await p.CheckAsync(page, engine, ct);
        if (invalid is not null) return invalid;
        var (f, fp) = await engine.ResolveParameterAsync("from", fromText, NodeParameters.Any, ct);
        if (fp is not null) return fp;
        var (t, tp) = await engine.ResolveParameterAsync("to", toText, NodeParameters.Any, ct);
        if (tp is not null) return tp;

        var a = await engine.PathsAsync(new PathQuery(f!.Id, t!.Id, hops, direction, via, tier, page.Offset, page.Limit), ct);
        var response = ToResponse(a, f.Id, t.Id, page, version);
        if (cytoscape)
            return TypedResults.Ok(a.Graph.ToCytoscape(new CytoscapeGraphData(CytoscapeMapping.GraphName, version, a.Truncated, DtoMapping.Disclaimer,
                MinTier: tier, From: f.Id, To: t.Id, Paths: response.Items, Total: response.Total, NextCursor: response.NextCursor)));
        return TypedResults.Ok(response);
    }

    public static PathsResponse ToResponse(PathsAnswer a, string from, string to, Page page, string version) => new(
        from, to,
        a.Items.Select(x => x.ToDto()).ToArray(),
        a.Total,
        page.Next(a.Items.Count, a.More, version),
        a.Truncated,
        a.Graph.NodeMap(), a.Graph.EdgeMap(), a.Graph.SourceMap());

    public static async Task<Results<Ok<SubgraphResponse>, Ok<CytoscapeDocument>, ProblemHttpResult>> GetSubgraph([AsParameters] SubgraphRequest r, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var list = ParseIds(p, r.Ids, required: true);
        var d = p.Range("depth", r.Depth, Limits.SubgraphDepthDefault, 0, Limits.SubgraphDepthMax);
        var tier = p.MinTier("minTier", r.MinTier);
        var cytoscape = GraphFormats.IsCytoscape(p, r.Format);
        if (!p.Ok) return p.Problem();

        var (resolved, problem) = await ResolveIdsAsync(engine, list, ct);
        if (problem is not null) return problem;
        var a = await engine.SubgraphAsync(resolved!, d, tier, Limits.SubgraphNodesMax, ct);
        if (cytoscape)
        {
            var version = (await engine.MetaAsync(ct)).Version;
            return TypedResults.Ok(a.Graph.ToCytoscape(
                new CytoscapeGraphData(CytoscapeMapping.GraphName, version, a.Truncated, DtoMapping.Disclaimer, resolved, d, tier), a.Nodes, a.Edges));
        }
        return TypedResults.Ok(new SubgraphResponse(a.Nodes, a.Edges, a.Truncated, a.Graph.NodeMap(), a.Graph.EdgeMap(), a.Graph.SourceMap()));
    }

    /// <summary>The <c>ids</c> of /subgraph and /export: comma-separated, at most <see cref="Limits.SubgraphIdsMax"/>, each
    /// at most <see cref="Limits.MaxIdLength"/> characters.</summary>
    public static string[] ParseIds(QueryParams p, string? ids, bool required)
    {
        var text = required
            ? p.Required("ids", ids, Limits.SubgraphIdsMax * (Limits.MaxIdLength + 1))
            : p.Text("ids", ids, Limits.SubgraphIdsMax * (Limits.MaxIdLength + 1));
        var list = text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (list.Length > Limits.SubgraphIdsMax) p.Fail("ids", $"'ids' lists {list.Length} nodes; at most {Limits.SubgraphIdsMax} are allowed.");
        foreach (var item in list)
            if (item.Length > Limits.MaxIdLength) p.Fail("ids", $"An id in 'ids' is {item.Length} characters long; at most {Limits.MaxIdLength} are allowed.");
        return list;
    }

    /// <summary>Each id or exact name to its node id, once; the first that names no node (404) or several (400) is the problem.</summary>
    public static async Task<(IReadOnlyList<string>? Ids, ProblemHttpResult? Problem)> ResolveIdsAsync(GraphEngine engine, IEnumerable<string> list, CancellationToken ct)
    {
        var resolved = new List<string>();
        foreach (var item in list.Distinct())
        {
            var (n, problem) = await engine.ResolveParameterAsync("ids", item, NodeParameters.Any, ct);
            if (problem is not null) return (null, problem);
            if (!resolved.Contains(n!.Id)) resolved.Add(n.Id);
        }
        return (resolved, null);
    }

    public static async Task<Ok<MetaResponse>> GetMeta(GraphEngine engine, CancellationToken ct)
    {
        var meta = await engine.MetaAsync(ct);
        var health = await engine.HealthAsync(ct);
        return TypedResults.Ok(new MetaResponse(
            meta.Version,
            health.Backend,
            meta.NodeCount,
            meta.EdgeCount,
            meta.SourceCount,
            meta.Categories.Select(c => new CategoryDto(c.Category, Vocabulary.Biolink(c.Category), c.Count)).ToArray(),
            Vocabulary.Predicates.Select(pr => new PredicateDto(pr, Vocabulary.Biolink(pr), Vocabulary.Description(pr),
                Vocabulary.Signatures.Where(s => s.Predicate == pr).Select(s => new PredicateSignatureDto(s.Subject, s.Object)).ToArray())).ToArray(),
            meta.Triples.Select(t => new TripleCountDto(t.Subject, t.Predicate, t.Object, t.Count)).ToArray(),
            meta.Tiers.Select(t => new TierDto(t.Tier, DtoMapping.TierLabel(t.Tier), DtoMapping.TierRule(t.Tier), t.Count)).ToArray(),
            Enum.GetValues<Effect>(),
            DtoMapping.Disclaimer));
    }
}
