using Microsoft.AspNetCore.Http.HttpResults;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core;
using SpineGraph.Core.Queries;

namespace SpineGraph.Api.Apis;

public static class ConditionsApi
{
    public static IEndpointRouteBuilder MapConditionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/conditions").WithTags("Conditions")
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/{id}/treatments", GetConditionTreatments)
            .WithName("GetConditionTreatments")
            .WithSummary("Treatments for a condition, by route")
            .WithDescription(
                "Treatments of the condition (and its narrower kinds) labelled by route: `direct` (treats the condition), " +
                "`mechanism` (targets a mechanism the condition causes), `related_condition` (treats a condition it causes, " +
                "e.g. sciatica from a herniated disc) and `symptom` (relieves a symptom it causes). Ranked and explained as in " +
                $"FindTreatments. `limit` defaults to {Limits.PageDefault}, at most {Limits.PageMax}.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Ok<TreatmentsResponse>, ProblemHttpResult>> GetConditionTreatments(
        string id, string? minTier, string? effect, int? limit, string? cursor, GraphQueries queries, CancellationToken ct)
    {
        var meta = await queries.Store.GetMetaAsync(ct);
        var p = new QueryParams();
        var text = p.Required("id", id);
        var tier = p.MinTier("minTier", minTier);
        var effects = p.Effects("effect", effect);
        var take = p.Limit("limit", limit, Limits.PageDefault, Limits.PageMax);
        var offset = p.Cursor("cursor", cursor, meta.Version);
        if (!p.Ok) return p.Problem();

        var (condition, problem) = await queries.ResolveParameterAsync("id", text, NodeParameters.Condition, ct);
        if (problem is not null) return problem;
        var q = new TreatmentQuery(null, null, condition!.Id, tier, effects, offset, take);
        var answer = await queries.TreatmentsAsync(null, null, condition, q, ct);
        return TypedResults.Ok(TreatmentsApi.ToResponse(answer, q, meta.Version));
    }
}
