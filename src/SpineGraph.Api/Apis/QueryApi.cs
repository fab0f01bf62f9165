using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Api.Trapi;
using SpineGraph.Core;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Apis;

/// <summary>Researchers' own questions: a query graph in TRAPI's shape, matched against the whole graph.</summary>
public static class QueryApi
{
    public static IEndpointRouteBuilder MapQueryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("Query");

        api.MapPost("/query", RunQuery)
            .WithName("QueryGraph")
            .WithSummary("Match a query graph (TRAPI 1.5 shape), ranked by evidence")
            .WithDescription(
                "The body is a TRAPI 1.5 Query whose `message.query_graph` names nodes (by `ids`, which also match their " +
                "narrower kinds, and/or `categories`) and edges between them (by `predicates`, with `attribute_constraints` " +
                "on `sg:evidence_tier`, `sg:effect`, `biolink:knowledge_level` and `sg:source`). Biolink CURIEs and our short " +
                "names both work for categories and predicates. The answer is a TRAPI Response: `knowledge_graph` holds each " +
                "node and edge once, `results` bind a node to every query node and, in the analysis, every matching edge to " +
                "every query edge, best score first; a node bound as a narrower kind of a query id says so in `query_id`. " +
                $"Limits: {Limits.PatternNodesMax} nodes, {Limits.PatternEdgesMax} edges and {Limits.PatternIdsMax} ids per node " +
                $"(413), a body of {Limits.PatternBodyBytes / 1024} KB (413), `limit` results (default {Limits.PatternResultsDefault}, " +
                $"at most {Limits.PatternResultsMax}; `capped` says more were found), {Limits.PatternResultsEnumerated:N0} results " +
                $"enumerated and ranked (`truncated`), and {Limits.PatternTime.TotalSeconds:0} s of work (422). Unsupported TRAPI " +
                "features (set interpretations ALL and MANY, `inferred` edges, qualifier and node constraints, workflows other " +
                "than `lookup`) are a 422 naming them.")
            .Accepts<TrapiQuery>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    public sealed record QueryRequest(
        [property: FromQuery(Name = "limit"), Description("Most results to return: default 100, at most 1000.")] int? Limit);

    public static async Task<Results<Ok<TrapiResponse>, ProblemHttpResult>> RunQuery(
        [AsParameters] QueryRequest r, HttpRequest request, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var limit = p.Limit("limit", r.Limit, Limits.PatternResultsDefault, Limits.PatternResultsMax);
        if (!p.Ok) return p.Problem();

        var (body, failure) = await JsonBody.ReadAsync(request, Limits.PatternBodyBytes, ct);
        if (failure == BodyFailure.NotJson)
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                $"The body must be JSON (Content-Type: application/json), not '{request.ContentType ?? "none"}'.");
        if (failure == BodyFailure.TooLarge)
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "Request body too large.",
                $"The query body is larger than {Limits.PatternBodyBytes / 1024} KB.", ("limit", "body"), ("max", Limits.PatternBodyBytes));

        TrapiQuery? query;
        try
        {
            query = JsonSerializer.Deserialize<TrapiQuery>(body, TrapiQueryReader.Json);
        }
        catch (JsonException e)
        {
            var (path, message) = TrapiQueryReader.Describe(e);
            return Invalid(new Dictionary<string, string[]> { [path] = [message] });
        }
        if (query is null) return Invalid(new Dictionary<string, string[]> { ["$"] = ["The body must be a TRAPI Query object."] });

        var reader = new TrapiQueryReader();
        var pattern = reader.Read(query, limit);
        if (reader.TooLarge is { } large)
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "Query graph too large.", large.Detail, ("limit", large.Limit), ("max", large.Max));
        if (reader.Invalid.Count > 0) return Invalid(reader.Invalid);
        if (reader.UnsupportedFeatures.Count > 0)
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, "Query not supported.",
                string.Join(" ", reader.UnsupportedFeatures.SelectMany(e => e.Value)), ("errors", reader.UnsupportedFeatures));

        // Ids and exact names to node ids; an unknown one is a 404 naming it and where it was.
        var resolvedNodes = new List<PatternNode>();
        foreach (var n in pattern!.Nodes)
        {
            if (n.Ids is null)
            {
                resolvedNodes.Add(n);
                continue;
            }
            var ids = new List<string>(n.Ids.Count);
            for (var i = 0; i < n.Ids.Count; i++)
            {
                var (node, problem) = await engine.ResolveParameterAsync($"message.query_graph.nodes.{n.Key}.ids[{i}]", n.Ids[i], NodeParameters.Any, ct);
                if (problem is not null) return problem;
                if (!ids.Contains(node!.Id)) ids.Add(node.Id);
            }
            resolvedNodes.Add(n with { Ids = ids });
        }
        pattern = pattern with { Nodes = resolvedNodes };

        var version = (await engine.MetaAsync(ct)).Version;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(Limits.PatternTime);
        PatternAnswer answer;
        try
        {
            answer = await engine.PatternAsync(pattern, budget.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, "Query ran out of time.",
                $"The query did not finish within {Limits.PatternTime.TotalSeconds:0} s; pin more query nodes to ids or constrain the edges.",
                ("limit", "time"), ("maxSeconds", Limits.PatternTime.TotalSeconds));
        }
        return TypedResults.Ok(TrapiMapping.ToResponse(query, answer, version, query.LogLevel ?? "INFO"));
    }

    private static ProblemHttpResult Invalid(IDictionary<string, string[]> errors)
    {
        var p = Problems.Validation(errors, "The query is not a valid TRAPI Query.");
        p.Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        return TypedResults.Problem(p);
    }
}
