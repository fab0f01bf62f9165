using System.Runtime.InteropServices;
using System.Text;

namespace SpineGraph.Core.Embedded;

/// <summary>
/// Builds an <see cref="EmbeddedGraph"/>'s columns: the nodes and sources at once (they are few), then edges one by
/// one in file order, then <see cref="BuildInto"/> sorts the edges by id and lays out adjacency. Node and source
/// lookups may run on many threads while edges are added on one.
/// </summary>
internal sealed class ColumnBuilder
{
    private readonly EmbeddedGraph _g = new();
    private readonly Dictionary<string, int> _sourceIndex = new(StringComparer.Ordinal);
    private readonly TextPool _sourceIds;
    private readonly int[] _sourceSlots;

    // Edge columns in file order.
    private readonly Growable<int> _subject, _object, _idRef, _claim, _context, _pks, _sourceList;
    private readonly Growable<byte> _predicate, _tier, _effect, _level, _agent;
    private readonly Growable<uint> _hash;
    private readonly PoolBuilder _idText = new(dedup: false), _tokens = new(dedup: true, 16), _text, _lists = new(dedup: true);

    // Every edge id seen, valid or not, for duplicate checks: entry e + 1 for edge e, -(k + 1) for id k of _otherIds.
    private int[] _idSlots;
    private uint[] _idHashes;
    private int _idCount;
    private readonly PoolBuilder _otherIds = new(dedup: false);
    private byte[] _scratch = new byte[256];

    public ColumnBuilder(IEnumerable<Node> nodes, IReadOnlyList<Source> sources, int edgeCapacity)
    {
        edgeCapacity = Math.Max(edgeCapacity, 16);
        var sorted = nodes.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var n = sorted.Length;
        _g.NodeCount = n;
        var ids = new PoolBuilder(dedup: false, n);
        var text = new PoolBuilder(dedup: true, n * 2);
        var categories = new byte[n];
        var urgencies = new byte[n];
        var kinds = new byte[n];
        var names = new int[n];
        var descriptions = new int[n];
        var reasons = new int[n];
        var termStarts = new int[3 * n + 1];
        var terms = new Growable<int>(n);
        for (var i = 0; i < n; i++)
        {
            var node = sorted[i];
            ids.Add(Encoding.UTF8.GetBytes(node.Id));
            categories[i] = (byte)node.Category;
            urgencies[i] = (byte)node.Urgency;
            kinds[i] = node.TreatmentKind is { } k ? (byte)k : EmbeddedGraph.NoKind;
            names[i] = text.Add(Encoding.UTF8.GetBytes(node.Name));
            descriptions[i] = text.Add(Encoding.UTF8.GetBytes(node.Description));
            reasons[i] = node.UrgencyReason is { } r ? text.Add(Encoding.UTF8.GetBytes(r)) : -1;
            var lists = new[] { node.Synonyms, node.LayTerms, node.Xrefs };
            for (var l = 0; l < 3; l++)
            {
                foreach (var t in lists[l]) terms.Add(text.Add(Encoding.UTF8.GetBytes(t)));
                termStarts[3 * i + l + 1] = terms.Count;
            }
        }
        _g.NodeIds = ids.Build();
        _g.NodeText = text.Build();
        _g.NodeCategories = categories;
        _g.NodeUrgencies = urgencies;
        _g.NodeKinds = kinds;
        _g.NodeNames = names;
        _g.NodeDescriptions = descriptions;
        _g.NodeReasons = reasons;
        _g.NodeTermStarts = termStarts;
        _g.NodeTerms = terms.ToArray();
        _g.NodeSlots = Table(n, i => Utf8Text.Hash(_g.NodeIds[i]));
        var byCategory = Enumerable.Range(0, n).OrderBy(i => categories[i]).ToArray(); // stable: id order within a category
        var starts = new int[Vocabulary.Categories.Count + 1];
        foreach (var c in categories) starts[c + 1]++;
        for (var c = 1; c < starts.Length; c++) starts[c] += starts[c - 1];
        _g.CategoryNodes = byCategory;
        _g.CategoryStarts = starts;

        _g.SourceArray = [.. sources];
        var sourceIds = new PoolBuilder(dedup: false, sources.Count);
        for (var i = 0; i < sources.Count; i++)
        {
            _sourceIndex[sources[i].Id] = i;
            sourceIds.Add(Encoding.UTF8.GetBytes(sources[i].Id));
        }
        _sourceIds = sourceIds.Build();
        _sourceSlots = Table(sources.Count, i => Utf8Text.Hash(_sourceIds[i]));

        _subject = new(edgeCapacity);
        _object = new(edgeCapacity);
        _idRef = new(edgeCapacity);
        _claim = new(edgeCapacity);
        _context = new(edgeCapacity);
        _pks = new(edgeCapacity);
        _sourceList = new(edgeCapacity);
        _predicate = new(edgeCapacity);
        _tier = new(edgeCapacity);
        _effect = new(edgeCapacity);
        _level = new(edgeCapacity);
        _agent = new(edgeCapacity);
        _hash = new(edgeCapacity);
        _text = new(dedup: true, edgeCapacity);
        _idSlots = new int[Utf8Text.TableSize(edgeCapacity)];
        _idHashes = new uint[_idSlots.Length];
    }

