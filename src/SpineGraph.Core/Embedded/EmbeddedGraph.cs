using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using SpineGraph.Core.Seed;

namespace SpineGraph.Core.Embedded;

/// <summary>
/// The immutable in-memory graph, held as columns: nodes and edges are integer indices in id order (ordinal), small
/// enums are bytes, text is pooled UTF-8 (claims, contexts and names stored once however often they repeat), an
/// edge id of the usual form <c>sg:e-{subject}--{token}--{object}</c> is stored as the token's number only, sources
/// as deduplicated integer lists, adjacency as compressed sparse rows per predicate both ways, and id lookups as
/// open-addressing tables of integers keyed by a hash of the UTF-8 id. <see cref="Node"/> and <see cref="Edge"/>
/// objects are made only for what an answer returns. Built once (from JSON Lines or a <see cref="SeedData"/>) or
/// opened from a memory-mapped snapshot; every read is lock-free.
/// </summary>
public sealed class EmbeddedGraph
{
    internal static readonly int PredicateCount = Enum.GetValues<Predicate>().Length;
    internal const byte NoKind = 255;
    private static readonly byte[] EdgePrefix = "sg:e-"u8.ToArray();

    // Nodes, in id order.
    internal int NodeCount;
    internal TextPool NodeIds;
    internal Col<byte> NodeCategories, NodeUrgencies, NodeKinds;
    internal Col<int> NodeNames, NodeDescriptions, NodeReasons;
    /// <summary>Synonyms, lay terms and xrefs of node n: <c>NodeTerms[NodeTermStarts[3n + k] .. NodeTermStarts[3n + k + 1])</c>, k = 0, 1, 2.</summary>
    internal Col<int> NodeTermStarts, NodeTerms;
    internal TextPool NodeText;
    internal Col<int> NodeSlots;
    /// <summary>Node indices grouped by category (each group in id order): category c is <c>CategoryNodes[CategoryStarts[c] .. CategoryStarts[c + 1])</c>.</summary>
    internal Col<int> CategoryNodes, CategoryStarts;

    // Edges, in id order.
    internal int EdgeCount;
    internal Col<int> EdgeSubject, EdgeObject;
    internal Col<byte> EdgePredicates, EdgeTiers, EdgeEffects, EdgeLevels, EdgeAgents;
    /// <summary>An index into <see cref="EdgeIdText"/>, or -(t + 1) for the canonical id with token t of <see cref="IdTokens"/>.</summary>
    internal Col<int> EdgeIds;
    internal TextPool EdgeIdText, IdTokens;
    internal Col<int> EdgeClaims, EdgeContexts, EdgeKnowledgeSources;
    internal TextPool EdgeText;
    internal Col<int> EdgeSourceLists, SourceListStarts, SourceListItems;
    internal Col<int> EdgeSlots;

    // Adjacency: for node n and predicate p, edges leaving n are OutEdges[OutStart[n*P+p] .. OutStart[n*P+p+1]).
    internal Col<int> OutStart, OutEdges, InStart, InEdges;

    internal Source[] SourceArray = [];
    private string?[] _nodeIdCache = [];

    /// <summary>Whatever keeps the columns' memory alive (the mapped snapshot), if not the arrays themselves.</summary>
    internal object? Owner;

    public GraphMeta Meta { get; private set; } = null!;
    public IReadOnlyList<Source> Sources => SourceArray;

    /// <summary>The nodes as the search lexicon (read from the columns) and, once built or mapped, their search index.</summary>
    internal Search.LexiconNodes Lexicon { get; }

    /// <summary>Builds the columns from validated lists (tests and tools; the API streams JSON Lines instead).</summary>
    public EmbeddedGraph(SeedData data)
    {
        Lexicon = new Search.EmbeddedLexiconNodes(this);
        var builder = new ColumnBuilder(data.Nodes, data.Sources, data.Edges.Count);
        foreach (var e in data.Edges) builder.AddEdge(e);
        builder.BuildInto(this);
        Complete(data.Version);
    }

    internal EmbeddedGraph()
    {
        Lexicon = new Search.EmbeddedLexiconNodes(this);
    }

    /// <summary>Loads and validates a seed folder by streaming its JSON Lines on every core (see <see cref="StreamingSeedLoader"/>).</summary>
    public static EmbeddedGraph Load(string directory) => StreamingSeedLoader.Load(directory);

    internal void Complete(string version)
    {
        _nodeIdCache = new string?[NodeCount];
        Meta = ComputeMeta(version);
    }

    // ------------------------------------------------------------------ lookups

    /// <summary>The index of the node with this id, or -1.</summary>
    internal int FindNode(string id)
    {
        Span<byte> stack = stackalloc byte[256];
        return WithUtf8(id, stack, this, static (g, b) => g.FindNode(b));
    }

    internal int FindNode(ReadOnlySpan<byte> id)
    {
        var mask = NodeSlots.Length - 1;
        var slots = NodeSlots.Span;
        for (var s = (int)Utf8Text.Hash(id) & mask; ; s = (s + 1) & mask)
        {
            var entry = slots[s];
            if (entry == 0) return -1;
            if (NodeIds[entry - 1].SequenceEqual(id)) return entry - 1;
        }
    }

