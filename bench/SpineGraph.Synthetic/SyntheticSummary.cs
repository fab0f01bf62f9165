using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpineGraph.Synthetic;

/// <summary>A node picked for benchmarks, with its degree and causal neighbourhood sizes.</summary>
/// <param name="Degree">All edges touching the node, any predicate, either direction.</param>
/// <param name="CausalIn">Incoming causes + has_phenotype edges.</param>
/// <param name="CausalOut">Outgoing causes + has_phenotype edges.</param>
/// <param name="TreatmentIn">Incoming treats / relieves / targets edges.</param>
/// <param name="Upstream">Nodes from which a causal path leads to this node.</param>
/// <param name="Downstream">Nodes a causal path leads to from this node.</param>
public sealed record NodePick(string Id, string Name, int Degree, int CausalIn, int CausalOut, int TreatmentIn, int Upstream, int Downstream);

/// <summary>Two nodes joined by a directed causal path of exactly <see cref="Length"/> edges and by no shorter one.</summary>
public sealed record PathPick(string From, string To, int Length, IReadOnlyList<string> Nodes, IReadOnlyList<string> EdgeIds);

/// <summary>What was generated; written to <c>synthetic.json</c> next to the seed files.</summary>
public sealed record SyntheticSummary(
    string Generator,
    int EdgesRequested,
    ulong Seed,
    int Nodes,
    int Edges,
    int Sources,
    IReadOnlyDictionary<string, int> Categories,
    IReadOnlyDictionary<string, int> Predicates,
    IReadOnlyDictionary<string, int> Signatures,
    IReadOnlyDictionary<string, int> Tiers,
    NodePick HubSymptom,
    NodePick MedianSymptom,
    NodePick HubCondition,
    NodePick MedianCondition,
    PathPick? Path3)
{
    public const string FileName = "synthetic.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static SyntheticSummary FromJson(string json) =>
        JsonSerializer.Deserialize<SyntheticSummary>(json, Options) ?? throw new InvalidDataException("empty summary");

    /// <summary>The summary as text lines for the console.</summary>
    public IEnumerable<string> ToText()
    {
        yield return $"{Nodes} nodes, {Edges} edges, {Sources} sources (requested {EdgesRequested} edges, seed {Seed})";
        yield return "categories: " + string.Join(", ", Categories.Select(kv => $"{kv.Key} {kv.Value}"));
        yield return "predicates: " + string.Join(", ", Predicates.Select(kv => $"{kv.Key} {kv.Value}"));
        yield return "signatures:";
        foreach (var (k, v) in Signatures) yield return $"  {k,-36} {v,10}";
        yield return "tiers: " + string.Join(", ", Tiers.Select(kv => $"{kv.Key} {kv.Value}"));
        yield return Pick("hub symptom", HubSymptom);
        yield return Pick("median symptom", MedianSymptom);
        yield return Pick("hub condition", HubCondition);
        yield return Pick("median condition", MedianCondition);
        yield return Path3 is null
            ? "path3: none found"
            : $"path3: {Path3.From} -> {Path3.To} via {string.Join(" -> ", Path3.Nodes)}";
    }

    private static string Pick(string label, NodePick p) =>
        $"{label + ":",-18} {p.Id} ({p.Name}): degree {p.Degree}, causal in {p.CausalIn} / out {p.CausalOut}, " +
        $"treatment in {p.TreatmentIn}, upstream {p.Upstream}, downstream {p.Downstream}";
}
