using SpineGraph.Core;
using SpineGraph.Core.Seed;
using SpineGraph.Core.Traversal;
using SpineGraph.Tests.Support;
using static SpineGraph.Core.Predicate;

namespace SpineGraph.Tests.Contract;

/// <summary>
/// The contract every backend runs: small hand-built graphs, each question's expected answer written here.
/// A subclass turns seed data into a store of its backend; the engine above the port is the same for all.
/// </summary>
public abstract class GraphEngineContract
{
    protected abstract Task<IGraphStore> StoreAsync(SeedData data);

    private static readonly CancellationToken Ct = CancellationToken.None;

    private async Task<GraphEngine> EngineAsync(TinyGraph g) => new(await StoreAsync(g.Data));

    /// <summary>
    /// Two conditions cause nerve compression; a disc also causes inflammation; both cause spasm. Lumbar stenosis is a
    /// stenosis, back spasm a spasm. Treatments at every tier, effect, specificity and knowledge level.
    /// </summary>
    private static TinyGraph Spine() => new TinyGraph()
        .Condition("stenosis", "lumbar-stenosis", "disc")
        .Mechanism("compression", "inflammation")
        .Symptom("spasm", "back-spasm", "numbness")
        .Add(NodeCategory.Symptom, "incontinence", urgency: Urgency.Emergency)
        .Treatment("decompression", "discectomy", "pt", "massage", "nsaid", "steroid", "heat", "gizmo", "relaxant")
        .Edge("stenosis", Causes, "compression", EvidenceTier.T2)
        .Edge("disc", Causes, "compression", EvidenceTier.T2)
        .Edge("disc", Causes, "inflammation", EvidenceTier.T3)
        .Edge("compression", Causes, "spasm", EvidenceTier.T3)
        .Edge("inflammation", Causes, "spasm", EvidenceTier.T4)
        .Edge("compression", Causes, "numbness", EvidenceTier.T3)
        .Edge("compression", Causes, "incontinence", EvidenceTier.T3)
        .Edge("lumbar-stenosis", SubclassOf, "stenosis", EvidenceTier.T1)
        .Edge("back-spasm", SubclassOf, "spasm", EvidenceTier.T1)
        .Edge("decompression", Treats, "lumbar-stenosis", EvidenceTier.T3)
        .Edge("discectomy", Treats, "disc", EvidenceTier.T4)
        .Edge("pt", Treats, "stenosis", EvidenceTier.T2, Effect.Benefit)
        .Edge("pt", Relieves, "spasm")
        .Edge("massage", Relieves, "back-spasm")
        .Edge("nsaid", Targets, "inflammation", EvidenceTier.T4, Effect.NoBenefit)
        .Edge("nsaid", Relieves, "spasm", EvidenceTier.T5, Effect.Benefit)
        .Edge("steroid", Targets, "compression", EvidenceTier.T2, Effect.NoBenefit)
        .Edge("heat", Relieves, "spasm")
        .Edge("gizmo", Relieves, "spasm", knowledgeLevel: KnowledgeLevel.NotProvided)
        .Edge("relaxant", Targets, "compression", EvidenceTier.T3);

    private static string[] Ids(IEnumerable<TreatmentItem> items) => items.Select(i => i.Treatment["sg:".Length..]).ToArray();

    private static TreatmentQuery Q(string? symptom = null, string? cause = null, string? condition = null, EdgeFilter? filter = null, int offset = 0, int limit = 20) =>
        new(symptom is null ? null : "sg:" + symptom, cause is null ? null : "sg:" + cause, condition is null ? null : "sg:" + condition,
            filter ?? EdgeFilter.All, offset, limit);

    // ------------------------------------------------------------------ treatments for a symptom

    [Fact]
    public async Task TreatmentsForSpasmCausedByCompressionFollowTheRankingRules()
    {
        var a = await (await EngineAsync(Spine())).TreatmentsAsync(Q("spasm", cause: "compression"), Ct);

        // Tier first (pt T2); at T3 the one acting on the named cause itself before the one further up the chain;
        // at T5 benefit before uncertain, a knowledge assertion before a marketing claim.
        Assert.Equal(["pt", "relaxant", "decompression", "discectomy", "nsaid", "heat", "gizmo"], Ids(a.Items));
        Assert.Equal(Specificity.Named, a.Items[1].Specificity);
        Assert.Equal(Specificity.Chain, a.Items[2].Specificity);
        // Inflammation does not lie on a chain through compression: the NSAID's evidence against it does not count here,
        // and massage relieves a back spasm that compression is not known to cause.
        Assert.Equal(["steroid"], Ids(a.EvidenceAgainst));
        Assert.DoesNotContain("sg:massage", a.Items.Select(i => i.Treatment));
        Assert.Equal(7, a.Total);
        Assert.Equal("sg:compression", a.Cause);
    }

