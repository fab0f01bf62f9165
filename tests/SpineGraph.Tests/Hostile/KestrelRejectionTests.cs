using System.Text;
using System.Text.Json.Nodes;
using SpineGraph.Api.Infrastructure;

namespace SpineGraph.Tests.Hostile;

/// <summary>
/// Over the application's request limits the API answers a problem naming the limit, on a connection it keeps open;
/// what Kestrel still refuses before the application (the README's list) gets Kestrel's own bare answer, checked here
/// so the list stays true.
/// </summary>
public class KestrelRejectionTests(KestrelApiFixture fixture) : IClassFixture<KestrelApiFixture>
{
    private KestrelApi Api => fixture.Api;

    public static TheoryData<string, string, int, string, int> OverTheApplicationsLimits => new()
    {
        { "a request line of 9 KiB", "GET /api/v1/search?q=spasm&pad=" + new string('a', 9 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "requestLine", RequestLimits.MaxRequestLine },
        { "a request line of 1 MiB", "GET /api/v1/nodes/" + new string('a', 1024 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "requestLine", RequestLimits.MaxRequestLine },
        { "a header of 40 KiB", "GET /api/v1/meta HTTP/1.1\r\nHost: x\r\nX-Pad: " + new string('a', 40 * 1024) + "\r\n\r\n", 431, "headers", RequestLimits.MaxHeadersTotal },
        { "a header of 1 MiB", "GET /api/v1/meta HTTP/1.1\r\nHost: x\r\nCookie: a=" + new string('a', 1024 * 1024) + "\r\n\r\n", 431, "headers", RequestLimits.MaxHeadersTotal },
        { "150 header lines", "GET /api/v1/meta HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: 1\r\n")) + "\r\n", 431, "headerCount", RequestLimits.MaxHeaderCount },
        { "a body of 1 MiB", "POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n" + new string(' ', 1024 * 1024), 413, "body", RequestLimits.MaxBody },
        { "a declared body of 100 GB", "POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 107374182400\r\n\r\n", 413, "body", RequestLimits.MaxBody },
    };

