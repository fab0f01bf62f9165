using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SpineGraph.Core;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;
using SpineGraph.Core.Traversal;
using SpineGraph.Synthetic;

if (args is ["load", var seedDir, .. var rest]) return LoadHarness.Load(seedDir, rest is [var snap, ..] ? snap : null);
if (args is ["open", var snapshot]) return LoadHarness.Open(snapshot);
BenchmarkSwitcher.FromAssembly(typeof(SeedSizeBenchmarks).Assembly).Run(args);
return 0;

/// <summary>
/// Load time and resident memory: <c>load &lt;seed dir&gt; [snapshot.sgb]</c> streams the JSON Lines (and writes a
/// snapshot); <c>open &lt;snapshot.sgb&gt;</c> maps one. Each prints the time, the process's resident set after a full
/// compacting collection, per edge, then the same once the engine's search lexicon is built (as the API does at start).
/// </summary>
internal static class LoadHarness
{
    public static int Load(string dir, string? snapshot)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var graph = EmbeddedGraph.Load(dir);
        Report($"jsonl load ({graph.Meta.EdgeCount:N0} edges, {graph.Meta.NodeCount:N0} nodes)", clock.Elapsed, graph.Meta.EdgeCount);
        if (snapshot is not null)
        {
            clock.Restart();
            GraphSnapshot.Write(graph, snapshot);
            Console.WriteLine($"snapshot written in {clock.Elapsed.TotalSeconds:F1} s, {new FileInfo(snapshot).Length / (double)graph.Meta.EdgeCount:F1} bytes per edge on disk");
        }
        return WithEngine(graph);
    }

    public static int Open(string snapshot)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var graph = GraphSnapshot.Open(snapshot);
        Report($"snapshot open ({graph.Meta.EdgeCount:N0} edges)", clock.Elapsed, graph.Meta.EdgeCount);
        return WithEngine(graph);
    }

    private static int WithEngine(EmbeddedGraph graph)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var engine = new GraphEngine(new EmbeddedGraphStore(graph));
        engine.WarmUpAsync(default).AsTask().Wait();
        Report("engine lexicon built (search index)", clock.Elapsed, graph.Meta.EdgeCount);
        GC.KeepAlive(engine);
        GC.KeepAlive(graph);
        return 0;
    }

    private static void Report(string what, TimeSpan elapsed, int edges)
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        // Aggressive: also give the freed memory of the load's transient buffers back to the system.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var rss = process.WorkingSet64;
        Console.WriteLine($"{what}: {elapsed.TotalSeconds:F2} s; RSS {rss / 1048576.0:F0} MiB = {rss / (double)Math.Max(edges, 1):F1} bytes/edge; " +
                          $"managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }
}

/// <summary>The engine at seed size, in-process: the flagship and the other traversals.</summary>
[MemoryDiagnoser]
public class SeedSizeBenchmarks
{
    private GraphEngine _engine = null!;
    private TreatmentQuery _flagship = null!;

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!Directory.Exists(Path.Combine(dir!.FullName, "graph-seed"))) dir = dir.Parent;
        _engine = new GraphEngine(new EmbeddedGraphStore(new EmbeddedGraph(SeedLoader.Load(Path.Combine(dir.FullName, "graph-seed")))));
        _flagship = new TreatmentQuery("sg:muscle-spasm", "sg:nerve-compression", null, EdgeFilter.All, 0, 20);
        _engine.SearchAsync("warm up", null, 1, default).AsTask().Wait();
    }

    [Benchmark(Description = "treatments: muscle spasm caused by nerve compression")]
    public ValueTask<TreatmentAnswer> Flagship() => _engine.TreatmentsAsync(_flagship, default);

    [Benchmark(Description = "causes of muscle spasm")]
    public ValueTask<CauseAnswer> Causes() => _engine.CausesAsync("sg:muscle-spasm", 0, 20, default);

    [Benchmark(Description = "paths: herniated disc to muscle spasm, causal, 5 hops")]
    public ValueTask<PathsAnswer> Paths() => _engine.PathsAsync(new PathQuery("sg:herniated-disc", "sg:muscle-spasm", 5, PathDirection.Causal, null, EvidenceTier.T5, 0, 10), default);

    [Benchmark(Description = "search: stenossis")]
    public ValueTask<IReadOnlyList<SearchHit>> Search() => _engine.SearchAsync("stenossis", null, 10, default);
}

