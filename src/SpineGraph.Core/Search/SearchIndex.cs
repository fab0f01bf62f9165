using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using SpineGraph.Core.Embedded;

namespace SpineGraph.Core.Search;

/// <summary>
/// Name, synonym and lay-term index over a fixed set of nodes (<see cref="LexiconNodes"/>), built once.
/// <list type="bullet">
/// <item>Exact: the whole normalized text equals a term ("back spasms" = "back spasm").</item>
/// <item>Prefix: every query word equals a word of the term, the last may be a prefix ("spinal sten").</item>
/// <item>Fuzzy: as prefix, but a word of four or more letters may be one edit away ("stenossis").</item>
/// </list>
/// Lookups touch only the words of the query (a sorted word list, postings, and the words sorted backwards for typos), never every
/// term, so they stay fast as the graph grows. Everything is held in columns of integers and pooled UTF-8, no object
/// per node, term or word, so a compiled snapshot stores the index and opening it maps the columns:
/// <list type="bullet">
/// <item>Terms, numbered in node order then slot order (name, synonyms, lay terms; texts without words are not
/// terms): <see cref="TermNode"/>, <see cref="TermSlot"/> and <see cref="TermWords"/> (how many words).</item>
/// <item>Words: the distinct normalized words of all terms, sorted ordinally, as UTF-8 (<see cref="Words"/>).</item>
/// <item>Postings: the terms holding word w, ascending: <c>PostingTerms[PostingStarts[w] .. PostingStarts[w + 1])</c>.</item>
/// <item>Suffix order: the word numbers sorted by their bytes read backwards, so the words ending with some text are
/// one range (<see cref="SuffixOrder"/>).</item>
/// </list>
/// An exact lookup reads the postings of the query's rarest word and keeps the terms whose words are the query's. A
/// word one edit away (a letter changed, added or two swapped) keeps the query word's first part or its last part
/// whole, so typo candidates come from two ranges: words starting with the first part (word order) and words ending
/// with the last part (suffix order), cut where the two are smallest; no table of deletion variants is kept.
/// </summary>
public sealed class SearchIndex
{
    private const int MaxPrefixWords = 64;
    private const int MaxCandidateTerms = 20_000;
    private const int MinFuzzyLength = 4;

    private readonly LexiconNodes _nodes;

    internal TextPool Words;

    /// <summary>The integer columns, in this order (a compiled snapshot stores them so).</summary>
    internal readonly Col<int>[] Columns = new Col<int>[6];

    internal Col<int> TermNode => Columns[0];
    internal Col<int> TermSlot => Columns[1];
    internal Col<int> TermWords => Columns[2];
    internal Col<int> PostingStarts => Columns[3];
    internal Col<int> PostingTerms => Columns[4];
    internal Col<int> SuffixOrder => Columns[5];

    /// <summary>An index whose columns are filled by <see cref="Build"/> or mapped from a snapshot.</summary>
    internal SearchIndex(LexiconNodes nodes) => _nodes = nodes;

    internal int TermCount => TermNode.Length;

    internal int WordCount => Words.Count;

    /// <summary>Bytes held by the index's columns (whether in managed arrays or a mapped snapshot).</summary>
    internal long Bytes =>
        4L * (Columns.Sum(c => (long)c.Length) + Words.Starts.Length) + Words.Bytes.Length;

    // ================================================================== building

    /// <summary>Terms and their distinct words, tokenized for one range of nodes (words numbered locally).</summary>
    private sealed class Chunk
    {
        public readonly Growable<int> Node = new(), Slot = new(), WordCount = new(), WordEnds = new(), LocalWords = new();
        public readonly Dictionary<string, int> Local = new(StringComparer.Ordinal);
        public readonly List<string> LocalList = [];
    }