    private static int[] Table(int count, Func<int, uint> hash)
    {
        var slots = new int[Utf8Text.TableSize(count)];
        var mask = slots.Length - 1;
        for (var i = 0; i < count; i++)
        {
            var s = (int)hash(i) & mask;
            while (slots[s] != 0) s = (s + 1) & mask;
            slots[s] = i + 1;
        }
        return slots;
    }

    public int EdgeCount => _subject.Count;

    /// <summary>The node with this UTF-8 id, or -1 (thread-safe).</summary>
    public int FindNode(ReadOnlySpan<byte> id) => _g.FindNode(id);

    public NodeCategory CategoryOf(int node) => _g.CategoryOf(node);

    /// <summary>The source with this UTF-8 id, or -1 (thread-safe).</summary>
    public int FindSource(ReadOnlySpan<byte> id)
    {
        var mask = _sourceSlots.Length - 1;
        for (var s = (int)Utf8Text.Hash(id) & mask; ; s = (s + 1) & mask)
        {
            var entry = _sourceSlots[s];
            if (entry == 0) return -1;
            if (_sourceIds[entry - 1].SequenceEqual(id)) return entry - 1;
        }
    }

    // ------------------------------------------------------------------ edge ids

    private ReadOnlySpan<byte> IdBytes(int entry)
    {
        if (entry < 0) return _otherIds[-entry - 1];
        var e = entry - 1;
        var r = _idRef[e];
        if (r >= 0) return _idText[r];
        var s = _g.NodeIds[_subject[e]];
        var o = _g.NodeIds[_object[e]];
        var t = _tokens[-r - 1];
        var length = EmbeddedGraph.CanonicalLength(s.Length, t.Length, o.Length);
        if (_scratch.Length < length) _scratch = new byte[length * 2];
        return _scratch.AsSpan(0, EmbeddedGraph.WriteCanonicalId(_scratch, s, t, o));
    }

    /// <summary>Whether an edge id was seen before (on any line, valid or not).</summary>
    public bool IsTaken(ReadOnlySpan<byte> id, uint hash)
    {
        var mask = _idSlots.Length - 1;
        for (var s = (int)hash & mask; ; s = (s + 1) & mask)
        {
            var entry = _idSlots[s];
            if (entry == 0) return false;
            if (_idHashes[s] == hash && IdBytes(entry).SequenceEqual(id)) return true;
        }
    }

