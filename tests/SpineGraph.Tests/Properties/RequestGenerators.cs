using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace SpineGraph.Tests.Properties;

/// <summary>A node of the graph being served.</summary>
public sealed record SeedNode(string Id, string Name, string Category);

/// <summary>Real values of the graph being served, for valid parameters: nodes, source ids, Biolink terms.</summary>
public sealed record SeedValues(IReadOnlyList<SeedNode> Nodes, IReadOnlyList<string> SourceIds, IReadOnlyList<string> Terms)
{
    public IReadOnlyList<string> NodeIds { get; } = Nodes.Select(n => n.Id).ToList();

    public IReadOnlyList<string> NodeNames { get; } = Nodes.Select(n => n.Name).ToList();
}

/// <summary>
/// FsCheck generators for the requests of an operation, built from its OpenAPI parameters and request body schema: valid
/// values (from the schema, its examples and the seed graph) mixed with invalid ones (out of range, wrong type, empty,
/// long, control, zero-width and right-to-left characters, percent-encoding tricks, repeated and unknown parameters),
/// and JSON bodies shaped by the schema, then mutated. A parameter or body it cannot generate is a
/// <see cref="NotSupportedException"/> naming it, so a new kind of parameter fails the tests instead of going unexercised.
/// </summary>
public sealed partial class RequestGenerators(OpenApiDocument document, SeedValues seed)
{
    /// <summary>Strings no schema allows in any useful way: empty, blank, long, control, zero-width, RTL, injection.</summary>
    private static readonly string[] HostileText =
    [
        "", " ", "   ", "\t", "\r\n", "\0", "a\0b", "\u0001", "\u007f", "\u0085", "\u200b", "sg:muscle\u200bspasm", "\ufeffsg:pain",
        "\u202eniap:gs", "\u0645\u0631\u0636", "e\u0301\u0301\u0301", "💥", "𝔰𝔭𝔞𝔰𝔪", "ﷺ", "İ", "ß", "ǅ",
        "../../etc/passwd", "..\\..\\win.ini", "sg:pain' OR '1'='1", "sg:pain\" OR 1=1 --", "') MATCH (n) DETACH DELETE n //",
        "${jndi:ldap://x}", "<script>alert(1)</script>", "%s%s%s%n", "{{7*7}}", "null", "undefined", "NaN", "[]", "{}",
        "sg:", ":", "sg:sg:pain", "SG:PAIN", "a,b,c", ",", ",,", "*", "?", "#", "&", "=", "+",
        new string('a', 199), new string('a', 200), new string('a', 201), new string('x', 3000), string.Concat(Enumerable.Repeat("spasm ", 40)),
    ];

    /// <summary>Values put into the URL as they are: broken or tricky percent-encoding.</summary>
    private static readonly string[] HostileEncoded =
    [
        "%00", "%", "%%", "%2", "%zz", "%FF%FE", "%C0%AF", "%ED%A0%80", "%E2%80%AE", "%EF%BB%BF", "%2e%2e%2f%2e%2e%2f",
        "%252e%252e%252f", "%u0041", "a%2Cb", "%2C", "%20", "+", "%0d%0aX-Injected:%201", "%7B%7D",
    ];

    private static readonly string[] UnknownNames = ["minTeir", "foo", "__proto__", "a[b]", "LIMIT2", "ids[]", "ünïcode", "\u200b", new string('p', 300)];

    private static readonly string[] IntegerTrash =
    [
        "", " ", "ten", "1.5", "1e3", "NaN", "Infinity", "-0", "+5", " 5", "5 ", "0x1F", "\u0663", "1,2", "2147483647",
        "2147483648", "-2147483648", "-2147483649", "99999999999999999999999", "-1", "true", "٣٣",
    ];

    /// <summary><c>If-None-Match</c> values, for the conditional GETs (a 304 is a correct answer to them).</summary>
    private static readonly string?[] EntityTags = ["*", "\"0123456789abcdef01234567\"", "W/\"x\"", "\"\"", "garbage", "\"a\", \"b\"", ",", new string('"', 51)];

    private static readonly string[] KeyPool = ["n0", "n1", "n2", "n3", "e0", "e1", "e2"];

