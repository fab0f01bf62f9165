using System.ComponentModel.DataAnnotations;

namespace SpineGraph.Api.Infrastructure;

public enum GraphBackend { Embedded, Neo4j }

/// <summary>Settings of the <c>Graph</c> configuration section.</summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";

    /// <summary>Which backend answers queries: <c>Embedded</c> (default, in-process) or <c>Neo4j</c>.</summary>
    public GraphBackend Backend { get; set; } = GraphBackend.Embedded;

    /// <summary>Folder holding nodes.jsonl, edges.jsonl and sources.jsonl. Empty: the nearest
    /// <c>graph-seed</c> folder above the working directory or the application.</summary>
    public string? SeedPath { get; set; }

    /// <summary>A compiled snapshot (<c>compile --out graph.sgb</c>) to open memory-mapped instead of parsing the seed
    /// (embedded backend). When <see cref="SeedPath"/> is also set, the snapshot must hold that seed's graph version
    /// (the seed files are hashed at start to check).</summary>
    public string? SnapshotPath { get; set; }

    /// <summary>Longest time one request may run before it is cancelled with 503.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a successful graph answer is served again from the in-memory output cache for the same
    /// path and query (the graph is read-only). <c>00:00:00</c> turns the cache off. With Neo4j, a reseed shows
    /// up at most this much later.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ResponseCacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The seed folder: <see cref="SeedPath"/> if set, else the nearest graph-seed folder.</summary>
    public string ResolveSeedPath(string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(SeedPath)) return Path.GetFullPath(SeedPath, contentRoot);
        foreach (var start in new[] { contentRoot, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "graph-seed");
                if (File.Exists(Path.Combine(candidate, "nodes.jsonl"))) return candidate;
            }
        }
        throw new InvalidOperationException(
            "No graph-seed folder (with nodes.jsonl) was found above the working directory; set Graph:SeedPath.");
    }
}
