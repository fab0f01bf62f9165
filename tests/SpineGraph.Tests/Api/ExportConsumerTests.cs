using System.Text.Json;
using System.Text.Json.Nodes;
using SpineGraph.Core.Seed;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Api;

/// <summary>
/// Each export read back by a real consumer: our own seed loader (KGX round trip), a TSV reading of the KGX TSV files,
/// graphology-graphml and NetworkX (GraphML), headless Cytoscape.js, and an RFC 4180 reading of the CSV. Compared
/// field by field with the seed the API serves.
/// </summary>
public class ExportConsumerTests(EmbeddedApiFixture fixture) : IClassFixture<EmbeddedApiFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    /// <summary>The seed's own records (graph-seed/*.jsonl) by id, as JSON objects.</summary>
    private static Dictionary<string, JsonObject> SeedRecords(string file) =>
        File.ReadLines(Path.Combine(SeedGraph.Directory, file))
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToDictionary(o => (string)o["id"]!);

    private static string Canonical<T>(IEnumerable<T> items) => string.Join("\n", items.Select(i => JsonSerializer.Serialize(i)).Order(StringComparer.Ordinal));

    [Fact]
    public async Task TheKgxJsonLinesExportLoadsBackIdenticallyWithOurOwnLoader()
    {
        var files = ExportTools.Unzip(await _client.GetByteArrayAsync("/api/v1/export?format=kgx-jsonl"));
        using var dir = new ExportTools.TempDirectory();
        foreach (var (name, text) in files) await File.WriteAllTextAsync(Path.Combine(dir.Path, name), text);

        var original = SeedGraph.Data;
        var reloaded = SeedLoader.Load(dir.Path);
        Assert.Equal(original.Nodes.Count, reloaded.Nodes.Count);
        Assert.Equal(original.Edges.Count, reloaded.Edges.Count);
        Assert.Equal(original.Sources.Count, reloaded.Sources.Count);
        // Every field of every node, edge (with its resolved sources) and source.
        Assert.Equal(Canonical(original.Nodes), Canonical(reloaded.Nodes));
        Assert.Equal(Canonical(original.Edges), Canonical(reloaded.Edges));
        Assert.Equal(Canonical(original.Sources), Canonical(reloaded.Sources));
        Assert.Equal(original.Version, (string)JsonNode.Parse(files["graph.json"])!["version"]!);

        // Line by line, each record is the seed's record (same fields and values; key order and spacing aside).
        foreach (var (file, ext) in new[] { ("nodes", "jsonl"), ("edges", "jsonl"), ("sources", "jsonl") })
        {
            var seed = SeedRecords($"{file}.{ext}");
            var exported = files[$"{file}.{ext}"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal(seed.Count, exported.Count);
            foreach (var record in exported)
                Assert.True(JsonNode.DeepEquals(seed[(string)record["id"]!], record), $"{file}: {record.ToJsonString()}");
        }
    }

    [Fact]
    public async Task TheApiServesTheReloadedExportWithTheSameAnswers()
    {
        var files = ExportTools.Unzip(await _client.GetByteArrayAsync("/api/v1/export?format=kgx-jsonl"));
        using var dir = new ExportTools.TempDirectory();
        foreach (var (name, text) in files) await File.WriteAllTextAsync(Path.Combine(dir.Path, name), text);
        using var reloaded = new ApiFactory(new Dictionary<string, string?> { ["Graph:SeedPath"] = dir.Path });
        const string flagship = "/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression&limit=100";
        var before = JsonNode.Parse(await _client.GetStringAsync(flagship))!;
        var after = JsonNode.Parse(await reloaded.CreateClient().GetStringAsync(flagship))!;
        foreach (var part in new[] { "items", "evidenceAgainst", "redFlags", "nodes", "edges", "sources", "total" })
            Assert.True(JsonNode.DeepEquals(before[part], after[part]), part);
    }

    [Fact]
    public async Task TheKgxTsvExportHoldsEverySeedRecordFieldByField()
    {
        var files = ExportTools.Unzip(await _client.GetByteArrayAsync("/api/v1/export?format=kgx-tsv"));
        foreach (var file in new[] { "nodes", "edges", "sources" })
        {
            var seed = SeedRecords($"{file}.jsonl");
            var lines = files[$"{file}.tsv"].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var header = lines[0].Split('\t');
            Assert.Equal(seed.Count, lines.Length - 1);
            foreach (var line in lines.Skip(1))
            {
                var cells = line.Split('\t');
                Assert.Equal(header.Length, cells.Length);
                var record = seed[cells[0]];
                Assert.All(record.Select(p => p.Key), k => Assert.Contains(k, header)); // no seed field is lost
                for (var i = 0; i < header.Length; i++)
                {
                    var expected = record[header[i]] switch
                    {
                        null => "",
                        JsonArray a => string.Join('|', a.Select(x => (string)x!)),
                        var v => v.ToString(),
                    };
                    Assert.True(expected == cells[i], $"{file}.tsv {cells[0]} {header[i]}: '{cells[i]}', seed '{expected}'");
                }
            }
        }
    }

    [Fact]
    public async Task GraphMlLoadsInIndependentReadersWithTheSameNodesEdgesAndAttributes()
    {
        using var dir = new ExportTools.TempDirectory();
        var file = Path.Combine(dir.Path, "graph.graphml");
        await File.WriteAllBytesAsync(file, await _client.GetByteArrayAsync("/api/v1/export?format=graphml"));
        var readers = new List<(string Name, JsonNode Graph)> { ("graphology-graphml", await ExportTools.NodeReadAsync("graphml.mjs", file)) };
        if (await ExportTools.HasNetworkXAsync()) readers.Add(("networkx", await ExportTools.NetworkXReadAsync(file)));

        var meta = JsonNode.Parse(await _client.GetStringAsync("/api/v1/meta"))!;
        foreach (var (name, graph) in readers)
        {
            Assert.True((int)meta["nodeCount"]! == (int)graph["order"]!, name);
            Assert.True((int)meta["edgeCount"]! == (int)graph["size"]!, name);
            Assert.True((string)meta["version"]! == (string)graph["attributes"]!["version"]!, name);
            foreach (var n in SeedGraph.Data.Nodes)
            {
                var attributes = graph["nodes"]![n.Id]!;
                Assert.Equal(n.Name, (string)attributes["name"]!);
                Assert.Equal(SpineGraph.Core.Vocabulary.Snake(n.Category), (string)attributes["category"]!);
                Assert.Equal(n.Description, (string)attributes["description"]!);
                Assert.Equal(string.Join('|', n.Synonyms), (string?)attributes["synonym"] ?? "");
            }
            var edges = graph["edges"]!.AsArray().ToDictionary(e => (string)e!["id"]!);
            Assert.Equal(SeedGraph.Data.Edges.Count, edges.Count);
            foreach (var e in SeedGraph.Data.Edges)
            {
                var read = edges[e.Id]!;
                Assert.Equal(e.Subject, (string)read["source"]!);
                Assert.Equal(e.Object, (string)read["target"]!);
                Assert.Equal(SpineGraph.Core.Vocabulary.Snake(e.Predicate), (string)read["attributes"]!["predicate"]!);
                Assert.Equal(SpineGraph.Core.Vocabulary.Snake(e.Tier), (string)read["attributes"]!["evidence_tier"]!);
                Assert.Equal(SpineGraph.Core.Vocabulary.Snake(e.Effect), (string)read["attributes"]!["effect"]!);
                Assert.Equal(e.Claim, (string)read["attributes"]!["claim"]!);
                Assert.Equal(string.Join('|', e.Sources.Select(s => s.Id)), (string)read["attributes"]!["publications"]!);
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/export?format=cytoscape")]
    [InlineData("/api/v1/export?format=cytoscape&ids=sg:herniated-disc&depth=2")]
    [InlineData("/api/v1/subgraph?ids=sg:spinal-stenosis,sg:muscle-spasm&depth=2&format=cytoscape")]
    [InlineData("/api/v1/paths?from=sg:herniated-disc&to=sg:muscle-spasm&maxHops=4&format=cytoscape")]
    public async Task CytoscapeLoadsTheElementsHeadless(string url)
    {
        using var dir = new ExportTools.TempDirectory();
        var file = Path.Combine(dir.Path, "graph.cyjs");
        var text = await _client.GetStringAsync(url);
        await File.WriteAllTextAsync(file, text);
        var doc = JsonNode.Parse(text)!;
        var loaded = await ExportTools.NodeReadAsync("cytoscape.mjs", file);

        Assert.True((int)loaded["nodes"]! > 0 && (int)loaded["edges"]! > 0);
        Assert.Equal(doc["elements"]!["nodes"]!.AsArray().Count, (int)loaded["nodes"]!);
        Assert.Equal(doc["elements"]!["edges"]!.AsArray().Count, (int)loaded["edges"]!);
        Assert.Empty(loaded["dangling"]!.AsArray());
        Assert.Empty(loaded["warnings"]!.AsArray());
        Assert.Equal((string)doc["data"]!["version"]!, (string)loaded["data"]!["version"]!);
        var seedEdges = SeedGraph.Data.Edges.ToDictionary(e => e.Id);
        foreach (var e in loaded["edgeData"]!.AsArray())
        {
            var seed = seedEdges[(string)e!["id"]!];
            Assert.True((bool)e["sourceExists"]! && (bool)e["targetExists"]!);
            Assert.Equal(seed.Subject, (string)e["source"]!);
            Assert.Equal(SpineGraph.Core.Vocabulary.Snake(seed.Tier), (string)e["evidenceTier"]!);
        }
        var seedNodes = SeedGraph.Data.Nodes.ToDictionary(n => n.Id);
        Assert.All(loaded["nodeData"]!.AsArray(), n => Assert.Equal(seedNodes[(string)n!["id"]!].Name, (string)n["name"]!));
        if (url == "/api/v1/export?format=cytoscape")
        {
            Assert.Equal(SeedGraph.Data.Nodes.Count, (int)loaded["nodes"]!);
            Assert.Equal(SeedGraph.Data.Edges.Count, (int)loaded["edges"]!);
        }
    }

    [Fact]
    public async Task TheCsvEdgeListParsesWithEveryEdgeAndItsEndsNames()
    {
        var rows = ExportTools.ParseCsv(await _client.GetStringAsync("/api/v1/export?format=csv"));
        var header = rows[0];
        Assert.Equal(["id", "source", "source_name", "source_category", "predicate"], header[..5]);
        var column = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        var byId = rows.Skip(1).ToDictionary(r => r[0]);
        Assert.Equal(SeedGraph.Data.Edges.Count, byId.Count);
        var nodes = SeedGraph.Data.Nodes.ToDictionary(n => n.Id);
        Assert.Contains(SeedGraph.Data.Edges, e => e.Claim.Contains(',')); // quoted fields are exercised
        foreach (var e in SeedGraph.Data.Edges)
        {
            var r = byId[e.Id];
            Assert.Equal(e.Subject, r[column["source"]]);
            Assert.Equal(nodes[e.Subject].Name, r[column["source_name"]]);
            Assert.Equal(e.Object, r[column["target"]]);
            Assert.Equal(nodes[e.Object].Name, r[column["target_name"]]);
            Assert.Equal(SpineGraph.Core.Vocabulary.Snake(e.Predicate), r[column["predicate"]]);
            Assert.Equal(SpineGraph.Core.Vocabulary.Snake(e.Tier), r[column["evidence_tier"]]);
            Assert.Equal(e.Claim, r[column["claim"]]);
            Assert.Equal(e.Context ?? "", r[column["context"]]);
            Assert.Equal(string.Join('|', e.Sources.Select(s => s.Id)), r[column["publications"]]);
            Assert.Equal(SeedGraph.Data.Version, r[column["graph_version"]]);
        }
    }
}