    /// <summary>Generates requests for one operation; throws <see cref="NotSupportedException"/> for a parameter or body it cannot generate.</summary>
    public Gen<GeneratedRequest> For(Operation op)
    {
        var parameters = op.Parameters.Select(p => p.In is "path" or "query"
                ? (Parameter: p, Valid: Valid(op, p).Where(v => p.In != "path" || v.All(PathSegment)), Invalid: Invalid(p).Where(v => p.In != "path" || v.All(PathSegment)))
                : throw new NotSupportedException($"{op.Key}: parameter '{p.Name}' is in '{p.In}'; only path and query parameters can be generated."))
            .ToList();
        var body = Body(op);

        return
            from hostility in Gen.Elements(0, 0, 1, 2)
            from values in Gen.CollectToList(parameters, p => Parameter(p.Parameter, p.Valid, p.Invalid, hostility))
            from extra in hostility == 0 ? Gen.Constant(Absent) : Extra(values.SelectMany(v => v).ToList())
            from content in body is null ? Gen.Constant<(string?, string?, bool)>((null, null, true)) : hostility == 0 ? body.Value.Clean : body.Value.Any
            from ifNoneMatch in hostility == 0 || op.Method != "GET" ? Gen.Constant<string?>(null) : Gen.Frequency((9, Gen.Constant<string?>(null)), (1, Gen.Elements(EntityTags)))
            let all = values.SelectMany(v => v).ToList()
            select new GeneratedRequest(op,
                all.Where(v => op.Parameters.Any(p => p.In == "path" && p.Name == v.Name)).ToList(),
                all.Where(v => !op.Parameters.Any(p => p.In == "path" && p.Name == v.Name)).Concat(extra).ToList(),
                content.Item1, content.Item2, hostility == 0 && content.Item3, ifNoneMatch);
    }

    /// <summary>No value: the parameter is left out.</summary>
    private static readonly IReadOnlyList<RequestValue> Absent = [];

    /// <summary>Whether a value can stand for a path parameter: not empty, <c>.</c> or <c>..</c> (the URL would then name
    /// another resource: <c>/nodes/</c> is <c>/nodes</c>), and no NUL, which the in-process test server refuses to carry
    /// (on Kestrel it is answered before the application; the hostile corpus covers it there).</summary>
    private static bool PathSegment(RequestValue v) =>
        v.Value is not ("" or "." or "..") && !v.Value.Contains('\0') && !(v.Encoded && v.Value.Contains("%00", StringComparison.Ordinal));

    /// <summary>Whether a parameter takes an opaque page cursor (its description points at <c>nextCursor</c>): no valid
    /// value can be made up; the property follows the <c>nextCursor</c> of the answers instead.</summary>
    public static bool IsCursor(OperationParameter p) => p.Description.Contains("nextCursor", StringComparison.Ordinal);

    /// <summary>An unknown parameter, or one of the request's own parameters repeated with another value.</summary>
    private static Gen<IReadOnlyList<RequestValue>> Extra(IReadOnlyList<RequestValue> present) =>
        Gen.Frequency(
            (8, Gen.Constant(Absent)),
            (1, from name in Gen.Elements(UnknownNames) from value in Gen.Elements(HostileText.Append("1")) select (IReadOnlyList<RequestValue>)[new RequestValue(name, value)]),
            (present.Count == 0 ? 0 : 1, from v in Gen.Elements(present.DefaultIfEmpty(new RequestValue("x", "")))
                                         from other in Gen.Elements(HostileText.Append(v.Value))
                                         select (IReadOnlyList<RequestValue>)[v with { Value = other, Encoded = false }]));

    /// <summary>The values sent for one parameter: none (absent), one, or several (a repeated parameter or an exploded array).</summary>
    private static Gen<IReadOnlyList<RequestValue>> Parameter(OperationParameter p, Gen<IReadOnlyList<RequestValue>> valid, Gen<IReadOnlyList<RequestValue>> invalid, int hostility)
    {
        var present = p.In == "path" ? 100 : p.Required ? 100 - 5 * hostility : 50;
        var bad = hostility switch { 0 => 0, 1 => 20, _ => 60 };
        return Gen.Frequency(
            (100 - present, Gen.Constant(Absent)),
            (present * (100 - bad), valid),
            (present * bad, invalid));
    }

    // --- parameter values from their schemas ---