    /// <summary>Builds the index: tokenizes every slot of every node (in parallel over ranges of nodes), then numbers the
    /// words in ordinal order, fills the postings and sorts the words backwards (the suffix order).</summary>
    internal static SearchIndex Build(LexiconNodes nodes)
    {
        var n = nodes.Count;
        var chunkCount = Math.Clamp(n / 4096, 1, Environment.ProcessorCount * 8);
        var chunks = new Chunk[chunkCount];
        Parallel.For(0, chunkCount, c =>
        {
            var chunk = new Chunk();
            var to = (int)((long)n * (c + 1) / chunkCount);
            for (var node = (int)((long)n * c / chunkCount); node < to; node++)
            {
                for (int slot = 0, slots = nodes.SlotCount(node); slot < slots; slot++)
                {
                    var tokens = TextNormalizer.Tokens(nodes.Text(node, slot));
                    if (tokens.Count == 0) continue;
                    chunk.Node.Add(node);
                    chunk.Slot.Add(slot);
                    chunk.WordCount.Add(tokens.Count);
                    var first = chunk.LocalWords.Count;
                    foreach (var token in tokens)
                    {
                        if (!chunk.Local.TryGetValue(token, out var local))
                        {
                            chunk.Local[token] = local = chunk.LocalList.Count;
                            chunk.LocalList.Add(token);
                        }
                        // Distinct words per term (terms have few words: a linear check).
                        if (!chunk.LocalWords.Span[first..].Contains(local)) chunk.LocalWords.Add(local);
                    }
                    chunk.WordEnds.Add(chunk.LocalWords.Count);
                }
            }
            chunks[c] = chunk;
        });

        // Number the words globally (first seen), then in ordinal order.
        var global = new Dictionary<string, int>(StringComparer.Ordinal);
        var wordList = new List<string>();
        var localToGlobal = new int[chunkCount][];
        for (var c = 0; c < chunkCount; c++)
        {
            var map = localToGlobal[c] = new int[chunks[c].LocalList.Count];
            for (var i = 0; i < map.Length; i++)
            {
                var w = chunks[c].LocalList[i];
                if (!global.TryGetValue(w, out var g))
                {
                    global[w] = g = wordList.Count;
                    wordList.Add(w);
                }
                map[i] = g;
            }
            chunks[c].Local.Clear();
        }
        global.Clear();
        var words = wordList.ToArray();
        var byOrder = new int[words.Length];
        for (var i = 0; i < byOrder.Length; i++) byOrder[i] = i;
        Array.Sort((string[])words.Clone(), byOrder, StringComparer.Ordinal);
        var rank = new int[words.Length];
        for (var i = 0; i < byOrder.Length; i++) rank[byOrder[i]] = i;

        var termCount = chunks.Sum(c => c.Node.Count);
        var termNode = new int[termCount];
        var termSlot = new int[termCount];
        var termWords = new int[termCount];
        var postingStarts = new int[words.Length + 1];
        var t = 0;
        foreach (var chunk in chunks)
        {
            chunk.Node.Span.CopyTo(termNode.AsSpan(t));
            chunk.Slot.Span.CopyTo(termSlot.AsSpan(t));
            chunk.WordCount.Span.CopyTo(termWords.AsSpan(t));
            t += chunk.Node.Count;
        }
        for (var c = 0; c < chunkCount; c++)
            foreach (var local in chunks[c].LocalWords.Span) postingStarts[rank[localToGlobal[c][local]] + 1]++;
        for (var w = 0; w < words.Length; w++) postingStarts[w + 1] += postingStarts[w];
        var postingTerms = new int[postingStarts[^1]];
        var fill = postingStarts[..^1];
        t = 0;
        for (var c = 0; c < chunkCount; c++)
        {
            var chunk = chunks[c];
            var from = 0;
            for (var k = 0; k < chunk.Node.Count; k++, t++)
            {
                var end = chunk.WordEnds[k];
                for (var i = from; i < end; i++) postingTerms[fill[rank[localToGlobal[c][chunk.LocalWords[i]]]]++] = t;
                from = end;
            }
            chunks[c] = null!;
        }

        var pool = new PoolBuilder(dedup: false, words.Length);
        var sorted = new string[words.Length];
        for (var i = 0; i < words.Length; i++) sorted[i] = words[byOrder[i]];
        foreach (var w in sorted) pool.Add(Encoding.UTF8.GetBytes(w));

        var index = new SearchIndex(nodes) { Words = pool.Build() };
        var suffixOrder = new int[sorted.Length];
        for (var i = 0; i < suffixOrder.Length; i++) suffixOrder[i] = i;
        var wordPool = index.Words;
        Array.Sort(suffixOrder, (a, b) => CompareBackwards(wordPool[a], wordPool[b]));
        (index.Columns[0], index.Columns[1], index.Columns[2]) = (termNode, termSlot, termWords);
        (index.Columns[3], index.Columns[4], index.Columns[5]) = (postingStarts, postingTerms, suffixOrder);
        return index;
    }

