using System.Diagnostics;
using System.Reflection;
using SpineGraph.Core;
using SpineGraph.Tests.Api;
using SpineGraph.Tests.Contract;
using SpineGraph.Tests.Support;
using Xunit.Sdk;

namespace SpineGraph.Tests.Neo4j;

/// <summary>A fact that runs only when an executable is on PATH (skipped, with the reason, otherwise).</summary>
public sealed class RequiresExecutableFactAttribute : FactAttribute
{
    public RequiresExecutableFactAttribute(string executable)
    {
        if (Which(executable) is null) Skip = $"'{executable}' is not on PATH (Debian: apt-get install -y {executable}); CI installs it.";
    }

    public static string? Which(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, executable)).FirstOrDefault(File.Exists);
}

/// <summary>A fact that runs only against a live Neo4j: set NEO4J_URL (and NEO4J_USER, NEO4J_PASSWORD).</summary>
public sealed class LiveNeo4jFactAttribute : FactAttribute
{
    public LiveNeo4jFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("NEO4J_URL")))
            Skip = "No live Neo4j: set NEO4J_URL (e.g. http://localhost:7474), NEO4J_USER and NEO4J_PASSWORD to run the contract suites against it. It is reseeded.";
    }
}

public class DockerComposeTests
{
    private const string TestPassword = "compose-test-password-7f3a";

    /// <summary><c>docker-compose config</c> with the auth secret at a temporary path holding <c>neo4j/TestPassword</c>.</summary>
    private static async Task<(int Code, string Out)> ComposeConfig()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"sg-neo4j-auth-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(secret, "neo4j/" + TestPassword);
        try
        {
            var psi = new ProcessStartInfo(RequiresExecutableFactAttribute.Which("docker-compose")!, ["-f", "docker-compose.yml", "config"])
            {
                WorkingDirectory = SeedGraph.RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var v in new[] { "NEO4J_PASSWORD", "NEO4J_HEAP", "NEO4J_PAGECACHE", "NEO4J_TRANSACTION_TIMEOUT" }) psi.Environment.Remove(v);
            psi.Environment["NEO4J_AUTH_PATH"] = secret;
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            return (p.ExitCode, await stdout + await stderr);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [RequiresExecutableFact("docker-compose")]
    public async Task DockerComposeAcceptsTheFileWithTheServicesInHealthOrder()
    {
        var (code, output) = await ComposeConfig();
        Assert.True(code == 0, output);
        Assert.Matches(@"image: neo4j:5\.26\.\d+\b", output); // one pinned LTS patch release
        Assert.Contains("condition: service_healthy", output);
        Assert.Contains("condition: service_completed_successfully", output);
        Assert.Contains("Graph__Backend: Neo4j", output);
        Assert.Contains("/db/neo4j/query/v2", output);
        Assert.Matches(@"RETURN\s+1", output);
        Assert.Contains("- seed", output);
    }

    [RequiresExecutableFact("docker-compose")]
    public async Task ThePasswordIsASecretFileAndNeverInTheConfigOutput()
    {
        var (code, output) = await ComposeConfig();
        Assert.True(code == 0, output);
        Assert.DoesNotContain(TestPassword, output);
        Assert.Contains("NEO4J_AUTH_FILE: /run/secrets/neo4j_auth", output);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(output, "Neo4j__AuthFile: /run/secrets/neo4j_auth").Count);
        Assert.DoesNotContain("Password", output, StringComparison.Ordinal);
        // The default secret path is git-ignored, so a password written there is never committed.
        Assert.Contains(".secrets/", await File.ReadAllTextAsync(Path.Combine(SeedGraph.RepositoryRoot, ".gitignore")));
    }

    [RequiresExecutableFact("docker-compose")]
    public async Task PortsArePublishedOnLoopbackOnlyAndNeo4jIsSizedWithATransactionTimeout()
    {
        var (code, output) = await ComposeConfig();
        Assert.True(code == 0, output);
        var published = System.Text.RegularExpressions.Regex.Matches(output, @"^\s*- (\S+):(\d+):(\d+)/tcp", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.Equal(3, published.Count);
        Assert.All(published, m => Assert.Equal("127.0.0.1", m.Groups[1].Value));
        Assert.Contains("NEO4J_server_memory_heap_max__size: 2g", output);
        Assert.Contains("NEO4J_server_memory_pagecache_size: 2g", output);
        Assert.Contains("NEO4J_db_transaction_timeout: 1m", output);
    }

    [Fact]
    public void TheDockerfileBuildsTheApiAndShipsTheSeed()
    {
        var dockerfile = File.ReadAllText(Path.Combine(SeedGraph.RepositoryRoot, "Dockerfile"));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0", dockerfile);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile);
        Assert.Contains("COPY graph-seed/", dockerfile);
        foreach (var copied in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "src/SpineGraph.Api/SpineGraph.Api.csproj" })
            Assert.True(File.Exists(Path.Combine(SeedGraph.RepositoryRoot, copied)), copied);
    }
}

