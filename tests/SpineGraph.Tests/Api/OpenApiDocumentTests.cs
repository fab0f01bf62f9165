using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Api;

/// <summary>The committed openapi/v1.json is what the code generates, and it documents every operation fully.</summary>
public class OpenApiDocumentTests(EmbeddedApiFixture fixture) : IClassFixture<EmbeddedApiFixture>
{
    public static string CommittedPath => Path.Combine(SeedGraph.RepositoryRoot, "openapi", "v1.json");

    private async Task<string> Generated()
    {
        var json = await fixture.Factory.CreateClient().GetStringAsync("/openapi/v1.json");
        return JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private async Task<JsonNode> Document() => JsonNode.Parse(await Generated())!;

    [Fact]
    public async Task TheCommittedDocumentIsWhatTheCodeGenerates()
    {
        var generated = await Generated();
        // To refresh after changing an endpoint: UPDATE_OPENAPI=1 dotnet test SpineGraph.sln --filter OpenApiDocumentTests
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(CommittedPath, generated);
        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} is missing; run with UPDATE_OPENAPI=1 to write it.");
        var committed = (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n");
        Assert.True(committed == generated,
            "openapi/v1.json differs from the generated document; run `UPDATE_OPENAPI=1 dotnet test SpineGraph.sln --filter OpenApiDocumentTests` and commit it.");
    }

    [Fact]
    public async Task EveryOperationHasAnIdSummaryDescriptionAndDocumentedParameters()
    {
        var doc = await Document();
        var operations = doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Op: o.Value!))).ToList();
        Assert.True(operations.Count >= 12);
        Assert.Equal(operations.Count, operations.Select(o => (string)o.Op["operationId"]!).Distinct().Count());
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)o.Op["summary"]), o.Path);
            Assert.False(string.IsNullOrWhiteSpace((string?)o.Op["description"]), o.Path);
            foreach (var p in o.Op["parameters"]?.AsArray() ?? [])
            {
                Assert.False(string.IsNullOrWhiteSpace((string?)p!["description"]), $"{o.Path} {(string?)p["name"]}");
                if ((bool?)p["required"] == true) Assert.True(p["example"] is not null, $"{o.Path} {(string?)p["name"]} is required and has no example");
            }
        });
    }

    [Fact]
    public async Task EveryApiOperationDocumentsItsProblemResponses()
    {
        var doc = await Document();
        foreach (var (path, item) in doc["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/v1", StringComparison.Ordinal)))
            foreach (var (_, op) in item!.AsObject())
            {
                var responses = op!["responses"]!.AsObject();
                Assert.True(responses.ContainsKey("200"), path);
                foreach (var code in new[] { "500", "503" })
                    Assert.True(responses[code]?["content"]?["application/problem+json"] is not null, $"{path} lacks a {code} problem response");
                if (op["parameters"]?.AsArray().Count > 0)
                    Assert.True(responses["400"]?["content"]?["application/problem+json"] is not null, $"{path} lacks a 400 problem response");
            }
    }

    [Theory]
    [InlineData("/api/v1/search", "q")]
    [InlineData("/api/v1/paths", "from")]
    [InlineData("/api/v1/paths", "to")]
    [InlineData("/api/v1/subgraph", "ids")]
    public async Task QueryParametersAnOperationCannotDoWithoutAreRequired(string path, string name)
    {
        var doc = await Document();
        var p = doc["paths"]![path]!["get"]!["parameters"]!.AsArray().Single(x => (string)x!["name"]! == name)!;
        Assert.True((bool?)p["required"]);
    }

    [Theory]
    [InlineData("/api/v1/treatments", "effect", "no_benefit", null)]
    [InlineData("/api/v1/edges", "effect", "harm", null)]
    [InlineData("/api/v1/paths", "via", "mechanism", null)]
    [InlineData("/api/v1/subgraph", "ids", null, 20)]
    public async Task CommaSeparatedListsAreArraysSentCommaSeparated(string path, string name, string? anAllowedItem, int? maxItems)
    {
        var doc = await Document();
        var p = doc["paths"]![path]!["get"]!["parameters"]!.AsArray().Single(x => (string)x!["name"]! == name)!;
        Assert.Equal(("form", false), ((string?)p["style"] ?? "form", (bool?)p["explode"])); // form: the default for a query
        Assert.Equal("array", (string?)p["schema"]!["type"]);
        Assert.Equal(maxItems, (int?)p["schema"]!["maxItems"]);
        var items = p["schema"]!["items"]!;
        Assert.Equal("string", (string?)items["type"]);
        if (anAllowedItem is not null) Assert.Contains(anAllowedItem, items["enum"]!.AsArray().Select(e => (string)e!));
        else Assert.Null(items["enum"]);
    }

    [Fact]
    public async Task TryItOutOnTheFlagshipAsksTheReadmeQuestionAndNothingMore()
    {
        // Swagger UI pre-fills every example: only the README's parameters may have one, or the answer changes.
        var doc = await Document();
        var parameters = doc["paths"]!["/api/v1/treatments"]!["get"]!["parameters"]!.AsArray();
        var prefilled = parameters.Where(p => p!["example"] is not null).ToDictionary(p => (string)p!["name"]!, p => (string)p!["example"]!);
        Assert.Equal(new Dictionary<string, string> { ["symptom"] = "muscle spasm", ["cause"] = "nerve compression" }, prefilled);
        var body = await fixture.Factory.CreateClient().GetStringAsync(
            "/api/v1/treatments?" + string.Join("&", prefilled.Select(kv => kv.Key + "=" + Uri.EscapeDataString(kv.Value))));
        Assert.Contains("\"treatment\":\"sg:physical-therapy\"", body);
    }

    [Fact]
    public async Task TryItOutOnTheQueryEndpointSendsTheReadmePatternAndFindsItsAnswer()
    {
        var doc = await Document();
        var example = doc["paths"]!["/api/v1/query"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;

        // The README shows the same query graph (its q.json) and the answer it gets.
        var readme = await File.ReadAllTextAsync(Path.Combine(SeedGraph.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("cat > q.json <<'JSON'\n", StringComparison.Ordinal) + "cat > q.json <<'JSON'\n".Length;
        var inReadme = JsonNode.Parse(readme[start..readme.IndexOf("\nJSON\n", start, StringComparison.Ordinal)])!;
        Assert.True(JsonNode.DeepEquals(inReadme, example), "the README's q.json and the OpenAPI example differ");

        using var response = await fixture.Factory.CreateClient().PostAsync("/api/v1/query",
            new StringContent(example.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var first = answer["message"]!["results"]![0]!["node_bindings"]!;
        Assert.Equal("sg:botulinum-toxin", (string)first["treatment"]![0]!["id"]!);
        Assert.Contains("{\"score\":0.25,\"treatment\":\"Botulinum toxin injection\"", readme);
    }

    [Fact]
    public async Task ExampleIdsAreRealNodesOfTheSeed()
    {
        var doc = await Document();
        var examples = doc["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().SelectMany(o => o.Value!["parameters"]?.AsArray() ?? []))
            .SelectMany(p => p!["example"] is JsonArray list ? list.Select(e => e?.ToString()) : [p["example"]?.ToString()])
            .Where(e => e is not null && e.StartsWith("sg:", StringComparison.Ordinal))
            .Select(e => e!)
            .Distinct()
            .ToList();
        Assert.NotEmpty(examples);
        var ids = SeedGraph.Data.Nodes.Select(n => n.Id).ToHashSet();
        Assert.All(examples, e => Assert.Contains(e, ids));
    }

    [Fact]
    public async Task PropertiesThatAreNeverNullAreRequiredAndOnlyNullableOnesAreOptional()
    {
        var schemas = (await Document())["components"]!["schemas"]!;
        var required = (string schema) => schemas[schema]!["required"]!.AsArray().Select(r => (string)r!).ToHashSet();
        Assert.Superset(new HashSet<string> { "items", "evidenceAgainst", "total", "truncated", "nodes", "edges", "sources", "redFlags", "disclaimer" }, required("TreatmentsResponse"));
        Assert.DoesNotContain("nextCursor", required("TreatmentsResponse"));
        Assert.DoesNotContain("total", required("PathsResponse"));
        Assert.DoesNotContain("urgency", required("NodeDto"));
        Assert.Contains("name", required("NodeDto"));
    }

    private static readonly NodeTool LintTools = new("openapi-tools");

    [Fact]
    public async Task TheCommittedDocumentLintsCleanWithRedocly()
    {
        // Redocly's recommended rules (tests/openapi-tools/redocly.yaml names the two turned off and why).
        var cli = LintTools.Package(Path.Combine("@redocly", "cli", "bin", "cli.js"));
        var (_, stdout, stderr) = await LintTools.RunAsync(
            [cli, "lint", CommittedPath, "--config", Path.Combine(LintTools.Directory, "redocly.yaml"), "--format=json"],
            TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });
        var report = JsonNode.Parse(stdout)!;
        var totals = report["totals"]!;
        Assert.True((int)totals["errors"]! == 0 && (int)totals["warnings"]! == 0,
            $"redocly: {totals.ToJsonString()} {report["problems"]!.ToJsonString()} {stderr}");
    }

    [Fact]
    public async Task TheCommittedDocumentLintsCleanWithSpectral()
    {
        // Spectral's spectral:oas ruleset, every rule on (tests/openapi-tools/.spectral.yaml).
        var cli = LintTools.Package(Path.Combine("@stoplight", "spectral-cli", "dist", "index.js"));
        var (exitCode, stdout, stderr) = await LintTools.RunAsync(
            [cli, "lint", CommittedPath, "--ruleset", Path.Combine(LintTools.Directory, ".spectral.yaml"), "--format", "json", "--quiet"],
            TimeSpan.FromMinutes(5));
        Assert.True(stdout.TrimStart().StartsWith('['), $"spectral did not report (exit {exitCode}): {stdout} {stderr}");
        var results = JsonNode.Parse(stdout)!.AsArray();
        // Severity: 0 error, 1 warning, 2 information, 3 hint.
        var bySeverity = results.GroupBy(r => (int)r!["severity"]!).ToDictionary(g => g.Key, g => g.Count());
        var listing = string.Join("\n", results.Select(r => $"{(int)r!["severity"]!} {r["code"]} at {string.Join('.', r["path"]!.AsArray())}: {r["message"]}"));
        Assert.True(bySeverity.GetValueOrDefault(0) == 0 && bySeverity.GetValueOrDefault(1) == 0,
            $"spectral: {bySeverity.GetValueOrDefault(0)} errors, {bySeverity.GetValueOrDefault(1)} warnings\n{listing}");
    }

    [Fact]
    public async Task TheDocumentSaysItIsNotMedicalAdvice() =>
        Assert.Contains("not medical advice", (string)(await Document())["info"]!["description"]!);

    [Fact]
    public async Task SwaggerUiIsServed()
    {
        using var response = await fixture.Factory.CreateClient().GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync());
    }
}
