using SpineGraph.Core;
using SpineGraph.Core.Seed;
using SpineGraph.Tests.Api;
using SpineGraph.Tests.Contract;

namespace SpineGraph.Tests.Neo4j;

/// <summary>The engine contract on the Neo4j store, over the Query API test server (grafeo): each test seeds its
/// hand-built graph through the real seeder and reads it through a fresh store.</summary>
[Collection(TinyHarnessCollection.Name)]
public class Neo4jHarnessGraphEngineContractTests(TinyHarnessFixture fixture) : GraphEngineContract
{
    protected override async Task<IGraphStore> StoreAsync(SeedData data)
    {
        var stores = fixture.NewStores();
        await stores.Seeder.SeedAsync(data, CancellationToken.None);
        return stores.Store;
    }
}

/// <summary>Every endpoint over HTTP with <c>Graph:Backend=Neo4j</c>, on the Query API test server.</summary>
[Collection(HarnessCollection.Name)]
public class Neo4jHarnessApiContractTests(HarnessFixture fixture) : ApiContract(fixture.Api);

/// <summary>A Query API test server of its own for the engine contract, which reseeds it test by test.</summary>
public sealed class TinyHarnessFixture : IAsyncLifetime
{
    private readonly List<Neo4jTestStores> _stores = [];

    public QueryApiServer Server { get; private set; } = null!;

    public Neo4jTestStores NewStores()
    {
        var s = new Neo4jTestStores(Server.Url);
        lock (_stores) _stores.Add(s);
        return s;
    }

    public async Task InitializeAsync() => Server = await QueryApiServer.StartAsync();

    public Task DisposeAsync()
    {
        foreach (var s in _stores) s.Dispose();
        Server?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class TinyHarnessCollection : ICollectionFixture<TinyHarnessFixture>
{
    public const string Name = "neo4j-harness-tiny";
}
