using System.Diagnostics;
using System.Globalization;

namespace SpineGraph.Synthetic;

/// <summary>
/// <c>dotnet run -c Release --project bench/SpineGraph.Synthetic -- --edges 1000000 --out /tmp/sg-1e6 [--seed 42]</c>
/// </summary>
public static class Program
{
    private static readonly string Usage =
        "usage: SpineGraph.Synthetic --edges <count> --out <folder> [--seed <n>]\n" +
        $"  --edges  edges to generate, {SyntheticOptions.MinEdges} to {SyntheticOptions.MaxEdges} (1e6 and 1_000_000 are accepted); nodes are edges/10\n" +
        "  --out    folder to write nodes.jsonl, edges.jsonl, sources.jsonl and synthetic.json to (created if missing)\n" +
        $"  --seed   64-bit seed, default {SyntheticOptions.DefaultSeed}; the same edges and seed give the same bytes";

    public static int Main(string[] args)
    {
        int? edges = null;
        string? outDir = null;
        var seed = SyntheticOptions.DefaultSeed;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--edges" when value is not null && TryParseCount(value, out var e):
                    edges = e;
                    i++;
                    break;
                case "--out" when value is not null:
                    outDir = value;
                    i++;
                    break;
                case "--seed" when value is not null && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    i++;
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"bad or incomplete argument '{args[i]}'");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        if (edges is null || outDir is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (edges is < SyntheticOptions.MinEdges or > SyntheticOptions.MaxEdges)
        {
            Console.Error.WriteLine($"--edges must be {SyntheticOptions.MinEdges} to {SyntheticOptions.MaxEdges}");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var summary = SyntheticGenerator.Generate(new SyntheticOptions(edges.Value, seed), outDir);
        clock.Stop();
        foreach (var line in summary.ToText()) Console.WriteLine(line);
        long bytes = 0;
        foreach (var f in new[] { "nodes.jsonl", "edges.jsonl", "sources.jsonl" }) bytes += new FileInfo(Path.Combine(outDir, f)).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {Path.GetFullPath(outDir)} ({bytes / 1048576.0:F1} MiB) in {clock.Elapsed.TotalSeconds:F1} s; summary in {SyntheticSummary.FileName}"));
        return 0;
    }

    /// <summary>A count written as digits (with optional _ or , separators) or as 1e6.</summary>
    public static bool TryParseCount(string text, out int value)
    {
        value = 0;
        var t = text.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value)) return true;
        if (double.TryParse(t, NumberStyles.AllowExponent | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            && d >= 1 && d <= int.MaxValue && d == Math.Floor(d))
        {
            value = (int)d;
            return true;
        }
        return false;
    }
}