    /// <summary>The index of the edge with this id, or -1.</summary>
    internal int FindEdge(string id)
    {
        Span<byte> stack = stackalloc byte[256];
        return WithUtf8(id, stack, this, static (g, b) => g.FindEdge(b));
    }

    internal int FindEdge(ReadOnlySpan<byte> id)
    {
        var mask = EdgeSlots.Length - 1;
        var slots = EdgeSlots.Span;
        for (var s = (int)Utf8Text.Hash(id) & mask; ; s = (s + 1) & mask)
        {
            var entry = slots[s];
            if (entry == 0) return -1;
            if (EdgeIdEquals(entry - 1, id)) return entry - 1;
        }
    }

    internal static TResult WithUtf8<TState, TResult>(string text, Span<byte> stack, TState state, Utf8Func<TState, TResult> f)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = max <= stack.Length ? stack : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var n = Encoding.UTF8.GetBytes(text, buffer);
            return f(state, buffer[..n]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    internal delegate TResult Utf8Func<in TState, out TResult>(TState state, ReadOnlySpan<byte> bytes);

    private bool EdgeIdEquals(int e, ReadOnlySpan<byte> id)
    {
        var r = EdgeIds[e];
        if (r >= 0) return EdgeIdText[r].SequenceEqual(id);
        var s = NodeIds[EdgeSubject[e]][3..];
        var o = NodeIds[EdgeObject[e]][3..];
        var t = IdTokens[-r - 1];
        if (id.Length != EdgePrefix.Length + s.Length + 2 + t.Length + 2 + o.Length) return false;
        if (!id.StartsWith(EdgePrefix)) return false;
        id = id[EdgePrefix.Length..];
        if (!id.StartsWith(s)) return false;
        id = id[s.Length..];
        if (!id.StartsWith("--"u8)) return false;
        id = id[2..];
        if (!id.StartsWith(t)) return false;
        id = id[t.Length..];
        return id.StartsWith("--"u8) && id[2..].SequenceEqual(o);
    }

    /// <summary>Writes the canonical edge id <c>sg:e-{subject}--{token}--{object}</c> (node ids without their <c>sg:</c>).</summary>
    internal static int WriteCanonicalId(Span<byte> dest, ReadOnlySpan<byte> subjectId, ReadOnlySpan<byte> token, ReadOnlySpan<byte> objectId)
    {
        var at = 0;
        EdgePrefix.CopyTo(dest);
        at += EdgePrefix.Length;
        subjectId[3..].CopyTo(dest[at..]);
        at += subjectId.Length - 3;
        "--"u8.CopyTo(dest[at..]);
        at += 2;
        token.CopyTo(dest[at..]);
        at += token.Length;
        "--"u8.CopyTo(dest[at..]);
        at += 2;
        objectId[3..].CopyTo(dest[at..]);
        return at + objectId.Length - 3;
    }

    internal static int CanonicalLength(int subjectLength, int tokenLength, int objectLength) =>
        EdgePrefix.Length + subjectLength - 3 + 2 + tokenLength + 2 + objectLength - 3;

    /// <summary>The UTF-8 id of edge e: a slice of the pool, or written into <paramref name="buffer"/> (grown if needed).</summary>
    internal ReadOnlySpan<byte> EdgeIdBytes(int e, ref byte[] buffer)
    {
        var r = EdgeIds[e];
        if (r >= 0) return EdgeIdText[r];
        var s = NodeIds[EdgeSubject[e]];
        var o = NodeIds[EdgeObject[e]];
        var t = IdTokens[-r - 1];
        var length = CanonicalLength(s.Length, t.Length, o.Length);
        if (buffer.Length < length) buffer = new byte[length * 2];
        return buffer.AsSpan(0, WriteCanonicalId(buffer, s, t, o));
    }

    internal string EdgeId(int e)
    {
        var r = EdgeIds[e];
        if (r >= 0) return EdgeIdText.String(r);
        var s = NodeIds[EdgeSubject[e]];
        var o = NodeIds[EdgeObject[e]];
        var t = IdTokens[-r - 1];
        var length = CanonicalLength(s.Length, t.Length, o.Length);
        Span<byte> stack = stackalloc byte[256];
        var buffer = length <= stack.Length ? stack : new byte[length];
        return Encoding.UTF8.GetString(buffer[..WriteCanonicalId(buffer, s, t, o)]);
    }

    /// <summary>The id of node n, made once and then kept (ids are what expansion rows carry).</summary>
    internal string NodeId(int n)
    {
        var cached = Volatile.Read(ref _nodeIdCache[n]);
        if (cached is not null) return cached;
        var id = NodeIds.String(n);
        Volatile.Write(ref _nodeIdCache[n], id);
        return id;
    }

    // ------------------------------------------------------------------ hydration

    internal NodeCategory CategoryOf(int n) => (NodeCategory)NodeCategories[n];

    internal Urgency UrgencyOf(int n) => (Urgency)NodeUrgencies[n];

    private ImmutableArray<string> Terms(int n, int k)
    {
        var from = NodeTermStarts[3 * n + k];
        var to = NodeTermStarts[3 * n + k + 1];
        if (from == to) return [];
        var b = ImmutableArray.CreateBuilder<string>(to - from);
        for (var i = from; i < to; i++) b.Add(NodeText.String(NodeTerms[i]));
        return b.MoveToImmutable();
    }

    internal Node Node(int n)
    {
        var kind = NodeKinds[n];
        var reason = NodeReasons[n];
        return new Node(NodeId(n), CategoryOf(n), NodeText.String(NodeNames[n]), NodeText.String(NodeDescriptions[n]),
            Terms(n, 0), Terms(n, 1), Terms(n, 2), kind == NoKind ? null : (TreatmentKind)kind, UrgencyOf(n),
            reason < 0 ? null : NodeText.String(reason));
    }

    /// <summary>A light node for the search lexicon: id, category, name, synonyms, lay terms and urgency.</summary>
    internal Node LexiconNode(int n) =>
        new(NodeId(n), CategoryOf(n), NodeText.String(NodeNames[n]), "", Terms(n, 0), Terms(n, 1), [], null, UrgencyOf(n), null);

    internal EdgeFilterView Evidence(int e) => new((EvidenceTier)EdgeTiers[e], (Effect)EdgeEffects[e]);

    internal readonly record struct EdgeFilterView(EvidenceTier Tier, Effect Effect);

    internal ReadOnlySpan<int> SourcesOf(int e)
    {
        var list = EdgeSourceLists[e];
        var from = SourceListStarts[list];
        return SourceListItems.Span[from..SourceListStarts[list + 1]];
    }

    internal Edge Edge(int e)
    {
        var sources = SourcesOf(e);
        var b = ImmutableArray.CreateBuilder<Source>(sources.Length);
        foreach (var s in sources) b.Add(SourceArray[s]);
        var context = EdgeContexts[e];
        return new Edge(EdgeId(e), NodeId(EdgeSubject[e]), (Predicate)EdgePredicates[e], NodeId(EdgeObject[e]),
            (EvidenceTier)EdgeTiers[e], (Effect)EdgeEffects[e], (KnowledgeLevel)EdgeLevels[e], (AgentType)EdgeAgents[e],
            EdgeText.String(EdgeClaims[e]), context < 0 ? null : EdgeText.String(context), b.MoveToImmutable(),
            EdgeText.String(EdgeKnowledgeSources[e]));
    }

    // ------------------------------------------------------------------ adjacency

    internal ReadOnlySpan<int> Out(int node, Predicate p)
    {
        var slot = node * PredicateCount + (int)p;
        return OutEdges.Span[OutStart[slot]..OutStart[slot + 1]];
    }

    internal ReadOnlySpan<int> In(int node, Predicate p)
    {
        var slot = node * PredicateCount + (int)p;
        return InEdges.Span[InStart[slot]..InStart[slot + 1]];
    }

    internal int OutCount(int node, Predicate p) => OutStart[node * PredicateCount + (int)p + 1] - OutStart[node * PredicateCount + (int)p];

    internal int InCount(int node, Predicate p) => InStart[node * PredicateCount + (int)p + 1] - InStart[node * PredicateCount + (int)p];

    internal ReadOnlySpan<int> NodesOf(NodeCategory c) => CategoryNodes.Span[CategoryStarts[(int)c]..CategoryStarts[(int)c + 1]];

    private GraphMeta ComputeMeta(string version)
    {
        var categories = Vocabulary.Categories
            .Select(c => new CategoryCount(c, NodesOf(c).Length))
            .ToArray();
        var c4 = Vocabulary.Categories.Count;
        var triples = new int[c4 * PredicateCount * c4];
        var tiers = new int[6];
        var subjects = EdgeSubject.Span;
        var objects = EdgeObject.Span;
        var predicates = EdgePredicates.Span;
        var tierColumn = EdgeTiers.Span;
        var cats = NodeCategories.Span;
        for (var e = 0; e < EdgeCount; e++)
        {
            triples[(cats[subjects[e]] * PredicateCount + predicates[e]) * c4 + cats[objects[e]]]++;
            tiers[tierColumn[e]]++;
        }
        var tripleCounts = new List<TripleCount>();
        for (var s = 0; s < c4; s++)
            for (var p = 0; p < PredicateCount; p++)
                for (var o = 0; o < c4; o++)
                    if (triples[(s * PredicateCount + p) * c4 + o] is > 0 and var n)
                        tripleCounts.Add(new TripleCount((NodeCategory)s, (Predicate)p, (NodeCategory)o, n));
        var tierCounts = Enum.GetValues<EvidenceTier>().Select(t => new TierCount(t, tiers[(int)t])).ToArray();
        return new GraphMeta(version, NodeCount, EdgeCount, categories, tripleCounts, tierCounts, SourceArray.Length);
    }
}
