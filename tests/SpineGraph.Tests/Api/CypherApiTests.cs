using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SpineGraph.Api.Apis;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Storage.Neo4j;
using SpineGraph.Tests.Neo4j;

namespace SpineGraph.Tests.Api;

/// <summary>Helpers for calling <c>POST /api/v1/cypher</c>.</summary>
internal static class Cypher
{
    /// <summary>A test-only key (configuration of the test hosts; no real key is committed anywhere).</summary>
    public const string Key = "test-only-cypher-key-0123456789";

    public static Dictionary<string, string?> Settings(string neo4jUrl, params (string Key, string Value)[] more)
    {
        var s = new Dictionary<string, string?>
        {
            ["Graph:Backend"] = "Neo4j",
            ["Neo4j:Url"] = neo4jUrl,
            ["Neo4j:MaxRetries"] = "0",
            ["Cypher:Enabled"] = "true",
            ["Cypher:ApiKey"] = Key,
        };
        foreach (var (k, v) in more) s[k] = v;
        return s;
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, object body, string? key = Key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cypher") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add(CypherApi.KeyHeader, key);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string body, string mediaType = "application/json", string url = "/api/v1/cypher")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        request.Headers.Add(CypherApi.KeyHeader, Key);
        return client.SendAsync(request);
    }

    public static async Task<JsonNode> Read(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(expected == HttpStatusCode.OK ? "application/json" : "application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        if (expected != HttpStatusCode.OK) Assert.Equal((int)expected, (int)body["status"]!);
        return body;
    }

    public static string[] Columns(JsonNode answer) => answer["columns"]!.AsArray().Select(c => (string)c!).ToArray();

    public static string[][] Rows(JsonNode answer) =>
        answer["rows"]!.AsArray().Select(r => r!.AsArray().Select(v => v?.ToJsonString() ?? "null").ToArray()).ToArray();
}

/// <summary>Raw Cypher where it cannot run: switched off (404) and on the embedded backend (501); start-up checks.</summary>
public class CypherApiEmbeddedTests(EmbeddedApiFixture fixture) : IClassFixture<EmbeddedApiFixture>
{
    [Fact]
    public async Task RawCypherIsOffUnlessConfiguredAndSaysHowToTurnItOn()
    {
        using var response = await Cypher.PostAsync(fixture.Factory.CreateClient(), new { statement = "RETURN 1 AS one" });
        var problem = await Cypher.Read(response, HttpStatusCode.NotFound);
        Assert.Equal("Raw Cypher is disabled.", (string)problem["title"]!);
        Assert.Contains("Cypher:Enabled=true", (string)problem["detail"]!);
        Assert.Contains("Cypher:ApiKey", (string)problem["detail"]!);
    }

    [Fact]
    public async Task OnTheEmbeddedBackendRawCypherIsNotImplementedWithOrWithoutAKey()
    {
        using var factory = new ApiFactory(new Dictionary<string, string?> { ["Cypher:Enabled"] = "true", ["Cypher:ApiKey"] = Cypher.Key });
        var client = factory.CreateClient();
        foreach (var key in new[] { Cypher.Key, null, "wrong-key" })
        {
            using var response = await Cypher.PostAsync(client, new { statement = "RETURN 1 AS one" }, key);
            var problem = await Cypher.Read(response, HttpStatusCode.NotImplemented);
            Assert.Equal("Raw Cypher needs the Neo4j backend.", (string)problem["title"]!);
            Assert.Contains("Graph:Backend=Neo4j", (string)problem["detail"]!);
        }
    }

