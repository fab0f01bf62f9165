using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineGraph.Core;
using SpineGraph.Core.Seed;

namespace SpineGraph.Storage.Neo4j;

/// <summary>
/// <c>dotnet run --project src/SpineGraph.Api -- seed [--Neo4j:Url=…] [--Graph:SeedPath=…]</c>: loads and validates
/// graph-seed/, writes it to the configured Neo4j, prints counts. Exit codes: 0 done; 2 invalid settings;
/// 3 invalid seed (every problem printed as file:line); 4 Neo4j unreachable or failing; 5 Neo4j refused a statement.
/// </summary>
public static class Neo4jSeedCommand
{
    public const int Ok = 0, BadSettings = 2, BadSeed = 3, Unavailable = 4, Refused = 5;

    /// <param name="args">Configuration arguments (after <c>seed</c>).</param>
    /// <param name="resolveSeedPath">The API's rule for the seed folder: (configuration, content root) → folder.</param>
    /// <param name="stdout">Where the progress and counts go (default: the console).</param>
    /// <param name="stderr">Where errors go (default: the console).</param>
    /// <param name="ct">Stops the run (nothing is committed unless the transaction already was).</param>
    public static async Task<int> RunAsync(string[] args, Func<IConfiguration, string, string> resolveSeedPath,
        TextWriter? stdout = null, TextWriter? stderr = null, CancellationToken ct = default)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.AddNeo4jStore();
        using var host = builder.Build();

        Neo4jOptions options;
        string seedPath;
        try
        {
            options = host.Services.GetRequiredService<IOptions<Neo4jOptions>>().Value;
            seedPath = resolveSeedPath(builder.Configuration, builder.Environment.ContentRootPath);
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"seed: invalid settings: {ex.Message}");
            return BadSettings;
        }

        var (data, errors) = SeedLoader.TryLoad(seedPath);
        if (data is null)
        {
            await stderr.WriteLineAsync($"seed: the graph seed in '{seedPath}' is invalid ({errors.Count} problem(s)); nothing was written:");
            foreach (var e in errors) await stderr.WriteLineAsync("  " + e);
            return BadSeed;
        }

        var target = $"{options.Url.TrimEnd('/')} (database '{options.Database}')";
        await stdout.WriteLineAsync($"seed: writing graph {data.Version} from '{seedPath}' to Neo4j at {target}: " +
                                    $"{data.Nodes.Count} nodes, {data.Edges.Count} edges, {data.Sources.Count} sources");
        try
        {
            var r = await host.Services.GetRequiredService<Neo4jSeeder>().SeedAsync(data, ct);
            await stdout.WriteLineAsync($"seed: done. Graph {r.Version} in Neo4j: {r.Nodes} nodes, {r.Edges} relationships, {r.Sources} sources " +
                                        $"(this run: {r.NodesCreated} nodes created, {r.NodesDeleted} deleted; " +
                                        $"{r.RelationshipsCreated} relationships created, {r.RelationshipsDeleted} deleted; {r.PropertiesSet} properties set)");
            if (r.Nodes != data.Nodes.Count || r.Edges != data.Edges.Count || r.Sources != data.Sources.Count)
            {
                await stderr.WriteLineAsync("seed: the database does not hold exactly the seed afterwards (another writer?)");
                return Refused;
            }
            return Ok;
        }
        catch (GraphUnavailableException ex)
        {
            await stderr.WriteLineAsync($"seed: Neo4j is unreachable or failing; nothing was committed. {target}: {ex.Message}" +
                                        (ex.InnerException is { } inner ? $" ({inner.Message})" : ""));
            return Unavailable;
        }
        catch (Neo4jQueryException ex)
        {
            await stderr.WriteLineAsync($"seed: Neo4j refused a statement; nothing was committed. {ex.Message}");
            return ex.MeansUnavailable ? Unavailable : Refused;
        }
    }
}
