using System.Text;
using SpineGraph.Core;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;
using SpineGraph.Synthetic;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Seed;

/// <summary>
/// The streaming, parallel loader and the compiled snapshot against the reference: <see cref="SeedLoader"/> (the
/// same errors, in the same order) and a graph built from its lists (the same nodes, edges, meta and version).
/// </summary>
public sealed class StreamingSeedLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spinegraph-stream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal const string Source = """{"id":"sgdoc:000","kind":"source_document","citation":"doc","file":"000.txt"}""";
    private const string Source2 = """{"id":"PMID:1","kind":"rct","citation":"trial","year":2001}""";
    internal const string Condition = """{"id":"sg:c","category":["biolink:Disease"],"name":"C","description":"A condition."}""";
    internal const string Mechanism = """{"id":"sg:m","category":["biolink:PathologicalProcess"],"name":"M","description":"A mechanism."}""";
    private const string Treatment = """{"id":"sg:t","category":["biolink:Treatment"],"name":"T","description":"A treatment.","treatment_kind":"drug"}""";

    internal static string EdgeLine(string id = "sg:e1", string extra = "", string subject = "sg:c", string predicate = "biolink:causes", string obj = "sg:m") =>
        "{\"id\":\"" + id + "\",\"subject\":\"" + subject + "\",\"predicate\":\"" + predicate + "\",\"object\":\"" + obj +
        "\",\"evidence_tier\":\"T5\",\"effect\":\"uncertain\",\"knowledge_level\":\"prediction\",\"agent_type\":\"manual_agent\"," +
        "\"claim\":\"C causes M.\",\"publications\":[\"sgdoc:000\"],\"primary_knowledge_source\":\"infores:spinegraph\"" + extra + "}";

    private void Write(string edgesText, params string[] nodes)
    {
        File.WriteAllLines(Path.Combine(_dir, SeedLoader.SourcesFile), [Source, Source2]);
        File.WriteAllLines(Path.Combine(_dir, SeedLoader.NodesFile), nodes.Length > 0 ? nodes : [Condition, Mechanism, Treatment]);
        File.WriteAllText(Path.Combine(_dir, SeedLoader.EdgesFile), edgesText);
    }

    /// <summary>Both loaders on the folder: the same errors in the same order, and when valid, the same graph.</summary>
    private static void AssertSameAsSeedLoader(string dir)
    {
        var (data, expected) = SeedLoader.TryLoad(dir);
        var (graph, actual) = StreamingSeedLoader.TryLoad(dir);
        Assert.Equal(expected.Select(e => e.ToString()), actual.Select(e => e.ToString()));
        Assert.Equal(data is null, graph is null);
        if (data is not null) AssertSameGraph(new EmbeddedGraph(data), graph!);
    }

    private static void AssertSameGraph(EmbeddedGraph expected, EmbeddedGraph actual)
    {
        Assert.Equal(expected.Meta.Version, actual.Meta.Version);
        Assert.Equivalent(expected.Meta, actual.Meta, strict: true);
        Assert.Equal(expected.NodeCount, actual.NodeCount);
        Assert.Equal(expected.EdgeCount, actual.EdgeCount);
        for (var n = 0; n < expected.NodeCount; n++) Assert.Equivalent(expected.Node(n), actual.Node(n), strict: true);
        for (var e = 0; e < expected.EdgeCount; e++) Assert.Equivalent(expected.Edge(e), actual.Edge(e), strict: true);
        for (var n = 0; n < expected.NodeCount; n++)
            foreach (var p in Vocabulary.Predicates)
            {
                Assert.Equal(expected.Out(n, p).ToArray(), actual.Out(n, p).ToArray());
                Assert.Equal(expected.In(n, p).ToArray(), actual.In(n, p).ToArray());
            }
    }

    [Fact]
    public void TheCuratedSeedLoadsToTheSameGraphAsFromTheLists() => AssertSameAsSeedLoader(SeedGraph.Directory);

    [Fact]
    public void EdgesAreNumberedInIdOrderAndFoundByIdCanonicalOrNot()
    {
        Write(string.Join("\n",
            EdgeLine("sg:e-c--causes--m"),
            EdgeLine("zz:other", subject: "sg:t", predicate: "biolink:affects"),
            EdgeLine("sg:e-c--causes--m2", subject: "sg:m", obj: "sg:c"),
            EdgeLine("sg:e-t--treats_or_applied_or_studied_to_treat--c", subject: "sg:t", predicate: "biolink:treats_or_applied_or_studied_to_treat", obj: "sg:c"),
            EdgeLine("sg:e-t--x--m", subject: "sg:t", predicate: "biolink:affects").Replace("sg:e-t--x--m", "a-first")
                .Replace("\"sg:m\"", "\"sg:m\"")), Condition, Mechanism, Treatment);
        AssertSameAsSeedLoader(_dir);
        var g = StreamingSeedLoader.Load(_dir);
        var ids = Enumerable.Range(0, g.EdgeCount).Select(g.EdgeId).ToArray();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(ids, id => Assert.Equal(id, g.EdgeId(g.FindEdge(id))));
        Assert.Equal(-1, g.FindEdge("sg:e-c--causes--"));
        Assert.Equal(-1, g.FindNode("sg:nope"));
    }

    public static TheoryData<string> BadEdgeFiles => new()
    {
        EdgeLine() + "\n" + EdgeLine(),                                                   // duplicate id
        EdgeLine("sg:e-c--causes--m") + "\n" + EdgeLine("sg:e-c--causes--m", extra: ",\"x\":1"), // duplicate of a canonical id, and a bad line
        EdgeLine(extra: ",\"oops\":true") + "\n" + EdgeLine(),                            // unknown field, then its id reused
        EdgeLine(obj: "sg:nope"),
        EdgeLine(subject: "sg:m", obj: "sg:m"),
        EdgeLine(subject: "sg:m", obj: "sg:c", predicate: "biolink:has_phenotype"),
        EdgeLine(predicate: "biolink:interacts_with"),
        EdgeLine().Replace("\"T5\"", "\"t5\""),
        EdgeLine().Replace("\"uncertain\"", "\"Uncertain\""),
        EdgeLine().Replace("sgdoc:000\"]", "sgdoc:000\",\"sgdoc:000\"]"),
        EdgeLine().Replace("sgdoc:000", "PMID:9"),
        EdgeLine().Replace("[\"sgdoc:000\"]", "[]"),
        EdgeLine().Replace("[\"sgdoc:000\"]", "[\"  \"]"),
        EdgeLine().Replace("[\"sgdoc:000\"]", "\"sgdoc:000\""),
        EdgeLine().Replace("[\"sgdoc:000\"]", "[1]"),
        EdgeLine().Replace("infores:spinegraph", "spinegraph"),
        EdgeLine().Replace("\"claim\":\"C causes M.\",", ""),
        EdgeLine().Replace("\"C causes M.\"", "\"   \""),
        EdgeLine().Replace("\"C causes M.\"", "null"),
        EdgeLine().Replace("\"C causes M.\"", "42"),
        EdgeLine(extra: ",\"context\":\"\""),
        EdgeLine() + " trailing",
        "[1,2]",
        "{not json\n" + EdgeLine(),
        "\"just a string\"",
        EdgeLine().Replace("\"sg:e1\"", "\"sg:e\\u00e9\"") + "\n" + EdgeLine().Replace("\"sg:e1\"", "\"sg:e\u00e9\""), // escaped and raw: a duplicate
    };

    [Theory]
    [MemberData(nameof(BadEdgeFiles))]
    public void BadEdgesAreReportedExactlyAsTheSeedLoaderReportsThem(string edges)
    {
        Write(edges);
        Assert.NotEmpty(SeedLoader.TryLoad(_dir).Errors);
        AssertSameAsSeedLoader(_dir);
    }

    public static TheoryData<string> OddButValidEdgeFiles => new()
    {
        "\r\n// a comment\r\n\r\n" + EdgeLine() + "\r\n",
        "\uFEFF" + EdgeLine() + "\r" + EdgeLine("sg:e2", subject: "sg:m", obj: "sg:c"),
        "  " + EdgeLine(extra: ",\"context\":null") + "\t\n",
        EdgeLine(extra: ",\"claim\":\"twice\""), // the last of a repeated field counts
        EdgeLine().Replace("\"C causes M.\"", "\"  C causes M.\\u00a0\"").Replace("\"sg:e1\"", "\"\\u2003sg:e1 \""),
        EdgeLine().Replace("\"C causes M.\"", "\"C \\\"causes\\\" M. \\ud83d\\ude00\""),
        EdgeLine().Replace("\"C causes M.\"", "\"caf\u00e9 \u00a0\""),
        EdgeLine(extra: ",\"context\":\"adults\"") + "\n" + EdgeLine("sg:e2", subject: "sg:t", predicate: "biolink:affects", extra: ",\"context\":\"adults\"")
            .Replace("[\"sgdoc:000\"]", "[\"PMID:1\", \"sgdoc:000\"]"),
    };

    [Theory]
    [MemberData(nameof(OddButValidEdgeFiles))]
    public void OddButValidLinesLoadAsTheSeedLoaderLoadsThem(string edges)
    {
        Write(edges);
        Assert.Empty(SeedLoader.TryLoad(_dir).Errors);
        AssertSameAsSeedLoader(_dir);
    }

    [Fact]
    public void BadNodesAndSourcesAreReportedAsTheSeedLoaderReportsThem()
    {
        Write(EdgeLine(), Condition, Condition, "{\"id\":\"sg:x\"}", Mechanism.Replace("\"M\"", "\"c\""));
        AssertSameAsSeedLoader(_dir);
        File.WriteAllLines(Path.Combine(_dir, SeedLoader.SourcesFile), [Source, "{\"id\":\"nocurie\",\"kind\":\"rct\",\"citation\":\"x\"}"]);
        AssertSameAsSeedLoader(_dir);
        File.Delete(Path.Combine(_dir, SeedLoader.EdgesFile));
        AssertSameAsSeedLoader(_dir);
    }

    [Fact]
    public void AGraphOfManyBlocksLoadsLikeTheListsAndReportsErrorsAcrossBlocksInOrder()
    {
        // 2 x 10^4 synthetic edges are about 9 MB: several 4 MB blocks parsed in parallel.
        SyntheticGenerator.Generate(new SyntheticOptions(20_000), _dir);
        AssertSameAsSeedLoader(_dir);

        var path = Path.Combine(_dir, SeedLoader.EdgesFile);
        var lines = File.ReadAllLines(path);
        lines[15_000] = lines[3];                                   // a duplicate in a later block
        lines[19_998] = lines[19_998].Replace("\"evidence_tier\":\"", "\"evidence_tier\":\"X"); // a bad tier near the end
        lines[10] = "{broken";
        File.WriteAllLines(path, lines);
        var errors = StreamingSeedLoader.TryLoad(_dir).Errors.Select(e => e.ToString()).ToArray();
        Assert.Equal(3, errors.Length);
        Assert.StartsWith("edges.jsonl:11: bad JSON", errors[0]);
        Assert.StartsWith("edges.jsonl:15001: duplicate edge id", errors[1]);
        Assert.StartsWith("edges.jsonl:19999: 'evidence_tier' is 'X", errors[2]);
        AssertSameAsSeedLoader(_dir);
    }

    // ------------------------------------------------------------------ snapshots

    private string Snapshot(EmbeddedGraph g)
    {
        var path = Path.Combine(_dir, "graph.sgb");
        GraphSnapshot.Write(g, path);
        return path;
    }

    [Fact]
    public void ASnapshotOfTheSeedOpensToTheSameGraph()
    {
        var loaded = EmbeddedGraph.Load(SeedGraph.Directory);
        var path = Snapshot(loaded);
        AssertSameGraph(loaded, GraphSnapshot.Open(path));
        Assert.Equal(SeedLoader.ComputeVersion(SeedGraph.Directory), GraphSnapshot.ReadVersion(path));
    }

    [Fact]
    public void ADamagedSnapshotIsRefused()
    {
        var path = Snapshot(EmbeddedGraph.Load(SeedGraph.Directory));
        var bytes = File.ReadAllBytes(path);
        var flipped = (byte[])bytes.Clone();
        flipped[^100] ^= 0x40;
        File.WriteAllBytes(path, flipped);
        Assert.Contains("is damaged: column", Assert.Throws<SnapshotException>(() => GraphSnapshot.Open(path)).Message);

        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Contains("is truncated or damaged", Assert.Throws<SnapshotException>(() => GraphSnapshot.Open(path)).Message);

        var header = (byte[])bytes.Clone();
        header[70] ^= 1;
        File.WriteAllBytes(path, header);
        Assert.Contains("is damaged", Assert.Throws<SnapshotException>(() => GraphSnapshot.Open(path)).Message);

        File.WriteAllText(path, "nodes.jsonl is not a snapshot, and this text is long enough to hold a header of 64 bytes.");
        Assert.Contains("is not a SpineGraph snapshot", Assert.Throws<SnapshotException>(() => GraphSnapshot.Open(path)).Message);
    }

    [Fact]
    public void ASnapshotOfAnotherFormatVersionIsRefused()
    {
        var path = Snapshot(EmbeddedGraph.Load(SeedGraph.Directory));
        var bytes = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), GraphSnapshot.FormatVersion + 1);
        File.WriteAllBytes(path, bytes);
        var message = Assert.Throws<SnapshotException>(() => GraphSnapshot.Open(path)).Message;
        Assert.Contains($"has format version {GraphSnapshot.FormatVersion + 1}; this build reads version {GraphSnapshot.FormatVersion}", message);
        Assert.DoesNotContain("\n", message);
    }

    [Fact]
    public void TheApiRefusesASnapshotOfAnotherSeed()
    {
        Write(EdgeLine());
        var path = Snapshot(EmbeddedGraph.Load(_dir));
        var refusal = Api.ApiFactory.StartupFailure<SnapshotException>(new Dictionary<string, string?>
        {
            ["Graph:SnapshotPath"] = path,
            ["Graph:SeedPath"] = SeedGraph.Directory,
        });
        Assert.Contains($"holds graph {SeedLoader.ComputeVersion(_dir)} but the seed in Graph:SeedPath is {SeedLoader.ComputeVersion(SeedGraph.Directory)}", refusal.Message);
    }

    [Fact]
    public void TheCompileCommandWritesASnapshotTheApiOpens()
    {
        Write(EdgeLine());
        var path = Path.Combine(_dir, "out.sgb");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, SpineGraph.Api.Infrastructure.CompileCommand.Run(["--out", path, $"--Graph:SeedPath={_dir}"], stdout, stderr));
        Assert.Contains("written to", stdout.ToString());
        Assert.Equal(SeedLoader.ComputeVersion(_dir), GraphSnapshot.ReadVersion(path));

        Write(EdgeLine(obj: "sg:nope"));
        Assert.Equal(3, SpineGraph.Api.Infrastructure.CompileCommand.Run(["--out", path, $"--Graph:SeedPath={_dir}"], stdout, stderr));
        Assert.Contains("edges.jsonl:1: object 'sg:nope' is not a node (dangling edge)", stderr.ToString());
    }
}
