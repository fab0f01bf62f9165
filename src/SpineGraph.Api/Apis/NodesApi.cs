using Microsoft.AspNetCore.Http.HttpResults;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core;
using SpineGraph.Core.Queries;

namespace SpineGraph.Api.Apis;

public static class NodesApi
{
    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/nodes").WithTags("Nodes")
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/", ListNodes)
            .WithName("ListNodes")
            .WithSummary("List nodes")
            .WithDescription(
                "All nodes, or those of one category, ordered by id. " +
                $"`limit` defaults to {Limits.NodesPageDefault}, at most {Limits.NodesPageMax}; follow `nextCursor` for the next page.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/{id}", GetNode)
            .WithName("GetNode")
            .WithSummary("Get one node")
            .WithDescription("The node with its synonyms, lay terms, external xrefs, urgency (red-flag symptoms) and a count of its edges per predicate and direction.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}/edges", GetNodeEdges)
            .WithName("GetNodeEdges")
            .WithSummary("One hop from a node, with evidence")
            .WithDescription(
                "Edges of the node, optionally by predicate, direction, weakest tier kept and effect; strongest evidence first " +
                $"(tier, then effect, then id). `limit` defaults to {Limits.PageDefault}, at most {Limits.PageMax}.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Ok<PageDto<NodeDto>>, ProblemHttpResult>> ListNodes(
        string? category, int? limit, string? cursor, GraphQueries queries, CancellationToken ct)
    {
        var meta = await queries.Store.GetMetaAsync(ct);
        var p = new QueryParams();
        var cat = p.Enum<NodeCategory>("category", category);
        var take = p.Limit("limit", limit, Limits.NodesPageDefault, Limits.NodesPageMax);
        var offset = p.Cursor("cursor", cursor, meta.Version);
        if (!p.Ok) return p.Problem();

        var slice = await queries.Store.ListNodesAsync(cat, offset, take, ct);
        return TypedResults.Ok(new PageDto<NodeDto>(slice.Items.Select(n => n.ToDto()).ToArray(), slice.Total, take,
            PageCursor.Next(offset, slice.Items.Count, slice.Total, meta.Version)));
    }

    public static async Task<Results<Ok<NodeDetailDto>, ProblemHttpResult>> GetNode(string id, GraphQueries queries, CancellationToken ct)
    {
        var p = new QueryParams();
        var nodeId = p.Required("id", id);
        if (!p.Ok) return p.Problem();
        var node = await queries.Store.GetNodeAsync(nodeId!, ct);
        return node is null ? TypedResults.Problem(Problems.NodeNotFound(nodeId!)) : TypedResults.Ok(node.ToDto());
    }

    public static async Task<Results<Ok<PageDto<EdgeViewDto>>, ProblemHttpResult>> GetNodeEdges(
        string id, string? predicate, string? direction, string? minTier, string? effect, int? limit, string? cursor,
        GraphQueries queries, CancellationToken ct)
    {
        var meta = await queries.Store.GetMetaAsync(ct);
        var p = new QueryParams();
        var nodeId = p.Required("id", id);
        var pred = p.Enum<Predicate>("predicate", predicate);
        var dir = p.Enum<Direction>("direction", direction) ?? Direction.Both;
        var tier = p.MinTier("minTier", minTier);
        var effects = p.Effects("effect", effect);
        var take = p.Limit("limit", limit, Limits.PageDefault, Limits.PageMax);
        var offset = p.Cursor("cursor", cursor, meta.Version);
        if (!p.Ok) return p.Problem();

        if (await queries.Store.GetNodeAsync(nodeId!, ct) is null) return TypedResults.Problem(Problems.NodeNotFound(nodeId!));
        var slice = await queries.Store.GetEdgesAsync(nodeId!, new EdgeFilter(dir, pred, tier, effects), offset, take, ct);
        return TypedResults.Ok(new PageDto<EdgeViewDto>(slice.Items.Select(v => v.ToDto()).ToArray(), slice.Total, take,
            PageCursor.Next(offset, slice.Items.Count, slice.Total, meta.Version)));
    }
}
