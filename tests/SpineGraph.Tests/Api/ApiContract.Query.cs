using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SpineGraph.Tests.Api;

/// <summary>POST /api/v1/query: TRAPI-shaped pattern queries, on every backend.</summary>
public abstract partial class ApiContract
{
    private async Task<JsonNode> Query(string body, HttpStatusCode expected = HttpStatusCode.OK, string query = "", string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await Client.PostAsync("/api/v1/query" + query, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if (expected != HttpStatusCode.OK) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    private static string Pattern(string nodes, string edges) => "{\"message\":{\"query_graph\":{\"nodes\":{" + nodes + "},\"edges\":{" + edges + "}}}}";

    /// <summary>Every binding resolves in the knowledge graph, every bound edge joins the bound nodes, scores fall.</summary>
    private static void AssertWellFormed(JsonNode body)
    {
        Assert.Equal("1.5.0", (string)body["schema_version"]!);
        Assert.Equal("Success", (string)body["status"]!);
        var kg = body["message"]!["knowledge_graph"]!;
        var qg = body["message"]!["query_graph"]!;
        var scores = new List<double>();
        foreach (var r in body["message"]!["results"]!.AsArray())
        {
            var bound = r!["node_bindings"]!.AsObject().ToDictionary(kv => kv.Key, kv => (string)kv.Value![0]!["id"]!);
            Assert.All(bound.Values, id => Assert.NotNull(kg["nodes"]![id]));
            var analysis = r["analyses"]![0]!;
            scores.Add((double)analysis["score"]!);
            foreach (var (qedge, bindings) in analysis["edge_bindings"]!.AsObject())
            {
                Assert.NotEmpty(bindings!.AsArray());
                foreach (var b in bindings.AsArray())
                {
                    var edge = kg["edges"]![(string)b!["id"]!]!;
                    Assert.Equal(bound[(string)qg["edges"]![qedge]!["subject"]!], (string)edge["subject"]!);
                    Assert.Equal(bound[(string)qg["edges"]![qedge]!["object"]!], (string)edge["object"]!);
                    foreach (var source in edge["attributes"]!.AsArray().Single(a => (string)a!["attribute_type_id"]! == "biolink:publications")!["value"]!.AsArray())
                        Assert.NotNull(body["sources"]![(string)source!]);
                }
            }
        }
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public async Task AMultiHopPatternFindsTreatmentsForSymptomsThatSpinalCordInjuryCausesThroughAMechanism()
    {
        var body = await Query(Pattern(
            """ "c":{"ids":["sg:spinal-cord-injury"]},"m":{"categories":["biolink:PathologicalProcess"]},"s":{"categories":["biolink:PhenotypicFeature"]},"t":{"categories":["treatment"]} """,
            """ "a":{"subject":"c","object":"m","predicates":["biolink:causes"]},"b":{"subject":"m","object":"s","predicates":["causes"]},"r":{"subject":"t","object":"s","predicates":["relieves"]} """));

        AssertWellFormed(body);
        var results = body["message"]!["results"]!.AsArray();
        Assert.Contains(results, r => (string)r!["node_bindings"]!["t"]![0]!["id"]! == "sg:botulinum-toxin" &&
            (string)r["node_bindings"]!["m"]![0]!["id"]! == "sg:loss-of-descending-inhibition" &&
            (string)r["node_bindings"]!["s"]![0]!["id"]! == "sg:spasticity");
        Assert.All(results, r => Assert.Equal("sg:spinal-cord-injury", (string)r!["node_bindings"]!["c"]![0]!["id"]!));
        Assert.Equal(results.Count, (int)body["found"]!);
        Assert.False((bool)body["capped"]!);
    }

    [Fact]
    public async Task EveryTreatmentWithT1OrT2EvidenceOfBenefitIsOneQueryAndAgreesWithTheEdgesEndpoint()
    {
        var body = await Query(Pattern(
            """ "t":{"categories":["biolink:Treatment"]},"x":{"categories":["biolink:NamedThing"]} """,
            """ "e":{"subject":"t","object":"x","attribute_constraints":[{"id":"sg:evidence_tier","name":"evidence tier","operator":"<","value":"T3"},{"id":"sg:effect","name":"effect","operator":"==","value":"benefit"}]} """),
            query: "?limit=1000");
        AssertWellFormed(body);
        var fromQuery = body["message"]!["results"]!.AsArray().SelectMany(r => r!["analyses"]![0]!["edge_bindings"]!["e"]!.AsArray().Select(b => (string)b!["id"]!))
            .Order(StringComparer.Ordinal).ToArray();
        var edges = await Get("/api/v1/edges?subjectCategory=treatment&minTier=T2&effect=benefit&limit=500");
        var fromEdges = edges["items"]!.AsArray().Select(x => (string)x!).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(fromQuery);
        Assert.Equal(fromEdges, fromQuery);
        Assert.All(body["message"]!["knowledge_graph"]!["edges"]!.AsObject(), kv =>
            Assert.Contains((string)kv.Value!["attributes"]!.AsArray().Single(a => (string)a!["attribute_type_id"]! == "sg:evidence_tier")!["value"]!, new[] { "T1", "T2" }));
    }

    [Fact]
    public async Task ANarrowerSymptomMatchesABroaderQueryIdAndItsBindingNamesTheQueryId()
    {
        var body = await Query(Pattern(""" "t":{"categories":["treatment"]},"s":{"ids":["sg:muscle-spasm"]} """, """ "e":{"subject":"t","object":"s"} """));
        AssertWellFormed(body);
        var bindings = body["message"]!["results"]!.AsArray().Select(r => r!["node_bindings"]!["s"]![0]!).ToArray();
        Assert.Contains(bindings, b => (string)b!["id"]! == "sg:muscle-spasm" && b["query_id"] is null);
        var narrower = Assert.Single(bindings.Where(b => (string)b!["id"]! == "sg:back-muscle-spasm").Take(1));
        Assert.Equal("sg:muscle-spasm", (string)narrower!["query_id"]!);
    }

    [Fact]
    public async Task ACappedQueryAnswerSaysSoInItsLogsAndFlags()
    {
        var body = await Query(Pattern(""" "t":{"categories":["treatment"]},"s":{"ids":["muscle spasm"]} """, """ "e":{"subject":"t","object":"s"} """), query: "?limit=1");
        Assert.Single(body["message"]!["results"]!.AsArray());
        Assert.True((bool)body["capped"]!);
        Assert.True((int)body["found"]! > 1);
        Assert.Contains(body["logs"]!.AsArray(), l => (string)l!["code"]! == "ResultsCapped" && (string)l["level"]! == "WARNING");
    }

    [Fact]
    public async Task RedFlagSymptomsBoundByAQueryAreSurfaced()
    {
        var body = await Query(Pattern(""" "c":{"ids":["sg:cauda-equina-syndrome"]},"s":{"categories":["symptom"]} """, """ "e":{"subject":"c","object":"s"} """));
        Assert.NotEmpty(body["red_flags"]!.AsArray());
        Assert.All(body["red_flags"]!.AsArray(), f => Assert.Contains((string)f!["urgency"]!, new[] { "emergency", "urgent" }));
        Assert.False(string.IsNullOrWhiteSpace((string?)body["disclaimer"]));
    }

    public static TheoryData<string, string> InvalidQueries => new()
    {
        { "{}", "$" },
        { """{"message":{}}""", "$.message" },
        { """{"message":{"query_graph":{"nodes":{"n":{"ids":"sg:x"}},"edges":{}}}}""", "$.message.query_graph.nodes.n.ids" },
        { """{"message":{"query_graph":{"nodes":{"n":{"ids":["sg:spasticity"]}},"edges":{}}, "extra": 1}}""", "$.message" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{} """, """ "e":{"subject":"a","object":"zz"} """), "message.query_graph.edges.e.object" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{} """, """ "e":{"subject":"a","object":"b","predicates":["biolink:cures"]} """), "message.query_graph.edges.e.predicates[0]" },
        { Pattern(""" "a":{"ids":["sg:spasticity"],"categories":["biolink:Gene"]} """, ""), "message.query_graph.nodes.a.categories[0]" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{} """, """ "e":{"subject":"a","object":"b","attribute_constraints":[{"id":"sg:evidence_tier","name":"t","operator":"<=","value":"T2"}]} """), "message.query_graph.edges.e.attribute_constraints[0].operator" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{} """, """ "e":{"subject":"a","object":"b","attribute_constraints":[{"id":"sg:evidence_tier","name":"t","operator":"==","value":"T9"}]} """), "message.query_graph.edges.e.attribute_constraints[0].value" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{} """, """ "e":{"subject":"a","object":"b","attribute_constraints":[{"id":"sg:evidence_tier","operator":"==","value":"T1"}]} """), "$.message.query_graph.edges.e.attribute_constraints[0]" },
        { Pattern(""" "a":{"ids":[]} """, ""), "message.query_graph.nodes.a.ids" },
        { Pattern(""" "a":{"ids":[null]} """, ""), "message.query_graph.nodes.a.ids[0]" },
        { Pattern(""" "a":null """, ""), "message.query_graph.nodes.a" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{} """, """ "e":null """), "message.query_graph.edges.e" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{} """, """ "e":{"subject":"a","object":"b","predicates":[null]} """), "message.query_graph.edges.e.predicates[0]" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{} """, """ "e":{"subject":"a","object":"b","attribute_constraints":[null]} """), "message.query_graph.edges.e.attribute_constraints[0]" },
        { """{"message":{"query_graph":{"nodes":{"a":{"ids":["sg:spasticity"]}},"edges":{}}},"workflow":[null]}""", "workflow[0]" },
        { """{"message":{"query_graph":{"nodes":{"a":{"ids":["sg:spasticity"]}},"edges":{}}},"log_level":"LOUD"}""", "log_level" },
        { """{"message":{"query_graph":""", "$.message.query_graph" },
        { new string('[', 100) + new string(']', 100), "$" },
    };

    [Theory]
    [MemberData(nameof(InvalidQueries))]
    public async Task AQueryThatBreaksTheTrapiSchemaOrOurTermsIsA400NamingWhere(string body, string path)
    {
        var problem = await Query(body, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.Any(e => e.Key.StartsWith(path, StringComparison.Ordinal)), $"no error at {path}: {problem.ToJsonString()}");
    }

    public static TheoryData<string, string> UnsupportedQueries => new()
    {
        { Pattern(""" "a":{"ids":["sg:spasticity"],"set_interpretation":"ALL"} """, ""), "message.query_graph.nodes.a.set_interpretation" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{} """, """ "e":{"subject":"a","object":"b","knowledge_type":"inferred"} """), "message.query_graph.edges.e.knowledge_type" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{} """, """ "e":{"subject":"a","object":"b","attribute_constraints":[{"id":"biolink:p_value","name":"p","operator":"<","value":"0.05"}]} """), "message.query_graph.edges.e.attribute_constraints[0].id" },
        { Pattern(""" "a":{"ids":["sg:spasticity"]},"b":{"categories":["treatment"]} """, ""), "message.query_graph.nodes.b" },
        { """{"message":{"query_graph":{"nodes":{"a":{"ids":["sg:spasticity"]}},"edges":{}}},"workflow":[{"id":"overlay_compute_ngd"}]}""", "workflow[0].id" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedQueries))]
    public async Task ATrapiFeatureTheServiceDoesNotSupportIsA422NamingIt(string body, string path)
    {
        var problem = await Query(body, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(path, problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task QueryLimitsAreEnforcedWithProblemsNamingTheLimit()
    {
        var six = string.Join(",", Enumerable.Range(0, 6).Select(i => $"\"n{i}\":{{\"ids\":[\"sg:spasticity\"]}}"));
        var tooMany = await Query(Pattern(six, ""), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("message.query_graph.nodes", (string)tooMany["limit"]!);
        Assert.Equal(5, (int)tooMany["max"]!);

        var huge = Pattern($"\"a\":{{\"ids\":[\"sg:spasticity\"],\"pad\":\"{new string('x', 70_000)}\"}}", "");
        Assert.Equal("body", (string)(await Query(huge, HttpStatusCode.RequestEntityTooLarge))["limit"]!);

        await Query("ids=1", HttpStatusCode.UnsupportedMediaType, contentType: "text/plain");
        var limit = await Query(Pattern(""" "a":{"ids":["sg:spasticity"]} """, ""), HttpStatusCode.BadRequest, query: "?limit=0");
        Assert.NotNull(limit["errors"]!["limit"]);
        var unknown = await Query(Pattern(""" "a":{"ids":["sg:spasticity"]} """, ""), HttpStatusCode.BadRequest, query: "?format=cytoscape");
        Assert.NotNull(unknown["errors"]!["format"]);
    }

    [Fact]
    public async Task AnUnknownQueryIdIsA404NamingTheIdAndWhereItWas()
    {
        var problem = await Query(Pattern(""" "a":{"ids":["sg:spasticity","sg:no-such-node"]} """, ""), HttpStatusCode.NotFound);
        Assert.Equal("message.query_graph.nodes.a.ids[1]", (string)problem["parameter"]!);
        Assert.Equal("sg:no-such-node", (string)problem["value"]!);
    }
}