    private void Register(int entry, uint hash)
    {
        if ((_idCount + 1) * 3 > _idSlots.Length * 2)
        {
            var (slots, hashes) = (_idSlots, _idHashes);
            _idSlots = new int[slots.Length * 2];
            _idHashes = new uint[slots.Length * 2];
            for (var s = 0; s < slots.Length; s++)
                if (slots[s] != 0) Place(slots[s], hashes[s]);
        }
        Place(entry, hash);
        _idCount++;
    }

    private void Place(int entry, uint hash)
    {
        var mask = _idSlots.Length - 1;
        var s = (int)hash & mask;
        while (_idSlots[s] != 0) s = (s + 1) & mask;
        _idSlots[s] = entry;
        _idHashes[s] = hash;
    }

    /// <summary>Registers the id of a line that is not (yet) an edge; false if it was taken.</summary>
    public bool AddOtherId(string id)
    {
        var bytes = Encoding.UTF8.GetBytes(id);
        var hash = Utf8Text.Hash(bytes);
        if (IsTaken(bytes, hash)) return false;
        Register(-(_otherIds.Add(bytes) + 1), hash);
        return true;
    }

    // ------------------------------------------------------------------ edges

    /// <summary>A valid edge, as UTF-8 and indices; the caller has checked that its id is not taken.</summary>
    public void AddEdge(ReadOnlySpan<byte> id, uint idHash, int subject, int obj, Predicate predicate, EvidenceTier tier, Effect effect,
        KnowledgeLevel level, AgentType agent, ReadOnlySpan<byte> claim, uint claimHash, ReadOnlySpan<byte> context, bool hasContext,
        ReadOnlySpan<byte> pks, ReadOnlySpan<int> sources, bool registerId = true)
    {
        var e = _subject.Count;
        _subject.Add(subject);
        _object.Add(obj);
        _predicate.Add((byte)predicate);
        _tier.Add((byte)tier);
        _effect.Add((byte)effect);
        _level.Add((byte)level);
        _agent.Add((byte)agent);
        _idRef.Add(Canonical(id, subject, obj) is var t and >= 0 ? -(t + 1) : _idText.Add(id));
        _claim.Add(_text.Add(claim, claimHash));
        _context.Add(hasContext ? _text.Add(context) : -1);
        _pks.Add(_text.Add(pks));
        _sourceList.Add(_lists.Add(MemoryMarshal.AsBytes(sources)));
        _hash.Add(idHash);
        if (registerId) Register(e + 1, idHash);
    }

    /// <summary>An edge from the lists; its id is registered (the lists hold no duplicates).</summary>
    public void AddEdge(Edge edge)
    {
        var id = Encoding.UTF8.GetBytes(edge.Id);
        var claim = Encoding.UTF8.GetBytes(edge.Claim);
        Span<int> sources = stackalloc int[edge.Sources.Length];
        for (var i = 0; i < sources.Length; i++) sources[i] = _sourceIndex[edge.Sources[i].Id];
        AddEdge(id, Utf8Text.Hash(id), FindNode(Encoding.UTF8.GetBytes(edge.Subject)), FindNode(Encoding.UTF8.GetBytes(edge.Object)),
            edge.Predicate, edge.Tier, edge.Effect, edge.KnowledgeLevel, edge.AgentType, claim, Utf8Text.Hash(claim),
            edge.Context is null ? default : Encoding.UTF8.GetBytes(edge.Context), edge.Context is not null,
            Encoding.UTF8.GetBytes(edge.PrimaryKnowledgeSource), sources, registerId: !IsTaken(id, Utf8Text.Hash(id)));
    }

