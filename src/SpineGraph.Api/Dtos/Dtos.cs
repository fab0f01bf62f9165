using SpineGraph.Core;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Dtos;

// The API's wire contract. Answers are normalized (the knowledge-graph-plus-results shape of TRAPI): results refer
// to nodes, edges and sources by id, and each response carries every one of them once, in its `nodes`, `edges` and
// `sources` maps. Mapping from the core model is explicit, in DtoMapping.

/// <summary>A node as listed in an answer's <c>nodes</c> map and in search hits.</summary>
public sealed record NodeSummaryDto(
    string Id,
    NodeCategory Category,
    string Name,
    TreatmentKind? TreatmentKind,
    Urgency? Urgency,
    string? UrgencyReason);

/// <summary>A node with everything the graph knows about it.</summary>
public sealed record NodeDto(
    string Id,
    NodeCategory Category,
    string BiolinkCategory,
    string Name,
    string Description,
    IReadOnlyList<string> Synonyms,
    IReadOnlyList<string> LayTerms,
    IReadOnlyList<string> Xrefs,
    TreatmentKind? TreatmentKind,
    Urgency? Urgency,
    string? UrgencyReason);

public sealed record EdgeCountDto(Predicate Predicate, Direction Direction, int Count);

public sealed record NodeDetailDto(NodeDto Node, IReadOnlyList<EdgeCountDto> EdgeCounts);

/// <summary>A node in an answer's <c>nodes</c> map (keyed by id).</summary>
public sealed record KgNodeDto(
    NodeCategory Category,
    string Name,
    TreatmentKind? TreatmentKind,
    Urgency? Urgency,
    string? UrgencyReason);

/// <summary>One claim between two nodes with its evidence, in an answer's <c>edges</c> map (keyed by id); <c>sources</c>
/// are ids in the answer's <c>sources</c> map; the Biolink predicate of each predicate is in <c>/meta</c>.</summary>
public record EdgeDto(
    string Subject,
    Predicate Predicate,
    string Object,
    EvidenceTier EvidenceTier,
    Effect Effect,
    KnowledgeLevel KnowledgeLevel,
    AgentType AgentType,
    string Claim,
    string? Context,
    IReadOnlyList<string> Sources,
    string PrimaryKnowledgeSource);

/// <summary>A path by id: nodes[i] and nodes[i+1] are joined by edges[i] (which may point either way).</summary>
public sealed record PathDto(IReadOnlyList<string> Nodes, IReadOnlyList<string> Edges);

/// <summary>A list page: the items, the total when known, the cursor of the next page (absent on the last), and
/// whether a bound stopped the computation before every item was found.</summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, int? Total, string? NextCursor, bool Truncated);

public sealed record SearchHitDto(NodeSummaryDto Node, string Matched, MatchedField MatchedField, MatchKind MatchKind, IReadOnlyList<string> MatchedWords, double Score);

/// <summary>Search hits; when there are none, <c>suggestions</c>: nodes with a word up to two edits away from a query word.</summary>
public sealed record SearchResponse(string Query, NodeCategory? Category, IReadOnlyList<SearchHitDto> Items, string? NextCursor, bool Truncated, IReadOnlyList<SearchHitDto> Suggestions);

/// <summary>A source in an answer's <c>sources</c> map (keyed by id).</summary>
public sealed record KgSourceDto(
    SourceKind Kind,
    string Citation,
    int? Year,
    IReadOnlyList<string> Xrefs,
    string? File,
    string? Note);

/// <summary>An edge seen from a node: which way it points, the node at the other end and the edge (ids into the maps).</summary>
public sealed record EdgeViewDto(Direction Direction, string Other, string Edge);

public sealed record NodeEdgesResponse(
    string Node,
    IReadOnlyList<EdgeViewDto> Items,
    int? Total,
    string? NextCursor,
    bool Truncated,
    IReadOnlyDictionary<string, KgNodeDto> Nodes,
    IReadOnlyDictionary<string, EdgeDto> Edges,
    IReadOnlyDictionary<string, KgSourceDto> Sources);

public sealed record SupportingPathDto(TreatmentRoute Route, IReadOnlyList<string> Nodes, IReadOnlyList<string> Edges);

