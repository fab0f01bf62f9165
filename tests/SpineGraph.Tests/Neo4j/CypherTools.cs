using System.Diagnostics;
using System.Text;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Neo4j;

/// <summary>The Node.js tools in tests/cypher-tools (linter and Query API test server).</summary>
public static class CypherTools
{
    public static string Directory { get; } = Path.Combine(SeedGraph.RepositoryRoot, "tests", "cypher-tools");

    /// <summary>
    /// Where lint.mjs keeps its results for the catalog lint: tests/cypher-tools/.lint-cache (git-ignored), or null
    /// (lint everything) when the environment variable <c>SPINEGRAPH_LINT_CACHE</c> is <c>off</c>.
    /// </summary>
    public static string? LintCacheDirectory { get; } =
        string.Equals(Environment.GetEnvironmentVariable("SPINEGRAPH_LINT_CACHE"), "off", StringComparison.OrdinalIgnoreCase)
            ? null
            : Path.Combine(Directory, ".lint-cache");

    /// <summary>Fails (never skips) when the npm packages are missing: CI must install them.</summary>
    public static void EnsureInstalled()
    {
        foreach (var package in new[] { "@grafeo-db/js", "@neo4j-cypher/language-support" })
        {
            if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", package)))
                throw new InvalidOperationException(
                    $"tests/cypher-tools/node_modules/{package} is missing: run `npm ci --prefix tests/cypher-tools` (Node 20+) before `dotnet test`.");
        }
    }

    /// <summary>Runs <c>node script</c> with the given stdin; returns exit code, stdout and stderr.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunNodeAsync(string script, string stdin, TimeSpan timeout)
    {
        EnsureInstalled();
        return await ProcessRunner.RunAsync("node", [Path.Combine(Directory, script)], Directory, timeout, stdin);
    }
}

/// <summary>
/// <c>node query-api-server.mjs --port 0</c>: a Neo4j Query API v2 test double on the grafeo engine. Its stdin is
/// a pipe held by this process, so the server exits when the test process dies; Dispose kills it.
/// </summary>
public sealed class QueryApiServer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private QueryApiServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static async Task<QueryApiServer> StartAsync(string? user = null, string? password = null)
    {
        CypherTools.EnsureInstalled();
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = CypherTools.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Path.Combine(CypherTools.Directory, "query-api-server.mjs"));
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add("0");
        if (user is not null)
        {
            psi.ArgumentList.Add("--user");
            psi.ArgumentList.Add(user);
            psi.ArgumentList.Add("--password");
            psi.ArgumentList.Add(password!);
        }
        var p = Process.Start(psi)!;
        var stderr = new StringBuilder();
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        var line = p.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(line, Task.Delay(TimeSpan.FromSeconds(20))) != line || line.Result is not { } first || !first.StartsWith("LISTENING ", StringComparison.Ordinal))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new InvalidOperationException($"query-api-server.mjs did not start: {stderr}");
        }
        var server = new QueryApiServer(p, int.Parse(first["LISTENING ".Length..], System.Globalization.CultureInfo.InvariantCulture));
        lock (stderr) server._stderr.Append(stderr);
        return server;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(2000)) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
