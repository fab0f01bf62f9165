using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SpineGraph.Storage.Neo4j;
using SpineGraph.Tests.Api;
using SpineGraph.Tests.Neo4j;
using Xunit.Abstractions;

namespace SpineGraph.Tests.Faults;

/// <summary>
/// The API on the Neo4j backend with a fault between it and Neo4j (the Query API harness, seeded): each fault gives a
/// 503 problem with Retry-After that names no host, credential or stack frame; readiness says not ready; no request
/// waits past its budget (<c>Graph:RequestTimeout</c>); and when the fault clears, everything answers again by itself.
/// Times are measured and written to the test output; the only time assertions are hang guards of minutes.
/// </summary>
[Collection(HarnessCollection.Name)]
public sealed class Neo4jFaultTests(HarnessFixture harness, ITestOutputHelper output) : IDisposable
{
    private const string Host = "neo4j-secret-host.internal", User = "spinegraph-reader", Password = "pw-Xq81-never-shown";
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    /// <summary>A symptom and cause resolved from the catalog (memory) and answered by expansions (Neo4j).</summary>
    private const string Treatments = "/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression";

    private static readonly string[] Urls = ["/api/v1/search?q=spasm", "/api/v1/nodes/sg:sciatica", Treatments, "/api/v1/edges?minTier=T2", "/api/v1/meta"];

    private readonly BlackHole _hole = new();
    private readonly List<IDisposable> _factories = [];

    public void Dispose()
    {
        foreach (var f in _factories) f.Dispose();
        _hole.Dispose();
    }

