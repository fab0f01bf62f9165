using SpineGraph.Core;
using SpineGraph.Tests.Api;
using SpineGraph.Tests.Contract;

namespace SpineGraph.Tests.Neo4j;

/// <summary>The shared graph-port contract, on the Neo4j store over the Query API test server (grafeo).</summary>
[Collection(HarnessCollection.Name)]
public class Neo4jHarnessGraphStoreContractTests(HarnessFixture fixture) : GraphStoreContract
{
    protected override IGraphStore Store => fixture.Stores.Store;
}

/// <summary>Every endpoint over HTTP with <c>Graph:Backend=Neo4j</c>, on the Query API test server.</summary>
[Collection(HarnessCollection.Name)]
public class Neo4jHarnessApiContractTests(HarnessFixture fixture) : ApiContract(fixture.Api);
