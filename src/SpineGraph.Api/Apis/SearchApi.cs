using Microsoft.AspNetCore.Http.HttpResults;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core;
using SpineGraph.Core.Queries;

namespace SpineGraph.Api.Apis;

public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Search")
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/search", Search)
            .WithName("Search")
            .WithSummary("Find nodes by name, synonym or lay term")
            .WithDescription(
                "Case- and accent-insensitive; plurals are ignored, the last word may be a prefix and a word of four " +
                "or more letters may carry one typo (\"stenossis\"). Exact matches come first, then prefix, then " +
                "typo matches; each hit says which name, synonym or lay term matched and how. One hit per node. " +
                $"`limit` defaults to {Limits.SearchDefault}, at most {Limits.SearchMax}; `nextCursor` pages on, to the first " +
                $"{Limits.SearchDepthMax} hits.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return app;
    }

    public static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> Search(
        string? q, string? category, int? limit, string? cursor, GraphQueries queries, CancellationToken ct)
    {
        var meta = await queries.Store.GetMetaAsync(ct);
        var p = new QueryParams();
        var text = p.Required("q", q);
        var cat = p.Enum<NodeCategory>("category", category);
        var take = p.Limit("limit", limit, Limits.SearchDefault, Limits.SearchMax);
        var offset = p.Cursor("cursor", cursor, meta.Version, Limits.SearchDepthMax);
        if (!p.Ok) return p.Problem();

        // One hit more than the page tells whether another page exists.
        var hits = await queries.Store.SearchAsync(text!, cat, offset + take + 1, ct);
        var page = hits.Skip(offset).Take(take).Select(h => h.ToDto()).ToArray();
        return TypedResults.Ok(new SearchResponse(text!, cat, page, take,
            PageCursor.NextBounded(offset, page.Length, hits.Count > offset + take, Limits.SearchDepthMax, meta.Version)));
    }
}
