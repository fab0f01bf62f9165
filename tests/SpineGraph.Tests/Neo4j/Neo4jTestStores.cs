using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Storage.Neo4j;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Neo4j;

/// <summary>Builds the Neo4j store and seeder the way the API does (AddNeo4jStore), pointed at a URL.</summary>
public sealed class Neo4jTestStores : IDisposable
{
    private readonly IHost _host;

    public Neo4jTestStores(string url, string? user = null, string? password = null, IDictionary<string, string?>? extra = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var settings = new Dictionary<string, string?> { ["Neo4j:Url"] = url, ["Neo4j:User"] = user, ["Neo4j:Password"] = password };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.AddNeo4jStore();
        builder.Services.AddHttpClient(Neo4jQueryClient.HttpClientName).AddHttpMessageHandler(() => new RecordingHandler(Statements));
        _host = builder.Build();
    }

    /// <summary>Every statement text sent through this instance.</summary>
    public ConcurrentBag<string> Statements { get; } = [];

    public Neo4jGraphStore Store => _host.Services.GetRequiredService<Neo4jGraphStore>();
    public Neo4jSeeder Seeder => _host.Services.GetRequiredService<Neo4jSeeder>();
    public ICypherRunner Runner => _host.Services.GetRequiredService<ICypherRunner>();

    public void Dispose() => _host.Dispose();

    /// <summary>Seeds through the real command (as <c>dotnet run -- seed</c> does), returning exit code and output.</summary>
    public static async Task<(int Code, string Out, string Err)> SeedCommandAsync(string url, string? seedDir = null, params string[] more)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = [$"--Neo4j:Url={url}", $"--Graph:SeedPath={seedDir ?? SeedGraph.Directory}", "--Neo4j:MaxRetries=0", .. more];
        var code = await Neo4jSeedCommand.RunAsync(args, GraphServices.ResolveSeedPath, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The whole database as sorted text lines (labels and properties of nodes, relationships with ends).</summary>
    public async Task<IReadOnlyList<string>> DumpAsync()
    {
        var nodes = await Runner.RunAsync(DumpNodes, new Dictionary<string, object?>(), AccessMode.Read, CancellationToken.None);
        var rels = await Runner.RunAsync(DumpRelationships, new Dictionary<string, object?>(), AccessMode.Read, CancellationToken.None);
        return nodes.Rows.Select(r => "N " + Canonical(r[0]) + " " + Canonical(r[1]))
            .Concat(rels.Rows.Select(r => "R " + string.Join(' ', r.Select(Canonical))))
            .Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Stamps on every node and relationship that differ from the meta node's (the last completed load's).</summary>
    public async Task<long> StaleStampsAsync()
    {
        var r = await Runner.RunAsync(StaleStamps, new Dictionary<string, object?>(), AccessMode.Read, CancellationToken.None);
        return r.Rows[0][0].GetInt64();
    }

    internal static readonly CypherStatement StaleStamps = new("test.staleStamps",
        """
        MATCH (m:SpineGraphMeta {key: 'graph'})
        RETURN COUNT { MATCH (n) WHERE n <> m AND (n.seedStamp IS NULL OR n.seedStamp <> m.seedStamp) } +
               COUNT { MATCH ()-[r]->() WHERE r.seedStamp IS NULL OR r.seedStamp <> m.seedStamp } AS stale
        """);

    internal static readonly CypherStatement DumpNodes = new("test.dumpNodes", "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props");
    internal static readonly CypherStatement DumpRelationships = new("test.dumpRelationships",
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props");

    /// <summary>JSON with object keys and label lists sorted, so equal graphs give equal text.</summary>
    private static string Canonical(JsonElement e) => e.ValueKind switch
    {
        // seedStamp differs per load by design; StampsAreAllTheLastLoads checks it.
        JsonValueKind.Object => "{" + string.Join(",", e.EnumerateObject().Where(p => p.Name != "seedStamp").OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => JsonSerializer.Serialize(p.Name) + ":" + Canonical(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", e.EnumerateArray().Select(Canonical)) + "]",
        _ => e.GetRawText(),
    };

    private sealed class RecordingHandler(ConcurrentBag<string> statements) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (request.Content is not null)
            {
                var body = await request.Content.ReadAsStringAsync(ct);
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("statement", out var s)) statements.Add(s.GetString()!);
            }
            return await base.SendAsync(request, ct);
        }
    }
}

/// <summary>One Query API test server per test collection, seeded with graph-seed/ by the seed command.</summary>
public sealed class HarnessFixture : IAsyncLifetime
{
    public QueryApiServer Server { get; private set; } = null!;
    public Neo4jTestStores Stores { get; private set; } = null!;

    /// <summary>The API in-process with <c>Graph:Backend=Neo4j</c> pointed at the test server.</summary>
    public SpineGraph.Tests.Api.ApiFactory Api => _api ??= new SpineGraph.Tests.Api.ApiFactory(new Dictionary<string, string?>
    {
        ["Graph:Backend"] = "Neo4j",
        ["Neo4j:Url"] = Server.Url,
    });

    private SpineGraph.Tests.Api.ApiFactory? _api;

    public async Task InitializeAsync()
    {
        Server = await QueryApiServer.StartAsync();
        var (code, output, error) = await Neo4jTestStores.SeedCommandAsync(Server.Url);
        if (code != 0) throw new InvalidOperationException($"seeding the test server failed ({code}): {output}{error}{Server.Stderr}");
        Stores = new Neo4jTestStores(Server.Url);
    }

    public Task DisposeAsync()
    {
        _api?.Dispose();
        Stores?.Dispose();
        Server?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class HarnessCollection : ICollectionFixture<HarnessFixture>
{
    public const string Name = "neo4j-harness";
}
