using System.Text.Json;
using System.Text.RegularExpressions;
using SpineGraph.Core;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Trapi;

/// <summary>
/// Reads a TRAPI 1.5 query into a <see cref="PatternQuery"/>: first the body against the TRAPI Query schema (types,
/// required properties, enums, minimum list sizes, no unknown properties where TRAPI forbids them), then our terms
/// (categories, predicates, constraints), the pattern's size, and what the service does not support. Problems are
/// collected per JSON path so one answer names all of them.
/// </summary>
public sealed class TrapiQueryReader
{
    public const string SchemaVersion = "1.5.0";
    public const string BiolinkVersion = "4.4";

    private static readonly NodeCategory[] AllCategories = Enum.GetValues<NodeCategory>();

    /// <summary>Categories by Biolink class (with the broader classes that hold ours) and by our short name.</summary>
    public static readonly IReadOnlyDictionary<string, NodeCategory[]> CategoryTerms = BuildCategoryTerms();

    /// <summary>Predicates by Biolink predicate (with the broader predicates that hold ours) and by our short name.</summary>
    public static readonly IReadOnlyDictionary<string, Predicate[]> PredicateTerms = BuildPredicateTerms();

    public static readonly IReadOnlyList<string> ConstraintIds = ["sg:evidence_tier", "sg:effect", "biolink:knowledge_level", "sg:source"];

    private static readonly string[] Operators = ["==", "===", ">", "<", "matches"];
    private static readonly string[] LogLevels = ["ERROR", "WARNING", "INFO", "DEBUG"];

    // System.Text.Json keeps nulls inside lists and maps whatever the nullable annotations say; they are checked here.
    private const string NullNotAllowed = "null is not allowed here.";

