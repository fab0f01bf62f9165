using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Apis;

public static class NodesApi
{
    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("Nodes");

        api.MapGet("/nodes", ListNodes)
            .WithName("ListNodes")
            .WithSummary("List nodes")
            .WithDescription(
                "All nodes, or those of one category, ordered by id. " +
                $"`limit` defaults to {Limits.NodesPageDefault}, at most {Limits.NodesPageMax}; follow `nextCursor` for the next page.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/nodes/{id}", GetNode)
            .WithName("GetNode")
            .WithSummary("Get one node")
            .WithDescription("The node with its synonyms, lay terms, external xrefs, urgency (red-flag symptoms) and a count of its edges per predicate and direction.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/nodes/{id}/edges", GetNodeEdges)
            .WithName("GetNodeEdges")
            .WithSummary("One hop from a node, with evidence")
            .WithDescription(
                "Edges of the node, optionally by predicate, direction, weakest tier kept and effect; strongest evidence first " +
                $"(tier, then effect, then id). `limit` defaults to {Limits.PageDefault}, at most {Limits.PageMax}.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public sealed record ListNodesRequest(
        [property: FromQuery(Name = "category"), Description("Only nodes of this category.")] string? Category,
        [property: FromQuery(Name = "limit"), Description("Most nodes per page: default 50, at most 200.")] int? Limit,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from the previous page's `nextCursor`.")] string? Cursor);

    public sealed record NodeEdgesRequest(
        [property: FromRoute(Name = "id"), Description("Node id (a CURIE such as `sg:spinal-stenosis`).")] string Id,
        [property: FromQuery(Name = "predicate"), Description("Only edges with this predicate.")] string? Predicate,
        [property: FromQuery(Name = "direction"), Description("Edges leaving the node (`out`), arriving (`in`) or both (default).")] string? Direction,
        [property: FromQuery(Name = "minTier"), Description("Weakest evidence tier kept: `T2` keeps T1 and T2. Default T5 (all).")] string? MinTier,
        [property: FromQuery(Name = "effect"), Description("Only edges with these effects, comma-separated.")] string? Effect,
        [property: FromQuery(Name = "limit"), Description("Most edges per page: default 20, at most 100.")] int? Limit,
        [property: FromQuery(Name = "cursor"), Description("Opaque cursor from the previous page's `nextCursor`.")] string? Cursor);

    public static async Task<Results<Ok<PageDto<NodeDto>>, ProblemHttpResult>> ListNodes([AsParameters] ListNodesRequest r, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var cat = p.Enum<NodeCategory>("category", r.Category);
        var page = p.Page("nodes", [r.Category], r.Limit, r.Cursor, Limits.NodesPageDefault, Limits.NodesPageMax);
        var (version, invalid) = await p.CheckAsync(page, engine, ct);
        if (invalid is not null) return invalid;

        // Keyset paging on the node id: a deep page costs what the first one does.
        var slice = await engine.ListNodesAsync(cat, page.After, page.Limit, ct);
        return TypedResults.Ok(new PageDto<NodeDto>(slice.Items.Select(n => n.ToDto()).ToArray(), slice.Total,
            page.NextAfter(slice.Items.Count > 0 ? slice.Items[^1].Id : null, slice.Items.Count, page.Offset + slice.Items.Count < slice.Total, version), false));
    }

    public static async Task<Results<Ok<NodeDetailDto>, ProblemHttpResult>> GetNode(
        [Description("Node id (a CURIE such as `sg:spinal-stenosis`).")] string id, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var nodeId = p.Required("id", id);
        if (!p.Ok) return p.Problem();
        var node = await engine.NodeAsync(nodeId!, ct);
        return node is null ? TypedResults.Problem(Problems.NodeNotFound(nodeId!)) : TypedResults.Ok(node.ToDto());
    }

    public static async Task<Results<Ok<NodeEdgesResponse>, ProblemHttpResult>> GetNodeEdges([AsParameters] NodeEdgesRequest r, GraphEngine engine, CancellationToken ct)
    {
        var p = new QueryParams();
        var nodeId = p.Required("id", r.Id);
        var pred = p.Enum<Predicate>("predicate", r.Predicate);
        var dir = p.Enum<Direction>("direction", r.Direction) ?? Direction.Both;
        var filter = new EdgeFilter(p.MinTier("minTier", r.MinTier), p.Effects("effect", r.Effect));
        var page = p.Page("edges", [r.Id, r.Predicate, r.Direction, r.MinTier, r.Effect], r.Limit, r.Cursor, Limits.PageDefault, Limits.PageMax);
        var (version, invalid) = await p.CheckAsync(page, engine, ct);
        if (invalid is not null) return invalid;
        if (await engine.NodeAsync(nodeId!, ct) is null) return TypedResults.Problem(Problems.NodeNotFound(nodeId!));

        var a = await engine.EdgesAsync(nodeId!, pred, dir, filter, page.Offset, page.Limit, ct);
        return TypedResults.Ok(new NodeEdgesResponse(nodeId!,
            // Past the rows one traversal reads, the total is unknown and the answer says truncated.
            a.Items.Select(v => new EdgeViewDto(v.Direction, v.Other, v.Id)).ToArray(), a.Truncated ? null : a.Total,
            page.Next(a.Items.Count, page.Offset + a.Items.Count < a.Total, version), a.Truncated,
            a.Graph.NodeMap(), a.Graph.EdgeMap(), a.Graph.SourceMap()));
    }
}
