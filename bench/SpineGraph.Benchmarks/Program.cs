using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using SpineGraph.Core;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;
using SpineGraph.Core.Traversal;
using SpineGraph.Synthetic;

if (args is ["load", var seedDir, .. var rest]) return LoadHarness.Load(seedDir, rest is [var snap, ..] ? snap : null);
if (args is ["open", var snapshot]) return LoadHarness.Open(snapshot);
if (args is ["reads", var dir, .. var more]) return ReadsHarness.Run(dir, more is [var snap, ..] ? snap : null);
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
        var engine = WithEngine(graph);
        if (snapshot is not null)
        {
            // After the engine: the snapshot stores the search index the engine built (writing builds it otherwise).
            clock.Restart();
            GraphSnapshot.Write(graph, snapshot);
            Console.WriteLine($"snapshot written in {clock.Elapsed.TotalSeconds:F1} s, {new FileInfo(snapshot).Length / (double)graph.Meta.EdgeCount:F1} bytes per edge on disk");
        }
        GC.KeepAlive(engine);
        return 0;
    }

    public static int Open(string snapshot)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var graph = GraphSnapshot.Open(snapshot);
        Report($"snapshot open ({graph.Meta.EdgeCount:N0} edges)", clock.Elapsed, graph.Meta.EdgeCount);
        GC.KeepAlive(WithEngine(graph));
        return 0;
    }

    /// <summary>The engine with its search lexicon ready, as the API has it before it accepts requests.</summary>
    private static GraphEngine WithEngine(EmbeddedGraph graph)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var engine = new GraphEngine(new EmbeddedGraphStore(graph));
        engine.WarmUpAsync(default).AsTask().Wait();
        Report("engine lexicon ready (search index built, or mapped from the snapshot)", clock.Elapsed, graph.Meta.EdgeCount);
        GC.KeepAlive(graph);
        return engine;
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

/// <summary>
/// What each <see cref="ScaleBenchmarks"/> question reads through the graph port: <c>reads &lt;synthetic dir&gt;
/// [snapshot.sgb]</c> runs each once for the hub and the median symptom over a store that counts, and prints the port
/// calls, the expansion rows, the nodes and edges hydrated, the answer's total, the size of the symptom's neighbourhood,
/// and the time of a second call (one sample, for sizes where BenchmarkDotNet would take too long).
/// </summary>
internal static class ReadsHarness
{
    public static int Run(string dir, string? snapshot)
    {
        var g = ScaleGraph.Get(dir, snapshot);
        var store = new CountingStore(new EmbeddedGraphStore(g.Graph));
        foreach (var (label, pick) in new[] { ("hub", g.Summary.HubSymptom), ("median", g.Summary.MedianSymptom) })
        {
            Console.WriteLine($"{label} {pick.Id}: degree {pick.Degree}, causal in {pick.CausalIn}, treatment in {pick.TreatmentIn}, upstream {pick.Upstream}");
            var q = new ScaleQueries(g, label == "hub", store);
            foreach (var (name, run) in new (string, Func<ValueTask<object?>>)[]
                     {
                         ("subgraph", async () => await q.Subgraph()), ("node", async () => await q.Node()),
                         ("edges page", async () => await q.EdgesPage()), ("edge list", async () => await q.EdgeList()),
                         ("search", async () => await q.Search()), ("pattern", async () => await q.Pattern()),
                         ("treatments", async () => await q.Treatments()), ("causes", async () => await q.Causes()),
                         ("paths", async () => await q.Paths()),
                     })
            {
                store.Reset();
                var answer = run().AsTask().Result;
                var counted = (store.Calls, store.Expansions, store.Rows, store.Nodes, store.Edges);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                run().AsTask().Wait();
                var once = clock.Elapsed.TotalMilliseconds;
                var truncated = answer?.GetType().GetProperty("Truncated")?.GetValue(answer);
                var found = answer?.GetType().GetProperty("Found")?.GetValue(answer) ?? answer?.GetType().GetProperty("Total")?.GetValue(answer);
                Console.WriteLine($"  {label,-6} {name,-10} calls {counted.Calls,3}  expansions {counted.Expansions,3}  rows {counted.Rows,8}  " +
                                  $"nodes {counted.Nodes,6}  edges {counted.Edges,6}  truncated {truncated ?? "-"}  total {found ?? "-"}  second call {once:F3} ms");
            }
        }
        return 0;
    }
}

/// <summary>A graph port that counts what the engine reads through it.</summary>
internal sealed class CountingStore(IGraphStore inner) : IGraphStore
{
    public int Calls, Expansions;
    public long Rows, Nodes, Edges;

    public void Reset() => Calls = Expansions = (int)(Rows = Nodes = Edges = 0);

    public ValueTask<GraphMeta> GetMetaAsync(CancellationToken ct) => inner.GetMetaAsync(ct);

