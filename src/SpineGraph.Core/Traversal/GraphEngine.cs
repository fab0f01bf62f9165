using SpineGraph.Core.Queries;

namespace SpineGraph.Core.Traversal;

/// <summary>A treatments question: a symptom and/or a cause and/or a condition (ids), and a filter on treatment evidence.</summary>
public sealed record TreatmentQuery(string? Symptom, string? Cause, string? Condition, EdgeFilter Filter, int Offset, int Limit);

/// <summary>How <c>/paths</c> follows edges: along causal edges from cause to effect, or any edge either way.</summary>
public enum PathDirection { Causal, Any }

public sealed record PathQuery(string From, string To, int MaxHops, PathDirection Direction, IReadOnlySet<NodeCategory>? Via, EvidenceTier MinTier, int Offset, int Limit);

/// <summary>
/// Every traversal SpineGraph answers, computed once over the graph port (<see cref="IGraphStore"/>), so every
/// backend answers the same. Each traversal expands the part of the graph it touches level by level, keeps
/// best chains rather than all of them, and reads at most <see cref="Limits.TraversalRows"/> rows
/// (then says <c>truncated</c>). Answers refer to nodes and edges by id and carry them once in a
/// <see cref="KnowledgeGraph"/>.
/// </summary>
public sealed partial class GraphEngine(IGraphStore store)
{
    private readonly LexiconCache _lexicon = new(store);

    /// <summary>Rows a pattern query may read (<see cref="Limits.TraversalRows"/>; smaller in tests of the budget).</summary>
    internal int PatternRows { get; init; } = Limits.TraversalRows;

    private static readonly Hop[] Upstream = [Hop.In(Predicate.Causes), Hop.In(Predicate.HasPhenotype), Hop.In(Predicate.SubclassOf)];
    private static readonly Hop[] Downstream = [Hop.Out(Predicate.Causes), Hop.Out(Predicate.HasPhenotype), Hop.Out(Predicate.SubclassOf)];
    private static readonly Hop[] NarrowerHops = [Hop.In(Predicate.SubclassOf)];
    private static readonly Hop[] BroaderHops = [Hop.Out(Predicate.SubclassOf)];
    private static readonly Hop[] CausalOut = [Hop.Out(Predicate.Causes), Hop.Out(Predicate.HasPhenotype)];
    private static readonly Hop[] TreatmentIn = [Hop.In(Predicate.Treats), Hop.In(Predicate.Targets), Hop.In(Predicate.Relieves)];
    private static readonly Hop[] TreatmentOut = [Hop.Out(Predicate.Treats), Hop.Out(Predicate.Targets), Hop.Out(Predicate.Relieves)];
    private static readonly Hop[] AdverseOut = [Hop.Out(Predicate.HasAdverseEvent)];

    public ValueTask<GraphMeta> MetaAsync(CancellationToken ct) => store.GetMetaAsync(ct);

    public ValueTask<StoreHealth> HealthAsync(CancellationToken ct) => store.CheckHealthAsync(ct);

    public ValueTask<NodeDetail?> NodeAsync(string id, CancellationToken ct) => store.GetNodeAsync(id, ct);

    /// <summary>Builds the search lexicon of the current graph version now rather than on the first request.</summary>
    public async ValueTask WarmUpAsync(CancellationToken ct) => await _lexicon.GetAsync(ct);

    public ValueTask<Slice<Node>> ListNodesAsync(NodeCategory? category, string? afterId, int limit, CancellationToken ct) =>
        store.ListNodesAsync(category, afterId, limit, ct);

    // ================================================================== resolution and search

    /// <summary>
    /// Resolves a parameter given as an id or an exact name, synonym or lay term (case, accents and plurals
    /// ignored). Unknown → NotFound with suggestions; several nodes → Ambiguous; another category → WrongCategory.
    /// </summary>
    public async ValueTask<Resolution> ResolveAsync(string parameter, string value, IReadOnlyCollection<NodeCategory> allowed, CancellationToken ct)
    {
        var lexicon = await _lexicon.GetAsync(ct);
        var text = value.Trim();
        var node = lexicon.ByIdOrNull(text);
        if (node is null)
        {
            var exact = lexicon.Index.ExactNodes(text).Select(i => lexicon.Nodes[i]).DistinctBy(n => n.Id).ToList();
            if (exact.Count > 1)
            {
                var inCategory = exact.Where(n => allowed.Contains(n.Category)).ToList();
                if (inCategory.Count == 1) exact = inCategory;
            }
            if (exact.Count == 0)
                return Resolution.Fail(new ResolveFailure(ResolveFailureKind.NotFound, parameter, value,
                    $"No node has the id, name, synonym or lay term '{value}'.", await SuggestAsync(lexicon, text, null, ct)));
            if (exact.Count > 1)
                return Resolution.Fail(new ResolveFailure(ResolveFailureKind.Ambiguous, parameter, value,
                    $"'{value}' names {exact.Count} nodes; give one of their ids.",
                    (await SuggestAsync(lexicon, text, null, ct)).Where(h => h.MatchKind == MatchKind.Exact).ToArray()));
            node = exact[0];
        }
        if (!allowed.Contains(node.Category))
        {
            var suggestions = (await SuggestAsync(lexicon, text, null, ct)).Where(h => allowed.Contains(h.Node.Category)).ToArray();
            return Resolution.Fail(new ResolveFailure(ResolveFailureKind.WrongCategory, parameter, value,
                $"'{value}' is the {Vocabulary.Snake(node.Category)} '{node.Id}'; '{parameter}' takes a {string.Join(" or ", allowed.Select(c => Vocabulary.Snake(c)))}.",
                suggestions));
        }
        return Resolution.Of(node);
    }

