using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SpineGraph.Api.Infrastructure;

/// <summary>Settings of the <c>RateLimit</c> section: requests per client address per window (0 turns the limit off).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>Requests one client address may make per <see cref="Window"/>; 0: no limit.</summary>
    [Range(0, 1_000_000)]
    public int PermitsPerWindow { get; set; } = 1200;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// A fixed-window limit per client address on every request but the health checks, answered past it with a 429
/// problem and <c>Retry-After</c>. Behind a proxy, configure forwarded headers so the address is the client's.
/// </summary>
public static class RateLimiting
{
    public static WebApplicationBuilder AddRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, settings) =>
        {
            var limit = settings.Value;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
                limit.PermitsPerWindow == 0 || ctx.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limit.PermitsPerWindow,
                        Window = limit.Window,
                        QueueLimit = 0,
                    }));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) => WriteRejectionAsync(context, limit.PermitsPerWindow, limit.Window,
                $"This client made more than {limit.PermitsPerWindow} requests in {limit.Window.TotalSeconds:0} s");
        });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<Apis.CypherOptions>>((o, cypher) =>
            o.AddPolicy(CypherPolicy, new CypherRateLimitPolicy(cypher.Value)));
        return builder;
    }

    /// <summary>The policy of <c>POST /api/v1/cypher</c>, on top of the per-address limit.</summary>
    public const string CypherPolicy = "cypher";

    /// <summary>The 429 problem with <c>Retry-After</c>, naming the limit that was passed.</summary>
    private static ValueTask WriteRejectionAsync(OnRejectedContext context, int permits, TimeSpan window, string what)
    {
        var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : (int)window.TotalSeconds;
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"{what}; try again in {retry} s.",
                Extensions = { ["limit"] = permits, ["windowSeconds"] = window.TotalSeconds },
            },
        });
    }

    /// <summary>
    /// Raw Cypher costs Neo4j far more than a fixed question, so it has its own, smaller budget per API key
    /// (<c>Cypher:PermitsPerMinute</c>): each configured key is one partition (by its position, so the key itself is not kept
    /// as a partition name); requests without a known key share one partition per client address, and are then refused by
    /// the endpoint (401/403) anyway.
    /// </summary>
    private sealed class CypherRateLimitPolicy(Apis.CypherOptions options) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) =>
            WriteRejectionAsync(context, options.PermitsPerMinute, TimeSpan.FromMinutes(1),
                $"This API key (or, without a known key, this client) ran more than {options.PermitsPerMinute} Cypher statements in 60 s (Cypher:PermitsPerMinute)");

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            if (options.PermitsPerMinute == 0) return RateLimitPartition.GetNoLimiter("cypher-unlimited");
            var given = httpContext.Request.Headers[Apis.CypherApi.KeyHeader].ToString();
            var partition = "address:" + (httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            if (options.KeyIndex(given) is var i and >= 0) partition = "key:" + i.ToString(CultureInfo.InvariantCulture);
            return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        }
    }
}
