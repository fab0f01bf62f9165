using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SpineGraph.Core;
using SpineGraph.Storage.Neo4j;
using SpineGraph.Tests.Api;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Neo4j;

/// <summary>The seed command against fresh test servers: idempotent, prunes what the seed dropped, clear failures.</summary>
public class Neo4jSeedCommandTests
{
    private static string CopySeed(Action<string> edit)
    {
        var dir = Directory.CreateTempSubdirectory("spinegraph-seed-").FullName;
        foreach (var f in Directory.GetFiles(SeedGraph.Directory, "*.jsonl")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        edit(dir);
        return dir;
    }

    [Fact]
    public async Task SeedingTwiceLeavesTheSameGraphAndPrintsCounts()
    {
        using var server = await QueryApiServer.StartAsync();
        using var stores = new Neo4jTestStores(server.Url);
        var first = await Neo4jTestStores.SeedCommandAsync(server.Url);
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains($"{SeedGraph.Data.Nodes.Count} nodes, {SeedGraph.Data.Edges.Count} relationships, {SeedGraph.Data.Sources.Count} sources", first.Out);
        var dump1 = await stores.DumpAsync();

        var second = await Neo4jTestStores.SeedCommandAsync(server.Url);
        Assert.True(second.Code == 0, second.Err);
        Assert.Contains("0 nodes created, 0 deleted; 0 relationships created, 0 deleted", second.Out);
        Assert.Equal(dump1, await stores.DumpAsync());
        Assert.Equal(SeedGraph.Data.Nodes.Count + SeedGraph.Data.Sources.Count + 1, dump1.Count(l => l.StartsWith("N ", StringComparison.Ordinal)));
        Assert.Equal(SeedGraph.Data.Edges.Count, dump1.Count(l => l.StartsWith("R ", StringComparison.Ordinal)));
        // Every node, source and relationship carries the stamp of the load that completed last.
        Assert.Equal(0, await stores.StaleStampsAsync());
    }

    [Fact]
    public async Task ReseedingRemovesWhatTheSeedNoLongerHolds()
    {
        // A different seed first (extra node, edge and source; changed properties), then the real one:
        // the result must equal a fresh database seeded with the real one only.
        var other = CopySeed(dir =>
        {
            File.AppendAllText(Path.Combine(dir, "sources.jsonl"), """{"id": "doi:10.0/extra", "kind": "review", "citation": "Extra source", "year": 2020}""" + "\n");
            File.AppendAllText(Path.Combine(dir, "nodes.jsonl"), """{"id": "sg:extra-symptom", "category": ["biolink:PhenotypicFeature"], "name": "Extra symptom for tests", "description": "Only in the test seed.", "synonym": ["extra thing"]}""" + "\n");
            var firstCondition = SeedGraph.Data.Nodes.First(n => n.Category == NodeCategory.Condition).Id;
            File.AppendAllText(Path.Combine(dir, "edges.jsonl"), $$"""{"id": "sg:e-extra", "subject": "{{firstCondition}}", "predicate": "biolink:has_phenotype", "object": "sg:extra-symptom", "evidence_tier": "T4", "effect": "uncertain", "knowledge_level": "observation", "agent_type": "manual_agent", "claim": "Test only.", "publications": ["doi:10.0/extra"], "primary_knowledge_source": "infores:spinegraph"}""" + "\n");
            var edges = File.ReadAllLines(Path.Combine(dir, "edges.jsonl"));
            edges[0] = edges[0].Replace("\"evidence_tier\": \"T5\"", "\"evidence_tier\": \"T1\"", StringComparison.Ordinal);
            File.WriteAllLines(Path.Combine(dir, "edges.jsonl"), edges);
        });
        try
        {
            using var fresh = await QueryApiServer.StartAsync();
            using var freshStores = new Neo4jTestStores(fresh.Url);
            Assert.Equal(0, (await Neo4jTestStores.SeedCommandAsync(fresh.Url)).Code);
            var expected = await freshStores.DumpAsync();

            using var server = await QueryApiServer.StartAsync();
            using var stores = new Neo4jTestStores(server.Url);
            var a = await Neo4jTestStores.SeedCommandAsync(server.Url, other);
            Assert.True(a.Code == 0, a.Err);
            Assert.NotEqual(expected, await stores.DumpAsync());
            var b = await Neo4jTestStores.SeedCommandAsync(server.Url);
            Assert.True(b.Code == 0, b.Err);
            Assert.Contains("2 deleted", b.Out); // the extra node and the extra source
            Assert.Equal(expected, await stores.DumpAsync());
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public async Task AnInvalidSeedIsReportedByFileAndLineAndNothingIsWritten()
    {
        var bad = CopySeed(dir => File.AppendAllText(Path.Combine(dir, "nodes.jsonl"), "{\"id\": \"sg:broken\"\n"));
        try
        {
            using var server = await QueryApiServer.StartAsync();
            var (code, _, err) = await Neo4jTestStores.SeedCommandAsync(server.Url, bad);
            Assert.Equal(Neo4jSeedCommand.BadSeed, code);
            Assert.Matches(@"nodes\.jsonl:\d+: bad JSON", err);
            using var stores = new Neo4jTestStores(server.Url);
            Assert.Empty(await stores.DumpAsync());
        }
        finally
        {
            Directory.Delete(bad, recursive: true);
        }
    }

    [Fact]
    public async Task AnUnreachableNeo4jExitsNonZeroWithAClearMessage()
    {
        var (code, _, err) = await Neo4jTestStores.SeedCommandAsync("http://127.0.0.1:9", null, "--Neo4j:ConnectTimeout=00:00:01");
        Assert.Equal(Neo4jSeedCommand.Unavailable, code);
        Assert.Contains("Neo4j is unreachable or failing", err);
        Assert.Contains("127.0.0.1:9", err);
    }

    [Fact]
    public async Task WrongCredentialsExitNonZeroNamingTheError()
    {
        using var server = await QueryApiServer.StartAsync("neo4j", "right-password");
        var (code, _, err) = await Neo4jTestStores.SeedCommandAsync(server.Url, null, "--Neo4j:User=neo4j", "--Neo4j:Password=wrong-password");
        Assert.Equal(Neo4jSeedCommand.Unavailable, code);
        Assert.Contains("Neo.ClientError.Security.Unauthorized", err);
        Assert.DoesNotContain("wrong-password", err);

        var ok = await Neo4jTestStores.SeedCommandAsync(server.Url, null, "--Neo4j:User=neo4j", "--Neo4j:Password=right-password");
        Assert.True(ok.Code == 0, ok.Err);
    }

    [Fact]
    public async Task CredentialsComeFromAnAuthFileAsDockerSecretsMountThem()
    {
        using var server = await QueryApiServer.StartAsync("neo4j", "file-password");
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "neo4j/file-password\n");
            var ok = await Neo4jTestStores.SeedCommandAsync(server.Url, null, $"--Neo4j:AuthFile={file}");
            Assert.True(ok.Code == 0, ok.Err);

            await File.WriteAllTextAsync(file, "no slash here");
            var bad = await Neo4jTestStores.SeedCommandAsync(server.Url, null, $"--Neo4j:AuthFile={file}");
            Assert.Equal(Neo4jSeedCommand.BadSettings, bad.Code);
            Assert.Contains("must hold 'user/password'", bad.Err);
            Assert.DoesNotContain("no slash here", bad.Err);
        }
        finally
        {
            File.Delete(file);
        }
        var missing = await Neo4jTestStores.SeedCommandAsync(server.Url, null, "--Neo4j:AuthFile=/no/such/neo4j_auth");
        Assert.Equal(Neo4jSeedCommand.BadSettings, missing.Code);
        Assert.Contains("Neo4j:AuthFile '/no/such/neo4j_auth' cannot be read", missing.Err);
    }

    [Fact]
    public async Task InvalidSettingsExitNonZero()
    {
        var (code, _, err) = await Neo4jTestStores.SeedCommandAsync("not a url");
        Assert.Equal(Neo4jSeedCommand.BadSettings, code);
        Assert.Contains("Neo4j:Url", err);
    }
}

/// <summary>Neo4j down, unseeded, or back: the store reports it (503 + Retry-After, health not ready) and recovers by itself.</summary>
[Collection(HarnessCollection.Name)]
public class Neo4jResilienceTests(HarnessFixture fixture)
{
    /// <summary>Forwards to the harness server, or refuses connections while <see cref="Down"/>.</summary>
    private sealed class Switch(string url) : DelegatingHandler(new SocketsHttpHandler())
    {
        public volatile bool Down = true;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (Down) throw new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
            var target = new Uri(url);
            request.RequestUri = new UriBuilder(request.RequestUri!) { Host = target.Host, Port = target.Port }.Uri;
            return base.SendAsync(request, ct);
        }
    }

