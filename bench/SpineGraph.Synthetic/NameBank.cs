using SpineGraph.Core;

namespace SpineGraph.Synthetic;

/// <summary>
/// Words for generated names. A node's name is two or three spine-care words chosen by a hash of
/// its index, followed by the index itself (which makes every name, synonym and lay term unique).
/// </summary>
internal static class NameBank
{
    public static readonly string[] ConditionRegions =
        ["Cervical", "Thoracic", "Lumbar", "Sacral", "Lumbosacral", "Thoracolumbar", "Cervicothoracic", "Multilevel"];

    public static readonly string[] ConditionNouns =
        ["stenosis", "spondylosis", "radiculopathy", "myelopathy", "disc herniation", "facet arthropathy",
         "spondylolisthesis", "disc degeneration", "sprain", "instability", "scoliosis", "dystonia"];

    public static readonly string[] MechanismSites =
        ["Nerve root", "Facet joint", "Disc", "Paraspinal muscle", "Ligament", "Endplate", "Dorsal root ganglion", "Spinal cord"];

    public static readonly string[] MechanismProcesses =
        ["compression", "inflammation", "irritation", "ischaemia", "sensitisation", "degeneration", "overactivity", "instability"];

    public static readonly string[] SymptomSites =
        ["Low back", "Neck", "Leg", "Arm", "Buttock", "Shoulder", "Foot", "Hand", "Thigh", "Calf"];

    public static readonly string[] SymptomFeelings =
        ["pain", "numbness", "tingling", "weakness", "stiffness", "cramp", "burning", "spasm", "heaviness", "ache"];

    public static readonly string[] LayWords =
        ["sore", "achy", "pins and needles", "dead feeling", "tight", "throbbing", "knotted", "shooting"];

    /// <summary>Treatment kinds in the generated proportions (per cent) and base names per kind.</summary>
    public static readonly (TreatmentKind Kind, int Percent, string[] Bases)[] Treatments =
    [
        (TreatmentKind.Drug, 30, ["Ibuprofen", "Naproxen", "Gabapentin", "Pregabalin", "Duloxetine", "Cyclobenzaprine", "Tizanidine", "Diclofenac"]),
        (TreatmentKind.Injection, 10, ["Epidural steroid injection", "Facet joint injection", "Trigger point injection", "Botulinum toxin injection"]),
        (TreatmentKind.Procedure, 12, ["Laminectomy", "Microdiscectomy", "Spinal fusion", "Radiofrequency ablation"]),
        (TreatmentKind.Physical, 18, ["Physiotherapy", "Directional preference exercise", "Spinal manipulation", "Massage"]),
        (TreatmentKind.SelfCare, 18, ["Heat wrap", "Walking programme", "Stretching routine", "Activity pacing"]),
        (TreatmentKind.Device, 7, ["TENS unit", "Lumbar brace", "Cervical collar"]),
        (TreatmentKind.Other, 5, ["Acupuncture", "Cognitive behavioural therapy"]),
    ];

    public static readonly int[] TreatmentKindWeights = Treatments.Select(t => t.Percent).ToArray();

    public static readonly string[] Contexts =
        ["acute low back pain", "chronic low back pain", "older adults", "after spinal surgery", "sciatica", "neck pain in office workers"];
}
