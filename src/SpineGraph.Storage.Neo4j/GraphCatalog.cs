using System.Text.Json;
using System.Text.Json.Nodes;
using SpineGraph.Core;

namespace SpineGraph.Storage.Neo4j;

/// <summary>
/// The counts of a <see cref="GraphMeta"/> (per category, per (subject category, predicate, object category) and per
/// tier) as the one JSON property the seeder writes on the meta node, so the store never counts the graph at start.
/// </summary>
public static class GraphCatalog
{
    /// <summary>Compact JSON with our wire names: <c>{"categories":{"condition":3},"triples":[["condition","causes","mechanism",2]],"tiers":{"T1":1}}</c>.</summary>
    public static string ToJson(GraphMeta meta) => new JsonObject
    {
        ["categories"] = new JsonObject(meta.Categories.Select(c => KeyValuePair.Create(Vocabulary.Snake(c.Category), (JsonNode?)c.Count))),
        ["triples"] = new JsonArray(meta.Triples.Select(t => (JsonNode?)new JsonArray(
            Vocabulary.Snake(t.Subject), Vocabulary.Snake(t.Predicate), Vocabulary.Snake(t.Object), t.Count)).ToArray()),
        ["tiers"] = new JsonObject(meta.Tiers.Select(t => KeyValuePair.Create(Vocabulary.Snake(t.Tier), (JsonNode?)t.Count))),
    }.ToJsonString();

    /// <summary>The meta of a graph version from what <see cref="ToJson"/> wrote and the meta node's counts.</summary>
    public static GraphMeta Parse(string json, string version, int nodeCount, int edgeCount, int sourceCount)
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
        return new GraphMeta(version, nodeCount, edgeCount, categories, triples, tiers, sourceCount);
    }
}