    [Fact]
    public async Task TheApiAnswers503WithRetryAfterWhileNeo4jIsDownAndRecoversByItself()
    {
        var sw = new Switch(fixture.Server.Url);
        using var factory = new ApiFactory(new Dictionary<string, string?>
        {
            ["Graph:Backend"] = "Neo4j",
            ["Neo4j:Url"] = "http://neo4j.invalid:7474",
            ["Neo4j:RetryBaseDelay"] = "00:00:00.001",
        })
            .WithWebHostBuilder(b => b.ConfigureTestServices(s =>
                s.AddHttpClient(Neo4jQueryClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => sw)));
        using var client = factory.CreateClient();

        using (var down = await client.GetAsync("/api/v1/search?q=spasm"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.True(down.Headers.RetryAfter is not null, "Retry-After missing");
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        }
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("connection failed", await ready.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        sw.Down = false;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        using var up = await client.GetAsync("/api/v1/search?q=spasm");
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }

    [Fact]
    public async Task AnUnseededDatabaseIsNotReadyAndSaysToSeed()
    {
        using var empty = await QueryApiServer.StartAsync();
        using var stores = new Neo4jTestStores(empty.Url);
        var health = await stores.Store.CheckHealthAsync(default);
        Assert.False(health.Ready);
        Assert.Contains("seed", health.Detail);
        var ex = await Assert.ThrowsAsync<GraphUnavailableException>(async () => await stores.Store.GetMetaAsync(default));
        Assert.Contains("seed", ex.Message);
    }

    [Fact]
    public async Task EveryStatementTheStoreAndSeederSendIsInTheLintedCatalog()
    {
        using var stores = new Neo4jTestStores(fixture.Server.Url);
        var store = stores.Store;
        await stores.Seeder.SeedAsync(SeedGraph.Data, default);
        await store.GetMetaAsync(default);
        await store.CheckHealthAsync(default);
        await store.GetNodeAsync("sg:sciatica", default);
        await store.GetNodesAsync(["sg:sciatica"], default);
        await store.ListNodesAsync(NodeCategory.Symptom, null, 5, default);
        await store.GetLexiconAsync(default);
        await store.GetEdgesAsync([new EdgeRef("sg:e-x", "sg:sciatica", "sg:muscle-spasm")], default);
        var allHops = Vocabulary.Predicates.SelectMany(p => new[] { Hop.Out(p), Hop.In(p) }).ToArray();
        await store.ExpandAsync(["sg:sciatica"], allHops, EdgeFilter.All, 5, default);
        await store.ListEdgesAsync(new EdgeQuery(), null, 5, default);

        var catalog = CypherCatalog.All.Select(s => s.Text).ToHashSet();
        var sent = stores.Statements.Distinct().ToArray();
        Assert.All(sent, s => Assert.True(catalog.Contains(s), "not in CypherCatalog.All: " + s));
        Assert.True(sent.Length >= CypherCatalog.All.Count - 1, $"only {sent.Length} of {CypherCatalog.All.Count} catalogued statements were exercised");
    }
}
