using System.Text;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;
using SpineGraph.Tests.Api;
using SpineGraph.Tests.Support;
using static SpineGraph.Tests.Seed.StreamingSeedLoaderTests;

namespace SpineGraph.Tests.Seed;

/// <summary>
/// Every kind of broken seed the issue names (a bad line, a dangling reference, duplicate ids, an unknown tier, a
/// truncated file, an empty folder, a missing path, an over-long line, invalid UTF-8): both loaders refuse it with
/// every problem as <c>file:line: message</c>, no graph at all, and the API does not start.
/// </summary>
public sealed class SeedProblemTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spinegraph-problem-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The seed lines (Source, Condition, Mechanism, EdgeLine) are StreamingSeedLoaderTests'.

    private string PathOf(string file) => Path.Combine(_dir, file);

    /// <summary>A valid seed of two nodes and one edge, with the given files replaced.</summary>
    private void Write(string? sources = null, string? nodes = null, string? edges = null)
    {
        File.WriteAllText(PathOf(SeedLoader.SourcesFile), sources ?? Source + "\n");
        File.WriteAllText(PathOf(SeedLoader.NodesFile), nodes ?? Condition + "\n" + Mechanism + "\n");
        File.WriteAllText(PathOf(SeedLoader.EdgesFile), edges ?? EdgeLine() + "\n");
    }

    /// <summary>Both loaders on the folder: no graph, and the same problems, one line each; returns them.</summary>
    private static string[] Refused(string dir)
    {
        var (data, expected) = SeedLoader.TryLoad(dir);
        var (graph, actual) = StreamingSeedLoader.TryLoad(dir);
        Assert.Null(data);
        Assert.Null(graph);
        var lines = actual.Select(e => e.ToString()).ToArray();
        Assert.Equal(expected.Select(e => e.ToString()), lines);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.DoesNotContain('\n', l));
        return lines;
    }

    /// <summary>The API on that seed does not start, and says why with the same lines.</summary>
    private static void ApiRefuses(string dir, string[] lines)
    {
        var seedError = ApiFactory.StartupFailure<SeedValidationException>(new Dictionary<string, string?> { ["Graph:SeedPath"] = dir });
        Assert.Equal(lines, seedError.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void TheValidSeedOfTheseTestsLoads()
    {
        Write();
        Assert.Empty(SeedLoader.TryLoad(_dir).Errors);
        Assert.Equal(1, StreamingSeedLoader.Load(_dir).EdgeCount);
    }

    [Fact]
    public void ABadLineIsNamedByFileAndLine()
    {
        Write(nodes: Condition + "\n{\"id\": \"sg:m\", name\n" + Mechanism + "\n");
        var lines = Refused(_dir);
        Assert.Single(lines);
        Assert.StartsWith("nodes.jsonl:2: bad JSON: ", lines[0]);
        ApiRefuses(_dir, lines);
    }

    [Fact]
    public void ADanglingReferenceIsNamedByFileAndLine()
    {
        Write(edges: EdgeLine() + "\n" + EdgeLine("sg:e2", obj: "sg:nowhere") + "\n");
        var lines = Refused(_dir);
        Assert.Equal(["edges.jsonl:2: object 'sg:nowhere' is not a node (dangling edge)"], lines);
        ApiRefuses(_dir, lines);
    }

    [Fact]
    public void DuplicateIdsAreEachNamedByFileAndLine()
    {
        Write(
            sources: Source + "\n" + Source + "\n",
            nodes: Condition + "\n" + Mechanism + "\n" + Mechanism.Replace("\"M\"", "\"M2\"") + "\n",
            edges: EdgeLine() + "\n\n" + EdgeLine() + "\n");
        var lines = Refused(_dir);
        Assert.Equal(
        [
            "sources.jsonl:2: duplicate source id 'sgdoc:000'",
            "nodes.jsonl:3: duplicate node id 'sg:m'",
            "edges.jsonl:3: duplicate edge id 'sg:e1'",
        ], lines);
        ApiRefuses(_dir, lines);
    }

    [Fact]
    public void AnUnknownTierIsNamedWithTheAllowedOnes()
    {
        Write(edges: EdgeLine().Replace("\"T5\"", "\"T9\"") + "\n");
        var lines = Refused(_dir);
        Assert.Equal(["edges.jsonl:1: 'evidence_tier' is 'T9'; allowed: T1, T2, T3, T4, T5"], lines);
    }

    [Theory]
    [InlineData(SeedLoader.SourcesFile, 1)]
    [InlineData(SeedLoader.NodesFile, 2)]
    [InlineData(SeedLoader.EdgesFile, 2)]
    public void AFileCutMidJsonIsNamedAtItsLastLine(string file, int lastLine)
    {
        Write(edges: EdgeLine() + "\n" + EdgeLine("sg:e2") + "\n");
        var text = File.ReadAllText(PathOf(file)).TrimEnd('\n');
        File.WriteAllText(PathOf(file), text[..(text.Length - 25)]); // cut mid-value, no line end: as a copy that stopped
        var lines = Refused(_dir);
        Assert.Contains(lines, l => l.StartsWith($"{file}:{lastLine}: bad JSON: ", StringComparison.Ordinal));
        // What the cut line held (a source, a node) is missing, so later lines may be refused too, but never a line before it.
        Assert.DoesNotContain(lines, l => l.StartsWith(file + ":", StringComparison.Ordinal) && !l.StartsWith($"{file}:{lastLine}:", StringComparison.Ordinal));
    }

    [Fact]
    public void AnEmptyFolderNamesEachMissingFile()
    {
        var lines = Refused(_dir);
        Assert.Equal(
        [
            $"sources.jsonl: file not found in '{_dir}'",
            $"nodes.jsonl: file not found in '{_dir}'",
            $"edges.jsonl: file not found in '{_dir}'",
        ], lines);
        ApiRefuses(_dir, lines);
    }

    [Fact]
    public void AMissingPathIsOneLineNamingIt()
    {
        var missing = Path.Combine(_dir, "no", "such", "seed");
        var lines = Refused(missing);
        Assert.Equal([$"{missing}: no such seed folder"], lines);
        ApiRefuses(missing, lines);

        Write();
        var file = PathOf(SeedLoader.NodesFile);
        Assert.Equal([$"{file}: is a file, not a seed folder"], Refused(file));
    }

    /// <summary>Writes <paramref name="before"/>, then a line of <paramref name="length"/> bytes of NUL (a sparse hole on
    /// most file systems, so nothing that size is written), then <paramref name="after"/>.</summary>
    private void WriteWithLongLine(string file, string before, long length, string after)
    {
        using var stream = new FileStream(PathOf(file), FileMode.Create, FileAccess.Write);
        stream.Write(Encoding.UTF8.GetBytes(before));
        stream.Seek(length, SeekOrigin.Current);
        stream.Write(Encoding.UTF8.GetBytes("\n" + after));
    }

    private static readonly string TooLong = $"line longer than {SeedLoader.MaxLineBytes} bytes (1 MiB), the limit of a seed line; it was not read";

    [Fact]
    public void ALineLongerThanTheLimitIsNamedAndNotReadIntoMemory()
    {
        Assert.Equal(TooLong, SeedLoader.LineTooLong);
        const long huge = 64L << 20; // far past the limit and past the streaming loader's 4 MiB blocks
        Write();
        WriteWithLongLine(SeedLoader.NodesFile, Condition + "\n", huge, Mechanism + "\n");
        WriteWithLongLine(SeedLoader.EdgesFile, EdgeLine() + "\n", huge, EdgeLine("sg:e2") + "\n" + EdgeLine("sg:e3", obj: "sg:nowhere") + "\n");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var (data, errors) = SeedLoader.TryLoad(_dir);
        var listAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var (graph, streamed) = StreamingSeedLoader.TryLoad(_dir);
        var streamAllocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(data);
        Assert.Null(graph);
        string[] expected =
        [
            $"nodes.jsonl:2: {TooLong}",
            $"edges.jsonl:2: {TooLong}",
            "edges.jsonl:4: object 'sg:nowhere' is not a node (dangling edge)", // numbering goes on past the skipped line
        ];
        Assert.Equal(expected, errors.Select(e => e.ToString()));
        Assert.Equal(expected, streamed.Select(e => e.ToString()));
        // Neither loader holds the line: each allocates far less than one copy of it (the list loader keeps at most the
        // limit; the streaming loader its few 4 MiB blocks).
        Assert.True(listAllocated < huge / 4, $"the list loader allocated {listAllocated:N0} bytes");
        Assert.True(streamAllocated < huge / 4, $"the streaming loader allocated {streamAllocated:N0} bytes");
    }

    [Theory]
    [InlineData(1)]         // just past the limit: inside one block of the streaming loader
    [InlineData(3 << 20)]   // across a block boundary
    public void ALineJustPastTheLimitIsRefusedAndOneAtTheLimitIsRead(int over)
    {
        // A valid edge padded with spaces up to the limit loads; one byte (or more) longer is refused.
        var edge = EdgeLine();
        Write(edges: edge + new string(' ', SeedLoader.MaxLineBytes - edge.Length) + "\n");
        Assert.Empty(SeedLoader.TryLoad(_dir).Errors);
        Assert.Equal(1, StreamingSeedLoader.Load(_dir).EdgeCount);

        Write(edges: EdgeLine("sg:e0") + "\n" + edge + new string(' ', SeedLoader.MaxLineBytes - edge.Length + over) + "\n" + EdgeLine("sg:e2", obj: "sg:x") + "\n");
        Assert.Equal([$"edges.jsonl:2: {TooLong}", "edges.jsonl:3: object 'sg:x' is not a node (dangling edge)"], Refused(_dir));
    }

    [Fact]
    public void InvalidUtf8IsNamedByFileLineAndByteNotADecoderError()
    {
        Write();
        // "C" with a lone continuation byte (0x80), "M" with a truncated two-byte sequence (0xC3 then '"'), and an edge
        // with 0xFF (never valid in UTF-8).
        WriteBytes(SeedLoader.NodesFile, Condition.Replace("\"C\"", "\"C#\""), '#', [0x80], Mechanism.Replace("\"M\"", "\"M#\""), '#', [0xC3]);
        WriteBytes(SeedLoader.EdgesFile, EdgeLine(), null, [], EdgeLine("sg:e2").Replace("C causes M.", "C causes M#"), '#', [0xFF]);

        var lines = Refused(_dir);
        Assert.Equal(
        [
            $"nodes.jsonl:1: invalid UTF-8 at byte {Condition.IndexOf("\"C\"", StringComparison.Ordinal) + 3} of the line",
            $"nodes.jsonl:2: invalid UTF-8 at byte {Mechanism.IndexOf("\"M\"", StringComparison.Ordinal) + 3} of the line",
            "edges.jsonl:1: subject 'sg:c' is not a node (dangling edge)", // the nodes of those lines are missing
            "edges.jsonl:1: object 'sg:m' is not a node (dangling edge)",
            $"edges.jsonl:2: invalid UTF-8 at byte {EdgeLine("sg:e2").IndexOf("C causes M.", StringComparison.Ordinal) + 11} of the line",
        ], lines);
        ApiRefuses(_dir, lines);
    }

    /// <summary>Writes two lines, replacing the marker character in each with the given raw bytes.</summary>
    private void WriteBytes(string file, string line1, char? mark1, byte[] bytes1, string line2, char mark2, byte[] bytes2)
    {
        static byte[] Line(string line, char? mark, byte[] raw)
        {
            if (mark is not { } m) return Encoding.UTF8.GetBytes(line + "\n");
            var at = line.IndexOf(m, StringComparison.Ordinal);
            return [.. Encoding.UTF8.GetBytes(line[..at]), .. raw, .. Encoding.UTF8.GetBytes(line[(at + 1)..] + "\n")];
        }
        File.WriteAllBytes(PathOf(file), [.. Line(line1, mark1, bytes1), .. Line(line2, mark2, bytes2)]);
    }

    /// <summary>The API as a process: exit code 3 and one line per problem on standard error, no stack trace.</summary>
    [Fact]
    public async Task TheApiProcessExitsWithCode3AndOneLinePerProblem()
    {
        Write();
        WriteBytes(SeedLoader.NodesFile, Condition, null, [], Mechanism.Replace("\"M\"", "\"M#\""), '#', [0xC3]);
        WriteWithLongLine(SeedLoader.EdgesFile, EdgeLine() + "\n", 8L << 20, EdgeLine("sg:e2", obj: "sg:nowhere") + "\n");
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "SpineGraph.Api.dll"), "--urls", "http://127.0.0.1:0", $"--Graph:SeedPath={_dir}"],
            SeedGraph.RepositoryRoot, TimeSpan.FromMinutes(2)); // a hang guard only
        Assert.Equal(3, code);
        var lines = (stderr + stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
        [
            "spinegraph: the graph seed is invalid (4 problem(s)); nothing was loaded:",
            $"spinegraph:   nodes.jsonl:2: invalid UTF-8 at byte {Mechanism.IndexOf("\"M\"", StringComparison.Ordinal) + 3} of the line",
            "spinegraph:   edges.jsonl:1: object 'sg:m' is not a node (dangling edge)",
            $"spinegraph:   edges.jsonl:2: {TooLong}",
            "spinegraph:   edges.jsonl:3: object 'sg:nowhere' is not a node (dangling edge)",
        ], lines);
    }
}
