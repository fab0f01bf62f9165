using SpineGraph.Core;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Search;
using SpineGraph.Core.Traversal;
using SpineGraph.Tests.Support;
using SpineGraph.Tests.Synthetic;

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

/// <summary>
/// A compiled snapshot holds the search index, and opening one maps it: its answers must be exactly those of an index
/// built from the graph's columns (and of one built from a backend's list of nodes), hit for hit and in the same order.
/// </summary>
public sealed class SearchIndexSnapshotTests(SyntheticGraphsFixture graphs) : IClassFixture<SyntheticGraphsFixture>
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly NodeCategory?[] Categories = [null, .. Enum.GetValues<NodeCategory>().Cast<NodeCategory?>()];

    [Fact]
    public async Task TheSeedGraphsSnapshotIndexAnswersExactlyLikeAFreshlyBuiltOne() =>
        await AssertSameAnswers(new EmbeddedGraph(SeedGraph.Data), queriesPerNode: 8);

    [Fact]
    public async Task ASyntheticGraphsSnapshotIndexAnswersExactlyLikeAFreshlyBuiltOne() =>
        await AssertSameAnswers(EmbeddedGraph.Load(graphs.Get(10_000).Dir), queriesPerNode: 1);

    [Fact]
    public async Task AccentsFunctionWordsRepeatedAndLongWordsAnswerAlikeFromTheSnapshot()
    {
        var longWord = new string('x', 140) + "algia";
        var g = new TinyGraph()
            .Add(NodeCategory.Condition, "cafe", "Çafé ñandú syndrome", synonyms: ["Straße-Krämpfe", "of the"], lay: ["", "!!!", "a a a back back"])
            .Add(NodeCategory.Symptom, "long", longWord, synonyms: [longWord + "s", "spasm spasm spasms"])
            .Add(NodeCategory.Symptom, "greek", "Μυαλγία", lay: ["ωμος πόνος", "pain of the neck"])
            .Add(NodeCategory.Treatment, "same", "Spasm", synonyms: ["spasms"], lay: ["the spasm"]);
        var hits = await AssertSameAnswers(new EmbeddedGraph(g.Data), queriesPerNode: 40,
            extra: ["cafe nandu", "strasse krampfe", "of the", "the", "a a a", "back back a", longWord, longWord[1..], "μυαλγια", "ωμος", "spasm", "neck pain"]);
        Assert.Contains(hits, h => h.StartsWith("sg:cafe|of the|Synonym|Exact", StringComparison.Ordinal));
        Assert.Contains(hits, h => h.StartsWith("sg:greek|Μυαλγία|Name|Exact", StringComparison.Ordinal));
    }

    [Fact]
    public void OpeningASnapshotMapsItsSearchIndexInsteadOfBuildingIt()
    {
        var graph = new EmbeddedGraph(SeedGraph.Data);
        Assert.Null(graph.Lexicon.BuiltIndex);
        var path = Snapshot(graph);
        try
        {
            var built = graph.Lexicon.BuiltIndex;
            Assert.NotNull(built); // writing a snapshot builds the index it stores

            var opened = GraphSnapshot.Open(path);
            var mapped = opened.Lexicon.BuiltIndex;
            Assert.NotNull(mapped);
            Assert.Same(mapped, opened.Lexicon.Index);
            Assert.Equal((built.TermCount, built.WordCount, built.Bytes), (mapped.TermCount, mapped.WordCount, mapped.Bytes));
            Assert.True(mapped.TermCount > SeedGraph.Data.Nodes.Count, $"{mapped.TermCount} terms");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ASnapshotOfTheFormatBeforeTheSearchIndexIsRefused()
    {
        var path = Snapshot(new EmbeddedGraph(SeedGraph.Data));
        try
        {
            var bytes = File.ReadAllBytes(path);
            BitConverter.TryWriteBytes(bytes.AsSpan(8), 1);
            File.WriteAllBytes(path, bytes);
            Assert.Contains($"has format version 1; this build reads version {GraphSnapshot.FormatVersion}: compile it again",
                Assert.Throws<SnapshotException>(() => GraphSnapshot.Open(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Snapshot(EmbeddedGraph graph)
    {
        var path = Path.Combine(Path.GetTempPath(), $"spinegraph-search-{Guid.NewGuid():N}.sgb");
        GraphSnapshot.Write(graph, path);
        return path;
    }

    /// <summary>
    /// Writes the graph's snapshot, opens it, and asks the engine over each, and the three indexes (columns, snapshot, a
    /// list of nodes) directly, the same questions: every node's texts, with typos, cut short, reordered and mixed.
    /// Returns the hits seen (rendered), after checking that the questions found every kind of match.
    /// </summary>
    private static async Task<List<string>> AssertSameAnswers(EmbeddedGraph fresh, int queriesPerNode, string[]? extra = null)
    {
        var path = Snapshot(fresh);
        try
        {
            var opened = GraphSnapshot.Open(path);
            var freshEngine = new GraphEngine(new EmbeddedGraphStore(fresh));
            var openedEngine = new GraphEngine(new EmbeddedGraphStore(opened));
            var indexes = new[] { fresh.Lexicon.Index, opened.Lexicon.Index, LexiconNodes.Of([.. fresh.Lexicon]).Index };
            var queries = Queries(fresh.Lexicon, queriesPerNode).Concat(extra ?? []).ToList();
            var seen = new List<string>();
            var kinds = new HashSet<MatchKind>();
            var answered = 0;
            var rng = new Random(3);
            foreach (var q in queries)
            {
                var category = Categories[rng.Next(Categories.Length)];
                var limit = new[] { 1, 10, 50 }[rng.Next(3)];
                var expected = Render(await freshEngine.SearchAsync(q, category, limit, Ct));
                Assert.Equal(expected, Render(await openedEngine.SearchAsync(q, category, limit, Ct)));
                Assert.Equal(Render(await freshEngine.SuggestAsync(q, category, limit, Ct)), Render(await openedEngine.SuggestAsync(q, category, limit, Ct)));
                Func<int, bool>? accept = category is { } c ? i => fresh.Lexicon.Category(i) == c : null;
                var search = indexes.Select(x => Render(x.Search(q, accept, limit))).ToArray();
                var suggest = indexes.Select(x => Render(x.Suggest(q, accept, limit))).ToArray();
                var exact = indexes.Select(x => string.Join(",", x.ExactNodes(q))).ToArray();
                Assert.All(search, s => Assert.Equal(search[0], s));
                Assert.All(suggest, s => Assert.Equal(suggest[0], s));
                Assert.All(exact, s => Assert.Equal(exact[0], s));
                seen.AddRange(expected);
                var all = await freshEngine.SearchAsync(q, null, 50, Ct);
                if (all.Count > 0) answered++;
                foreach (var h in all) kinds.Add(h.MatchKind);
            }
            // The questions are not vacuous: most find something, and every kind of match occurs.
            Assert.True(answered * 2 > queries.Count, $"{answered} of {queries.Count} questions answered");
            Assert.Equal(Enum.GetValues<MatchKind>(), kinds.Order());
            return seen;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<string> Render(IReadOnlyList<SearchHit> hits) =>
        [.. hits.Select(h => $"{h.Node.Id}|{h.MatchedText}|{h.MatchedField}|{h.MatchKind}|{h.Score:R}|{string.Join('+', h.MatchedWords)}")];

    private static List<string> Render(IReadOnlyList<(int Node, string Text, MatchedField Field, MatchKind Kind, double Score, IReadOnlyList<string> MatchedWords)> hits) =>
        [.. hits.Select(h => $"{h.Node}|{h.Text}|{h.Field}|{h.Kind}|{h.Score:R}|{string.Join('+', h.MatchedWords)}")];

    /// <summary>Questions made from the nodes' own texts (deterministic): as they are, with one or two typos, upper case,
    /// the last word cut short, the words reversed, a word with another term's word, and short made-up words.</summary>
    private static List<string> Queries(IReadOnlyList<Node> nodes, int perNode)
    {
        var rng = new Random(11);
        var texts = nodes.SelectMany(n => new[] { n.Name }.Concat(n.Synonyms).Concat(n.LayTerms)).Where(t => t.Length > 0).ToArray();
        var queries = new List<string> { "", "!!!", "zzzzzzzz", "sg:", "of", "a b" };
        foreach (var node in nodes)
        {
            queries.Add(node.Id);
            for (var i = 0; i < perNode; i++)
            {
                var text = texts[rng.Next(texts.Length)];
                var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0) continue;
                var last = words[^1];
                queries.AddRange(
                [
                    text, Typo(text, rng), Typo(Typo(text, rng), rng), text.ToUpperInvariant(),
                    string.Join(' ', words.Reverse()),
                    string.Join(' ', words[..^1].Append(last[..Math.Max(1, last.Length / 2)])),
                    words[rng.Next(words.Length)] + " " + texts[rng.Next(texts.Length)].Split(' ')[0],
                    Typo(words[rng.Next(words.Length)], rng),
                ]);
            }
        }
        return queries;
    }

    private static string Typo(string s, Random rng)
    {
        if (s.Length < 2) return s;
        var i = rng.Next(s.Length);
        var letter = (char)('a' + rng.Next(26));
        return rng.Next(4) switch
        {
            0 => s.Remove(i, 1),
            1 => s.Insert(i, letter.ToString()),
            2 when i < s.Length - 1 => string.Concat(s.AsSpan(0, i), s.AsSpan(i + 1, 1), s.AsSpan(i, 1), s.AsSpan(i + 2)),
            _ => string.Concat(s.AsSpan(0, i), letter.ToString(), s.AsSpan(i + 1)),
        };
    }
}
