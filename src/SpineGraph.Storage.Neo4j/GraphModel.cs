using System.Collections.Immutable;
using System.Text.Json;
using SpineGraph.Core;

namespace SpineGraph.Storage.Neo4j;

/// <summary>
/// How the graph is stored in Neo4j, in one place: labels, relationship types, property names, and the
/// mapping between model objects and property maps (written by the seeder, read by the store).
/// <list type="bullet">
/// <item><c>(:Node:&lt;Category&gt; {id, category, name, description, synonyms, layTerms, xrefs, treatmentKind?, urgency, urgencyReason?})</c></item>
/// <item><c>-[:&lt;RELATIONSHIP_TYPE&gt; {id, tier (1..5), effect, effectRank (0..3), knowledgeLevel, agentType, claim, context?, publications, primaryKnowledgeSource}]-&gt;</c></item>
/// <item><c>(:Source {id, kind, citation, year?, xrefs, file?, note?})</c></item>
/// <item><c>(:SpineGraphMeta {key: 'graph', version, nodeCount, edgeCount, sourceCount})</c>, written last by the seeder.</item>
/// </list>
/// Labels and types come from <see cref="Vocabulary"/> only. Enum values are stored by their wire (snake_case) names.
/// </summary>
public static class GraphModel
{
    public const string NodeLabel = "Node";
    public const string SourceLabel = "Source";
    public const string MetaLabel = "SpineGraphMeta";
    public const string MetaKey = "graph";

    public static readonly IReadOnlyList<string> NodeProperties =
        ["id", "category", "name", "description", "synonyms", "layTerms", "xrefs", "treatmentKind", "urgency", "urgencyReason"];

    public static readonly IReadOnlyList<string> EdgeProperties =
        ["id", "tier", "effect", "effectRank", "knowledgeLevel", "agentType", "claim", "context", "publications", "primaryKnowledgeSource"];

    public static readonly IReadOnlyList<string> SourceProperties = ["id", "kind", "citation", "year", "xrefs", "file", "note"];

    public static readonly IReadOnlyList<string> MetaProperties = ["key", "version", "nodeCount", "edgeCount", "sourceCount", "catalog", SeedStamp];

    /// <summary>Set by the seeder on every node, source and relationship it writes, and on the meta node when the load
    /// completes: what carries an older stamp is pruned.</summary>
    public const string SeedStamp = "seedStamp";

    /// <summary>Keys of the parameter row maps the seeder sends (<c>row.subject</c>, <c>row.object</c>, <c>row.props</c>):
    /// not stored, but the linter sees <c>row.subject</c> as a property access.</summary>
    public static readonly IReadOnlyList<string> RowKeys = ["subject", "object", "props", "id"];

    /// <summary>Every label used (for the linter's schema).</summary>
    public static IReadOnlyList<string> Labels =>
        [NodeLabel, SourceLabel, MetaLabel, .. Vocabulary.Categories.Select(Vocabulary.Label)];

    /// <summary>Every relationship type used.</summary>
    public static IReadOnlyList<string> RelationshipTypes => Vocabulary.Predicates.Select(Vocabulary.RelationshipType).ToArray();

    /// <summary>Every property key used.</summary>
    public static IReadOnlyList<string> PropertyKeys =>
        NodeProperties.Concat(EdgeProperties).Concat(SourceProperties).Concat(MetaProperties).Distinct().ToArray();


    private static readonly Dictionary<string, Predicate> PredicateByType =
        Vocabulary.Predicates.ToDictionary(Vocabulary.RelationshipType, p => p, StringComparer.Ordinal);

    public static bool TryPredicate(string type, out Predicate predicate) => PredicateByType.TryGetValue(type, out predicate);

    // ------------------------------------------------------------------ model → property maps (seeder)

    public static Dictionary<string, object?> NodeProps(Node n) => new()
    {
        ["id"] = n.Id,
        ["category"] = Vocabulary.Snake(n.Category),
        ["name"] = n.Name,
        ["description"] = n.Description,
        ["synonyms"] = n.Synonyms.ToArray(),
        ["layTerms"] = n.LayTerms.ToArray(),
        ["xrefs"] = n.Xrefs.ToArray(),
        ["treatmentKind"] = n.TreatmentKind is { } k ? Vocabulary.Snake(k) : null,
        ["urgency"] = Vocabulary.Snake(n.Urgency),
        ["urgencyReason"] = n.UrgencyReason,
    };

