using System.Collections.Frozen;

namespace SpineGraph.Core.Search;

/// <summary>
/// Name, synonym and lay-term index over a fixed set of nodes, built once.
/// <list type="bullet">
/// <item>Exact: the whole normalized text equals a term ("back spasms" = "back spasm").</item>
/// <item>Prefix: every query word equals a word of the term, the last may be a prefix ("spinal sten").</item>
/// <item>Fuzzy: as prefix, but a word of four or more letters may be one edit away ("stenossis").</item>
/// </list>
/// Lookups touch only the words of the query (hash maps, a sorted word list, a deletion index for
/// typos), never every term, so they stay fast as the graph grows.
/// </summary>
public sealed class SearchIndex
{
    private const int MaxPrefixWords = 64;
    private const int MaxCandidateTerms = 20_000;
    private const int MinFuzzyLength = 4;

    private readonly Node[] _nodes;
    private readonly Term[] _terms;
    private readonly FrozenDictionary<string, int[]> _exact;
    private readonly string[] _words; // sorted ordinal
    private readonly int[][] _postings; // word index → term indices (ascending)
    private readonly FrozenDictionary<string, int> _wordIndex;
    private readonly FrozenDictionary<string, int[]> _deletes; // one-deletion variant → word indices

    private readonly record struct Term(int Node, string Text, MatchedField Field, int WordCount);

    public SearchIndex(IReadOnlyList<Node> nodes)
    {
        _nodes = nodes.ToArray();
        var terms = new List<Term>();
        var termWords = new List<string[]>();
        var exact = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var n = 0; n < _nodes.Length; n++)
        {
            var node = _nodes[n];
            Add(n, node.Name, MatchedField.Name);
            foreach (var s in node.Synonyms) Add(n, s, MatchedField.Synonym);
            foreach (var s in node.LayTerms) Add(n, s, MatchedField.LayTerm);
        }

        void Add(int node, string text, MatchedField field)
        {
            var tokens = TextNormalizer.Tokens(text);
            if (tokens.Count == 0) return;
            var idx = terms.Count;
            terms.Add(new Term(node, text, field, tokens.Count));
            termWords.Add(tokens.Distinct(StringComparer.Ordinal).ToArray());
            var key = string.Join(' ', tokens);
            if (!exact.TryGetValue(key, out var list)) exact[key] = list = [];
            list.Add(idx);
        }

        _terms = terms.ToArray();
        _exact = exact.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

        var words = termWords.SelectMany(w => w).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _words = words;
        _wordIndex = words.Select((w, i) => (w, i)).ToFrozenDictionary(x => x.w, x => x.i, StringComparer.Ordinal);
        var postings = new List<int>[words.Length];
        for (var t = 0; t < termWords.Count; t++)
            foreach (var w in termWords[t])
                (postings[_wordIndex[w]] ??= []).Add(t);
        _postings = postings.Select(p => p.ToArray()).ToArray();

