using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SpineGraph.Core;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Seed;

BenchmarkSwitcher.FromAssembly(typeof(SeedSizeBenchmarks).Assembly).Run(args);

/// <summary>The engine at seed size: the flagship traversal and its building blocks, in-process.</summary>
[MemoryDiagnoser]
public class SeedSizeBenchmarks
{
    private EmbeddedGraphStore _store = null!;
    private GraphQueries _queries = null!;
    private Node _spasm = null!, _compression = null!;
    private TreatmentQuery _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!Directory.Exists(Path.Combine(dir!.FullName, "graph-seed"))) dir = dir.Parent;
        var data = SeedLoader.Load(Path.Combine(dir.FullName, "graph-seed"));
        _store = new EmbeddedGraphStore(new EmbeddedGraph(data));
        _queries = new GraphQueries(_store);
        _spasm = data.Nodes.Single(n => n.Id == "sg:muscle-spasm");
        _compression = data.Nodes.Single(n => n.Id == "sg:nerve-compression");
        _query = new TreatmentQuery("muscle spasm", "nerve compression", null, EvidenceTier.T5, null, 0, 20);
    }

    [Benchmark(Description = "treatments: muscle spasm caused by nerve compression")]
    public Task<TreatmentAnswer> Flagship() => _queries.TreatmentsAsync(_spasm, _compression, null, _query, default).AsTask();

    [Benchmark(Description = "causal chains up to muscle spasm")]
    public ValueTask<PathSet> Chains() => _store.GetCausalPathsAsync(new CausalQuery(CausalDirection.Upstream, ["sg:muscle-spasm"], 5, 2000), default);

    [Benchmark(Description = "search: stenossis")]
    public ValueTask<IReadOnlyList<SearchHit>> Search() => _store.SearchAsync("stenossis", null, 10, default);
}
