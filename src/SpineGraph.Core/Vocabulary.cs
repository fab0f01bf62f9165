using System.Collections.Frozen;

namespace SpineGraph.Core;

/// <summary>
/// The model's fixed vocabulary: wire names of every enum, the Biolink mapping of categories and
/// predicates, and which (subject, predicate, object) category triples are allowed. This is the
/// allow-list that storage backends take labels and relationship types from.
/// </summary>
public static class Vocabulary
{
    public const string KnowledgeSource = "infores:spinegraph";

    public static readonly IReadOnlyList<NodeCategory> Categories = Enum.GetValues<NodeCategory>();
    public static readonly IReadOnlyList<Predicate> Predicates = Enum.GetValues<Predicate>();

    public static string Biolink(NodeCategory c) => c switch
    {
        NodeCategory.Condition => "biolink:Disease",
        NodeCategory.Mechanism => "biolink:PathologicalProcess",
        NodeCategory.Symptom => "biolink:PhenotypicFeature",
        NodeCategory.Treatment => "biolink:Treatment",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    /// <summary>Graph-database label of a category (from this allow-list only, never from input).</summary>
    public static string Label(NodeCategory c) => c switch
    {
        NodeCategory.Condition => "Condition",
        NodeCategory.Mechanism => "Mechanism",
        NodeCategory.Symptom => "Symptom",
        NodeCategory.Treatment => "Treatment",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static string Biolink(Predicate p) => p switch
    {
        Predicate.Causes => "biolink:causes",
        Predicate.HasPhenotype => "biolink:has_phenotype",
        Predicate.Treats or Predicate.Relieves => "biolink:treats_or_applied_or_studied_to_treat",
        Predicate.Targets => "biolink:affects",
        Predicate.HasAdverseEvent => "biolink:has_adverse_event",
        Predicate.SubclassOf => "biolink:subclass_of",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>Graph-database relationship type of a predicate (from this allow-list only).</summary>
    public static string RelationshipType(Predicate p) => p switch
    {
        Predicate.Causes => "CAUSES",
        Predicate.HasPhenotype => "HAS_PHENOTYPE",
        Predicate.Treats => "TREATS",
        Predicate.Relieves => "RELIEVES",
        Predicate.Targets => "TARGETS",
        Predicate.HasAdverseEvent => "HAS_ADVERSE_EVENT",
        Predicate.SubclassOf => "SUBCLASS_OF",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static string Description(Predicate p) => p switch
    {
        Predicate.Causes => "The subject condition or mechanism brings about the object mechanism, condition or symptom.",
        Predicate.HasPhenotype => "The condition shows the symptom, with no mechanism recorded in between.",
        Predicate.Treats => "The treatment is used or studied to treat the condition.",
        Predicate.Relieves => "The treatment is used or studied to relieve the symptom.",
        Predicate.Targets => "The treatment acts on the mechanism.",
        Predicate.HasAdverseEvent => "The treatment can bring about the symptom as an adverse event.",
        Predicate.SubclassOf => "The subject is a narrower kind of the object (same category).",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>The allowed (subject category, predicate, object category) triples.</summary>
    public static readonly IReadOnlyList<(NodeCategory Subject, Predicate Predicate, NodeCategory Object)> Signatures =
    [
        (NodeCategory.Condition, Predicate.Causes, NodeCategory.Mechanism),
        (NodeCategory.Condition, Predicate.Causes, NodeCategory.Condition),
        (NodeCategory.Mechanism, Predicate.Causes, NodeCategory.Mechanism),
        // A pathological process can bring about a disease (Biolink allows it): compression of a
        // nerve root causes radiculopathy and sciatica, never the reverse.
        (NodeCategory.Mechanism, Predicate.Causes, NodeCategory.Condition),
        (NodeCategory.Mechanism, Predicate.Causes, NodeCategory.Symptom),
        (NodeCategory.Condition, Predicate.HasPhenotype, NodeCategory.Symptom),
        (NodeCategory.Treatment, Predicate.Treats, NodeCategory.Condition),
        (NodeCategory.Treatment, Predicate.Relieves, NodeCategory.Symptom),
        (NodeCategory.Treatment, Predicate.Targets, NodeCategory.Mechanism),
        (NodeCategory.Treatment, Predicate.HasAdverseEvent, NodeCategory.Symptom),
        (NodeCategory.Condition, Predicate.SubclassOf, NodeCategory.Condition),
        (NodeCategory.Mechanism, Predicate.SubclassOf, NodeCategory.Mechanism),
        (NodeCategory.Symptom, Predicate.SubclassOf, NodeCategory.Symptom),
        (NodeCategory.Treatment, Predicate.SubclassOf, NodeCategory.Treatment),
    ];

    /// <summary>Predicates along which causation flows (upstream cause to downstream effect).</summary>
    public static readonly Predicate[] CausalPredicates = [Predicate.Causes, Predicate.HasPhenotype];


    public static bool IsAllowed(NodeCategory subject, Predicate predicate, NodeCategory obj)
    {
        foreach (var s in Signatures)
            if (s.Subject == subject && s.Predicate == predicate && s.Object == obj) return true;
        return false;
    }

    /// <summary>Our predicate for a Biolink predicate and the categories it joins, or null if none fits.</summary>
    public static Predicate? FromBiolink(string biolinkPredicate, NodeCategory subject, NodeCategory obj)
    {
        foreach (var s in Signatures)
            if (s.Subject == subject && s.Object == obj && Biolink(s.Predicate) == biolinkPredicate) return s.Predicate;
        return null;
    }

    public static readonly FrozenSet<string> BiolinkPredicates =
        Predicates.Select(p => Biolink(p)).ToFrozenSet(StringComparer.Ordinal);

    public static NodeCategory? CategoryFromBiolink(string biolinkClass) =>
        Categories.Cast<NodeCategory?>().FirstOrDefault(c => Biolink(c!.Value) == biolinkClass);

    /// <summary>snake_case wire name of any vocabulary enum value (e.g. <c>NoBenefit</c> → <c>no_benefit</c>).</summary>
    public static string Snake<T>(T value) where T : struct, Enum
    {
        if (value is EvidenceTier t) return t.ToString();
        var s = value.ToString();
        var sb = new System.Text.StringBuilder(s.Length + 4);
        for (var i = 0; i < s.Length; i++)
        {
            var ch = s[i];
            if (char.IsUpper(ch))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(ch));
            }
            else sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>Parses a wire name (snake_case, case-insensitive) of a vocabulary enum.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var trimmed = text.Trim();
        foreach (var v in Enum.GetValues<T>())
        {
            if (string.Equals(Snake(v), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }
        return false;
    }

    /// <summary>All wire names of a vocabulary enum, for error messages and documentation.</summary>
    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(v => Snake(v)).ToArray();
}
