using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Api;

/// <summary>The API started as a process with settings, a seed or a snapshot it cannot use: one line per problem, no trace.</summary>
public class StartupTests
{
    private static async Task<(int Code, string Err)> StartAsync(params string[] args)
    {
        // A bad setting stops the process at once; the two minutes only guard against a hang.
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "SpineGraph.Api.dll"), "--urls", "http://127.0.0.1:0", .. args], SeedGraph.RepositoryRoot, TimeSpan.FromMinutes(2));
        return (code, stderr + stdout);
    }

    [Theory]
    [InlineData("--Graph:Backend=Foo", "spinegraph: Graph:Backend: 'Foo' is not valid; use one of Embedded, Neo4j.")]
    [InlineData("--Graph:RequestTimeout=soon", "spinegraph: Graph:RequestTimeout: 'soon' is not valid; use a time span such as 00:00:30.")]
    [InlineData("--Graph:RequestTimeout=00:00:00", "spinegraph: Graph:RequestTimeout: The field RequestTimeout must be between 00:00:01 and 00:05:00.")]
    [InlineData("--Graph:SnapshotPath=/no/such/graph.sgb", "spinegraph: Snapshot '/no/such/graph.sgb' does not exist.")]
    public async Task ASettingTheApiCannotUseStopsItWithOneLineNamingItAndNoStackTrace(string setting, string line)
    {
        var (code, err) = await StartAsync(setting);
        Assert.Equal(2, code);
        Assert.Equal(line, err.Trim());
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public async Task AnInvalidSeedStopsItWithEveryProblemAsFileAndLine()
    {
        var dir = Directory.CreateTempSubdirectory("sg-bad-seed-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "nodes.jsonl"), "{\"id\": \"sg:x\"}\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "edges.jsonl"), "");
            await File.WriteAllTextAsync(Path.Combine(dir, "sources.jsonl"), "");
            var (code, err) = await StartAsync($"--Graph:SeedPath={dir}");
            Assert.Equal(3, code);
            Assert.Contains("spinegraph:   nodes.jsonl:1: missing required field 'name'", err);
            Assert.DoesNotContain("   at ", err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>Security headers on answers and problems alike.</summary>
public class SecurityHeaderTests(EmbeddedApiFixture fixture) : IClassFixture<EmbeddedApiFixture>
{
    [Theory]
    [InlineData("/api/v1/nodes/sg:muscle-spasm", 200)]
    [InlineData("/api/v1/nodes/sg:no-such-node", 404)]
    [InlineData("/api/v1/search?q=", 400)]
    [InlineData("/health/live", 200)]
    public async Task EveryAnswerForbidsSniffingFramingAndReferrers(string url, int status)
    {
        using var response = await fixture.Factory.CreateClient().GetAsync(url);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // plain HTTP: HSTS only over TLS
    }
}

/// <summary>The per-client rate limit: a 429 problem with Retry-After past it; health checks never limited.</summary>
public sealed class RateLimitTests : IDisposable
{
    private readonly ApiFactory _factory = new(new Dictionary<string, string?>
    {
        ["RateLimit:PermitsPerWindow"] = "3",
        ["RateLimit:Window"] = "00:10:00",
        ["Graph:ResponseCacheDuration"] = "00:00:00",
    });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task PastTheLimitAClientGetsA429ProblemWithRetryAfterAndHealthStillAnswers()
    {
        var client = _factory.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/nodes/sg:muscle-spasm")).StatusCode);
        using var limited = await client.GetAsync("/api/v1/nodes/sg:muscle-spasm");
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var seconds = int.Parse(string.Join("", limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 600);
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
        Assert.Equal(429, (int)problem["status"]!);
        Assert.Equal(3, (int)problem["limit"]!);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task ARateLimitOfZeroTurnsItOff()
    {
        using var factory = new ApiFactory(new Dictionary<string, string?> { ["RateLimit:PermitsPerWindow"] = "0" });
        var client = factory.CreateClient();
        for (var i = 0; i < 20; i++)
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/meta")).StatusCode);
    }
}

/// <summary>Raw Cypher has its own, smaller budget per API key, on top of the per-address limit.</summary>
public sealed class CypherRateLimitTests : IDisposable
{
    private const string OtherKey = "another-test-only-cypher-key-42";

    private readonly ApiFactory _factory = new(new Dictionary<string, string?>
    {
        ["Cypher:Enabled"] = "true",
        ["Cypher:ApiKeys:0"] = Cypher.Key,
        ["Cypher:ApiKeys:1"] = OtherKey,
        ["Cypher:PermitsPerMinute"] = "2",
    });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task AKeyPastItsCypherBudgetGetsA429NamingTheSettingWhileOtherKeysAndEndpointsGoOn()
    {
        var client = _factory.CreateClient();
        var statement = new { statement = "RETURN 1" };
        // The embedded backend answers 501 once a statement gets past the limiter: enough to count what the limiter let through.
        for (var i = 0; i < 2; i++)
            Assert.Equal(System.Net.HttpStatusCode.NotImplemented, (await Cypher.PostAsync(client, statement)).StatusCode);
        using var limited = await Cypher.PostAsync(client, statement);
        var problem = await Cypher.Read(limited, System.Net.HttpStatusCode.TooManyRequests);
        Assert.Contains("Cypher:PermitsPerMinute", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(2, (int)problem["limit"]!);
        Assert.InRange(int.Parse(string.Join("", limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture), 1, 60);

        Assert.Equal(System.Net.HttpStatusCode.NotImplemented, (await Cypher.PostAsync(client, statement, OtherKey)).StatusCode);
        // Without a known key the budget is the client address's, apart from any key's.
        Assert.Equal(System.Net.HttpStatusCode.NotImplemented, (await Cypher.PostAsync(client, statement, "not-a-key-of-this-server")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/meta")).StatusCode);
    }
}