    public ValueTask<StoreHealth> CheckHealthAsync(CancellationToken ct) => inner.CheckHealthAsync(ct);

    public ValueTask<IReadOnlyList<Node>> GetLexiconAsync(CancellationToken ct) => inner.GetLexiconAsync(ct);

    public ValueTask<NodeDetail?> GetNodeAsync(string id, CancellationToken ct)
    {
        Calls++;
        Nodes++;
        return inner.GetNodeAsync(id, ct);
    }

    public async ValueTask<IReadOnlyList<Node>> GetNodesAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        Calls++;
        var nodes = await inner.GetNodesAsync(ids, ct);
        Nodes += nodes.Count;
        return nodes;
    }

    public async ValueTask<IReadOnlyList<Edge>> GetEdgesAsync(IReadOnlyList<EdgeRef> refs, CancellationToken ct)
    {
        Calls++;
        var edges = await inner.GetEdgesAsync(refs, ct);
        Edges += edges.Count;
        return edges;
    }

    public async ValueTask<Slice<Node>> ListNodesAsync(NodeCategory? category, string? afterId, int limit, CancellationToken ct)
    {
        Calls++;
        var slice = await inner.ListNodesAsync(category, afterId, limit, ct);
        Nodes += slice.Items.Count;
        return slice;
    }

    public async ValueTask<(IReadOnlyList<Edge> Items, bool More)> ListEdgesAsync(EdgeQuery query, string? afterId, int limit, CancellationToken ct)
    {
        Calls++;
        var page = await inner.ListEdgesAsync(query, afterId, limit, ct);
        Edges += page.Items.Count;
        return page;
    }

    public async ValueTask<Expansion> ExpandAsync(IReadOnlyCollection<string> frontier, IReadOnlyList<Hop> hops, EdgeFilter filter, int limit, CancellationToken ct)
    {
        Calls++;
        Expansions++;
        var expansion = await inner.ExpandAsync(frontier, hops, filter, limit, ct);
        Rows += expansion.Rows.Count;
        return expansion;
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
/// symptom. The graph size comes from SG_EDGES (default 10^6); it is generated once into a temp folder. With
/// SG_SNAPSHOT=&lt;file.sgb&gt; the graph is mapped from that snapshot, written from the JSON Lines first if it does not
/// exist. The graph is loaded once per process, so with <c>--inProcess</c> every case shares one load.
/// </summary>
[MemoryDiagnoser]
public class ScaleBenchmarks
{
    private ScaleQueries _q = null!;

    /// <summary>The symptoms to run: SG_SYMPTOMS (comma-separated), default both.</summary>
    public static IEnumerable<string> Symptoms => (Environment.GetEnvironmentVariable("SG_SYMPTOMS") ?? "hub,median").Split(',');

    [ParamsSource(nameof(Symptoms))]
    public string Symptom { get; set; } = "hub";

    [GlobalSetup]
    public void Setup() => _q = new ScaleQueries(ScaleGraph.FromEnvironment(), Symptom == "hub");

    [Benchmark(Description = "subgraph around the symptom, depth 1")]
    public ValueTask<SubgraphAnswer> Subgraph() => _q.Subgraph();

    [Benchmark(Description = "node detail")]
    public ValueTask<NodeDetail?> Node() => _q.Node();

    [Benchmark(Description = "edges of the symptom, first page")]
    public ValueTask<EdgesAnswer> EdgesPage() => _q.EdgesPage();

    [Benchmark(Description = "whole-graph edge list, first page of relieves")]
    public ValueTask<EdgeListAnswer> EdgeList() => _q.EdgeList();

    [Benchmark(Description = "search for the symptom's name with a typo")]
    public ValueTask<IReadOnlyList<SearchHit>> Search() => _q.Search();

    [Benchmark(Description = "pattern: treatments relieving the symptom and targeting a mechanism that causes it")]
    public ValueTask<PatternAnswer> Pattern() => _q.Pattern();

    [Benchmark(Description = "treatments for the symptom")]
    public ValueTask<TreatmentAnswer> Treatments() => _q.Treatments();

    [Benchmark(Description = "causes of the symptom")]
    public ValueTask<CauseAnswer> Causes() => _q.Causes();

    [Benchmark(Description = "paths from the hub condition to the symptom, causal, 3 hops")]
    public ValueTask<PathsAnswer> Paths() => _q.Paths();
}

/// <summary>A synthetic graph loaded once per process (and size), with its summary.</summary>
internal sealed record ScaleGraph(EmbeddedGraph Graph, SyntheticSummary Summary, string Source)
{
    private static readonly Dictionary<string, ScaleGraph> Loaded = [];

    /// <summary>SG_EDGES (default 10^6) and SG_SNAPSHOT, as <see cref="ScaleBenchmarks"/> reads them.</summary>
    public static ScaleGraph FromEnvironment()
    {
        var edges = int.Parse(Environment.GetEnvironmentVariable("SG_EDGES") ?? "1000000", System.Globalization.CultureInfo.InvariantCulture);
        var dir = Path.Combine(Path.GetTempPath(), $"spinegraph-synthetic-{edges}");
        if (!File.Exists(Path.Combine(dir, SyntheticSummary.FileName)))
            SyntheticGenerator.Generate(new SyntheticOptions(edges, SyntheticOptions.DefaultSeed), dir);
        return Get(dir, Environment.GetEnvironmentVariable("SG_SNAPSHOT"));
    }

    public static ScaleGraph Get(string dir, string? snapshot)
    {
        var key = dir + "|" + snapshot;
        lock (Loaded)
        {
            if (Loaded.TryGetValue(key, out var known)) return known;
            var summary = SyntheticSummary.FromJson(File.ReadAllText(Path.Combine(dir, SyntheticSummary.FileName)));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            EmbeddedGraph graph;
            string source;
            if (snapshot is not null && File.Exists(snapshot))
            {
                graph = GraphSnapshot.Open(snapshot);
                source = $"snapshot {snapshot}";
            }
            else
            {
                graph = EmbeddedGraph.Load(dir);
                source = $"JSON Lines {dir}";
                if (snapshot is not null) GraphSnapshot.Write(graph, snapshot);
            }
            Console.WriteLine($"// graph: {graph.Meta.EdgeCount:N0} edges from {source} in {clock.Elapsed.TotalSeconds:F1} s");
            return Loaded[key] = new ScaleGraph(graph, summary, source);
        }
    }
}

/// <summary>The questions <see cref="ScaleBenchmarks"/> times, over one engine, for the hub or the median symptom.</summary>
internal sealed class ScaleQueries
{
    private static readonly Dictionary<(EmbeddedGraph, IGraphStore?), GraphEngine> Engines = [];
    private readonly GraphEngine _engine;
    private readonly string _symptom;
    private readonly string _hubCondition;
    private readonly string _name;
    private readonly PatternQuery _pattern;

    /// <param name="store">A store over the graph to use instead of a plain embedded one (e.g. one that counts reads).</param>
    public ScaleQueries(ScaleGraph g, bool hub, IGraphStore? store = null)
    {
        lock (Engines)
        {
            if (!Engines.TryGetValue((g.Graph, store), out var engine))
            {
                engine = new GraphEngine(store ?? new EmbeddedGraphStore(g.Graph));
                engine.WarmUpAsync(default).AsTask().Wait();
                Engines[(g.Graph, store)] = engine;
            }
            _engine = engine;
        }
        var pick = hub ? g.Summary.HubSymptom : g.Summary.MedianSymptom;
        _symptom = pick.Id;
        _name = pick.Name;
        _hubCondition = g.Summary.HubCondition.Id;
        _pattern = new PatternQuery(
            [new PatternNode("t", null, new HashSet<NodeCategory> { NodeCategory.Treatment }), new PatternNode("s", [_symptom], null),
             new PatternNode("m", null, new HashSet<NodeCategory> { NodeCategory.Mechanism })],
            [new PatternEdge("r", "t", "s", new HashSet<Predicate> { Predicate.Relieves }),
             new PatternEdge("g", "t", "m", new HashSet<Predicate> { Predicate.Targets }),
             new PatternEdge("c", "m", "s", new HashSet<Predicate> { Predicate.Causes })], 20);
    }

    public ValueTask<SubgraphAnswer> Subgraph() => _engine.SubgraphAsync([_symptom], 1, EvidenceTier.T5, 50, default);

    public ValueTask<NodeDetail?> Node() => _engine.NodeAsync(_symptom, default);

    public ValueTask<EdgesAnswer> EdgesPage() => _engine.EdgesAsync(_symptom, null, Direction.Both, EdgeFilter.All, 0, 20, default);

    public ValueTask<EdgeListAnswer> EdgeList() => _engine.ListEdgesAsync(new EdgeQuery(Predicate.Relieves), null, 20, default);

    public ValueTask<IReadOnlyList<SearchHit>> Search() => _engine.SearchAsync(_name[..^1] + "x", null, 10, default);

    public ValueTask<PatternAnswer> Pattern() => _engine.PatternAsync(_pattern, default);

    public ValueTask<TreatmentAnswer> Treatments() => _engine.TreatmentsAsync(new TreatmentQuery(_symptom, null, null, EdgeFilter.All, 0, 20), default);

    public ValueTask<CauseAnswer> Causes() => _engine.CausesAsync(_symptom, 0, 20, default);

    public ValueTask<PathsAnswer> Paths() => _engine.PathsAsync(new PathQuery(_hubCondition, _symptom, 3, PathDirection.Causal, null, EvidenceTier.T5, 0, 10), default);
}
