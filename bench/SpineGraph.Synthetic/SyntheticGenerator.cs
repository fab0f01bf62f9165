using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using SpineGraph.Core;

namespace SpineGraph.Synthetic;

/// <summary>Size and seed of a synthetic graph.</summary>
public sealed record SyntheticOptions(int Edges, ulong Seed = SyntheticOptions.DefaultSeed)
{
    public const ulong DefaultSeed = 42;
    public const int MinEdges = 1_000;
    public const int MaxEdges = 100_000_000;
}

/// <summary>
/// Writes a synthetic graph seed (nodes.jsonl, edges.jsonl, sources.jsonl, plus synthetic.json) that
/// the <c>SeedLoader</c> accepts. Deterministic: the same edge count and seed give the same bytes.
/// Streams the JSON; keeps only integer arrays (node weights, degrees, the causal edges) in memory.
/// See README.md for the shape of the graph.
/// </summary>
public sealed class SyntheticGenerator
{
    /// <summary>Node categories in per cent of the nodes (condition, mechanism, symptom, treatment).</summary>
    public static readonly int[] CategoryPercent = [15, 15, 40, 30];

    /// <summary>Cumulative per cent of conditions in causal levels 0, 1, 2.</summary>
    private static readonly int[] ConditionLevelCum = [0, 50, 80, 100];

    /// <summary>Cumulative per cent of mechanisms in causal levels 1, 2, 3, 4.</summary>
    private static readonly int[] MechanismLevelCum = [0, 35, 65, 85, 100];

    private const int SourceCount = 50;
    private const double WeightScale = 1099511627776.0; // 2^40

    /// <summary>The kinds of edge generated, each one allowed signature.</summary>
    internal enum Kind { CondCausesMech, CondCausesCond, MechCausesMech, MechCausesSymp, CondHasPhenotype, Treats, Relieves, Targets, AdverseEvent, SubclassOf, MechCausesCond }

    private static readonly (Kind Kind, NodeCategory Subject, Predicate Predicate, NodeCategory Object, int Percent)[] Kinds =
    [
        (Kind.CondCausesMech, NodeCategory.Condition, Predicate.Causes, NodeCategory.Mechanism, 11),
        (Kind.CondCausesCond, NodeCategory.Condition, Predicate.Causes, NodeCategory.Condition, 3),
        (Kind.MechCausesMech, NodeCategory.Mechanism, Predicate.Causes, NodeCategory.Mechanism, 5),
        (Kind.MechCausesSymp, NodeCategory.Mechanism, Predicate.Causes, NodeCategory.Symptom, 18),
        (Kind.CondHasPhenotype, NodeCategory.Condition, Predicate.HasPhenotype, NodeCategory.Symptom, 10),
        (Kind.Treats, NodeCategory.Treatment, Predicate.Treats, NodeCategory.Condition, 10),
        (Kind.Relieves, NodeCategory.Treatment, Predicate.Relieves, NodeCategory.Symptom, 28),
        (Kind.Targets, NodeCategory.Treatment, Predicate.Targets, NodeCategory.Mechanism, 5),
        (Kind.AdverseEvent, NodeCategory.Treatment, Predicate.HasAdverseEvent, NodeCategory.Symptom, 5),
        (Kind.SubclassOf, NodeCategory.Symptom, Predicate.SubclassOf, NodeCategory.Symptom, 4), // all four categories, by size
        (Kind.MechCausesCond, NodeCategory.Mechanism, Predicate.Causes, NodeCategory.Condition, 1), // first-level mechanisms → deepest conditions
    ];

    /// <summary>Where edges go when a kind cannot take its share (only at the smallest sizes).</summary>
    private static readonly Kind[] SpillOrder = [Kind.MechCausesSymp, Kind.Relieves, Kind.CondHasPhenotype, Kind.Treats];

    private static readonly string[] CategoryWord = ["condition", "mechanism", "symptom", "treatment"];

    private readonly SyntheticOptions _options;
    private readonly ulong _seed;
    private readonly int _n;
    private readonly int[] _start = new int[5]; // first node index of each category, and the end
    private readonly int[] _condLevelStart = new int[4];
    private readonly int[] _mechLevelStart = new int[5]; // index 0 is level 1
    private readonly long[][] _objectCdf = new long[4][];
    private readonly long[][] _subjectCdf = new long[4][];
    private readonly long[] _sourceCdf = new long[SourceCount];

    // Statistics, all integer arrays.
    private readonly int[] _degree;
    private readonly int[] _causalIn;
    private readonly int[] _causalOut;
    private readonly int[] _treatmentIn;
    private int[] _causalSrc = [];
    private int[] _causalDst = [];
    private int _causalCount;
    private readonly int[] _kindCount = new int[Enum.GetValues<Kind>().Length];
    private readonly int[] _subclassByCategory = new int[4];
    private readonly int[] _tierCount = new int[6];

