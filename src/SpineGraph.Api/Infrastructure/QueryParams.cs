using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SpineGraph.Core;
using SpineGraph.Core.Queries;
using SpineGraph.Core.Traversal;

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

    public string? Required(string name, string? value, int maxLength = Limits.MaxQueryLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Fail(name, $"'{name}' is required.");
            return null;
        }
        return Text(name, value, maxLength);
    }

    /// <summary>Free text or an id: trimmed, at most <paramref name="maxLength"/> characters, no control characters.</summary>
    public string? Text(string name, string? value, int maxLength = Limits.MaxQueryLength)
    {
        if (value is null) return null;
        var t = value.Trim();
        if (t.Length == 0) return null;
        if (t.Length > maxLength)
        {
            Fail(name, $"'{name}' is {t.Length} characters long; at most {maxLength} are allowed.");
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

    /// <summary>A comma-separated set of vocabulary values, or null for no restriction.</summary>
    public IReadOnlySet<T>? Set<T>(string name, string? value) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var set = new HashSet<T>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (Enum<T>(name, part) is { } v) set.Add(v);
        return set.Count == 0 ? null : set;
    }

    /// <summary>One of a fixed set of names (case-insensitive), returned as listed; null when absent or not one of them.</summary>
    public string? OneOf(string name, string? value, IReadOnlyList<string> allowed)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var match = allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null) Fail(name, $"'{name}' is '{Clip(value)}'; allowed values: {string.Join(", ", allowed)}.");
        return match;
    }

    public EvidenceTier MinTier(string name, string? value) => Enum<EvidenceTier>(name, value) ?? EvidenceTier.T5;

    /// <summary>A comma-separated list of effects, or null for all.</summary>
    public IReadOnlySet<Effect>? Effects(string name, string? value) => Set<Effect>(name, value);

    /// <summary>
    /// A page of a list: <c>limit</c> checked against its default and maximum, and the cursor checked to come from
    /// this endpoint with these parameters (<paramref name="binding"/>: the other parameters as given). That the
    /// cursor's graph version is current is checked after validation, with <see cref="Page.IsStale"/>.
    /// </summary>
    public Page Page(string endpoint, IEnumerable<string?> binding, int? limit, string? cursor, int defaultLimit, int maxLimit, int maxOffset = int.MaxValue)
    {
        var take = Limit("limit", limit, defaultLimit, maxLimit);
        var key = PageCursor.Binding(endpoint, binding);
        if (string.IsNullOrWhiteSpace(cursor)) return new Page(endpoint, key, 0, take, null, maxOffset);
        if (PageCursor.TryDecode(cursor, out var c) && c.Endpoint == endpoint && c.Binding == key && c.Offset < maxOffset)
            return new Page(endpoint, key, c.Offset, take, c.Version, maxOffset, c.After);
        Fail("cursor", c.Endpoint is null
            ? "'cursor' is not a cursor from this API; start again without it."
            : c.Endpoint != endpoint || c.Binding != key
                ? "'cursor' belongs to another query (another endpoint or other parameters); start again without it."
                : $"'cursor' pages deeper than this list allows ({maxOffset} items); narrow the query instead.");
        return new Page(endpoint, key, 0, take, null, maxOffset);
    }

    /// <summary>
    /// The end of validation, before any work: the problem naming every bad parameter, else the current graph
    /// version (read from the backend only now), or the problem of a cursor from another graph version.
    /// </summary>
    public async Task<(string Version, ProblemHttpResult? Problem)> CheckAsync(Page page, GraphEngine engine, CancellationToken ct)
    {
        if (!Ok) return ("", Problem());
        var meta = await engine.MetaAsync(ct);
        return (meta.Version, page.IsStale(meta.Version) ? Infrastructure.Page.StaleProblem() : null);
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

/// <summary>A page request: where it starts, how many items, and the graph version its cursor came from (null on the first page).</summary>
public readonly record struct Page(string Endpoint, string Binding, int Offset, int Limit, string? CursorVersion, int MaxOffset, string? After = null)
{
    /// <summary>The cursor of the next page of a keyset-paged list (after the last item's key), or null when none follows.</summary>
    public string? NextAfter(string? lastKey, int count, bool more, string version) =>
        more && lastKey is not null ? PageCursor.Encode(Endpoint, Binding, version, Offset + count, lastKey) : null;

    /// <summary>Whether the cursor came from another graph version (the graph was reseeded since).</summary>
    public bool IsStale(string version) => CursorVersion is not null && CursorVersion != version;

    /// <summary>The cursor of the next page, or null when there is none (or it would page past the deepest offset allowed).</summary>
    public string? Next(int count, bool more, string version) =>
        more && Offset + count < MaxOffset && count > 0 ? PageCursor.Encode(Endpoint, Binding, version, Offset + count) : null;

    public static ProblemHttpResult StaleProblem() => TypedResults.Problem(Problems.Validation(new Dictionary<string, string[]>
    {
        ["cursor"] = ["'cursor' comes from another graph version (the graph changed); start again without it."],
    }));
}

/// <summary>Opaque page cursors: the offset of the next page, bound to the endpoint, its parameters and the graph version.</summary>
public static class PageCursor
{
    public readonly record struct Decoded(string? Endpoint, string? Binding, string? Version, int Offset, string? After);

    /// <summary>A short hash of the endpoint and its parameters as given (trimmed, case-insensitive).</summary>
    public static string Binding(string endpoint, IEnumerable<string?> parameters)
    {
        var text = endpoint + "\n" + string.Join("\n", parameters.Select(v => v?.Trim().ToLowerInvariant() ?? ""));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 8);
    }

    public static string Encode(string endpoint, string binding, string graphVersion, int offset, string? after = null) =>
        B64(Encoding.UTF8.GetBytes($"1|{endpoint}|{binding}|{graphVersion}|{offset}" + (after is null ? "" : "|" + B64(Encoding.UTF8.GetBytes(after)))));

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64(string text)
    {
        var b64 = text.Trim().Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '='));
    }

    public static bool TryDecode(string cursor, out Decoded decoded)
    {
        decoded = default;
        if (cursor.Length > 400) return false;
        try
        {
            var parts = Encoding.UTF8.GetString(FromB64(cursor)).Split('|');
            if (parts.Length is < 5 or > 6 || parts[0] != "1"
                || !int.TryParse(parts[4], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offset))
                return false;
            decoded = new Decoded(parts[1], parts[2], parts[3], offset, parts.Length == 6 ? Encoding.UTF8.GetString(FromB64(parts[5])) : null);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

public static class Problems
{
    public static ProblemDetails Validation(IDictionary<string, string[]> errors, string title = "One or more query parameters are invalid.") => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = title,
        Detail = string.Join(" ", errors.SelectMany(e => e.Value)),
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        Extensions = { ["errors"] = errors },
    };

    /// <summary>A problem with this status, title and detail, and extension members.</summary>
    public static ProblemHttpResult Of(int status, string title, string detail, params (string Key, object? Value)[] extensions)
    {
        var p = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions) p.Extensions[key] = value;
        return TypedResults.Problem(p);
    }

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
