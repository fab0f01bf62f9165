using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Apis;

/// <summary>Whole-graph edge queries for researchers: "every T1–T2 benefit edge" in one call.</summary>
public static class EdgesApi
{
    public static IEndpointRouteBuilder MapEdgesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("Edges");

        api.MapGet("/edges", ListEdges)
            .WithName("ListEdges")
            .WithSummary("Every edge of the graph matching a filter")
            .WithDescription(
                "Edges of the whole graph, filtered by predicate, the categories of their subject and object, weakest tier " +
                "kept, effect and cited source, ordered by edge id; each once in `edges`, with its nodes in `nodes` and its " +
                "sources in `sources`; `items` lists the ids in order. \"All T1–T2 evidence of benefit\" is " +
                "`minTier=T2&effect=benefit`; \"every treatment edge citing a guideline\" adds `source=`. " +
                $"`limit` defaults to {Limits.EdgesPageDefault}, at most {Limits.EdgesPageMax}; follow `nextCursor` (keyset paging, " +
                "so pages stay stable and cheap however deep). `format=cytoscape`: the page as Cytoscape.js elements.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return app;
    }

    public sealed record EdgesRequest(
        [property: FromQuery(Name = "predicate"), Description("Only edges with this predicate.")] string? Predicate,
        [property: FromQuery(Name = "subjectCategory"), Description("Only edges whose subject is of this category.")] string? SubjectCategory,
        [property: FromQuery(Name = "objectCategory"), Description("Only edges whose object is of this category.")] string? ObjectCategory,
        [property: FromQuery(Name = "minTier"), Description("Weakest evidence tier kept: `T2` keeps T1 and T2. Default T5 (all).")] string? MinTier,
        [property: FromQuery(Name = "effect"), Description("Only edges with these effects, comma-separated.")] string? Effect,
        [property: FromQuery(Name = "source"), Description("Only edges citing this source id (e.g. `sgdoc:004`, a PMID or DOI CURIE).")] string? Source,
        [property: FromQuery(Name = "limit"), Description("Most edges per page: default 100, at most 500.")] int? Limit,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from the previous page's `nextCursor`.")] string? Cursor,
        [property: FromQuery(Name = "format"), Description(GraphFormats.Description)] string? Format = null);

    public static async Task<Results<Ok<EdgeListResponse>, Ok<CytoscapeDocument>, ProblemHttpResult>> ListEdges([AsParameters] EdgesRequest r, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var query = new EdgeQuery(
            p.Enum<Predicate>("predicate", r.Predicate),
            p.Enum<NodeCategory>("subjectCategory", r.SubjectCategory),
            p.Enum<NodeCategory>("objectCategory", r.ObjectCategory),
            new EdgeFilter(p.MinTier("minTier", r.MinTier), p.Effects("effect", r.Effect)),
            p.Text("source", r.Source));
        var cytoscape = GraphFormats.IsCytoscape(p, r.Format);
        var page = p.Page("edges-all", [r.Predicate, r.SubjectCategory, r.ObjectCategory, r.MinTier, r.Effect, r.Source],
            r.Limit, r.Cursor, Limits.EdgesPageDefault, Limits.EdgesPageMax);
        var (version, invalid) = await p.CheckAsync(page, engine, ct);
        if (invalid is not null) return invalid;

        var a = await engine.ListEdgesAsync(query, page.After, page.Limit, ct);
        // The total is not counted (that would read every match); paging is exact and never cut short.
        var next = page.NextAfter(a.Items.Count > 0 ? a.Items[^1] : null, a.Items.Count, a.More, version);
        if (cytoscape)
            return TypedResults.Ok(a.Graph.ToCytoscape(new CytoscapeGraphData(CytoscapeMapping.GraphName, version, false, DtoMapping.Disclaimer,
                MinTier: query.EvidenceFilter.MinTier, NextCursor: next), edgeOrder: a.Items));
        return TypedResults.Ok(new EdgeListResponse(a.Items, null, next, false, a.Graph.NodeMap(), a.Graph.EdgeMap(), a.Graph.SourceMap()));
    }
}
