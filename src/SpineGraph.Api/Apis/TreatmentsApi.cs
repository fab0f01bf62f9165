using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Apis;

public static class TreatmentsApi
{
    public const string Ranking =
        "Ranking: `items` holds treatments whose best evidence is `benefit` or `uncertain`, ordered by evidence tier; then " +
        "effect (benefit first); then specificity (`named`: acts on the named cause or condition itself; `broader`: on a " +
        "broader kind of the condition; `chain`: on a mechanism or condition of the causal chain; `symptom`: relieves the " +
        "symptom); then knowledge level (assertions before predictions, marketing claims (`not_provided`) last); then path " +
        "length; then name. `evidenceAgainst` holds every treatment whose strongest evidence says `no_benefit` or `harm` " +
        "(`mixedEvidence` when weaker evidence points the other way), whole, with the first page, so an app can show it " +
        "beside the list. Each item carries its best supporting path per route and `pathCount`, the number of supporting " +
        "chains; `GET /api/v1/treatments/{id}/paths` lists them all.";

    public static IEndpointRouteBuilder MapTreatmentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("Treatments");

        api.MapGet("/treatments", FindTreatments)
            .WithName("FindTreatments")
            .WithSummary("Treatments for a symptom, optionally caused by something, ranked by evidence")
            .WithDescription(
                "\"Treatments for spasms caused by nerve compression\" is `symptom=muscle spasm&cause=nerve compression`. " +
                "The symptom includes its narrower kinds. `cause` (a mechanism or condition) and `condition` are constraints " +
                "on the causal chain: it must pass through them (the treatment may act on them, on what causes them, or on " +
                "what lies between them and the symptom). Routes: `cause` (treats a condition or targets a mechanism on the " +
                "chain) and `symptom` (relieves the symptom). With no symptom, treatments of the condition (or cause) by " +
                "route: `direct`, `broader_condition`, `mechanism`, `related_condition`, `symptom`; a cause given with a " +
                "condition then constrains the chains from the condition. " + Ranking + " `redFlags` lists emergency and " +
                "urgent symptoms met on the way. Answers are normalized: items refer to ids, and `nodes`, `edges` and " +
                $"`sources` hold each once. `limit` defaults to {Limits.PageDefault}, at most {Limits.PageMax}. Chains are " +
                $"followed up to {Limits.ChainHops} edges; a traversal reads at most {Limits.TraversalRows:N0} edges, then says `truncated`.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/treatments/{id}/paths", GetTreatmentPaths)
            .WithName("GetTreatmentPaths")
            .WithSummary("Every supporting path of one treatment for a treatments question")
            .WithDescription(
                "The same question as FindTreatments (`symptom`, `cause`, `condition`, `minTier`, `effect`), for one treatment: " +
                "every path that supports it, strongest evidence first, then shortest, then by node ids. " +
                $"`limit` defaults to {Limits.PageDefault}, at most {Limits.PageMax}; at most {Limits.PathsEnumerated:N0} paths are enumerated (then `truncated`).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public sealed record TreatmentsRequest(
        [property: FromQuery(Name = "symptom"), Description("Symptom id, or its exact name, synonym or lay term. Narrower symptoms (subclass_of) are included.")] string? Symptom,
        [property: FromQuery(Name = "cause"), Description("Mechanism or condition (id or exact name) the causal chain must pass through.")] string? Cause,
        [property: FromQuery(Name = "condition"), Description("Condition (id or exact name) the causal chain must pass through; without a symptom, treatments for that condition by route.")] string? Condition,
        [property: FromQuery(Name = "minTier"), Description("Weakest evidence tier kept for the treatment's own evidence edge: `T2` keeps T1 and T2. Default T5 (all). Causal links keep their tiers, shown on every path.")] string? MinTier,
        [property: FromQuery(Name = "effect"), Description("Only treatment evidence with these effects, comma-separated (`benefit`, `uncertain`, `no_benefit`, `harm`). By default nothing is dropped.")] string? Effect,
        [property: FromQuery(Name = "limit"), Description("Most items per page: default 20, at most 100.")] int? Limit,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from the previous page's `nextCursor` (bound to this endpoint, these parameters and the graph version).")] string? Cursor);

    public sealed record TreatmentPathsRequest(
        [property: FromRoute(Name = "id"), Description("Treatment id or exact name.")] string Id,
        [property: FromQuery(Name = "symptom"), Description("As in FindTreatments.")] string? Symptom,
        [property: FromQuery(Name = "cause"), Description("As in FindTreatments.")] string? Cause,
        [property: FromQuery(Name = "condition"), Description("As in FindTreatments.")] string? Condition,
        [property: FromQuery(Name = "minTier"), Description("As in FindTreatments.")] string? MinTier,
        [property: FromQuery(Name = "effect"), Description("As in FindTreatments.")] string? Effect,
        [property: FromQuery(Name = "limit"), Description("Most paths per page: default 20, at most 100.")] int? Limit,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from the previous page's `nextCursor`.")] string? Cursor);

    /// <summary>The question's parameters, checked (no backend call); resolution of names comes after.</summary>
    private sealed record Question(string? Symptom, string? Cause, string? Condition, EdgeFilter Filter, QueryParams Params, string ConditionName = "condition");

    private static Question Check(string? symptom, string? cause, string? condition, string? minTier, string? effect, QueryParams p, string conditionName = "condition")
    {
        var s = p.Text("symptom", symptom);
        var c = p.Text("cause", cause);
        var k = p.Text(conditionName, condition);
        var filter = new EdgeFilter(p.MinTier("minTier", minTier), p.Effects("effect", effect));
        if (s is null && c is null && k is null) p.Fail("symptom", "Give at least one of 'symptom', 'cause' or 'condition'.");
        return new Question(s, c, k, filter, p, conditionName);
    }

    private static async Task<(TreatmentQuery? Query, ProblemHttpResult? Problem)> ResolveAsync(Question q, Page page, GraphEngine engine, CancellationToken ct)
    {
        var (s, sp) = await engine.ResolveParameterAsync("symptom", q.Symptom, NodeParameters.Symptom, ct);
        if (sp is not null) return (null, sp);
        var (c, cp) = await engine.ResolveParameterAsync("cause", q.Cause, NodeParameters.Cause, ct);
        if (cp is not null) return (null, cp);
        var (k, kp) = await engine.ResolveParameterAsync(q.ConditionName, q.Condition, NodeParameters.Condition, ct);
        if (kp is not null) return (null, kp);
        return (new TreatmentQuery(s?.Id, c?.Id, k?.Id, q.Filter, page.Offset, page.Limit), null);
    }

    public static Task<Results<Ok<TreatmentsResponse>, ProblemHttpResult>> FindTreatments(
        [AsParameters] TreatmentsRequest r, GraphEngine engine, CancellationToken ct) => AnswerAsync(r, "condition", engine, ct);

    /// <summary>The treatments question; <paramref name="conditionName"/> is what the caller calls the condition
    /// (<c>condition</c> here, <c>id</c> on <c>/conditions/{id}/treatments</c>), so problems name it as they sent it.</summary>
    internal static async Task<Results<Ok<TreatmentsResponse>, ProblemHttpResult>> AnswerAsync(
        TreatmentsRequest r, string conditionName, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var q = Check(r.Symptom, r.Cause, r.Condition, r.MinTier, r.Effect, p, conditionName);
        var page = p.Page("treatments", [r.Symptom, r.Cause, r.Condition, r.MinTier, r.Effect], r.Limit, r.Cursor, Limits.PageDefault, Limits.PageMax);
        var (version, invalid) = await p.CheckAsync(page, engine, ct);
        if (invalid is not null) return invalid;
        var (query, problem) = await ResolveAsync(q, page, engine, ct);
        if (problem is not null) return problem;

        var a = await engine.TreatmentsAsync(query!, ct);
        var g = a.Graph;
        return TypedResults.Ok(new TreatmentsResponse(
            new TreatmentQueryDto(a.Symptom, a.IncludedSymptoms, a.Cause, a.Condition, q.Filter.MinTier, q.Filter.Effects?.Order().ToArray()),
            a.Items.Select((item, i) => item.ToDto(page.Offset + i + 1)).ToArray(),
            a.EvidenceAgainst.Select((item, i) => item.ToDto(i + 1)).ToArray(),
            a.Total,
            page.Next(a.Items.Count, page.Offset + a.Items.Count < a.Total, version),
            a.Truncated,
            a.RedFlags.Select(f => f.ToDto(g)).ToArray(),
            g.NodeMap(), g.EdgeMap(), g.SourceMap(),
            DtoMapping.Disclaimer));
    }

    public static async Task<Results<Ok<PathsResponse>, ProblemHttpResult>> GetTreatmentPaths(
        [AsParameters] TreatmentPathsRequest r, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var id = p.Required("id", r.Id);
        var q = Check(r.Symptom, r.Cause, r.Condition, r.MinTier, r.Effect, p);
        var page = p.Page("treatment-paths", [r.Id, r.Symptom, r.Cause, r.Condition, r.MinTier, r.Effect], r.Limit, r.Cursor, Limits.PageDefault, Limits.PageMax);
        var (version, invalid) = await p.CheckAsync(page, engine, ct);
        if (invalid is not null) return invalid;
        var (t, tp) = await engine.ResolveParameterAsync("id", id, NodeParameters.Treatment, ct);
        if (tp is not null) return tp;
        var (query, problem) = await ResolveAsync(q, page, engine, ct);
        if (problem is not null) return problem;

        var a = await engine.TreatmentPathsAsync(t!.Id, query!, ct);
        return TypedResults.Ok(GraphApi.ToResponse(a, t.Id, query!.Symptom ?? query.Condition ?? query.Cause!, page, version));
    }
}
