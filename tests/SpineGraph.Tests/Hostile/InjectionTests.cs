using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SpineGraph.Core;
using SpineGraph.Storage.Neo4j;
using SpineGraph.Tests.Api;
using SpineGraph.Tests.Neo4j;
using Xunit.Abstractions;

namespace SpineGraph.Tests.Hostile;

/// <summary>
/// Injection: the corpus's hostile ids, names, categories, predicates, sources, cursors and search text, asked of the
/// API on the Neo4j backend (the Query API test server) and of the store directly. Every statement sent is one of the
/// fixed, linted catalog (<see cref="CypherCatalog.All"/>); the hostile strings travel only in the parameters; labels
/// and relationship types in statements come from the allow-list (<see cref="GraphModel.Labels"/>,
/// <see cref="GraphModel.RelationshipTypes"/>, built from the closed enums of <see cref="Vocabulary"/>).
/// </summary>
[Collection(HarnessCollection.Name)]
public sealed partial class InjectionTests(HarnessFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Hostile = [.. HostileCorpus.Strings, "biolink:Nonsense", "CAUSES", "Condition", "sgdoc:004' OR 1=1"];

    [Fact]
    public async Task NoHostileInputReachesACypherStatementExceptAsAParameter()
    {
        var sent = new ConcurrentBag<(string Statement, string Parameters)>();
        using var factory = new ApiFactory(new Dictionary<string, string?>
        {
            ["Graph:Backend"] = "Neo4j",
            ["Neo4j:Url"] = fixture.Server.Url,
            ["Neo4j:MaxRetries"] = "0",
            ["RateLimit:PermitsPerWindow"] = "0",
            ["Graph:ResponseCacheDuration"] = "00:00:00",
        }).WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddHttpClient(Neo4jQueryClient.HttpClientName).AddHttpMessageHandler(() => new Recorder(sent))));
        var client = factory.CreateClient();

        var answered = new Dictionary<int, int>();
        foreach (var h in Hostile)
        {
            var e = Uri.EscapeDataString(h);
            string[] gets =
            [
                $"/api/v1/nodes/{e}", $"/api/v1/nodes/{e}/edges", $"/api/v1/nodes/sg:sciatica/edges?predicate={e}",
                $"/api/v1/symptoms/{e}/causes", $"/api/v1/conditions/{e}/treatments", $"/api/v1/treatments/{e}/paths?symptom=muscle%20spasm",
                $"/api/v1/treatments?symptom={e}", $"/api/v1/treatments?symptom=muscle%20spasm&cause={e}", $"/api/v1/treatments?condition={e}",
                $"/api/v1/paths?from={e}&to=sg:muscle-spasm", $"/api/v1/paths?from=sg:herniated-disc&to={e}",
                $"/api/v1/subgraph?ids={e}", $"/api/v1/subgraph?ids=sg:sciatica,{e}", $"/api/v1/export?format=csv&ids={e}",
                $"/api/v1/search?q={e}", $"/api/v1/search?q=spasm&category={e}", $"/api/v1/nodes?category={e}", $"/api/v1/nodes?cursor={e}",
                $"/api/v1/edges?predicate={e}", $"/api/v1/edges?source={e}", $"/api/v1/edges?subjectCategory={e}", $"/api/v1/edges?cursor={e}",
            ];
            // A NUL in the path never reaches the API (Kestrel refuses it; TestServer's client throws): in the query it does.
            foreach (var get in gets.Where(g => !h.Contains('\0', StringComparison.Ordinal) || g.IndexOf(e, StringComparison.Ordinal) > g.IndexOf('?', StringComparison.Ordinal) && g.Contains('?', StringComparison.Ordinal)))
                Count(answered, await client.GetAsync(get), get);

            var json = JsonSerializer.Serialize(h);
            const string Pinned = "\"a\": {\"ids\": [\"sg:sciatica\"]}, ";
            string[] queries =
            [
                Query("\"a\": {\"ids\": [" + json + "]}, \"b\": {}", ""),
                Query(Pinned + "\"b\": {\"categories\": [" + json + "]}", ""),
                Query(Pinned + "\"b\": {}", ", \"predicates\": [" + json + "]"),
                Query(Pinned + "\"b\": {}", ", \"attribute_constraints\": [{\"id\": \"sg:source\", \"name\": \"source\", \"operator\": \"==\", \"value\": " + json + "}]"),
            ];
            foreach (var q in queries)
                Count(answered, await client.PostAsync("/api/v1/query", new StringContent(q, System.Text.Encoding.UTF8, "application/json")), "POST /query " + q);
        }

        // The store itself, below the API's validation: every string method of the port with every hostile string.
        using var stores = new Neo4jTestStores(fixture.Server.Url);
        var allHops = Vocabulary.Predicates.SelectMany(p => new[] { Hop.Out(p), Hop.In(p) }).ToArray();
        foreach (var h in Hostile)
        {
            await stores.Store.GetNodeAsync(h, default);
            await stores.Store.GetNodesAsync([h, "sg:sciatica"], default);
            await stores.Store.GetEdgesAsync([new EdgeRef(h, h, h)], default);
            await stores.Store.ListNodesAsync(null, h, 5, default);
            await stores.Store.ListEdgesAsync(new EdgeQuery(Source: h), h, 5, default);
            await stores.Store.ExpandAsync([h], allHops, EdgeFilter.All, 5, default);
        }
        foreach (var s in stores.Statements) sent.Add((s, ""));

        output.WriteLine($"API answers by status: {string.Join(", ", answered.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"))}; " +
            $"{sent.Count} statements sent ({sent.Select(s => s.Statement).Distinct().Count()} distinct)");
        var catalog = CypherCatalog.All.Select(s => s.Text).ToHashSet(StringComparer.Ordinal);
        Assert.All(sent.Select(s => s.Statement).Distinct(), s => Assert.True(catalog.Contains(s), "not in CypherCatalog.All: " + s));
        // So no statement holds input; and none holds any hostile string but those the fixed texts hold anyway ($id, CAUSES).
        var inCatalog = Hostile.Where(h => catalog.Any(c => c.Contains(h, StringComparison.Ordinal))).ToArray();
        output.WriteLine("hostile strings the fixed texts themselves contain: " + string.Join(", ", inCatalog));
        foreach (var h in Hostile.Except(inCatalog))
            Assert.DoesNotContain(sent, s => s.Statement.Contains(h, StringComparison.Ordinal));

        // They did reach Neo4j, as parameter values: through the API (those its validation lets through) and from the store.
        var parameters = Recorder.StatementsOf(sent).SelectMany(p => p).ToHashSet(StringComparer.Ordinal);
        var viaApi = Hostile.Count(h => parameters.Contains(h));
        output.WriteLine($"{viaApi} of {Hostile.Length} hostile strings reached Neo4j as parameters through the API");
        Assert.True(viaApi >= Hostile.Length / 2, $"only {viaApi} hostile strings reached Neo4j through the API");
        Assert.DoesNotContain(answered.Keys, s => s >= 500);
    }

    [Fact]
    public void LabelsAndRelationshipTypesInEveryStatementComeFromTheAllowList()
    {
        // The allow-list: three fixed labels and one per node category; one relationship type per predicate. Closed enums,
        // so nothing a client sends can add to it.
        Assert.Equal(["Node", "Source", "SpineGraphMeta", "Condition", "Mechanism", "Symptom", "Treatment"], GraphModel.Labels);
        Assert.Equal(["CAUSES", "HAS_PHENOTYPE", "TREATS", "RELIEVES", "TARGETS", "HAS_ADVERSE_EVENT", "SUBCLASS_OF"], GraphModel.RelationshipTypes);
        output.WriteLine("labels: " + string.Join(", ", GraphModel.Labels));
        output.WriteLine("relationship types: " + string.Join(", ", GraphModel.RelationshipTypes));

        var allowed = GraphModel.Labels.Concat(GraphModel.RelationshipTypes).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in CypherCatalog.All)
        {
            foreach (Match m in LabelOrType().Matches(statement.Text))
                foreach (var name in m.Groups["names"].Value.Split(['|', ':', '`', ' '], StringSplitOptions.RemoveEmptyEntries))
                {
                    Assert.True(allowed.Contains(name), $"{statement.Name} uses '{name}', which is not in the allow-list");
                    used.Add(name);
                }
        }
        output.WriteLine($"{CypherCatalog.All.Count} statements use: " + string.Join(", ", used.Order(StringComparer.Ordinal)));
        Assert.Equal(allowed.Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal)); // and every name of it is used
    }

    /// <summary>A label or relationship type in a pattern (<c>(n:Node:Condition</c>, <c>[r:CAUSES|TREATS</c>, <c>[:TREATS]</c>)
    /// or set or removed (<c>SET n:Condition</c>, <c>REMOVE n:Mechanism, n:Symptom</c>).</summary>
    [GeneratedRegex(@"[\(\[]\s*\w*\s*(?<names>(:\s*`?[A-Za-z_][A-Za-z0-9_]*`?\s*)+(\|\s*:?\s*[A-Za-z_][A-Za-z0-9_]*\s*)*)|(?<=\b(?:SET|REMOVE)\b[^\n]*)\b\w+(?<names>(:`?[A-Za-z_][A-Za-z0-9_]*`?)+)")]
    private static partial Regex LabelOrType();

    /// <summary>A query graph of nodes a and b and one edge a→b with these extra edge members.</summary>
    private static string Query(string nodes, string edgeMembers) =>
        "{\"message\": {\"query_graph\": {\"nodes\": {" + nodes + "}, \"edges\": {\"ab\": {\"subject\": \"a\", \"object\": \"b\"" + edgeMembers + "}}}}}";

    private static void Count(Dictionary<int, int> answered, HttpResponseMessage response, string request)
    {
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{request}: {status} {response.Content.ReadAsStringAsync().Result}");
        answered[status] = answered.GetValueOrDefault(status) + 1;
        response.Dispose();
    }

    /// <summary>Records each statement sent to Neo4j with its parameters.</summary>
    private sealed class Recorder(ConcurrentBag<(string Statement, string Parameters)> sent) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (request.Content is not null)
            {
                using var doc = JsonDocument.Parse(await request.Content.ReadAsStringAsync(ct));
                if (doc.RootElement.TryGetProperty("statement", out var s))
                    sent.Add((s.GetString()!, doc.RootElement.TryGetProperty("parameters", out var p) ? p.GetRawText() : "{}"));
            }
            return await base.SendAsync(request, ct);
        }

        /// <summary>Every string value in each recorded parameter map.</summary>
        public static IEnumerable<IEnumerable<string>> StatementsOf(IEnumerable<(string Statement, string Parameters)> sent) =>
            sent.Where(s => s.Parameters.Length > 0).Select(s => Strings(JsonDocument.Parse(s.Parameters).RootElement).ToArray());

        private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => [e.GetString()!],
            JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
            JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
            _ => [],
        };
    }
}