/// <summary>
/// The same suites against a real Neo4j (5.26 or 2025.x) when NEO4J_URL is set: the database is seeded with the
/// seed command, then every test of <see cref="GraphEngineContract"/> (which reseeds it graph by graph) and <see cref="ApiContract"/> is run on it
/// (by reflection, so that the whole suite can be skipped when no server is configured).
/// </summary>
public class LiveNeo4jTests
{
    private static string Url => Environment.GetEnvironmentVariable("NEO4J_URL")!;
    private static string? User => Environment.GetEnvironmentVariable("NEO4J_USER");
    private static string? Password => Environment.GetEnvironmentVariable("NEO4J_PASSWORD");

    private sealed class LiveEngineContract : GraphEngineContract
    {
        private readonly List<Neo4jTestStores> _stores = [];

        protected override async Task<IGraphStore> StoreAsync(SpineGraph.Core.Seed.SeedData data)
        {
            var stores = new Neo4jTestStores(Url, User, Password);
            _stores.Add(stores);
            await stores.Seeder.SeedAsync(data, CancellationToken.None);
            return stores.Store;
        }
    }

    private sealed class LiveApiContract(ApiFactory factory) : ApiContract(factory);

    private static async Task SeedAsync()
    {
        var (code, output, error) = await Neo4jTestStores.SeedCommandAsync(Url, null, $"--Neo4j:User={User}", $"--Neo4j:Password={Password}");
        Assert.True(code == 0, output + error);
    }

    /// <summary>Runs every [Fact] and [Theory] (inline and member data) of the suite on the instance.</summary>
    internal static async Task RunSuiteAsync(object suite)
    {
        var failures = new List<string>();
        var ran = 0;
        foreach (var m in suite.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            var fact = m.GetCustomAttribute<FactAttribute>();
            if (fact is null || fact.Skip is not null) continue;
            var rows = m.GetCustomAttributes<DataAttribute>().SelectMany(d => d.GetData(m)).ToList();
            if (fact is not TheoryAttribute) rows = [[]];
            foreach (var row in rows)
            {
                ran++;
                try
                {
                    var args = m.GetParameters().Select((p, i) => i < row.Length ? row[i] : p.DefaultValue).ToArray();
                    if (m.Invoke(suite, args) is Task t) await t;
                }
                catch (Exception ex)
                {
                    var e = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
                    failures.Add($"{m.Name}({string.Join(", ", row)}): {e.Message}");
                }
            }
        }
        Assert.True(ran > 0, "no tests found");
        Assert.True(failures.Count == 0, $"{failures.Count} of {ran} failed on live Neo4j:\n" + string.Join("\n", failures));
    }

    /// <summary>10^5 edges unless <c>SG_NEO4J_SCALE_EDGES</c> says otherwise: seed, reseed smaller, prune, and every kind
    /// of question answered as the embedded backend answers it.</summary>
    [LiveNeo4jFact]
    public async Task ASyntheticGraphAtScaleSeedsPrunesAndAnswersOnLiveNeo4j() =>
        await Neo4jScaleTests.RunAsync(Url, User, Password,
            int.TryParse(Environment.GetEnvironmentVariable("SG_NEO4J_SCALE_EDGES"), out var n) && n >= 2_000 ? n : 100_000, () => "");

    [LiveNeo4jFact]
    public async Task TheEngineContractHoldsOnLiveNeo4j() => await RunSuiteAsync(new LiveEngineContract());

    [LiveNeo4jFact]
    public async Task TheApiContractHoldsOnLiveNeo4j()
    {
        await SeedAsync();
        using var factory = new ApiFactory(new Dictionary<string, string?>
        {
            ["Graph:Backend"] = "Neo4j",
            ["Neo4j:Url"] = Url,
            ["Neo4j:User"] = User,
            ["Neo4j:Password"] = Password,
        });
        await RunSuiteAsync(new LiveApiContract(factory));
    }

    [LiveNeo4jFact]
    public async Task SeedingLiveNeo4jTwiceLeavesTheSameGraph()
    {
        await SeedAsync();
        using var stores = new Neo4jTestStores(Url, User, Password);
        var before = await stores.DumpAsync();
        await SeedAsync();
        Assert.Equal(before, await stores.DumpAsync());
    }
}

/// <summary>The reflective runner used for the live suites, checked on the harness so it cannot silently run nothing.</summary>
[Collection(HarnessCollection.Name)]
public class SuiteRunnerTests(HarnessFixture fixture)
{
    /// <summary>The contract over a store that drops every edge of one predicate: some tests must fail.</summary>
    private sealed class WrongContract : GraphEngineContract
    {
        protected override Task<IGraphStore> StoreAsync(SpineGraph.Core.Seed.SeedData data) =>
            Task.FromResult<IGraphStore>(new SpineGraph.Core.Embedded.EmbeddedGraphStore(new SpineGraph.Core.Embedded.EmbeddedGraph(
                data with { Edges = data.Edges.Where(e => e.Predicate != SpineGraph.Core.Predicate.SubclassOf).ToArray() })));
    }

    [Fact]
    public async Task TheRunnerRunsTheWholeContractAndReportsFailures()
    {
        await LiveNeo4jTests.RunSuiteAsync(new EmbeddedGraphEngineContractTests());
        await LiveNeo4jTests.RunSuiteAsync(new LiveApiContractOnHarness(fixture.Api));
        await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => LiveNeo4jTests.RunSuiteAsync(new WrongContract()));
    }

    private sealed class LiveApiContractOnHarness(SpineGraph.Tests.Api.ApiFactory factory) : ApiContract(factory);
}