    /// <summary>Orders texts by their bytes read from the end (the suffix order).</summary>
    private static int CompareBackwards(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (int i = a.Length - 1, j = b.Length - 1; i >= 0 && j >= 0; i--, j--)
            if (a[i] != b[j]) return a[i].CompareTo(b[j]);
        return a.Length.CompareTo(b.Length);
    }

    // ================================================================== lookups

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
            var node = TermNode[term];
            if (accept is not null && !accept(node)) return;
            if (!best.TryGetValue(node, out var cur) || Better(kind, score, term, cur.Kind, cur.Score, cur.Term))
                best[node] = (kind, score, term, mask);
        }

        foreach (var t in ExactTerms(qTokens)) Offer(t, MatchKind.Exact, 1.0, all);

        // Word-level matching, each query word on its own: per term, which words matched, how well, and how.
        var perTerm = new Dictionary<int, (int Mask, double Sum, bool Fuzzy, bool Prefix)>();
        for (var q = 0; q < qTokens.Count && q < 30; q++)
        {
            var isLast = q == qTokens.Count - 1;
            var termScores = new Dictionary<int, (double Quality, MatchKind Kind)>();
            foreach (var (word, quality, kind) in WordMatches(qTokens[q], allowPrefix: isLast))
            {
                foreach (var t in Postings(word))
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
            var wordCount = TermWords[t];
            // Word quality averaged over the query, scaled by how much of the term the query covers.
            var coverage = Math.Min(1.0, matched / (double)wordCount);
            var score = m.Sum / qTokens.Count * (0.5 + 0.5 * coverage);
            if (m.Mask == all)
            {
                var kind = m.Fuzzy ? MatchKind.Fuzzy : MatchKind.Prefix;
                // All words equal and nothing left over is exact in everything but word order.
                if (kind == MatchKind.Prefix && !m.Prefix && coverage >= 1.0 && qTokens.Count == wordCount)
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
            .ThenBy(x => TermField(x.Value.Term))
            .ThenBy(x => _nodes.NameLength(x.Key))
            .ThenBy(x => x.Key, IdOrder)
            .Take(limit)
            .Select(x => (x.Key, TermText(x.Value.Term), TermField(x.Value.Term), x.Value.Kind, Math.Round(x.Value.Score, 3),
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
        char[]? rented = null;
        Span<char> buffer = stackalloc char[128];
        try
        {
            foreach (var q in TextNormalizer.Tokens(text))
            {
                if (q.Length < MinFuzzyLength) continue;
                for (var w = 0; w < WordCount; w++)
                {
                    // A word's UTF-16 length is at most its UTF-8 length: most words are skipped without decoding.
                    var bytes = Words[w];
                    if (bytes.Length < q.Length - 2) continue;
                    var word = Decode(bytes, ref buffer, ref rented);
                    if (Math.Abs(word.Length - q.Length) > 2) continue;
                    var d = TextNormalizer.EditDistance(q, word, 2);
                    if (d > 2) continue;
                    foreach (var t in Postings(w))
                    {
                        var node = TermNode[t];
                        if (accept is not null && !accept(node)) continue;
                        if (!best.TryGetValue(node, out var cur) || d < cur.Distance || (d == cur.Distance && t < cur.Term)) best[node] = (d, t, q);
                    }
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
        return best
            .OrderBy(x => x.Value.Distance)
            .ThenBy(x => TermField(x.Value.Term))
            .ThenBy(x => _nodes.NameLength(x.Key))
            .ThenBy(x => x.Key, IdOrder)
            .Take(limit)
            .Select(x => (x.Key, TermText(x.Value.Term), TermField(x.Value.Term), MatchKind.Fuzzy, Math.Round(0.5 / (1 + x.Value.Distance), 3),
                (IReadOnlyList<string>)[x.Value.Word]))
            .ToArray();
    }

    /// <summary>Node positions whose name, synonym or lay term equals the text once normalized.</summary>
    public IReadOnlyList<int> ExactNodes(string text) =>
        ExactTerms(TextNormalizer.Tokens(text)).Select(t => TermNode[t]).Distinct().Order().ToArray();

    /// <summary>Terms whose words are exactly these (in order), ascending: the rarest word's postings, checked.</summary>
    private List<int> ExactTerms(List<string> tokens)
    {
        var found = new List<int>();
        if (tokens.Count == 0) return found;
        var rarest = -1;
        foreach (var token in tokens)
        {
            var w = FindWord(token);
            if (w < 0) return found;
            if (rarest < 0 || Postings(w).Length < Postings(rarest).Length) rarest = w;
        }
        foreach (var t in Postings(rarest))
        {
            if (TermWords[t] != tokens.Count) continue;
            if (TextNormalizer.Tokens(TermText(t)).SequenceEqual(tokens, StringComparer.Ordinal)) found.Add(t);
        }
        return found;
    }

    private Comparer<int> IdOrder => Comparer<int>.Create(_nodes.CompareIds);

    private string TermText(int t) => _nodes.Text(TermNode[t], TermSlot[t]);

    private MatchedField TermField(int t) => _nodes.Field(TermNode[t], TermSlot[t]);

    private ReadOnlySpan<int> Postings(int word) => PostingTerms.Span[PostingStarts[word]..PostingStarts[word + 1]];

    private static bool Better(MatchKind k, double s, int t, MatchKind ck, double cs, int ct) =>
        k != ck ? k < ck : s != cs ? s > cs : t < ct;

    /// <summary>Index words matching one query word: itself (1.0), words it is a prefix of (0.8),
    /// words one edit away (0.6).</summary>
    private List<(int Word, double Quality, MatchKind Kind)> WordMatches(string q, bool allowPrefix)
    {
        var result = new List<(int, double, MatchKind)>();
        var seen = new HashSet<int>();
        var exactWord = FindWord(q);
        if (exactWord >= 0)
        {
            result.Add((exactWord, 1.0, MatchKind.Exact));
            seen.Add(exactWord);
        }
        if (allowPrefix && q.Length >= 2)
        {
            var prefix = Encoding.UTF8.GetBytes(q);
            var lo = LowerBound(prefix);
            for (var i = lo; i < WordCount && i < lo + MaxPrefixWords && Words[i].StartsWith(prefix); i++)
                if (seen.Add(i)) result.Add((i, 0.8, MatchKind.Prefix));
        }
        if (q.Length >= MinFuzzyLength)
        {
            foreach (var w in TypoCandidates(q, seen))
                if (seen.Add(w)) result.Add((w, 0.6, MatchKind.Fuzzy));
            // A query word one letter short of an index word ("stenosi") is found above; a word with one letter too
            // many ("stenossis") through the query's deletions.
            foreach (var d in Deletions(q))
                if (FindWord(d) is var w and >= 0 && seen.Add(w))
                    result.Add((w, 0.6, MatchKind.Fuzzy));
        }
        return result;
    }

    /// <summary>
    /// Words not yet seen, as long as <paramref name="q"/> or one letter longer, one edit away (a letter changed, added,
    /// or two neighbours swapped), in the order a table of one-letter deletions finds them: by the first of q's
    /// deletions (then q itself) that is also a deletion of the word, then by word number.
    /// </summary>
    private List<int> TypoCandidates(string q, HashSet<int> seen)
    {
        var bytes = Encoding.UTF8.GetBytes(q);
        // Cut q in two where the words sharing the first part plus those sharing the last part are fewest: the edit
        // lies in one part, so the other is kept whole (a swap across the cut is looked up on its own).
        var (cut, cutAt, fewest) = (0, 0, long.MaxValue);
        for (var m = 1; m < q.Length; m++)
        {
            var at = Encoding.UTF8.GetByteCount(q.AsSpan(0, m));
            var (pFrom, pTo) = Range(bytes.AsSpan(0, at), backwards: false);
            var (sFrom, sTo) = Range(bytes.AsSpan(at), backwards: true);
            if ((long)pTo - pFrom + sTo - sFrom < fewest) (cut, cutAt, fewest) = (m, at, (long)pTo - pFrom + sTo - sFrom);
        }
        var candidates = new HashSet<int>();
        var (from, to) = Range(bytes.AsSpan(0, cutAt), backwards: false);
        for (var i = from; i < to; i++) Consider(i);
        (from, to) = Range(bytes.AsSpan(cutAt), backwards: true);
        for (var i = from; i < to; i++) Consider(SuffixOrder[i]);
        if (q[cut - 1] != q[cut] && FindWord(string.Concat(q.AsSpan(0, cut - 1), [q[cut], q[cut - 1]], q.AsSpan(cut + 1))) is var swapped and >= 0)
            candidates.Add(swapped);

        void Consider(int w)
        {
            // UTF-16 length ≤ UTF-8 length ≤ 3 × UTF-16 length: most words of the wrong length are skipped undecoded.
            var length = Words[w].Length;
            if (length >= q.Length && length <= 3 * (q.Length + 1) && !seen.Contains(w)) candidates.Add(w);
        }

        var found = new List<(int Order, int Word)>();
        var variant = new char[q.Length];
        foreach (var w in candidates)
        {
            var word = Encoding.UTF8.GetString(Words[w]);
            if (word.Length - q.Length is < 0 or > 1 || TextNormalizer.EditDistance(q, word, 1) > 1) continue;
            // Which deletion of q (or q itself, the last) is a deletion of the word first.
            for (var i = 0; i <= q.Length; i++)
            {
                var v = i == q.Length ? q.AsSpan() : Deleted(q, i, variant);
                if (!IsDeletionOf(v, word)) continue;
                found.Add((i, w));
                break;
            }
        }
        found.Sort();
        return [.. found.Select(f => f.Word)];
    }

    private static ReadOnlySpan<char> Deleted(string q, int i, char[] buffer)
    {
        q.AsSpan(0, i).CopyTo(buffer);
        q.AsSpan(i + 1).CopyTo(buffer.AsSpan(i));
        return buffer.AsSpan(0, q.Length - 1);
    }

    /// <summary>The words starting with <paramref name="part"/> (positions in word order) or, backwards, ending with it
    /// (positions in <see cref="SuffixOrder"/>).</summary>
    private (int From, int To) Range(ReadOnlySpan<byte> part, bool backwards)
    {
        var count = WordCount;
        int lo = 0, hi = count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ComparePart(mid, part, backwards) < 0) lo = mid + 1;
            else hi = mid;
        }
        var from = lo;
        hi = count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ComparePart(mid, part, backwards) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return (from, lo);
    }

    /// <summary>Compares the start (or end) of the word at a position with a part as long, as the order sorts them.</summary>
    private int ComparePart(int position, ReadOnlySpan<byte> part, bool backwards)
    {
        if (!backwards)
        {
            var word = Words[position];
            return Utf8Text.Compare(word[..Math.Min(word.Length, part.Length)], part);
        }
        var w = Words[SuffixOrder[position]];
        return CompareBackwards(w[Math.Max(0, w.Length - part.Length)..], part);
    }

    /// <summary>Whether <paramref name="variant"/> is <paramref name="word"/> with one character deleted.</summary>
    private static bool IsDeletionOf(ReadOnlySpan<char> variant, ReadOnlySpan<char> word)
    {
        if (word.Length != variant.Length + 1) return false;
        var p = variant.CommonPrefixLength(word);
        return word[(p + 1)..].SequenceEqual(variant[p..]);
    }

    private static ReadOnlySpan<char> Decode(ReadOnlySpan<byte> bytes, ref Span<char> buffer, ref char[]? rented)
    {
        if (bytes.Length > buffer.Length)
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
            buffer = rented = ArrayPool<char>.Shared.Rent(bytes.Length);
        }
        return buffer[..Encoding.UTF8.GetChars(bytes, buffer)];
    }

    /// <summary>The index of the word, or -1.</summary>
    private int FindWord(string word)
    {
        var bytes = Encoding.UTF8.GetBytes(word);
        var i = LowerBound(bytes);
        return i < WordCount && Words[i].SequenceEqual(bytes) ? i : -1;
    }

    private int LowerBound(ReadOnlySpan<byte> key)
    {
        int lo = 0, hi = WordCount;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Utf8Text.Compare(Words[mid], key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static IEnumerable<string> Deletions(string w)
    {
        for (var i = 0; i < w.Length; i++) yield return string.Concat(w.AsSpan(0, i), w.AsSpan(i + 1));
    }
}