    [Theory]
    [MemberData(nameof(OverTheApplicationsLimits))]
    public async Task OverAnApplicationLimitTheAnswerIsAProblemNamingTheLimitAndTheConnectionStaysOpen(string what, string request, int status, string limit, int max)
    {
        var response = await Api.SendAsync(Encoding.Latin1.GetBytes(request));
        Assert.True(status == response.Status, $"{what}: {response}");
        Assert.Equal("application/problem+json", response.MediaType);
        var problem = JsonNode.Parse(response.Body)!;
        Assert.Equal(status, (int)problem["status"]!);
        Assert.Equal(limit, (string)problem["limit"]!);
        Assert.Equal(max, (int)problem["max"]!);
        Assert.True((long)problem["size"]! > max);
        Assert.Contains(max.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)problem["detail"]!);
        Assert.NotEqual("close", response.Header("Connection"));
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
    }

    [Fact]
    public async Task JustUnderTheLimitsTheRequestReachesItsEndpoint()
    {
        // A request line of 8 KiB less a little: the search endpoint's own 200-character bound answers, naming q.
        var response = await Api.GetAsync("/api/v1/search?q=" + new string('a', RequestLimits.MaxRequestLine - 100));
        Assert.Equal(400, response.Status);
        Assert.Contains("'q'", response.Text);

        var headers = Enumerable.Range(0, RequestLimits.MaxHeaderCount - 2).Select(i => ($"X-H{i}", "1")).ToArray();
        Assert.Equal(200, (await Api.GetAsync("/api/v1/meta", headers)).Status);
        Assert.Equal(200, (await Api.GetAsync("/api/v1/meta", ("X-Pad", new string('a', RequestLimits.MaxHeadersTotal - 200)))).Status);
    }

    [Theory]
    [InlineData("/api/v1/nodes/%01")]
    [InlineData("/api/v1/nodes/sg:sciatica%0d%0aSet-Cookie:%20a=1")]
    [InlineData("/api/v1/search/%7f")]
    public async Task AControlCharacterDecodedInThePathIsABadRequestProblem(string target)
    {
        var response = await Api.GetAsync(target);
        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.Contains("control characters", (string)JsonNode.Parse(response.Body)!["detail"]!);
        Assert.Null(response.Header("Set-Cookie"));
    }

    [Theory]
    [InlineData("GET /api/v2/meta", null, 404, "No operation answers GET /api/v2/meta")]
    [InlineData("DELETE /api/v1/nodes/sg:sciatica", null, 405, "DELETE is not allowed on /api/v1/nodes/sg:sciatica; it takes GET")]
    [InlineData("POST /api/v1/query", "text/plain", 415, "not 'text/plain'")]
    public async Task WhatTheFrameworkRefusesBeforeAnEndpointIsAProblemThatSaysWhatWasWrong(string request, string? contentType, int status, string detail)
    {
        var (method, target) = (request.Split(' ')[0], request.Split(' ')[1]);
        var response = await Api.SendAsync(RawHttp.Request(method, target, contentType is null ? [] : [("Content-Type", contentType)], contentType is null ? null : "{}"u8.ToArray()));
        Assert.Equal(status, response.Status);
        Assert.Equal("application/problem+json", response.MediaType);
        Assert.Contains(detail, (string)JsonNode.Parse(response.Body)!["detail"]!);
    }

    /// <summary>Requests Kestrel refuses while parsing, before any middleware runs: the README lists these. Kestrel answers
    /// the status with an empty body (Content-Length: 0) and <c>Connection: close</c>, and closes the connection.</summary>
    public static TheoryData<string, string, int> RefusedByKestrel => new()
    {
        { "a NUL decoded in the path (%00)", "GET /api/v1/nodes/%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "a NUL decoded inside an id", "GET /api/v1/nodes/sg%00sciatica HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "a raw NUL byte in the target", "GET /api/v1/search?q=a\0b HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "a raw non-ASCII byte in the target", "GET /api/v1/search?q=\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "a request line without a version", "GET /api/v1/meta\r\nHost: x\r\n\r\n", 400 },
        { "a request line with two spaces", "GET  /api/v1/meta HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "a request line that is not HTTP", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n", 400 },
        { "an unknown HTTP version", "GET /api/v1/meta HTTP/1.2\r\nHost: x\r\n\r\n", 505 },
        { "no Host header", "GET /api/v1/meta HTTP/1.1\r\n\r\n", 400 },
        { "two Host headers", "GET /api/v1/meta HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "a Host header with a path", "GET /api/v1/meta HTTP/1.1\r\nHost: a/b\r\n\r\n", 400 },
        { "a non-ASCII byte in a header value", "GET /api/v1/meta HTTP/1.1\r\nHost: x\r\nX-Name: caf\u00e9\r\n\r\n", 400 },
        { "a header line without a colon", "GET /api/v1/meta HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400 },
        { "a space before a header's colon", "GET /api/v1/meta HTTP/1.1\r\nHost: x\r\nX-A : 1\r\n\r\n", 400 },
        { "a negative Content-Length", "POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400 },
        { "a Content-Length that is not a number", "POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n", 400 },
        { "an asterisk target on GET (OPTIONS only)", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 405 },
        { "an authority target on GET (CONNECT only)", "GET example.com:80 HTTP/1.1\r\nHost: example.com:80\r\n\r\n", 405 },
        { "an absolute target for another host", "GET http://evil.example/api/v1/meta HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "a request line over Kestrel's 2 MiB", "GET /api/v1/nodes/" + new string('a', 2 * 1024 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414 },
        { "headers over Kestrel's 2 MiB", "GET /api/v1/meta HTTP/1.1\r\nHost: x\r\nX-Pad: " + new string('a', 2 * 1024 * 1024) + "\r\n\r\n", 431 },
        { "more than Kestrel's 1,000 header lines", "GET /api/v1/meta HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 1001).Select(i => $"X-H{i}: 1\r\n")) + "\r\n", 431 },
    };

    [Theory]
    [MemberData(nameof(RefusedByKestrel))]
    public async Task WhatKestrelRefusesItselfGetsItsBareAnswerAndTheServerGoesOn(string what, string request, int status)
    {
        var response = await Api.SendAsync(Encoding.Latin1.GetBytes(request));
        Assert.True(status == response.Status, $"{what}: {response}");
        Assert.Equal("0", response.Header("Content-Length"));
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal(200, (await Api.GetAsync("/health/live")).Status);
    }
}
