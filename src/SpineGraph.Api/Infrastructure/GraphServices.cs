using Microsoft.Extensions.Options;
using SpineGraph.Core;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;
using SpineGraph.Core.Traversal;
using SpineGraph.Storage.Neo4j;

namespace SpineGraph.Api.Infrastructure;

public static class GraphServices
{
    /// <summary>Graph options, the configured backend behind <see cref="IGraphStore"/>, and the shared queries.</summary>
    public static IHostApplicationBuilder AddGraph(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GraphOptions>()
            .BindConfiguration(GraphOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddNeo4jStore(); // connects to nothing unless Graph:Backend is Neo4j

        builder.Services.AddSingleton<IGraphStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GraphOptions>>().Value;
            return options.Backend switch
            {
                GraphBackend.Embedded => LoadEmbedded(options, sp),
                GraphBackend.Neo4j => sp.GetRequiredService<Neo4jGraphStore>(),
                _ => throw new InvalidOperationException($"Graph:Backend '{options.Backend}' is not available in this build."),
            };
        });
        builder.Services.AddSingleton<GraphEngine>();
        // Load the graph before the server accepts requests: an invalid seed stops the process.
        builder.Services.AddHostedService<GraphWarmup>();
        return builder;
    }

    /// <summary>The seed folder from configuration (<c>Graph:SeedPath</c> or the nearest graph-seed), as the API resolves it.</summary>
    public static string ResolveSeedPath(IConfiguration configuration, string contentRoot) =>
        (configuration.GetSection(GraphOptions.Section).Get<GraphOptions>() ?? new GraphOptions()).ResolveSeedPath(contentRoot);

    private static EmbeddedGraphStore LoadEmbedded(GraphOptions options, IServiceProvider sp)
    {
        var env = sp.GetRequiredService<IHostEnvironment>();
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("SpineGraph.Seed");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        EmbeddedGraph graph;
        string path;
        if (!string.IsNullOrWhiteSpace(options.SnapshotPath))
        {
            path = Path.GetFullPath(options.SnapshotPath, env.ContentRootPath);
            graph = GraphSnapshot.Open(path);
            if (!string.IsNullOrWhiteSpace(options.SeedPath)
                && SeedLoader.ComputeVersion(options.ResolveSeedPath(env.ContentRootPath)) is var seedVersion
                && seedVersion != graph.Meta.Version)
                throw new SnapshotException(
                    $"Snapshot '{Path.GetFileName(path)}' holds graph {graph.Meta.Version} but the seed in Graph:SeedPath is {seedVersion}: compile it again.");
        }
        else
        {
            path = options.ResolveSeedPath(env.ContentRootPath);
            graph = EmbeddedGraph.Load(path);
        }
        logger.LogInformation("Loaded graph {Version} from {Path} in {Seconds:F1} s: {Nodes} nodes, {Edges} edges, {Sources} sources",
            graph.Meta.Version, path, clock.Elapsed.TotalSeconds, graph.Meta.NodeCount, graph.Meta.EdgeCount, graph.Meta.SourceCount);
        return new EmbeddedGraphStore(graph);
    }

    private sealed class GraphWarmup(IServiceProvider services) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // The embedded graph and its search index are built before the first request; Neo4j is reached lazily,
            // so the API starts (and says not ready) while Neo4j is down.
            if (services.GetRequiredService<IGraphStore>() is EmbeddedGraphStore)
            {
                await services.GetRequiredService<GraphEngine>().WarmUpAsync(cancellationToken);
                // The load's and the index build's transient buffers are garbage now: return their memory to the system once.
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