    private Gen<IReadOnlyList<RequestValue>> Valid(Operation op, OperationParameter p)
    {
        var schema = p.Schema;
        if (IsCursor(p)) return Gen.Constant(Absent);
        if (Type(schema) == "array")
        {
            var items = document.Resolve(schema["items"] ?? throw new NotSupportedException($"{op.Key}: array parameter '{p.Name}' declares no items."));
            var item = Scalar(op, p.Name, items, p.Example is JsonArray a ? a.FirstOrDefault() : p.Example, p.Description);
            var max = Math.Max(1, Math.Min((int?)schema["maxItems"] ?? 4, 4));
            var min = Math.Max(1, (int?)schema["minItems"] ?? 1);
            return from n in Gen.Choose(min, Math.Max(min, max))
                   from values in Gen.ListOf(item, n)
                   from exploded in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
                   select exploded
                       ? (IReadOnlyList<RequestValue>)values.Select(v => new RequestValue(p.Name, v)).ToList()
                       : [new RequestValue(p.Name, string.Join(",", values))];
        }
        return Scalar(op, p.Name, schema, p.Example, p.Description).Select(v => (IReadOnlyList<RequestValue>)[new RequestValue(p.Name, v)]);
    }

    /// <summary>A valid value of a scalar schema: an enum member, a number in range, a string from the seed graph or the examples.</summary>
    private Gen<string> Scalar(Operation op, string name, JsonNode schema, JsonNode? example, string? description)
    {
        schema = document.Resolve(schema);
        if (schema["enum"] is JsonArray values) return Gen.Elements(values.Select(v => v!.ToString()).ToArray());
        switch (Type(schema))
        {
            case "integer":
                var (min, max) = Range(schema, description);
                return Gen.Choose(min, max).Select(Invariant);
            case "number":
                return Gen.Choose(0, 10_000).Select(n => (n / 100.0).ToString(CultureInfo.InvariantCulture));
            case "boolean":
                return Gen.Elements("true", "false");
            case "string":
                var candidates = Strings(schema, example, description);
                if (schema["pattern"] is JsonValue pattern)
                {
                    var regex = new Regex((string)pattern!);
                    candidates = candidates.Where(c => regex.IsMatch(c)).ToList();
                }
                var minLength = (int?)schema["minLength"] ?? 0;
                var maxLength = (int?)schema["maxLength"] ?? int.MaxValue;
                candidates = candidates.Where(c => c.Length >= minLength && c.Length <= maxLength).Distinct().ToList();
                if (candidates.Count == 0)
                    throw new NotSupportedException($"{op.Key}: no value of the seed or the document fits parameter '{name}' ({schema.ToJsonString()}).");
                return Gen.Elements(candidates.ToArray());
            default:
                throw new NotSupportedException($"{op.Key}: parameter '{name}' has a schema no generator handles: {schema.ToJsonString()}.");
        }
    }

