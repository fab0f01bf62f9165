using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SpineGraph.Api.Infrastructure;

/// <summary>
/// The application's request-size limits, enforced by one middleware that answers with a problem naming the limit
/// (414 request line, 431 headers, 413 body by Content-Length, 400 control characters in the path). Kestrel's own
/// limits are set well above these, so a request over them reaches this middleware instead of getting Kestrel's empty
/// 414/431 with <c>Connection: close</c>; what Kestrel still rejects before the application is listed in the README.
/// </summary>
public static class RequestLimits
{
    /// <summary>Longest request line (method, target and version, without CRLF), in bytes.</summary>
    public const int MaxRequestLine = 8 * 1024;

    /// <summary>Largest header section (each <c>name: value</c> line with its CRLF), in bytes.</summary>
    public const int MaxHeadersTotal = 32 * 1024;

    /// <summary>Most header lines.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Largest declared request body (Content-Length); the endpoints that read a body stop at it too.</summary>
    public const int MaxBody = 64 * 1024;

    /// <summary>Kestrel's own limits, well above the application's, so that even a 1 MiB parameter, header or body gets
    /// the application's problem: request line and headers 2 MiB, 1,000 header lines, bodies 4 MiB (a refused body up to
    /// that size is read and discarded and the connection kept, rather than closed under a client still sending it).
    /// Kestrel holds a request line or header section in one buffer, which must be at least as large.</summary>
    public static void ConfigureServer(KestrelServerLimits k)
    {
        k.MaxRequestLineSize = 2 * 1024 * 1024;
        k.MaxRequestHeadersTotalSize = 2 * 1024 * 1024;
        k.MaxRequestHeaderCount = 10 * MaxHeaderCount;
        k.MaxRequestBodySize = 4 * 1024 * 1024;
        k.MaxRequestBufferSize = 4 * 1024 * 1024;
    }

    /// <summary>Answers a request over a limit with its problem; passes any other on.</summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use((ctx, next) =>
        Check(ctx) is { } problem ? problem.ExecuteAsync(ctx) : next(ctx));

    private static IResult? Check(HttpContext ctx)
    {
        var request = ctx.Request;
        var target = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var line = request.Method.Length + 1 + target.Length + 1 + request.Protocol.Length;
        if (line > MaxRequestLine)
            return Over(StatusCodes.Status414UriTooLong, "Request line too long.",
                $"The request line (method, URL and version) is {line} bytes; at most {MaxRequestLine} are accepted. Send fewer or shorter parameters.",
                "requestLine", MaxRequestLine, line);

        var count = 0;
        var total = 0;
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                count++;
                total += name.Length + 2 + (value?.Length ?? 0) + 2;
            }
        }
        if (count > MaxHeaderCount)
            return Over(StatusCodes.Status431RequestHeaderFieldsTooLarge, "Too many request headers.",
                $"The request has {count} header lines; at most {MaxHeaderCount} are accepted.", "headerCount", MaxHeaderCount, count);
        if (total > MaxHeadersTotal)
            return Over(StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large.",
                $"The request headers are {total} bytes; at most {MaxHeadersTotal} are accepted.", "headers", MaxHeadersTotal, total);

        if (request.ContentLength is > MaxBody and var length)
            return Over(StatusCodes.Status413PayloadTooLarge, "Request body too large.",
                $"The request body is {length} bytes (Content-Length); at most {MaxBody} are accepted.", "body", MaxBody, length);

        // Kestrel refuses a decoded NUL itself (%00); other control characters (%01, %0A, %7F) reach the application.
        if (request.Path.Value is { } path && path.Any(char.IsControl))
            return Problems.Of(StatusCodes.Status400BadRequest, "Bad request path.",
                "The URL path contains control characters (such as %0A or %7F once decoded); no id or route has them.", ("limit", "path"));
        return null;
    }

    private static IResult Over(int status, string title, string detail, string limit, int max, long size) =>
        Problems.Of(status, title, detail, ("limit", limit), ("max", max), ("size", size));
}
