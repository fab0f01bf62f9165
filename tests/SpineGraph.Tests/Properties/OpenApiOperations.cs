using System.Text.Json.Nodes;
using SpineGraph.Tests.Api;

namespace SpineGraph.Tests.Properties;

/// <summary>One parameter of an operation as the OpenAPI document declares it; <paramref name="Description"/> is the
/// parameter's, or the schema's, or for "As in FindTreatments." that of the same parameter of the operation it names.</summary>
public sealed record OperationParameter(string Name, string In, bool Required, JsonNode Schema, JsonNode? Example, string Description);

/// <summary>One operation (path and method) of the committed OpenAPI document, with its schemas resolved lazily.</summary>
public sealed record Operation(string Method, string Path, JsonNode Node, OpenApiDocument Document)
{
    public string Key => $"{Method} {Path}";

    public IReadOnlyList<OperationParameter> Parameters =>
        (Node["parameters"]?.AsArray() ?? []).Select(p => Document.Resolve(p!)).Select(p => new OperationParameter(
            (string)p["name"]!, (string)p["in"]!, (bool?)p["required"] ?? false,
            Document.Resolve(p["schema"] ?? new JsonObject()), p["example"], Document.Describe(p))).ToList();

    /// <summary>The request body: its content types, each with its schema and example; none when the operation takes no body.</summary>
    public IReadOnlyList<(string ContentType, JsonNode Schema, JsonNode? Example)> Bodies =>
        Node["requestBody"] is { } body
            ? Document.Resolve(body)["content"]!.AsObject().Select(c => (c.Key, Document.Resolve(c.Value!["schema"] ?? new JsonObject()), c.Value!["example"])).ToList()
            : [];

    /// <summary>The response declared for a status code: its content types and their schemas (empty when it has no body).</summary>
    public IReadOnlyDictionary<string, JsonNode>? Response(int status) =>
        Node["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] is { } r
            ? (Document.Resolve(r)["content"]?.AsObject() ?? []).ToDictionary(c => c.Key, c => c.Value!["schema"] ?? new JsonObject())
            : null;

    public override string ToString() => Key;
}

/// <summary>The committed <c>openapi/v1.json</c>: every operation, and <c>$ref</c> resolution.</summary>
public sealed class OpenApiDocument
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private static readonly Lazy<OpenApiDocument> Committed = new(() => new OpenApiDocument(JsonNode.Parse(File.ReadAllText(OpenApiDocumentTests.CommittedPath))!));

    public static OpenApiDocument Load() => Committed.Value;

    public OpenApiDocument(JsonNode root)
    {
        Root = root;
        Operations = root["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(m => Methods.Contains(m.Key)).Select(m => new Operation(m.Key.ToUpperInvariant(), p.Key, m.Value!, this)))
            .ToList();
    }

    public JsonNode Root { get; }

    public IReadOnlyList<Operation> Operations { get; }

    public Operation Operation(string key) => Operations.Single(o => o.Key == key);

    /// <summary>A parameter's description; one that only refers to another operation ("As in FindTreatments.") is that
    /// operation's description of the parameter of the same name.</summary>
    public string Describe(JsonNode parameter)
    {
        var text = (string?)parameter["description"] ?? (string?)Resolve(parameter["schema"] ?? new JsonObject())["description"] ?? "";
        if (System.Text.RegularExpressions.Regex.Match(text, "^As in (\\w+)\\.?$") is not { Success: true } m) return text;
        var other = Operations.FirstOrDefault(o => (string?)o.Node["operationId"] == m.Groups[1].Value);
        var same = other?.Node["parameters"]?.AsArray().Select(p => Resolve(p!)).FirstOrDefault(p => (string?)p["name"] == (string?)parameter["name"]);
        return same is null ? text : Describe(same);
    }

    /// <summary>The node a <c>$ref</c> points to (followed until it is not one), or the node itself.</summary>
    public JsonNode Resolve(JsonNode node)
    {
        for (var hops = 0; node is JsonObject o && o["$ref"] is JsonValue r; hops++)
        {
            if (hops > 32) throw new InvalidOperationException($"$ref cycle at {r}");
            var reference = (string)r!;
            if (!reference.StartsWith("#/", StringComparison.Ordinal)) throw new NotSupportedException($"Only local $refs are supported, not '{reference}'.");
            node = reference[2..].Split('/').Aggregate((JsonNode?)Root, (n, part) => n?[part.Replace("~1", "/").Replace("~0", "~")])
                ?? throw new InvalidOperationException($"Dangling $ref '{reference}'.");
        }
        return node;
    }
}
