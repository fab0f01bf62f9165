using System.Globalization;
using System.Text;

namespace SpineGraph.Core.Search;

/// <summary>
/// Turns names and queries into comparable keys: lower case, accents removed, punctuation as
/// spaces, and a light plural stem per word ("spasms" → "spasm", "stenosis" unchanged).
/// </summary>
public static class TextNormalizer
{
    /// <summary>Words of the text, normalized and stemmed.</summary>
    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>(4);
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            var cat = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (cat == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(char.ToLowerInvariant(ch));
            }
            else if (ch == '\'' || ch == '\u2019')
            {
                // "charley's" → "charley": drop apostrophes and a trailing possessive s.
                continue;
            }
            else if (sb.Length > 0)
            {
                tokens.Add(Stem(sb.ToString()));
                sb.Clear();
            }
        }
        if (sb.Length > 0) tokens.Add(Stem(sb.ToString()));
        return tokens;
    }

    /// <summary>The whole text as one key: its tokens joined by single spaces.</summary>
    public static string Key(string text) => string.Join(' ', Tokens(text));

    /// <summary>Drops a plural "s" ("discs", "spasms", "cramps") but keeps "-ss", "-is", "-us" words.</summary>
    public static string Stem(string token)
    {
        if (token.Length > 3 && token[^1] == 's')
        {
            var prev = token[^2];
            if (prev != 's' && prev != 'i' && prev != 'u') return token[..^1];
        }
        return token;
    }

    /// <summary>Optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions),
    /// giving up early once it exceeds <paramref name="max"/>.</summary>
    public static int EditDistance(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max || b.Length > 128) return max + 1;
        var n = a.Length;
        var m = b.Length;
        Span<int> prev2 = stackalloc int[m + 1];
        Span<int> prev = stackalloc int[m + 1];
        Span<int> cur = stackalloc int[m + 1];
        for (var j = 0; j <= m; j++) prev[j] = j;
        for (var i = 1; i <= n; i++)
        {
            cur[0] = i;
            var rowMin = cur[0];
            for (var j = 1; j <= m; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    v = Math.Min(v, prev2[j - 2] + 1);
                cur[j] = v;
                if (v < rowMin) rowMin = v;
            }
            if (rowMin > max) return max + 1;
            var t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
        return prev[m];
    }
}
