using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SpineGraph.Core;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;
using SpineGraph.Core.Traversal;
using SpineGraph.Synthetic;

BenchmarkSwitcher.FromAssembly(typeof(SeedSizeBenchmarks).Assembly).Run(args);

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
        _engine = new GraphEngine(new EmbeddedGraphStore(new EmbeddedGraph(SeedLoader.Load(dir))));
        _engine.SearchAsync("warm up", null, 1, default).AsTask().Wait();
    }

    [Benchmark(Description = "treatments for the symptom")]
    public ValueTask<TreatmentAnswer> Treatments() => _engine.TreatmentsAsync(new TreatmentQuery(SymptomId, null, null, EdgeFilter.All, 0, 20), default);

    [Benchmark(Description = "causes of the symptom")]
    public ValueTask<CauseAnswer> Causes() => _engine.CausesAsync(SymptomId, 0, 20, default);

    [Benchmark(Description = "paths from the hub condition to the symptom, causal, 3 hops")]
    public ValueTask<PathsAnswer> Paths() => _engine.PathsAsync(new PathQuery(_summary.HubCondition.Id, SymptomId, 3, PathDirection.Causal, null, EvidenceTier.T5, 0, 10), default);
}
