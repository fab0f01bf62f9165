using Microsoft.AspNetCore.Http.HttpResults;
using SpineGraph.Api.Dtos;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/health").WithTags("Health");

        api.MapGet("/live", Live)
            .WithName("Live")
            .WithSummary("The process is up")
            .WithDescription("Always 200 while the process serves requests; it does not touch the graph backend.");

        api.MapGet("/ready", Ready)
            .WithName("Ready")
            .WithSummary("The graph backend can answer")
            .WithDescription("200 when the graph backend answers; 503 with the reason when it does not (e.g. Neo4j unreachable).")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    public static Ok<HealthResponse> Live() => TypedResults.Ok(new HealthResponse(HealthStatus.Live, "process", null));

    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Ready(GraphEngine engine, CancellationToken ct)
    {
        var h = await engine.HealthAsync(ct);
        var body = new HealthResponse(h.Ready ? HealthStatus.Ready : HealthStatus.Unavailable, h.Backend, h.Detail);
        return h.Ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