public sealed record TreatmentItemDto(
    int Rank,
    string Treatment,
    IReadOnlyList<TreatmentRoute> Routes,
    EvidenceTier EvidenceTier,
    Effect Effect,
    Specificity Specificity,
    bool EvidenceAgainst,
    bool MixedEvidence,
    IReadOnlyList<SupportingPathDto> Paths,
    long PathCount,
    IReadOnlyList<string> UrgentSymptoms,
    IReadOnlyList<string> AdverseEvents);

public sealed record RedFlagDto(string Symptom, Urgency Urgency, string? Reason, PathDto Path);

public sealed record TreatmentQueryDto(
    string? Symptom,
    IReadOnlyList<string> IncludedSymptoms,
    string? Cause,
    string? Condition,
    EvidenceTier MinTier,
    IReadOnlyList<Effect>? Effect);

public sealed record TreatmentsResponse(
    TreatmentQueryDto Query,
    IReadOnlyList<TreatmentItemDto> Items,
    IReadOnlyList<TreatmentItemDto> EvidenceAgainst,
    int Total,
    string? NextCursor,
    bool Truncated,
    IReadOnlyList<RedFlagDto> RedFlags,
    IReadOnlyDictionary<string, KgNodeDto> Nodes,
    IReadOnlyDictionary<string, EdgeDto> Edges,
    IReadOnlyDictionary<string, KgSourceDto> Sources,
    string Disclaimer);

public sealed record CauseItemDto(int Rank, string Cause, EvidenceTier WeakestTier, long PathCount, PathDto BestPath);

public sealed record CausesResponse(
    string Symptom,
    IReadOnlyList<string> IncludedSymptoms,
    IReadOnlyList<CauseItemDto> Items,
    int Total,
    string? NextCursor,
    bool Truncated,
    IReadOnlyList<RedFlagDto> RedFlags,
    IReadOnlyDictionary<string, KgNodeDto> Nodes,
    IReadOnlyDictionary<string, EdgeDto> Edges,
    IReadOnlyDictionary<string, KgSourceDto> Sources,
    string Disclaimer);

public sealed record PathsResponse(
    string From,
    string To,
    IReadOnlyList<PathDto> Items,
    int? Total,
    string? NextCursor,
    bool Truncated,
    IReadOnlyDictionary<string, KgNodeDto> Nodes,
    IReadOnlyDictionary<string, EdgeDto> Edges,
    IReadOnlyDictionary<string, KgSourceDto> Sources);

public sealed record SubgraphResponse(
    IReadOnlyList<string> NodeIds,
    IReadOnlyList<string> EdgeIds,
    bool Truncated,
    IReadOnlyDictionary<string, KgNodeDto> Nodes,
    IReadOnlyDictionary<string, EdgeDto> Edges,
    IReadOnlyDictionary<string, KgSourceDto> Sources);

/// <summary>A page of whole-graph edges: ids in order, each edge once in <c>edges</c>, its nodes and sources in the maps.</summary>
public sealed record EdgeListResponse(
    IReadOnlyList<string> Items,
    int? Total,
    string? NextCursor,
    bool Truncated,
    IReadOnlyDictionary<string, KgNodeDto> Nodes,
    IReadOnlyDictionary<string, EdgeDto> Edges,
    IReadOnlyDictionary<string, KgSourceDto> Sources);

public sealed record CategoryDto(NodeCategory Name, string Biolink, int Count);

public sealed record PredicateSignatureDto(NodeCategory Subject, NodeCategory Object);

public sealed record PredicateDto(Predicate Name, string Biolink, string Description, IReadOnlyList<PredicateSignatureDto> Signatures);

public sealed record TripleCountDto(NodeCategory Subject, Predicate Predicate, NodeCategory Object, int Count);

public sealed record TierDto(EvidenceTier Tier, string Label, string Rule, int Count);

public sealed record MetaResponse(
    string Version,
    string Backend,
    int NodeCount,
    int EdgeCount,
    int SourceCount,
    IReadOnlyList<CategoryDto> Categories,
    IReadOnlyList<PredicateDto> Predicates,
    IReadOnlyList<TripleCountDto> Triples,
    IReadOnlyList<TierDto> Tiers,
    IReadOnlyList<Effect> Effects,
    string Disclaimer);

/// <summary>What a health probe found: the process is up (<c>live</c>), the backend answers (<c>ready</c>) or not.</summary>
public enum HealthStatus { Live, Ready, Unavailable }

public sealed record HealthResponse(HealthStatus Status, string Backend, string? Detail);
