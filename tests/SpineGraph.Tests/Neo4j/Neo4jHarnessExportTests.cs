using SpineGraph.Tests.Api;

namespace SpineGraph.Tests.Neo4j;

/// <summary>The exports over HTTP with <c>Graph:Backend=Neo4j</c>, on the Query API test server: the same files.</summary>
[Collection(HarnessCollection.Name)]
public class Neo4jHarnessExportTests(HarnessFixture fixture) : ExportContract(fixture.Api);
