namespace SpineGraph.Core.Queries;

/// <summary>What a treatment addresses on a supporting path.</summary>
public enum TreatmentRoute
{
    /// <summary>It treats a condition or targets a mechanism on the causal chain to the symptom.</summary>
    Cause,

    /// <summary>It treats the condition itself (or a narrower kind of it).</summary>
    Direct,

    /// <summary>It targets a mechanism downstream of the condition.</summary>
    Mechanism,

    /// <summary>It treats a condition that the condition causes (e.g. sciatica from a herniated disc).</summary>
    RelatedCondition,

    /// <summary>It relieves the symptom (or a narrower kind of it) directly.</summary>
    Symptom,
}

/// <summary>A path that supports a treatment: starts at the treatment, first edge is its evidence.</summary>
public sealed record SupportingPath(TreatmentRoute Route, GraphPath Path)
{
    public Edge Evidence => Path.Edges[0];
}

public sealed record TreatmentResult(
    Node Treatment,
    IReadOnlyList<TreatmentRoute> Addresses,
    Edge BestEvidence,
    bool AgainstEvidence,
    bool MixedEvidence,
    IReadOnlyList<SupportingPath> Paths,
    int PathCount,
    IReadOnlyList<Node> UrgentSymptoms,
    IReadOnlyList<EdgeView> AdverseEvents);

/// <summary>A red-flag symptom met on the way, with the shortest causal path that leads to it.</summary>
public sealed record RedFlag(Node Symptom, GraphPath Path);

public sealed record TreatmentAnswer(
    Node? Symptom,
    IReadOnlyList<Node> IncludedSymptoms,
    Node? Cause,
    Node? Condition,
    IReadOnlyList<TreatmentResult> Results,
    int Total,
    int Offset,
    IReadOnlyList<RedFlag> RedFlags,
    bool Truncated);

public sealed record CauseResult(Node Cause, GraphPath BestPath, IReadOnlyList<GraphPath> Paths, int PathCount);

public sealed record CauseAnswer(
    Node Symptom,
    IReadOnlyList<Node> IncludedSymptoms,
    IReadOnlyList<CauseResult> Results,
    int Total,
    int Offset,
    IReadOnlyList<RedFlag> RedFlags,
    bool Truncated);

public enum ResolveFailureKind { NotFound, Ambiguous, WrongCategory }

/// <summary>Why a parameter did not resolve to one node, with suggestions for the caller.</summary>
public sealed record ResolveFailure(
    ResolveFailureKind Kind,
    string Parameter,
    string Value,
    string Message,
    IReadOnlyList<SearchHit> Suggestions);

/// <summary>Either a node or the reason there is none.</summary>
public sealed record Resolution(Node? Node, ResolveFailure? Failure)
{
    public static Resolution Of(Node node) => new(node, null);
    public static Resolution Fail(ResolveFailure failure) => new(null, failure);
}
