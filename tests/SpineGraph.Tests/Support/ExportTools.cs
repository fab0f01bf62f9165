using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace SpineGraph.Tests.Support;

/// <summary>
/// Independent readers of the exports: Node scripts in tests/export-tools (graphology-graphml for GraphML, headless
/// Cytoscape.js for Cytoscape JSON), installed by the test project's build (<c>npm ci</c>), and NetworkX when the
/// machine's Python has it. Also unpacks the KGX zips.
/// </summary>
public static class ExportTools
{
    public static string Directory { get; } = Path.Combine(SeedGraph.RepositoryRoot, "tests", "export-tools");

    /// <summary>Runs <c>node script file</c> and parses its JSON output; fails (never skips) when the tools are missing.</summary>
    public static async Task<JsonNode> NodeReadAsync(string script, string file)
    {
        foreach (var package in new[] { "cytoscape", "graphology", "graphology-graphml" })
            Assert.True(System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", package)),
                $"tests/export-tools/node_modules/{package} is missing: run `npm ci --prefix tests/export-tools` (Node 20+) before `dotnet test`.");
        var (code, stdout, stderr) = await RunAsync("node", [Path.Combine(Directory, script), file]);
        Assert.True(code == 0, $"node {script} failed ({code}): {stderr}");
        return JsonNode.Parse(stdout)!;
    }

    /// <summary>Whether <c>python3</c> with NetworkX is on this machine (an extra reader; the Node readers always run).</summary>
    public static async Task<bool> HasNetworkXAsync()
    {
        try
        {
            return (await RunAsync("python3", ["-c", "import networkx"])).Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no python3
        }
    }

    public static async Task<JsonNode> NetworkXReadAsync(string file)
    {
        var (code, stdout, stderr) = await RunAsync("python3", [Path.Combine(Directory, "graphml_networkx.py"), file]);
        Assert.True(code == 0, $"graphml_networkx.py failed ({code}): {stderr}");
        return JsonNode.Parse(stdout)!;
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(string program, string[] args) =>
        ProcessRunner.RunAsync(program, args, Directory, TimeSpan.FromMinutes(3)); // a hang guard only

    /// <summary>The files of a zip by name, as text.</summary>
    public static Dictionary<string, string> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        });
    }

    /// <summary>A temporary folder, deleted on dispose.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = System.IO.Directory.CreateTempSubdirectory("spinegraph-export-").FullName;

        public void Dispose() => System.IO.Directory.Delete(Path, recursive: true);
    }

    /// <summary>RFC 4180 CSV: fields split on commas, quoted fields may hold commas, doubled quotes and line breaks.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else field.Append(c);
        }
        Assert.True(field.Length == 0 && row.Count == 0, "the CSV does not end with CRLF");
        return rows;
    }
}
