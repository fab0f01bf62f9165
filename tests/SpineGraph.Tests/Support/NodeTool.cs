using System.Diagnostics;
using System.Text;

namespace SpineGraph.Tests.Support;

/// <summary>An npm package folder of the repository (tests/openapi-tools, tests/client-ts) and its Node scripts.</summary>
public sealed class NodeTool(string folder)
{
    public string Directory { get; } = Path.Combine(SeedGraph.RepositoryRoot, "tests", folder);

    /// <summary>Path of a file of an installed package; fails (never skips) when the packages are not installed.</summary>
    public string Package(string relativePath)
    {
        var path = Path.Combine(Directory, "node_modules", relativePath);
        Assert.True(File.Exists(path),
            $"{path} is missing: run `npm ci --prefix {Path.GetRelativePath(SeedGraph.RepositoryRoot, Directory)}` (Node 20+); the test build does it when node_modules is absent or older than package-lock.json.");
        return path;
    }

    /// <summary>Runs <c>node</c> with these arguments in the package folder; the timeout is a hang guard only.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> arguments, TimeSpan hangGuard, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo("node", arguments)
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var guard = new CancellationTokenSource(hangGuard);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {string.Join(' ', psi.ArgumentList)} did not finish within {hangGuard}: {await stdout} {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
