using System.Text.Json.Nodes;
using SpineGraph.Storage.Neo4j;
using SpineGraph.Synthetic;
using SpineGraph.Tests.Api;

namespace SpineGraph.Tests.Neo4j;

/// <summary>
/// The seeder and the reads on a synthetic graph on the Query API test server: seed in batches, reseed a smaller graph
/// and prune what it no longer holds, then ask every kind of question of both backends over HTTP and get the same
/// answer. 10^4 edges in the test command (the test engine merges relationships far more slowly than Neo4j);
/// <c>SG_NEO4J_SCALE_EDGES=100000</c> runs it at 10^5 (docs/neo4j.md has the figures).
/// </summary>
public class Neo4jScaleTests
{
    private static readonly int Edges = int.TryParse(Environment.GetEnvironmentVariable("SG_NEO4J_SCALE_EDGES"), out var n) && n >= 2_000 ? n : 10_000;

    [Fact]
    public async Task ASyntheticGraphSeedsReseedsPrunesAndAnswersLikeTheEmbeddedBackend()
    {
        using var server = await QueryApiServer.StartAsync();
        await RunAsync(server.Url, null, null, Edges, () => server.Stderr, testServer: true);
    }

    /// <summary>The scenario against any Query API endpoint (the test server, or a live Neo4j that it reseeds).</summary>
    /// <remarks>On the test server (<paramref name="testServer"/>) reads get minutes instead of the default seconds
    /// (Neo4j:QueryTimeout, Graph:RequestTimeout): its engine, openCypher in Node.js without relationship-type grouping,
    /// expands a hub of 10^4 relationships in seconds where Neo4j takes milliseconds. That proves the answers at scale,
    /// not their speed; a live Neo4j runs the scenario with the default timeouts.</remarks>
    internal static async Task RunAsync(string url, string? user, string? password, int edges, Func<string> serverLog, bool testServer = false)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"sg-neo4j-scale-{Guid.NewGuid():N}");
        var smaller = dir + "-smaller";
        try
        {
            var summary = SyntheticGenerator.Generate(new SyntheticOptions(edges), dir);
            using var stores = new Neo4jTestStores(url, user, password);
            string[] options = ["--Neo4j:SeedBatchSize=2000", "--Neo4j:SeedTimeout=00:10:00",
                .. user is null ? Array.Empty<string>() : [$"--Neo4j:User={user}", $"--Neo4j:Password={password}"]];

            // The whole synthetic graph first, then one without its last 1,000 edges: the prune removes exactly them.
            var first = await Neo4jTestStores.SeedCommandAsync(url, dir, options);
            Assert.True(first.Code == 0, first.Err + serverLog());
            Assert.Contains($"{summary.Nodes} nodes, {summary.Edges} relationships, {summary.Sources} sources", first.Out);

            Directory.CreateDirectory(smaller);
            foreach (var f in new[] { "nodes.jsonl", "sources.jsonl" }) File.Copy(Path.Combine(dir, f), Path.Combine(smaller, f));
            var lines = await File.ReadAllLinesAsync(Path.Combine(dir, "edges.jsonl"));
            await File.WriteAllLinesAsync(Path.Combine(smaller, "edges.jsonl"), lines[..^1000]);
            var second = await Neo4jTestStores.SeedCommandAsync(url, smaller, options);
            Assert.True(second.Code == 0, second.Err + serverLog());
            Assert.Contains($"{summary.Nodes} nodes, {summary.Edges - 1000} relationships", second.Out);
            Assert.Contains("0 relationships created, 1000 deleted", second.Out);
            Assert.Equal(0, await stores.StaleStampsAsync());

            // Every kind of question, on both backends, over HTTP: the same answers.
            using var neo4j = new ApiFactory(new Dictionary<string, string?>
            {
                ["Graph:Backend"] = "Neo4j",
                ["Neo4j:Url"] = url,
                ["Neo4j:User"] = user,
                ["Neo4j:Password"] = password,
                ["Neo4j:QueryTimeout"] = testServer ? "00:05:00" : null,
                ["Graph:RequestTimeout"] = testServer ? "00:05:00" : null,
            });
            using var embedded = new ApiFactory(new Dictionary<string, string?> { ["Graph:SeedPath"] = smaller });
            var n = neo4j.CreateClient();
            var e = embedded.CreateClient();
            var hub = Uri.EscapeDataString(summary.HubSymptom.Id);
            var median = Uri.EscapeDataString(summary.MedianSymptom.Id);
            var condition = Uri.EscapeDataString(summary.HubCondition.Id);
            string[] questions =
            [
                $"/api/v1/treatments?symptom={hub}",
                $"/api/v1/treatments?symptom={median}&minTier=T3",
                $"/api/v1/symptoms/{median}/causes",
                $"/api/v1/conditions/{condition}/treatments",
                $"/api/v1/paths?from={condition}&to={hub}&maxHops=3",
                $"/api/v1/subgraph?ids={median}&depth=1",
                $"/api/v1/nodes/{hub}",
                $"/api/v1/nodes/{median}/edges?limit=50",
                "/api/v1/nodes?category=treatment&limit=50",
                "/api/v1/edges?minTier=T2&effect=benefit&limit=200",
                $"/api/v1/search?q={Uri.EscapeDataString(summary.MedianSymptom.Name)}",
            ];
            foreach (var q in questions)
                Assert.True(JsonNode.DeepEquals(await Json(e, q), await Json(n, q)), $"{q} answers differently on Neo4j");
            // The questions are not trivially equal: the hub has treatments, and the edge page is full.
            Assert.NotEmpty((await Json(n, questions[0]))["items"]!.AsArray());
            Assert.Equal(200, (await Json(n, "/api/v1/edges?limit=200"))["items"]!.AsArray().Count);

            var pattern = "{\"message\":{\"query_graph\":{\"nodes\":{\"s\":{\"ids\":[\"" + summary.MedianSymptom.Id +
                "\"]},\"c\":{\"categories\":[\"condition\"]},\"t\":{\"categories\":[\"treatment\"]}},\"edges\":{\"a\":{\"subject\":\"c\",\"object\":\"s\"},\"b\":{\"subject\":\"t\",\"object\":\"c\"}}}}}";
            var fromNeo4j = await Post(n, pattern);
            var fromEmbedded = await Post(e, pattern);
            Assert.True(JsonNode.DeepEquals(fromEmbedded["message"], fromNeo4j["message"]), "the pattern query answers differently on Neo4j");
        }
        finally
        {
            foreach (var d in new[] { dir, smaller })
                if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
        }
    }

    private static async Task<JsonNode> Json(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task<JsonNode> Post(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/api/v1/query", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}
