using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Core;
using SpineGraph.Core.Queries;

namespace SpineGraph.Api.Infrastructure;

/// <summary>
/// Reads and checks query parameters, collecting every problem so one 400 names them all
/// (RFC 9457 problem details with an <c>errors</c> map keyed by parameter name).
/// </summary>
public sealed class QueryParams
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Ok => _errors.Count == 0;

    public void Fail(string parameter, string message) =>
        _errors[parameter] = _errors.TryGetValue(parameter, out var m) ? [.. m, message] : [message];

    public ProblemHttpResult Problem() => TypedResults.Problem(Problems.Validation(_errors));

    public string? Required(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Fail(name, $"'{name}' is required.");
            return null;
        }
        return Text(name, value);
    }

    /// <summary>Free text or an id: trimmed, at most <see cref="Limits.MaxQueryLength"/> characters, no control characters.</summary>
    public string? Text(string name, string? value)
    {
        if (value is null) return null;
        var t = value.Trim();
        if (t.Length == 0) return null;
        if (t.Length > Limits.MaxQueryLength)
        {
            Fail(name, $"'{name}' is {t.Length} characters long; at most {Limits.MaxQueryLength} are allowed.");
            return null;
        }
        if (t.Any(char.IsControl))
        {
            Fail(name, $"'{name}' contains control characters.");
            return null;
        }
        return t;
    }

    public int Limit(string name, int? value, int defaultValue, int max)
    {
        if (value is null) return defaultValue;
        if (value < 1 || value > max)
        {
            Fail(name, $"'{name}' must be between 1 and {max} (default {defaultValue}); got {value}.");
            return defaultValue;
        }
        return value.Value;
    }

    public int Range(string name, int? value, int defaultValue, int min, int max)
    {
        if (value is null) return defaultValue;
        if (value < min || value > max)
        {
            Fail(name, $"'{name}' must be between {min} and {max} (default {defaultValue}); got {value}.");
            return defaultValue;
        }
        return value.Value;
    }

    public T? Enum<T>(string name, string? value) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (Vocabulary.TryParse<T>(value, out var v)) return v;
        Fail(name, $"'{name}' is '{Clip(value)}'; allowed values: {string.Join(", ", Vocabulary.Names<T>())}.");
        return null;
    }

    public EvidenceTier MinTier(string name, string? value) => Enum<EvidenceTier>(name, value) ?? EvidenceTier.T5;

    /// <summary>A comma-separated list of effects, or null for all.</summary>
    public IReadOnlySet<Effect>? Effects(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var set = new HashSet<Effect>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var e = Enum<Effect>(name, part);
            if (e is not null) set.Add(e.Value);
        }
        return set.Count == 0 ? null : set;
    }

    /// <summary>The offset an opaque cursor stands for; the cursor must come from the same graph version
    /// (and, for lists that can only be paged so deep, stay below <paramref name="maxOffset"/>).</summary>
    public int Cursor(string name, string? value, string graphVersion, int maxOffset = int.MaxValue)
    {
        if (string.IsNullOrWhiteSpace(value)) return 0;
        if (PageCursor.TryDecode(value, graphVersion, out var offset) && offset < maxOffset) return offset;
        Fail(name, $"'{name}' is not a cursor from this API for the current graph version; start again without it.");
        return 0;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

/// <summary>Opaque page cursors: the offset of the next page, tied to the graph version.</summary>
public static class PageCursor
{
    public static string? Next(int offset, int count, int total, string graphVersion) =>
        offset + count < total ? Encode(offset + count, graphVersion) : null;

    /// <summary>The next cursor of a list whose total is unknown: only when more items exist and the next
    /// page still starts above the deepest offset allowed.</summary>
    public static string? NextBounded(int offset, int count, bool more, int maxDepth, string graphVersion) =>
        more && offset + count < maxDepth ? Encode(offset + count, graphVersion) : null;

    public static string Encode(int offset, string graphVersion) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{graphVersion}|{offset}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string cursor, string graphVersion, out int offset)
    {
        offset = 0;
        if (cursor.Length > 200) return false;
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            var bar = text.LastIndexOf('|');
            return bar > 0 && text[..bar] == graphVersion && int.TryParse(text[(bar + 1)..], out offset) && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

public static class Problems
{
    public static ProblemDetails Validation(IDictionary<string, string[]> errors) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more query parameters are invalid.",
        Detail = string.Join(" ", errors.SelectMany(e => e.Value)),
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        Extensions = { ["errors"] = errors },
    };

    public static ProblemDetails NodeNotFound(string id) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Node not found.",
        Detail = $"No node has the id '{id}'.",
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        Extensions = { ["id"] = id },
    };

    /// <summary>A parameter that names no node (404), several (400) or one of the wrong category (400).</summary>
    public static ProblemDetails Unresolved(ResolveFailure f) => new()
    {
        Status = f.Kind == ResolveFailureKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
        Title = f.Kind switch
        {
            ResolveFailureKind.NotFound => "Unknown node.",
            ResolveFailureKind.Ambiguous => "Ambiguous node name.",
            _ => "Node of the wrong category.",
        },
        Detail = $"Parameter '{f.Parameter}': {f.Message}",
        Type = f.Kind == ResolveFailureKind.NotFound
            ? "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5"
            : "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        Extensions =
        {
            ["parameter"] = f.Parameter,
            ["value"] = f.Value,
            ["suggestions"] = f.Suggestions.Select(s => new { s.Node.Id, s.Node.Name, category = Vocabulary.Snake(s.Node.Category), matched = s.MatchedText }).ToArray(),
        },
    };
}