    private async ValueTask<IReadOnlyList<SearchHit>> SuggestAsync(Lexicon lexicon, string text, NodeCategory? category, CancellationToken ct) =>
        await HydrateHitsAsync(lexicon.Search(text, category, 5), ct);

    /// <summary>Names, synonyms and lay terms matching the text, best first, one hit per node; up to <paramref name="limit"/>.</summary>
    public async ValueTask<IReadOnlyList<SearchHit>> SearchAsync(string text, NodeCategory? category, int limit, CancellationToken ct)
    {
        var lexicon = await _lexicon.GetAsync(ct);
        return await HydrateHitsAsync(lexicon.Search(text, category, limit), ct);
    }

    /// <summary>For a search that found nothing: nodes with a word up to two edits away from a query word.</summary>
    public async ValueTask<IReadOnlyList<SearchHit>> SuggestAsync(string text, NodeCategory? category, int limit, CancellationToken ct)
    {
        var lexicon = await _lexicon.GetAsync(ct);
        return await HydrateHitsAsync(lexicon.Suggest(text, category, limit), ct);
    }

    private async ValueTask<IReadOnlyList<SearchHit>> HydrateHitsAsync(List<(Node Node, string Text, MatchedField Field, MatchKind Kind, double Score, IReadOnlyList<string> Words)> hits, CancellationToken ct)
    {
        if (hits.Count == 0) return [];
        var nodes = (await store.GetNodesAsync(hits.Select(h => h.Node.Id).ToArray(), ct)).ToDictionary(n => n.Id, StringComparer.Ordinal);
        return hits.Where(h => nodes.ContainsKey(h.Node.Id))
            .Select(h => new SearchHit(nodes[h.Node.Id], h.Text, h.Field, h.Kind, h.Score, h.Words)).ToArray();
    }

    // ================================================================== one hop

    /// <summary>One hop from a node, filtered, strongest evidence first (tier, effect, edge id, out before in), one page.</summary>
    public async ValueTask<EdgesAnswer> EdgesAsync(string id, Predicate? predicate, Direction direction, EdgeFilter filter, int offset, int limit, CancellationToken ct)
    {
        var hops = (predicate is { } p ? [p] : Vocabulary.Predicates)
            .SelectMany(x => direction switch
            {
                Direction.Out => new[] { Hop.Out(x) },
                Direction.In => [Hop.In(x)],
                _ => [Hop.Out(x), Hop.In(x)],
            }).ToArray();
        var expansion = await store.ExpandAsync([id], hops, filter, Limits.TraversalRows, ct);
        var rows = expansion.Rows.ToList();
        rows.Sort(static (a, b) =>
        {
            var c = ((int)a.Tier).CompareTo((int)b.Tier);
            if (c == 0) c = ((int)a.Effect).CompareTo((int)b.Effect);
            return c != 0 ? c : EdgeRow.Compare(a, b);
        });
        var page = rows.Skip(offset).Take(limit).ToArray();
        var builder = new GraphBuilder();
        builder.Node(id);
        foreach (var r in page) builder.Edge(r);
        return new EdgesAnswer(page, rows.Count, expansion.Truncated, await builder.BuildAsync(store, ct));
    }

