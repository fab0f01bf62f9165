using System.Globalization;
using System.Text;

namespace SpineGraph.Core.Search;

/// <summary>
/// Turns names and queries into comparable keys: lower case, accents removed, punctuation as
/// spaces, small function words dropped ("elevation of legs" = "elevation legs"), and a light plural
/// stem per word ("spasms" → "spasm", "stenosis" unchanged).
/// </summary>
public static class TextNormalizer
{
    // Latin-1 Supplement and Latin Extended-A letters (U+00C0..U+017F) without their accents. The
    // service runs with invariant globalization, where string.Normalize cannot decompose.
    private const string FoldFrom = "ÀÁÂÃÄÅàáâãäåĀāĂăĄąÇçĆćĈĉĊċČčĎďĐđÈÉÊËèéêëĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħÌÍÎÏìíîïĨĩĪīĬĭĮįİıĴĵĶķĹĺĻļĽľĿŀŁłÑñŃńŅņŇňÒÓÔÕÖØòóôõöøŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųŴŵÝýÿŶŷŸŹźŻżŽž";
    private const string FoldTo = "AAAAAAaaaaaaAaAaAaCcCcCcCcCcDdDdEEEEeeeeEeEeEeEeEeGgGgGgGgHhHhIIIIiiiiIiIiIiIiIiJjKkLlLlLlLlLlNnNnNnNnOOOOOOooooooOoOoOoRrRrRrSsSsSsSsTtTtTtUUUUuuuuUuUuUuUuUuUuWwYyyYyYZzZzZz";
    private static readonly Dictionary<char, char> Fold = FoldFrom.Zip(FoldTo).ToDictionary(p => p.First, p => p.Second);

    private static readonly HashSet<string> StopWords = ["a", "an", "the", "of", "in", "on", "to", "for", "with", "and", "or", "my", "your", "from", "at", "by"];

    /// <summary>Words of the text, normalized and stemmed, without function words (unless that leaves nothing).</summary>
    public static List<string> Tokens(string text)
    {
        var all = Words(text);
        var content = all.Where(t => !StopWords.Contains(t)).ToList();
        return content.Count > 0 ? content : all;
    }

    private static List<string> Words(string text)
    {
        var tokens = new List<string>(4);
        var sb = new StringBuilder(text.Length);
        foreach (var raw in text)
        {
            var ch = Fold.TryGetValue(raw, out var folded) ? folded : raw;
            if (ch == 'ß') { sb.Append("ss"); continue; }
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
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
    public static int EditDistance(string a, string b, int max) => EditDistance(a.AsSpan(), b.AsSpan(), max);

    /// <inheritdoc cref="EditDistance(string, string, int)"/>
    public static int EditDistance(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int max)
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
