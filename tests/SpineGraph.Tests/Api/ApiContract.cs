using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Api;

/// <summary>
/// Every endpoint over HTTP, success and error paths. Backends subclass it with a factory configured
/// for them; the answers must not depend on the backend.
/// </summary>
public abstract partial class ApiContract(ApiFactory factory)
{
    protected HttpClient Client { get; } = factory.CreateClient();

    protected Task<JsonNode> Get(string url, HttpStatusCode expected = HttpStatusCode.OK) => HttpJson.GetAsync(Client, url, expected);

    private static IEnumerable<string> Ids(JsonNode? array, string path = "id") =>
        array!.AsArray().Select(x => path.Split('.').Aggregate(x, (n, p) => n![p])!.GetValue<string>());

    // --- search ---

    [Fact]
    public async Task SearchFindsLayTermsAndSaysWhatMatched()
    {
        var body = await Get("/api/v1/search?q=pinched%20nerve");
        var hit = body["items"]![0]!;
        Assert.Equal("sg:radiculopathy", (string)hit["node"]!["id"]!);
        Assert.Equal("pinched nerve", (string)hit["matched"]!);
        Assert.Equal("lay_term", (string)hit["matchedField"]!);
        Assert.Equal("exact", (string)hit["matchKind"]!);
    }

    [Fact]
    public async Task SearchToleratesATypoAndFiltersByCategory()
    {
        var body = await Get("/api/v1/search?q=stenossis&category=condition&limit=3");
        Assert.Equal("sg:spinal-stenosis", (string)body["items"]![0]!["node"]!["id"]!);
        Assert.All(body["items"]!.AsArray(), h => Assert.Equal("condition", (string)h!["node"]!["category"]!));
        Assert.True(body["items"]!.AsArray().Count <= 3);
    }

    [Fact]
    public async Task SearchPagesWithACursor()
    {
        var six = Ids((await Get("/api/v1/search?q=spasm&limit=6"))["items"], "node.id").ToList();
        var page1 = await Get("/api/v1/search?q=spasm&limit=3");
        var page2 = await Get("/api/v1/search?q=spasm&limit=3&cursor=" + (string)page1["nextCursor"]!);
        Assert.Equal(six, Ids(page1["items"], "node.id").Concat(Ids(page2["items"], "node.id")));
        Assert.Null((await Get("/api/v1/search?q=sg:massage"))["nextCursor"]);
    }

    [Fact]
    public async Task ASearchThatFindsNothingSuggestsCloseWords()
    {
        var body = await Get("/api/v1/search?q=stnosiss"); // two edits from "stenosis": beyond search's one typo
        Assert.Empty(body["items"]!.AsArray());
        var suggestions = body["suggestions"]!.AsArray();
        Assert.NotEmpty(suggestions);
        Assert.Contains(suggestions, s => (string)s!["node"]!["id"]! == "sg:spinal-stenosis");
        Assert.True(suggestions.Count <= 5);
        var found = await Get("/api/v1/search?q=stenosis");
        Assert.NotEmpty(found["items"]!.AsArray());
        Assert.Empty(found["suggestions"]!.AsArray());
        Assert.Empty((await Get("/api/v1/search?q=qqqqqqqqqqqq"))["suggestions"]!.AsArray());
    }

    [Theory]
    [InlineData("/api/v1/search", "q")]
    [InlineData("/api/v1/search?q=%20%20", "q")]
    [InlineData("/api/v1/search?q=spasm&category=gene", "category")]
    [InlineData("/api/v1/search?q=spasm&limit=0", "limit")]
    [InlineData("/api/v1/search?q=spasm&limit=51", "limit")]
    [InlineData("/api/v1/search?q=spasm%00x", "q")]
    public async Task BadSearchParametersAreNamedInTheProblem(string url, string parameter)
    {
        var problem = await Get(url, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![parameter]);
        Assert.Contains(parameter, (string)problem["detail"]!);
    }

