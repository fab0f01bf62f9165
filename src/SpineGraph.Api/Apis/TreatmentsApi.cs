using Microsoft.AspNetCore.Http.HttpResults;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core;
using SpineGraph.Core.Queries;

namespace SpineGraph.Api.Apis;

public static class TreatmentsApi
{
    public static IEndpointRouteBuilder MapTreatmentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Treatments")
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/treatments", FindTreatments)
            .WithName("FindTreatments")
            .WithSummary("Treatments for a symptom, optionally caused by something, ranked by evidence")
            .WithDescription(
                "\"Treatments for spasms caused by nerve compression\" is `symptom=muscle spasm&cause=nerve compression`. " +
                "The symptom includes its narrower kinds (back muscle spasm, cramp, spasticity, …). `cause` (a mechanism or " +
                "condition) and `condition` restrict the causal chains to those passing through them. Each result says what " +
                "the treatment addresses: `cause` (it treats a condition or targets a mechanism on a causal chain to the " +
                "symptom) or `symptom` (it relieves the symptom itself); with only `condition` (or only `cause`) the routes " +
                "are `direct`, `mechanism`, `related_condition` and `symptom`. Every result carries its best evidence, every " +
                "supporting path (nodes and edges with tiers and sources) and any urgent symptom on the way. Ranking: " +
                "treatments whose best evidence is for them first, then by tier, effect and path length; treatments whose " +
                "best evidence is `no_benefit` or `harm` are listed after the others with `evidenceAgainst: true` (use " +
                "`effect=benefit` to drop them). `redFlags` lists emergency and urgent symptoms reachable from the causes " +
                $"involved. `limit` defaults to {Limits.PageDefault}, at most {Limits.PageMax}. Causal chains are followed " +
                $"up to {Limits.CausalHops} edges.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Ok<TreatmentsResponse>, ProblemHttpResult>> FindTreatments(
        string? symptom, string? cause, string? condition, string? minTier, string? effect, int? limit, string? cursor,
        GraphQueries queries, CancellationToken ct)
    {
        var meta = await queries.Store.GetMetaAsync(ct);
        var p = new QueryParams();
        var symptomText = p.Text("symptom", symptom);
        var causeText = p.Text("cause", cause);
        var conditionText = p.Text("condition", condition);
        var tier = p.MinTier("minTier", minTier);
        var effects = p.Effects("effect", effect);
        var take = p.Limit("limit", limit, Limits.PageDefault, Limits.PageMax);
        var offset = p.Cursor("cursor", cursor, meta.Version);
        if (p.Ok && symptomText is null && causeText is null && conditionText is null)
            p.Fail("symptom", "Give at least one of 'symptom', 'cause' or 'condition'.");
        if (!p.Ok) return p.Problem();

        var (s, sp) = await queries.ResolveParameterAsync("symptom", symptomText, NodeParameters.Symptom, ct);
        if (sp is not null) return sp;
        var (c, cp) = await queries.ResolveParameterAsync("cause", causeText, NodeParameters.Cause, ct);
        if (cp is not null) return cp;
        var (k, kp) = await queries.ResolveParameterAsync("condition", conditionText, NodeParameters.Condition, ct);
        if (kp is not null) return kp;

        var q = new TreatmentQuery(symptomText, causeText, conditionText, tier, effects, offset, take);
        var answer = await queries.TreatmentsAsync(s, c, k, q, ct);
        return TypedResults.Ok(ToResponse(answer, q, meta.Version));
    }

    public static TreatmentsResponse ToResponse(TreatmentAnswer a, TreatmentQuery q, string version) => new(
        new TreatmentQueryDto(a.Symptom?.ToSummary(), a.IncludedSymptoms.Select(n => n.ToSummary()).ToArray(),
            a.Cause?.ToSummary(), a.Condition?.ToSummary(), q.MinTier, q.Effects?.Order().ToArray()),
        a.Results.Select((r, i) => r.ToDto(a.Offset + i + 1)).ToArray(),
        a.Total,
        q.Limit,
        PageCursor.Next(a.Offset, a.Results.Count, a.Total, version),
        a.RedFlags.Select(f => f.ToDto()).ToArray(),
        a.Truncated,
        DtoMapping.Disclaimer);
}
