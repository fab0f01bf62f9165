using System.Text.RegularExpressions;
using SpineGraph.Core;
using SpineGraph.Core.Search;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Seed;

/// <summary>Curation checks on graph-seed/: integrity, honesty rules and coverage of the source documents.</summary>
public class SeedContentTests
{
    private static readonly IReadOnlyList<Node> Nodes = SeedGraph.Data.Nodes;
    private static readonly IReadOnlyList<Edge> Edges = SeedGraph.Data.Edges;

    [Fact]
    public void IdsAndNamesAreUnique()
    {
        Assert.Equal(Nodes.Count, Nodes.Select(n => n.Id).Distinct().Count());
        Assert.Equal(Nodes.Count, Nodes.Select(n => TextNormalizer.Key(n.Name)).Distinct().Count());
        Assert.Equal(Edges.Count, Edges.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void EveryEdgeJoinsKnownNodesAndCitesAtLeastOneSource()
    {
        var ids = Nodes.Select(n => n.Id).ToHashSet();
        Assert.All(Edges, e =>
        {
            Assert.Contains(e.Subject, ids);
            Assert.Contains(e.Object, ids);
            Assert.NotEmpty(e.Sources);
        });
    }

    [Fact]
    public void EveryNodeHasAtLeastOneEdge()
    {
        var linked = Edges.SelectMany(e => new[] { e.Subject, e.Object }).ToHashSet();
        Assert.Empty(Nodes.Where(n => !linked.Contains(n.Id)).Select(n => n.Id));
    }

    [Fact]
    public void EveryCategoryAndPredicateIsUsed()
    {
        Assert.Equal(Enum.GetValues<NodeCategory>().Order(), Nodes.Select(n => n.Category).Distinct().Order());
        Assert.Equal(Enum.GetValues<Predicate>().Order(), Edges.Select(e => e.Predicate).Distinct().Order());
    }

    [Fact]
    public void EveryStrongerThanT5EdgeCitesAPublicationOrGuidelineNotOnlyASourceDocument()
    {
        var offenders = Edges.Where(e => e.Tier < EvidenceTier.T5 && e.Sources.All(s => s.Kind == SourceKind.SourceDocument));
        Assert.Empty(offenders.Select(e => e.Id));
    }

    [Fact]
    public void EverySourceIsCitedAndEverySourceDocumentIsAFileOfTheSharedSeeds()
    {
        var cited = Edges.SelectMany(e => e.Sources).Select(s => s.Id).ToHashSet();
        Assert.All(SeedGraph.Data.Sources, s => Assert.Contains(s.Id, cited));
        var docs = SeedGraph.Data.Sources.Where(s => s.Kind == SourceKind.SourceDocument).ToArray();
        Assert.Equal(5, docs.Length);
        Assert.All(docs, d => Assert.Matches("^00[0-4]_[0-9a-f]{16}\\.txt$", d.File!));
    }

    [Fact]
    public void MarketingClaimsStayAtTheLowestTier()
    {
        string[] marketing = ["sg:golden-raisins", "sg:celery", "sg:magnesium-supplements", "sg:toxin-build-up"];
        var edges = Edges.Where(e => marketing.Contains(e.Subject) || marketing.Contains(e.Object)).ToArray();
        Assert.NotEmpty(edges);
        Assert.All(edges, e => Assert.Equal(EvidenceTier.T5, e.Tier));

        // Prolotherapy for loose ligaments is only the document's claim; the controlled evidence (LBP) says no benefit.
        Assert.Contains(Edges, e => e.Subject == "sg:prolotherapy" && e.Object == "sg:ligament-laxity" && e.Tier == EvidenceTier.T5);
        Assert.Contains(Edges, e => e.Subject == "sg:prolotherapy" && e.Effect == Effect.NoBenefit && e.Tier == EvidenceTier.T3);
        // Protective guarding around a loose joint is a hypothesis.
        Assert.All(Edges.Where(e => e.Subject == "sg:protective-muscle-guarding" || e.Object == "sg:protective-muscle-guarding"),
            e => Assert.Equal(EvidenceTier.T5, e.Tier));
    }

    [Theory]
    [InlineData("sg:botulinum-toxin", "sg:cervical-dystonia", EvidenceTier.T1, Effect.Benefit)]
    [InlineData("sg:epidural-steroid-injection", "sg:lumbar-spinal-stenosis", EvidenceTier.T2, Effect.NoBenefit)]
    [InlineData("sg:nsaids", "sg:sciatica", EvidenceTier.T4, Effect.NoBenefit)]
    [InlineData("sg:oral-baclofen", "sg:spasticity", EvidenceTier.T3, Effect.Uncertain)]
    [InlineData("sg:heat-therapy", "sg:low-back-pain", EvidenceTier.T2, Effect.Benefit)]
    [InlineData("sg:minimally-invasive-lumbar-decompression", "sg:lumbar-spinal-stenosis", EvidenceTier.T4, Effect.Uncertain)]
    public void TiersFollowTheEvidenceReference(string subject, string obj, EvidenceTier tier, Effect effect)
    {
        var edge = Edges.Where(e => e.Subject == subject && e.Object.StartsWith(obj, StringComparison.Ordinal))
            .OrderBy(e => e.Tier).First();
        Assert.Equal(tier, edge.Tier);
        Assert.Equal(effect, edge.Effect);
    }

    [Fact]
    public void NegativeEvidenceIsKept()
    {
        Assert.Contains(Edges, e => e.Subject == "sg:lumbar-support" && e.Effect == Effect.NoBenefit);
        Assert.Contains(Edges, e => e.Subject == "sg:bed-rest" && e.Effect == Effect.NoBenefit);
        Assert.Contains(Edges, e => e.Subject == "sg:muscle-relaxants" && e.Predicate == Predicate.HasAdverseEvent && e.Effect == Effect.Harm);
    }

    [Fact]
    public void RedFlagsCarryUrgencyAndAReason()
    {
        string[] redFlags = ["sg:bladder-incontinence", "sg:bowel-incontinence", "sg:saddle-numbness", "sg:progressive-leg-weakness"];
        Assert.All(redFlags, id =>
        {
            var n = SeedGraph.Node(id);
            Assert.NotEqual(Urgency.None, n.Urgency);
            Assert.False(string.IsNullOrWhiteSpace(n.UrgencyReason));
        });
        Assert.All(Nodes.Where(n => n.Urgency != Urgency.None), n => Assert.Equal(NodeCategory.Symptom, n.Category));
    }

    [Fact]
    public void XrefsUseOnlyTheVerifiedOntologies()
    {
        var allowed = new Regex("^(MONDO|HP|MESH|ICD10CM|DRUGBANK|MAXO):[A-Z0-9.]+$");
        Assert.All(Nodes.SelectMany(n => n.Xrefs), x => Assert.Matches(allowed, x));
    }

    [Fact]
    public void NoSynonymOrLayTermNamesTwoNodes()
    {
        var owners = Nodes
            .SelectMany(n => new[] { n.Name }.Concat(n.Synonyms).Concat(n.LayTerms).Select(t => (Key: TextNormalizer.Key(t), n.Id)))
            .GroupBy(x => x.Key)
            .Where(g => g.Select(x => x.Id).Distinct().Count() > 1)
            .Select(g => g.Key);
        Assert.Empty(owners);
    }

    /// <summary>Treatments and conditions as the five source documents name them, and the node each must find.</summary>
    [Theory]
    [InlineData("spinal stenosis", "sg:spinal-stenosis")]
    [InlineData("pinched nerve", "sg:radiculopathy")]
    [InlineData("herniated disc", "sg:herniated-disc")]
    [InlineData("bone spurs", "sg:bone-spurs")]
    [InlineData("dehydration", "sg:dehydration")]
    [InlineData("sciatica", "sg:sciatica")]
    [InlineData("degenerative disc disease", "sg:degenerative-disc-disease")]
    [InlineData("facet joint osteoarthritis", "sg:facet-joint-osteoarthritis")]
    [InlineData("lumbar strain", "sg:muscle-strain")]
    [InlineData("muscle strain", "sg:muscle-strain")]
    [InlineData("piriformis syndrome", "sg:piriformis-syndrome")]
    [InlineData("dystonia", "sg:dystonia")]
    [InlineData("diabetes", "sg:diabetes")]
    [InlineData("anemia", "sg:anemia")]
    [InlineData("kidney disease", "sg:kidney-disease")]
    [InlineData("amyotrophic lateral sclerosis", "sg:als")]
    [InlineData("multiple sclerosis", "sg:multiple-sclerosis")]
    [InlineData("spinal cord injury", "sg:spinal-cord-injury")]
    [InlineData("loose ligaments", "sg:ligament-laxity")]
    [InlineData("joint instability", "sg:ligament-laxity")]
    [InlineData("massage therapy", "sg:massage")]
    [InlineData("heat", "sg:heat-therapy")]
    [InlineData("ice packs", "sg:cold-therapy")]
    [InlineData("rest", "sg:rest")]
    [InlineData("staying hydrated", "sg:hydration")]
    [InlineData("epidural steroid injections", "sg:epidural-steroid-injection")]
    [InlineData("physical therapy", "sg:physical-therapy")]
    [InlineData("open back surgery", "sg:spine-surgery")]
    [InlineData("steroid injections", "sg:steroid-injection")]
    [InlineData("yoga", "sg:yoga")]
    [InlineData("spinal shock", "sg:spinal-shock")]
    [InlineData("obesity", "sg:obesity")]
    [InlineData("sedentary lifestyle", "sg:physical-inactivity")]
    [InlineData("pregnant", "sg:pregnancy")]
    [InlineData("full bladder", "sg:stimuli-below-injury")]
    [InlineData("skin irritation", "sg:stimuli-below-injury")]
    [InlineData("forward leaning posture", "sg:forward-leaning-posture")]
    [InlineData("aging", "sg:ageing")]
    [InlineData("minimally invasive spine surgery", "sg:minimally-invasive-spine-surgery")]
    [InlineData("anti-inflammatory pain medication", "sg:nsaids")]
    [InlineData("muscle relaxants", "sg:muscle-relaxants")]
    [InlineData("brace", "sg:lumbar-support")]
    [InlineData("elevation of legs", "sg:leg-elevation")]
    [InlineData("targeted exercise", "sg:exercise-therapy")]
    [InlineData("stretching", "sg:stretching")]
    [InlineData("acupuncture", "sg:acupuncture")]
    [InlineData("chiropractor", "sg:spinal-manipulation")]
    [InlineData("walking", "sg:staying-active")]
    [InlineData("ibuprofen", "sg:nsaids")]
    [InlineData("acetaminophen", "sg:acetaminophen")]
    [InlineData("massage roller", "sg:foam-rolling")]
    [InlineData("Botox", "sg:botulinum-toxin")]
    [InlineData("trigger point injections", "sg:trigger-point-injection")]
    [InlineData("muscle relaxers", "sg:muscle-relaxants")]
    [InlineData("magnesium", "sg:magnesium-supplements")]
    [InlineData("prolotherapy", "sg:prolotherapy")]
    [InlineData("ultrasound", "sg:therapeutic-ultrasound")]
    [InlineData("electrical stimulation", "sg:electrical-stimulation")]
    [InlineData("foam roller", "sg:foam-rolling")]
    [InlineData("golden raisins", "sg:golden-raisins")]
    [InlineData("celery", "sg:celery")]
    [InlineData("kinesio tape", "sg:kinesiology-tape")]
    [InlineData("compression stockings", "sg:compression-stockings")]
    [InlineData("relaxation techniques", "sg:relaxation-techniques")]
    [InlineData("rhizotomy", "sg:selective-dorsal-rhizotomy")]
    [InlineData("intrathecal baclofen", "sg:intrathecal-baclofen")]
    [InlineData("pillow between the knees", "sg:sleep-posture")]
    [InlineData("position of ease", "sg:position-of-ease")]
    public async Task EveryTreatmentAndConditionNamedInTheSourceDocumentsResolvesThroughSearch(string text, string id)
    {
        var hits = await SeedGraph.Engine.SearchAsync(text, null, 3, CancellationToken.None);
        Assert.NotEmpty(hits);
        Assert.Contains(id, hits.Select(h => h.Node.Id));
    }
}
