using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Apis;

public static class SymptomsApi
{
    public static IEndpointRouteBuilder MapSymptomsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("Symptoms");

        api.MapGet("/symptoms/{id}/causes", GetSymptomCauses)
            .WithName("GetSymptomCauses")
            .WithSummary("Mechanisms and conditions upstream of a symptom")
            .WithDescription(
                "Every condition and mechanism with a causal chain (causes, has_phenotype; narrower kinds of a cause are causes " +
                $"too) to the symptom or a narrower kind of it, up to {Limits.ChainHops} edges, each with its best (shortest) " +
                "chain and `pathCount`, the number of chains. Ranked by path length, then the weakest tier on it, then name. " +
                "`redFlags` lists the emergency and urgent symptoms the causes shown lead to. " +
                $"`limit` defaults to {Limits.PageDefault}, at most {Limits.PageMax}.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public sealed record CausesRequest(
        [property: FromRoute(Name = "id"), Description("Symptom id, or its exact name, synonym or lay term.")] string Id,
        [property: FromQuery(Name = "limit"), Description("Most causes per page: default 20, at most 100.")] int? Limit,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from the previous page's `nextCursor`.")] string? Cursor);

    public static async Task<Results<Ok<CausesResponse>, ProblemHttpResult>> GetSymptomCauses([AsParameters] CausesRequest r, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var text = p.Required("id", r.Id);
        var page = p.Page("causes", [r.Id], r.Limit, r.Cursor, Limits.PageDefault, Limits.PageMax);
        var (version, invalid) = await p.CheckAsync(page, engine, ct);
        if (invalid is not null) return invalid;
        var (symptom, problem) = await engine.ResolveParameterAsync("id", text, NodeParameters.Symptom, ct);
        if (problem is not null) return problem;

        var a = await engine.CausesAsync(symptom!.Id, page.Offset, page.Limit, ct);
        var g = a.Graph;
        return TypedResults.Ok(new CausesResponse(
            a.Symptom,
            a.IncludedSymptoms,
            a.Items.Select((c, i) => c.ToDto(page.Offset + i + 1)).ToArray(),
            a.Total,
            page.Next(a.Items.Count, page.Offset + a.Items.Count < a.Total, version),
            a.Truncated,
            a.RedFlags.Select(f => f.ToDto(g)).ToArray(),
            g.NodeMap(), g.EdgeMap(), g.SourceMap(),
            DtoMapping.Disclaimer));
    }
}