    /// <summary>Options that hold the body to the declared shape: required properties present, no nulls where TRAPI
    /// has none, nesting bounded.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        MaxDepth = 32,
    };

    private readonly Dictionary<string, List<string>> _invalid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _unsupported = new(StringComparer.Ordinal);

    public IDictionary<string, string[]> Invalid => _invalid.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    public IDictionary<string, string[]> UnsupportedFeatures => _unsupported.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    /// <summary>The first size limit the pattern breaks (413), if any: the limit's name and its value.</summary>
    public (string Limit, int Max, string Detail)? TooLarge { get; private set; }

    /// <summary>Describes why a body failed to deserialize, by JSON path and in TRAPI's terms.</summary>
    public static (string Path, string Message) Describe(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var m = e.Message;
        string message;
        if (m.Contains("missing required properties", StringComparison.Ordinal))
        {
            var names = Regex.Matches(m, "'([^']+)'").Select(x => x.Groups[1].Value).Where(n => !n.Contains('.', StringComparison.Ordinal) && !n.StartsWith("Trapi", StringComparison.Ordinal));
            message = $"Required properties are missing: {string.Join(", ", names)}.";
        }
        else if (m.Contains("could not be mapped to any", StringComparison.Ordinal))
            message = $"'{Regex.Match(m, "property '([^']+)'").Groups[1].Value}' is not a property TRAPI defines here.";
        else if (m.Contains("doesn't allow null", StringComparison.Ordinal) || m.Contains("does not allow null", StringComparison.Ordinal))
            message = "null is not allowed here.";
        else if (m.Contains("could not be converted", StringComparison.Ordinal))
            message = "The value has the wrong JSON type for the TRAPI Query schema.";
        else if (m.Contains("maximum configured depth", StringComparison.Ordinal))
            message = $"The JSON nests deeper than {Json.MaxDepth} levels.";
        else
            message = $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).";
        return (path, message);
    }

    /// <summary>The pattern, or null when something is invalid, unsupported or too large (see the properties).</summary>
    public PatternQuery? Read(TrapiQuery query, int limit)
    {
        if (query.LogLevel is { } level && !LogLevels.Contains(level, StringComparer.Ordinal))
            Fail("log_level", $"'{level}' is not a TRAPI log level; use one of {string.Join(", ", LogLevels)}.");
        if (query.Workflow is { } workflow)
            for (var i = 0; i < workflow.Count; i++)
                if (workflow[i] is null) Fail($"workflow[{i}]", NullNotAllowed);
                else if (workflow[i].Id != "lookup")
                    Unsupported($"workflow[{i}].id", $"Only the 'lookup' operation is supported, not '{workflow[i].Id}'.");

        var m = query.Message;
        if (m.KnowledgeGraph is { ValueKind: not JsonValueKind.Null } || m.Results is { ValueKind: not JsonValueKind.Null } ||
            m.AuxiliaryGraphs is { ValueKind: not JsonValueKind.Null })
            Unsupported("message", "A query message holds a query_graph only; knowledge_graph, results and auxiliary_graphs must be absent.");
        var g = m.QueryGraph;
        if (g.Nodes.Count == 0) Fail("message.query_graph.nodes", "The query graph needs at least one node.");
        if (g.Nodes.Count > Limits.PatternNodesMax)
            Large("message.query_graph.nodes", Limits.PatternNodesMax, $"The query graph has {g.Nodes.Count} nodes; at most {Limits.PatternNodesMax} are allowed.");
        if (g.Edges.Count > Limits.PatternEdgesMax)
            Large("message.query_graph.edges", Limits.PatternEdgesMax, $"The query graph has {g.Edges.Count} edges; at most {Limits.PatternEdgesMax} are allowed.");
        if (TooLarge is not null) return null;

        var nodes = new List<PatternNode>();
        foreach (var (key, n) in g.Nodes)
        {
            var path = $"message.query_graph.nodes.{key}";
            Key(path, key);
            if (n is null)
            {
                Fail(path, NullNotAllowed);
                continue;
            }
            if (n.Ids is { } ids)
            {
                if (ids.Count == 0) Fail($"{path}.ids", "'ids' must list at least one id when present.");
                if (ids.Count > Limits.PatternIdsMax)
                    Large($"{path}.ids", Limits.PatternIdsMax, $"'{key}' lists {ids.Count} ids; at most {Limits.PatternIdsMax} are allowed per query node.");
                for (var i = 0; i < ids.Count; i++)
                    if (ids[i] is null) Fail($"{path}.ids[{i}]", NullNotAllowed);
                    else if (ids[i].Length is 0 or > Limits.MaxIdLength)
                        Fail($"{path}.ids[{i}]", $"An id must be 1 to {Limits.MaxIdLength} characters long.");
            }
            var categories = Terms($"{path}.categories", n.Categories, CategoryTerms, "category");
            if (n.SetInterpretation is { } si)
            {
                if (si is not ("BATCH" or "ALL" or "MANY")) Fail($"{path}.set_interpretation", $"'{si}' is not BATCH, ALL or MANY.");
                else if (si != "BATCH") Unsupported($"{path}.set_interpretation", $"Only BATCH is supported, not {si}.");
            }
            if (n.MemberIds is { Count: > 0 }) Unsupported($"{path}.member_ids", "Set queries (member_ids) are not supported.");
            if (n.Constraints is { Count: > 0 }) Unsupported($"{path}.constraints", "Node attribute constraints are not supported; constrain the edges instead.");
            nodes.Add(new PatternNode(key, n.Ids?.Distinct(StringComparer.Ordinal).ToArray(), categories));
        }

        var edges = new List<PatternEdge>();
        foreach (var (key, e) in g.Edges)
        {
            var path = $"message.query_graph.edges.{key}";
            Key(path, key);
            if (e is null)
            {
                Fail(path, NullNotAllowed);
                continue;
            }
            if (!g.Nodes.ContainsKey(e.Subject)) Fail($"{path}.subject", $"'{e.Subject}' is not a node of the query graph.");
            if (!g.Nodes.ContainsKey(e.Object)) Fail($"{path}.object", $"'{e.Object}' is not a node of the query graph.");
            var predicates = Terms($"{path}.predicates", e.Predicates, PredicateTerms, "predicate");
            if (e.KnowledgeType is { } kt && kt != "lookup")
            {
                if (kt == "inferred") Unsupported($"{path}.knowledge_type", "Only 'lookup' is supported: SpineGraph returns the edges it holds, it does not infer new ones.");
                else Fail($"{path}.knowledge_type", $"'{kt}' is not 'lookup' or 'inferred'.");
            }
            if (e.QualifierConstraints is { Count: > 0 }) Unsupported($"{path}.qualifier_constraints", "The graph has no qualifiers; qualifier constraints are not supported.");
            edges.Add(Constrain(new PatternEdge(key, e.Subject, e.Object, predicates), $"{path}.attribute_constraints", e.AttributeConstraints ?? []));
        }

        foreach (var n in nodes)
            if (n.Ids is null && !edges.Any(e => e.Subject == n.Key || e.Object == n.Key))
                Unsupported($"message.query_graph.nodes.{n.Key}", $"'{n.Key}' has no ids and no edges, so it would match every node; give it ids or join it with an edge.");

        return _invalid.Count == 0 && _unsupported.Count == 0 && TooLarge is null ? new PatternQuery(nodes, edges, limit) : null;
    }

    private void Key(string path, string key)
    {
        if (key.Length is 0 or > 64) Fail(path, "Query node and edge keys must be 1 to 64 characters long.");
    }

    private IReadOnlySet<T>? Terms<T>(string path, IReadOnlyList<string>? terms, IReadOnlyDictionary<string, T[]> known, string what) where T : struct, Enum
    {
        if (terms is null) return null;
        if (terms.Count == 0)
        {
            Fail(path, $"A {what} list must hold at least one {what} when present.");
            return null;
        }
        var set = new HashSet<T>();
        for (var i = 0; i < terms.Count; i++)
        {
            if (terms[i] is null) Fail($"{path}[{i}]", NullNotAllowed);
            else if (known.TryGetValue(terms[i], out var values)) set.UnionWith(values);
            else Fail($"{path}[{i}]", $"'{Clip(terms[i])}' is not a {what} of this graph; use one of {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))}.");
        }
        return set;
    }

    /// <summary>Applies each attribute constraint to the edge (all must hold).</summary>
    private PatternEdge Constrain(PatternEdge edge, string path, IReadOnlyList<TrapiAttributeConstraint> constraints)
    {
        for (var i = 0; i < constraints.Count; i++)
        {
            var c = constraints[i];
            var p = $"{path}[{i}]";
            if (c is null)
            {
                Fail(p, NullNotAllowed);
                continue;
            }
            if (!Operators.Contains(c.Operator, StringComparer.Ordinal))
            {
                Fail($"{p}.operator", $"'{Clip(c.Operator)}' is not a TRAPI operator; use one of {string.Join(", ", Operators)}.");
                continue;
            }
            var values = Values($"{p}.value", c.Value);
            if (values is null) continue;
            var negate = c.Not ?? false;
            switch (c.Id)
            {
                case "sg:evidence_tier":
                    edge = edge with { Tiers = Intersect(edge.Tiers, Allowed<EvidenceTier>(p, c.Operator, values, negate, ordered: true)) };
                    break;
                case "sg:effect":
                    edge = edge with { Effects = Intersect(edge.Effects, Allowed<Effect>(p, c.Operator, values, negate, ordered: false)) };
                    break;
                case "biolink:knowledge_level":
                    edge = edge with { Levels = Intersect(edge.Levels, Allowed<KnowledgeLevel>(p, c.Operator, values, negate, ordered: false)) };
                    break;
                case "sg:source":
                    if (c.Operator is not ("==" or "===")) Unsupported($"{p}.operator", "'sg:source' takes '==' (any of the listed source ids) or '===' (one source id), with 'not' to exclude.");
                    else if (negate) edge = edge with { ExcludedSources = Union(edge.ExcludedSources, values) };
                    else edge = edge with { Sources = Intersect(edge.Sources, values.ToHashSet(StringComparer.Ordinal)) };
                    break;
                default:
                    Unsupported($"{p}.id", $"'{Clip(c.Id)}' is not an attribute SpineGraph can constrain; use one of {string.Join(", ", ConstraintIds)}.");
                    break;
            }
        }
        return edge;
    }

    /// <summary>The values of an enum the constraint allows, evaluated on each value's wire name (TRAPI semantics:
    /// a list is any-of; <c>not</c> negates; <c>&lt;</c> and <c>&gt;</c> compare tier numbers).</summary>
    private HashSet<T>? Allowed<T>(string path, string op, IReadOnlyList<string> values, bool negate, bool ordered) where T : struct, Enum
    {
        if (op is ">" or "<" && !ordered)
        {
            Unsupported($"{path}.operator", $"'{op}' compares ordered values; this attribute is a set of names: use '==' or 'matches'.");
            return null;
        }
        Regex[]? patterns = null;
        if (op == "matches")
        {
            try
            {
                patterns = values.Select(v => new Regex(v, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100))).ToArray();
            }
            catch (ArgumentException)
            {
                Fail($"{path}.value", "'matches' needs a valid regular expression.");
                return null;
            }
        }
        int[]? numbers = null;
        if (op is ">" or "<")
        {
            numbers = new int[values.Count];
            for (var i = 0; i < values.Count; i++)
                if (!Vocabulary.TryParse<T>(values[i], out var v))
                {
                    Fail($"{path}.value", $"'{Clip(values[i])}' is not one of {string.Join(", ", Vocabulary.Names<T>())}.");
                    return null;
                }
                else numbers[i] = Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (op is "==" or "===")
        {
            foreach (var v in values)
                if (!Vocabulary.TryParse<T>(v, out _))
                {
                    Fail($"{path}.value", $"'{Clip(v)}' is not one of {string.Join(", ", Vocabulary.Names<T>())}.");
                    return null;
                }
        }

        var allowed = new HashSet<T>();
        foreach (var value in Enum.GetValues<T>())
        {
            var name = Vocabulary.Snake(value);
            var n = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
            var hit = op switch
            {
                "==" => values.Any(v => string.Equals(v.Trim(), name, StringComparison.OrdinalIgnoreCase)),
                "===" => values.Count == 1 && string.Equals(values[0].Trim(), name, StringComparison.OrdinalIgnoreCase),
                ">" => numbers!.Any(x => n > x),
                "<" => numbers!.Any(x => n < x),
                _ => patterns!.Any(r => Matches(r, name)),
            };
            if (hit != negate) allowed.Add(value);
        }
        return allowed;

        static bool Matches(Regex r, string name)
        {
            try
            {
                return r.IsMatch(name);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
    }

    private List<string>? Values(string path, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String) return [value.GetString()!];
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() is > 0 and <= Limits.PatternIdsMax &&
            value.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String))
            return value.EnumerateArray().Select(x => x.GetString()!).ToList();
        Fail(path, $"The value must be a string or a list of 1 to {Limits.PatternIdsMax} strings.");
        return null;
    }

    private static IReadOnlySet<T>? Intersect<T>(IReadOnlySet<T>? a, HashSet<T>? b)
    {
        if (b is null) return a;
        if (a is not null) b.IntersectWith(a);
        return b;
    }

    private static IReadOnlySet<string> Union(IReadOnlySet<string>? a, IEnumerable<string> b)
    {
        var set = new HashSet<string>(b, StringComparer.Ordinal);
        if (a is not null) set.UnionWith(a);
        return set;
    }

    private void Fail(string path, string message) => Add(_invalid, path, message);

    private void Unsupported(string path, string message) => Add(_unsupported, path, message);

    private void Large(string limit, int max, string detail) => TooLarge ??= (limit, max, detail);

    private static void Add(Dictionary<string, List<string>> map, string path, string message)
    {
        if (map.Count >= 50 && !map.ContainsKey(path)) return;
        (map.TryGetValue(path, out var list) ? list : map[path] = []).Add(message);
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";

    private static Dictionary<string, NodeCategory[]> BuildCategoryTerms()
    {
        var terms = new Dictionary<string, NodeCategory[]>(StringComparer.Ordinal)
        {
            ["biolink:NamedThing"] = AllCategories,
            ["biolink:Entity"] = AllCategories,
            ["biolink:BiologicalEntity"] = [NodeCategory.Condition, NodeCategory.Mechanism, NodeCategory.Symptom],
            ["biolink:DiseaseOrPhenotypicFeature"] = [NodeCategory.Condition, NodeCategory.Symptom],
            ["biolink:BiologicalProcessOrActivity"] = [NodeCategory.Mechanism],
            ["biolink:BiologicalProcess"] = [NodeCategory.Mechanism],
            ["biolink:ChemicalOrDrugOrTreatment"] = [NodeCategory.Treatment],
        };
        foreach (var c in AllCategories)
        {
            terms[Vocabulary.Biolink(c)] = [c];
            terms[Vocabulary.Snake(c)] = [c];
        }
        return terms;
    }

    private static Dictionary<string, Predicate[]> BuildPredicateTerms()
    {
        var all = Enum.GetValues<Predicate>();
        var terms = new Dictionary<string, Predicate[]>(StringComparer.Ordinal)
        {
            ["biolink:related_to"] = all,
            ["biolink:related_to_at_instance_level"] = all.Where(p => p != Predicate.SubclassOf).ToArray(),
            ["biolink:related_to_at_concept_level"] = [Predicate.SubclassOf],
            ["biolink:contributes_to"] = [Predicate.Causes],
        };
        foreach (var p in all)
        {
            var biolink = Vocabulary.Biolink(p);
            terms[biolink] = terms.TryGetValue(biolink, out var existing) ? [.. existing, p] : [p];
            terms[Vocabulary.Snake(p)] = [p];
        }
        return terms;
    }
}