    public static Dictionary<string, object?> EdgeProps(Edge e) => new()
    {
        ["id"] = e.Id,
        ["tier"] = (int)e.Tier,
        ["effect"] = Vocabulary.Snake(e.Effect),
        ["effectRank"] = (int)e.Effect,
        ["knowledgeLevel"] = Vocabulary.Snake(e.KnowledgeLevel),
        ["agentType"] = Vocabulary.Snake(e.AgentType),
        ["claim"] = e.Claim,
        ["context"] = e.Context,
        ["publications"] = e.Sources.Select(s => s.Id).ToArray(),
        ["primaryKnowledgeSource"] = e.PrimaryKnowledgeSource,
    };

    public static Dictionary<string, object?> SourceProps(Source s) => new()
    {
        ["id"] = s.Id,
        ["kind"] = Vocabulary.Snake(s.Kind),
        ["citation"] = s.Citation,
        ["year"] = s.Year,
        ["xrefs"] = s.Xrefs.ToArray(),
        ["file"] = s.File,
        ["note"] = s.Note,
    };

    // ------------------------------------------------------------------ property maps → model (store)

    public static Node ToNode(JsonElement props) => new(
        Str(props, "id"),
        Enum<NodeCategory>(props, "category"),
        Str(props, "name"),
        Str(props, "description"),
        List(props, "synonyms"),
        List(props, "layTerms"),
        List(props, "xrefs"),
        OptStr(props, "treatmentKind") is { } k ? Parse<TreatmentKind>(k, "treatmentKind") : null,
        OptStr(props, "urgency") is { } u ? Parse<Urgency>(u, "urgency") : Urgency.None,
        OptStr(props, "urgencyReason"));

    /// <summary>An edge from the projection <c>{type, subject, object, props}</c>, its sources looked up by id.</summary>
    public static Edge ToEdge(JsonElement projection, Func<string, Source> source)
    {
        var type = Str(projection, "type");
        if (!TryPredicate(type, out var predicate)) throw Bad($"unknown relationship type '{type}'");
        var p = projection.GetProperty("props");
        return new Edge(
            Str(p, "id"),
            Str(projection, "subject"),
            predicate,
            Str(projection, "object"),
            (EvidenceTier)Int(p, "tier"),
            Enum<Effect>(p, "effect"),
            Enum<KnowledgeLevel>(p, "knowledgeLevel"),
            Enum<AgentType>(p, "agentType"),
            Str(p, "claim"),
            OptStr(p, "context"),
            [.. List(p, "publications").Select(source)],
            Str(p, "primaryKnowledgeSource"));
    }

    public static Source ToSource(JsonElement props) => new(
        Str(props, "id"),
        Enum<SourceKind>(props, "kind"),
        Str(props, "citation"),
        props.TryGetProperty("year", out var y) && y.ValueKind == JsonValueKind.Number ? y.GetInt32() : null,
        List(props, "xrefs"),
        OptStr(props, "file"),
        OptStr(props, "note"));

    internal static string Str(JsonElement o, string name) =>
        OptStr(o, name) ?? throw Bad($"property '{name}' is missing");

    internal static string? OptStr(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static int Int(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (int)v.GetDouble() : throw Bad($"property '{name}' is not a number");

    internal static ImmutableArray<string> List(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind != JsonValueKind.Array) throw Bad($"property '{name}' is not a list");
        return [.. v.EnumerateArray().Select(x => x.GetString() ?? throw Bad($"property '{name}' holds a non-string"))];
    }

    private static T Enum<T>(JsonElement o, string name) where T : struct, System.Enum => Parse<T>(Str(o, name), name);

    /// <summary>A vocabulary enum from a JSON string value (rows of one-hop expansions).</summary>
    public static T Parse<T>(JsonElement value) where T : struct, System.Enum =>
        Parse<T>(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), typeof(T).Name);

    private static T Parse<T>(string s, string name) where T : struct, System.Enum =>
        Vocabulary.TryParse<T>(s, out var v) ? v : throw Bad($"property '{name}' has unknown value '{s}'");

    private static Neo4jProtocolException Bad(string message) =>
        new($"The Neo4j graph does not match SpineGraph's storage model ({message}); reseed it with 'seed'.");
}
