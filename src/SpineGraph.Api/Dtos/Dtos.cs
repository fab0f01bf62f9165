using SpineGraph.Core;
using SpineGraph.Core.Queries;

namespace SpineGraph.Api.Dtos;

// The API's wire contract. Mapping from the core model is explicit, in DtoMapping.

/// <summary>A node as shown inside paths, lists and search hits.</summary>
public sealed record NodeSummaryDto(
    string Id,
    NodeCategory Category,
    string Name,
    TreatmentKind? TreatmentKind,
    Urgency? Urgency);

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

public sealed record SourceDto(
    string Id,
    SourceKind Kind,
    string Citation,
    int? Year,
    IReadOnlyList<string> Xrefs,
    string? File,
    string? Note);

/// <summary>One claim between two nodes with its evidence.</summary>
public sealed record EdgeDto(
    string Id,
    string Subject,
    Predicate Predicate,
    string BiolinkPredicate,
    string Object,
    EvidenceTier EvidenceTier,
    Effect Effect,
    KnowledgeLevel KnowledgeLevel,
    AgentType AgentType,
    string Claim,
    string? Context,
    IReadOnlyList<SourceDto> Sources,
    string PrimaryKnowledgeSource);

/// <summary>An edge seen from a node: which way it points and the node at the other end.</summary>
public sealed record EdgeViewDto(Direction Direction, NodeSummaryDto Other, EdgeDto Edge);

/// <summary>A path: nodes[i] and nodes[i+1] are joined by edges[i] (which may point either way).</summary>
public sealed record PathDto(int Length, EvidenceTier WeakestTier, IReadOnlyList<NodeSummaryDto> Nodes, IReadOnlyList<EdgeDto> Edges);

/// <summary>A page of results: at most <c>limit</c> items, the total when known, and the cursor of the next page.</summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, int Total, int Limit, string? NextCursor);

public sealed record SearchHitDto(NodeSummaryDto Node, string Matched, MatchedField MatchedField, MatchKind MatchKind, double Score);

public sealed record SearchResponse(string Query, NodeCategory? Category, IReadOnlyList<SearchHitDto> Hits, int Limit, string? NextCursor);

public sealed record EvidenceDto(string EdgeId, Predicate Predicate, string Target, EvidenceTier EvidenceTier, Effect Effect, string Claim, string? Context);

public sealed record SupportingPathDto(TreatmentRoute Route, PathDto Path);

public sealed record AdverseEventDto(NodeSummaryDto Symptom, EdgeDto Edge);

public sealed record TreatmentResultDto(
    int Rank,
    NodeSummaryDto Treatment,
    IReadOnlyList<TreatmentRoute> Addresses,
    EvidenceDto BestEvidence,
    bool EvidenceAgainst,
    bool MixedEvidence,
    int PathCount,
    IReadOnlyList<SupportingPathDto> Paths,
    IReadOnlyList<NodeSummaryDto> UrgentSymptoms,
    IReadOnlyList<AdverseEventDto> AdverseEvents);

public sealed record RedFlagDto(NodeSummaryDto Symptom, string? Reason, PathDto Path);

public sealed record TreatmentQueryDto(
    NodeSummaryDto? Symptom,
    IReadOnlyList<NodeSummaryDto> IncludedSymptoms,
    NodeSummaryDto? Cause,
    NodeSummaryDto? Condition,
    EvidenceTier MinTier,
    IReadOnlyList<Effect>? Effect);

public sealed record TreatmentsResponse(
    TreatmentQueryDto Query,
    IReadOnlyList<TreatmentResultDto> Items,
    int Total,
    int Limit,
    string? NextCursor,
    IReadOnlyList<RedFlagDto> RedFlags,
    bool Truncated,
    string Disclaimer);

public sealed record CauseResultDto(int Rank, NodeSummaryDto Cause, PathDto BestPath, int PathCount, IReadOnlyList<PathDto> Paths);

public sealed record CausesResponse(
    NodeSummaryDto Symptom,
    IReadOnlyList<NodeSummaryDto> IncludedSymptoms,
    IReadOnlyList<CauseResultDto> Items,
    int Total,
    int Limit,
    string? NextCursor,
    IReadOnlyList<RedFlagDto> RedFlags,
    bool Truncated,
    string Disclaimer);

public sealed record PathsResponse(NodeSummaryDto From, NodeSummaryDto To, int MaxHops, EvidenceTier MinTier, IReadOnlyList<PathDto> Paths, int Limit, string? NextCursor, bool Truncated);

public sealed record SubgraphResponse(IReadOnlyList<NodeDto> Nodes, IReadOnlyList<EdgeDto> Edges, int Depth, EvidenceTier MinTier, bool Truncated);

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
    IReadOnlyList<string> Effects,
    string Disclaimer);

public sealed record HealthResponse(string Status, string Backend, string? Detail);
