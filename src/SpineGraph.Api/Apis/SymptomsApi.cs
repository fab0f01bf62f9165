using Microsoft.AspNetCore.Http.HttpResults;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core.Queries;

namespace SpineGraph.Api.Apis;

public static class SymptomsApi
{
    public static IEndpointRouteBuilder MapSymptomsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/symptoms").WithTags("Symptoms")
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/{id}/causes", GetSymptomCauses)
            .WithName("GetSymptomCauses")
            .WithSummary("Mechanisms and conditions upstream of a symptom")
            .WithDescription(
                "Every condition and mechanism with a causal chain (causes, has_phenotype) to the symptom or a narrower " +
                $"kind of it, up to {Limits.CausalHops} edges, each with its paths (shortest first). Ranked by shortest path, " +
                "then by the weakest tier on it, then name. `redFlags` lists the emergency and urgent symptoms those causes " +
                $"lead to. `limit` defaults to {Limits.PageDefault}, at most {Limits.PageMax}.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Ok<CausesResponse>, ProblemHttpResult>> GetSymptomCauses(
        string id, int? limit, string? cursor, GraphQueries queries, CancellationToken ct)
    {
        var meta = await queries.Store.GetMetaAsync(ct);
        var p = new QueryParams();
        var text = p.Required("id", id);
        var take = p.Limit("limit", limit, Limits.PageDefault, Limits.PageMax);
        var offset = p.Cursor("cursor", cursor, meta.Version);
        if (!p.Ok) return p.Problem();

        var (symptom, problem) = await queries.ResolveParameterAsync("id", text, NodeParameters.Symptom, ct);
        if (problem is not null) return problem;
        var a = await queries.CausesAsync(symptom!, offset, take, ct);
        return TypedResults.Ok(new CausesResponse(
            a.Symptom.ToSummary(),
            a.IncludedSymptoms.Select(n => n.ToSummary()).ToArray(),
            a.Results.Select((r, i) => r.ToDto(offset + i + 1)).ToArray(),
            a.Total, take, PageCursor.Next(offset, a.Results.Count, a.Total, meta.Version),
            a.RedFlags.Select(f => f.ToDto()).ToArray(), a.Truncated, DtoMapping.Disclaimer));
    }
}
