using SpineGraph.Core;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Engine;

public class EmbeddedGraphStoreTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static string Ids(GraphPath p) => string.Join(">", p.Nodes.Select(n => n.Id["sg:".Length..]));

    /// <summary>c → m1 → m2 → s, c → s (phenotype), d → c, and a treatment for each.</summary>
    private static TinyGraph Chain() => new TinyGraph()
        .Condition("c", "d").Mechanism("m1", "m2").Symptom("s", "s-narrow").Treatment("t1", "t2")
        .Edge("c", Predicate.Causes, "m1")
        .Edge("m1", Predicate.Causes, "m2")
        .Edge("m2", Predicate.Causes, "s")
        .Edge("c", Predicate.HasPhenotype, "s")
        .Edge("d", Predicate.Causes, "c")
        .Edge("s-narrow", Predicate.SubclassOf, "s")
        .Edge("t1", Predicate.Targets, "m1", EvidenceTier.T2, Effect.Benefit)
        .Edge("t2", Predicate.Relieves, "s", EvidenceTier.T4, Effect.NoBenefit);

    [Fact]
    public async Task UpstreamCausalPathsComeShortestFirstAndOrientedCauseToEffect()
    {
        var set = await Chain().Store().GetCausalPathsAsync(new CausalQuery(CausalDirection.Upstream, ["sg:s"], 5, 100), Ct);

        Assert.Equal(["c>s", "m2>s", "d>c>s", "m1>m2>s", "c>m1>m2>s", "d>c>m1>m2>s"], set.Paths.Select(Ids));
        Assert.False(set.Truncated);
        Assert.All(set.Paths, p => Assert.All(p.Edges, (e, i) =>
        {
            Assert.Equal(p.Nodes[i].Id, e.Subject);
            Assert.Equal(p.Nodes[i + 1].Id, e.Object);
        }));
    }

    [Fact]
    public async Task UpstreamCausalPathsRespectMaxHopsAndLimitAndSayTheyWereTruncated()
    {
        var store = Chain().Store();

        var twoHops = await store.GetCausalPathsAsync(new CausalQuery(CausalDirection.Upstream, ["sg:s"], 2, 100), Ct);
        Assert.Equal(["c>s", "m2>s", "d>c>s", "m1>m2>s"], twoHops.Paths.Select(Ids));

        var limited = await store.GetCausalPathsAsync(new CausalQuery(CausalDirection.Upstream, ["sg:s"], 5, 3), Ct);
        Assert.Equal(["c>s", "m2>s", "d>c>s"], limited.Paths.Select(Ids));
        Assert.True(limited.Truncated);
    }

    [Fact]
    public async Task CausalPathsThroughANodeKeepOnlyChainsContainingIt()
    {
        var set = await Chain().Store().GetCausalPathsAsync(new CausalQuery(CausalDirection.Upstream, ["sg:s"], 5, 100, "sg:m1"), Ct);

        Assert.Equal(["m1>m2>s", "c>m1>m2>s", "d>c>m1>m2>s"], set.Paths.Select(Ids));
    }

    [Fact]
    public async Task CausalPathsThroughAnAnchorIncludeChainsOfTheFullLength()
    {
        var set = await Chain().Store().GetCausalPathsAsync(new CausalQuery(CausalDirection.Upstream, ["sg:s"], 2, 100, "sg:s"), Ct);

        Assert.Equal(["c>s", "m2>s", "d>c>s", "m1>m2>s"], set.Paths.Select(Ids));
    }

    [Fact]
    public async Task DownstreamCausalPathsStartAtTheAnchor()
    {
        var set = await Chain().Store().GetCausalPathsAsync(new CausalQuery(CausalDirection.Downstream, ["sg:c"], 5, 100), Ct);

        Assert.Equal(["c>m1", "c>s", "c>m1>m2", "c>m1>m2>s"], set.Paths.Select(Ids));
    }

    [Fact]
    public async Task CausalPathsNeverRevisitANodeInACycle()
    {
        var store = new TinyGraph().Mechanism("a", "b").Symptom("s")
            .Edge("a", Predicate.Causes, "b").Edge("b", Predicate.Causes, "a").Edge("b", Predicate.Causes, "s")
            .Store();

        var set = await store.GetCausalPathsAsync(new CausalQuery(CausalDirection.Upstream, ["sg:s"], 5, 100), Ct);

        Assert.Equal(["b>s", "a>b>s"], set.Paths.Select(Ids));
    }

    [Fact]
    public async Task NarrowerAndBroaderFollowSubclassOfTransitively()
    {
        var store = new TinyGraph().Symptom("spasm", "back-spasm", "low-back-spasm")
            .Edge("back-spasm", Predicate.SubclassOf, "spasm").Edge("low-back-spasm", Predicate.SubclassOf, "back-spasm")
            .Store();

        var narrower = await store.GetNarrowerAsync(["sg:spasm"], 4, Ct);
        var broader = await store.GetBroaderAsync(["sg:low-back-spasm"], 4, Ct);
        var shallow = await store.GetNarrowerAsync(["sg:spasm"], 1, Ct);

        Assert.Equal(["back-spasm>spasm", "low-back-spasm>back-spasm>spasm"], narrower.Select(Ids));
        Assert.Equal(["low-back-spasm>back-spasm", "low-back-spasm>back-spasm>spasm"], broader.Select(Ids));
        Assert.Equal(["back-spasm>spasm"], shallow.Select(Ids));
    }

    [Fact]
    public async Task FindPathsFollowsEdgesEitherWayShortestFirstAndHonoursMinTier()
    {
        var store = Chain().Store();

        var all = await store.FindPathsAsync(new PathQuery("sg:t1", "sg:s", 4, EvidenceTier.T5, 10), Ct);
        Assert.Equal(["t1>m1>c>s", "t1>m1>m2>s"], all.Paths.Select(Ids));

        // Only T2 and better: the causal links (T5) are dropped, so nothing connects.
        var strong = await store.FindPathsAsync(new PathQuery("sg:t1", "sg:s", 4, EvidenceTier.T2, 10), Ct);
        Assert.Empty(strong.Paths);
    }

    [Fact]
    public async Task FindPathsStopsAtTheLimitAndSaysSo()
    {
        var store = Chain().Store();

        var one = await store.FindPathsAsync(new PathQuery("sg:t1", "sg:s", 4, EvidenceTier.T5, 1), Ct);

        Assert.Equal(["t1>m1>c>s"], one.Paths.Select(Ids));
        Assert.True(one.Truncated);
    }

    [Fact]
    public async Task SubgraphGrowsBreadthFirstAndIncludesEveryEdgeAmongItsNodes()
    {
        var store = Chain().Store();

        var depth0 = await store.GetSubgraphAsync(new SubgraphQuery(["sg:m1"], 0, EvidenceTier.T5, 100), Ct);
        Assert.Equal(["sg:m1"], depth0.Nodes.Select(n => n.Id));
        Assert.Empty(depth0.Edges);

        var depth1 = await store.GetSubgraphAsync(new SubgraphQuery(["sg:m1"], 1, EvidenceTier.T5, 100), Ct);
        Assert.Equal(["sg:m1", "sg:c", "sg:m2", "sg:t1"], depth1.Nodes.Select(n => n.Id));
        Assert.Equal(3, depth1.Edges.Count);
        Assert.All(depth1.Edges, e => Assert.Contains(depth1.Nodes, n => n.Id == e.Subject));

        var capped = await store.GetSubgraphAsync(new SubgraphQuery(["sg:m1"], 3, EvidenceTier.T5, 2), Ct);
        Assert.Equal(2, capped.Nodes.Count);
        Assert.True(capped.Truncated);
    }

    [Fact]
    public async Task EdgesOfANodeAreFilteredAndStrongestFirst()
    {
        var store = Chain().Store();

        var all = await store.GetEdgesAsync("sg:s", new EdgeFilter(), 0, 10, Ct);
        Assert.Equal(4, all.Total);
        Assert.Equal(EvidenceTier.T4, all.Items[0].Edge.Tier);

        var outgoing = await store.GetEdgesAsync("sg:m1", new EdgeFilter(Direction.Out), 0, 10, Ct);
        Assert.Equal(["sg:m2"], outgoing.Items.Select(v => v.Other.Id));

        var strong = await store.GetEdgesAsync("sg:m1", new EdgeFilter(MinTier: EvidenceTier.T2), 0, 10, Ct);
        Assert.Equal(["sg:t1"], strong.Items.Select(v => v.Other.Id));

        var negative = await store.GetEdgesAsync("sg:s", new EdgeFilter(Effects: new HashSet<Effect> { Effect.NoBenefit }), 0, 10, Ct);
        Assert.Equal(["sg:t2"], negative.Items.Select(v => v.Other.Id));

        var page2 = await store.GetEdgesAsync("sg:s", new EdgeFilter(), 2, 1, Ct);
        Assert.Single(page2.Items);
        Assert.Equal(all.Items[2].Edge.Id, page2.Items[0].Edge.Id);
    }

    [Fact]
    public async Task NodeDetailCountsEdgesPerPredicateAndDirection()
    {
        var detail = await Chain().Store().GetNodeAsync("sg:s", Ct);

        Assert.NotNull(detail);
        Assert.Contains(new EdgeCount(Predicate.Causes, Direction.In, 1), detail.EdgeCounts);
        Assert.Contains(new EdgeCount(Predicate.HasPhenotype, Direction.In, 1), detail.EdgeCounts);
        Assert.Contains(new EdgeCount(Predicate.SubclassOf, Direction.In, 1), detail.EdgeCounts);
        Assert.Contains(new EdgeCount(Predicate.Relieves, Direction.In, 1), detail.EdgeCounts);
        Assert.Null(await Chain().Store().GetNodeAsync("sg:nope", Ct));
    }

    [Fact]
    public async Task ListingNodesIsOrderedByIdAndPagesByCategory()
    {
        var store = Chain().Store();

        var symptoms = await store.ListNodesAsync(NodeCategory.Symptom, 0, 10, Ct);
        var page = await store.ListNodesAsync(null, 1, 2, Ct);

        Assert.Equal(["sg:s", "sg:s-narrow"], symptoms.Items.Select(n => n.Id));
        Assert.Equal(2, symptoms.Total);
        Assert.Equal(["sg:d", "sg:m1"], page.Items.Select(n => n.Id));
        Assert.Equal(8, page.Total);
    }

    [Fact]
    public async Task ConcurrentReadersGetTheSameAnswers()
    {
        var store = SeedGraph.Store;
        var query = new CausalQuery(CausalDirection.Upstream, ["sg:muscle-spasm"], 5, 2000);
        var expected = (await store.GetCausalPathsAsync(query, Ct)).Paths.Select(p => p.Key).ToArray();

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            (await store.GetCausalPathsAsync(query, Ct)).Paths.Select(p => p.Key).ToArray())));

        Assert.All(answers, a => Assert.Equal(expected, a));
    }
}
