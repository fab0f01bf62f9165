using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpineGraph.Core;
using SpineGraph.Core.Seed;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Api;

/// <summary>How the API behaves when the graph backend is slow, down or broken, and when the seed is invalid.</summary>
public class FailureModeTests
{
    /// <summary>A store that answers like the seed, except for the failure it is given.</summary>
    private sealed class FaultyStore(Func<CancellationToken, Task> fault, Action? onExpand = null) : IGraphStore
    {
        private readonly IGraphStore _inner = SeedGraph.Store;

        public async ValueTask<GraphMeta> GetMetaAsync(CancellationToken ct) { await fault(ct); return await _inner.GetMetaAsync(ct); }
        public async ValueTask<IReadOnlyList<Node>> GetLexiconAsync(CancellationToken ct) { await fault(ct); return await _inner.GetLexiconAsync(ct); }
        public async ValueTask<NodeDetail?> GetNodeAsync(string id, CancellationToken ct) { await fault(ct); return await _inner.GetNodeAsync(id, ct); }
        public ValueTask<IReadOnlyList<Node>> GetNodesAsync(IReadOnlyList<string> ids, CancellationToken ct) => _inner.GetNodesAsync(ids, ct);
        public ValueTask<IReadOnlyList<Edge>> GetEdgesAsync(IReadOnlyList<EdgeRef> refs, CancellationToken ct) => _inner.GetEdgesAsync(refs, ct);
        public ValueTask<Slice<Node>> ListNodesAsync(NodeCategory? c, string? a, int l, CancellationToken ct) => _inner.ListNodesAsync(c, a, l, ct);
        public async ValueTask<(IReadOnlyList<Edge> Items, bool More)> ListEdgesAsync(EdgeQuery q, string? a, int l, CancellationToken ct) { await fault(ct); return await _inner.ListEdgesAsync(q, a, l, ct); }
        public async ValueTask<Expansion> ExpandAsync(IReadOnlyCollection<string> f, IReadOnlyList<Hop> h, EdgeFilter e, int l, CancellationToken ct) { await fault(ct); onExpand?.Invoke(); return await _inner.ExpandAsync(f, h, e, l, ct); }
        public async ValueTask<StoreHealth> CheckHealthAsync(CancellationToken ct)
        {
            try { await fault(ct); return new StoreHealth(true, "faulty", null); }
            catch (GraphUnavailableException ex) { return new StoreHealth(false, "faulty", ex.Message); }
        }
    }

    private static HttpClient ClientWith(Func<CancellationToken, Task> fault, string timeout = "00:00:10", string cache = "00:01:00", Action? onExpand = null)
    {
        var factory = new ApiFactory(new Dictionary<string, string?> { ["Graph:RequestTimeout"] = timeout, ["Graph:ResponseCacheDuration"] = cache })
            .WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            {
                s.RemoveAll<IGraphStore>();
                s.AddSingleton<IGraphStore>(new FaultyStore(fault, onExpand));
            }));
        return factory.CreateClient();
    }

    private static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task ABackendThatIsDownGivesA503WithRetryAfterAndReadinessSaysSo()
    {
        var client = ClientWith(_ => throw new GraphUnavailableException("Neo4j is unreachable.", retryAfter: TimeSpan.FromSeconds(7)));

        using var search = await client.GetAsync("/api/v1/search?q=spasm");
        var problem = await Problem(search, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("7", search.Headers.RetryAfter?.ToString());
        Assert.Contains("unreachable", (string)problem["detail"]!);

        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task AQueryThatRunsPastTheTimeLimitIsCancelledWithA503()
    {
        var client = ClientWith(ct => Task.Delay(TimeSpan.FromSeconds(30), ct), timeout: "00:00:01");

        var started = DateTime.UtcNow;
        using var response = await client.GetAsync("/api/v1/search?q=spasm");
        var problem = await Problem(response, HttpStatusCode.ServiceUnavailable);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(2)); // guards a hang only
        Assert.Contains("did not finish", (string)problem["detail"]!);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("/api/v1/treatments?symptom=spasm&minTier=T9", "minTier")]
    [InlineData("/api/v1/treatments?symptom=spasm&limit=abc", "limit")]
    [InlineData("/api/v1/search?q=spasm&limit=0", "limit")]
    [InlineData("/api/v1/paths?from=a", "to")]
    [InlineData("/api/v1/symptoms/sg:muscle-spasm/causes?cursor=nonsense", "cursor")]
    [InlineData("/api/v1/nodes/sg:massage/edges?direction=sideways", "direction")]
    public async Task ABadParameterIsA400EvenWhileTheBackendIsDown(string url, string parameter)
    {
        var client = ClientWith(_ => throw new GraphUnavailableException("Neo4j is unreachable.", retryAfter: TimeSpan.FromSeconds(7)));
        using var response = await client.GetAsync(url);
        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]?[parameter]);
    }

    [Theory]
    [InlineData("00:01:00", true)]
    [InlineData("00:00:00", false)]
    public async Task ARepeatedQueryIsServedFromTheOutputCacheOnlyWhenItIsOn(string duration, bool cached)
    {
        var calls = 0; // traversal reads (expansions) reaching the store
        var client = ClientWith(_ => Task.CompletedTask, cache: duration, onExpand: () => Interlocked.Increment(ref calls));
        const string url = "/api/v1/symptoms/sg:muscle-spasm/causes";
        using var first = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var afterFirst = calls;
        using var second = await client.GetAsync(url);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(cached, calls == afterFirst);
        using var other = await client.GetAsync(url + "?limit=3");
        Assert.True(calls > afterFirst || !cached, "another query must reach the graph");
    }

    [Fact]
    public async Task AnUnexpectedFailureIsA500ProblemThatHidesInternals()
    {
        var client = ClientWith(_ => throw new InvalidOperationException("secret connection string xyz"));

        using var response = await client.GetAsync("/api/v1/nodes/sg:massage");
        var problem = await Problem(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("secret", problem.ToJsonString());
    }

    [Fact]
    public void TheApiRefusesToStartOnAnInvalidSeed()
    {
        var dir = Directory.CreateTempSubdirectory("spinegraph-bad-seed-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, SeedLoader.SourcesFile), "");
            File.WriteAllText(Path.Combine(dir, SeedLoader.NodesFile), "{\"id\":\"sg:x\"}\n");
            File.WriteAllText(Path.Combine(dir, SeedLoader.EdgesFile), "");
            var seedError = ApiFactory.StartupFailure<SeedValidationException>(new Dictionary<string, string?> { ["Graph:SeedPath"] = dir });
            Assert.Contains(seedError.Errors, e => e.ToString().StartsWith("nodes.jsonl:1: missing required field 'category'"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
