using System.Text.Json;
using SpineGraph.Core;
using SpineGraph.Core.Queries;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Contract;

/// <summary>
/// The graph-port contract every backend runs. A subclass provides a store holding graph-seed/;
/// every fact is checked through the port, and every answer must equal the embedded store's,
/// item for item and in the same order.
/// </summary>
public abstract class GraphStoreContract
{
    protected abstract IGraphStore Store { get; }

    private static readonly CancellationToken Ct = CancellationToken.None;
    private static IGraphStore Reference => SeedGraph.Store;
    private GraphQueries Queries => new(Store);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private static void Same<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, Json), JsonSerializer.Serialize(actual, Json));

    // --- The port, item for item -------------------------------------------------------------

    [Fact]
    public async Task MetaMatchesTheSeed()
    {
        var meta = await Store.GetMetaAsync(Ct);
        Assert.Equal(SeedGraph.Data.Version, meta.Version);
        Assert.Equal(SeedGraph.Data.Nodes.Count, meta.NodeCount);
        Assert.Equal(SeedGraph.Data.Edges.Count, meta.EdgeCount);
        Same(await Reference.GetMetaAsync(Ct), meta);
    }

    [Theory]
    [InlineData("sg:muscle-spasm")]
    [InlineData("sg:spinal-stenosis")]
    [InlineData("sg:botulinum-toxin")]
    [InlineData("sg:bladder-incontinence")]
    public async Task NodesComeBackWholeWithTheirEdgeCounts(string id) =>
        Same(await Reference.GetNodeAsync(id, Ct), await Store.GetNodeAsync(id, Ct));

    [Fact]
    public async Task AnUnknownNodeIsNull() => Assert.Null(await Store.GetNodeAsync("sg:no-such-node", Ct));

    [Fact]
    public async Task GetNodesKeepsTheAskedOrderAndDropsUnknownIds()
    {
        var nodes = await Store.GetNodesAsync(["sg:massage", "sg:nope", "sg:sciatica"], Ct);
        Assert.Equal(["sg:massage", "sg:sciatica"], nodes.Select(n => n.Id));
    }

    [Theory]
    [InlineData(null, 0, 50)]
    [InlineData(null, 100, 50)]
    [InlineData(NodeCategory.Treatment, 0, 20)]
    [InlineData(NodeCategory.Symptom, 5, 5)]
    public async Task NodeListsPageByIdLikeTheReference(NodeCategory? category, int offset, int limit) =>
        Same(await Reference.ListNodesAsync(category, offset, limit, Ct), await Store.ListNodesAsync(category, offset, limit, Ct));

    [Theory]
    [InlineData("pinched nerve", null)]
    [InlineData("stenossis", null)]
    [InlineData("spasm", null)]
    [InlineData("spasm", NodeCategory.Treatment)]
    [InlineData("sg:sciatica", null)]
    [InlineData("back spasms", NodeCategory.Symptom)]
    public async Task SearchAnswersLikeTheReference(string q, NodeCategory? category) =>
        Same(await Reference.SearchAsync(q, category, 10, Ct), await Store.SearchAsync(q, category, 10, Ct));

    [Theory]
    [InlineData("sg:muscle-spasm", Direction.Both, null, EvidenceTier.T5)]
    [InlineData("sg:massage", Direction.Out, null, EvidenceTier.T5)]
    [InlineData("sg:low-back-pain", Direction.In, Predicate.Relieves, EvidenceTier.T3)]
    [InlineData("sg:nerve-compression", Direction.Both, Predicate.Causes, EvidenceTier.T5)]
    public async Task OneHopEdgesMatchTheReference(string id, Direction direction, Predicate? predicate, EvidenceTier minTier)
    {
        var filter = new EdgeFilter(direction, predicate, minTier);
        Same(await Reference.GetEdgesAsync(id, filter, 0, 100, Ct), await Store.GetEdgesAsync(id, filter, 0, 100, Ct));
        Same(await Reference.GetEdgesAsync(id, filter, 3, 2, Ct), await Store.GetEdgesAsync(id, filter, 3, 2, Ct));
    }

    [Fact]
    public async Task OneHopEdgesFilterByEffect()
    {
        var filter = new EdgeFilter(Direction.In, null, EvidenceTier.T5, new HashSet<Effect> { Effect.NoBenefit, Effect.Harm });
        Same(await Reference.GetEdgesAsync("sg:sciatica", filter, 0, 50, Ct), await Store.GetEdgesAsync("sg:sciatica", filter, 0, 50, Ct));
    }

    [Fact]
    public async Task IncidentEdgesOfASetMatchTheReference()
    {
        static string Key(EdgeView v) => v.Edge.Id + v.Direction;
        string[] ids = ["sg:muscle-spasm", "sg:nerve-compression", "sg:spinal-stenosis"];
        var expected = await Reference.GetIncidentEdgesAsync(ids, Vocabulary.TreatmentPredicates, Direction.In, Ct);
        var actual = await Store.GetIncidentEdgesAsync(ids, Vocabulary.TreatmentPredicates, Direction.In, Ct);
        Same(expected.OrderBy(Key, StringComparer.Ordinal), actual.OrderBy(Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task NarrowerAndBroaderMatchTheReference()
    {
        Same(await Reference.GetNarrowerAsync(["sg:muscle-spasm", "sg:spinal-stenosis"], 4, Ct), await Store.GetNarrowerAsync(["sg:muscle-spasm", "sg:spinal-stenosis"], 4, Ct));
        Same(await Reference.GetBroaderAsync(["sg:cervical-dystonia"], 4, Ct), await Store.GetBroaderAsync(["sg:cervical-dystonia"], 4, Ct));
    }

    public static TheoryData<CausalDirection, string, int, int, string?> CausalQueries => new()
    {
        { CausalDirection.Upstream, "sg:muscle-spasm", 5, 2000, null },
        { CausalDirection.Upstream, "sg:muscle-spasm", 2, 7, null },
        { CausalDirection.Upstream, "sg:muscle-spasm", 5, 2000, "sg:nerve-compression" },
        { CausalDirection.Upstream, "sg:spasticity", 5, 2000, "sg:spinal-cord-injury" },
        { CausalDirection.Downstream, "sg:herniated-disc", 5, 2000, null },
        { CausalDirection.Downstream, "sg:spinal-stenosis", 3, 4, null },
    };

    [Theory]
    [MemberData(nameof(CausalQueries))]
    public async Task CausalPathsMatchTheReference(CausalDirection direction, string anchor, int hops, int limit, string? through)
    {
        var q = new CausalQuery(direction, [anchor], hops, limit, through);
        Same(await Reference.GetCausalPathsAsync(q, Ct), await Store.GetCausalPathsAsync(q, Ct));
    }

    [Theory]
    [InlineData("sg:herniated-disc", "sg:muscle-spasm", 3, EvidenceTier.T5, 10)]
    [InlineData("sg:massage", "sg:spinal-stenosis", 4, EvidenceTier.T5, 5)]
    [InlineData("sg:botulinum-toxin", "sg:cervical-dystonia", 2, EvidenceTier.T1, 10)]
    [InlineData("sg:dehydration", "sg:spinal-cord-injury", 1, EvidenceTier.T5, 10)]
    public async Task PathsBetweenNodesMatchTheReference(string from, string to, int hops, EvidenceTier tier, int limit)
    {
        var q = new PathQuery(from, to, hops, tier, limit);
        Same(await Reference.FindPathsAsync(q, Ct), await Store.FindPathsAsync(q, Ct));
    }

    [Theory]
    [InlineData("sg:spinal-stenosis", 1, EvidenceTier.T5, 500)]
    [InlineData("sg:muscle-spasm,sg:sciatica", 2, EvidenceTier.T3, 500)]
    [InlineData("sg:nerve-compression", 3, EvidenceTier.T5, 25)]
    public async Task SubgraphsMatchTheReference(string ids, int depth, EvidenceTier tier, int maxNodes)
    {
        var q = new SubgraphQuery(ids.Split(','), depth, tier, maxNodes);
        Same(await Reference.GetSubgraphAsync(q, Ct), await Store.GetSubgraphAsync(q, Ct));
    }

    [Fact]
    public async Task TheStoreSaysItIsReady() => Assert.True((await Store.CheckHealthAsync(Ct)).Ready);

    // --- The questions users ask, checked by meaning ---------------------------------------------

    private async Task<TreatmentAnswer> Treatments(string? symptom, string? cause = null, string? condition = null,
        EvidenceTier minTier = EvidenceTier.T5, IReadOnlySet<Effect>? effects = null, int limit = 100)
    {
        async Task<Node?> Resolve(string? text, NodeCategory[] allowed) =>
            text is null ? null : (await Queries.ResolveAsync("p", text, allowed, Ct)).Node ?? throw new InvalidOperationException(text);
        var s = await Resolve(symptom, [NodeCategory.Symptom]);
        var c = await Resolve(cause, [NodeCategory.Mechanism, NodeCategory.Condition]);
        var k = await Resolve(condition, [NodeCategory.Condition]);
        return await Queries.TreatmentsAsync(s, c, k, new TreatmentQuery(symptom, cause, condition, minTier, effects, 0, limit), Ct);
    }

    [Fact]
    public async Task TreatmentsForSpasmCausedByNerveCompressionIncludeDecompressionAsACause()
    {
        var a = await Treatments("muscle spasm", "nerve compression");
        var laminectomy = Assert.Single(a.Results, r => r.Treatment.Id == "sg:laminectomy");
        Assert.Contains(TreatmentRoute.Cause, laminectomy.Addresses);
        Assert.All(laminectomy.Paths, p =>
        {
            Assert.Equal("sg:laminectomy", p.Path.Start.Id);
            Assert.Equal("sg:muscle-spasm", p.Path.End.Id);
            Assert.Contains(p.Path.Nodes, n => n.Id == "sg:nerve-compression");
        });
    }

    [Fact]
    public async Task TreatmentsForSpasmCausedByNerveCompressionIncludeMassageForTheSymptom()
    {
        var a = await Treatments("muscle spasm", "nerve compression");
        var massage = Assert.Single(a.Results, r => r.Treatment.Id == "sg:massage");
        Assert.Contains(TreatmentRoute.Symptom, massage.Addresses);
    }

    [Fact]
    public async Task TreatmentsAreRankedByEvidenceWithEvidenceAgainstLast()
    {
        var a = await Treatments("muscle spasm", "nerve compression");
        Assert.True(a.Results.Count > 10);
        var firstAgainst = a.Results.ToList().FindIndex(r => r.AgainstEvidence);
        Assert.True(firstAgainst > 0);
        Assert.All(a.Results.Skip(firstAgainst), r => Assert.True(r.AgainstEvidence));
        var keys = a.Results.Take(firstAgainst).Select(r => ((int)r.BestEvidence.Tier, (int)r.BestEvidence.Effect)).ToList();
        Assert.Equal(keys.Order(), keys);
        Assert.All(a.Results, r =>
        {
            Assert.NotEmpty(r.Paths);
            Assert.All(r.Paths, p => Assert.All(p.Path.Edges, e => Assert.NotEmpty(e.Sources)));
            Assert.Equal(r.BestEvidence, r.Paths[0].Evidence);
        });
    }

    [Fact]
    public async Task EvidenceAgainstATreatmentIsShownNotDropped()
    {
        var a = await Treatments("muscle spasm", "nerve compression");
        var epidural = Assert.Single(a.Results, r => r.Treatment.Id == "sg:epidural-steroid-injection");
        Assert.True(epidural.AgainstEvidence);
        Assert.False(epidural.MixedEvidence);
        Assert.Equal(Effect.NoBenefit, epidural.BestEvidence.Effect);

        var benefitOnly = await Treatments("muscle spasm", "nerve compression", effects: new HashSet<Effect> { Effect.Benefit });
        Assert.All(benefitOnly.Results, r => Assert.All(r.Paths, p => Assert.Equal(Effect.Benefit, p.Evidence.Effect)));
        Assert.DoesNotContain(benefitOnly.Results, r => r.Treatment.Id == "sg:bed-rest");
    }

    [Fact]
    public async Task MinTierKeepsOnlyTreatmentsWithEvidenceThatStrong()
    {
        var a = await Treatments("muscle spasm", "nerve compression", minTier: EvidenceTier.T2);
        Assert.NotEmpty(a.Results);
        Assert.All(a.Results, r => Assert.All(r.Paths, p => Assert.True(p.Evidence.Tier <= EvidenceTier.T2)));
    }

    [Fact]
    public async Task ASymptomIncludesItsNarrowerKinds()
    {
        var a = await Treatments("muscle spasm");
        Assert.Contains(a.IncludedSymptoms, n => n.Id == "sg:flexor-extensor-spasms");
        Assert.Contains(a.Results, r => r.Treatment.Id == "sg:stretching"
            && r.Paths.Any(p => p.Path.Nodes.Any(n => n.Id == "sg:flexor-extensor-spasms")));
    }

    [Fact]
    public async Task SpinalCordInjurySpasticityIsTreatedWithAntispasticDrugsAtHonestTiers()
    {
        var a = await Treatments("spasticity", "spinal cord injury");
        var ids = a.Results.Select(r => r.Treatment.Id).ToList();
        Assert.Contains("sg:intrathecal-baclofen", ids);
        Assert.Contains("sg:tizanidine", ids);
        var baclofen = Assert.Single(a.Results, r => r.Treatment.Id == "sg:oral-baclofen");
        Assert.Equal(EvidenceTier.T3, baclofen.BestEvidence.Tier); // sources disagree: capped at T3
    }

    [Fact]
    public async Task CervicalDystoniaIsTreatedFirstWithBotulinumToxinAtT1()
    {
        var a = await Treatments(null, condition: "cervical dystonia");
        Assert.Equal("sg:botulinum-toxin", a.Results[0].Treatment.Id);
        Assert.Equal(EvidenceTier.T1, a.Results[0].BestEvidence.Tier);
        Assert.Contains(TreatmentRoute.Direct, a.Results[0].Addresses);
    }

    [Fact]
    public async Task SpasmsFromLigamentLaxityListProlotherapyOnlyAsUnsupported()
    {
        var a = await Treatments("muscle spasm", "ligament laxity");
        var prolo = Assert.Single(a.Results, r => r.Treatment.Id == "sg:prolotherapy");
        Assert.Contains(TreatmentRoute.Cause, prolo.Addresses);
        Assert.Equal(EvidenceTier.T5, prolo.BestEvidence.Tier);
        Assert.All(prolo.Paths, p => Assert.Contains(p.Path.Nodes, n => n.Id == "sg:protective-muscle-guarding"));
    }

    [Fact]
    public async Task RedFlagsAreSurfacedOnTheWay()
    {
        var a = await Treatments("muscle spasm", "nerve compression");
        Assert.Contains(a.RedFlags, f => f.Symptom.Id == "sg:bladder-incontinence" && f.Symptom.Urgency == Urgency.Emergency);
        Assert.All(a.RedFlags, f => Assert.NotEqual(Urgency.None, f.Symptom.Urgency));

        var stenosis = await Treatments(null, condition: "spinal stenosis");
        Assert.NotEmpty(stenosis.RedFlags);
    }

    [Fact]
    public async Task ConditionTreatmentsAreLabelledByRoute()
    {
        var a = await Treatments(null, condition: "herniated disc");
        var routes = a.Results.SelectMany(r => r.Paths.Select(p => p.Route)).ToHashSet();
        Assert.Contains(TreatmentRoute.Direct, routes);
        Assert.Contains(TreatmentRoute.Symptom, routes);
        Assert.Contains(a.Results, r => r.Treatment.Id == "sg:discectomy" && r.Addresses.Contains(TreatmentRoute.Direct));
    }

    [Fact]
    public async Task CausesOfMuscleSpasmReachBackToSpineConditions()
    {
        var a = await Queries.CausesAsync(SeedGraph.Node("sg:muscle-spasm"), 0, 100, Ct);
        var causes = a.Results.Select(r => r.Cause.Id).ToList();
        Assert.Contains("sg:nerve-compression", causes);
        Assert.Contains("sg:spinal-stenosis", causes);
        Assert.Contains("sg:spinal-cord-injury", causes);
        Assert.Contains("sg:ligament-laxity", causes);
        Assert.True(causes.IndexOf("sg:nerve-compression") < causes.IndexOf("sg:spinal-stenosis"));
        Assert.All(a.Results, r => Assert.Equal(r.Cause.Id, r.BestPath.Start.Id));
    }

    [Fact]
    public async Task UnknownAmbiguousAndMiscategorisedNamesAreExplained()
    {
        var unknown = await Queries.ResolveAsync("symptom", "spasmm of the ear", [NodeCategory.Symptom], Ct);
        Assert.Equal(ResolveFailureKind.NotFound, unknown.Failure!.Kind);

        var typo = await Queries.ResolveAsync("symptom", "muscle spasmm", [NodeCategory.Symptom], Ct);
        Assert.Equal(ResolveFailureKind.NotFound, typo.Failure!.Kind);
        Assert.Contains(typo.Failure.Suggestions, s => s.Node.Id == "sg:muscle-spasm");

        var wrong = await Queries.ResolveAsync("symptom", "spinal stenosis", [NodeCategory.Symptom], Ct);
        Assert.Equal(ResolveFailureKind.WrongCategory, wrong.Failure!.Kind);

        var byLayTerm = await Queries.ResolveAsync("cause", "pinched nerve", [NodeCategory.Condition, NodeCategory.Mechanism], Ct);
        Assert.Equal("sg:radiculopathy", byLayTerm.Node!.Id);
    }

    [Fact]
    public async Task TreatmentAnswersMatchTheReference()
    {
        var reference = new GraphQueries(Reference);
        foreach (var (s, c, k) in new (string?, string?, string?)[]
                 {
                     ("sg:muscle-spasm", "sg:nerve-compression", null), ("sg:spasticity", "sg:spinal-cord-injury", null),
                     ("sg:muscle-spasm", null, null), (null, null, "sg:herniated-disc"), (null, null, "sg:cervical-dystonia"),
                 })
        {
            var sn = s is null ? null : SeedGraph.Node(s);
            var cn = c is null ? null : SeedGraph.Node(c);
            var kn = k is null ? null : SeedGraph.Node(k);
            var q = new TreatmentQuery(s, c, k, EvidenceTier.T5, null, 0, 100);
            Same(await reference.TreatmentsAsync(sn, cn, kn, q, Ct), await Queries.TreatmentsAsync(sn, cn, kn, q, Ct));
        }
        Same(await reference.CausesAsync(SeedGraph.Node("sg:muscle-spasm"), 0, 100, Ct),
            await Queries.CausesAsync(SeedGraph.Node("sg:muscle-spasm"), 0, 100, Ct));
    }
}

/// <summary>The embedded store runs the contract always (it is also the reference, so the matching facts are trivially
/// true here; the meaning facts are not).</summary>
public class EmbeddedGraphStoreContractTests : GraphStoreContract
{
    protected override IGraphStore Store { get; } = new Core.Embedded.EmbeddedGraphStore(new Core.Embedded.EmbeddedGraph(SeedGraph.Data));
}
