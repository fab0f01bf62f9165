using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core.Queries;

namespace SpineGraph.Api.Apis;

public static class ConditionsApi
{
    public static IEndpointRouteBuilder MapConditionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("Conditions");

        api.MapGet("/conditions/{id}/treatments", GetConditionTreatments)
            .WithName("GetConditionTreatments")
            .WithSummary("Treatments for a condition, by route")
            .WithDescription(
                "Treatments of the condition labelled by route: `direct` (treats the condition or a narrower kind), " +
                "`broader_condition` (treats a broader kind: listed after the direct ones of the same tier), `mechanism` " +
                "(targets a mechanism the condition causes), `related_condition` (treats a condition it causes) and " +
                "`symptom` (relieves a symptom it causes). The same as FindTreatments with only `condition`. " +
                TreatmentsApi.Ranking + $" `limit` defaults to {Limits.PageDefault}, at most {Limits.PageMax}.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public sealed record ConditionTreatmentsRequest(
        [property: FromRoute(Name = "id"), Description("Condition id, or its exact name, synonym or lay term.")] string Id,
        [property: FromQuery(Name = "minTier"), Description("Weakest evidence tier kept for the treatment's own evidence edge. Default T5 (all).")] string? MinTier,
        [property: FromQuery(Name = "effect"), Description("Only treatment evidence with these effects, comma-separated.")] string? Effect,
        [property: FromQuery(Name = "limit"), Description("Most items per page: default 20, at most 100.")] int? Limit,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from the previous page's `nextCursor`.")] string? Cursor);

    public static Task<Results<Ok<TreatmentsResponse>, ProblemHttpResult>> GetConditionTreatments(
        [AsParameters] ConditionTreatmentsRequest r, Core.Traversal.GraphEngine engine, CancellationToken ct) =>
        TreatmentsApi.AnswerAsync(new TreatmentsApi.TreatmentsRequest(null, null, r.Id, r.MinTier, r.Effect, r.Limit, r.Cursor), "id", engine, ct);
}
