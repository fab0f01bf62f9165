namespace SpineGraph.Core;

/// <summary>
/// The graph port: the traversals SpineGraph needs, shaped for them (not a generic repository).
/// The embedded store answers in-process; the Neo4j store answers with Cypher. Both must give the
/// same answers, in the same order, for the same graph: every method below defines its ordering,
/// and <c>GraphStoreContract</c> in the tests holds each backend to it.
/// Ranking, grouping and pagination of traversal answers live above the port in
/// <see cref="Queries.GraphQueries"/>, shared by every backend.
/// </summary>
public interface IGraphStore
{
    /// <summary>Counts and the graph version.</summary>
    ValueTask<GraphMeta> GetMetaAsync(CancellationToken ct);

    /// <summary>A node with its edge counts per predicate and direction (non-zero counts only,
    /// ordered by predicate then direction out before in), or null if no node has that id.</summary>
    ValueTask<NodeDetail?> GetNodeAsync(string id, CancellationToken ct);

    /// <summary>The nodes with these ids, in the order asked; unknown ids are left out.</summary>
    ValueTask<IReadOnlyList<Node>> GetNodesAsync(IReadOnlyList<string> ids, CancellationToken ct);

    /// <summary>Nodes ordered by id (ordinal), optionally of one category.</summary>
    ValueTask<Slice<Node>> ListNodesAsync(NodeCategory? category, int offset, int limit, CancellationToken ct);

    /// <summary>Names, synonyms and lay terms matching the text: exact matches first, then prefix, then
    /// one-typo matches; at most one hit per node. See <see cref="Search.SearchIndex"/>.</summary>
    ValueTask<IReadOnlyList<SearchHit>> SearchAsync(string text, NodeCategory? category, int limit, CancellationToken ct);

    /// <summary>One hop from a node, filtered, ordered by tier, effect, then edge id.</summary>
    ValueTask<Slice<EdgeView>> GetEdgesAsync(string nodeId, EdgeFilter filter, int offset, int limit, CancellationToken ct);

    /// <summary>One hop from each of a set of nodes along the given predicates, unordered (callers sort).
    /// <see cref="EdgeView.Other"/> is the node at the far end; the near end is the edge's subject
    /// (direction out) or object (direction in).</summary>
    ValueTask<IReadOnlyList<EdgeView>> GetIncidentEdgesAsync(
        IReadOnlyList<string> ids, IReadOnlyList<Predicate> predicates, Direction direction, CancellationToken ct);

    /// <summary>Narrower nodes of the given nodes along <c>subclass_of</c> (transitively, 1..maxDepth edges), each as
    /// a path from the narrower node up to one of the given nodes. Shortest first, then by key.</summary>
    ValueTask<IReadOnlyList<GraphPath>> GetNarrowerAsync(IReadOnlyList<string> ids, int maxDepth, CancellationToken ct);

    /// <summary>Broader nodes of the given nodes along <c>subclass_of</c> (transitively, 1..maxDepth edges), each as
    /// a path from one of the given nodes up to the broader node. Shortest first, then by key.</summary>
    ValueTask<IReadOnlyList<GraphPath>> GetBroaderAsync(IReadOnlyList<string> ids, int maxDepth, CancellationToken ct);

    /// <summary>Causal chains (<c>causes</c>, <c>has_phenotype</c>), oriented cause → effect. See <see cref="CausalQuery"/>.
    /// Simple paths of 1..MaxHops edges, shortest first then by key, at most Limit.</summary>
    ValueTask<PathSet> GetCausalPathsAsync(CausalQuery query, CancellationToken ct);

    /// <summary>Simple paths between two nodes, edges followed in either direction, shortest first then by key.</summary>
    ValueTask<PathSet> FindPathsAsync(PathQuery query, CancellationToken ct);

    /// <summary>Nodes within Depth hops of the given nodes (either direction) and every edge among them.
    /// Nodes in breadth-first order (ties by id), cut at MaxNodes; edges ordered by id.</summary>
    ValueTask<Subgraph> GetSubgraphAsync(SubgraphQuery query, CancellationToken ct);

    /// <summary>Whether the store can answer now (the embedded store always can).</summary>
    ValueTask<StoreHealth> CheckHealthAsync(CancellationToken ct);
}

/// <summary>Filters for one hop from a node.</summary>
public sealed record EdgeFilter(
    Direction Direction = Direction.Both,
    Predicate? Predicate = null,
    EvidenceTier MinTier = EvidenceTier.T5,
    IReadOnlySet<Effect>? Effects = null)
{
    public bool Accepts(Edge e) => e.Tier <= MinTier && (Effects is null || Effects.Contains(e.Effect));
}

public enum CausalDirection
{
    /// <summary>Chains that end at an anchor (what causes the anchors).</summary>
    Upstream,

    /// <summary>Chains that start at an anchor (what the anchors cause).</summary>
    Downstream,
}

/// <summary>
/// A causal-chain query. Upstream: every simple chain x → … → a with a an anchor. Downstream:
/// every chain a → … → x. With Through: only chains that contain that node (upstream only).
/// </summary>
public sealed record CausalQuery(
    CausalDirection Direction,
    IReadOnlyList<string> Anchors,
    int MaxHops,
    int Limit,
    string? Through = null);

public sealed record PathQuery(string From, string To, int MaxHops, EvidenceTier MinTier, int Limit);

public sealed record SubgraphQuery(IReadOnlyList<string> Ids, int Depth, EvidenceTier MinTier, int MaxNodes);

/// <summary>Paths found, and whether the search stopped at a bound before finding them all.</summary>
public sealed record PathSet(IReadOnlyList<GraphPath> Paths, bool Truncated);

public sealed record StoreHealth(bool Ready, string Backend, string? Detail);