        var deletes = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i].Length < MinFuzzyLength) continue;
            foreach (var d in Deletions(words[i]))
            {
                if (!deletes.TryGetValue(d, out var l)) deletes[d] = l = [];
                if (l.Count == 0 || l[^1] != i) l.Add(i);
            }
        }
        _deletes = deletes.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Node position (in the list given to the constructor) of each hit, best first, with the query words that
    /// matched. Terms matching every query word come first (exact, prefix, typo); then, for queries of several words,
    /// terms matching only some of them (<see cref="MatchKind.Partial"/>), more matched words first.
    /// </summary>
    public IReadOnlyList<(int Node, string Text, MatchedField Field, MatchKind Kind, double Score, IReadOnlyList<string> MatchedWords)> Search(
        string text, Func<int, bool>? accept, int limit)
    {
        var qTokens = TextNormalizer.Tokens(text);
        if (qTokens.Count == 0 || limit <= 0) return [];
        var all = (1 << Math.Min(qTokens.Count, 30)) - 1;

        // Best (kind, score, term, matched words) per node.
        var best = new Dictionary<int, (MatchKind Kind, double Score, int Term, int Mask)>();

        void Offer(int term, MatchKind kind, double score, int mask)
        {
            var node = _terms[term].Node;
            if (accept is not null && !accept(node)) return;
            if (!best.TryGetValue(node, out var cur) || Better(kind, score, term, cur.Kind, cur.Score, cur.Term))
                best[node] = (kind, score, term, mask);
        }

        if (_exact.TryGetValue(string.Join(' ', qTokens), out var exactTerms))
            foreach (var t in exactTerms) Offer(t, MatchKind.Exact, 1.0, all);

        // Word-level matching, each query word on its own: per term, which words matched, how well, and how.
        var perTerm = new Dictionary<int, (int Mask, double Sum, bool Fuzzy, bool Prefix)>();
        for (var q = 0; q < qTokens.Count && q < 30; q++)
        {
            var isLast = q == qTokens.Count - 1;
            var termScores = new Dictionary<int, (double Quality, MatchKind Kind)>();
            foreach (var (word, quality, kind) in WordMatches(qTokens[q], allowPrefix: isLast))
            {
                foreach (var t in _postings[word])
                {
                    if (!termScores.TryGetValue(t, out var cur) || quality > cur.Quality) termScores[t] = (quality, kind);
                    if (termScores.Count >= MaxCandidateTerms) break;
                }
            }
            foreach (var (t, (quality, kind)) in termScores)
            {
                var cur = perTerm.GetValueOrDefault(t);
                perTerm[t] = (cur.Mask | 1 << q, cur.Sum + quality, cur.Fuzzy || kind == MatchKind.Fuzzy, cur.Prefix || kind == MatchKind.Prefix);
            }
        }

        foreach (var (t, m) in perTerm)
        {
            var matched = System.Numerics.BitOperations.PopCount((uint)m.Mask);
            // Word quality averaged over the query, scaled by how much of the term the query covers.
            var coverage = Math.Min(1.0, matched / (double)_terms[t].WordCount);
            var score = m.Sum / qTokens.Count * (0.5 + 0.5 * coverage);
            if (m.Mask == all)
            {
                var kind = m.Fuzzy ? MatchKind.Fuzzy : MatchKind.Prefix;
                // All words equal and nothing left over is exact in everything but word order.
                if (kind == MatchKind.Prefix && !m.Prefix && coverage >= 1.0 && qTokens.Count == _terms[t].WordCount)
                {
                    kind = MatchKind.Exact;
                    score = Math.Min(score, 0.99);
                }
                Offer(t, kind, score, m.Mask);
            }
            else if (qTokens.Count > 1)
            {
                Offer(t, MatchKind.Partial, score, m.Mask);
            }
        }

        return best
            .Select(kv => (kv.Key, kv.Value))
            .OrderBy(x => x.Value.Kind)
            .ThenByDescending(x => System.Numerics.BitOperations.PopCount((uint)x.Value.Mask))
            .ThenByDescending(x => x.Value.Score)
            .ThenBy(x => _terms[x.Value.Term].Field)
            .ThenBy(x => _nodes[x.Key].Name.Length)
            .ThenBy(x => _nodes[x.Key].Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(x => (x.Key, _terms[x.Value.Term].Text, _terms[x.Value.Term].Field, x.Value.Kind, Math.Round(x.Value.Score, 3),
                (IReadOnlyList<string>)qTokens.Where((_, i) => (x.Value.Mask & 1 << i) != 0).ToArray()))
            .ToArray();
    }

    /// <summary>
    /// For a query that found nothing: terms holding a word up to two edits away from a query word of four or more
    /// letters ("stnosiss" → stenosis), closest first, one per node. Scans the word list, which is fine for a
    /// request that has already found nothing.
    /// </summary>
    public IReadOnlyList<(int Node, string Text, MatchedField Field, MatchKind Kind, double Score, IReadOnlyList<string> MatchedWords)> Suggest(
        string text, Func<int, bool>? accept, int limit)
    {
        var best = new Dictionary<int, (int Distance, int Term, string Word)>();
        foreach (var q in TextNormalizer.Tokens(text))
        {
            if (q.Length < MinFuzzyLength) continue;
            for (var w = 0; w < _words.Length; w++)
            {
                if (Math.Abs(_words[w].Length - q.Length) > 2) continue;
                var d = TextNormalizer.EditDistance(q, _words[w], 2);
                if (d > 2) continue;
                foreach (var t in _postings[w])
                {
                    var node = _terms[t].Node;
                    if (accept is not null && !accept(node)) continue;
                    if (!best.TryGetValue(node, out var cur) || d < cur.Distance || (d == cur.Distance && t < cur.Term)) best[node] = (d, t, q);
                }
            }
        }
        return best
            .OrderBy(x => x.Value.Distance)
            .ThenBy(x => _terms[x.Value.Term].Field)
            .ThenBy(x => _nodes[x.Key].Name.Length)
            .ThenBy(x => _nodes[x.Key].Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(x => (x.Key, _terms[x.Value.Term].Text, _terms[x.Value.Term].Field, MatchKind.Fuzzy, Math.Round(0.5 / (1 + x.Value.Distance), 3),
                (IReadOnlyList<string>)[x.Value.Word]))
            .ToArray();
    }

    /// <summary>Node positions whose name, synonym or lay term equals the text once normalized.</summary>
    public IReadOnlyList<int> ExactNodes(string text)
    {
        if (!_exact.TryGetValue(TextNormalizer.Key(text), out var terms)) return [];
        return terms.Select(t => _terms[t].Node).Distinct().Order().ToArray();
    }

    private static bool Better(MatchKind k, double s, int t, MatchKind ck, double cs, int ct) =>
        k != ck ? k < ck : s != cs ? s > cs : t < ct;

    /// <summary>Index words matching one query word: itself (1.0), words it is a prefix of (0.8),
    /// words one edit away (0.6).</summary>
    private List<(int Word, double Quality, MatchKind Kind)> WordMatches(string q, bool allowPrefix)
    {
        var result = new List<(int, double, MatchKind)>();
        var seen = new HashSet<int>();
        if (_wordIndex.TryGetValue(q, out var exactWord))
        {
            result.Add((exactWord, 1.0, MatchKind.Exact));
            seen.Add(exactWord);
        }
        if (allowPrefix && q.Length >= 2)
        {
            var lo = LowerBound(q);
            for (var i = lo; i < _words.Length && i < lo + MaxPrefixWords && _words[i].StartsWith(q, StringComparison.Ordinal); i++)
                if (seen.Add(i)) result.Add((i, 0.8, MatchKind.Prefix));
        }
        if (q.Length >= MinFuzzyLength)
        {
            foreach (var variant in Deletions(q).Append(q))
            {
                if (!_deletes.TryGetValue(variant, out var cands)) continue;
                foreach (var w in cands)
                    if (!seen.Contains(w) && TextNormalizer.EditDistance(q, _words[w], 1) <= 1 && seen.Add(w))
                        result.Add((w, 0.6, MatchKind.Fuzzy));
            }
            // A query word one letter short of an index word ("stenosi") is found above through the
            // index word's deletions; a word with one letter too many ("stenossis") through the query's.
            foreach (var d in Deletions(q))
                if (_wordIndex.TryGetValue(d, out var w) && seen.Add(w))
                    result.Add((w, 0.6, MatchKind.Fuzzy));
        }
        return result;
    }

    private int LowerBound(string prefix)
    {
        int lo = 0, hi = _words.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_words[mid], prefix) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static IEnumerable<string> Deletions(string w)
    {
        for (var i = 0; i < w.Length; i++) yield return string.Concat(w.AsSpan(0, i), w.AsSpan(i + 1));
    }
}
