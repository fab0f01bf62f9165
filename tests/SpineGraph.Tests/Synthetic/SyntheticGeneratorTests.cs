using SpineGraph.Core;
using SpineGraph.Core.Seed;
using SpineGraph.Synthetic;

namespace SpineGraph.Tests.Synthetic;

/// <summary>Two generated graphs (10^3 and 10^4 edges), each written and loaded once for all tests.</summary>
public sealed class SyntheticGraphsFixture : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("spinegraph-synthetic-").FullName;
    private readonly Dictionary<int, (string Dir, SyntheticSummary Summary, SeedData Data)> _graphs = [];
    private readonly Lock _lock = new();

    public string Root => _root;

    public (string Dir, SyntheticSummary Summary, SeedData Data) Get(int edges)
    {
        lock (_lock)
        {
            if (_graphs.TryGetValue(edges, out var g)) return g;
            var dir = Path.Combine(_root, $"e{edges}");
            var summary = SyntheticGenerator.Generate(new SyntheticOptions(edges), dir);
            var (data, errors) = SeedLoader.TryLoad(dir);
            Assert.Empty(errors.Select(e => e.ToString()).Take(20));
            g = (dir, summary, data!);
            _graphs[edges] = g;
            return g;
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

public sealed class SyntheticGeneratorTests(SyntheticGraphsFixture graphs) : IClassFixture<SyntheticGraphsFixture>
{
    private static readonly string[] Files = ["nodes.jsonl", "edges.jsonl", "sources.jsonl", SyntheticSummary.FileName];

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public void TheSeedLoaderAcceptsItWithTheRequestedSize(int edges)
    {
        var (dir, summary, data) = graphs.Get(edges);
        Assert.Equal(edges, data.Edges.Count);
        Assert.Equal(edges, summary.Edges);
        Assert.Equal(edges / 10, data.Nodes.Count);
        Assert.Equal(50, data.Sources.Count);
        Assert.Equal(edges, summary.Signatures.Values.Sum());
        Assert.All(data.Edges, e => Assert.NotEmpty(e.Sources));
        Assert.All(data.Edges, e => Assert.StartsWith("sg:e-", e.Id));
        // synthetic.json sits next to the seed files; the loader reads only the three .jsonl files.
        Assert.True(File.Exists(Path.Combine(dir, SyntheticSummary.FileName)));
        Assert.Equal(SeedLoader.ComputeVersion(dir), data.Version);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public void EveryCategoryAndSignatureIsPresentAndAllowed(int edges)
    {
        var (_, _, data) = graphs.Get(edges);
        var category = data.Nodes.ToDictionary(n => n.Id, n => n.Category);
        foreach (var c in Vocabulary.Categories) Assert.Contains(data.Nodes, n => n.Category == c);
        var seen = data.Edges.Select(e => (category[e.Subject], e.Predicate, category[e.Object])).ToHashSet();
        Assert.All(seen, s => Assert.True(Vocabulary.IsAllowed(s.Item1, s.Predicate, s.Item3), s.ToString()));
        Assert.Equal(Vocabulary.Signatures.Count, seen.Count);
    }

    [Fact]
    public void TheSameEdgesAndSeedGiveTheSameBytes()
    {
        var (first, _, _) = graphs.Get(10_000);
        var again = Path.Combine(graphs.Root, "again");
        SyntheticGenerator.Generate(new SyntheticOptions(10_000), again);
        foreach (var f in Files)
            Assert.True(File.ReadAllBytes(Path.Combine(first, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(again, f))), f);

        var other = Path.Combine(graphs.Root, "other-seed");
        SyntheticGenerator.Generate(new SyntheticOptions(10_000, Seed: 7), other);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(first, "edges.jsonl")), File.ReadAllBytes(Path.Combine(other, "edges.jsonl")));
    }

    [Theory]
    [InlineData(1_000, 3)] // 40 symptoms: little room for a tail
    [InlineData(10_000, 10)]
    public void SymptomInDegreesAreHeavyTailed(int edges, int factor)
    {
        var (_, _, data) = graphs.Get(edges);
        var inDegree = data.Nodes.Where(n => n.Category == NodeCategory.Symptom).ToDictionary(n => n.Id, _ => 0);
        foreach (var e in data.Edges)
            if (inDegree.ContainsKey(e.Object)) inDegree[e.Object]++;
        var sorted = inDegree.Values.Order().ToArray();
        var median = sorted[sorted.Length / 2];
        Assert.True(sorted[^1] >= factor * Math.Max(1, median), $"max {sorted[^1]}, median {median}");
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public void TheCausalLayerIsAcyclicWithChainsOfThreeOrMoreEndingAtSymptoms(int edges)
    {
        var (_, _, data) = graphs.Get(edges);
        var causal = data.Edges.Where(e => Vocabulary.CausalPredicates.Contains(e.Predicate)).ToArray();
        var indegree = data.Nodes.ToDictionary(n => n.Id, _ => 0);
        var outgoing = data.Nodes.ToDictionary(n => n.Id, _ => new List<string>());
        foreach (var e in causal)
        {
            indegree[e.Object]++;
            outgoing[e.Subject].Add(e.Object);
        }

        // Kahn's algorithm; longest chain (in edges) ending at each node along the way.
        var longest = data.Nodes.ToDictionary(n => n.Id, _ => 0);
        var ready = new Queue<string>(indegree.Where(kv => kv.Value == 0).Select(kv => kv.Key));
        var done = 0;
        while (ready.Count > 0)
        {
            var x = ready.Dequeue();
            done++;
            foreach (var y in outgoing[x])
            {
                longest[y] = Math.Max(longest[y], longest[x] + 1);
                if (--indegree[y] == 0) ready.Enqueue(y);
            }
        }
        Assert.Equal(data.Nodes.Count, done); // every node sorted: no cycle

        var symptoms = data.Nodes.Where(n => n.Category == NodeCategory.Symptom).Select(n => n.Id).ToArray();
        Assert.Contains(symptoms, s => longest[s] >= 3);
        Assert.All(longest.Values, l => Assert.InRange(l, 0, 5));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public void SubclassEdgesFormAShallowForestWithinEachCategory(int edges)
    {
        var (_, _, data) = graphs.Get(edges);
        var category = data.Nodes.ToDictionary(n => n.Id, n => n.Category);
        var parent = new Dictionary<string, string>();
        foreach (var e in data.Edges.Where(e => e.Predicate == Predicate.SubclassOf))
        {
            Assert.Equal(category[e.Subject], category[e.Object]);
            Assert.True(parent.TryAdd(e.Subject, e.Object), $"{e.Subject} has two parents");
        }
        Assert.NotEmpty(parent);
        foreach (var start in parent.Keys)
        {
            var depth = 0;
            for (var x = start; parent.TryGetValue(x, out var p); x = p) Assert.InRange(++depth, 1, 2);
        }
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public void TheSummaryNamesRealNodesAndACausalPathOfThreeEdges(int edges)
    {
        var (dir, summary, data) = graphs.Get(edges);
        var nodes = data.Nodes.ToDictionary(n => n.Id);
        Assert.Equal(NodeCategory.Symptom, nodes[summary.HubSymptom.Id].Category);
        Assert.Equal(NodeCategory.Symptom, nodes[summary.MedianSymptom.Id].Category);
        Assert.Equal(NodeCategory.Condition, nodes[summary.HubCondition.Id].Category);
        Assert.Equal(NodeCategory.Condition, nodes[summary.MedianCondition.Id].Category);
        Assert.True(summary.HubSymptom.Degree > summary.MedianSymptom.Degree);
        Assert.Equal(summary.HubSymptom.Name, nodes[summary.HubSymptom.Id].Name);

        var path = Assert.IsType<PathPick>(summary.Path3);
        Assert.Equal(3, path.Length);
        Assert.Equal(4, path.Nodes.Count);
        Assert.Equal(NodeCategory.Symptom, nodes[path.To].Category);
        var byId = data.Edges.ToDictionary(e => e.Id);
        for (var i = 0; i < 3; i++)
        {
            var e = byId[path.EdgeIds[i]];
            Assert.Equal(path.Nodes[i], e.Subject);
            Assert.Equal(path.Nodes[i + 1], e.Object);
            Assert.Contains(e.Predicate, Vocabulary.CausalPredicates);
        }
        // No causal edge joins the ends directly.
        Assert.DoesNotContain(data.Edges, e => e.Subject == path.From && e.Object == path.To);

        var written = SyntheticSummary.FromJson(File.ReadAllText(Path.Combine(dir, SyntheticSummary.FileName)));
        Assert.Equal(summary.ToJson(), written.ToJson());
        Assert.Equal(summary.HubSymptom, written.HubSymptom);
    }

    [Theory]
    [InlineData("1000", 1000)]
    [InlineData("1e6", 1_000_000)]
    [InlineData("10_000_000", 10_000_000)]
    public void TheCliReadsCountsInSeveralForms(string text, int expected)
    {
        Assert.True(SpineGraph.Synthetic.Program.TryParseCount(text, out var value));
        Assert.Equal(expected, value);
    }
}
