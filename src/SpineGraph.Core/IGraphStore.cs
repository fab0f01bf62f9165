namespace SpineGraph.Core;

/// <summary>
/// The graph port: only what backends do differently, which is how they store the graph. Look up and
/// hydrate nodes and edges by id, hand out the search lexicon, expand a frontier of nodes one hop into
/// compact <see cref="EdgeRow"/>s, page through nodes, meta and health. Every traversal (treatments,
/// causes, paths, subgraph, search ranking) is computed once above the port, in
/// <see cref="Traversal.GraphEngine"/>, so every backend answers the same by construction.
/// <c>GraphStoreContract</c> in the tests holds each backend to this contract on hand-built graphs.
/// </summary>
public interface IGraphStore
{
    /// <summary>Counts and the graph version.</summary>
    ValueTask<GraphMeta> GetMetaAsync(CancellationToken ct);

    /// <summary>Whether the store can answer now (the embedded store always can).</summary>
    ValueTask<StoreHealth> CheckHealthAsync(CancellationToken ct);

    /// <summary>Every node's id, category, name, synonyms and lay terms (other fields may be empty), ordered by
    /// id: the lexicon the engine builds its search index from, once per graph version.</summary>
    ValueTask<IReadOnlyList<Node>> GetLexiconAsync(CancellationToken ct);

    /// <summary>A node with its edge counts per predicate and direction (non-zero counts only, ordered by
    /// predicate then out before in), or null if no node has that id.</summary>
    ValueTask<NodeDetail?> GetNodeAsync(string id, CancellationToken ct);

    /// <summary>The nodes with these ids, in the order asked; unknown ids are left out.</summary>
    ValueTask<IReadOnlyList<Node>> GetNodesAsync(IReadOnlyList<string> ids, CancellationToken ct);

    /// <summary>The edges with these references (id plus ends, which lets a database find them from an indexed
    /// node), in the order asked, with their sources; unknown ones are left out.</summary>
    ValueTask<IReadOnlyList<Edge>> GetEdgesAsync(IReadOnlyList<EdgeRef> refs, CancellationToken ct);

    /// <summary>Nodes ordered by id (ordinal), optionally of one category, starting after <paramref name="afterId"/> (keyset
    /// paging: null for the first page), at most <paramref name="limit"/>; <c>Total</c> counts every node of the category.</summary>
    ValueTask<Slice<Node>> ListNodesAsync(NodeCategory? category, string? afterId, int limit, CancellationToken ct);

    /// <summary>
    /// Edges of the whole graph matching the query, ordered by id, starting after <paramref name="afterId"/> (keyset
    /// paging: null for the first page), at most <paramref name="limit"/>, with their sources; <c>More</c> says
    /// another matching edge follows.
    /// </summary>
    ValueTask<(IReadOnlyList<Edge> Items, bool More)> ListEdgesAsync(EdgeQuery query, string? afterId, int limit, CancellationToken ct);

    /// <summary>
    /// One hop from each node of the frontier along the given (predicate, direction) hops, keeping the edges the
    /// filter accepts. Rows are ordered by edge id, then by near node id, then out before in; at most
    /// <paramref name="limit"/> rows are returned, and <see cref="Expansion.Truncated"/> says more existed.
    /// Unknown frontier ids expand to nothing.
    /// </summary>
    ValueTask<Expansion> ExpandAsync(IReadOnlyCollection<string> frontier, IReadOnlyList<Hop> hops, EdgeFilter filter, int limit, CancellationToken ct);
}

/// <summary>One hop of an expansion: a predicate followed out of (subject side) or into (object side) the near node.</summary>
public readonly record struct Hop(Predicate Predicate, Direction Direction)
{
    public static Hop Out(Predicate p) => new(p, Direction.Out);
    public static Hop In(Predicate p) => new(p, Direction.In);

    /// <summary>Every predicate, both ways.</summary>
    public static readonly IReadOnlyList<Hop> Any =
        [.. Vocabulary.Predicates.SelectMany(p => new[] { Out(p), In(p) })];
}

/// <summary>Which edges an expansion keeps: at or above a tier, and of the given effects (null: all).</summary>
public sealed record EdgeFilter(EvidenceTier MinTier = EvidenceTier.T5, IReadOnlySet<Effect>? Effects = null)
{
    public static readonly EdgeFilter All = new();

    public bool Accepts(EvidenceTier tier, Effect effect) => tier <= MinTier && (Effects is null || Effects.Contains(effect));
}

/// <summary>A whole-graph edge filter: each part optional (null: any).</summary>
public sealed record EdgeQuery(
    Predicate? Predicate = null,
    NodeCategory? SubjectCategory = null,
    NodeCategory? ObjectCategory = null,
    EdgeFilter? Filter = null,
    string? Source = null)
{
    public EdgeFilter EvidenceFilter => Filter ?? EdgeFilter.All;
}

/// <summary>Enough to find one edge again: its id and its two ends.</summary>
public readonly record struct EdgeRef(string Id, string Subject, string Obj);

/// <summary>
/// An edge seen from one end (the near node) by an expansion: its id, ends, predicate and the evidence fields
/// ranking needs, plus the category and urgency of the node at the far end. Claims and sources stay in the
/// store until the edge is hydrated for an answer.
/// </summary>
public readonly record struct EdgeRow(
    string Id,
    string Subject,
    Predicate Predicate,
    string Object,
    EvidenceTier Tier,
    Effect Effect,
    KnowledgeLevel KnowledgeLevel,
    Direction Direction,
    NodeCategory OtherCategory,
    Urgency OtherUrgency)
{
    /// <summary>The node the expansion started from.</summary>
    public string Near => Direction == Direction.Out ? Subject : Object;

    /// <summary>The node at the far end.</summary>
    public string Other => Direction == Direction.Out ? Object : Subject;

    public EdgeRef Ref => new(Id, Subject, Object);

    /// <summary>The order of expansion rows: edge id, near node, out before in.</summary>
    public static int Compare(EdgeRow a, EdgeRow b)
    {
        var c = string.CompareOrdinal(a.Id, b.Id);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Near, b.Near);
        return c != 0 ? c : ((int)a.Direction).CompareTo((int)b.Direction);
    }
}

/// <summary>Rows of one expansion, and whether the limit cut some off.</summary>
public sealed record Expansion(IReadOnlyList<EdgeRow> Rows, bool Truncated);

public sealed record StoreHealth(bool Ready, string Backend, string? Detail);
