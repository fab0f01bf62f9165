using SpineGraph.Core;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Dtos;

/// <summary>Small explicit functions from the core model to the wire contract.</summary>
public static class DtoMapping
{
    public const string Disclaimer =
        "SpineGraph is information for clinicians, researchers and apps, not medical advice. Evidence tiers " +
        "summarise published evidence and patient-education sources; they are not a recommendation for any person. " +
        "Red-flag symptoms need prompt medical assessment.";

    public static NodeSummaryDto ToSummary(this Node n) =>
        new(n.Id, n.Category, n.Name, n.TreatmentKind, n.Urgency == Urgency.None ? null : n.Urgency, n.UrgencyReason);

    public static NodeDto ToDto(this Node n) =>
        new(n.Id, n.Category, Vocabulary.Biolink(n.Category), n.Name, n.Description, n.Synonyms, n.LayTerms, n.Xrefs,
            n.TreatmentKind, n.Urgency == Urgency.None ? null : n.Urgency, n.UrgencyReason);

    public static NodeDetailDto ToDto(this NodeDetail d) =>
        new(d.Node.ToDto(), d.EdgeCounts.Select(c => new EdgeCountDto(c.Predicate, c.Direction, c.Count)).ToArray());

    public static EdgeDto ToDto(this Edge e) =>
        new(e.Subject, e.Predicate, e.Object, e.Tier, e.Effect, e.KnowledgeLevel,
            e.AgentType, e.Claim, e.Context, e.Sources.Select(s => s.Id).ToArray(), e.PrimaryKnowledgeSource);

    public static PathDto ToDto(this PathRef p) => new(p.Nodes, p.Edges);

    public static SearchHitDto ToDto(this SearchHit h) => new(h.Node.ToSummary(), h.MatchedText, h.MatchedField, h.MatchKind, h.MatchedWords, h.Score);

    public static IReadOnlyDictionary<string, KgNodeDto> NodeMap(this KnowledgeGraph g) =>
        g.Nodes.ToDictionary(kv => kv.Key, kv => new KgNodeDto(kv.Value.Category, kv.Value.Name, kv.Value.TreatmentKind,
            kv.Value.Urgency == Urgency.None ? null : kv.Value.Urgency, kv.Value.UrgencyReason), StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, EdgeDto> EdgeMap(this KnowledgeGraph g) =>
        g.Edges.ToDictionary(kv => kv.Key, kv => kv.Value.ToDto(), StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, KgSourceDto> SourceMap(this KnowledgeGraph g) =>
        g.Sources.ToDictionary(kv => kv.Key, kv => kv.Value.ToDto(), StringComparer.Ordinal);

    public static KgSourceDto ToDto(this Source s) => new(s.Kind, s.Citation, s.Year, s.Xrefs, s.File, s.Note);

    public static RedFlagDto ToDto(this RedFlag f, KnowledgeGraph g) =>
        new(f.Symptom, g.Nodes[f.Symptom].Urgency, g.Nodes[f.Symptom].UrgencyReason, f.Path.ToDto());

    public static TreatmentItemDto ToDto(this TreatmentItem r, int rank) =>
        new(rank, r.Treatment, r.Routes, r.Tier, r.Effect, r.Specificity, r.EvidenceAgainst, r.MixedEvidence,
            r.Paths.Select(p => new SupportingPathDto(p.Route, p.Path.Nodes, p.Path.Edges)).ToArray(),
            r.PathCount, r.UrgentSymptoms, r.AdverseEvents);

    public static CauseItemDto ToDto(this CauseItem r, int rank) => new(rank, r.Cause, r.WeakestTier, r.PathCount, r.BestPath.ToDto());

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
