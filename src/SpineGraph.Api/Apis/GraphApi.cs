using Microsoft.AspNetCore.Http.HttpResults;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core;
using SpineGraph.Core.Queries;

namespace SpineGraph.Api.Apis;

/// <summary>Whole-graph operations: paths between nodes, neighbourhoods to draw, and the graph's metadata.</summary>
public static class GraphApi
{
    public static IEndpointRouteBuilder MapGraphApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Graph")
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/paths", FindPaths)
            .WithName("FindPaths")
            .WithSummary("Simple paths between two nodes")
            .WithDescription(
                "Paths with no repeated node, following edges in either direction, shortest first (then by node ids). " +
                $"`maxHops` 1 to {Limits.PathHopsMax} (default {Limits.PathHopsDefault}); `limit` defaults to {Limits.PathsDefault}, " +
                $"at most {Limits.PathsMax}; `nextCursor` pages on, to the first {Limits.PathsDepthMax} paths. `minTier` drops " +
                "weaker edges. `truncated` says a bound stopped the search before every path was found.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/subgraph", GetSubgraph)
            .WithName("GetSubgraph")
            .WithSummary("Nodes and edges around some nodes, ready to draw")
            .WithDescription(
                $"Nodes within `depth` hops (0 to {Limits.SubgraphDepthMax}, default {Limits.SubgraphDepthDefault}) of up to " +
                $"{Limits.SubgraphIdsMax} given nodes, edges either way, and every edge among them. At most " +
                $"{Limits.SubgraphNodesMax} nodes, nearest first; `truncated` says the cap was hit.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/meta", GetMeta)
            .WithName("GetMeta")
            .WithSummary("Categories, predicates, counts and graph version")
            .WithDescription(
                "Node categories and predicates with their Biolink mapping and allowed signatures, edge counts per " +
                "(subject category, predicate, object category), counts per evidence tier with the tier rules, and the " +
                "graph version (a hash of the seed) that page cursors are tied to.");

        return app;
    }

    public static async Task<Results<Ok<PathsResponse>, ProblemHttpResult>> FindPaths(
        string? from, string? to, int? maxHops, string? minTier, int? limit, string? cursor, GraphQueries queries, CancellationToken ct)
    {
        var meta = await queries.Store.GetMetaAsync(ct);
        var p = new QueryParams();
        var fromText = p.Required("from", from);
        var toText = p.Required("to", to);
        var hops = p.Range("maxHops", maxHops, Limits.PathHopsDefault, 1, Limits.PathHopsMax);
        var tier = p.MinTier("minTier", minTier);
        var take = p.Limit("limit", limit, Limits.PathsDefault, Limits.PathsMax);
        var offset = p.Cursor("cursor", cursor, meta.Version, Limits.PathsDepthMax);
        if (!p.Ok) return p.Problem();

        var (f, fp) = await queries.ResolveParameterAsync("from", fromText, NodeParameters.Any, ct);
        if (fp is not null) return fp;
        var (t, tp) = await queries.ResolveParameterAsync("to", toText, NodeParameters.Any, ct);
        if (tp is not null) return tp;

        var set = await queries.Store.FindPathsAsync(new PathQuery(f!.Id, t!.Id, hops, tier, offset + take), ct);
        var page = set.Paths.Skip(offset).Select(x => x.ToDto()).ToArray();
        return TypedResults.Ok(new PathsResponse(f.ToSummary(), t.ToSummary(), hops, tier, page, take,
            PageCursor.NextBounded(offset, page.Length, set.Truncated, Limits.PathsDepthMax, meta.Version), set.Truncated));
    }

    public static async Task<Results<Ok<SubgraphResponse>, ProblemHttpResult>> GetSubgraph(
        string? ids, int? depth, string? minTier, GraphQueries queries, CancellationToken ct)
    {
        var p = new QueryParams();
        var list = p.Required("ids", ids)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (list.Length > Limits.SubgraphIdsMax) p.Fail("ids", $"'ids' lists {list.Length} nodes; at most {Limits.SubgraphIdsMax} are allowed.");
        var d = p.Range("depth", depth, Limits.SubgraphDepthDefault, 0, Limits.SubgraphDepthMax);
        var tier = p.MinTier("minTier", minTier);
        if (!p.Ok) return p.Problem();

        var resolved = new List<string>();
        foreach (var item in list.Distinct())
        {
            var (n, problem) = await queries.ResolveParameterAsync("ids", item, NodeParameters.Any, ct);
            if (problem is not null) return problem;
            resolved.Add(n!.Id);
        }
        var g = await queries.Store.GetSubgraphAsync(new SubgraphQuery(resolved, d, tier, Limits.SubgraphNodesMax), ct);
        return TypedResults.Ok(new SubgraphResponse(g.Nodes.Select(n => n.ToDto()).ToArray(), g.Edges.Select(e => e.ToDto()).ToArray(), d, tier, g.Truncated));
    }

    public static async Task<Ok<MetaResponse>> GetMeta(GraphQueries queries, CancellationToken ct)
    {
        var meta = await queries.Store.GetMetaAsync(ct);
        var health = await queries.Store.CheckHealthAsync(ct);
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
            Vocabulary.Names<Effect>(),
            DtoMapping.Disclaimer));
    }
}
