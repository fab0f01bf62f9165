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
            o.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : (int)limit.Window.TotalSeconds;
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"This client made more than {limit.PermitsPerWindow} requests in {limit.Window.TotalSeconds:0} s; try again in {retry} s.",
                        Extensions = { ["limit"] = limit.PermitsPerWindow, ["windowSeconds"] = limit.Window.TotalSeconds },
                    },
                });
            };
        });
        return builder;
    }
}