/// <summary>
/// The engine on a synthetic heavy-tailed graph (bench/SpineGraph.Synthetic), for the most-connected and a median
/// symptom. The graph size comes from SG_EDGES (default 10^6); it is generated once into a temp folder.
/// </summary>
[MemoryDiagnoser]
public class ScaleBenchmarks
{
    private GraphEngine _engine = null!;
    private SyntheticSummary _summary = null!;

    [Params("hub", "median")]
    public string Symptom { get; set; } = "hub";

    private string SymptomId => Symptom == "hub" ? _summary.HubSymptom.Id : _summary.MedianSymptom.Id;

    [GlobalSetup]
    public void Setup()
    {
        var edges = int.Parse(Environment.GetEnvironmentVariable("SG_EDGES") ?? "1000000", System.Globalization.CultureInfo.InvariantCulture);
        var dir = Path.Combine(Path.GetTempPath(), $"spinegraph-synthetic-{edges}");
        if (!File.Exists(Path.Combine(dir, SyntheticSummary.FileName)))
            SyntheticGenerator.Generate(new SyntheticOptions(edges, 42), dir);
        _summary = SyntheticSummary.FromJson(File.ReadAllText(Path.Combine(dir, SyntheticSummary.FileName)));
        _engine = new GraphEngine(new EmbeddedGraphStore(EmbeddedGraph.Load(dir)));
        _engine.SearchAsync("warm up", null, 1, default).AsTask().Wait();
        _name = _summary.HubSymptom.Name;
        _pattern = new PatternQuery(
            [new PatternNode("t", null, new HashSet<NodeCategory> { NodeCategory.Treatment }), new PatternNode("s", [SymptomId], null),
             new PatternNode("m", null, new HashSet<NodeCategory> { NodeCategory.Mechanism })],
            [new PatternEdge("r", "t", "s", new HashSet<Predicate> { Predicate.Relieves }),
             new PatternEdge("g", "t", "m", new HashSet<Predicate> { Predicate.Targets }),
             new PatternEdge("c", "m", "s", new HashSet<Predicate> { Predicate.Causes })], 20);
    }

    private string _name = "";
    private PatternQuery _pattern = null!;

    [Benchmark(Description = "subgraph around the symptom, depth 1")]
    public ValueTask<SubgraphAnswer> Subgraph() => _engine.SubgraphAsync([SymptomId], 1, EvidenceTier.T5, 50, default);

    [Benchmark(Description = "node detail")]
    public ValueTask<NodeDetail?> Node() => _engine.NodeAsync(SymptomId, default);

    [Benchmark(Description = "edges of the symptom, first page")]
    public ValueTask<EdgesAnswer> EdgesPage() => _engine.EdgesAsync(SymptomId, null, Direction.Both, EdgeFilter.All, 0, 20, default);

    [Benchmark(Description = "whole-graph edge list, first page of relieves")]
    public ValueTask<EdgeListAnswer> EdgeList() => _engine.ListEdgesAsync(new EdgeQuery(Predicate.Relieves), null, 20, default);

    [Benchmark(Description = "search for the symptom's name with a typo")]
    public ValueTask<IReadOnlyList<SearchHit>> Search() => _engine.SearchAsync(_name[..^1] + "x", null, 10, default);

    [Benchmark(Description = "pattern: treatments relieving the symptom and targeting a mechanism that causes it")]
    public ValueTask<PatternAnswer> Pattern() => _engine.PatternAsync(_pattern, default);

    [Benchmark(Description = "treatments for the symptom")]
    public ValueTask<TreatmentAnswer> Treatments() => _engine.TreatmentsAsync(new TreatmentQuery(SymptomId, null, null, EdgeFilter.All, 0, 20), default);

    [Benchmark(Description = "causes of the symptom")]
    public ValueTask<CauseAnswer> Causes() => _engine.CausesAsync(SymptomId, 0, 20, default);

    [Benchmark(Description = "paths from the hub condition to the symptom, causal, 3 hops")]
    public ValueTask<PathsAnswer> Paths() => _engine.PathsAsync(new PathQuery(_summary.HubCondition.Id, SymptomId, 3, PathDirection.Causal, null, EvidenceTier.T5, 0, 10), default);
}
