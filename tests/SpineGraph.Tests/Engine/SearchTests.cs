using SpineGraph.Core;
using SpineGraph.Core.Search;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Engine;

public class SearchTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [InlineData("Muscle Spasms", "muscle spasm")]
    [InlineData("  Sciática ", "sciatica")]
    [InlineData("charley's horse", "charley horse")]
    [InlineData("bone-spurs", "bone spur")]
    [InlineData("stenosis", "stenosis")]
    [InlineData("discs", "disc")]
    public void KeysIgnoreCaseAccentsPunctuationAndPlurals(string text, string key) =>
        Assert.Equal(key, TextNormalizer.Key(text));

    [Theory]
    [InlineData("stenosis", "stenossis", 1)]
    [InlineData("stenosis", "stenosi", 1)]
    [InlineData("spasm", "sapsm", 1)]
    [InlineData("spasm", "spasm", 0)]
    [InlineData("spasm", "prism", 2)]
    public void EditDistanceCountsTypos(string a, string b, int expected) =>
        Assert.Equal(expected, Math.Min(TextNormalizer.EditDistance(a, b, 2), 2));

    private static readonly TinyGraph Graph = new TinyGraph()
        .Add(NodeCategory.Condition, "spinal-stenosis", "Spinal stenosis", lay: ["narrowing of the spine"])
        .Add(NodeCategory.Condition, "lumbar-spinal-stenosis", "Lumbar spinal stenosis")
        .Add(NodeCategory.Symptom, "muscle-spasm", "Muscle spasm", synonyms: ["myospasm"])
        .Add(NodeCategory.Symptom, "back-muscle-spasm", "Back muscle spasm", lay: ["back spasm"])
        .Add(NodeCategory.Treatment, "spasm-relief", "Spasm relief");

    private static async Task<IReadOnlyList<SearchHit>> Find(string q, NodeCategory? category = null, int limit = 10) =>
        await new SpineGraph.Core.Traversal.GraphEngine(Graph.Store()).SearchAsync(q, category, limit, Ct);

    [Fact]
    public async Task ExactMatchesComeFirstAndSayWhatMatched()
    {
        var hits = await Find("back spasms");

        Assert.Equal("sg:back-muscle-spasm", hits[0].Node.Id);
        Assert.Equal(MatchKind.Exact, hits[0].MatchKind);
        Assert.Equal(MatchedField.LayTerm, hits[0].MatchedField);
        Assert.Equal("back spasm", hits[0].MatchedText);
    }

    [Fact]
    public async Task ALastWordPrefixFindsLongerNames()
    {
        var hits = await Find("spinal sten");

        Assert.Equal(["sg:spinal-stenosis", "sg:lumbar-spinal-stenosis"], hits.Select(h => h.Node.Id));
        Assert.All(hits, h => Assert.Equal(MatchKind.Prefix, h.MatchKind));
    }

    [Fact]
    public async Task OneTypoStillFindsTheNodeButRanksBelowExactAndPrefix()
    {
        var hits = await Find("stenossis");

        Assert.Equal("sg:spinal-stenosis", hits[0].Node.Id);
        Assert.All(hits, h => Assert.Equal(MatchKind.Fuzzy, h.MatchKind));
    }

    [Fact]
    public async Task SynonymsMatchAndEachNodeAppearsOnce()
    {
        var hits = await Find("myospasm");
        Assert.Equal("sg:muscle-spasm", Assert.Single(hits).Node.Id);
        Assert.Equal(MatchedField.Synonym, hits[0].MatchedField);

        var spasm = await Find("spasm");
        Assert.Equal(spasm.Count, spasm.Select(h => h.Node.Id).Distinct().Count());
    }

    [Fact]
    public async Task CategoryAndLimitNarrowTheHits()
    {
        var treatments = await Find("spasm", NodeCategory.Treatment);
        Assert.Equal(["sg:spasm-relief"], treatments.Select(h => h.Node.Id));

        var one = await Find("spasm", limit: 1);
        Assert.Single(one);
    }

    [Fact]
    public async Task AnIdFindsItsNode()
    {
        var hits = await Find("sg:muscle-spasm");
        Assert.Equal("sg:muscle-spasm", hits[0].Node.Id);
        Assert.Equal(MatchedField.Id, hits[0].MatchedField);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("zzzzzzzz")]
    public async Task NothingMatchesNonsense(string q) => Assert.Empty(await Find(q));

    [Fact]
    public async Task SeveralWordsMatchOnAnyWordWithMoreMatchedWordsFirstAndSayWhichMatched()
    {
        var hits = await Find("back muscle cramp");
        // No term has all three words: "Back muscle spasm" (back, muscle) before "Muscle spasm" (muscle).
        Assert.Equal("sg:back-muscle-spasm", hits[0].Node.Id);
        Assert.Equal(MatchKind.Partial, hits[0].MatchKind);
        Assert.Equal(["back", "muscle"], hits[0].MatchedWords);
        Assert.Equal("sg:muscle-spasm", hits[1].Node.Id);
        Assert.Equal(["muscle"], hits[1].MatchedWords);
        // A term matching every word still comes before any partial one.
        var all = await Find("spasm back");
        Assert.Equal("sg:back-muscle-spasm", all[0].Node.Id);
        Assert.NotEqual(MatchKind.Partial, all[0].MatchKind);
        Assert.Equal(["spasm", "back"], all[0].MatchedWords);
        // One word alone never matches partially.
        Assert.DoesNotContain(await Find("xylophone"), h => h.MatchKind == MatchKind.Partial);
    }

    [Theory]
    [InlineData("pinched nerve", "sg:radiculopathy")]
    [InlineData("slipped disc", "sg:herniated-disc")]
    [InlineData("back spasms", "sg:back-muscle-spasm")]
    [InlineData("SCI", "sg:spinal-cord-injury")]
    [InlineData("stenossis", "sg:spinal-stenosis")]
    [InlineData("charley horse", "sg:muscle-cramp")]
    [InlineData("muscle relaxer", "sg:muscle-relaxants")]
    [InlineData("Botox", "sg:botulinum-toxin")]
    [InlineData("epidural", "sg:epidural-steroid-injection")]
    [InlineData("loose ligaments", "sg:ligament-laxity")]
    [InlineData("leg numbness", "sg:numbness")]
    [InlineData("numb leg", "sg:numbness")]
    [InlineData("numbness in leg", "sg:numbness")]
    public async Task LayTermsAndTyposFindTheRightNodeInTheSeed(string q, string id)
    {
        var hits = await SeedGraph.Engine.SearchAsync(q, null, 5, Ct);
        Assert.Equal(id, hits[0].Node.Id);
    }
}