    [Fact]
    public async Task WithoutACauseEveryChainCountsAndEvidenceAgainstIsKeptApartWithMixedEvidenceMarked()
    {
        var a = await (await EngineAsync(Spine())).TreatmentsAsync(Q("spasm"), Ct);

        // relaxant (2 edges to spasm) before decompression (4); heat (1) before massage (2, via back spasm); gizmo last.
        Assert.Equal(["pt", "relaxant", "decompression", "discectomy", "heat", "massage", "gizmo"], Ids(a.Items));
        Assert.Equal(["steroid", "nsaid"], Ids(a.EvidenceAgainst));
        var nsaid = a.EvidenceAgainst[1];
        Assert.True(nsaid.EvidenceAgainst);
        Assert.True(nsaid.MixedEvidence); // weaker evidence (T5) says benefit
        Assert.Equal(EvidenceTier.T4, nsaid.Tier);
        Assert.Equal(["sg:back-spasm"], a.IncludedSymptoms);
    }

    [Fact]
    public async Task ANarrowerKindOfACauseIsACauseAndItsPathSaysSo()
    {
        var a = await (await EngineAsync(Spine())).TreatmentsAsync(Q("spasm", cause: "compression"), Ct);
        var path = a.Items.Single(i => i.Treatment == "sg:decompression").Paths.Single().Path;
        Assert.Equal(["sg:decompression", "sg:lumbar-stenosis", "sg:stenosis", "sg:compression", "sg:spasm"], path.Nodes.ToArray());
        Assert.Equal(path.Nodes.Length - 1, path.Edges.Length);
        Assert.All(path.Edges, e => Assert.True(a.Graph.Edges.ContainsKey(e), $"edge {e} is not in the answer's edges"));
        Assert.All(path.Nodes, n => Assert.True(a.Graph.Nodes.ContainsKey(n), $"node {n} is not in the answer's nodes"));
    }

    [Fact]
    public async Task EachNodeEdgeAndSourceIsInTheAnswerOnceAndEveryReferenceResolves()
    {
        var a = await (await EngineAsync(Spine())).TreatmentsAsync(Q("spasm"), Ct);
        var referenced = a.Items.Concat(a.EvidenceAgainst).SelectMany(i => i.Paths.SelectMany(p => p.Path.Edges).Concat(i.AdverseEvents))
            .Concat(a.RedFlags.SelectMany(f => f.Path.Edges)).ToHashSet();
        Assert.Equal(referenced.Order(), a.Graph.Edges.Keys.Order());
        Assert.All(a.Graph.Edges.Values, e => Assert.All(e.Sources, s => Assert.True(a.Graph.Sources.ContainsKey(s.Id))));
    }

    [Fact]
    public async Task RedFlagsMetOnTheWayAreSurfaced()
    {
        var a = await (await EngineAsync(Spine())).TreatmentsAsync(Q("spasm", cause: "compression"), Ct);
        var flag = Assert.Single(a.RedFlags);
        Assert.Equal("sg:incontinence", flag.Symptom);
        Assert.Equal(["sg:compression", "sg:incontinence"], flag.Path.Nodes.ToArray());
    }

    [Fact]
    public async Task MinTierAndEffectFilterTheTreatmentsOwnEvidence()
    {
        var engine = await EngineAsync(Spine());
        var strong = await engine.TreatmentsAsync(Q("spasm", filter: new EdgeFilter(EvidenceTier.T3)), Ct);
        Assert.Equal(["pt", "relaxant", "decompression"], Ids(strong.Items));
        Assert.Equal(["steroid"], Ids(strong.EvidenceAgainst));
        var benefit = await engine.TreatmentsAsync(Q("spasm", filter: new EdgeFilter(Effects: new HashSet<Effect> { Effect.Benefit })), Ct);
        Assert.Equal(["pt", "nsaid"], Ids(benefit.Items));
        Assert.Empty(benefit.EvidenceAgainst);
    }

    [Fact]
    public async Task PagesFollowTheRankingAndEvidenceAgainstComesWholeWithTheFirstPage()
    {
        var engine = await EngineAsync(Spine());
        var seen = new List<string>();
        for (var offset = 0; ; offset += 3)
        {
            var page = await engine.TreatmentsAsync(Q("spasm", offset: offset, limit: 3), Ct);
            Assert.Equal(7, page.Total);
            Assert.Equal(offset == 0 ? 2 : 0, page.EvidenceAgainst.Count);
            seen.AddRange(Ids(page.Items));
            if (offset + page.Items.Count >= page.Total) break;
        }
        Assert.Equal(["pt", "relaxant", "decompression", "discectomy", "heat", "massage", "gizmo"], seen);
    }

