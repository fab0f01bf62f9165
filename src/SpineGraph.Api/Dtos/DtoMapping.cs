using SpineGraph.Core;
using SpineGraph.Core.Queries;

namespace SpineGraph.Api.Dtos;

/// <summary>Small explicit functions from the core model to the wire contract.</summary>
public static class DtoMapping
{
    public const string Disclaimer =
        "SpineGraph is information for clinicians, researchers and apps, not medical advice. Evidence tiers " +
        "summarise published evidence and patient-education sources; they are not a recommendation for any person. " +
        "Red-flag symptoms need prompt medical assessment.";

    public static NodeSummaryDto ToSummary(this Node n) =>
        new(n.Id, n.Category, n.Name, n.TreatmentKind, n.Urgency == Urgency.None ? null : n.Urgency);

    public static NodeDto ToDto(this Node n) =>
        new(n.Id, n.Category, Vocabulary.Biolink(n.Category), n.Name, n.Description, n.Synonyms, n.LayTerms, n.Xrefs,
            n.TreatmentKind, n.Urgency == Urgency.None ? null : n.Urgency, n.UrgencyReason);

    public static NodeDetailDto ToDto(this NodeDetail d) =>
        new(d.Node.ToDto(), d.EdgeCounts.Select(c => new EdgeCountDto(c.Predicate, c.Direction, c.Count)).ToArray());

    public static SourceDto ToDto(this Source s) => new(s.Id, s.Kind, s.Citation, s.Year, s.Xrefs, s.File, s.Note);

    public static EdgeDto ToDto(this Edge e) =>
        new(e.Id, e.Subject, e.Predicate, Vocabulary.Biolink(e.Predicate), e.Object, e.Tier, e.Effect, e.KnowledgeLevel,
            e.AgentType, e.Claim, e.Context, e.Sources.Select(ToDto).ToArray(), e.PrimaryKnowledgeSource);

    public static EdgeViewDto ToDto(this EdgeView v) => new(v.Direction, v.Other.ToSummary(), v.Edge.ToDto());

    public static PathDto ToDto(this GraphPath p) =>
        new(p.Length, p.WeakestTier, p.Nodes.Select(ToSummary).ToArray(), p.Edges.Select(ToDto).ToArray());

    public static SearchHitDto ToDto(this SearchHit h) => new(h.Node.ToSummary(), h.MatchedText, h.MatchedField, h.MatchKind, h.Score);

    public static EvidenceDto ToEvidence(this Edge e) => new(e.Id, e.Predicate, e.Object, e.Tier, e.Effect, e.Claim, e.Context);

    public static RedFlagDto ToDto(this RedFlag f) => new(f.Symptom.ToSummary(), f.Symptom.UrgencyReason, f.Path.ToDto());

    public static TreatmentResultDto ToDto(this TreatmentResult r, int rank) =>
        new(rank, r.Treatment.ToSummary(), r.Addresses, r.BestEvidence.ToEvidence(), r.AgainstEvidence, r.MixedEvidence,
            r.PathCount, r.Paths.Select(p => new SupportingPathDto(p.Route, p.Path.ToDto())).ToArray(),
            r.UrgentSymptoms.Select(ToSummary).ToArray(),
            r.AdverseEvents.Select(a => new AdverseEventDto(a.Other.ToSummary(), a.Edge.ToDto())).ToArray());

    public static CauseResultDto ToDto(this CauseResult r, int rank) =>
        new(rank, r.Cause.ToSummary(), r.BestPath.ToDto(), r.PathCount, r.Paths.Select(ToDto).ToArray());

    public static string TierLabel(EvidenceTier t) => t switch
    {
        EvidenceTier.T1 => "established",
        EvidenceTier.T2 => "probable",
        EvidenceTier.T3 => "possible",
        EvidenceTier.T4 => "insufficient",
        _ => "unsupported",
    };

    public static string TierRule(EvidenceTier t) => t switch
    {
        EvidenceTier.T1 => "A guideline or systematic review states the effect with high certainty (GRADE high, AAN Level A).",
        EvidenceTier.T2 => "Moderate-certainty synthesis, at least one good RCT, or a Level B recommendation.",
        EvidenceTier.T3 => "Low certainty, a single flawed RCT, or authoritative sources that disagree.",
        EvidenceTier.T4 => "The source itself rates the evidence very low, insufficient or conflicting; or only uncontrolled series.",
        _ => "No controlled evidence found: only a patient-education or marketing page, or plausibility.",
    };
}
