using System.Text;
using System.Text.RegularExpressions;

namespace SpineGraph.Api.Infrastructure;

/// <summary>
/// A conservative check, before a researcher's statement is sent, that it only reads: after string literals,
/// quoted names and comments are blanked out, no write clause (CREATE, MERGE, DELETE, SET, REMOVE, DROP, LOAD CSV,
/// FOREACH, …), no administration or database switch, and no procedure other than a few read-only <c>db.*</c> ones.
/// It may refuse a statement that only reads (a variable named <c>set</c>); it is not the only guard: the statement
/// also runs in Neo4j's READ access mode, where Neo4j itself refuses writes.
/// </summary>
public static partial class ReadOnlyCypher
{
    /// <summary>Why a statement is refused: the clause (as written) and the reason.</summary>
    public sealed record Refusal(string Clause, string Reason);

    private static readonly Dictionary<string, string> Refused = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CREATE"] = "writes to the graph",
        ["MERGE"] = "writes to the graph",
        ["DELETE"] = "writes to the graph",
        ["DETACH"] = "writes to the graph",
        ["SET"] = "writes to the graph",
        ["REMOVE"] = "writes to the graph",
        ["FOREACH"] = "only serves to write",
        ["DROP"] = "changes the schema",
        ["ALTER"] = "administers the database",
        ["RENAME"] = "administers the database",
        ["GRANT"] = "administers the database",
        ["DENY"] = "administers the database",
        ["REVOKE"] = "administers the database",
        ["START"] = "administers the database",
        ["STOP"] = "administers the database",
        ["TERMINATE"] = "administers the database",
        ["ENABLE"] = "administers the database",
        ["DEALLOCATE"] = "administers the database",
        ["REALLOCATE"] = "administers the database",
        ["LOAD"] = "reads files or URLs from the server (LOAD CSV)",
        ["TRANSACTIONS"] = "runs batched write transactions (CALL … IN TRANSACTIONS)",
        ["USE"] = "switches database; statements run on the configured database only",
        ["SHOW"] = "is an administration command; use CALL db.labels() or db.schema.visualization() instead",
        ["EXPLAIN"] = "returns a plan, not rows",
        ["PROFILE"] = "returns a plan, not rows",
    };

    /// <summary>The read-only procedures a statement may call (names are case-insensitive).</summary>
    public static readonly IReadOnlyList<string> Procedures =
    [
        "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization", "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties", "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
    ];

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Word();

    [GeneratedRegex(@"\GCALL\s*(?<name>[A-Za-z_][A-Za-z0-9_.]*)?\s*(?<next>.)?", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Call();

    /// <summary>The first reason to refuse the statement, or null when it only reads.</summary>
    public static Refusal? Check(string statement)
    {
        var text = Blank(statement);
        foreach (Match w in Word().Matches(text))
        {
            // Property keys (n.set), labels and types (:Set), parameters ($set) and map keys ({set: 1}) are not clauses.
            var before = Previous(text, w.Index);
            if (before is '.' or ':' or '$' || Next(text, w.Index + w.Length) == ':') continue;
            if (Refused.TryGetValue(w.Value, out var reason)) return new(w.Value, $"'{w.Value}' {reason}: this endpoint only reads.");
            if (!w.Value.Equals("CALL", StringComparison.OrdinalIgnoreCase)) continue;
            var call = Call().Match(text, w.Index);
            if (call.Groups["name"].Success)
            {
                var name = call.Groups["name"].Value;
                if (!Procedures.Contains(name, StringComparer.OrdinalIgnoreCase))
                    return new($"CALL {name}", $"'CALL {name}' is not allowed: only the read-only procedures {string.Join(", ", Procedures)} may be called.");
            }
            else if (call.Groups["next"].Value is not ("{" or "("))
            {
                return new("CALL", "'CALL' must be followed by a subquery ({ … }) or one of the read-only procedures " + string.Join(", ", Procedures) + ".");
            }
        }
        return null;
    }

    private static char Previous(string text, int index)
    {
        for (var i = index - 1; i >= 0; i--) if (!char.IsWhiteSpace(text[i])) return text[i];
        return '\0';
    }

    private static char Next(string text, int index)
    {
        for (var i = index; i < text.Length; i++) if (!char.IsWhiteSpace(text[i])) return text[i];
        return '\0';
    }

    /// <summary>The statement with the insides of string literals, quoted names (<c>`…`</c>) and comments replaced by
    /// spaces (quotes kept), so that only clauses, names and punctuation remain where they were.</summary>
    public static string Blank(string statement)
    {
        var s = new StringBuilder(statement);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '\'' or '"' or '`')
            {
                for (i++; i < s.Length && s[i] != c; i++)
                {
                    if (s[i] == '\\' && c != '`' && i + 1 < s.Length) s[i++] = ' ';
                    s[i] = ' ';
                }
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                for (; i < s.Length && s[i] != '\n'; i++) s[i] = ' ';
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                s[i] = s[i + 1] = ' ';
                for (i += 2; i < s.Length && !(s[i] == '*' && i + 1 < s.Length && s[i + 1] == '/'); i++) s[i] = ' ';
                if (i < s.Length) s[i] = ' ';
                if (i + 1 < s.Length) s[++i] = ' ';
            }
        }
        return s.ToString();
    }
}