    // ------------------------------------------------------------------ treatments of a condition

    [Fact]
    public async Task ACauseGivenWithAConditionAndNoSymptomConstrainsTheChainsFromTheCondition()
    {
        var a = await (await EngineAsync(Spine())).TreatmentsAsync(Q(condition: "disc", cause: "inflammation"), Ct);

        // Only what lies on a chain disc → inflammation → …: compression's treatments are out, the disc's own in.
        Assert.Equal(["discectomy", "heat", "pt", "gizmo"], Ids(a.Items));
        Assert.Equal(["nsaid"], Ids(a.EvidenceAgainst));
        Assert.Equal("sg:disc", a.Condition);
        Assert.Equal("sg:inflammation", a.Cause);
        Assert.DoesNotContain("sg:relaxant", a.Items.Concat(a.EvidenceAgainst).Select(i => i.Treatment));
    }

    [Fact]
    public async Task AConditionsTreatmentsAreLabelledByRouteWithBroaderKindsAfterDirectOnesOfTheSameTier()
    {
        var g = Spine().Treatment("brace").Edge("brace", Treats, "stenosis", EvidenceTier.T3);
        var a = await (await EngineAsync(g)).TreatmentsAsync(Q(condition: "lumbar-stenosis"), Ct);

        // nsaid relieves the spasm that stenosis leads to (its evidence against acts on inflammation, off these chains).
        Assert.Equal(["pt", "decompression", "brace", "relaxant", "nsaid", "heat", "gizmo"], Ids(a.Items));
        Assert.Equal([TreatmentRoute.BroaderCondition, TreatmentRoute.Symptom], a.Items[0].Routes); // pt also relieves the spasm
        Assert.Equal([TreatmentRoute.Direct], a.Items[1].Routes);
        Assert.Equal([TreatmentRoute.BroaderCondition], a.Items[2].Routes);
        Assert.Equal([TreatmentRoute.Mechanism], a.Items[3].Routes);
        Assert.Equal([TreatmentRoute.Symptom], a.Items[5].Routes);
        Assert.Equal(["steroid"], Ids(a.EvidenceAgainst));
    }

    // ------------------------------------------------------------------ supporting paths

    [Fact]
    public async Task PathCountCountsEveryChainAndThePathsResourceListsThemShortestFirst()
    {
        var engine = await EngineAsync(Spine());
        var a = await engine.TreatmentsAsync(Q("spasm"), Ct);
        Assert.Equal(2, a.Items.Single(i => i.Treatment == "sg:discectomy").PathCount);
        Assert.Equal(2, a.Items.Single(i => i.Treatment == "sg:pt").PathCount); // one chain from stenosis, one relief

        var paths = await engine.TreatmentPathsAsync("sg:discectomy", Q("spasm"), Ct);
        Assert.Equal(2, paths.Total);
        Assert.False(paths.More);
        Assert.Equal(["sg:discectomy", "sg:disc", "sg:compression", "sg:spasm"], paths.Items[0].Nodes.ToArray());
        Assert.Equal(["sg:discectomy", "sg:disc", "sg:inflammation", "sg:spasm"], paths.Items[1].Nodes.ToArray());

        var throughCompression = await engine.TreatmentPathsAsync("sg:discectomy", Q("spasm", cause: "compression"), Ct);
        Assert.Equal(["sg:discectomy", "sg:disc", "sg:compression", "sg:spasm"], Assert.Single(throughCompression.Items).Nodes.ToArray());
    }

    // ------------------------------------------------------------------ causes

    [Fact]
    public async Task CausesOfASymptomComeWithTheirBestChainShortestFirst()
    {
        var a = await (await EngineAsync(Spine())).CausesAsync("sg:spasm", 0, 10, Ct);
        Assert.Equal(["sg:compression", "sg:inflammation", "sg:disc", "sg:stenosis", "sg:lumbar-stenosis"], a.Items.Select(c => c.Cause));
        Assert.Equal(["sg:disc", "sg:compression", "sg:spasm"], a.Items[2].BestPath.Nodes.ToArray());
        Assert.Equal(2, a.Items[2].PathCount);
        Assert.Equal(EvidenceTier.T4, a.Items[1].WeakestTier);
        Assert.Contains(a.RedFlags, f => f.Symptom == "sg:incontinence");
        var page = await (await EngineAsync(Spine())).CausesAsync("sg:spasm", 3, 10, Ct);
        Assert.Equal(["sg:stenosis", "sg:lumbar-stenosis"], page.Items.Select(c => c.Cause));
        Assert.Equal(5, page.Total);
    }

    // ------------------------------------------------------------------ paths

