using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;

namespace SpineGraph.Api.Infrastructure;

/// <summary>
/// <c>dotnet run --project src/SpineGraph.Api -- compile --out graph.sgb [--Graph:SeedPath=…]</c>: loads and validates
/// the configured seed and writes it as a snapshot the API can open memory-mapped (<c>Graph:SnapshotPath</c>).
/// Exit codes: 0 written; 2 no <c>--out</c> or no seed folder; 3 invalid seed (every problem printed as file:line).
/// </summary>
public static class CompileCommand
{
    public const int Ok = 0, BadSettings = 2, BadSeed = 3;

    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var builder = Host.CreateApplicationBuilder(args);
        var output = builder.Configuration["out"];
        if (string.IsNullOrWhiteSpace(output))
        {
            stderr.WriteLine("compile: say where to write the snapshot: compile --out graph.sgb");
            return BadSettings;
        }
        string seedPath;
        try
        {
            seedPath = GraphServices.ResolveSeedPath(builder.Configuration, builder.Environment.ContentRootPath);
        }
        catch (InvalidOperationException ex)
        {
            stderr.WriteLine($"compile: {ex.Message}");
            return BadSettings;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (graph, errors) = StreamingSeedLoader.TryLoad(seedPath);
        if (graph is null)
        {
            stderr.WriteLine($"compile: the graph seed in '{seedPath}' is invalid ({errors.Count} problem(s)); nothing was written:");
            foreach (var e in errors) stderr.WriteLine("  " + e);
            return BadSeed;
        }
        var loaded = clock.Elapsed;
        var path = Path.GetFullPath(output);
        GraphSnapshot.Write(graph, path);
        stdout.WriteLine($"compile: graph {graph.Meta.Version} from '{seedPath}' ({graph.Meta.NodeCount} nodes, {graph.Meta.EdgeCount} edges) " +
                         $"loaded in {loaded.TotalSeconds:F1} s, written to '{path}' ({new FileInfo(path).Length:N0} bytes) in {(clock.Elapsed - loaded).TotalSeconds:F1} s");
        return Ok;
    }
}
