using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using SpineGraph.Core;

namespace SpineGraph.Api.Infrastructure;

/// <summary>Cross-cutting HTTP conventions: problem details, one exception handler, JSON, CORS, request limits.</summary>
public static class ApiConventions
{
    public const string TimeoutPolicy = "graph";

    public const string CorsSection = "Cors:AllowedOrigins";

    /// <summary>The output-cache policy of the graph endpoints (<c>Graph:ResponseCacheDuration</c>).</summary>
    public const string CachePolicy = "graph";

    /// <summary>Problem details for every error, one exception handler, JSON conventions, CORS, request limits.</summary>
    public static WebApplicationBuilder AddApiConventions(this WebApplicationBuilder builder)
    {
        // Browser front-ends call the API from other origins; it is read-only, so GET from the configured
        // origins ("*" by default) is allowed.
        var origins = builder.Configuration.GetSection(CorsSection).Get<string[]>() ?? ["*"];
        builder.Services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (origins.Contains("*")) p.AllowAnyOrigin();
            else p.WithOrigins(origins);
            p.WithMethods("GET", "HEAD", "POST").AllowAnyHeader().WithExposedHeaders("Retry-After", "ETag")
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true; // answers hold no secrets and no reflected input worth a BREACH attack
            // At their fastest levels gzip compresses this JSON better than Brotli (flagship 43 KB → 9.3 KB vs 11.9 KB),
            // so gzip wins when a client accepts both equally; Brotli serves clients that ask for it alone.
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
            o.MimeTypes = ["application/json", "application/problem+json", "text/plain", "text/html", "application/javascript", "text/css", "application/graphml+xml", "text/csv"];
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Detail ??= DefaultDetail(ctx.HttpContext.Request, ctx.HttpContext.Response, ctx.ProblemDetails.Status);
            ctx.ProblemDetails.Extensions.TryAdd("traceId", ctx.HttpContext.TraceIdentifier);
        });
        builder.Services.AddExceptionHandler<DomainExceptionHandler>();
        // One log line per request: method, path, query, status, duration. No header or body is logged, so API keys
        // (X-Api-Key), credentials and cookies never reach the logs. Level: Logging:LogLevel:Microsoft.AspNetCore.HttpLogging.
        builder.Services.AddHttpLogging(o =>
        {
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.RequestQuery |
                HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            o.RequestHeaders.Clear();
            o.ResponseHeaders.Clear();
            o.CombineLogs = true;
        });
        // The host logs a start-up failure with its stack trace before rethrowing it; Program prints settings, seed and
        // snapshot problems as one line each, and lets any other failure end the process with its trace. (The host's
        // other error, a background service faulting, cannot happen: the API runs none.)
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // Parameter binding failures (limit=ten) throw, so the handler can name the parameter in the problem.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        // Swashbuckle reads MVC's JSON options to describe schemas: keep them the same.
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => Configure(o.JsonSerializerOptions));

        var graph = builder.Configuration.GetSection(GraphOptions.Section).Get<GraphOptions>() ?? new GraphOptions();
        var timeout = graph.RequestTimeout;
        // The graph is read-only: a successful answer is served again from memory for the same path and query.
        var cacheFor = graph.ResponseCacheDuration;
        builder.Services.AddOutputCache(o =>
        {
            o.SizeLimit = 64 * 1024 * 1024;
            o.MaximumBodySize = 1024 * 1024;
            o.AddPolicy(CachePolicy, b =>
            {
                if (cacheFor > TimeSpan.Zero) b.Expire(cacheFor).SetVaryByQuery("*").SetVaryByHeader("Accept-Encoding");
                else b.NoCache();
            });
        });
        builder.Services.AddRequestTimeouts(o =>
        {
            o.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = timeout,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
                WriteTimeoutResponse = ctx => WriteProblem(ctx, StatusCodes.Status503ServiceUnavailable, "Request timed out.",
                    $"The query did not finish within {timeout.TotalSeconds:0.#} s.", retryAfterSeconds: 5),
            };
        });
        // Kestrel's limits sit above the application's, which RequestLimits enforces with problem bodies.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            RequestLimits.ConfigureServer(k.Limits);
        });
        return builder;
    }

    /// <summary>The <c>/api/v1</c> group of one feature, with the problem responses every operation shares declared once.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string tag) =>
        app.MapGroup("/api/v1").WithTags(tag)
            .AddEndpointFilterFactory(KnownParameters.Filter)
            .CacheOutput(CachePolicy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    public static WebApplication UseApiConventions(this WebApplication app)
    {
        app.UseHttpLogging(); // first, so a HEAD is logged as one
        // HEAD on every GET: routed as GET; the server still sends no body, as the request was HEAD.
        // Security headers on every answer, problems included (set as the answer starts, after any handler cleared
        // headers): no content sniffing, no framing, no referrer; HSTS when the request came over TLS.
        app.Use((ctx, next) =>
        {
            if (HttpMethods.IsHead(ctx.Request.Method)) ctx.Request.Method = HttpMethods.Get;
            ctx.Response.OnStarting(static state =>
            {
                var c = (HttpContext)state;
                var h = c.Response.Headers;
                h.XContentTypeOptions = "nosniff";
                h.XFrameOptions = "DENY";
                h["Referrer-Policy"] = "no-referrer";
                if (c.Request.IsHttps) h.StrictTransportSecurity = "max-age=31536000";
                return Task.CompletedTask;
            }, ctx);
            return next(ctx);
        });
        app.UseRequestLimits();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseCors();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        // The output cache keeps the headers below (ETag, Cache-Control) with each answer and answers If-None-Match
        // from them itself; HttpCaching sets them, and answers 304, for what the cache does not hold.
        app.UseOutputCache();
        app.UseMiddleware<HttpCaching>();
        // Inside the output cache, which keeps one compressed copy per encoding; not for the tiny health answers.
        app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/health"), b => b.UseResponseCompression());
        return app;
    }

    private static readonly System.Text.RegularExpressions.Regex BindFailure =
        new("^Failed to bind parameter \"(?<type>[^\"]*?) (?<name>[A-Za-z0-9_]+)\" from \"(?<value>.*)\"\\.?$", System.Text.RegularExpressions.RegexOptions.Singleline);

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>What was wrong, for the problems the framework answers without one (no route, method, media type).</summary>
    private static string DefaultDetail(HttpRequest request, HttpResponse response, int? status) => status switch
    {
        StatusCodes.Status404NotFound => $"No operation answers {request.Method} {Clip(request.Path.Value ?? "")}; the operations are listed in /openapi/v1.json.",
        StatusCodes.Status405MethodNotAllowed => $"{Clip(request.Method)} is not allowed on {Clip(request.Path.Value ?? "")}; it takes {(string.IsNullOrEmpty(response.Headers.Allow) ? "other methods" : response.Headers.Allow.ToString())}.",
        StatusCodes.Status415UnsupportedMediaType => $"The body must be JSON (Content-Type: application/json), not '{Clip(request.ContentType ?? "none")}'.",
        _ => ReasonPhrases.GetReasonPhrase(status ?? StatusCodes.Status500InternalServerError) + ".",
    };

    private static Task WriteProblem(HttpContext ctx, int status, string title, string detail, int? retryAfterSeconds = null)
    {
        if (retryAfterSeconds is { } s) ctx.Response.Headers.RetryAfter = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problems = ctx.RequestServices.GetRequiredService<IProblemDetailsService>();
        ctx.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = ctx,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    /// <summary>Maps failures to status codes: bad requests the framework rejects (400/413/431), the graph backend
    /// unavailable (503 with Retry-After), a client that went away (499), anything else 500 without internals.</summary>
    private sealed class DomainExceptionHandler(ILogger<DomainExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext ctx, Exception exception, CancellationToken ct)
        {
            switch (exception)
            {
                case BadHttpRequestException bad when BindFailure.Match(bad.Message) is { Success: true } m:
                    // A query or route value of the wrong type (limit=ten): the same problem shape as any bad parameter.
                    // Request records name the property (Limit); the query parameter is its camelCase form (limit).
                    var name = char.ToLowerInvariant(m.Groups["name"].Value[0]) + m.Groups["name"].Value[1..];
                    var problem = Problems.Validation(new Dictionary<string, string[]>
                    {
                        [name] = [$"'{name}' must be {(m.Groups["type"].Value.Contains("int", StringComparison.Ordinal) ? "a whole number" : "a " + m.Groups["type"].Value)}; got '{Clip(m.Groups["value"].Value)}'."],
                    });
                    ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await ctx.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = ctx, ProblemDetails = problem });
                    return true;
                case BadHttpRequestException bad:
                    await WriteProblem(ctx, bad.StatusCode, "Bad request.", bad.Message);
                    return true;
                case GraphUnavailableException unavailable:
                    logger.LogWarning(unavailable, "Graph backend unavailable");
                    await WriteProblem(ctx, StatusCodes.Status503ServiceUnavailable, "Graph backend unavailable.",
                        unavailable.Message, (int)Math.Ceiling(unavailable.RetryAfter.TotalSeconds));
                    return true;
                case OperationCanceledException when ctx.RequestAborted.IsCancellationRequested:
                    ctx.Response.StatusCode = 499; // client closed the request; nobody reads the body
                    return true;
                default:
                    logger.LogError(exception, "Unhandled error on {Path}", ctx.Request.Path);
                    await WriteProblem(ctx, StatusCodes.Status500InternalServerError, "Internal error.",
                        "The server failed to answer this request; it has been logged.");
                    return true;
            }
        }
    }
}