    /// <summary>The range of an integer: <c>minimum</c> and <c>maximum</c> when the schema declares them; else the bounds
    /// its description states in prose ("1 to 5", "at most 100"); else 0 to 10.</summary>
    private static (int Min, int Max) Range(JsonNode schema, string? description)
    {
        if (schema["minimum"] is not null || schema["maximum"] is not null)
            return ((int)Math.Max((long?)schema["minimum"] ?? -1_000_000, -1_000_000), (int)Math.Min((long?)schema["maximum"] ?? 1_000_000, 1_000_000));
        if (description is not null && ProseRange().Match(description) is { Success: true } r)
            return (int.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(r.Groups[2].Value, CultureInfo.InvariantCulture));
        if (description is not null && ProseMaximum().Match(description) is { Success: true } m)
            return (1, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return (0, 10);
    }

    [GeneratedRegex("\\b(\\d+) to (\\d+)\\b")]
    private static partial Regex ProseRange();

    [GeneratedRegex("\\bat most (\\d+)\\b")]
    private static partial Regex ProseMaximum();

    /// <summary>Strings worth sending to a string parameter: its example, the terms its description quotes, and the seed's
    /// values the description asks for: source ids for a source ("this source id"), else node ids, with the nodes' names
    /// too where it takes names ("id or exact name", "text to find in names"), of the categories it names ("Symptom id") if any.</summary>
    private List<string> Strings(JsonNode schema, JsonNode? example, string? description)
    {
        description ??= (string?)schema["description"] ?? "";
        var own = Quoted(description).ToList();
        if (example is JsonValue e) own.Add(e.ToString());
        if (schema["example"] is JsonValue se) own.Add(se.ToString());
        if (SourceWord().IsMatch(description)) return [.. own, .. seed.SourceIds, .. seed.SourceIds];
        var named = seed.Nodes.Where(n => Regex.IsMatch(description, $"\\b{Regex.Escape(n.Category)}\\b", RegexOptions.IgnoreCase)).ToList();
        var nodes = named.Count > 0 ? named : seed.Nodes;
        IEnumerable<string> names = NameWord().IsMatch(description) ? nodes.SelectMany(n => new[] { n.Name, n.Name.ToLowerInvariant() }) : [];
        // The seed's values several times over, so that quoted terms and examples are a fraction of what is sent.
        return [.. own, .. nodes.Select(n => n.Id), .. nodes.Select(n => n.Id), .. names];
    }

    [GeneratedRegex("\\bsource ids?\\b", RegexOptions.IgnoreCase)]
    private static partial Regex SourceWord();

    [GeneratedRegex("\\bnames?\\b", RegexOptions.IgnoreCase)]
    private static partial Regex NameWord();

    /// <summary>Terms a description quotes in backticks (<c>`sg:source`</c>) or spells in capitals (BATCH), as candidate values.</summary>
    private static IEnumerable<string> Quoted(string? description) =>
        description is null ? [] : BacktickTerm().Matches(description).Select(m => m.Groups[1].Value)
            .Concat(CapitalTerm().Matches(description).Select(m => m.Value));

    [GeneratedRegex("`([^`\\s]{1,60})`")]
    private static partial Regex BacktickTerm();

    [GeneratedRegex("\\b[A-Z]{3,}\\b")]
    private static partial Regex CapitalTerm();

    private Gen<IReadOnlyList<RequestValue>> Invalid(OperationParameter p)
    {
        var schema = p.Schema;
        var typed = new List<string>();
        switch (Type(schema))
        {
            case "integer":
                typed.AddRange(IntegerTrash);
                if (schema["minimum"] is JsonValue lo) typed.Add(((long)lo - 1).ToString(CultureInfo.InvariantCulture));
                if (schema["maximum"] is JsonValue hi) typed.Add(((long)hi + 1).ToString(CultureInfo.InvariantCulture));
                var (min, max) = Range(schema, p.Description);
                typed.AddRange([Invariant(min - 1), Invariant(max + 1)]);
                typed.AddRange(["0", "-1", "-100", "101", "201", "501", "1001", "100000"]);
                break;
            case "array":
                var items = document.Resolve(schema["items"]!);
                var itemValues = items["enum"] is JsonArray ev ? ev.Select(v => v!.ToString()).ToList() : seed.NodeIds.Take(30).ToList();
                var tooMany = (int?)schema["maxItems"] + 1 ?? 30;
                typed.AddRange([string.Join(",", itemValues.Concat(itemValues).Concat(itemValues).Take(Math.Max(tooMany, 3))), ",", "a,,b",
                    (itemValues.FirstOrDefault() ?? "x") + ",", "," + (itemValues.FirstOrDefault() ?? "x"), string.Join(",", Enumerable.Repeat("x", 500))]);
                if ((int?)items["maxLength"] is { } itemMax) typed.Add(new string('i', itemMax + 1));
                if (items["enum"] is JsonArray e) typed.AddRange(e.Select(v => v!.ToString().ToUpperInvariant() + ", " + v));
                break;
            default:
                if (schema["enum"] is JsonArray enumValues)
                    typed.AddRange(enumValues.SelectMany(v => new[] { v!.ToString().ToUpperInvariant(), " " + v, v + "\u200b", v + "," + v }));
                if ((int?)schema["maxLength"] is { } maxLength) typed.Add(new string('m', maxLength + 1));
                break;
        }
        return Gen.Frequency(
                (3, Gen.Elements(typed.Count > 0 ? typed.ToArray() : HostileText).Select(v => new RequestValue(p.Name, v))),
                (3, Gen.Elements(HostileText).Select(v => new RequestValue(p.Name, v))),
                (1, Gen.Elements(HostileEncoded).Select(v => new RequestValue(p.Name, v, Encoded: true))),
                (1, RandomText().Select(v => new RequestValue(p.Name, v))))
            .Select(v => (IReadOnlyList<RequestValue>)[v]);
    }

    /// <summary>Text from a mix of alphabets, symbols, controls and invisible characters, up to 300 characters.</summary>
    private static Gen<string> RandomText()
    {
        var ranges = new (int From, int To)[] { (0x20, 0x7e), (0x00, 0x1f), (0xa0, 0x17f), (0x0590, 0x06ff), (0x200b, 0x200f), (0x202a, 0x202e), (0x3040, 0x30ff), (0x4e00, 0x4e80), (0xfff0, 0xfffd) };
        var ch = from r in Gen.Elements(ranges) from c in Gen.Choose(r.From, r.To) select (char)c;
        return from n in Gen.Frequency((5, Gen.Choose(1, 20)), (1, Gen.Choose(190, 300)))
               from chars in Gen.ArrayOf(ch, n)
               select new string(chars);
    }

    private static string Invariant(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string? Type(JsonNode schema) => (string?)schema["type"];

    // --- JSON bodies ---

    /// <summary>Bodies of an operation that takes one: <c>Clean</c> valid-shaped ones, <c>Any</c> those mixed with mutated and malformed ones.</summary>
    private (Gen<(string?, string?, bool)> Clean, Gen<(string?, string?, bool)> Any)? Body(Operation op)
    {
        var bodies = op.Bodies;
        if (bodies.Count == 0) return null;
        if (bodies.Any(b => b.ContentType != "application/json"))
            throw new NotSupportedException($"{op.Key}: request bodies of type {string.Join(", ", bodies.Select(b => b.ContentType))} cannot be generated; only application/json.");
        var (_, schema, example) = bodies[0];
        var shaped = FromSchema(schema, 0, null);
        var valid = example is null ? shaped : Gen.Frequency((1, Gen.Constant(example).Select(e => (JsonNode?)e.DeepClone())), (1, shaped));
        var json = (string?)"application/json";
        var clean = valid.Select(v => (json, (string?)Serialize(v), true));
        var mutated =
            from start in valid
            from n in Gen.Choose(1, 3)
            from text in Mutate(start, n)
            select (json, (string?)text, false);
        var wrongType =
            from v in valid
            from type in Gen.Elements<string?>(null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", "application/jsonx", "json", "")
            select (type, (string?)Serialize(v), false);
        var malformed = Gen.Elements(MalformedBodies()).Select(b => (json, (string?)b, false));
        return (clean, Gen.Frequency((3, clean), (5, mutated), (1, wrongType), (1, malformed)));
    }

    /// <summary>Bodies that are not JSON, not an object, break JSON's rules, nest deeper than any reader allows, or are huge.</summary>
    private static IEnumerable<string> MalformedBodies() =>
    [
        "", "{", "null", "[]", "\"x\"", "0", "{\"message\":", "\ufeff{}", "{\"message\": NaN}", "{/*c*/\"message\":{}}",
        "{\"message\":{},\"message\":{}}", "{'message':{}}", "\u0000",
        .. new[] { 31, 32, 33, 64, 65, 1000, 10_000 }.SelectMany(depth => new[]
        {
            new string('[', depth) + new string(']', depth),
            string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth),
        }),
        "[" + string.Join(",", Enumerable.Repeat("1", 30_000)) + "]", // 60 KB: under the body limit
        "[" + string.Join(",", Enumerable.Repeat("1", 40_000)) + "]", // 80 KB: over it
    ];

    /// <summary>A JSON value of the schema's shape: required members always, others often; maps keyed from a small pool so
    /// that references between members (an edge's subject and object) meet the keys of sibling maps.</summary>
    private Gen<JsonNode?> FromSchema(JsonNode schema, int depth, string? name)
    {
        schema = document.Resolve(schema);
        var nullable = (bool?)schema["nullable"] == true;
        var gen = NonNull(schema, depth, name);
        return nullable ? Gen.Frequency((1, Gen.Constant<JsonNode?>(null)), (9, gen)) : gen;
    }

    private Gen<JsonNode?> NonNull(JsonNode schema, int depth, string? name)
    {
        if (schema["enum"] is JsonArray values) return Gen.Elements(values.Select(v => v?.DeepClone()).ToArray());
        if (schema["oneOf"] is JsonArray oneOf) return Gen.OneOf(oneOf.Select(s => FromSchema(s!, depth, name)));
        if (schema["anyOf"] is JsonArray anyOf) return Gen.OneOf(anyOf.Select(s => FromSchema(s!, depth, name)));
        var type = Type(schema) ?? (schema["properties"] is not null || schema["additionalProperties"] is not null ? "object" : null);
        if (depth > 8) type = "string";
        switch (type)
        {
            case "object":
                var members = new List<Gen<(string, JsonNode?)?>>();
                var required = (schema["required"]?.AsArray() ?? []).Select(r => (string)r!).ToHashSet();
                foreach (var (key, propertySchema) in schema["properties"]?.AsObject() ?? [])
                {
                    var value = FromSchema(propertySchema!, depth + 1, key).Select(v => ((string, JsonNode?)?)(key, v));
                    members.Add(required.Contains(key) ? value : Gen.Frequency((1, Gen.Constant<(string, JsonNode?)?>(null)), (1, value)));
                }
                var map = schema["additionalProperties"] is JsonObject extra && extra.Count > 0
                    ? from keys in Gen.SubListOf(KeyPool)
                      from vals in Gen.CollectToList(keys, _ => FromSchema(extra, depth + 1, null))
                      select keys.Zip(vals).ToList()
                    : Gen.Constant(new List<(string, JsonNode?)>());
                return from fixedMembers in Gen.CollectToList(members)
                       from mapped in map
                       select (JsonNode?)new JsonObject(fixedMembers.OfType<(string, JsonNode?)>().Concat(mapped)
                           .Select(m => KeyValuePair.Create(m.Item1, m.Item2)));
            case "array":
                var items = schema["items"] ?? new JsonObject();
                return from n in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 3)), (1, Gen.Choose(4, 8)))
                       from list in Gen.ListOf(FromSchema(items, depth + 1, name), n)
                       select (JsonNode?)new JsonArray(list.ToArray());
            case "integer":
                return Gen.Choose(-5, 1200).Select(n => (JsonNode?)JsonValue.Create(n));
            case "number":
                return Gen.Choose(-100, 100).Select(n => (JsonNode?)JsonValue.Create(n / 10.0));
            case "boolean":
                return Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b));
            case "string":
                return Gen.Elements(BodyStrings(schema, name)).Select(s => (JsonNode?)JsonValue.Create(s));
            case null: // any JSON: a term, a number, or a list of terms
                var terms = BodyStrings(schema, name);
                return Gen.Frequency(
                    (4, Gen.Elements(terms).Select(s => (JsonNode?)JsonValue.Create(s))),
                    (1, Gen.Choose(-2, 10).Select(n => (JsonNode?)JsonValue.Create(n))),
                    (2, Gen.ListOf(Gen.Elements(terms), 2).Select(l => (JsonNode?)new JsonArray(l.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()))));
            default:
                throw new NotSupportedException($"A request body schema no generator handles: {schema.ToJsonString()}.");
        }
    }

    /// <summary>Strings for a body member: the terms its description quotes, enum values of the document, and by the
    /// member's name seed ids (<c>ids</c>), Biolink terms (<c>categories</c>, <c>predicates</c>) or keys (<c>subject</c>, <c>object</c>).</summary>
    private string[] BodyStrings(JsonNode schema, string? name)
    {
        var quoted = Quoted((string?)schema["description"]).ToList();
        var pool = name switch
        {
            "ids" or "member_ids" => [.. seed.NodeIds, .. seed.NodeNames.Take(10)],
            "categories" or "predicates" => seed.Terms.ToList(),
            "subject" or "object" => [.. KeyPool, .. KeyPool],
            _ => quoted.Count > 0 ? quoted : [.. seed.Terms.Take(10), .. seed.SourceIds.Take(5), .. _vocabulary.Value],
        };
        return [.. pool, .. quoted, "", "x"];
    }

    /// <summary>Every enum value the document declares (tiers, effects, categories, …).</summary>
    private readonly Lazy<string[]> _vocabulary = new(() => Descendants(document.Root)
        .OfType<JsonObject>().Where(o => o["enum"] is JsonArray).SelectMany(o => o["enum"]!.AsArray().Select(v => v!.ToString())).Distinct().ToArray());

    private static IEnumerable<JsonNode> Descendants(JsonNode node) => node switch
    {
        JsonObject o => o.Where(p => p.Value is not null).SelectMany(p => Descendants(p.Value!)).Prepend(node),
        JsonArray a => a.Where(v => v is not null).SelectMany(v => Descendants(v!)).Prepend(node),
        _ => [node],
    };

    // --- mutations of a valid-shaped body ---

    private const string DeepMarker = "\u0001deep:";

    /// <summary>Mutates a copy of a body <paramref name="count"/> times: a member removed, a value of the wrong type, null, an
    /// unknown member, a list of thousands, or a value nested thousands deep; then writes it out.</summary>
    private Gen<string> Mutate(JsonNode? start, int count)
    {
        Gen<JsonNode?> step(Gen<JsonNode?> current) =>
            from node in current
            from pick in Gen.Choose(0, int.MaxValue - 1)
            from kind in Gen.Choose(0, 6)
            from junk in Gen.Elements(Junk())
            from depth in Gen.Elements(33, 65, 1000, 10_000)
            from many in Gen.Elements(60, 2000, 6000)
            select Apply(node, pick, kind, junk, depth, many);
        var gen = Gen.Constant(start?.DeepClone());
        for (var i = 0; i < count; i++) gen = step(gen);
        return gen.Select(Serialize);
    }

    private JsonNode? Apply(JsonNode? root, int pick, int kind, Func<JsonNode?> junk, int depth, int many)
    {
        root = root?.DeepClone();
        var nodes = root is null ? [] : Descendants(root).ToList();
        if (nodes.Count == 0) return junk();
        var target = nodes[pick % nodes.Count];
        switch (kind)
        {
            case 0 when target.Parent is JsonObject parent: // leave a member out (required ones too)
                parent.Remove(target.GetPropertyName());
                return root;
            case 1 when target.Parent is not null: // a value of another type
                target.ReplaceWith(junk());
                return root;
            case 2 when target.Parent is not null:
                target.ReplaceWith<JsonNode?>(null);
                return root;
            case 3 when target is JsonObject o: // a member no schema declares
                o[o.ContainsKey("unexpected") ? "__proto__" : "unexpected"] = junk();
                return root;
            case 4 when target.Parent is not null: // nested far deeper than any reader allows
                target.ReplaceWith(DeepMarker + depth.ToString(CultureInfo.InvariantCulture));
                return root;
            case 5 when target is JsonArray a: // a huge list
                var first = a.FirstOrDefault()?.DeepClone() ?? JsonValue.Create(seed.NodeIds[0]);
                a.Clear();
                for (var i = 0; i < many; i++) a.Add(first.DeepClone());
                return root;
            case 6 when target is JsonObject map: // many more members than allowed
                for (var i = 0; i < Math.Min(many, 100); i++) map["k" + i.ToString(CultureInfo.InvariantCulture)] = map.FirstOrDefault().Value?.DeepClone();
                return root;
            default:
                return target.Parent is null ? junk() : Apply(root, pick + 1, (kind + 1) % 7, junk, depth, many);
        }
    }

    private Func<JsonNode?>[] Junk() =>
    [
        () => null, () => JsonValue.Create(0), () => JsonValue.Create(-1), () => JsonValue.Create(1e308), () => JsonValue.Create(12345678901234567890m),
        () => JsonValue.Create(""), () => JsonValue.Create("x"), () => JsonValue.Create(true), () => new JsonArray(), () => new JsonObject(),
        () => JsonValue.Create("\u0000\u200b\u202e"), () => JsonValue.Create(new string('z', 5000)), () => new JsonArray(JsonValue.Create(seed.NodeIds[0]), null),
    ];

    /// <summary>Writes a body, expanding the deep-nesting markers into text (no JSON writer nests 10,000 levels).</summary>
    private static string Serialize(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        if (!text.Contains("\\u0001deep:", StringComparison.Ordinal)) return text;
        return DeepValue().Replace(text, m =>
        {
            var depth = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var sb = new StringBuilder(depth * 8);
            for (var i = 0; i < depth; i++) sb.Append(i % 2 == 0 ? "[" : "{\"a\":");
            sb.Append("\"sg:pain\"");
            for (var i = depth - 1; i >= 0; i--) sb.Append(i % 2 == 0 ? "]" : "}");
            return sb.ToString();
        });
    }

    [GeneratedRegex("\"\\\\u0001deep:(\\d+)\"")]
    private static partial Regex DeepValue();
}
