using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpineGraph.Tests.Properties;

/// <summary>A path or query value; <paramref name="Encoded"/> ones go into the URL as they are (percent-encoding tricks).</summary>
public sealed record RequestValue(string Name, string Value, bool Encoded = false)
{
    public string Escaped => Encoded ? Value : Uri.EscapeDataString(Value);
}

/// <summary>One generated request: what FsCheck shows (method, URL, body) when a case fails, and what it shrinks.</summary>
public sealed record GeneratedRequest(
    Operation Operation,
    IReadOnlyList<RequestValue> PathValues,
    IReadOnlyList<RequestValue> Query,
    string? ContentType,
    string? Body,
    bool Clean,
    string? IfNoneMatch = null)
{
    /// <summary>The largest depth of JSON the shrinker takes apart (deeper bodies are only cut in half).</summary>
    private const int ParseDepth = 1000;

    public string Url
    {
        get
        {
            var path = Operation.Path;
            foreach (var v in PathValues) path = path.Replace("{" + v.Name + "}", v.Escaped, StringComparison.Ordinal);
            return Query.Count == 0 ? path : path + "?" + string.Join("&", Query.Select(q => Uri.EscapeDataString(q.Name) + "=" + q.Escaped));
        }
    }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Operation.Method), Url);
        if (IfNoneMatch is not null) message.Headers.TryAddWithoutValidation("If-None-Match", IfNoneMatch);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    public override string ToString()
    {
        var text = $"{Operation.Method} {Url}" + (IfNoneMatch is null ? "" : $"\nIf-None-Match: {IfNoneMatch}");
        if (Body is null) return text;
        var body = Body.Length <= 1500 ? Body : Body[..1500] + $"… ({Body.Length} characters)";
        return $"{text}\nContent-Type: {ContentType ?? "(none)"}\n{body}";
    }

    /// <summary>Smaller requests that may fail the same way: a parameter or a JSON member left out, a value or body cut in half.</summary>
    public IEnumerable<GeneratedRequest> Shrink()
    {
        if (IfNoneMatch is not null) yield return this with { IfNoneMatch = null };
        for (var i = 0; i < Query.Count; i++) yield return this with { Query = Query.Where((_, j) => j != i).ToList(), Clean = false };
        for (var i = 0; i < Query.Count; i++)
            if (Query[i].Value.Length > 1)
                yield return this with { Query = Query.Select((q, j) => j == i ? q with { Value = Half(q.Value) } : q).ToList(), Clean = false };
        for (var i = 0; i < PathValues.Count; i++)
            if (PathValues[i].Value.Length > 1)
                yield return this with { PathValues = PathValues.Select((p, j) => j == i ? p with { Value = Half(p.Value) } : p).ToList(), Clean = false };
        if (Body is null) yield break;
        if (ContentType != "application/json") yield return this with { ContentType = "application/json", Clean = false };
        foreach (var smaller in ShrinkJson(Body)) yield return this with { Body = smaller, Clean = false };
    }

    private static string Half(string s) => s[..(s.Length / 2)];

    private static IEnumerable<string> ShrinkJson(string body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = ParseDepth });
        }
        catch (JsonException)
        {
            root = null;
        }
        if (root is null)
        {
            if (body.Length > 1) yield return Half(body);
            yield break;
        }
        var write = new JsonSerializerOptions { MaxDepth = ParseDepth };
        var count = Members(root).Count;
        // Each member or element (breadth first, the first 60) left out in turn; then each long string cut in half.
        for (var i = 0; i < count; i++)
        {
            var copy = JsonNode.Parse(root.ToJsonString(write), documentOptions: new JsonDocumentOptions { MaxDepth = ParseDepth })!;
            var target = Members(copy)[i];
            if (target.Parent is JsonObject parent) parent.Remove(target.GetPropertyName());
            else if (target.Parent is JsonArray array) array.RemoveAt(target.GetElementIndex());
            yield return copy.ToJsonString(write);
        }
        for (var i = 0; i < count; i++)
        {
            if (Members(root)[i] is not JsonValue v || !v.TryGetValue<string>(out var s) || s.Length <= 8) continue;
            var copy = JsonNode.Parse(root.ToJsonString(write), documentOptions: new JsonDocumentOptions { MaxDepth = ParseDepth })!;
            Members(copy)[i].ReplaceWith(Half(s));
            yield return copy.ToJsonString(write);
        }
    }

    /// <summary>The first 60 members and elements of a document, breadth first (the same order in an identical copy).</summary>
    private static List<JsonNode> Members(JsonNode root)
    {
        var queue = new Queue<JsonNode>([root]);
        var found = new List<JsonNode>();
        while (queue.Count > 0 && found.Count < 60)
        {
            IEnumerable<JsonNode?> children = queue.Dequeue() switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] };
            foreach (var child in children)
                if (child is not null && found.Count < 60)
                {
                    found.Add(child);
                    queue.Enqueue(child);
                }
        }
        return found;
    }
}
