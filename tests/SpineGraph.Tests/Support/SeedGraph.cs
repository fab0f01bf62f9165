using SpineGraph.Core;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;

namespace SpineGraph.Tests.Support;

/// <summary>The real graph-seed/, loaded once per test run.</summary>
public static class SeedGraph
{
    public static string Directory { get; } = FindSeedDirectory();

    private static readonly Lazy<SeedData> LazyData = new(() => SeedLoader.Load(Directory));
    private static readonly Lazy<EmbeddedGraphStore> LazyStore = new(() => new EmbeddedGraphStore(new EmbeddedGraph(Data)));

    public static string RepositoryRoot => Path.GetDirectoryName(Directory)!;

    public static SeedData Data => LazyData.Value;

    public static EmbeddedGraphStore Store => LazyStore.Value;

    private static readonly Lazy<SpineGraph.Core.Traversal.GraphEngine> LazyEngine = new(() => new(Store));

    /// <summary>The engine over the embedded seed graph.</summary>
    public static SpineGraph.Core.Traversal.GraphEngine Engine => LazyEngine.Value;

    public static Node Node(string id) => Data.Nodes.Single(n => n.Id == id);

    private static string FindSeedDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "graph-seed");
            if (File.Exists(Path.Combine(candidate, SeedLoader.NodesFile))) return candidate;
        }
        throw new InvalidOperationException("graph-seed/ not found above the test output folder.");
    }
}
