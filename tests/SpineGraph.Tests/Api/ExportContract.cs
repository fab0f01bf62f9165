using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Api;

/// <summary>
/// <c>GET /api/v1/export</c> and the <c>format=cytoscape</c> answers over HTTP. Backends subclass it (embedded here,
/// Neo4j in Neo4jHarnessExportTests); the files must not depend on the backend.
/// </summary>
public abstract class ExportContract(ApiFactory factory)
{
    protected HttpClient Client { get; } = factory.CreateClient();

    private Task<JsonNode> Json(string url, HttpStatusCode expected = HttpStatusCode.OK) => HttpJson.GetAsync(Client, url, expected);

    private async Task<string> VersionAsync() => (string)(await Json("/api/v1/meta"))["version"]!;

    /// <summary>The graph version as each format carries it inside the file.</summary>
    private static string VersionInside(string format, byte[] body) => format switch
    {
        "kgx-jsonl" or "kgx-tsv" => (string)JsonNode.Parse(ExportTools.Unzip(body)["graph.json"])!["version"]!,
        "graphml" => GraphMlData(XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)))["version"],
        "cytoscape" => (string)JsonNode.Parse(body)!["data"]!["version"]!,
        _ => ExportTools.ParseCsv(System.Text.Encoding.UTF8.GetString(body)).Skip(1).Select(r => r[^1]).Distinct().Single(),
    };

    private static readonly XNamespace GraphMl = "http://graphml.graphdrawing.org/xmlns";

    /// <summary>The graph-level data of a GraphML document by attribute name.</summary>
    private static Dictionary<string, string> GraphMlData(XDocument doc)
    {
        var names = doc.Root!.Elements(GraphMl + "key").ToDictionary(k => (string)k.Attribute("id")!, k => (string)k.Attribute("attr.name")!);
        return doc.Root.Element(GraphMl + "graph")!.Elements(GraphMl + "data").ToDictionary(d => names[(string)d.Attribute("key")!], d => d.Value);
    }

    /// <summary>Node and edge ids of an export in any format.</summary>
    private static (HashSet<string> Nodes, HashSet<string> Edges) Ids(string format, byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        switch (format)
        {
            case "kgx-jsonl":
                var files = ExportTools.Unzip(body);
                return (Lines(files["nodes.jsonl"]).Select(l => (string)JsonNode.Parse(l)!["id"]!).ToHashSet(),
                    Lines(files["edges.jsonl"]).Select(l => (string)JsonNode.Parse(l)!["id"]!).ToHashSet());
            case "kgx-tsv":
                var tsv = ExportTools.Unzip(body);
                return (Lines(tsv["nodes.tsv"]).Skip(1).Select(l => l.Split('\t')[0]).ToHashSet(), Lines(tsv["edges.tsv"]).Skip(1).Select(l => l.Split('\t')[0]).ToHashSet());
            case "graphml":
                var graph = XDocument.Parse(text).Root!.Element(GraphMl + "graph")!;
                return (graph.Elements(GraphMl + "node").Select(n => (string)n.Attribute("id")!).ToHashSet(),
                    graph.Elements(GraphMl + "edge").Select(n => (string)n.Attribute("id")!).ToHashSet());
            case "cytoscape":
                var doc = JsonNode.Parse(text)!;
                return (doc["elements"]!["nodes"]!.AsArray().Select(n => (string)n!["data"]!["id"]!).ToHashSet(),
                    doc["elements"]!["edges"]!.AsArray().Select(n => (string)n!["data"]!["id"]!).ToHashSet());
            default:
                var rows = ExportTools.ParseCsv(text).Skip(1).ToList();
                return (rows.SelectMany(r => new[] { r[1], r[6] }).ToHashSet(), rows.Select(r => r[0]).ToHashSet());
        }
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("kgx-jsonl", "application/zip", "kgx-jsonl.zip")]
    [InlineData("kgx-tsv", "application/zip", "kgx-tsv.zip")]
    [InlineData("graphml", "application/graphml+xml", "graphml")]
    [InlineData("cytoscape", "application/json", "cyjs")]
    [InlineData("csv", "text/csv", "csv")]
    public async Task EachFormatIsAFileNamedForTheGraphVersionWithTheVersionInside(string format, string mediaType, string extension)
    {
        var version = await VersionAsync();
        using var response = await Client.GetAsync($"/api/v1/export?format={format}");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"attachment; filename=\"spinegraph-{version["sha256:".Length..][..12]}.{extension}\"",
            Assert.Single(response.Content.Headers.GetValues("Content-Disposition")));
        Assert.Equal(version, VersionInside(format, body));
        Assert.NotNull(response.Headers.ETag);

        var (nodes, edges) = Ids(format, body);
        var meta = await Json("/api/v1/meta");
        Assert.Equal((int)meta["edgeCount"]!, edges.Count);
        if (format != "csv") Assert.Equal((int)meta["nodeCount"]!, nodes.Count); // an edge list holds the nodes with edges
        else Assert.Subset(SeedGraph.Data.Nodes.Select(n => n.Id).ToHashSet(), nodes);
    }

    [Theory]
    [InlineData("kgx-jsonl")]
    [InlineData("kgx-tsv")]
    [InlineData("graphml")]
    [InlineData("cytoscape")]
    [InlineData("csv")]
    public async Task ANeighbourhoodExportHoldsWhatSubgraphAnswers(string format)
    {
        const string query = "ids=sg:spinal-stenosis,muscle%20spasm&depth=1&minTier=T4";
        var subgraph = await Json("/api/v1/subgraph?" + query);
        var body = await Client.GetByteArrayAsync($"/api/v1/export?format={format}&{query}");
        var (nodes, edges) = Ids(format, body);
        var expectedEdges = subgraph["edgeIds"]!.AsArray().Select(e => (string)e!).ToHashSet();
        Assert.NotEmpty(expectedEdges);
        Assert.Equal(expectedEdges, edges);
        var expectedNodes = subgraph["nodeIds"]!.AsArray().Select(e => (string)e!).ToHashSet();
        if (format == "csv") Assert.Subset(expectedNodes, nodes);
        else Assert.Equal(expectedNodes, nodes);
        Assert.True(nodes.Count < SeedGraph.Data.Nodes.Count);
        Assert.All(subgraph["edges"]!.AsObject(), e => Assert.True(int.Parse(((string)e.Value!["evidenceTier"]!)[1..]) <= 4));
    }

    [Fact]
    public async Task TheExportsMetadataSaysWhichNeighbourhoodItHolds()
    {
        var files = ExportTools.Unzip(await Client.GetByteArrayAsync("/api/v1/export?format=kgx-jsonl&ids=pinched%20nerve&depth=0"));
        var graph = JsonNode.Parse(files["graph.json"])!;
        Assert.Equal("neighbourhood", (string)graph["scope"]!);
        Assert.Equal("sg:radiculopathy", (string)graph["ids"]![0]!); // the lay term resolved, as /subgraph does
        Assert.Equal(0, (int)graph["depth"]!);
        Assert.Equal(1, (int)graph["counts"]!["nodes"]!);
        Assert.Equal(0, (int)graph["counts"]!["edges"]!);
        var cy = await Json("/api/v1/subgraph?ids=pinched%20nerve&depth=0&format=cytoscape");
        Assert.Equal("sg:radiculopathy", (string)cy["elements"]!["nodes"]![0]!["data"]!["id"]!);
    }

    [Fact]
    public async Task MinTierDropsWeakerEdgesAndKeepsEveryNode()
    {
        var meta = await Json("/api/v1/meta");
        var strong = meta["tiers"]!.AsArray().Where(t => (string)t!["tier"]! is "T1" or "T2").Sum(t => (int)t!["count"]!);
        var doc = await Json("/api/v1/export?format=cytoscape&minTier=T2");
        var edges = doc["elements"]!["edges"]!.AsArray();
        Assert.Equal(strong, edges.Count);
        Assert.All(edges, e => Assert.Contains((string)e!["data"]!["evidenceTier"]!, new[] { "T1", "T2" }));
        Assert.Equal((int)meta["nodeCount"]!, doc["elements"]!["nodes"]!.AsArray().Count);
        Assert.Equal("T2", (string)doc["data"]!["minTier"]!);
        // Every source the edges cite is in `sources`, and no other.
        var cited = edges.SelectMany(e => e!["data"]!["sources"]!.AsArray().Select(s => (string)s!)).ToHashSet();
        Assert.Equal(cited, doc["sources"]!.AsObject().Select(s => s.Key).ToHashSet());
    }

    [Theory]
    [InlineData("/api/v1/export?format=xml", "format", "kgx-jsonl, kgx-tsv, graphml, cytoscape, csv")]
    [InlineData("/api/v1/export", "format", "required")]
    [InlineData("/api/v1/export?format=csv&depth=2", "depth", "ids")]
    [InlineData("/api/v1/export?format=csv&ids=sg:massage&depth=4", "depth", "between 0 and 3")]
    [InlineData("/api/v1/export?format=csv&minTier=T9", "minTier", "T1")]
    [InlineData("/api/v1/export?format=csv&fromat=graphml", "fromat", "not a parameter")]
    [InlineData("/api/v1/subgraph?ids=sg:massage&format=graphml", "format", "json, cytoscape")]
    [InlineData("/api/v1/paths?from=sg:herniated-disc&to=sg:muscle-spasm&format=gexf", "format", "json, cytoscape")]
    [InlineData("/api/v1/edges?format=csv", "format", "json, cytoscape")]
    public async Task BadExportParametersAreA400NamingThem(string url, string parameter, string says)
    {
        var problem = await Json(url, HttpStatusCode.BadRequest);
        Assert.Contains(says, (string)problem["errors"]![parameter]![0]!);
    }

    [Fact]
    public async Task AnUnknownIdIsA404NamingIt()
    {
        var problem = await Json("/api/v1/export?format=graphml&ids=sg:massage,sg:no-such-node", HttpStatusCode.NotFound);
        Assert.Equal("ids", (string)problem["parameter"]!);
        Assert.Equal("sg:no-such-node", (string)problem["value"]!);
        Assert.Contains("sg:no-such-node", (string)problem["detail"]!);
    }

    [Fact]
    public async Task ExportsRevalidateWithTheirETagAndAreNotServedFromTheOutputCache()
    {
        const string url = "/api/v1/export?format=csv&minTier=T3";
        using var first = await Client.GetAsync(url);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", etag.Tag);
        using var again = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());

        // The same bytes every time (what a strong tag promises), written afresh: an answer from the output cache
        // carries an Age header, as a repeated /meta shows.
        using var second = await Client.GetAsync(url);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.False(second.Headers.Contains("Age"));
        await Client.GetAsync("/api/v1/meta");
        using var cached = await Client.GetAsync("/api/v1/meta");
        Assert.True(cached.Headers.Contains("Age"));
    }

    [Fact]
    public async Task TheZipExportsAreTheSameBytesEveryTime()
    {
        // Fixed entry times: a strong ETag promises the same bytes for the same graph and request.
        var a = await Client.GetByteArrayAsync("/api/v1/export?format=kgx-jsonl");
        var b = await Client.GetByteArrayAsync("/api/v1/export?format=kgx-jsonl");
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task HeadOnAnExportAnswersLikeGetWithoutABody()
    {
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/export?format=graphml"));
        using var get = await Client.GetAsync("/api/v1/export?format=graphml");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Content.Headers.ContentDisposition, head.Content.Headers.ContentDisposition);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
    }

    [Fact]
    public async Task GraphMlCompressesWhenTheClientAsks()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/export?format=graphml");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await Client.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
    }

    // --- format=cytoscape on the graph-returning endpoints ---

    [Theory]
    [InlineData("/api/v1/subgraph?ids=sg:spinal-stenosis,sg:muscle-spasm&depth=1")]
    [InlineData("/api/v1/paths?from=sg:herniated-disc&to=sg:muscle-spasm&limit=5")]
    [InlineData("/api/v1/edges?minTier=T2&effect=benefit&limit=20")]
    public async Task GraphAnswersComeAsCytoscapeElementsWithTheSameContent(string url)
    {
        var json = await Json(url);
        var cy = await Json(url + "&format=cytoscape");
        var nodes = cy["elements"]!["nodes"]!.AsArray();
        var edges = cy["elements"]!["edges"]!.AsArray();
        Assert.Equal(json["nodes"]!.AsObject().Select(n => n.Key).ToHashSet(), nodes.Select(n => (string)n!["data"]!["id"]!).ToHashSet());
        Assert.Equal(json["edges"]!.AsObject().Select(n => n.Key).ToHashSet(), edges.Select(n => (string)n!["data"]!["id"]!).ToHashSet());
        Assert.NotEmpty(edges);
        foreach (var e in edges)
        {
            var data = e!["data"]!;
            var original = json["edges"]![(string)data["id"]!]!;
            Assert.Equal((string)original["subject"]!, (string)data["source"]!);
            Assert.Equal((string)original["object"]!, (string)data["target"]!);
            foreach (var field in new[] { "predicate", "evidenceTier", "effect", "knowledgeLevel", "claim" })
                Assert.Equal((string?)original[field], (string?)data[field]);
            Assert.True(JsonNode.DeepEquals(original["sources"], data["sources"]));
        }
        foreach (var n in nodes)
        {
            var original = json["nodes"]![(string)n!["data"]!["id"]!]!;
            Assert.Equal((string)original["name"]!, (string)n["data"]!["name"]!);
            Assert.Equal((string)original["category"]!, (string)n["data"]!["category"]!);
        }
        Assert.True(JsonNode.DeepEquals(json["sources"], cy["sources"]));
        Assert.Equal(await VersionAsync(), (string)cy["data"]!["version"]!);
        Assert.Equal((string?)json["nextCursor"], (string?)cy["data"]!["nextCursor"]);
        if (json["items"] is JsonArray paths && url.Contains("/paths", StringComparison.Ordinal))
            Assert.True(JsonNode.DeepEquals(paths, cy["data"]!["paths"]));
    }
}

public class EmbeddedExportTests(EmbeddedApiFixture fixture) : ExportContract(fixture.Factory), IClassFixture<EmbeddedApiFixture>;
