using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Apis;

public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("Search");

        api.MapGet("/search", Search)
            .WithName("Search")
            .WithSummary("Find nodes by name, synonym or lay term")
            .WithDescription(
                "Case- and accent-insensitive; plurals are ignored, the last word may be a prefix and a word of four " +
                "or more letters may carry one typo (\"stenossis\"). Exact matches come first, then prefix, then " +
                "typo matches, all of which match every query word; then, for a query of several words, terms matching only " +
                "some of them (`partial`), more matched words first (\"numb leg\" finds Numbness). Each hit says which name, " +
                "synonym or lay term matched, how, and which query words (`matchedWords`, normalized). One hit per node. " +
                "When nothing matches, `suggestions` lists up to 5 nodes with a word up to two edits away. " +
                $"`limit` defaults to {Limits.SearchDefault}, at most {Limits.SearchMax}; `nextCursor` pages on, to the first " +
                $"{Limits.SearchDepthMax} hits.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return app;
    }

    public sealed record SearchRequest(
        [property: FromQuery(Name = "q"), Description("Text to find in names, synonyms and lay terms; case, accents and plurals are ignored, the last word may be a prefix and a word of four or more letters may have one typo. At most 200 characters.")] string? Q,
        [property: FromQuery(Name = "category"), Description("Only nodes of this category.")] string? Category,
        [property: FromQuery(Name = "limit"), Description("Most hits per page: default 10, at most 50.")] int? Limit,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from the previous page's `nextCursor`.")] string? Cursor);

    public static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> Search([AsParameters] SearchRequest r, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var text = p.Required("q", r.Q);
        var cat = p.Enum<NodeCategory>("category", r.Category);
        var page = p.Page("search", [r.Q, r.Category], r.Limit, r.Cursor, Limits.SearchDefault, Limits.SearchMax, Limits.SearchDepthMax);
        var (version, invalid) = await p.CheckAsync(page, engine, ct);
        if (invalid is not null) return invalid;

        // One hit more than the page tells whether another page exists.
        var hits = await engine.SearchAsync(text!, cat, page.Offset + page.Limit + 1, ct);
        var items = hits.Skip(page.Offset).Take(page.Limit).Select(h => h.ToDto()).ToArray();
        var suggestions = hits.Count == 0 ? (await engine.SuggestAsync(text!, cat, 5, ct)).Select(h => h.ToDto()).ToArray() : [];
        return TypedResults.Ok(new SearchResponse(text!, cat, items,
            page.Next(items.Length, hits.Count > page.Offset + page.Limit, version), false, suggestions));
    }
}