    [Theory]
    [InlineData(null, "no API key is set")]
    [InlineData("k3y-Qz7", "shorter than 16 characters")]
    public async Task TurningRawCypherOnWithoutAGoodKeyStopsTheApiAtStart(string? key, string message)
    {
        // The API's own registration (AddCypherApi) in a bare host: its start fails as the API's does.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Cypher:Enabled"] = "true", ["Cypher:ApiKey"] = key });
        builder.AddCypherApi();
        using var host = builder.Build();
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var all = string.Join("\n", ApiFactory.Chain(ex).Select(e => e.Message));
        Assert.True(all.Contains(message, StringComparison.Ordinal), ex.ToString());
        if (key is not null) Assert.DoesNotContain(key, all); // the key itself is never in a message
    }
}

/// <summary>Raw Cypher on the Neo4j backend, over the Query API test server seeded with graph-seed/.</summary>
[Collection(HarnessCollection.Name)]
public sealed class CypherApiNeo4jTests(HarnessFixture fixture) : IDisposable
{
    private ApiFactory? _factory;

    private HttpClient Client(params (string Key, string Value)[] more)
    {
        _factory = new ApiFactory(Cypher.Settings(fixture.Server.Url, more));
        return _factory.CreateClient();
    }

    public void Dispose() => _factory?.Dispose();

    [Fact]
    public async Task OnNeo4jRawCypherIsStillOffUnlessConfigured()
    {
        using var response = await Cypher.PostAsync(fixture.Api.CreateClient(), new { statement = "RETURN 1 AS one" });
        Assert.Contains("Cypher:Enabled", (string)(await Cypher.Read(response, HttpStatusCode.NotFound))["detail"]!);
    }