    // Reusable buffers for the JSON.
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private readonly CharBuffer _id = new(), _subject = new(), _object = new(), _claim = new(), _text = new();
    private readonly HashSet<int> _chosen = [];

    private SyntheticGenerator(SyntheticOptions options)
    {
        if (options.Edges is < SyntheticOptions.MinEdges or > SyntheticOptions.MaxEdges)
            throw new ArgumentOutOfRangeException(nameof(options), $"--edges must be {SyntheticOptions.MinEdges} to {SyntheticOptions.MaxEdges}");
        _options = options;
        _seed = options.Seed;
        _n = options.Edges / 10;
        var counts = new int[4];
        counts[0] = _n * CategoryPercent[0] / 100;
        counts[1] = _n * CategoryPercent[1] / 100;
        counts[2] = _n * CategoryPercent[2] / 100;
        counts[3] = _n - counts[0] - counts[1] - counts[2];
        for (var c = 0; c < 4; c++) _start[c + 1] = _start[c] + counts[c];
        for (var l = 0; l < _condLevelStart.Length; l++) _condLevelStart[l] = _start[0] + counts[0] * ConditionLevelCum[l] / 100;
        for (var l = 0; l < _mechLevelStart.Length; l++) _mechLevelStart[l] = _start[1] + counts[1] * MechanismLevelCum[l] / 100;

        _degree = new int[_n];
        _causalIn = new int[_n];
        _causalOut = new int[_n];
        _treatmentIn = new int[_n];
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    /// <summary>Writes the seed folder <paramref name="outDir"/> and returns the summary (also written there).</summary>
    public static SyntheticSummary Generate(SyntheticOptions options, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var g = new SyntheticGenerator(options);
        g.BuildWeights();
        g.WriteSources(Path.Combine(outDir, "sources.jsonl"));
        g.WriteNodes(Path.Combine(outDir, "nodes.jsonl"));
        g.WriteEdges(Path.Combine(outDir, "edges.jsonl"));
        var summary = g.Summarize();
        File.WriteAllText(Path.Combine(outDir, SyntheticSummary.FileName), summary.ToJson() + "\n");
        return summary;
    }

    // ---------------------------------------------------------------- layout

    private int Count(NodeCategory c) => _start[(int)c + 1] - _start[(int)c];

    private NodeCategory CategoryOf(int node)
    {
        for (var c = 0; c < 4; c++)
            if (node < _start[c + 1]) return (NodeCategory)c;
        throw new ArgumentOutOfRangeException(nameof(node));
    }

    /// <summary>Causal level of a condition (0..2) or mechanism (1..4); symptoms are below every level.</summary>
    private int Level(int node)
    {
        if (node < _start[1])
        {
            for (var l = 1; l < _condLevelStart.Length; l++)
                if (node < _condLevelStart[l]) return l - 1;
        }
        else if (node < _start[2])
        {
            for (var l = 1; l < _mechLevelStart.Length; l++)
                if (node < _mechLevelStart[l]) return l;
        }
        throw new ArgumentOutOfRangeException(nameof(node));
    }

    /// <summary>First mechanism whose level is at least <paramref name="level"/>.</summary>
    private int MechanismsFromLevel(int level) => level <= 1 ? _start[1] : level >= 5 ? _start[2] : _mechLevelStart[level - 1];

    /// <summary>First condition whose level is at least <paramref name="level"/>.</summary>
    private int ConditionsFromLevel(int level) => level >= 3 ? _start[1] : _condLevelStart[level];

    private (int Lo, int Hi) Subjects(Kind k) => k switch
    {
        Kind.CondCausesCond => (_start[0], ConditionsFromLevel(2)),
        Kind.MechCausesMech => (_start[1], MechanismsFromLevel(4)),
        Kind.MechCausesCond => (_start[1], MechanismsFromLevel(2)),
        _ => (_start[(int)Kinds[(int)k].Subject], _start[(int)Kinds[(int)k].Subject + 1]),
    };

    /// <summary>The objects a subject may point to: for causal edges only deeper levels, which keeps the causal layer acyclic.</summary>
    private (int Lo, int Hi) Objects(Kind k, int subject) => k switch
    {
        Kind.CondCausesMech => (MechanismsFromLevel(Level(subject) + 1), _start[2]),
        Kind.CondCausesCond => (ConditionsFromLevel(Level(subject) + 1), _start[1]),
        Kind.MechCausesMech => (MechanismsFromLevel(Level(subject) + 1), _start[2]),
        Kind.MechCausesCond => (ConditionsFromLevel(Level(subject) + 1), _start[1]),
        _ => (_start[(int)Kinds[(int)k].Object], _start[(int)Kinds[(int)k].Object + 1]),
    };

    // ---------------------------------------------------------------- weights

    /// <summary>
    /// Each node gets a random popularity rank within its category. As an object it is chosen with
    /// weight 1/(rank+1) (Zipf, exponent 1: a few hubs, a long sparse tail); as a subject with weight
    /// 1/sqrt(rank+1) (milder). Only IEEE division and square root, which are exact on every platform.
    /// </summary>
    private void BuildWeights()
    {
        var rng = new Xoshiro256(_seed, 1);
        for (var c = 0; c < 4; c++)
        {
            var n = Count((NodeCategory)c);
            var rank = rng.Permutation(n);
            var obj = new long[n];
            var subj = new long[n];
            long so = 0, ss = 0;
            for (var i = 0; i < n; i++)
            {
                so += 1 + (long)(WeightScale / (rank[i] + 1.0));
                ss += 1 + (long)(WeightScale / Math.Sqrt(rank[i] + 1.0));
                obj[i] = so;
                subj[i] = ss;
            }
            _objectCdf[c] = obj;
            _subjectCdf[c] = subj;
        }
        long s = 0;
        for (var i = 0; i < SourceCount; i++)
        {
            s += (long)(WeightScale / (i + 2.0));
            _sourceCdf[i] = s;
        }
    }

    /// <summary>A local index in [lo, hi) with probability proportional to its weight in <paramref name="cdf"/>.</summary>
    private static int Sample(long[] cdf, int lo, int hi, Xoshiro256 rng)
    {
        var baseValue = lo > 0 ? cdf[lo - 1] : 0;
        var u = baseValue + (long)rng.NextBelow((ulong)(cdf[hi - 1] - baseValue));
        int a = lo, b = hi - 1;
        while (a < b)
        {
            var m = (a + b) >>> 1;
            if (cdf[m] > u) b = m;
            else a = m + 1;
        }
        return a;
    }

    private int SampleNode(long[][] cdfs, int lo, int hi, Xoshiro256 rng)
    {
        var c = (int)CategoryOf(lo);
        return _start[c] + Sample(cdfs[c], lo - _start[c], hi - _start[c], rng);
    }

    // ---------------------------------------------------------------- names

    private ulong NodeHash(int node) => Xoshiro256.Hash(_seed, (ulong)node);

    private void AppendLocalId(CharBuffer b, int node) => b.Append(CategoryWord[(int)CategoryOf(node)]).Append('-').Append(node);

    private void AppendId(CharBuffer b, int node) => AppendLocalId(b.Append("sg:"), node);

    private (TreatmentKind Kind, string Base) Treatment(ulong h)
    {
        var pct = (int)((h >> 16) % 100);
        foreach (var (kind, percent, bases) in NameBank.Treatments)
        {
            if (pct < percent) return (kind, bases[(int)((h >> 24) % (ulong)bases.Length)]);
            pct -= percent;
        }
        return (TreatmentKind.Other, NameBank.Treatments[^1].Bases[0]);
    }

    private void AppendName(CharBuffer b, int node)
    {
        var h = NodeHash(node);
        switch (CategoryOf(node))
        {
            case NodeCategory.Condition:
                b.Append(Word(NameBank.ConditionRegions, h, 0)).Append(' ').Append(Word(NameBank.ConditionNouns, h, 8));
                break;
            case NodeCategory.Mechanism:
                b.Append(Word(NameBank.MechanismSites, h, 0)).Append(' ').Append(Word(NameBank.MechanismProcesses, h, 8));
                break;
            case NodeCategory.Symptom:
                b.Append(Word(NameBank.SymptomSites, h, 0)).Append(' ').Append(Word(NameBank.SymptomFeelings, h, 8));
                break;
            default:
                b.Append(Treatment(h).Base);
                break;
        }
        b.Append(' ').Append(node);
    }

    private static string Word(string[] words, ulong h, int shift) => words[(int)((h >> shift) % (ulong)words.Length)];

    // ---------------------------------------------------------------- sources

    private void WriteSources(string path)
    {
        var rng = new Xoshiro256(_seed, 2);
        string[] authors = ["Smith", "Garcia", "Nguyen", "Okafor", "Larsen", "Tanaka", "Rossi", "Kowalski", "Haddad", "Silva"];
        string[] journals = ["Spine", "Pain", "European Spine Journal", "BMJ", "Journal of Orthopaedic and Sports Physical Therapy", "Cochrane Database of Systematic Reviews"];
        (SourceKind Kind, int Weight)[] kinds =
            [(SourceKind.SystematicReview, 30), (SourceKind.Guideline, 16), (SourceKind.Rct, 28), (SourceKind.Review, 14), (SourceKind.Regulatory, 4), (SourceKind.Other, 8)];
        var weights = kinds.Select(k => k.Weight).ToArray();
        using var file = Open(path);
        for (var i = 0; i < SourceCount; i++)
        {
            var kind = kinds[rng.Pick(weights)].Kind;
            var year = 1995 + rng.NextInt(30);
            var citation = kind == SourceKind.Guideline
                ? $"Synthetic Spine Guideline Group, guideline {i + 1}, {year}"
                : $"{authors[rng.NextInt(authors.Length)]} et al. (synthetic), {journals[rng.NextInt(journals.Length)]}, {year}";
            _json.Reset(_buffer);
            _json.WriteStartObject();
            _json.WriteString("id", SourceId(i));
            _json.WriteString("kind", Vocabulary.Snake(kind));
            _json.WriteString("citation", citation);
            _json.WriteNumber("year", year);
            _json.WriteString("note", "synthetic source for benchmarks");
            _json.WriteEndObject();
            Flush(file);
        }
    }

    private static string SourceId(int i) => "PMID:" + (9_000_001 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- nodes

    private void WriteNodes(string path)
    {
        using var file = Open(path);
        for (var node = 0; node < _n; node++)
        {
            var category = CategoryOf(node);
            var h = NodeHash(node);
            _json.Reset(_buffer);
            _json.WriteStartObject();
            AppendId(_id.Clear(), node);
            _json.WriteString("id", _id.Span);
            _json.WriteStartArray("category");
            _json.WriteStringValue(Vocabulary.Biolink(category));
            _json.WriteEndArray();
            AppendName(_text.Clear(), node);
            _json.WriteString("name", _text.Span);
            switch (category)
            {
                case NodeCategory.Condition:
                    _json.WriteString("description", _text.Clear().Append("Generated condition at causal level ").Append(Level(node))
                        .Append(" for benchmarks; not a real diagnosis.").Span);
                    if ((h >> 32) % 20 == 0)
                    {
                        _json.WriteStartArray("synonym");
                        _json.WriteStringValue(_text.Clear().Append(Word(NameBank.ConditionRegions, h, 0)).Append(' ')
                            .Append(Word(NameBank.ConditionNouns, h, 8)).Append(" syndrome ").Append(node).Span);
                        _json.WriteEndArray();
                    }
                    break;
                case NodeCategory.Mechanism:
                    _json.WriteString("description", _text.Clear().Append("Generated mechanism at causal level ").Append(Level(node))
                        .Append(" for benchmarks.").Span);
                    break;
                case NodeCategory.Symptom:
                    _json.WriteString("description", "Generated symptom for benchmarks.");
                    if ((h >> 32) % 10 == 0)
                    {
                        _json.WriteStartArray("lay_terms");
                        _json.WriteStringValue(_text.Clear().Append(Word(NameBank.LayWords, h, 40)).Append(' ')
                            .Append(Word(NameBank.SymptomSites, h, 0).ToLowerInvariant()).Append(' ').Append(node).Span);
                        _json.WriteEndArray();
                    }
                    var urgency = (h >> 48) % 100;
                    if (urgency < 2)
                    {
                        _json.WriteString("urgency", urgency == 0 ? "emergency" : "urgent");
                        _json.WriteString("urgency_reason", "Generated red flag for benchmarks; real red flags cite the guidance.");
                    }
                    break;
                default:
                    var kind = Treatment(h).Kind;
                    _json.WriteString("description", _text.Clear().Append("Generated ").Append(Vocabulary.Snake(kind).Replace('_', '-'))
                        .Append(" treatment for benchmarks; not a recommendation.").Span);
                    _json.WriteString("treatment_kind", Vocabulary.Snake(kind));
                    break;
            }
            _json.WriteEndObject();
            Flush(file);
        }
    }

    // ---------------------------------------------------------------- edges

    /// <summary>How many edges of each kind, summing to exactly the requested count.</summary>
    private int[] Plan()
    {
        var total = _options.Edges;
        var plan = new int[Kinds.Length];
        var assigned = 0;
        foreach (var k in Kinds)
        {
            plan[(int)k.Kind] = (int)((long)total * k.Percent / 100);
            assigned += plan[(int)k.Kind];
        }
        plan[(int)Kind.MechCausesSymp] += total - assigned;

        // Subclass edges: a forest in each category, at most half the category has a parent.
        var sub = plan[(int)Kind.SubclassOf];
        var placed = 0;
        for (var c = 0; c < 4; c++)
        {
            var want = c == 3 ? sub - placed : (int)((long)sub * Count((NodeCategory)c) / _n);
            _subclassByCategory[c] = Math.Min(want, Count((NodeCategory)c) / 2);
            placed += _subclassByCategory[c];
        }
        var spill = sub - placed;
        plan[(int)Kind.SubclassOf] = placed;

        // Other kinds: at most half of all possible (subject, object) pairs.
        foreach (var k in Kinds)
        {
            if (k.Kind == Kind.SubclassOf) continue;
            var room = Capacity(k.Kind) / 2;
            if (plan[(int)k.Kind] > room)
            {
                spill += plan[(int)k.Kind] - (int)room;
                plan[(int)k.Kind] = (int)room;
            }
        }
        foreach (var k in SpillOrder)
        {
            if (spill == 0) break;
            var room = (int)Math.Min(int.MaxValue, Capacity(k) / 2) - plan[(int)k];
            var take = Math.Min(room, spill);
            if (take <= 0) continue;
            plan[(int)k] += take;
            spill -= take;
        }
        if (spill > 0) throw new InvalidOperationException($"cannot place {spill} edges; ask for more edges");
        return plan;
    }

    private long Capacity(Kind k)
    {
        var (lo, hi) = Subjects(k);
        long cap = 0;
        for (var s = lo; s < hi; s++)
        {
            var (olo, ohi) = Objects(k, s);
            cap += Math.Max(0, ohi - olo);
        }
        return cap;
    }

    private void WriteEdges(string path)
    {
        var plan = Plan();
        _causalSrc = new int[plan[(int)Kind.CondCausesMech] + plan[(int)Kind.CondCausesCond] + plan[(int)Kind.MechCausesMech] + plan[(int)Kind.MechCausesCond] +
                             plan[(int)Kind.MechCausesSymp] + plan[(int)Kind.CondHasPhenotype]];
        _causalDst = new int[_causalSrc.Length];
        using var file = Open(path);
        var stream = 10UL;
        foreach (var k in Kinds)
        {
            if (k.Kind == Kind.SubclassOf) WriteSubclassEdges(file, new Xoshiro256(_seed, stream++));
            else WriteEdgesOfKind(file, k.Kind, plan[(int)k.Kind], new Xoshiro256(_seed, stream++));
        }
    }

    /// <summary>
    /// Out-degrees first (each edge's subject drawn by subject weight, capped by how many objects it may
    /// reach), then per subject that many distinct objects drawn by object weight; so no pair repeats.
    /// </summary>
    private void WriteEdgesOfKind(Stream file, Kind kind, int count, Xoshiro256 rng)
    {
        var (lo, hi) = Subjects(kind);
        var degree = new int[hi - lo];
        var cap = new int[hi - lo];
        for (var s = lo; s < hi; s++)
        {
            var (olo, ohi) = Objects(kind, s);
            cap[s - lo] = Math.Max(0, ohi - olo);
        }
        for (var e = 0; e < count; e++)
        {
            var placed = false;
            for (var attempt = 0; attempt < 64 && !placed; attempt++)
            {
                var s = SampleNode(_subjectCdf, lo, hi, rng) - lo;
                if (degree[s] < cap[s]) { degree[s]++; placed = true; }
            }
            if (placed) continue;
            var from = rng.NextInt(hi - lo);
            for (var i = 0; i < hi - lo && !placed; i++)
            {
                var s = (from + i) % (hi - lo);
                if (degree[s] < cap[s]) { degree[s]++; placed = true; }
            }
            if (!placed) throw new InvalidOperationException($"no room for {kind} edges");
        }

        for (var s = lo; s < hi; s++)
        {
            var d = degree[s - lo];
            if (d == 0) continue;
            var (olo, ohi) = Objects(kind, s);
            _chosen.Clear();
            if (d == ohi - olo)
            {
                for (var o = olo; o < ohi; o++) WriteEdge(file, kind, s, o, rng);
                continue;
            }
            for (var j = 0; j < d; j++)
            {
                var o = -1;
                for (var attempt = 0; attempt < 64; attempt++)
                {
                    var c = SampleNode(_objectCdf, olo, ohi, rng);
                    if (_chosen.Add(c)) { o = c; break; }
                }
                if (o < 0)
                {
                    var from = rng.NextInt(ohi - olo);
                    for (var i = 0; i < ohi - olo; i++)
                    {
                        var c = olo + (from + i) % (ohi - olo);
                        if (_chosen.Add(c)) { o = c; break; }
                    }
                }
                WriteEdge(file, kind, s, o, rng);
            }
        }
    }

    /// <summary>
    /// A shallow forest per category: in a random order, the last k nodes each get one parent earlier
    /// in the order (so no cycle); a parent is a root (depth 0) or, one time in four, a depth-1 node.
    /// Depth is at most 2.
    /// </summary>
    private void WriteSubclassEdges(Stream file, Xoshiro256 rng)
    {
        for (var c = 0; c < 4; c++)
        {
            var n = Count((NodeCategory)c);
            var k = _subclassByCategory[c];
            if (k == 0) continue;
            var order = rng.Permutation(n);
            var depth = new byte[n];
            var roots = n - k;
            for (var j = roots; j < n; j++)
            {
                var parent = order[rng.NextInt(roots)];
                if (j > roots && rng.NextInt(4) == 0)
                {
                    var candidate = order[roots + rng.NextInt(j - roots)];
                    if (depth[candidate] == 1) parent = candidate;
                }
                depth[order[j]] = (byte)(depth[parent] + 1);
                WriteEdge(file, Kind.SubclassOf, _start[c] + order[j], _start[c] + parent, rng);
            }
        }
    }

    private static readonly int[] CausalTiers = [2, 10, 20, 23, 45];
    private static readonly int[] TreatmentTiers = [5, 15, 25, 20, 35];
    private static readonly int[] AdverseTiers = [0, 10, 25, 25, 40];
    private static readonly int[] CausalEffects = [20, 80, 0, 0];
    private static readonly int[] TreatmentEffects = [35, 40, 18, 7];
    private static readonly int[] AdverseEffects = [0, 8, 0, 92];
    private static readonly (KnowledgeLevel Level, int Weight)[] CausalLevels =
        [(KnowledgeLevel.KnowledgeAssertion, 70), (KnowledgeLevel.StatisticalAssociation, 15), (KnowledgeLevel.Prediction, 10), (KnowledgeLevel.Observation, 5)];
    private static readonly (KnowledgeLevel Level, int Weight)[] TreatmentLevels =
        [(KnowledgeLevel.KnowledgeAssertion, 85), (KnowledgeLevel.StatisticalAssociation, 10), (KnowledgeLevel.NotProvided, 5)];
    private static readonly (AgentType Agent, int Weight)[] Agents =
        [(AgentType.ManualAgent, 90), (AgentType.ManualValidationOfAutomatedAgent, 7), (AgentType.TextMiningAgent, 3)];
    private static readonly int[] CausalLevelWeights = CausalLevels.Select(x => x.Weight).ToArray();
    private static readonly int[] TreatmentLevelWeights = TreatmentLevels.Select(x => x.Weight).ToArray();
    private static readonly int[] AgentWeights = Agents.Select(x => x.Weight).ToArray();
    private static readonly int[] PublicationCounts = [0, 75, 21, 4];

    private static readonly string[] TierNames = ["T1", "T2", "T3", "T4", "T5"];

    private void WriteEdge(Stream file, Kind kind, int s, int o, Xoshiro256 rng)
    {
        var predicate = Kinds[(int)kind].Predicate;
        var causal = predicate is Predicate.Causes or Predicate.HasPhenotype;
        var treatment = predicate is Predicate.Treats or Predicate.Relieves or Predicate.Targets;

        int tier;
        Effect effect;
        KnowledgeLevel level;
        var agent = AgentType.ManualAgent;
        if (kind == Kind.SubclassOf)
        {
            tier = 5;
            effect = Effect.Benefit;
            level = KnowledgeLevel.KnowledgeAssertion;
        }
        else if (causal)
        {
            tier = 1 + rng.Pick(CausalTiers);
            effect = (Effect)rng.Pick(CausalEffects);
            level = CausalLevels[rng.Pick(CausalLevelWeights)].Level;
            agent = Agents[rng.Pick(AgentWeights)].Agent;
        }
        else if (treatment)
        {
            tier = 1 + rng.Pick(TreatmentTiers);
            effect = (Effect)rng.Pick(TreatmentEffects);
            level = TreatmentLevels[rng.Pick(TreatmentLevelWeights)].Level;
            agent = Agents[rng.Pick(AgentWeights)].Agent;
        }
        else
        {
            tier = 1 + rng.Pick(AdverseTiers);
            effect = (Effect)rng.Pick(AdverseEffects);
            level = KnowledgeLevel.KnowledgeAssertion;
        }

        // Statistics.
        _kindCount[(int)kind]++;
        _tierCount[tier]++;
        _degree[s]++;
        _degree[o]++;
        if (causal)
        {
            _causalOut[s]++;
            _causalIn[o]++;
            _causalSrc[_causalCount] = s;
            _causalDst[_causalCount] = o;
            _causalCount++;
        }
        if (treatment) _treatmentIn[o]++;

        _json.Reset(_buffer);
        _json.WriteStartObject();
        AppendEdgeId(_id.Clear(), s, predicate, o);
        _json.WriteString("id", _id.Span);
        AppendId(_subject.Clear(), s);
        _json.WriteString("subject", _subject.Span);
        _json.WriteString("predicate", Vocabulary.Biolink(predicate));
        AppendId(_object.Clear(), o);
        _json.WriteString("object", _object.Span);
        _json.WriteString("evidence_tier", TierNames[tier - 1]);
        _json.WriteString("effect", Vocabulary.Snake(effect));
        _json.WriteString("knowledge_level", Vocabulary.Snake(level));
        _json.WriteString("agent_type", Vocabulary.Snake(agent));
        AppendClaim(_claim.Clear(), kind, effect, s, o);
        _json.WriteString("claim", _claim.Span);
        if (treatment && rng.NextInt(10) == 0) _json.WriteString("context", NameBank.Contexts[rng.NextInt(NameBank.Contexts.Length)]);
        _json.WriteStartArray("publications");
        var pubs = rng.Pick(PublicationCounts);
        var first = -1;
        var second = -1;
        for (var p = 0; p < pubs; p++)
        {
            int src;
            do src = Sample(_sourceCdf, 0, SourceCount, rng);
            while (src == first || src == second);
            if (p == 0) first = src;
            else second = src;
            _json.WriteStringValue(SourceIds[src]);
        }
        _json.WriteEndArray();
        _json.WriteString("primary_knowledge_source", Vocabulary.KnowledgeSource);
        _json.WriteEndObject();
        Flush(file);
    }

    private static readonly string[] SourceIds = Enumerable.Range(0, SourceCount).Select(SourceId).ToArray();

    /// <summary><c>sg:e-&lt;subject&gt;--&lt;predicate&gt;--&lt;object&gt;</c>, as in the curated seed; unique because no pair repeats within a predicate.</summary>
    private void AppendEdgeId(CharBuffer b, int s, Predicate predicate, int o)
    {
        b.Append("sg:e-");
        AppendLocalId(b, s);
        b.Append("--").Append(Vocabulary.Snake(predicate)).Append("--");
        AppendLocalId(b, o);
    }

    /// <summary>The edge id of a causal step, as written (has_phenotype from a condition to a symptom, else causes).</summary>
    private string CausalEdgeId(int s, int o)
    {
        var p = CategoryOf(s) == NodeCategory.Condition && CategoryOf(o) == NodeCategory.Symptom ? Predicate.HasPhenotype : Predicate.Causes;
        var b = new CharBuffer();
        AppendEdgeId(b, s, p, o);
        return b.ToString();
    }

    private void AppendClaim(CharBuffer b, Kind kind, Effect effect, int s, int o)
    {
        AppendName(b, s);
        switch (kind)
        {
            case Kind.CondHasPhenotype: b.Append(" commonly presents with "); break;
            case Kind.AdverseEvent: b.Append(" can bring on "); break;
            case Kind.SubclassOf: b.Append(" is a narrower kind of "); break;
            case Kind.Treats or Kind.Relieves or Kind.Targets:
                b.Append(effect switch
                {
                    Effect.Benefit => kind == Kind.Targets ? " reduces " : " improves ",
                    Effect.NoBenefit => " does not improve ",
                    Effect.Harm => " may worsen ",
                    _ => " has an uncertain effect on ",
                });
                break;
            default: b.Append(" can lead to "); break;
        }
        var at = b.Length;
        AppendName(b, o);
        b.LowerAt(at);
        b.Append(kind == Kind.AdverseEvent ? " as an adverse event." : ".");
    }

    // ---------------------------------------------------------------- output

    private static FileStream Open(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);

    private void Flush(Stream file)
    {
        _json.Flush();
        file.Write(_buffer.WrittenSpan);
        file.WriteByte((byte)'\n');
        _buffer.ResetWrittenCount();
    }

    // ---------------------------------------------------------------- summary

    private SyntheticSummary Summarize()
    {
        var (fwdStart, fwd) = Csr(_causalSrc, _causalDst);
        var (revStart, rev) = Csr(_causalDst, _causalSrc);
        _causalSrc = [];
        _causalDst = [];
        var mark = new int[_n];
        var stamp = 0;
        var queue = new int[_n];

        int Reach(int node, int[] start, int[] adj)
        {
            stamp++;
            mark[node] = stamp;
            int head = 0, tail = 0, count = 0;
            queue[tail++] = node;
            while (head < tail)
            {
                var x = queue[head++];
                for (var i = start[x]; i < start[x + 1]; i++)
                {
                    var y = adj[i];
                    if (mark[y] == stamp) continue;
                    mark[y] = stamp;
                    queue[tail++] = y;
                    count++;
                }
            }
            return count;
        }

        NodePick Pick(int node)
        {
            _text.Clear();
            AppendName(_text, node);
            var b = new CharBuffer();
            AppendId(b, node);
            return new NodePick(b.ToString(), _text.ToString(), _degree[node], _causalIn[node], _causalOut[node], _treatmentIn[node],
                Reach(node, revStart, rev), Reach(node, fwdStart, fwd));
        }

        // Hub symptom: of the 16 symptoms with most causal + treatment edges in, the one with the largest upstream neighbourhood.
        var symptoms = Enumerable.Range(_start[2], Count(NodeCategory.Symptom)).ToArray();
        var candidates = symptoms.OrderByDescending(s => _causalIn[s] + _treatmentIn[s]).ThenBy(s => s).Take(16).ToArray();
        var hubSymptom = candidates.Select(s => (s, Up: Reach(s, revStart, rev))).OrderByDescending(x => x.Up).ThenBy(x => x.s).First().s;
        var medianSymptom = Median(symptoms);
        var conditions = Enumerable.Range(_start[0], Count(NodeCategory.Condition)).ToArray();
        var hubCondition = conditions.OrderByDescending(c => _degree[c]).ThenBy(c => c).First();
        var medianCondition = Median(conditions);

        var summary = new SyntheticSummary(
            Generator: "SpineGraph.Synthetic 1",
            EdgesRequested: _options.Edges,
            Seed: _seed,
            Nodes: _n,
            Edges: _kindCount.Sum(),
            Sources: SourceCount,
            Categories: Vocabulary.Categories.ToDictionary(c => Vocabulary.Snake(c), Count),
            Predicates: Vocabulary.Predicates.ToDictionary(p => Vocabulary.Snake(p),
                p => Kinds.Where(k => k.Predicate == p).Sum(k => _kindCount[(int)k.Kind])),
            Signatures: SignatureCounts(),
            Tiers: Enumerable.Range(1, 5).ToDictionary(t => TierNames[t - 1], t => _tierCount[t]),
            HubSymptom: Pick(hubSymptom),
            MedianSymptom: Pick(medianSymptom),
            HubCondition: Pick(hubCondition),
            MedianCondition: Pick(medianCondition),
            Path3: FindPath3(conditions, fwdStart, fwd));
        return summary;
    }

    private int Median(int[] nodes)
    {
        var sorted = nodes.OrderBy(x => _degree[x]).ThenBy(x => x).ToArray();
        return sorted[sorted.Length / 2];
    }

    private Dictionary<string, int> SignatureCounts()
    {
        var result = new Dictionary<string, int>();
        foreach (var (subject, predicate, obj) in Vocabulary.Signatures)
        {
            var count = 0;
            foreach (var k in Kinds)
                if (k.Kind != Kind.SubclassOf && k.Subject == subject && k.Predicate == predicate && k.Object == obj) count += _kindCount[(int)k.Kind];
            if (predicate == Predicate.SubclassOf) count = _subclassByCategory[(int)subject];
            result[$"{Vocabulary.Snake(subject)} {Vocabulary.Snake(predicate)} {Vocabulary.Snake(obj)}"] = count;
        }
        return result;
    }

    /// <summary>
    /// A condition and a symptom joined by a directed causal path of exactly three edges and by no
    /// shorter one: breadth-first from conditions of median degree upwards.
    /// </summary>
    private PathPick? FindPath3(int[] conditions, int[] start, int[] adj)
    {
        var order = conditions.OrderBy(x => _degree[x]).ThenBy(x => x).ToArray();
        var dist = new Dictionary<int, (int Dist, int Parent)>();
        var frontier = new List<int>();
        var next = new List<int>();
        for (var t = 0; t < order.Length; t++)
        {
            var from = order[(order.Length / 2 + t) % order.Length];
            dist.Clear();
            dist[from] = (0, -1);
            frontier.Clear();
            frontier.Add(from);
            for (var d = 1; d <= 3; d++)
            {
                next.Clear();
                foreach (var x in frontier)
                    for (var i = start[x]; i < start[x + 1]; i++)
                        if (dist.TryAdd(adj[i], (d, x))) next.Add(adj[i]);
                (frontier, next) = (next, frontier);
            }
            var to = frontier.Where(x => CategoryOf(x) == NodeCategory.Symptom).DefaultIfEmpty(-1).Min();
            if (to < 0) continue;
            var path = new List<int>();
            for (var x = to; x >= 0; x = dist[x].Parent) path.Add(x);
            path.Reverse();
            var ids = path.Select(x => { var b = new CharBuffer(); AppendId(b, x); return b.ToString(); }).ToArray();
            var edges = Enumerable.Range(0, path.Count - 1).Select(i => CausalEdgeId(path[i], path[i + 1])).ToArray();
            return new PathPick(ids[0], ids[^1], edges.Length, ids, edges);
        }
        return null;
    }

    private (int[] Start, int[] Adj) Csr(int[] from, int[] to)
    {
        var start = new int[_n + 1];
        for (var i = 0; i < _causalCount; i++) start[from[i] + 1]++;
        for (var i = 1; i <= _n; i++) start[i] += start[i - 1];
        var fill = (int[])start.Clone();
        var adj = new int[_causalCount];
        for (var i = 0; i < _causalCount; i++) adj[fill[from[i]]++] = to[i];
        return (start, adj);
    }
}