    /// <summary>Edges of the whole graph matching the query, by id, one page after a key, with their nodes and sources.</summary>
    public async ValueTask<EdgeListAnswer> ListEdgesAsync(EdgeQuery query, string? afterId, int limit, CancellationToken ct)
    {
        var (items, more) = await store.ListEdgesAsync(query, afterId, limit, ct);
        var ids = new List<string>(items.Count * 2);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in items)
        {
            if (seen.Add(e.Subject)) ids.Add(e.Subject);
            if (seen.Add(e.Object)) ids.Add(e.Object);
        }
        var nodes = ids.Count == 0 ? [] : await store.GetNodesAsync(ids, ct);
        var graph = new KnowledgeGraph(
            nodes.ToDictionary(n => n.Id, StringComparer.Ordinal),
            items.ToDictionary(e => e.Id, StringComparer.Ordinal),
            items.SelectMany(e => e.Sources).DistinctBy(s => s.Id).ToDictionary(s => s.Id, StringComparer.Ordinal));
        return new EdgeListAnswer(items.Select(e => e.Id).ToArray(), more, graph);
    }

    // ================================================================== helpers shared by traversals

    /// <summary>Subclass paths from each narrower (or broader) kind of a node to the node: nodes and rows from the kind to the node.</summary>
    private async ValueTask<(Dictionary<string, (List<string> Nodes, List<EdgeRow> Rows)> Paths, bool Truncated)> KindsAsync(
        string node, Hop[] hops, Budget budget, CancellationToken ct)
    {
        var search = new ChainSearch(store, hops, Limits.SubclassDepth);
        await search.RunAsync([node], budget, ct);
        var paths = new Dictionary<string, (List<string>, List<EdgeRow>)>(StringComparer.Ordinal);
        for (var s = 0; s < search.States.Count; s++) paths.TryAdd(search.States[s].Node, search.Chain(s));
        return (paths, search.Truncated);
    }

    /// <summary>Emergency and urgent symptoms that the given nodes are, or lead to within two causal hops, each with its shortest path.</summary>
    private async ValueTask<List<(string Symptom, List<string> Nodes, List<EdgeRow> Rows)>> RedFlagsAsync(
        IReadOnlyCollection<string> seeds, Budget budget, CancellationToken ct)
    {
        var flags = new List<(string, List<string>, List<EdgeRow>)>();
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        var level1 = await budget.ExpandAsync(store, seeds, CausalOut, EdgeFilter.All, ct);
        var next = new List<string>();
        var via = new Dictionary<string, EdgeRow>(StringComparer.Ordinal);
        foreach (var r in level1.Rows)
        {
            if (r.OtherUrgency != Urgency.None && flagged.Add(r.Other)) flags.Add((r.Other, [r.Near, r.Other], [r]));
            if (via.TryAdd(r.Other, r)) next.Add(r.Other);
        }
        var level2 = await budget.ExpandAsync(store, next, CausalOut, EdgeFilter.All, ct);
        foreach (var r in level2.Rows)
        {
            if (r.OtherUrgency == Urgency.None || !flagged.Add(r.Other)) continue;
            var first = via[r.Near];
            flags.Add((r.Other, [first.Near, r.Near, r.Other], [first, r]));
        }
        return flags;
    }

    /// <summary>Red flags in the answer's order: emergency before urgent, then name, then id; seeds that are red flags themselves first.</summary>
    private static List<RedFlag> OrderFlags(IEnumerable<string> seeds, List<(string Symptom, List<string> Nodes, List<EdgeRow> Rows)> found, KnowledgeGraph g)
    {
        var flags = new Dictionary<string, RedFlag>(StringComparer.Ordinal);
        foreach (var s in seeds)
            if (g.Nodes.TryGetValue(s, out var n) && n.Urgency != Urgency.None) flags.TryAdd(s, new RedFlag(s, new PathRef([s], [])));
        foreach (var (symptom, nodes, rows) in found)
            flags.TryAdd(symptom, new RedFlag(symptom, new PathRef([.. nodes], [.. rows.Select(r => r.Id)])));
        return flags.Values
            .Where(f => g.Nodes.ContainsKey(f.Symptom))
            .OrderByDescending(f => g.Nodes[f.Symptom].Urgency)
            .ThenBy(f => g.Nodes[f.Symptom].Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(f => f.Symptom, StringComparer.Ordinal)
            .ToList();
    }

    private static void AddFlagsTo(GraphBuilder builder, List<(string Symptom, List<string> Nodes, List<EdgeRow> Rows)> flags)
    {
        foreach (var (symptom, nodes, rows) in flags)
        {
            foreach (var n in nodes) builder.Node(n);
            foreach (var r in rows) builder.Edge(r);
            builder.Node(symptom);
        }
    }

    /// <summary>Ranks knowledge levels: assertions first, then entailment, observation, statistics, prediction, text mining; not provided (marketing) last.</summary>
    internal static int KnowledgeRank(KnowledgeLevel k) => k switch
    {
        KnowledgeLevel.KnowledgeAssertion => 0,
        KnowledgeLevel.LogicalEntailment => 1,
        KnowledgeLevel.Observation => 2,
        KnowledgeLevel.StatisticalAssociation => 3,
        KnowledgeLevel.Prediction => 4,
        KnowledgeLevel.TextCoOccurrence => 5,
        _ => 6,
    };

    internal static bool Against(Effect e) => e is Effect.NoBenefit or Effect.Harm;

    /// <summary>A path by id from its nodes and the rows between them.</summary>
    private static PathRef ToPath(List<string> nodes, List<EdgeRow> rows)
    {
        var edges = System.Collections.Immutable.ImmutableArray.CreateBuilder<string>(rows.Count);
        foreach (var r in rows) edges.Add(r.Id);
        return new PathRef([.. nodes], edges.MoveToImmutable());
    }
}
