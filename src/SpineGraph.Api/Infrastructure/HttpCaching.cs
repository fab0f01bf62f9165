using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Infrastructure;

/// <summary>
/// HTTP caching for the read-only graph answers (<c>/api/v1</c>): a strong ETag from the graph version and the
/// request (path and query), <c>If-None-Match</c> answered 304 before any work, and a stated Cache-Control.
/// The same graph version and request always give the same bytes, which is what makes the tag strong.
/// </summary>
public sealed class HttpCaching(RequestDelegate next, GraphEngine engine, IOptions<GraphOptions> options)
{
    private const string ApiPrefix = "/api/v1";

    public async Task InvokeAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        if (!HttpMethods.IsGet(request.Method) || !request.Path.StartsWithSegments(ApiPrefix, StringComparison.Ordinal))
        {
            await next(ctx);
            return;
        }

        var maxAge = (int)options.Value.ResponseCacheDuration.TotalSeconds;
        var tag = await CurrentTagAsync(ctx);
        if (tag is not null && request.Headers.IfNoneMatch.Count > 0 && Matches(request.Headers.IfNoneMatch, tag))
        {
            ctx.Response.StatusCode = StatusCodes.Status304NotModified;
            ctx.Response.Headers.ETag = tag;
            ctx.Response.Headers.CacheControl = CacheControl(maxAge);
            return;
        }
        // Set before the answer is written, so the output cache stores them with it; withdrawn from anything but a 200.
        if (tag is not null) ctx.Response.Headers.ETag = tag;
        ctx.Response.Headers.CacheControl = CacheControl(maxAge);
        ctx.Response.OnStarting(() =>
        {
            if (ctx.Response.StatusCode != StatusCodes.Status200OK)
            {
                ctx.Response.Headers.Remove(HeaderNames.ETag);
                ctx.Response.Headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        await next(ctx);
    }

    private static string CacheControl(int maxAge) => maxAge > 0 ? $"public, max-age={maxAge}" : "no-cache";

    /// <summary>The tag of this request on the current graph version (the version is held in memory by both backends);
    /// null when the backend cannot say: then no 304 is given and the request is answered normally, which validates
    /// it first and reports the backend's state.</summary>
    private async Task<string?> CurrentTagAsync(HttpContext ctx)
    {
        try
        {
            var meta = await engine.MetaAsync(ctx.RequestAborted);
            return Tag(meta.Version, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    public static string Tag(string version, string path, string query)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{version}\n{path}\n{query}"));
        return $"\"{Convert.ToHexString(hash, 0, 12).ToLowerInvariant()}\"";
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues header, string tag)
    {
        foreach (var value in header)
        {
            if (value is null) continue;
            if (EntityTagHeaderValue.TryParseList([value], out var tags))
                foreach (var t in tags)
                    if (t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(tag, StringComparison.Ordinal)) return true; // weak comparison (RFC 9110 13.1.2)
        }
        return false;
    }
}
