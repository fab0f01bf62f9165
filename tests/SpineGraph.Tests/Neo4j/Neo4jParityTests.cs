using System.Text.Json;
using SpineGraph.Core;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Neo4j;

/// <summary>
/// Every port method of the Neo4j store (over the Query API test server) against the embedded store on the real
/// seed, swept over every node and many parameter combinations: the answers must be identical, in the same order.
/// </summary>
[Collection(HarnessCollection.Name)]
public class Neo4jParityTests(HarnessFixture fixture)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static IGraphStore Reference => SeedGraph.Store;
    private IGraphStore Store => fixture.Stores.Store;
    private static IEnumerable<string> AllIds => SeedGraph.Data.Nodes.Select(n => n.Id).Order(StringComparer.Ordinal);

    private static string J<T>(T value) => JsonSerializer.Serialize(value);

    private static async Task Same<T>(string what, Func<IGraphStore, ValueTask<T>> call, IGraphStore store, List<string> failures)
    {
        var expected = J(await call(Reference));
        var actual = J(await call(store));
        if (expected != actual) failures.Add($"{what}:\n  embedded: {Cut(expected)}\n  neo4j:    {Cut(actual)}");
    }

    private static string Cut(string s) => s.Length > 600 ? s[..600] + "…" : s;

    private static void NoFailures(List<string> failures, int cases) =>
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases differ:\n" + string.Join("\n", failures.Take(10)));

    [Fact]
    public async Task MetaIsIdentical()
    {
        var f = new List<string>();
        await Same("meta", s => s.GetMetaAsync(Ct), Store, f);
        NoFailures(f, 1);
    }

    [Fact]
    public async Task EveryNodeWithItsCountsIsIdentical()
    {
        var f = new List<string>();
        var ids = AllIds.Append("sg:no-such-node").ToArray();
        foreach (var id in ids) await Same($"node {id}", s => s.GetNodeAsync(id, Ct), Store, f);
        await Same("nodes in asked order", s => s.GetNodesAsync([.. ids.Reverse(), ids[3], "x"], Ct), Store, f);
        await Same("no nodes", s => s.GetNodesAsync([], Ct), Store, f);
        NoFailures(f, ids.Length + 2);
    }

    [Fact]
    public async Task NodePagesAreIdentical()
    {
        var f = new List<string>();
        var n = 0;
        foreach (NodeCategory? c in new NodeCategory?[] { null, NodeCategory.Condition, NodeCategory.Mechanism, NodeCategory.Symptom, NodeCategory.Treatment })
            foreach (var (offset, limit) in new[] { (0, 1), (0, 50), (7, 13), (40, 200), (110, 5), (500, 10), (0, 0) })
            {
                n++;
                await Same($"list {c} {offset} {limit}", s => s.ListNodesAsync(c, offset, limit, Ct), Store, f);
            }
        NoFailures(f, n);
    }

    [Fact]
    public async Task SearchIsIdenticalForEveryNameSynonymLayTermPrefixAndTypo()
    {
        var queries = new List<string> { "", "   ", "sg:sciatica", " sg:massage ", "zzzz", "spasm", "back", "pain", "nerve", "stenossis", "sciatca" };
        foreach (var node in SeedGraph.Data.Nodes)
        {
            queries.Add(node.Name);
            queries.Add(node.Name.ToUpperInvariant());
            queries.Add(node.Name[..Math.Min(5, node.Name.Length)]);
            queries.AddRange(node.Synonyms);
            queries.AddRange(node.LayTerms);
            if (node.Name.Length > 6) queries.Add(node.Name.Remove(3, 1));
        }
        var f = new List<string>();
        var n = 0;
        foreach (var q in queries.Distinct())
            foreach (NodeCategory? c in new NodeCategory?[] { null, NodeCategory.Symptom, NodeCategory.Treatment })
                foreach (var limit in new[] { 1, 10, 50 })
                {
                    n++;
                    await Same($"search '{q}' {c} {limit}", s => s.SearchAsync(q, c, limit, Ct), Store, f);
                }
        NoFailures(f, n);
    }

    [Fact]
    public async Task OneHopPagesAreIdenticalForEveryNode()
    {
        var f = new List<string>();
        var n = 0;
        var filters = new List<EdgeFilter>
        {
            new(),
            new(Direction.Out),
            new(Direction.In, MinTier: EvidenceTier.T3),
            new(Direction.Both, Predicate.Causes),
            new(Direction.In, Predicate.Relieves, EvidenceTier.T2),
            new(Direction.Both, null, EvidenceTier.T5, new HashSet<Effect> { Effect.Harm, Effect.NoBenefit }),
            new(Direction.Out, Predicate.Treats, EvidenceTier.T4, new HashSet<Effect> { Effect.Benefit }),
        };
        foreach (var id in AllIds.Append("sg:none"))
            foreach (var filter in filters)
                foreach (var (offset, limit) in new[] { (0, 100), (2, 3) })
                {
                    n++;
                    await Same($"edges {id} {filter} {offset} {limit}", s => s.GetEdgesAsync(id, filter, offset, limit, Ct), Store, f);
                }
        NoFailures(f, n);
    }

    [Fact]
    public async Task IncidentEdgesAreIdentical()
    {
        var ids = AllIds.ToArray();
        var f = new List<string>();
        var n = 0;
        foreach (var preds in new Predicate[][] { Vocabulary.TreatmentPredicates, [Predicate.HasAdverseEvent], Vocabulary.CausalPredicates, Enum.GetValues<Predicate>() })
            foreach (var dir in new[] { Direction.In, Direction.Out, Direction.Both })
                for (var i = 0; i < ids.Length; i += 9)
                {
                    string[] set = [.. ids.Skip(i).Take(9), ids[i], "sg:unknown"];
                    n++;
                    await Same($"incident {string.Join(",", set)} {string.Join(",", preds)} {dir}", s => s.GetIncidentEdgesAsync(set, preds, dir, Ct), Store, f);
                }
        NoFailures(f, n);
    }

    [Fact]
    public async Task NarrowerAndBroaderAreIdenticalForEveryNode()
    {
        var f = new List<string>();
        var n = 0;
        foreach (var id in AllIds)
            foreach (var depth in new[] { 1, 4 })
            {
                n += 2;
                await Same($"narrower {id} {depth}", s => s.GetNarrowerAsync([id, "sg:x"], depth, Ct), Store, f);
                await Same($"broader {id} {depth}", s => s.GetBroaderAsync([id], depth, Ct), Store, f);
            }
        await Same("narrower of several", s => s.GetNarrowerAsync(AllIds.Take(40).ToArray(), 4, Ct), Store, f);
        await Same("narrower depth 0", s => s.GetNarrowerAsync(["sg:muscle-spasm"], 0, Ct), Store, f);
        NoFailures(f, n + 2);
    }

    [Fact]
    public async Task CausalChainsAreIdenticalForEveryAnchorWithTheirTruncationFlag()
    {
        var f = new List<string>();
        var n = 0;
        foreach (var id in AllIds)
            foreach (var dir in new[] { CausalDirection.Upstream, CausalDirection.Downstream })
                foreach (var (hops, limit) in new[] { (5, 2000), (3, 4), (2, 1), (5, 0) })
                {
                    n++;
                    var q = new CausalQuery(dir, [id], hops, limit);
                    await Same($"causal {q}", s => s.GetCausalPathsAsync(q, Ct), Store, f);
                }
        NoFailures(f, n);
    }

    [Fact]
    public async Task CausalChainsAtEveryLimitMatchTheReferenceTruncation()
    {
        var f = new List<string>();
        var n = 0;
        foreach (var anchor in new[] { "sg:muscle-spasm", "sg:low-back-pain", "sg:sciatica" })
        {
            var all = await Reference.GetCausalPathsAsync(new CausalQuery(CausalDirection.Upstream, [anchor], 5, 2000), Ct);
            for (var limit = 0; limit <= all.Paths.Count + 1; limit += Math.Max(1, all.Paths.Count / 25))
                foreach (var hops in new[] { 1, 2, 5 })
                {
                    n++;
                    var q = new CausalQuery(CausalDirection.Upstream, [anchor, "sg:spinal-stenosis"], hops, limit);
                    await Same($"causal {q}", s => s.GetCausalPathsAsync(q, Ct), Store, f);
                }
        }
        NoFailures(f, n);
    }

    [Fact]
    public async Task CausalChainsThroughANodeAreIdentical()
    {
        var f = new List<string>();
        var n = 0;
        var symptoms = SeedGraph.Data.Nodes.Where(x => x.Category == NodeCategory.Symptom).Select(x => x.Id).Order(StringComparer.Ordinal).ToArray();
        var throughs = SeedGraph.Data.Nodes.Where(x => x.Category is NodeCategory.Condition or NodeCategory.Mechanism).Select(x => x.Id).Order(StringComparer.Ordinal).ToArray();
        foreach (var through in throughs.Append(symptoms[0]).Append("sg:nope"))
            foreach (var (hops, limit) in new[] { (5, 2000), (2, 3), (1, 10) })
            {
                n++;
                var q = new CausalQuery(CausalDirection.Upstream, symptoms, hops, limit, through);
                await Same($"through {through} {hops} {limit}", s => s.GetCausalPathsAsync(q, Ct), Store, f);
            }
        var down = new CausalQuery(CausalDirection.Downstream, ["sg:spinal-stenosis"], 4, 50, "sg:muscle-spasm");
        await Same("downstream ignores through", s => s.GetCausalPathsAsync(down, Ct), Store, f);
        NoFailures(f, n + 1);
    }

    [Fact]
    public async Task PathsBetweenNodesAreIdentical()
    {
        var ids = AllIds.ToArray();
        var random = new Random(4);
        var f = new List<string>();
        var n = 0;
        var pairs = Enumerable.Range(0, 60).Select(_ => (ids[random.Next(ids.Length)], ids[random.Next(ids.Length)]))
            .Append(("sg:massage", "sg:massage")).Append(("sg:massage", "sg:none"))
            .Append(("sg:spinal-stenosis", "sg:muscle-spasm")).Append(("sg:botulinum-toxin", "sg:cervical-dystonia"));
        foreach (var (from, to) in pairs)
            foreach (var (hops, tier, limit) in new[] { (3, EvidenceTier.T5, 10), (4, EvidenceTier.T3, 5), (2, EvidenceTier.T5, 1), (5, EvidenceTier.T2, 50) })
            {
                n++;
                var q = new PathQuery(from, to, hops, tier, limit);
                await Same($"paths {q}", s => s.FindPathsAsync(q, Ct), Store, f);
            }
        NoFailures(f, n);
    }

    [Fact]
    public async Task SubgraphsAreIdenticalForEveryNode()
    {
        var f = new List<string>();
        var n = 0;
        foreach (var id in AllIds)
            foreach (var (depth, tier, max) in new[] { (0, EvidenceTier.T5, 500), (1, EvidenceTier.T5, 500), (2, EvidenceTier.T3, 500), (3, EvidenceTier.T5, 12), (2, EvidenceTier.T5, 1) })
            {
                n++;
                var q = new SubgraphQuery([id, "sg:unknown"], depth, tier, max);
                await Same($"subgraph {id} {depth} {tier} {max}", s => s.GetSubgraphAsync(q, Ct), Store, f);
            }
        var several = new SubgraphQuery(["sg:sciatica", "sg:massage", "sg:sciatica"], 2, EvidenceTier.T4, 40);
        await Same("subgraph of several", s => s.GetSubgraphAsync(several, Ct), Store, f);
        NoFailures(f, n + 1);
    }

    [Fact]
    public async Task HealthIsReadyAndNamesTheGraphVersion()
    {
        var health = await Store.CheckHealthAsync(Ct);
        Assert.True(health.Ready, health.Detail);
        Assert.Equal("neo4j", health.Backend);
        Assert.Contains(SeedGraph.Data.Version, health.Detail);
    }

    [Fact]
    public async Task TheApiReallyUsesTheNeo4jBackend()
    {
        using var client = fixture.Api.CreateClient();
        var body = await client.GetStringAsync("/health/ready");
        Assert.Contains("neo4j", body);
        Assert.Contains(SeedGraph.Data.Version, body);
    }
}