    private static PathQuery P(string from, string to, int maxHops = 3, PathDirection direction = PathDirection.Causal, IReadOnlySet<NodeCategory>? via = null, int offset = 0, int limit = 10) =>
        new("sg:" + from, "sg:" + to, maxHops, direction, via, EvidenceTier.T5, offset, limit);

    [Fact]
    public async Task PathsFollowCausalEdgesFromCauseToEffectShortestFirstAndPageExactly()
    {
        var engine = await EngineAsync(Spine());
        var all = await engine.PathsAsync(P("lumbar-stenosis", "spasm", maxHops: 5), Ct);
        Assert.Equal(["sg:lumbar-stenosis", "sg:stenosis", "sg:compression", "sg:spasm"], Assert.Single(all.Items).Nodes.ToArray());
        Assert.Equal(1, all.Total);

        var first = await engine.PathsAsync(P("disc", "spasm", limit: 1), Ct);
        Assert.Equal(["sg:disc", "sg:compression", "sg:spasm"], Assert.Single(first.Items).Nodes.ToArray());
        Assert.True(first.More);
        var second = await engine.PathsAsync(P("disc", "spasm", offset: 1, limit: 1), Ct);
        Assert.Equal(["sg:disc", "sg:inflammation", "sg:spasm"], Assert.Single(second.Items).Nodes.ToArray());
        Assert.False(second.More);
        Assert.False(second.Truncated);

        // Against the causal direction there is no path; any direction finds one.
        Assert.Empty((await engine.PathsAsync(P("spasm", "disc"), Ct)).Items);
        var any = await engine.PathsAsync(P("stenosis", "inflammation", direction: PathDirection.Any), Ct);
        Assert.Equal(["sg:stenosis", "sg:compression", "sg:disc", "sg:inflammation"], any.Items[0].Nodes.ToArray());
    }

    [Fact]
    public async Task PathsCanBeLimitedToIntermediateCategories()
    {
        var engine = await EngineAsync(Spine());
        Assert.Equal(2, (await engine.PathsAsync(P("disc", "spasm", via: new HashSet<NodeCategory> { NodeCategory.Mechanism }), Ct)).Items.Count);
        Assert.Empty((await engine.PathsAsync(P("disc", "spasm", via: new HashSet<NodeCategory> { NodeCategory.Condition }), Ct)).Items);
    }

    [Fact]
    public async Task EveryPathIsFoundOnceWhateverThePageSize()
    {
        // A ladder: many paths of several lengths between a and z.
        var g = new TinyGraph().Condition("a").Mechanism("b", "c", "d", "e").Symptom("z")
            .Edge("a", Causes, "b").Edge("a", Causes, "c").Edge("b", Causes, "c").Edge("c", Causes, "b")
            .Edge("b", Causes, "d").Edge("c", Causes, "e").Edge("d", Causes, "e").Edge("e", Causes, "d")
            .Edge("d", Causes, "z").Edge("e", Causes, "z").Edge("b", Causes, "z");
        var engine = await EngineAsync(g);
        var whole = await engine.PathsAsync(P("a", "z", maxHops: 5, limit: 50), Ct);
        Assert.NotNull(whole.Total);
        var expected = whole.Items.Select(p => string.Join(">", p.Nodes)).ToArray();
        Assert.Equal(expected.Length, expected.Distinct().Count());
        Assert.Equal(whole.Items.Select(p => p.Length), whole.Items.Select(p => p.Length).Order());
        foreach (var size in new[] { 1, 2, 3, 5, 7 })
        {
            var collected = new List<string>();
            for (var offset = 0; ; offset += size)
            {
                var page = await engine.PathsAsync(P("a", "z", maxHops: 5, offset: offset, limit: size), Ct);
                collected.AddRange(page.Items.Select(p => string.Join(">", p.Nodes)));
                if (!page.More) break;
            }
            Assert.Equal(expected, collected);
        }
    }

    // ------------------------------------------------------------------ subgraph and one hop

    [Fact]
    public async Task ASubgraphGrowsBreadthFirstWithEveryEdgeAmongItsNodes()
    {
        var a = await (await EngineAsync(Spine())).SubgraphAsync(["sg:inflammation"], 1, EvidenceTier.T5, 500, Ct);
        Assert.Equal(["sg:inflammation", "sg:disc", "sg:nsaid", "sg:spasm"], a.Nodes.ToArray());
        Assert.Equal(["sg:e-disc--causes--inflammation", "sg:e-inflammation--causes--spasm", "sg:e-nsaid--relieves--spasm", "sg:e-nsaid--targets--inflammation"], a.Edges);
        Assert.False(a.Truncated);
        var capped = await (await EngineAsync(Spine())).SubgraphAsync(["sg:inflammation"], 2, EvidenceTier.T5, 3, Ct);
        Assert.Equal(3, capped.Nodes.Count);
        Assert.True(capped.Truncated);
    }