    private WebApplicationFactory<Program> Api(FaultSwitch faults, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Graph:Backend"] = "Neo4j",
            ["Neo4j:Url"] = $"http://{Host}:7474",
            ["Neo4j:User"] = User,
            ["Neo4j:Password"] = Password,
            ["Neo4j:RetryBaseDelay"] = "00:00:00.010",
            ["Graph:RequestTimeout"] = $"00:00:{Budget.TotalSeconds:00}",
            ["Graph:ResponseCacheDuration"] = "00:00:00",
        };
        foreach (var (k, v) in more) settings[k] = v;
        var root = new ApiFactory(settings);
        _factories.Add(root);
        return root.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddHttpClient(Neo4jQueryClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new FaultInjectingHandler(faults))));
    }

    /// <summary>The faults by name, and the problem title each gives (the store's own verdict, or the request budget's).</summary>
    private (Neo4jFault Fault, string Title, (string, string)[] Settings) Case(string name)
    {
        const string unavailable = "Graph backend unavailable.", timedOut = "Request timed out.";
        return name switch
        {
            "connection refused" => (Neo4jFaults.RefuseConnections(), unavailable, []),
            "no answer within the query timeout" => (Neo4jFaults.Hang(_hole), unavailable, [("Neo4j:QueryTimeout", "00:00:01")]),
            "no answer within the request budget" => (Neo4jFaults.Hang(_hole), timedOut, [("Neo4j:QueryTimeout", "00:01:00")]),
            "answers slower than the request budget" => (Neo4jFaults.Slow(Budget + TimeSpan.FromSeconds(3)), timedOut, [("Neo4j:QueryTimeout", "00:01:00")]),
            "HTTP 500 without a body" => (Neo4jFaults.Answer(500, "", "text/plain"), unavailable, []),
            "HTTP 502 from a proxy" => (Neo4jFaults.Answer(502, "<html><body>Bad Gateway</body></html>", "text/html"), unavailable, []),
            "HTTP 503 with an empty JSON object" => (Neo4jFaults.Answer(503, "{}"), unavailable, []),
            "a body cut in half" => (Neo4jFaults.TruncatedBody(), unavailable, []),
            "a connection dropped mid-body" => (Neo4jFaults.DroppedMidBody(), unavailable, []),
            "HTML instead of JSON" => (Neo4jFaults.Answer(200, "<html>It works!</html>", "text/html"), unavailable, []),
            "a JSON array instead of an object" => (Neo4jFaults.Answer(200, "[]"), unavailable, []),
            "data of the wrong shape" => (Neo4jFaults.Answer(200, """{"data":{"fields":["x"],"values":"none"}}"""), unavailable, []),
            "rows of the wrong columns and types" => (Neo4jFaults.Answer(200, """{"data":{"fields":["x"],"values":[[{"unexpected":true}]]}}"""), unavailable, []),
            "an error array after data (HTTP 202)" => (Neo4jFaults.Answer(202, """{"data":{"fields":[],"values":[]},"errors":[{"code":"Neo.TransientError.Transaction.Terminated","message":"terminated"}]}"""), unavailable, []),
            "Neo.TransientError.General.DatabaseUnavailable" => (Neo4jFaults.Errors(503, "Neo.TransientError.General.DatabaseUnavailable", "The database is not currently available to serve your request."), unavailable, []),
            "Neo.TransientError.General.MemoryPoolOutOfMemoryError" => (Neo4jFaults.Errors(500, "Neo.TransientError.General.MemoryPoolOutOfMemoryError", "The allocation of an extra 2.0 MiB would use more than the limit."), unavailable, []),
            "Neo.ClientError.Security.Unauthorized" => (Neo4jFaults.Errors(401, "Neo.ClientError.Security.Unauthorized", $"The client is unauthorized due to authentication failure for {User} at {Host}."), unavailable, []),
            "HTTP 401 without a body" => (Neo4jFaults.Answer(401, "", "text/plain"), unavailable, []),
            "Neo.ClientError.Security.AuthenticationRateLimit" => (Neo4jFaults.Errors(429, "Neo.ClientError.Security.AuthenticationRateLimit", "Too many failed authentication requests."), unavailable, []),
            "Neo.ClientError.Database.DatabaseNotFound" => (Neo4jFaults.Errors(404, "Neo.ClientError.Database.DatabaseNotFound", "Graph not found: neo4j"), unavailable, []),
            "Neo.DatabaseError.General.UnknownError" => (Neo4jFaults.Errors(500, "Neo.DatabaseError.General.UnknownError", $"java.lang.IllegalStateException at {Host}"), unavailable, []),
            "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration" => (Neo4jFaults.Errors(400, "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
                "The transaction has been terminated. Retry your operation in a new transaction."), unavailable, []),
            _ => throw new ArgumentException(name),
        };
    }

    public static TheoryData<string> Faults()
    {
        var data = new TheoryData<string>();
        foreach (var name in new[]
                 {
                     "connection refused", "no answer within the query timeout", "no answer within the request budget",
                     "answers slower than the request budget", "HTTP 500 without a body", "HTTP 502 from a proxy",
                     "HTTP 503 with an empty JSON object", "a body cut in half", "a connection dropped mid-body", "HTML instead of JSON",
                     "a JSON array instead of an object", "data of the wrong shape", "rows of the wrong columns and types",
                     "an error array after data (HTTP 202)", "Neo.TransientError.General.DatabaseUnavailable",
                     "Neo.TransientError.General.MemoryPoolOutOfMemoryError", "Neo.ClientError.Security.Unauthorized", "HTTP 401 without a body",
                     "Neo.ClientError.Security.AuthenticationRateLimit", "Neo.ClientError.Database.DatabaseNotFound",
                     "Neo.DatabaseError.General.UnknownError", "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
                 })
            data.Add(name);
        return data;
    }

    /// <summary>Nothing that locates or opens Neo4j, and nothing of the code, in what a client reads.</summary>
    private void AssertNoInternals(string body)
    {
        string[] secrets =
        [
            Host, "127.0.0.1", ":7474", User, Password, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")),
            "   at ", "Exception", "System.", "SpineGraph.Storage", "java.lang",
        ];
        foreach (var secret in secrets) Assert.False(body.Contains(secret, StringComparison.Ordinal), $"the answer shows '{secret}': {body}");
    }

    private async Task<(HttpStatusCode Status, string Body, TimeSpan Took, HttpResponseMessage Response)> GetAsync(HttpClient client, string url)
    {
        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, clock.Elapsed, response);
    }

    private async Task AssertUnavailableAsync(HttpClient client, string url, string title, string fault)
    {
        var (status, body, took, response) = await GetAsync(client, url);
        using (response)
        {
            output.WriteLine($"{fault,-55} {url,-70} {(int)status} {took.TotalMilliseconds,7:0} ms");
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{url}: {(int)status} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, $"{url}: no Retry-After");
            var problem = JsonNode.Parse(body)!;
            Assert.Equal(503, (int)problem["status"]!);
            Assert.Equal(title, (string?)problem["title"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
            AssertNoInternals(body);
            Assert.True(took < HangGuard, $"{url} took {took}");
        }
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task AFaultGivesA503WithRetryAfterThatShowsNoInternalsAndEverythingComesBackWhenItClears(string name)
    {
        var (fault, title, settings) = Case(name);
        var faults = new FaultSwitch(harness.Server.Url) { Fault = fault };
        using var client = Api(faults, settings).CreateClient();

        foreach (var url in Urls) await AssertUnavailableAsync(client, url, title, name);
        var ready = await GetAsync(client, "/health/ready");
        output.WriteLine($"{name,-55} {"/health/ready",-70} {(int)ready.Status} {ready.Took.TotalMilliseconds,7:0} ms");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        AssertNoInternals(ready.Body);
        Assert.True(ready.Took < HangGuard);
        var live = await GetAsync(client, "/health/live");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.True(faults.Requests > 0, "no request reached the fault");

        faults.Fault = null;
        var back = await GetAsync(client, "/health/ready");
        Assert.True(back.Status == HttpStatusCode.OK, back.Body);
        AssertNoInternals(back.Body);
        foreach (var url in Urls)
        {
            var answer = await GetAsync(client, url);
            Assert.True(answer.Status == HttpStatusCode.OK, $"{url} after the fault cleared: {(int)answer.Status} {answer.Body}");
        }
    }

    private const string CypherKey = "fault-test-key-0123456789";

    [Theory]
    [InlineData("connection refused")]
    [InlineData("a connection dropped mid-body")]
    [InlineData("HTML instead of JSON")]
    [InlineData("HTTP 502 from a proxy")]
    [InlineData("Neo.ClientError.Security.Unauthorized")]
    [InlineData("Neo.ClientError.Database.DatabaseNotFound")]
    [InlineData("Neo.TransientError.General.DatabaseUnavailable")]
    public async Task AFaultUnderResearchersCypherIsA503ThatShowsNoInternals(string name)
    {
        var (fault, _, _) = Case(name);
        var faults = new FaultSwitch(harness.Server.Url) { Fault = fault };
        using var client = Api(faults, ("Cypher:Enabled", "true"), ("Cypher:ApiKey", CypherKey)).CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", CypherKey);
        const string body = """{"statement": "MATCH (n:Node) RETURN count(n) AS nodes"}""";

        var clock = Stopwatch.StartNew();
        using var failed = await client.PostAsync("/api/v1/cypher", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await failed.Content.ReadAsStringAsync();
        output.WriteLine($"{name,-55} {"POST /api/v1/cypher",-70} {(int)failed.StatusCode} {clock.Elapsed.TotalMilliseconds,7:0} ms");
        Assert.True(failed.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)failed.StatusCode} {text}");
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(failed.Headers.RetryAfter);
        AssertNoInternals(text);

        faults.Fault = null;
        using var ok = await client.PostAsync("/api/v1/cypher", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(ok.StatusCode == HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ADatabaseThatDisappearsMidRunIsReportedAndPickedUpAgainWhenItReturns()
    {
        var faults = new FaultSwitch(harness.Server.Url);
        using var client = Api(faults).CreateClient();
        foreach (var url in Urls) Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, url)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/ready")).Status);

        // Dropped (or its name changed) while the API runs: the catalog in memory still resolves names, but every read fails.
        faults.Fault = Neo4jFaults.Errors(404, "Neo.ClientError.Database.DatabaseNotFound", "Graph not found: neo4j");
        var ready = await GetAsync(client, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Contains("DatabaseNotFound", ready.Body);
        foreach (var url in new[] { "/api/v1/nodes/sg:sciatica", Treatments, "/api/v1/edges?minTier=T2" })
            await AssertUnavailableAsync(client, url, "Graph backend unavailable.", "database gone mid-run");

        faults.Fault = null;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/ready")).Status);
        foreach (var url in Urls) Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, url)).Status);
    }

    [Fact]
    public async Task RequestsWhileNeo4jHangsWaitOutOneTimeoutTogetherNotEachTheirOwnInTurn()
    {
        var faults = new FaultSwitch(harness.Server.Url) { Fault = Neo4jFaults.Hang(_hole) };
        using var client = Api(faults, ("Neo4j:QueryTimeout", "00:00:01"), ("Graph:RequestTimeout", "00:00:30")).CreateClient();

        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.GetAsync($"/api/v1/search?q=spasm&limit={i + 1}")));
        var took = clock.Elapsed;
        output.WriteLine($"20 requests while Neo4j hangs (query timeout 1 s): all answered in {took.TotalMilliseconds:0} ms; {faults.Requests} reached Neo4j");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.StatusCode));
        // One catalog read timed out and the others were told at once; each asking in turn (twice a request) would be ~40.
        Assert.True(faults.Requests <= 3, $"{faults.Requests} requests reached the hung Neo4j");
        Assert.True(took < HangGuard);
        foreach (var a in answers) a.Dispose();
    }

    [Fact]
    public async Task While256RequestsWaitOnAHungNeo4jLivenessKeepsAnsweringAndEachRequestEndsAtItsBudget()
    {
        var faults = new FaultSwitch(harness.Server.Url);
        var factory = Api(faults,
            ("Graph:RequestTimeout", "00:00:15"), ("Neo4j:QueryTimeout", "00:01:00"), ("Neo4j:CatalogRefreshInterval", "00:10:00"),
            ("RateLimit:PermitsPerWindow", "0"));
        factory.UseKestrel(0);
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = address, Timeout = HangGuard };
        using var probe = new HttpClient(new SocketsHttpHandler()) { BaseAddress = address, Timeout = HangGuard };

        // The catalog (names, sources) is loaded while Neo4j answers; then Neo4j hangs, so each request waits in its own expansion.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Treatments)).StatusCode);
        faults.Fault = Neo4jFaults.Hang(_hole);

        var clock = Stopwatch.StartNew();
        var requests = Enumerable.Range(0, 256).Select(async i =>
        {
            var t = Stopwatch.StartNew();
            using var r = await http.GetAsync($"{Treatments}&limit={1 + (i % 100)}&minTier=T{1 + (i / 100)}");
            return (r.StatusCode, t.Elapsed);
        }).ToArray();
        while (_hole.Accepted < 200 && clock.Elapsed < HangGuard) await Task.Delay(20);
        var held = _hole.Accepted;

        var probes = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            var t = Stopwatch.StartNew();
            using var live = await probe.GetAsync("/health/live");
            probes.Add(t.Elapsed.TotalMilliseconds);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            await Task.Delay(50);
        }
        var stillWaiting = requests.Count(r => !r.IsCompleted);
        var results = await Task.WhenAll(requests);

        probes.Sort();
        var times = results.Select(r => r.Elapsed.TotalMilliseconds).Order().ToArray();
        output.WriteLine($"Neo4j connections held by the hung server: {held}; requests still waiting after the probes: {stillWaiting}");
        output.WriteLine($"/health/live while 256 requests wait: median {probes[probes.Count / 2]:0.0} ms, max {probes[^1]:0.0} ms ({probes.Count} probes)");
        output.WriteLine($"the 256 requests: {string.Join(", ", results.GroupBy(r => (int)r.StatusCode).Select(g => $"{g.Count()} x {g.Key}"))}; " +
                         $"min {times[0]:0} ms, median {times[times.Length / 2]:0} ms, max {times[^1]:0} ms (budget 15 s)");
        Assert.True(held >= 200, $"only {held} requests reached Neo4j");
        Assert.True(stillWaiting > 0, "the requests ended before liveness was probed; the probe proved nothing");
        Assert.All(results, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.True(times[^1] < HangGuard.TotalMilliseconds);
        Assert.True(probes[^1] < HangGuard.TotalMilliseconds);

        faults.Fault = null;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Treatments + "&limit=3")).StatusCode);
    }
}
