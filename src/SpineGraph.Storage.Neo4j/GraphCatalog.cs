using System.Text.Json;
using System.Text.Json.Nodes;
using SpineGraph.Core;
using SpineGraph.Core.Seed;

namespace SpineGraph.Storage.Neo4j;

/// <summary>
/// The counts <c>/meta</c> reports (per category, per (subject category, predicate, object category) and per tier),
/// computed while the seed is validated and written by the seeder onto the meta node as one JSON property, so the
/// store never counts the graph at start.
/// </summary>
public sealed record GraphCatalog(
    int NodeCount,
    int EdgeCount,
    int SourceCount,
    IReadOnlyList<CategoryCount> Categories,
    IReadOnlyList<TripleCount> Triples,
    IReadOnlyList<TierCount> Tiers)
{
    public static GraphCatalog Of(SeedData data)
    {
        var category = new Dictionary<string, NodeCategory>(data.Nodes.Count, StringComparer.Ordinal);
        foreach (var n in data.Nodes) category[n.Id] = n.Category;
        var triples = new Dictionary<(NodeCategory, Predicate, NodeCategory), int>();
        var tiers = new Dictionary<EvidenceTier, int>();
        foreach (var e in data.Edges)
        {
            var key = (category[e.Subject], e.Predicate, category[e.Object]);
            triples[key] = triples.GetValueOrDefault(key) + 1;
            tiers[e.Tier] = tiers.GetValueOrDefault(e.Tier) + 1;
        }
        return new GraphCatalog(
            data.Nodes.Count, data.Edges.Count, data.Sources.Count,
            Vocabulary.Categories.Select(c => new CategoryCount(c, data.Nodes.Count(n => n.Category == c))).ToArray(),
            triples.OrderBy(t => t.Key.Item1).ThenBy(t => t.Key.Item2).ThenBy(t => t.Key.Item3)
                .Select(t => new TripleCount(t.Key.Item1, t.Key.Item2, t.Key.Item3, t.Value)).ToArray(),
            Enum.GetValues<EvidenceTier>().Select(t => new TierCount(t, tiers.GetValueOrDefault(t))).ToArray());
    }

    public GraphMeta ToMeta(string version) => new(version, NodeCount, EdgeCount, Categories, Triples, Tiers, SourceCount);

    /// <summary>Compact JSON with our wire names: <c>{"categories":{"condition":3},"triples":[["condition","causes","mechanism",2]],"tiers":{"T1":1}}</c>.</summary>
    public string ToJson() => new JsonObject
    {
        ["categories"] = new JsonObject(Categories.Select(c => KeyValuePair.Create(Vocabulary.Snake(c.Category), (JsonNode?)c.Count))),
        ["triples"] = new JsonArray(Triples.Select(t => (JsonNode?)new JsonArray(
            Vocabulary.Snake(t.Subject), Vocabulary.Snake(t.Predicate), Vocabulary.Snake(t.Object), t.Count)).ToArray()),
        ["tiers"] = new JsonObject(Tiers.Select(t => KeyValuePair.Create(Vocabulary.Snake(t.Tier), (JsonNode?)t.Count))),
    }.ToJsonString();

    /// <summary>Reads what <see cref="ToJson"/> wrote, with the counts from the meta node.</summary>
    public static GraphCatalog Parse(string json, int nodeCount, int edgeCount, int sourceCount)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("the catalog is not a JSON object");
        var categories = Vocabulary.Categories.Select(c => new CategoryCount(c, (int?)root["categories"]?[Vocabulary.Snake(c)] ?? 0)).ToArray();
        var triples = new List<TripleCount>();
        foreach (var t in root["triples"]?.AsArray() ?? [])
        {
            if (t is JsonArray { Count: 4 } a && Vocabulary.TryParse<NodeCategory>((string?)a[0], out var s) && Vocabulary.TryParse<Predicate>((string?)a[1], out var p) &&
                Vocabulary.TryParse<NodeCategory>((string?)a[2], out var o))
                triples.Add(new TripleCount(s, p, o, (int)a[3]!));
            else throw new JsonException($"the catalog has a malformed triple: {t?.ToJsonString()}");
        }
        var tiers = Enum.GetValues<EvidenceTier>().Select(t => new TierCount(t, (int?)root["tiers"]?[Vocabulary.Snake(t)] ?? 0)).ToArray();
        return new GraphCatalog(nodeCount, edgeCount, sourceCount, categories, triples, tiers);
    }
}