    [Fact]
    public async Task OneHopIsStrongestFirstAndFilters()
    {
        var engine = await EngineAsync(Spine());
        var all = await engine.EdgesAsync("sg:compression", null, Direction.Both, EdgeFilter.All, 0, 20, Ct);
        Assert.Equal(7, all.Total);
        Assert.Equal(["sg:e-disc--causes--compression", "sg:e-stenosis--causes--compression", "sg:e-steroid--targets--compression"],
            all.Items.Take(3).Select(r => r.Id));
        var outT3 = await engine.EdgesAsync("sg:compression", Causes, Direction.Out, new EdgeFilter(EvidenceTier.T3), 1, 1, Ct);
        Assert.Equal(3, outT3.Total);
        Assert.Equal("sg:e-compression--causes--numbness", Assert.Single(outT3.Items).Id);
    }

    // ------------------------------------------------------------------ whole-graph edges

    [Fact]
    public async Task WholeGraphEdgeQueriesFilterAndPageByIdWithoutLosingAny()
    {
        var engine = await EngineAsync(Spine());
        var all = await engine.ListEdgesAsync(new EdgeQuery(), null, 100, Ct);
        Assert.Equal(20, all.Items.Count);
        Assert.False(all.More);
        Assert.Equal(all.Items.Order(StringComparer.Ordinal), all.Items);
        var paged = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await engine.ListEdgesAsync(new EdgeQuery(), after, 4, Ct);
            paged.AddRange(page.Items);
            if (!page.More) break;
            after = page.Items[^1];
        }
        Assert.Equal(all.Items, paged);

