using System.Text.Json;
using System.Text.Json.Nodes;
using SpineGraph.Core;
using SpineGraph.Storage.Neo4j;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Neo4j;

/// <summary>
/// Every statement the store and seeder can send (<see cref="CypherCatalog.All"/>) through Neo4j's own parser and
/// semantic analysis (tests/cypher-tools/lint.mjs), with labels, relationship types, property keys and parameters
/// declared: zero errors and zero warnings (deprecations included), as Cypher 5 (Neo4j 5.26) and Cypher 25 (2025.x).
/// </summary>
public class CypherLintTests
{
    private static JsonObject Input(IEnumerable<(string Name, string Cypher)> statements, IEnumerable<string> parameters, string version) => new()
    {
        ["schema"] = new JsonObject
        {
            ["labels"] = new JsonArray([.. GraphModel.Labels.Select(l => (JsonNode)l)]),
            ["relationshipTypes"] = new JsonArray([.. GraphModel.RelationshipTypes.Select(t => (JsonNode)t)]),
            ["propertyKeys"] = new JsonArray([.. GraphModel.PropertyKeys.Concat(GraphModel.RowKeys).Select(k => (JsonNode)k)]),
            ["parameters"] = new JsonObject(parameters.Distinct().Select(p => KeyValuePair.Create(p, (JsonNode?)"ANY"))),
        },
        ["options"] = new JsonObject { ["cypherVersion"] = version },
        ["statements"] = new JsonArray([.. statements.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["cypher"] = s.Cypher })]),
    };

    /// <summary>
    /// Runs lint.mjs on <paramref name="input"/>, with the lint cache in <paramref name="cacheDirectory"/> (none: no
    /// cache). The timeout only guards against a hang: a cold lint of the whole catalog takes tens of seconds of CPU.
    /// </summary>
    private static async Task<JsonNode> LintAsync(JsonObject input, string? cacheDirectory)
    {
        if (cacheDirectory is not null) (input["options"] ??= new JsonObject())["cache"] = cacheDirectory;
        var (code, stdout, stderr) = await CypherTools.RunNodeAsync("lint.mjs", input.ToJsonString(), TimeSpan.FromMinutes(10));
        Assert.True(code == 0, $"lint.mjs exited {code}: {stderr}");
        return JsonNode.Parse(stdout)!;
    }

    private static (string Name, string Cypher)[] BadStatements =>
    [
        ("syntax", "MATC (n:Node) RETURN n"),
        ("param", "MATCH (n:Node {id: $undeclared}) RETURN n"),
        ("deprecated", "MATCH (n:Node) RETURN id(n)"),
        ("unknown label", "MATCH (n:Gene) RETURN n.id"),
        ("removed in 5", "MATCH (n:Node) RETURN size((n)-->())"),
    ];

    [Fact]
    public void TheCatalogHoldsEveryKindOfStatement()
    {
        var names = CypherCatalog.All.Select(s => s.Name).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        foreach (var prefix in new[] { "store.node", "store.nodes", "store.listNodes", "store.edgesByRef",
                     "store.version", "store.meta", "store.sources", "store.lexicon", "seed.sources", "seed.meta", "seed.counts", "seed.previousStamp", "seed.index.nodeStamp",
                     "seed.prune.CAUSES", "seed.prune.nodes", "seed.prune.sources", "seed.constraint.nodeId", "seed.index.nodeCategory" })
            Assert.Contains(prefix, names);
        foreach (var p in Vocabulary.Predicates)
            foreach (var d in new[] { "out", "in" }) Assert.Contains($"store.expand.{Vocabulary.RelationshipType(p)}.{d}", names);
        foreach (var c in Vocabulary.Categories) Assert.Contains($"seed.nodes.{Vocabulary.Label(c)}", names);
        foreach (var p in Vocabulary.Predicates) Assert.Contains($"seed.edges.{Vocabulary.RelationshipType(p)}", names);
        Assert.All(CypherCatalog.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Purpose), s.Name + " has no purpose"));
    }

    [Fact]
    public async Task EveryStatementLintsCleanAsCypher5AndCypher25()
    {
        var all = CypherCatalog.All;
        var parameters = all.SelectMany(s => s.Parameters).ToArray();
        var versions = new[] { "5", "25" };
        // Both dialects in one process; statements whose text, schema, dialect and linter are unchanged since an
        // earlier run come from the lint cache (tests/cypher-tools/.lint-cache), the others are linted.
        var input = new JsonObject { ["runs"] = new JsonArray([.. versions.Select(v => (JsonNode)Input(all.Select(s => (s.Name, s.Text)), parameters, v))]) };
        var runs = (await LintAsync(input, CypherTools.LintCacheDirectory))["runs"]!.AsArray();
        Assert.Equal(versions.Length, runs.Count);
        var problems = new List<string>();
        foreach (var (version, result) in versions.Zip(runs))
        {
            var results = result!["results"]!.AsArray();
            Assert.Equal(all.Count, results.Count);
            problems.AddRange(results
                .Where(r => (int)r!["errorCount"]! > 0 || (int)r["warningCount"]! > 0 || r["diagnostics"]!.AsArray().Any(d => (bool?)d!["deprecated"] == true))
                .Select(r => $"Cypher {version} {r!["name"]}: {r["diagnostics"]!.ToJsonString()}"));
        }
        Assert.True(problems.Count == 0, $"{problems.Count} statement(s) with diagnostics:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void EveryStatementDeclaresExactlyTheParametersItUses()
    {
        // The linter gets the union of all parameters; this checks each statement's own list (an undeclared
        // parameter would be sent as null by the store).
        foreach (var s in CypherCatalog.All)
        {
            var used = System.Text.RegularExpressions.Regex.Matches(s.Text, @"\$([A-Za-z_][A-Za-z0-9_]*)").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal);
            Assert.True(used.SequenceEqual(s.Parameters.Order(StringComparer.Ordinal)), $"{s.Name}: uses [{string.Join(", ", used)}], declares [{string.Join(", ", s.Parameters)}]");
            Assert.DoesNotContain("$(", s.Text); // no dynamic labels (not in grafeo, and labels come from Vocabulary)
        }
    }

    [Fact]
    public async Task TheLinterCatchesWhatItShould()
    {
        // Guards the checks above against a linter that reports nothing, and against a cache that hides what it
        // reports: linted for real into an empty cache, then again from the cache. Two processes, as each start
        // costs seconds of CPU (module load and JIT warm-up).
        var cache = Path.Combine(Path.GetTempPath(), "spinegraph-lint-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = (await LintAsync(Input(BadStatements, ["id"], "5"), cache))["results"]!.AsArray();
            foreach (var r in first)
            {
                Assert.False((bool)r!["cached"]!, $"{r["name"]} came from an empty cache");
                Assert.True((int)r["errorCount"]! + (int)r["warningCount"]! > 0, $"{r["name"]} was not reported");
            }

            // The same statements come from the cache with the same diagnostics; a changed statement is linted
            // again, and so is a statement under another dialect and parameter list (a few statements: each one a
            // process lints costs a JIT warm-up).
            var changed = BadStatements.Select(s => s.Name == "deprecated" ? (s.Name, s.Cypher + " AS i") : s).ToArray();
            var runs = (await LintAsync(new JsonObject
            {
                ["runs"] = new JsonArray(Input(BadStatements, ["id"], "5"), Input(changed, ["id"], "5"), Input(BadStatements.Where(s => s.Name == "param"), ["id", "undeclared"], "25")),
            }, cache))["runs"]!;
            var again = runs[0]!["results"]!.AsArray();
            Assert.All(again, r => Assert.True((bool)r!["cached"]!, $"{r!["name"]} was linted again"));
            Assert.Equal(first.Select(r => r!.ToJsonString().Replace("\"cached\":false", "")), again.Select(r => r!.ToJsonString().Replace("\"cached\":true", "")));
            var third = runs[1]!["results"]!.AsArray();
            Assert.Equal(BadStatements.Select(s => s.Name != "deprecated"), third.Select(r => (bool)r!["cached"]!));
            Assert.True((int)third.Single(r => (string)r!["name"]! == "deprecated")!["warningCount"]! > 0);
            var other = runs[2]!["results"]!.AsArray().Single()!;
            Assert.False((bool)other["cached"]!);
            Assert.Equal(0, (int)other["errorCount"]!);
        }
        finally
        {
            if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        }
    }
}
