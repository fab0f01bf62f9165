using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpineGraph.Tests.Properties;

/// <summary>An answer as the property sees it.</summary>
public sealed record Answer(int Status, string? MediaType, byte[] Body)
{
    public static async Task<Answer> ReadAsync(HttpResponseMessage response) =>
        new((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());

    public string Text => Encoding.UTF8.GetString(Body);

    public bool IsJson => MediaType is "application/json" or "application/problem+json";

    /// <summary>What must be equal when the same request is sent again: JSON without the members that name the request
    /// (<c>traceId</c>) or the time (<c>timestamp</c>); any other body byte for byte.</summary>
    public string Comparable()
    {
        if (!IsJson) return $"{Status} {MediaType} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Body))}";
        try
        {
            var node = JsonNode.Parse(Body);
            Strip(node);
            return $"{Status} {MediaType} {node?.ToJsonString()}";
        }
        catch (JsonException)
        {
            return $"{Status} {MediaType} {Text}";
        }
    }

    private static void Strip(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            o.Remove("traceId");
            o.Remove("timestamp");
            foreach (var (_, v) in o) Strip(v);
        }
        else if (node is JsonArray a)
            foreach (var v in a) Strip(v);
    }

    public override string ToString() => $"{Status} {MediaType}: {(Text.Length <= 600 ? Text : Text[..600] + "…")}";
}

/// <summary>A generated request whose answer breaks the property.</summary>
public sealed class PropertyViolation(string message) : Exception(message);

/// <summary>The property every answer must have, and a check of JSON against the document's response schemas.</summary>
public static class AnswerChecks
{
    /// <summary>A 2xx the operation documents (a JSON body that parses and matches its schema), a 304, or a 4xx problem
    /// (<c>application/problem+json</c>, <c>status</c> the code, a title and a detail); never a 5xx. Sent again, the same answer.</summary>
    public static void Verify(GeneratedRequest request, Answer first, Answer second)
    {
        var op = request.Operation;
        var a = first;
        if (a.Status >= 500) Fail($"a {a.Status}", a);
        if (a.Status is (>= 300 and < 400) and not 304) Fail($"an unexpected {a.Status}", a);
        if (a.Status == 304 && request.IfNoneMatch is null) Fail("a 304 to a request without If-None-Match", a);
        if (a.Status is >= 400 and < 500)
        {
            if (a.MediaType != "application/problem+json") Fail($"a {a.Status} that is not a problem (application/problem+json)", a);
            var problem = Parse(a);
            if ((int?)problem?["status"] != a.Status) Fail($"a problem whose status is not {a.Status}", a);
            if (string.IsNullOrWhiteSpace((string?)problem!["title"])) Fail("a problem without a title", a);
            if (string.IsNullOrWhiteSpace((string?)problem["detail"])) Fail("a problem without a detail", a);
            if (op.Response(a.Status) is null) Fail($"a {a.Status}, which {op.Key} does not document", a);
        }
        if (a.Status is >= 200 and < 300)
        {
            var declared = op.Response(a.Status) ?? throw new PropertyViolation($"{op.Key} answered {a.Status}, which it does not document.\n{a}");
            if (declared.Count > 0 && (a.MediaType is null || !declared.ContainsKey(a.MediaType)))
                Fail($"a {a.Status} of type {a.MediaType ?? "(none)"}, not one documented ({string.Join(", ", declared.Keys)})", a);
            if (a.MediaType == "application/json" && declared.TryGetValue("application/json", out var schema))
            {
                var errors = new List<string>();
                Schema(op.Document, Parse(a), schema, "$", errors);
                if (errors.Count > 0) Fail("JSON that does not match its schema: " + string.Join("; ", errors.Take(5)), a);
            }
        }
        if (first.Comparable() != second.Comparable())
            throw new PropertyViolation($"The same request answered differently the second time.\nfirst: {first}\nsecond: {second}");
    }

    private static JsonNode? Parse(Answer a)
    {
        try
        {
            return JsonNode.Parse(a.Body);
        }
        catch (JsonException e)
        {
            throw new PropertyViolation($"The body is not JSON ({e.Message}).\n{a}");
        }
    }

    private static void Fail(string what, Answer a) => throw new PropertyViolation($"The answer is {what}.\n{a}");

    /// <summary>Checks a JSON value against an OpenAPI schema: types, required members, undeclared members where
    /// <c>additionalProperties</c> is false, nulls only where <c>nullable</c>, enums, and <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c>.</summary>
    public static void Schema(OpenApiDocument document, JsonNode? value, JsonNode schema, string path, List<string> errors)
    {
        if (errors.Count >= 10) return;
        schema = document.Resolve(schema);
        if (schema["oneOf"] is JsonArray || schema["anyOf"] is JsonArray)
        {
            var branches = (schema["oneOf"] ?? schema["anyOf"])!.AsArray();
            var failures = new List<string>();
            foreach (var branch in branches)
            {
                var e = new List<string>();
                Schema(document, value, branch!, path, e);
                if (e.Count == 0) return;
                failures.Add(e[0]);
            }
            errors.Add($"{path}: matches none of {branches.Count} schemas ({string.Join(" | ", failures)})");
            return;
        }
        foreach (var part in schema["allOf"]?.AsArray() ?? []) Schema(document, value, part!, path, errors);
        if (value is null)
        {
            if ((bool?)schema["nullable"] != true && schema["type"] is not null) errors.Add($"{path}: null, which the schema does not allow");
            return;
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(v => JsonNode.DeepEquals(v, value)))
            errors.Add($"{path}: {value.ToJsonString()} is not one of {allowed.ToJsonString()}");
        var kind = value.GetValueKind();
        switch ((string?)schema["type"])
        {
            case "object" when kind != JsonValueKind.Object:
            case "array" when kind != JsonValueKind.Array:
            case "string" when kind != JsonValueKind.String:
            case "boolean" when kind is not (JsonValueKind.True or JsonValueKind.False):
            case "number" when kind != JsonValueKind.Number:
            case "integer" when kind != JsonValueKind.Number || !decimal.IsInteger(value.GetValue<decimal>()):
                errors.Add($"{path}: {Clip(value.ToJsonString())} is not of type {(string?)schema["type"]}");
                return;
        }
        if (value is JsonObject o)
        {
            var properties = schema["properties"]?.AsObject();
            foreach (var required in schema["required"]?.AsArray() ?? [])
                if (!o.ContainsKey((string)required!)) errors.Add($"{path}: the required member '{required}' is missing");
            foreach (var (name, member) in o)
            {
                var at = path + "." + name;
                if (properties?[name] is { } declared) Schema(document, member, declared, at, errors);
                else if (schema["additionalProperties"] is JsonValue extra && !(bool)extra) errors.Add($"{at}: a member the schema does not declare");
                else if (schema["additionalProperties"] is JsonObject extraSchema) Schema(document, member, extraSchema, at, errors);
            }
        }
        else if (value is JsonArray a && schema["items"] is { } items)
            for (var i = 0; i < a.Count; i++) Schema(document, a[i], items, $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", errors);
    }

    private static string Clip(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