        async Task<string[]> Ids(EdgeQuery q) => [.. (await engine.ListEdgesAsync(q, null, 100, Ct)).Items];
        Assert.Equal(["sg:e-decompression--treats--lumbar-stenosis", "sg:e-discectomy--treats--disc", "sg:e-pt--treats--stenosis"], await Ids(new EdgeQuery(Treats)));
        Assert.Equal(["sg:e-pt--treats--stenosis"], await Ids(new EdgeQuery(Filter: new EdgeFilter(EvidenceTier.T2, new HashSet<Effect> { Effect.Benefit }))));
        Assert.Equal(["sg:e-nsaid--targets--inflammation", "sg:e-relaxant--targets--compression", "sg:e-steroid--targets--compression"],
            await Ids(new EdgeQuery(SubjectCategory: NodeCategory.Treatment, ObjectCategory: NodeCategory.Mechanism)));
        Assert.Equal(20, (await Ids(new EdgeQuery(Source: "sgdoc:test"))).Length);
        Assert.Empty(await Ids(new EdgeQuery(Source: "PMID:1")));
        var treatsPaged = new List<string>();
        for (string? cursor = null; ;)
        {
            var page = await engine.ListEdgesAsync(new EdgeQuery(Treats), cursor, 1, Ct);
            treatsPaged.AddRange(page.Items);
            if (!page.More) break;
            cursor = page.Items[^1];
        }
        Assert.Equal(await Ids(new EdgeQuery(Treats)), treatsPaged);
        Assert.Equal(["sg:e-pt--treats--stenosis"], (await engine.ListEdgesAsync(new EdgeQuery(Treats), "sg:e-discectomy--treats--disc", 5, Ct)).Items);
        Assert.Empty((await engine.ListEdgesAsync(new EdgeQuery(Treats), "sg:f", 5, Ct)).Items);
        var withGraph = await engine.ListEdgesAsync(new EdgeQuery(Treats), null, 1, Ct);
        Assert.True(withGraph.More);
        Assert.Equal(["sg:decompression", "sg:lumbar-stenosis"], withGraph.Graph.Nodes.Keys.Order());
        Assert.Equal(["sgdoc:test"], withGraph.Graph.Sources.Keys);
    }

    // ------------------------------------------------------------------ pattern queries

    private static PatternNode N(string key, string[]? ids = null, params NodeCategory[] categories) =>
        new(key, ids?.Select(i => "sg:" + i).ToArray(), categories.Length == 0 ? null : categories.ToHashSet());

    private static PatternEdge E(string key, string subject, string obj, params Predicate[] predicates) =>
        new(key, subject, obj, predicates.Length == 0 ? null : predicates.ToHashSet());

    private static string[] Bound(PatternAnswer a, string key) => a.Results.Select(r => r.Nodes[key].Id["sg:".Length..]).ToArray();

    [Fact]
    public async Task APatternJoinsTreatmentsToTheMechanismsAConditionCausesRankedByItsWeakestEdge()
    {
        var engine = await EngineAsync(Spine());
        var a = await engine.PatternAsync(new PatternQuery(
            [N("t", null, NodeCategory.Treatment), N("m"), N("c", ["stenosis"])],
            [E("e0", "t", "m", Targets), E("e1", "c", "m", Causes)], 10), Ct);

        // steroid (T2) and relaxant (T3) act on compression, which stenosis causes (T2): 0.75·0.8 + 0.25·0.8 = 0.8 and
        // 0.75·0.6 + 0.25·0.7 = 0.625. The NSAID acts on inflammation, which stenosis does not cause.
        Assert.Equal(["steroid", "relaxant"], Bound(a, "t"));
        Assert.Equal(["compression", "compression"], Bound(a, "m"));
        Assert.Equal([0.8, 0.625], a.Results.Select(r => r.Score));
        Assert.Equal(["sg:e-steroid--targets--compression"], a.Results[0].Edges["e0"]);
        Assert.Equal(["sg:e-stenosis--causes--compression"], a.Results[0].Edges["e1"]);
        Assert.False(a.Capped);
        Assert.False(a.Truncated);
        // Each bound node and edge is in the graph once, with its sources.
        Assert.Equal(["sg:compression", "sg:relaxant", "sg:stenosis", "sg:steroid"], a.Graph.Nodes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, a.Graph.Edges.Count);
        Assert.Equal(["sgdoc:test"], a.Graph.Sources.Keys);
    }

    [Fact]
    public async Task AHubThatExceedsTheRowBudgetGivesPartialMatchesMarkedTruncatedNotNothing()
    {
        // A symptom relieved by 30 treatments and caused by 30 mechanisms; treatment k targets mechanism k. The triangle
        // "treatment relieves the hub and targets a mechanism that causes it" has 30 matches; with a budget of 40 rows the
        // first two query edges alone hold 60.
        var g = new TinyGraph().Symptom("hub");
        for (var k = 0; k < 30; k++)
            g.Treatment($"t{k:00}").Mechanism($"m{k:00}")
                .Edge($"t{k:00}", Relieves, "hub", EvidenceTier.T2, Effect.Benefit)
                .Edge($"m{k:00}", Causes, "hub", EvidenceTier.T2)
                .Edge($"t{k:00}", Targets, $"m{k:00}", EvidenceTier.T3, Effect.Benefit);
        var store = await StoreAsync(g.Data);
        var q = new PatternQuery(
            [N("t", null, NodeCategory.Treatment), N("m", null, NodeCategory.Mechanism), N("s", ["hub"])],
            [E("r", "t", "s", Relieves), E("c", "m", "s", Causes), E("a", "t", "m", Targets)], 100);

        var whole = await new GraphEngine(store).PatternAsync(q, Ct);
        Assert.Equal(30, whole.Results.Count);
        Assert.False(whole.Truncated);

        var partial = await new GraphEngine(store) { PatternRows = 40 }.PatternAsync(q, Ct);
        Assert.True(partial.Truncated);
        Assert.NotEmpty(partial.Results);
        Assert.InRange(partial.Results.Count, 1, 29);
        // Every partial match is a real one.
        Assert.All(partial.Results, r => Assert.Equal(r.Nodes["t"].Id["sg:t".Length..], r.Nodes["m"].Id["sg:m".Length..]));
    }

    [Fact]
    public async Task ANarrowerKindMatchesABroaderQueryNodeAndTheBindingSaysSo()
    {
        var engine = await EngineAsync(Spine());
        var a = await engine.PatternAsync(new PatternQuery([N("t", null, NodeCategory.Treatment), N("s", ["spasm"])], [E("e", "t", "s", Relieves)], 10), Ct);

        // Every one is T5: the benefit first, the marketing claim last, the rest by id.
        Assert.Equal(["nsaid", "heat", "massage", "pt", "gizmo"], Bound(a, "t"));
        var massage = a.Results[2];
        Assert.Equal(new PatternBinding("sg:back-spasm", "sg:spasm"), massage.Nodes["s"]);
        Assert.Equal(new PatternBinding("sg:spasm", null), a.Results[0].Nodes["s"]);
    }

    [Fact]
    public async Task AMultiHopPatternBetweenTwoPinnedNodesFindsEveryMechanismBetweenThem()
    {
        var engine = await EngineAsync(Spine());
        var a = await engine.PatternAsync(new PatternQuery(
            [N("c", ["disc"]), N("m", null, NodeCategory.Mechanism), N("s", ["spasm"])],
            [E("a", "c", "m", Causes), E("b", "m", "s", Causes)], 10), Ct);

        Assert.Equal(["compression", "inflammation"], Bound(a, "m"));
        Assert.Equal([0.625, 0.425], a.Results.Select(r => r.Score));
        Assert.Equal([EvidenceTier.T3, EvidenceTier.T4], a.Results.Select(r => r.WeakestTier));
    }

    [Fact]
    public async Task ACycleMatchesOnlyWhereEveryEdgeOfItHoldsEvenWithNoPinnedNode()
    {
        var engine = await EngineAsync(Spine());
        var a = await engine.PatternAsync(new PatternQuery(
            [N("t", null, NodeCategory.Treatment), N("m", null, NodeCategory.Mechanism), N("s", null, NodeCategory.Symptom)],
            [E("acts", "t", "m", Targets), E("causes", "m", "s", Causes), E("relieves", "t", "s", Relieves)], 10), Ct);

        var r = Assert.Single(a.Results);
        Assert.Equal(("sg:nsaid", "sg:inflammation", "sg:spasm"), (r.Nodes["t"].Id, r.Nodes["m"].Id, r.Nodes["s"].Id));
    }

    [Fact]
    public async Task EdgeConstraintsFilterByTierEffectKnowledgeLevelAndSource()
    {
        var engine = await EngineAsync(Spine());
        async Task<string[]> Edges(PatternEdge e) =>
            (await engine.PatternAsync(new PatternQuery([N("t", null, NodeCategory.Treatment), N("x")], [e], 50), Ct)).Results
            .SelectMany(r => r.Edges["e"]).Order(StringComparer.Ordinal).ToArray();

        var any = E("e", "t", "x");
        Assert.Equal(["sg:e-steroid--targets--compression"],
            await Edges(any with { Tiers = new HashSet<EvidenceTier> { EvidenceTier.T1, EvidenceTier.T2 }, Effects = new HashSet<Effect> { Effect.NoBenefit } }));
        Assert.Equal(["sg:e-pt--treats--stenosis", "sg:e-steroid--targets--compression"],
            await Edges(any with { Tiers = new HashSet<EvidenceTier> { EvidenceTier.T1, EvidenceTier.T2 } }));
        Assert.Equal(["sg:e-gizmo--relieves--spasm"], await Edges(any with { Levels = new HashSet<KnowledgeLevel> { KnowledgeLevel.NotProvided } }));
        Assert.Equal(11, (await Edges(any with { Sources = new HashSet<string> { "sgdoc:test" } })).Length);
        Assert.Empty(await Edges(any with { ExcludedSources = new HashSet<string> { "sgdoc:test" } }));
        Assert.Empty(await Edges(any with { Tiers = new HashSet<EvidenceTier>() }));
    }

    [Fact]
    public async Task ACappedAnswerSaysSoAndKeepsTheBestResults()
    {
        var engine = await EngineAsync(Spine());
        var a = await engine.PatternAsync(new PatternQuery([N("t", null, NodeCategory.Treatment), N("s", ["spasm"])], [E("e", "t", "s", Relieves)], 2), Ct);

        Assert.Equal(["nsaid", "heat"], Bound(a, "t"));
        Assert.True(a.Capped);
        Assert.Equal(5, a.Found);
        Assert.False(a.Truncated);
        Assert.Equal(3, a.Graph.Nodes.Count);
    }

    [Fact]
    public async Task NodePagesFollowTheIdFromAKeyWithoutLosingAny()
    {
        var engine = await EngineAsync(Spine());
        foreach (var category in new NodeCategory?[] { null, NodeCategory.Treatment, NodeCategory.Symptom })
        {
            var all = await engine.ListNodesAsync(category, null, 1000, Ct);
            var expected = Spine().Data.Nodes.Where(n => category is null || n.Category == category).Select(n => n.Id).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, all.Items.Select(n => n.Id));
            Assert.Equal(expected.Length, all.Total);
            var paged = new List<string>();
            for (string? after = null; ;)
            {
                var page = await engine.ListNodesAsync(category, after, 3, Ct);
                paged.AddRange(page.Items.Select(n => n.Id));
                if (page.Items.Count < 3) break;
                after = page.Items[^1].Id;
            }
            Assert.Equal(expected, paged);
            // A key that is no node's id still pages from where it would sort.
            Assert.Equal(expected.Where(id => string.CompareOrdinal(id, "sg:m") > 0).Take(2), (await engine.ListNodesAsync(category, "sg:m", 2, Ct)).Items.Select(n => n.Id));
        }
    }

    // ------------------------------------------------------------------ the port itself

    [Fact]
    public async Task ExpansionRowsAreOrderedByEdgeIdAndTheLimitReallyLimits()
    {
        var store = await StoreAsync(Spine().Data);
        var e = await store.ExpandAsync(["sg:compression", "sg:no-such-node"], [Hop.In(Causes), Hop.Out(Causes), Hop.In(Targets)], EdgeFilter.All, 3, Ct);
        Assert.True(e.Truncated);
        Assert.Equal(["sg:e-compression--causes--incontinence", "sg:e-compression--causes--numbness", "sg:e-compression--causes--spasm"], e.Rows.Select(r => r.Id));
        Assert.All(e.Rows, r => Assert.Equal(Direction.Out, r.Direction));
        Assert.Equal(Urgency.Emergency, e.Rows[0].OtherUrgency);
        Assert.Equal(NodeCategory.Symptom, e.Rows[0].OtherCategory);

        var targets = await store.ExpandAsync(["sg:compression"], [Hop.In(Targets)], new EdgeFilter(EvidenceTier.T2), 10, Ct);
        var row = Assert.Single(targets.Rows);
        Assert.Equal(("sg:steroid", "sg:compression", Effect.NoBenefit, NodeCategory.Treatment), (row.Subject, row.Object, row.Effect, row.OtherCategory));
        Assert.False(targets.Truncated);
    }

    [Fact]
    public async Task NodesAndEdgesHydrateInTheOrderAskedAndUnknownOnesAreLeftOut()
    {
        var store = await StoreAsync(Spine().Data);
        Assert.Equal(["sg:pt", "sg:disc"], (await store.GetNodesAsync(["sg:pt", "sg:nope", "sg:disc"], Ct)).Select(n => n.Id));
        var edges = await store.GetEdgesAsync([new EdgeRef("sg:e-pt--treats--stenosis", "sg:pt", "sg:stenosis"), new EdgeRef("sg:e-nope", "sg:pt", "sg:disc"),
            new EdgeRef("sg:e-disc--causes--inflammation", "sg:disc", "sg:inflammation")], Ct);
        Assert.Equal(["sg:e-pt--treats--stenosis", "sg:e-disc--causes--inflammation"], edges.Select(e => e.Id));
        Assert.Equal("sgdoc:test", Assert.Single(edges[0].Sources).Id);
        Assert.Equal(EvidenceTier.T2, edges[0].Tier);
        var lexicon = await store.GetLexiconAsync(Ct);
        Assert.Equal(lexicon.Select(n => n.Id).Order(StringComparer.Ordinal), lexicon.Select(n => n.Id));
        Assert.Equal(Spine().Data.Nodes.Count, lexicon.Count);
    }

    [Fact]
    public async Task ResolutionTakesIdsAndExactNamesAndExplainsFailures()
    {
        var g = new TinyGraph().Add(NodeCategory.Symptom, "spasm", "Muscle spasm", lay: ["back spasms"]).Add(NodeCategory.Mechanism, "cramp-m", "Cramp")
            .Add(NodeCategory.Symptom, "cramp-s", "Cramp episode", synonyms: ["cramps"]);
        var engine = await EngineAsync(g);
        Assert.Equal("sg:spasm", (await engine.ResolveAsync("symptom", "back spasm", [NodeCategory.Symptom], Ct)).Node?.Id);
        Assert.Equal("sg:spasm", (await engine.ResolveAsync("symptom", "sg:spasm", [NodeCategory.Symptom], Ct)).Node?.Id);
        Assert.Equal(ResolveFailureKind.NotFound, (await engine.ResolveAsync("symptom", "spasmz nope", [NodeCategory.Symptom], Ct)).Failure?.Kind);
        Assert.Equal(ResolveFailureKind.WrongCategory, (await engine.ResolveAsync("symptom", "sg:cramp-m", [NodeCategory.Symptom], Ct)).Failure?.Kind);
    }
}

/// <summary>The contract on the embedded backend.</summary>
public class EmbeddedGraphEngineContractTests : GraphEngineContract
{
    protected override Task<IGraphStore> StoreAsync(SeedData data) =>
        Task.FromResult<IGraphStore>(new Core.Embedded.EmbeddedGraphStore(new Core.Embedded.EmbeddedGraph(data)));
}

/// <summary>The contract on the embedded backend opened from a compiled snapshot (written, then memory-mapped).</summary>
public class SnapshotGraphEngineContractTests : GraphEngineContract
{
    protected override Task<IGraphStore> StoreAsync(SeedData data)
    {
        var path = Path.Combine(Path.GetTempPath(), $"spinegraph-contract-{Guid.NewGuid():N}.sgb");
        Core.Embedded.GraphSnapshot.Write(new Core.Embedded.EmbeddedGraph(data), path);
        var graph = Core.Embedded.GraphSnapshot.Open(path);
        // The mapping outlives the file's name on Linux and macOS; on Windows the file stays until the mapping goes.
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.FromResult<IGraphStore>(new Core.Embedded.EmbeddedGraphStore(graph));
    }
}