    [Fact]
    public async Task AnOverlongQueryIsRefused()
    {
        var problem = await Get("/api/v1/search?q=" + new string('a', 300), HttpStatusCode.BadRequest);
        Assert.Contains("at most 200", (string)problem["detail"]!);
    }

    [Fact]
    public async Task ANonNumericLimitIsABadRequestNamingTheParameter()
    {
        // The same problem shape as any other bad parameter: an errors map naming it.
        var problem = await Get("/api/v1/search?q=spasm&limit=ten", HttpStatusCode.BadRequest);
        Assert.Contains("whole number", (string)problem["errors"]!["limit"]![0]!);
        var paths = await Get("/api/v1/paths?from=a&to=b&maxHops=abc", HttpStatusCode.BadRequest);
        Assert.NotNull(paths["errors"]!["maxHops"]);
    }

    // --- nodes ---

    [Fact]
    public async Task NodesPageWithACursorThroughEveryNodeOnce()
    {
        var seen = new List<string>();
        string? cursor = null;
        int total;
        do
        {
            var body = await Get("/api/v1/nodes?limit=40" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(Ids(body["items"]));
            total = (int)body["total"]!;
            cursor = (string?)body["nextCursor"];
        } while (cursor is not null);
        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task NodesFilterByCategory()
    {
        var body = await Get("/api/v1/nodes?category=treatment&limit=200");
        Assert.All(body["items"]!.AsArray(), n => Assert.Equal("treatment", (string)n!["category"]!));
        Assert.All(body["items"]!.AsArray(), n => Assert.NotNull(n!["treatmentKind"]));
    }

    [Theory]
    [InlineData("/api/v1/nodes?cursor=garbage", "cursor")]
    [InlineData("/api/v1/nodes?limit=201", "limit")]
    [InlineData("/api/v1/nodes?category=drug", "category")]
    public async Task BadNodeListParametersAreNamed(string url, string parameter) =>
        Assert.NotNull((await Get(url, HttpStatusCode.BadRequest))["errors"]![parameter]);

    [Fact]
    public async Task ANodeComesWithItsTermsXrefsAndEdgeCounts()
    {
        var body = await Get("/api/v1/nodes/sg:muscle-spasm");
        Assert.Equal("Muscle spasm", (string)body["node"]!["name"]!);
        Assert.Equal("biolink:PhenotypicFeature", (string)body["node"]!["biolinkCategory"]!);
        Assert.Contains("HP:0003394", body["node"]!["xrefs"]!.AsArray().Select(x => (string)x!));
        Assert.Contains(body["edgeCounts"]!.AsArray(), c => (string)c!["predicate"]! == "relieves" && (string)c["direction"]! == "in" && (int)c["count"]! > 0);
    }

    [Fact]
    public async Task ARedFlagNodeSaysItsUrgencyAndWhy()
    {
        var body = await Get("/api/v1/nodes/sg:saddle-numbness");
        Assert.Equal("emergency", (string)body["node"]!["urgency"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["node"]!["urgencyReason"]));
    }

    [Fact]
    public async Task AnUnknownNodeIsA404NamingTheId()
    {
        var problem = await Get("/api/v1/nodes/sg:no-such-thing", HttpStatusCode.NotFound);
        Assert.Equal("sg:no-such-thing", (string)problem["id"]!);
        Assert.Contains("sg:no-such-thing", (string)problem["detail"]!);
    }

    [Fact]
    public async Task EdgesOfANodeCarryEvidenceAndSources()
    {
        var body = await Get("/api/v1/nodes/sg:botulinum-toxin/edges?direction=out&predicate=treats");
        var items = body["items"]!.AsArray();
        Assert.NotEmpty(items);
        var first = body["edges"]![(string)items[0]!["edge"]!]!;
        Assert.Equal("T1", (string)first["evidenceTier"]!);
        Assert.Equal("treats", (string)first["predicate"]!);
        Assert.All(first["sources"]!.AsArray(), s => Assert.NotNull(body["sources"]![(string)s!]));
        Assert.NotEmpty(first["sources"]!.AsArray());
        Assert.All(items, i => Assert.Equal("out", (string)i!["direction"]!));
        Assert.All(items, i => Assert.NotNull(body["nodes"]![(string)i!["other"]!]));
    }

    [Fact]
    public async Task EdgesFilterByTierAndEffect()
    {
        var strong = await Get("/api/v1/nodes/sg:low-back-pain/edges?minTier=T2");
        Assert.All(strong["items"]!.AsArray(), i => Assert.Contains((string)strong["edges"]![(string)i!["edge"]!]!["evidenceTier"]!, new[] { "T1", "T2" }));
        var against = await Get("/api/v1/nodes/sg:sciatica/edges?effect=no_benefit,harm");
        Assert.NotEmpty(against["items"]!.AsArray());
        Assert.All(against["items"]!.AsArray(), i => Assert.Contains((string)against["edges"]![(string)i!["edge"]!]!["effect"]!, new[] { "no_benefit", "harm" }));
    }

    [Theory]
    [InlineData("/api/v1/nodes/sg:massage/edges?predicate=cures", "predicate")]
    [InlineData("/api/v1/nodes/sg:massage/edges?direction=up", "direction")]
    [InlineData("/api/v1/nodes/sg:massage/edges?minTier=T0", "minTier")]
    [InlineData("/api/v1/nodes/sg:massage/edges?effect=great", "effect")]
    public async Task BadEdgeFiltersListTheAllowedValues(string url, string parameter)
    {
        var problem = await Get(url, HttpStatusCode.BadRequest);
        Assert.Contains("allowed values", (string)problem["errors"]![parameter]![0]!);
    }

    [Fact]
    public async Task EdgesOfAnUnknownNodeAreA404() =>
        await Get("/api/v1/nodes/sg:nope/edges", HttpStatusCode.NotFound);

    // --- treatments (the flagship) ---

    private const string Flagship = "/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression&limit=100";

    [Fact]
    public async Task TreatmentsForSpasmCausedByNerveCompressionIncludeDecompressionAndMassage()
    {
        var body = await Get(Flagship);
        Assert.Equal("sg:muscle-spasm", (string)body["query"]!["symptom"]!);
        Assert.Equal("sg:nerve-compression", (string)body["query"]!["cause"]!);
        var items = body["items"]!.AsArray();
        var laminectomy = items.Single(i => (string)i!["treatment"]! == "sg:laminectomy")!;
        Assert.Contains("cause", laminectomy["routes"]!.AsArray().Select(a => (string)a!));
        var massage = items.Single(i => (string)i!["treatment"]! == "sg:massage")!;
        Assert.Contains("symptom", massage["routes"]!.AsArray().Select(a => (string)a!));
        Assert.All(items, i =>
        {
            var path = i!["paths"]![0]!;
            Assert.Equal((string)i["treatment"]!, (string)path["nodes"]![0]!);
            var evidence = body["edges"]![(string)path["edges"]![0]!]!;
            Assert.Equal((string)i["treatment"]!, (string)evidence["subject"]!);
            Assert.Equal((string)i["evidenceTier"]!, (string)evidence["evidenceTier"]!);
            Assert.NotEmpty(evidence["sources"]!.AsArray());
            Assert.True((long)i["pathCount"]! >= 1);
            Assert.NotNull(body["nodes"]![(string)i["treatment"]!]);
        });
        Assert.Equal(Enumerable.Range(1, items.Count), items.Select(i => (int)i!["rank"]!));
        Assert.Contains("not medical advice", (string)body["disclaimer"]!);
        Assert.Contains(body["redFlags"]!.AsArray(), f => (string)f!["urgency"]! == "emergency");
    }

    [Fact]
    public async Task TreatmentsWithEvidenceAgainstThemComeLastAndMarked()
    {
        var body = await Get(Flagship);
        Assert.All(body["items"]!.AsArray(), i => Assert.False((bool)i!["evidenceAgainst"]!));
        var against = body["evidenceAgainst"]!.AsArray();
        Assert.NotEmpty(against);
        Assert.All(against, i => Assert.Contains((string)i!["effect"]!, new[] { "no_benefit", "harm" }));
        // Never paged away: the first page of one item still carries all of them; later pages carry none.
        var first = await Get("/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression&limit=1");
        Assert.Equal(against.Count, first["evidenceAgainst"]!.AsArray().Count);
        var second = await Get("/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression&limit=1&cursor=" + (string)first["nextCursor"]!);
        Assert.Empty(second["evidenceAgainst"]!.AsArray());
        var benefitOnly = await Get(Flagship + "&effect=benefit");
        Assert.All(benefitOnly["items"]!.AsArray(), i => Assert.Equal("benefit", (string)i!["effect"]!));
        Assert.Empty(benefitOnly["evidenceAgainst"]!.AsArray());
    }

    [Fact]
    public async Task TreatmentsPageWithACursorInRankOrder()
    {
        var all = (await Get(Flagship))["items"]!.AsArray().Select(i => (string)i!["treatment"]!).ToList();
        var page1 = await Get("/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression&limit=5");
        var page2 = await Get("/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression&limit=5&cursor=" + (string)page1["nextCursor"]!);
        Assert.Equal(all.Take(10), Ids(page1["items"], "treatment").Concat(Ids(page2["items"], "treatment")));
        Assert.Equal(6, (int)page2["items"]![0]!["rank"]!);
    }

    [Fact]
    public async Task TreatmentParametersAcceptIdsAndLayTerms()
    {
        var byId = await Get("/api/v1/treatments?symptom=sg:back-muscle-spasm&cause=sg:herniated-disc");
        var byName = await Get("/api/v1/treatments?symptom=back%20spasms&cause=slipped%20disc");
        Assert.Equal(Ids(byId["items"], "treatment"), Ids(byName["items"], "treatment"));
    }

    [Fact]
    public async Task AnUnknownSymptomNameIsA404WithSuggestions()
    {
        var problem = await Get("/api/v1/treatments?symptom=muscle%20spasmm", HttpStatusCode.NotFound);
        Assert.Equal("symptom", (string)problem["parameter"]!);
        Assert.Contains(problem["suggestions"]!.AsArray(), s => (string)s!["id"]! == "sg:muscle-spasm");
    }

    [Fact]
    public async Task ACauseOfTheWrongCategoryIsA400()
    {
        var problem = await Get("/api/v1/treatments?symptom=muscle%20spasm&cause=massage", HttpStatusCode.BadRequest);
        Assert.Equal("cause", (string)problem["parameter"]!);
    }

    [Theory]
    [InlineData("/api/v1/treatments", "symptom")]
    [InlineData("/api/v1/treatments?symptom=spasm&minTier=T7", "minTier")]
    [InlineData("/api/v1/treatments?symptom=spasm&limit=101", "limit")]
    [InlineData("/api/v1/treatments?symptom=spasm&cursor=AAAA", "cursor")]
    public async Task BadTreatmentParametersAreNamed(string url, string parameter) =>
        Assert.NotNull((await Get(url, HttpStatusCode.BadRequest))["errors"]![parameter]);

    [Fact]
    public async Task MinTierKeepsOnlyStrongEvidence()
    {
        var items = (await Get(Flagship + "&minTier=T2"))["items"]!.AsArray();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Contains((string)i!["evidenceTier"]!, new[] { "T1", "T2" }));
    }

    // --- symptoms, conditions ---

    [Fact]
    public async Task CausesOfMuscleSpasmIncludeNerveCompressionWithPaths()
    {
        var body = await Get("/api/v1/symptoms/sg:muscle-spasm/causes?limit=100");
        var items = body["items"]!.AsArray();
        var nc = items.Single(i => (string)i!["cause"]! == "sg:nerve-compression")!;
        Assert.Equal("sg:muscle-spasm", (string)nc["bestPath"]!["nodes"]!.AsArray().Last()!);
        Assert.Contains(body["includedSymptoms"]!.AsArray(), s => (string)s! == "sg:back-muscle-spasm");
        Assert.All(nc["bestPath"]!["edges"]!.AsArray(), e => Assert.NotNull(body["edges"]![(string)e!]));
        Assert.NotEmpty(body["redFlags"]!.AsArray());
    }

    [Fact]
    public async Task CausesTakeASymptomOnly()
    {
        await Get("/api/v1/symptoms/sg:spinal-stenosis/causes", HttpStatusCode.BadRequest);
        await Get("/api/v1/symptoms/sg:nope/causes", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ConditionTreatmentsAreLabelledByRoute()
    {
        var body = await Get("/api/v1/conditions/herniated%20disc/treatments?limit=100");
        Assert.Equal("sg:herniated-disc", (string)body["query"]!["condition"]!);
        var routes = body["items"]!.AsArray().SelectMany(i => i!["routes"]!.AsArray().Select(a => (string)a!)).ToHashSet();
        Assert.Contains("direct", routes);
        Assert.Contains("symptom", routes);
        Assert.Equal("id", (string)(await Get("/api/v1/conditions/sg:massage/treatments", HttpStatusCode.BadRequest))["parameter"]!);
        Assert.Equal("id", (string)(await Get("/api/v1/conditions/sg:nope/treatments", HttpStatusCode.NotFound))["parameter"]!);
    }

    [Fact]
    public async Task CervicalDystoniaTreatmentsStartWithBotulinumToxin()
    {
        var first = (await Get("/api/v1/conditions/sg:cervical-dystonia/treatments"))["items"]![0]!;
        Assert.Equal("sg:botulinum-toxin", (string)first["treatment"]!);
        Assert.Equal("T1", (string)first["evidenceTier"]!);
    }

    // --- paths, subgraph, meta, health ---

    [Fact]
    public async Task PathsAreShortestFirstAndBounded()
    {
        var body = await Get("/api/v1/paths?from=sg:herniated-disc&to=muscle%20spasm&maxHops=3&limit=5");
        var lengths = body["items"]!.AsArray().Select(p => p!["edges"]!.AsArray().Count).ToList();
        Assert.NotEmpty(lengths);
        Assert.Equal(lengths.Order(), lengths);
        Assert.All(lengths, l => Assert.InRange(l, 1, 3));
        Assert.True(lengths.Count <= 5);
    }

    [Fact]
    public async Task PathsPageWithACursor()
    {
        // Following cursors gives every path exactly once whatever the page size (herniated disc → numbness, any direction, 5 hops).
        const string url = "/api/v1/paths?from=sg:herniated-disc&to=sg:numbness&maxHops=5&direction=any";
        var keys = (JsonNode? paths) => paths!.AsArray().Select(p => string.Join(">", p!["nodes"]!.AsArray().Select(n => (string)n!)) + "#" + string.Join(">", p["edges"]!.AsArray().Select(e => (string)e!)));
        var whole = await Get(url + "&limit=50");
        var expected = keys(whole["items"]).ToList();
        Assert.Equal(expected.Count, expected.Distinct().Count());
        foreach (var limit in new[] { 3, 7, 11 })
        {
            var collected = new List<string>();
            string? cursor = null;
            do
            {
                var page = await Get(url + $"&limit={limit}" + (cursor is null ? "" : "&cursor=" + cursor));
                collected.AddRange(keys(page["items"]));
                cursor = (string?)page["nextCursor"];
            } while (cursor is not null && collected.Count < 50);
            Assert.Equal(expected, collected.Take(expected.Count));
        }
    }

    [Theory]
    [InlineData("/api/v1/paths?to=sg:muscle-spasm", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/paths?from=sg:herniated-disc&to=sg:muscle-spasm&maxHops=6", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/paths?from=sg:herniated-disc&to=sg:muscle-spasm&limit=51", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/paths?from=sg:herniated-disc&to=sg:unknown", HttpStatusCode.NotFound)]
    public async Task BadPathQueriesAreRefused(string url, HttpStatusCode status) => await Get(url, status);

    [Fact]
    public async Task ASubgraphIsReadyToDraw()
    {
        var body = await Get("/api/v1/subgraph?ids=sg:spinal-stenosis,muscle%20spasm&depth=1");
        var nodes = body["nodeIds"]!.AsArray().Select(n => (string)n!).ToHashSet();
        Assert.Contains("sg:spinal-stenosis", nodes);
        Assert.Contains("sg:muscle-spasm", nodes);
        Assert.Equal(nodes.Order(), body["nodes"]!.AsObject().Select(kv => kv.Key).Order());
        Assert.All(body["edgeIds"]!.AsArray(), id =>
        {
            var e = body["edges"]![(string)id!]!;
            Assert.Contains((string)e["subject"]!, nodes);
            Assert.Contains((string)e["object"]!, nodes);
        });
    }

    [Fact]
    public async Task TwentyRealIdsFitInOneSubgraphRequest()
    {
        var ids = string.Join(',', (await Get("/api/v1/nodes?limit=20"))["items"]!.AsArray().Select(n => (string)n!["id"]!));
        Assert.True(ids.Length > 200);
        Assert.Equal(20, (await Get("/api/v1/subgraph?depth=0&ids=" + ids))["nodeIds"]!.AsArray().Count);
    }

    [Fact]
    public async Task SubgraphBoundsAreEnforced()
    {
        var tooMany = string.Join(',', Enumerable.Range(0, 21).Select(i => $"sg:n{i}"));
        await Get("/api/v1/subgraph?ids=" + tooMany, HttpStatusCode.BadRequest);
        await Get("/api/v1/subgraph?ids=sg:massage&depth=4", HttpStatusCode.BadRequest);
        await Get("/api/v1/subgraph?ids=sg:nope", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MetaDescribesTheGraph()
    {
        var body = await Get("/api/v1/meta");
        Assert.Matches("^sha256:[0-9a-f]{16}$", (string)body["version"]!);
        Assert.True((int)body["edgeCount"]! > 150);
        Assert.Contains(body["predicates"]!.AsArray(), p => (string)p!["name"]! == "relieves" && (string)p["biolink"]! == "biolink:treats_or_applied_or_studied_to_treat");
        Assert.Equal(5, body["tiers"]!.AsArray().Count);
        Assert.Equal((int)body["edgeCount"]!, body["triples"]!.AsArray().Sum(t => (int)t!["count"]!));
    }

    [Fact]
    public async Task HealthEndpointsAnswer()
    {
        Assert.Equal("live", (string)(await Get("/health/live"))["status"]!);
        Assert.Equal("ready", (string)(await Get("/health/ready"))["status"]!);
    }

    [Fact]
    public async Task BrowserFrontEndsMayCallTheApiFromOtherOrigins()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/meta");
        request.Headers.Add("Origin", "https://app.example");
        using var response = await Client.SendAsync(request);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task AnUnknownRouteIsAProblemNotAnEmptyPage() =>
        await Get("/api/v1/nothing-here", HttpStatusCode.NotFound);

    [Fact]
    public async Task ACursorOnlyWorksForTheQueryThatMadeIt()
    {
        var search = (string)(await Get("/api/v1/search?q=spasm&limit=2"))["nextCursor"]!;
        Assert.NotNull((await Get("/api/v1/nodes?cursor=" + search, HttpStatusCode.BadRequest))["errors"]!["cursor"]);
        Assert.NotNull((await Get("/api/v1/search?q=stenosis&limit=2&cursor=" + search, HttpStatusCode.BadRequest))["errors"]!["cursor"]);
        var flagship = (string)(await Get("/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression&limit=2"))["nextCursor"]!;
        await Get("/api/v1/treatments?symptom=muscle%20spasm&limit=2&cursor=" + flagship, HttpStatusCode.BadRequest);
        await Get("/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression&limit=2&cursor=" + flagship);
    }

    [Fact]
    public async Task ACauseAndAConditionWithoutASymptomAreBothApplied()
    {
        var both = await Get("/api/v1/treatments?cause=nerve%20compression&condition=herniated%20disc&limit=100");
        Assert.Equal("sg:herniated-disc", (string)both["query"]!["condition"]!);
        Assert.Equal("sg:nerve-compression", (string)both["query"]!["cause"]!);
        var causeOnly = await Get("/api/v1/treatments?cause=nerve%20compression&limit=100");
        var conditionOnly = await Get("/api/v1/treatments?condition=herniated%20disc&limit=100");
        var ids = (JsonNode n) => n["items"]!.AsArray().Concat(n["evidenceAgainst"]!.AsArray()).Select(i => (string)i!["treatment"]!).ToHashSet();
        Assert.NotEqual(ids(causeOnly), ids(both));
        Assert.NotEqual(ids(conditionOnly), ids(both));
        Assert.Subset(ids(conditionOnly), ids(both)); // both constraints: a subset of the condition's treatments
    }

    [Fact]
    public async Task EverySupportingPathOfATreatmentIsListedByItsPathsResource()
    {
        var body = await Get(Flagship);
        var item = body["items"]!.AsArray().First(i => (long)i!["pathCount"]! > 1)!;
        var id = (string)item["treatment"]!;
        var paths = await Get($"/api/v1/treatments/{id}/paths?symptom=muscle%20spasm&cause=nerve%20compression&limit=100");
        Assert.Equal((long)item["pathCount"]!, (int)paths["total"]!);
        Assert.All(paths["items"]!.AsArray(), p => Assert.Equal(id, (string)p!["nodes"]![0]!));
        Assert.Equal(item["paths"]![0]!["nodes"]!.ToJsonString(), paths["items"]![0]!["nodes"]!.ToJsonString());
        await Get("/api/v1/treatments/sg:muscle-spasm/paths?symptom=muscle%20spasm", HttpStatusCode.BadRequest);
    }

    // --- whole-graph edges (researchers) ---

    [Fact]
    public async Task EveryT1OrT2EdgeOfBenefitComesInOneCall()
    {
        var body = await Get("/api/v1/edges?minTier=T2&effect=benefit&limit=500");
        var expected = SpineGraph.Tests.Support.SeedGraph.Data.Edges
            .Where(e => e.Tier <= SpineGraph.Core.EvidenceTier.T2 && e.Effect == SpineGraph.Core.Effect.Benefit)
            .Select(e => e.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, body["items"]!.AsArray().Select(i => (string)i!));
        Assert.Null((string?)body["nextCursor"]);
        Assert.All(expected, id =>
        {
            var e = body["edges"]![id]!;
            Assert.NotNull(body["nodes"]![(string)e["subject"]!]);
            Assert.All(e["sources"]!.AsArray(), s => Assert.NotNull(body["sources"]![(string)s!]));
        });
    }

    [Fact]
    public async Task WholeGraphEdgesPageByCursorWithoutLosingAny()
    {
        const string url = "/api/v1/edges?predicate=relieves&subjectCategory=treatment";
        var whole = (await Get(url + "&limit=500"))["items"]!.AsArray().Select(i => (string)i!).ToList();
        Assert.True(whole.Count > 20);
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Get(url + "&limit=7" + (cursor is null ? "" : "&cursor=" + cursor));
            paged.AddRange(page["items"]!.AsArray().Select(i => (string)i!));
            cursor = (string?)page["nextCursor"];
        } while (cursor is not null);
        Assert.Equal(whole, paged);
        Assert.NotNull((await Get("/api/v1/edges?limit=501", HttpStatusCode.BadRequest))["errors"]!["limit"]);
        Assert.NotNull((await Get("/api/v1/edges?subjectCategory=gene", HttpStatusCode.BadRequest))["errors"]!["subjectCategory"]);
    }

    // --- HTTP for front-end apps ---

    [Fact]
    public async Task AnswersCarryAStrongETagAndIfNoneMatchGivesA304WithoutABody()
    {
        const string url = "/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression";
        using var first = await Client.GetAsync(url);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag!.IsWeak);
        Assert.Contains("max-age=", first.Headers.CacheControl!.ToString());

        foreach (var match in new[] { etag.Tag, "W/" + etag.Tag, "\"other\", " + etag.Tag, "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("If-None-Match", match);
            using var again = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Equal(etag, again.Headers.ETag);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        }
        using var other = new HttpRequestMessage(HttpMethod.Get, url + "&limit=3");
        other.Headers.TryAddWithoutValidation("If-None-Match", etag.Tag);
        using var changed = await Client.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Fact]
    public async Task ProblemsAreNeverCached()
    {
        using var response = await Client.GetAsync("/api/v1/nodes/sg:no-such-node");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task AnswersAreCompressedWhenTheClientAsks(string encoding)
    {
        const string url = "/api/v1/treatments?symptom=muscle%20spasm&cause=nerve%20compression";
        var plain = await Client.GetByteArrayAsync(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd(encoding);
        using var response = await Client.SendAsync(request);
        Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length * 3 < plain.Length, $"{encoding}: {compressed.Length} bytes for {plain.Length}");
        using var input = new MemoryStream(compressed);
        using Stream decoder = encoding == "br"
            ? new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        await decoder.CopyToAsync(output);
        Assert.Equal(plain, output.ToArray());
    }

    [Theory]
    [InlineData("/api/v1/treatments?symptom=muscle%20spasm", HttpStatusCode.OK)]
    [InlineData("/api/v1/meta", HttpStatusCode.OK)]
    [InlineData("/api/v1/nodes/sg:no-such-node", HttpStatusCode.NotFound)]
    [InlineData("/health/live", HttpStatusCode.OK)]
    public async Task HeadAnswersLikeGet(string url, HttpStatusCode status)
    {
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        using var get = await Client.GetAsync(url);
        Assert.Equal(status, head.StatusCode);
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
    }

    [Theory]
    [InlineData("/api/v1/treatments?symptom=muscle%20spasm&format=cytoscape", "format")]
    [InlineData("/api/v1/treatments?symptom=muscle%20spasm&minTeir=T2", "minTeir")]
    [InlineData("/api/v1/meta?verbose=1", "verbose")]
    [InlineData("/api/v1/nodes/sg:massage?fields=name", "fields")]
    public async Task AnUnknownQueryParameterIsA400NamingIt(string url, string parameter)
    {
        var problem = await Get(url, HttpStatusCode.BadRequest);
        Assert.Contains("not a parameter", (string)problem["errors"]![parameter]![0]!);
    }

    [Fact]
    public async Task BrowsersMayCacheThePreflight()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/meta");
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await Client.SendAsync(request);
        Assert.Equal("3600", response.Headers.GetValues("Access-Control-Max-Age").Single());
    }

    [Theory]
    [InlineData("/api/v1/search?q=%F0%9F%92%A5%F0%9F%92%A5")]
    [InlineData("/api/v1/search?q=%27%3B%20MATCH%20(n)%20DETACH%20DELETE%20n%20--")]
    [InlineData("/api/v1/nodes/%27%20OR%201%3D1")]
    [InlineData("/api/v1/treatments?symptom=%7B%7D&cause=%5B%5D")]
    [InlineData("/api/v1/paths?from=a&to=a")]
    [InlineData("/api/v1/subgraph?ids=,,,")]
    public async Task HostileInputNeverCausesA500(string url)
    {
        using var response = await Client.GetAsync(url);
        Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
    }
}

public class EmbeddedApiTests(EmbeddedApiFixture fixture) : ApiContract(fixture.Factory), IClassFixture<EmbeddedApiFixture>;

/// <summary>The same HTTP contract on a compiled snapshot of the seed.</summary>
public class SnapshotApiTests(SnapshotApiFixture fixture) : ApiContract(fixture.Factory), IClassFixture<SnapshotApiFixture>;