    [Fact]
    public async Task WithoutAKeyItIs401WithAChallengeAndWithAWrongKey403()
    {
        var client = Client();
        using var none = await Cypher.PostAsync(client, new { statement = "RETURN 1 AS one" }, key: null);
        var problem = await Cypher.Read(none, HttpStatusCode.Unauthorized);
        Assert.Contains(CypherApi.KeyHeader, none.Headers.WwwAuthenticate.ToString());
        Assert.Contains(CypherApi.KeyHeader, (string)problem["detail"]!);

        const string wrong = "not-the-key-but-long-enough-0000";
        using var bad = await Cypher.PostAsync(client, new { statement = "RETURN 1 AS one" }, wrong);
        var forbidden = await Cypher.Read(bad, HttpStatusCode.Forbidden);
        Assert.DoesNotContain(wrong, forbidden.ToJsonString());
        Assert.DoesNotContain(Cypher.Key, forbidden.ToJsonString());

        using var good = await Cypher.PostAsync(client, new { statement = "RETURN 1 AS one" });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task AReadWithParametersAnswersTheSameRowsAsTheEdgesEndpoint()
    {
        var client = Client();
        using var response = await Cypher.PostAsync(client, new
        {
            statement = CypherOpenApi.ExampleStatement,
            parameters = new { condition = "sg:lumbar-spinal-stenosis", maxTier = 3 },
        });
        var answer = await Cypher.Read(response, HttpStatusCode.OK);
        Assert.Equal(["treatment", "tier", "effect"], Cypher.Columns(answer));
        Assert.False((bool)answer["truncated"]!);

        // The same question through the engine: treatments of lumbar spinal stenosis with T1–T3 evidence.
        var edges = JsonNode.Parse(await client.GetStringAsync("/api/v1/nodes/sg:lumbar-spinal-stenosis/edges?predicate=treats&direction=in&minTier=T3&limit=100"))!;
        var expected = edges["items"]!.AsArray()
            .Select(item => edges["edges"]![(string)item!["edge"]!]!)
            .Select(e => ((string)edges["nodes"]![(string)e["subject"]!]!["name"]!, int.Parse(((string)e["evidenceTier"]!)[1..], System.Globalization.CultureInfo.InvariantCulture), (string)e["effect"]!))
            .OrderBy(t => t.Item2).ThenBy(t => t.Item1, StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(expected);
        var rows = answer["rows"]!.AsArray().Select(r => ((string)r![0]!, (int)r[1]!, (string)r[2]!)).ToArray();
        Assert.Equal(expected, rows);
        Assert.Equal(expected.Length, (int)answer["rowCount"]!);

        var meta = JsonNode.Parse(await client.GetStringAsync("/api/v1/meta"))!;
        Assert.Equal((string)meta["version"]!, (string)answer["graphVersion"]!);
    }

    [Fact]
    public async Task TheRowCapTruncatesAndSaysSo()
    {
        var client = Client(("Cypher:MaxRows", "5"));
        using var capped = await Cypher.PostAsync(client, new { statement = "MATCH (n:Node) RETURN n.id AS id ORDER BY id" });
        var answer = await Cypher.Read(capped, HttpStatusCode.OK);
        Assert.True((bool)answer["truncated"]!);
        Assert.Equal(5, (int)answer["rowCap"]!);
        var firstNodes = JsonNode.Parse(await client.GetStringAsync("/api/v1/nodes?limit=5"))!["items"]!.AsArray().Select(n => JsonSerializer.Serialize((string)n!["id"]!));
        Assert.Equal(firstNodes, Cypher.Rows(answer).Select(r => r[0]));

        using var exact = await Cypher.PostAsync(client, new { statement = "UNWIND range(1, 5) AS x RETURN x" });
        var five = await Cypher.Read(exact, HttpStatusCode.OK);
        Assert.False((bool)five["truncated"]!);
        Assert.Equal(["1", "2", "3", "4", "5"], Cypher.Rows(five).Select(r => r[0]));
    }

    [Fact]
    public async Task AnAnswerLargerThanTheByteCapIsReadOnlyThatFar()
    {
        var client = Client(("Cypher:MaxRows", "100000"), ("Cypher:MaxAnswerBytes", "65536"));
        using var response = await Cypher.PostAsync(client, new { statement = "UNWIND range(1, 20000) AS x RETURN x, 'padding padding padding padding' AS pad" });
        var answer = await Cypher.Read(response, HttpStatusCode.OK);
        Assert.True((bool)answer["truncated"]!);
        var count = (int)answer["rowCount"]!;
        Assert.InRange(count, 100, 19_999);
        Assert.Equal(Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Cypher.Rows(answer).Select(r => r[0]));
    }

    [Theory]
    [InlineData("CREATE (n:Node {id: 'sg:written'}) RETURN n", "CREATE")]
    [InlineData("MATCH (n:Node {id: 'sg:massage'}) DETACH DELETE n", "DETACH")]
    [InlineData("MATCH (n:Node {id: 'sg:massage'}) SET n.name = 'x' RETURN n", "SET")]
    [InlineData("MERGE (n:Node {id: 'sg:written'}) RETURN n", "MERGE")]
    [InlineData("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "LOAD")]
    [InlineData("CALL dbms.security.createUser('x', 'y')", "CALL dbms.security.createUser")]
    [InlineData("match (n) /* harmless? */ remove n.name return n", "remove")]
    public async Task AWriteIsRefusedBeforeItIsSentNamingTheClause(string statement, string clause)
    {
        var client = Client();
        using var response = await Cypher.PostAsync(client, new { statement });
        var problem = await Cypher.Read(response, HttpStatusCode.BadRequest);
        Assert.Equal(clause, (string)problem["clause"]!);
        Assert.Contains($"'{clause}'", (string)problem["errors"]!["statement"]![0]!);

        using var check = await Cypher.PostAsync(client, new { statement = "MATCH (n:Node) WHERE n.id = 'sg:written' OR n.name = 'x' RETURN count(n) AS n" });
        Assert.Equal([["0"]], Cypher.Rows(await Cypher.Read(check, HttpStatusCode.OK)));
    }

    [Fact]
    public async Task WriteWordsInStringsCommentsAndPropertyNamesAreNotClauses()
    {
        using var response = await Cypher.PostAsync(Client(), new
        {
            statement = "// CREATE nothing\nMATCH (n:Node {id: $id}) RETURN 'MERGE (n) DELETE n' AS text, n.`set` AS s, $x AS r /* DROP */",
            parameters = new { id = "sg:massage", x = 1 },
        });
        var answer = await Cypher.Read(response, HttpStatusCode.OK);
        Assert.Equal([["\"MERGE (n) DELETE n\"", "null", "1"]], Cypher.Rows(answer));
    }

    [Fact]
    public async Task Neo4jItselfRefusesAWriteInReadAccessMode()
    {
        // Past the check before sending (called directly): the server refuses, as Neo4j does in READ mode.
        Client();
        var query = _factory!.Services.GetRequiredService<Neo4jReadOnlyQuery>();
        var ex = await Assert.ThrowsAsync<Neo4jQueryException>(() => query.RunAsync("CREATE (n:Node {id: 'sg:written-by-read'}) RETURN n.id",
            new Dictionary<string, JsonElement>(), 10, 1 << 20, CancellationToken.None));
        Assert.Equal("Neo.ClientError.Statement.AccessMode", ex.Code);
        var count = await query.RunAsync("MATCH (n:Node {id: $id}) RETURN count(n) AS n",
            new Dictionary<string, JsonElement> { ["id"] = JsonSerializer.SerializeToElement("sg:written-by-read") }, 10, 1 << 20, CancellationToken.None);
        Assert.Equal(0, count.Rows[0][0].GetInt32());
    }

    [Fact]
    public async Task ASyntaxErrorIsA400CarryingNeo4jsCodeAndMessage()
    {
        using var response = await Cypher.PostAsync(Client(), new { statement = "MATCH (n:Node RETURN n" });
        var problem = await Cypher.Read(response, HttpStatusCode.BadRequest);
        Assert.Equal("Neo4j refused the statement.", (string)problem["title"]!);
        Assert.Equal("Neo.ClientError.Statement.SyntaxError", (string)problem["neo4jCode"]!);
        Assert.False(string.IsNullOrWhiteSpace((string)problem["errors"]!["statement"]![0]!));
    }

    [Theory]
    [InlineData("{}", "statement")]
    [InlineData("{\"statement\": \"   \"}", "statement")]
    [InlineData("{\"statement\": 42}", "statement")]
    [InlineData("{\"statement\": \"RETURN 1\", \"parameters\": [1]}", "parameters")]
    [InlineData("{\"statement\": \"RETURN 1\", \"params\": {}}", "params")]
    [InlineData("{\"statement\": \"RETURN 1\"", "body")]
    [InlineData("[\"RETURN 1\"]", "body")]
    public async Task ABadBodyIsA400NamingTheField(string body, string field)
    {
        using var response = await Cypher.PostRawAsync(Client(), body);
        var problem = await Cypher.Read(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task LimitsOnStatementAndBodyAreNamed()
    {
        var client = Client(("Cypher:MaxStatementLength", "100"));
        using var longStatement = await Cypher.PostAsync(client, new { statement = "RETURN 1 AS one" + new string(' ', 100) });
        Assert.Contains("at most 100", (string)(await Cypher.Read(longStatement, HttpStatusCode.BadRequest))["errors"]!["statement"]![0]!);

        using var huge = await Cypher.PostAsync(client, new { statement = "RETURN $x AS x", parameters = new { x = new string('x', 70_000) } });
        var tooLarge = await Cypher.Read(huge, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("body", (string)tooLarge["limit"]!);
        Assert.Equal(CypherOptions.MaxBodyBytes, (int)tooLarge["max"]!);

        using var text = await Cypher.PostRawAsync(client, "RETURN 1", "text/plain");
        await Cypher.Read(text, HttpStatusCode.UnsupportedMediaType);

        using var query = await Cypher.PostRawAsync(client, "{\"statement\": \"RETURN 1\"}", url: "/api/v1/cypher?format=csv");
        Assert.NotNull((await Cypher.Read(query, HttpStatusCode.BadRequest))["errors"]!["format"]);
    }

    [Fact]
    public async Task AStatementThatOutlivesTheTimeoutIsA503AndNeo4jDownIsA503WithRetryAfter()
    {
        // A "Neo4j" that accepts connections and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        _ = Task.Run(async () =>
        {
            try { while (true) accepted.Add(await silent.AcceptSocketAsync()); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        using (var slow = new ApiFactory(Cypher.Settings($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", ("Cypher:Timeout", "00:00:01"))))
        {
            var client = slow.CreateClient();
            client.Timeout = TimeSpan.FromMinutes(2); // hang guard only
            using var response = await Cypher.PostAsync(client, new { statement = "RETURN 1 AS one" });
            var problem = await Cypher.Read(response, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Statement timed out.", (string)problem["title"]!);
            Assert.Contains("Cypher:Timeout", (string)problem["detail"]!);
        }
        foreach (var s in accepted) s.Dispose();

        // Nothing listens on a port just released: connection refused.
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var down = new ApiFactory(Cypher.Settings($"http://127.0.0.1:{port}"));
        using var refused = await Cypher.PostAsync(down.CreateClient(), new { statement = "RETURN 1 AS one" });
        await Cypher.Read(refused, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(refused.Headers.RetryAfter);
    }
}

/// <summary>The check before sending, on its own.</summary>
public class ReadOnlyCypherTests
{
    [Theory]
    [InlineData("MATCH (n) RETURN n LIMIT 5")]
    [InlineData("MATCH (t:Treatment)-[r:TREATS]->(c) WHERE r.tier <= $t RETURN t.name, count(*) ORDER BY t.name")]
    [InlineData("CALL db.labels() YIELD label RETURN label")]
    [InlineData("CALL { MATCH (n) RETURN n } RETURN count(n) AS n")]
    [InlineData("MATCH (n) CALL (n) { RETURN n.id AS id } RETURN id")]
    [InlineData("RETURN 'CREATE' AS word, \"DELETE \\\" SET\" AS other // MERGE")]
    [InlineData("MATCH (n:Set)-[:REMOVE]->(m) RETURN n.create, $merge, {drop: 1}")]
    [InlineData("MATCH (n) WHERE n.name STARTS WITH 'Set' RETURN `set`.x")]
    public void ReadsPass(string statement) => Assert.Null(ReadOnlyCypher.Check(statement));

    [Theory]
    [InlineData("CREATE (n)", "CREATE")]
    [InlineData("MATCH (n) OPTIONAL MATCH (m) MERGE (n)-[:X]->(m)", "MERGE")]
    [InlineData("MATCH (n) FOREACH (x IN [1] | SET n.a = x)", "FOREACH")]
    [InlineData("DROP INDEX node_category", "DROP")]
    [InlineData("MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS", "DELETE")]
    [InlineData("USE system SHOW USERS", "USE")]
    [InlineData("SHOW DATABASES", "SHOW")]
    [InlineData("EXPLAIN MATCH (n) RETURN n", "EXPLAIN")]
    [InlineData("CALL apoc.cypher.doIt('CREATE (n)', {})", "CALL apoc.cypher.doIt")]
    [InlineData("CALL apoc.create.node(['X'], {}) YIELD node RETURN node", "CALL apoc.create.node")]
    [InlineData("CALL db.createLabel('X')", "CALL db.createLabel")]
    [InlineData("CALL `apoc`.`create`.`node`(['X'], {})", "CALL")]
    [InlineData("MATCH (n) /* a comment */ Set n.x = 1", "Set")]
    public void WritesAndAdministrationAreRefusedNamingTheClause(string statement, string clause)
    {
        var refusal = ReadOnlyCypher.Check(statement);
        Assert.NotNull(refusal);
        Assert.Equal(clause, refusal!.Clause);
    }
}

/// <summary>Raw Cypher against a live Neo4j (NEO4J_URL, NEO4J_USER, NEO4J_PASSWORD), which this reseeds: reads with
/// parameters, the row cap, a syntax error, and a write refused by Neo4j's READ access mode itself.</summary>
public class CypherApiLiveNeo4jTests
{
    [LiveNeo4jFact]
    public async Task RawCypherReadsAndNeo4jRefusesWritesOnLiveNeo4j()
    {
        var url = Environment.GetEnvironmentVariable("NEO4J_URL")!;
        var user = Environment.GetEnvironmentVariable("NEO4J_USER");
        var password = Environment.GetEnvironmentVariable("NEO4J_PASSWORD");
        var (code, output, error) = await Neo4jTestStores.SeedCommandAsync(url, null, $"--Neo4j:User={user}", $"--Neo4j:Password={password}");
        Assert.True(code == 0, output + error);
        var settings = Cypher.Settings(url, ("Cypher:MaxRows", "5"));
        settings["Neo4j:User"] = user;
        settings["Neo4j:Password"] = password;
        using var factory = new ApiFactory(settings);
        var client = factory.CreateClient();

        using var read = await Cypher.PostAsync(client, new { statement = CypherOpenApi.ExampleStatement, parameters = new { condition = "sg:lumbar-spinal-stenosis", maxTier = 3 } });
        var answer = await Cypher.Read(read, HttpStatusCode.OK);
        Assert.Equal(["treatment", "tier", "effect"], Cypher.Columns(answer));
        Assert.Contains(Cypher.Rows(answer), r => r[0] == "\"Physical therapy\"" && r[1] == "2" && r[2] == "\"benefit\"");

        using var capped = await Cypher.PostAsync(client, new { statement = "MATCH (n:Node) RETURN n.id AS id ORDER BY id" });
        Assert.True((bool)(await Cypher.Read(capped, HttpStatusCode.OK))["truncated"]!);

        using var syntax = await Cypher.PostAsync(client, new { statement = "MATCH (n:Node RETURN n" });
        Assert.Equal("Neo.ClientError.Statement.SyntaxError", (string)(await Cypher.Read(syntax, HttpStatusCode.BadRequest))["neo4jCode"]!);

        var query = factory.Services.GetRequiredService<Neo4jReadOnlyQuery>();
        var refused = await Assert.ThrowsAsync<Neo4jQueryException>(() => query.RunAsync("CREATE (n:Node {id: 'sg:written-by-read'}) RETURN n.id",
            new Dictionary<string, JsonElement>(), 10, 1 << 20, CancellationToken.None));
        Assert.Equal("Neo.ClientError.Statement.AccessMode", refused.Code);
    }
}

/// <summary>docker-compose.yml turns raw Cypher on from the environment, with no key of its own.</summary>
public class CypherComposeTests
{
    private static async Task<string> ConfigAsync(params (string Name, string Value)[] env)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(RequiresExecutableFactAttribute.Which("docker-compose")!, ["-f", "docker-compose.yml", "config"])
        {
            WorkingDirectory = SpineGraph.Tests.Support.SeedGraph.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in new[] { "SPINEGRAPH_CYPHER_ENABLED", "SPINEGRAPH_CYPHER_KEY" }) psi.Environment.Remove(name);
        psi.Environment["NEO4J_PASSWORD"] = "test-only-password";
        foreach (var (name, value) in env) psi.Environment[name] = value;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, await stderr);
        return await stdout;
    }

    [RequiresExecutableFact("docker-compose")]
    public async Task ComposeLeavesRawCypherOffWithNoKeyUnlessTheEnvironmentTurnsItOn()
    {
        var off = await ConfigAsync();
        Assert.Contains("Cypher__Enabled: \"false\"", off);
        Assert.Contains("Cypher__ApiKey: ''", off);
        Assert.Contains("NEO4J_db_transaction_timeout: 1m", off);

        var on = await ConfigAsync(("SPINEGRAPH_CYPHER_ENABLED", "true"), ("SPINEGRAPH_CYPHER_KEY", "compose-test-key-0123456789"));
        Assert.Contains("Cypher__Enabled: \"true\"", on);
        Assert.Contains("Cypher__ApiKey: compose-test-key-0123456789", on);
    }
}