    /// <summary>The token number when the id is <c>sg:e-{subject}--{token}--{object}</c> with a token of [a-z0-9_], else -1.</summary>
    private int Canonical(ReadOnlySpan<byte> id, int subject, int obj)
    {
        var sid = _g.NodeIds[subject];
        var oid = _g.NodeIds[obj];
        if (!IsKebabId(sid) || !IsKebabId(oid) || !id.StartsWith("sg:e-"u8)) return -1;
        var s = sid[3..];
        var o = oid[3..];
        var rest = id[5..];
        if (!rest.StartsWith(s) || !rest[s.Length..].StartsWith("--"u8)) return -1;
        rest = rest[(s.Length + 2)..];
        if (!rest.EndsWith(o) || rest.Length < o.Length + 3 || !rest[..^o.Length].EndsWith("--"u8)) return -1;
        var token = rest[..^(o.Length + 2)];
        foreach (var b in token)
            if (b is not ((>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_')) return -1;
        if (_tokens.Count == 255 && !HasToken(token)) return -1;
        return _tokens.Add(token);
    }

    /// <summary><c>sg:</c> then [a-z0-9]+ joined by single dashes (what the seed requires of node ids).</summary>
    private static bool IsKebabId(ReadOnlySpan<byte> id)
    {
        if (!id.StartsWith("sg:"u8) || id.Length == 3) return false;
        var previous = (byte)'-';
        foreach (var b in id[3..])
        {
            if (b == '-' && previous == '-') return false;
            if (b is not ((>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-')) return false;
            previous = b;
        }
        return previous != '-';
    }

    private bool HasToken(ReadOnlySpan<byte> token)
    {
        for (var i = 0; i < _tokens.Count; i++)
            if (_tokens[i].SequenceEqual(token)) return true;
        return false;
    }

    // ------------------------------------------------------------------ build

    /// <summary>Sorts the edges by id and fills the graph's columns.</summary>
    public EmbeddedGraph BuildInto(EmbeddedGraph? target = null)
    {
        var g = target ?? _g;
        if (!ReferenceEquals(g, _g)) CopyNodes(_g, g);
        var order = SortedEdgeOrder();
        var m = order.Length;
        g.EdgeCount = m;
        g.EdgeSubject = Permute(_subject.Span, order);
        g.EdgeObject = Permute(_object.Span, order);
        g.EdgePredicates = Permute(_predicate.Span, order);
        g.EdgeTiers = Permute(_tier.Span, order);
        g.EdgeEffects = Permute(_effect.Span, order);
        g.EdgeLevels = Permute(_level.Span, order);
        g.EdgeAgents = Permute(_agent.Span, order);
        g.EdgeIds = Permute(_idRef.Span, order);
        g.EdgeClaims = Permute(_claim.Span, order);
        g.EdgeContexts = Permute(_context.Span, order);
        g.EdgeKnowledgeSources = Permute(_pks.Span, order);
        g.EdgeSourceLists = Permute(_sourceList.Span, order);
        g.EdgeIdText = _idText.Build();
        g.IdTokens = _tokens.Build();
        g.EdgeText = _text.Build();
        var lists = _lists.Build();
        g.SourceListItems = MemoryMarshal.Cast<byte, int>(lists.Bytes.Span).ToArray();
        g.SourceListStarts = lists.Starts.Span.ToArray().Select(b => b / sizeof(int)).ToArray();
        var hashes = Permute(_hash.Span, order);
        g.EdgeSlots = Table(m, e => hashes[e]);
        (g.OutStart, g.OutEdges) = Csr(g, g.EdgeSubject.Span, g.EdgePredicates.Span);
        (g.InStart, g.InEdges) = Csr(g, g.EdgeObject.Span, g.EdgePredicates.Span);
        return g;
    }

    private static void CopyNodes(EmbeddedGraph from, EmbeddedGraph to)
    {
        to.NodeCount = from.NodeCount;
        to.NodeIds = from.NodeIds;
        to.NodeText = from.NodeText;
        to.NodeCategories = from.NodeCategories;
        to.NodeUrgencies = from.NodeUrgencies;
        to.NodeKinds = from.NodeKinds;
        to.NodeNames = from.NodeNames;
        to.NodeDescriptions = from.NodeDescriptions;
        to.NodeReasons = from.NodeReasons;
        to.NodeTermStarts = from.NodeTermStarts;
        to.NodeTerms = from.NodeTerms;
        to.NodeSlots = from.NodeSlots;
        to.CategoryNodes = from.CategoryNodes;
        to.CategoryStarts = from.CategoryStarts;
        to.SourceArray = from.SourceArray;
    }

    private static T[] Permute<T>(ReadOnlySpan<T> column, int[] order)
    {
        var result = new T[order.Length];
        for (var i = 0; i < order.Length; i++) result[i] = column[order[i]];
        return result;
    }

    private static (int[] Start, int[] Edges) Csr(EmbeddedGraph g, ReadOnlySpan<int> endpoint, ReadOnlySpan<byte> predicates)
    {
        var p = EmbeddedGraph.PredicateCount;
        var start = new int[g.NodeCount * p + 1];
        for (var e = 0; e < endpoint.Length; e++) start[endpoint[e] * p + predicates[e] + 1]++;
        for (var i = 1; i < start.Length; i++) start[i] += start[i - 1];
        var fill = (int[])start.Clone();
        var list = new int[endpoint.Length];
        // Edges are numbered in id order, so each slot lists them in id order.
        for (var e = 0; e < endpoint.Length; e++) list[fill[endpoint[e] * p + predicates[e]]++] = e;
        return (start, list);
    }

    /// <summary>
    /// File positions of the edges in id order. Canonical ids order as (subject, token, object), because node ids are
    /// kebab-case without "--" and tokens are [a-z0-9_], all above '-': one integer sort. Other ids are sorted by
    /// their bytes and merged in.
    /// </summary>
    private int[] SortedEdgeOrder()
    {
        var m = _subject.Count;
        var tokenRank = new int[_tokens.Count];
        var byToken = Enumerable.Range(0, _tokens.Count).ToArray();
        Array.Sort(byToken, (a, b) => Utf8Text.Compare(_tokens[a], _tokens[b]));
        for (var t = 0; t < byToken.Length; t++) tokenRank[byToken[t]] = t;

        var canonicalCount = 0;
        foreach (var r in _idRef.Span) if (r < 0) canonicalCount++;
        var keys = new ulong[canonicalCount];
        var canonical = new int[canonicalCount];
        var others = new int[m - canonicalCount];
        int c = 0, x = 0;
        for (var e = 0; e < m; e++)
        {
            var r = _idRef[e];
            if (r < 0)
            {
                keys[c] = ((ulong)(uint)_subject[e] << 36) | ((ulong)(uint)tokenRank[-r - 1] << 28) | (uint)_object[e];
                canonical[c++] = e;
            }
            else others[x++] = e;
        }
        if (_g.NodeCount >= 1 << 28) throw new InvalidOperationException("The embedded graph holds at most 2^28 nodes.");
        Array.Sort(keys, canonical);
        if (others.Length == 0) return canonical;
        Array.Sort(others, (a, b) => Utf8Text.Compare(_idText[_idRef[a]], _idText[_idRef[b]]));
        if (canonical.Length == 0) return others;

        var result = new int[m];
        int i = 0, j = 0, k = 0;
        var buffer = new byte[256];
        while (i < canonical.Length && j < others.Length)
        {
            var a = CanonicalBytes(canonical[i], ref buffer);
            result[k++] = Utf8Text.Compare(a, _idText[_idRef[others[j]]]) <= 0 ? canonical[i++] : others[j++];
        }
        while (i < canonical.Length) result[k++] = canonical[i++];
        while (j < others.Length) result[k++] = others[j++];
        return result;
    }

    private ReadOnlySpan<byte> CanonicalBytes(int e, ref byte[] buffer)
    {
        var s = _g.NodeIds[_subject[e]];
        var o = _g.NodeIds[_object[e]];
        var t = _tokens[-_idRef[e] - 1];
        var length = EmbeddedGraph.CanonicalLength(s.Length, t.Length, o.Length);
        if (buffer.Length < length) buffer = new byte[length * 2];
        return buffer.AsSpan(0, EmbeddedGraph.WriteCanonicalId(buffer, s, t, o));
    }
}
