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
                $"`limit` defaults to {Limits.SearchDefault}, at most {Limits.SearchMax}.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return app;
    }

    public static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> Search(
        string? q, string? category, int? limit, GraphQueries queries, CancellationToken ct)
    {
        var p = new QueryParams();
        var text = p.Required("q", q);
        var cat = p.Enum<NodeCategory>("category", category);
        var take = p.Limit("limit", limit, Limits.SearchDefault, Limits.SearchMax);
        if (!p.Ok) return p.Problem();

        var hits = await queries.Store.SearchAsync(text!, cat, take, ct);
        return TypedResults.Ok(new SearchResponse(text!, cat, hits.Select(h => h.ToDto()).ToArray()));
    }
}
