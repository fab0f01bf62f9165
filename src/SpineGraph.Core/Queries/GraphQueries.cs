namespace SpineGraph.Core.Queries;

public sealed record TreatmentQuery(
    string? Symptom,
    string? Cause,
    string? Condition,
    EvidenceTier MinTier,
    IReadOnlySet<Effect>? Effects,
    int Offset,
    int Limit);

/// <summary>
/// The traversals the API answers, composed from the graph port and shared by every backend:
/// parameter resolution, treatments ranked by evidence, causes of a symptom, red flags.
/// </summary>
public sealed class GraphQueries(IGraphStore store)
{
    private static readonly Predicate[] AdverseEventOnly = [Predicate.HasAdverseEvent];

    public IGraphStore Store => store;

    /// <summary>
    /// Resolves a parameter given as an id or an exact name, synonym or lay term (case, accents and
    /// plurals ignored). Unknown → NotFound with suggestions; several nodes → Ambiguous; a node of
    /// another category → WrongCategory.
    /// </summary>
    public async ValueTask<Resolution> ResolveAsync(string parameter, string value, IReadOnlyCollection<NodeCategory> allowed, CancellationToken ct)
    {
        var text = value.Trim();
        Node? node = (await store.GetNodeAsync(text, ct))?.Node;
        IReadOnlyList<SearchHit>? hits = null;
        if (node is null)
        {
            hits = await store.SearchAsync(text, null, Limits.SearchDefault, ct);
            var exact = hits.Where(h => h.MatchKind == MatchKind.Exact).Select(h => h.Node).DistinctBy(n => n.Id).ToList();
            if (exact.Count > 1)
            {
                var inCategory = exact.Where(n => allowed.Contains(n.Category)).ToList();
                if (inCategory.Count == 1) exact = inCategory;
            }
            if (exact.Count == 0)
                return Resolution.Fail(new ResolveFailure(ResolveFailureKind.NotFound, parameter, value,
                    $"No node has the id, name, synonym or lay term '{value}'.", hits.Take(5).ToArray()));
            if (exact.Count > 1)
                return Resolution.Fail(new ResolveFailure(ResolveFailureKind.Ambiguous, parameter, value,
                    $"'{value}' names {exact.Count} nodes; give one of their ids.",
                    hits.Where(h => h.MatchKind == MatchKind.Exact).ToArray()));
            node = exact[0];
        }
        if (!allowed.Contains(node.Category))
        {
            hits ??= await store.SearchAsync(text, null, Limits.SearchDefault, ct);
            return Resolution.Fail(new ResolveFailure(ResolveFailureKind.WrongCategory, parameter, value,
                $"'{value}' is the {Vocabulary.Snake(node.Category)} '{node.Id}'; '{parameter}' takes a {string.Join(" or ", allowed.Select(c => Vocabulary.Snake(c)))}.",
                hits.Where(h => allowed.Contains(h.Node.Category)).Take(5).ToArray()));
        }
        return Resolution.Of(node);
    }

    /// <summary>
    /// Treatments for a symptom (and its narrower kinds), optionally only along causal chains through a
    /// cause and/or a condition; or, with no symptom, treatments of a condition or mechanism by route.
    /// </summary>
    public async ValueTask<TreatmentAnswer> TreatmentsAsync(Node? symptom, Node? cause, Node? condition, TreatmentQuery q, CancellationToken ct)
    {
        if (symptom is null)
        {
            var focus = cause ?? condition ?? throw new ArgumentException("A symptom, cause or condition is required.");
            return await TreatmentsForNodeAsync(focus, cause, condition, q, ct);
        }

        var narrower = await store.GetNarrowerAsync([symptom.Id], Limits.SubclassDepth, ct);
        var toBroad = SubclassPaths(symptom, narrower);
        var symptomIds = toBroad.Keys.ToArray();

        var through = cause ?? condition;
        var chainSet = await store.GetCausalPathsAsync(
            new CausalQuery(CausalDirection.Upstream, symptomIds, Limits.CausalHops, Limits.ChainsMax, through?.Id), ct);
        var chains = chainSet.Paths.AsEnumerable();
        if (cause is not null && condition is not null && cause.Id != condition.Id)
            chains = chains.Where(c => c.Nodes.Any(n => n.Id == condition.Id));
        var expanded = await WithNarrowerStartsAsync(Suffixes(chains), ct);
        var chainsByStart = expanded.GroupBy(c => c.Start.Id).ToDictionary(g => g.Key, g => g.ToList());

        // With a cause or condition, the symptom route covers only the symptoms it leads to;
        // otherwise the symptom and every narrower kind.
        var relievable = through is null
            ? toBroad
            : expanded.Select(c => c.End.Id).Distinct().ToDictionary(id => id, id => toBroad[id]);
        var targets = chainsByStart.Keys.Concat(relievable.Keys).Distinct().ToArray();
        var incoming = await store.GetIncidentEdgesAsync(targets, Vocabulary.TreatmentPredicates, Direction.In, ct);

        var paths = new List<(Node Treatment, SupportingPath Path)>();
        foreach (var ev in incoming)
        {
            if (ev.Other.Category != NodeCategory.Treatment || !Accept(ev.Edge, q)) continue;
            var target = ev.Edge.Object;
            if (ev.Edge.Predicate == Predicate.Relieves && relievable.TryGetValue(target, out var up))
            {
                paths.Add((ev.Other, new SupportingPath(TreatmentRoute.Symptom, Start(ev, up.Start).Concat(up))));
            }
            else if (ev.Edge.Predicate != Predicate.Relieves && chainsByStart.TryGetValue(target, out var cs))
            {
                foreach (var chain in cs)
                    paths.Add((ev.Other, new SupportingPath(TreatmentRoute.Cause, Start(ev, chain.Start).Concat(chain).Concat(toBroad[chain.End.Id]))));
            }
        }

        var flags = await RedFlagsAsync(symptomIds.Concat(expanded.Select(c => c.Start.Id)).Distinct().ToArray(), symptom, narrower, ct);
        var (page, total) = await RankAsync(paths, q.Offset, q.Limit, ct);
        return new TreatmentAnswer(symptom, toBroad.Values.Select(p => p.Start).ToArray(),
            cause, condition, page, total, q.Offset, flags, chainSet.Truncated);
    }

    /// <summary>Treatments of a condition or mechanism: directly, through the mechanisms and conditions it
    /// causes, and through its symptoms, each path labelled by route.</summary>
    private async ValueTask<TreatmentAnswer> TreatmentsForNodeAsync(Node focus, Node? cause, Node? condition, TreatmentQuery q, CancellationToken ct)
    {
        var narrower = await store.GetNarrowerAsync([focus.Id], Limits.SubclassDepth, ct);
        var toBroad = SubclassPaths(focus, narrower);
        // A narrower kind also has its broader kinds' consequences (cervical dystonia is a dystonia):
        // causal chains start at the node, its narrower kinds and its broader kinds, each with its way back to the node.
        var toFocus = new Dictionary<string, GraphPath>(toBroad, StringComparer.Ordinal);
        foreach (var b in await store.GetBroaderAsync([focus.Id], Limits.SubclassDepth, ct))
            toFocus.TryAdd(b.End.Id, Reversed(b));
        var downSet = await store.GetCausalPathsAsync(
            new CausalQuery(CausalDirection.Downstream, toFocus.Keys.ToArray(), Limits.CausalHops, Limits.ChainsMax), ct);
        var chainsByEnd = downSet.Paths
            .Where(p => !toFocus[p.Start.Id].Nodes.Skip(1).Any(n => p.Nodes.Any(m => m.Id == n.Id)))
            .GroupBy(p => p.End.Id).ToDictionary(g => g.Key, g => g.ToList());
        var targets = toBroad.Keys.Concat(chainsByEnd.Keys).Distinct().ToArray();
        var incoming = await store.GetIncidentEdgesAsync(targets, Vocabulary.TreatmentPredicates, Direction.In, ct);

        var paths = new List<(Node Treatment, SupportingPath Path)>();
        foreach (var ev in incoming)
        {
            if (ev.Other.Category != NodeCategory.Treatment || !Accept(ev.Edge, q)) continue;
            var target = ev.Edge.Object;
            if (toBroad.TryGetValue(target, out var up) && ev.Edge.Predicate != Predicate.Relieves)
                paths.Add((ev.Other, new SupportingPath(TreatmentRoute.Direct, Start(ev, up.Start).Concat(up))));
            if (!chainsByEnd.TryGetValue(target, out var chains)) continue;
            var route = RouteFor(ev.Edge.Predicate, chains[0].End.Category);
            foreach (var chain in chains)
                paths.Add((ev.Other, new SupportingPath(route, Start(ev, chain.End).Concat(Reversed(chain)).Concat(toFocus[chain.Start.Id]))));
        }

        var flags = await RedFlagsAsync(toFocus.Keys.Concat(downSet.Paths.SelectMany(p => p.Nodes).Select(n => n.Id)).Distinct().ToArray(), null, narrower, ct);
        var (page, total) = await RankAsync(paths, q.Offset, q.Limit, ct);
        return new TreatmentAnswer(null, [], cause, condition ?? (cause is null ? focus : null), page, total, q.Offset, flags, downSet.Truncated);
    }

    private static TreatmentRoute RouteFor(Predicate p, NodeCategory end) => (p, end) switch
    {
        (Predicate.Relieves, _) => TreatmentRoute.Symptom,
        (_, NodeCategory.Mechanism) => TreatmentRoute.Mechanism,
        _ => TreatmentRoute.RelatedCondition,
    };

    /// <summary>Conditions and mechanisms upstream of a symptom (and its narrower kinds), with their paths.</summary>
    public async ValueTask<CauseAnswer> CausesAsync(Node symptom, int offset, int limit, CancellationToken ct)
    {
        var narrower = await store.GetNarrowerAsync([symptom.Id], Limits.SubclassDepth, ct);
        var toBroad = SubclassPaths(symptom, narrower);
        var set = await store.GetCausalPathsAsync(
            new CausalQuery(CausalDirection.Upstream, toBroad.Keys.ToArray(), Limits.CausalHops, Limits.ChainsMax), ct);
        var results = (await WithNarrowerStartsAsync(set.Paths.ToList(), ct))
            .Select(p => p.Concat(toBroad[p.End.Id]))
            .GroupBy(p => p.Start.Id)
            .Select(g =>
            {
                var ordered = g.OrderBy(p => p.Length).ThenBy(p => p.WeakestTier).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
                return new CauseResult(ordered[0].Start, ordered[0], ordered.Take(Limits.PathsPerResult).ToArray(), ordered.Count);
            })
            .OrderBy(r => r.BestPath.Length)
            .ThenBy(r => r.BestPath.WeakestTier)
            .ThenBy(r => r.Cause.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.Cause.Id, StringComparer.Ordinal)
            .ToList();
        var flags = await RedFlagsAsync(toBroad.Keys.Concat(results.Select(r => r.Cause.Id)).ToArray(), symptom, narrower, ct);
        var includes = toBroad.Values.Select(p => p.Start).ToArray();
        return new CauseAnswer(symptom, includes, results.Skip(offset).Take(limit).ToArray(), results.Count, offset, flags, set.Truncated);
    }

    /// <summary>
    /// Red-flag symptoms that the given nodes are, or lead to within two causal hops, each with its shortest path.
    /// </summary>
    private async ValueTask<IReadOnlyList<RedFlag>> RedFlagsAsync(IReadOnlyList<string> ids, Node? symptom, IReadOnlyList<GraphPath> narrower, CancellationToken ct)
    {
        var flags = new Dictionary<string, RedFlag>(StringComparer.Ordinal);
        if (symptom is { Urgency: not Urgency.None }) flags[symptom.Id] = new RedFlag(symptom, GraphPath.Single(symptom));
        foreach (var p in narrower)
            if (p.Start.Urgency != Urgency.None) flags.TryAdd(p.Start.Id, new RedFlag(p.Start, GraphPath.Single(p.Start)));
        if (ids.Count > 0)
        {
            var down = await store.GetCausalPathsAsync(new CausalQuery(CausalDirection.Downstream, ids, 2, Limits.ChainsMax), ct);
            foreach (var p in down.Paths) // shortest first, so the first path to a symptom is its best
                if (p.End.Urgency != Urgency.None) flags.TryAdd(p.End.Id, new RedFlag(p.End, p));
        }
        return flags.Values
            .OrderByDescending(f => f.Symptom.Urgency)
            .ThenBy(f => f.Symptom.Name, StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    /// <summary>Groups paths by treatment, ranks (evidence for before evidence against, then tier, effect,
    /// path length, name) and pages; adverse events are looked up for the page only.</summary>
    private async ValueTask<(IReadOnlyList<TreatmentResult> Page, int Total)> RankAsync(
        List<(Node Treatment, SupportingPath Path)> paths, int offset, int limit, CancellationToken ct)
    {
        var ranked = paths
            .DistinctBy(p => p.Path.Path.Key)
            .GroupBy(p => p.Treatment.Id)
            .Select(g =>
            {
                var ordered = g.Select(x => x.Path)
                    .OrderBy(p => p.Evidence, Comparer<Edge>.Create(Edge.CompareByEvidence))
                    .ThenBy(p => p.Path.Length)
                    .ThenBy(p => p.Path.Key, StringComparer.Ordinal)
                    .ToList();
                var best = ordered[0].Evidence;
                var against = best.Effect is Effect.NoBenefit or Effect.Harm;
                var mixed = ordered.Any(p => p.Evidence.Effect is Effect.NoBenefit or Effect.Harm)
                            && ordered.Any(p => p.Evidence.Effect is Effect.Benefit);
                var urgent = ordered.SelectMany(p => p.Path.Nodes).Where(n => n.Urgency != Urgency.None).DistinctBy(n => n.Id).ToArray();
                var routes = ordered.Select(p => p.Route).Distinct().Order().ToArray();
                return new TreatmentResult(g.First().Treatment, routes, best, against, mixed,
                    ordered.Take(Limits.PathsPerResult).ToArray(), ordered.Count, urgent, []);
            })
            .OrderBy(r => r.AgainstEvidence)
            .ThenBy(r => r.BestEvidence.Tier)
            .ThenBy(r => r.BestEvidence.Effect)
            .ThenBy(r => r.Paths.Min(p => p.Path.Length))
            .ThenBy(r => r.Treatment.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.Treatment.Id, StringComparer.Ordinal)
            .ToList();

        var page = ranked.Skip(offset).Take(limit).ToList();
        if (page.Count > 0)
        {
            var adverse = await store.GetIncidentEdgesAsync(page.Select(r => r.Treatment.Id).ToArray(), AdverseEventOnly, Direction.Out, ct);
            var byTreatment = adverse.GroupBy(a => a.Edge.Subject).ToDictionary(g => g.Key, g => g
                .OrderBy(a => a.Edge, Comparer<Edge>.Create(Edge.CompareByEvidence)).ToArray());
            for (var i = 0; i < page.Count; i++)
                if (byTreatment.TryGetValue(page[i].Treatment.Id, out var ae)) page[i] = page[i] with { AdverseEvents = ae };
        }
        return (page, ranked.Count);
    }

    private static bool Accept(Edge e, TreatmentQuery q) => e.Tier <= q.MinTier && (q.Effects is null || q.Effects.Contains(e.Effect));

    /// <summary>For the node and each narrower kind: the subclass path from it up to the node (empty for the node).</summary>
    private static Dictionary<string, GraphPath> SubclassPaths(Node node, IReadOnlyList<GraphPath> narrower)
    {
        var map = new Dictionary<string, GraphPath>(StringComparer.Ordinal) { [node.Id] = GraphPath.Single(node) };
        foreach (var p in narrower) map.TryAdd(p.Start.Id, p); // shortest first: keep the first
        return map;
    }

    /// <summary>The two-node path treatment → target of an incoming treatment edge.</summary>
    private static GraphPath Start(EdgeView ev, Node target) => new([ev.Other, target], [ev.Edge]);

    private static GraphPath Reversed(GraphPath p) => new([.. p.Nodes.Reverse()], [.. p.Edges.Reverse()]);

    /// <summary>
    /// A narrower kind of a cause is a cause too: for each chain start with narrower kinds
    /// (lumbar spinal stenosis ⊂ spinal stenosis), adds the chain prefixed by the subclass path.
    /// </summary>
    private async ValueTask<List<GraphPath>> WithNarrowerStartsAsync(List<GraphPath> chains, CancellationToken ct)
    {
        if (chains.Count == 0) return chains;
        var starts = chains.Select(c => c.Start.Id).Distinct().ToArray();
        var narrower = await store.GetNarrowerAsync(starts, Limits.SubclassDepth, ct);
        if (narrower.Count == 0) return chains;
        var byStart = chains.GroupBy(c => c.Start.Id).ToDictionary(g => g.Key, g => g.ToList());
        var result = new List<GraphPath>(chains);
        var seen = chains.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var sub in narrower)
            foreach (var chain in byStart[sub.End.Id])
            {
                if (chain.Nodes.Skip(1).Any(n => sub.Nodes.Any(m => m.Id == n.Id))) continue;
                var joined = sub.Concat(chain);
                if (seen.Add(joined.Key)) result.Add(joined);
            }
        result.Sort(GraphPath.CompareShortestFirst);
        return result;
    }

    /// <summary>Every chain and every suffix of it that still has an edge, de-duplicated.</summary>
    private static List<GraphPath> Suffixes(IEnumerable<GraphPath> chains)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<GraphPath>();
        foreach (var c in chains)
            for (var i = 0; i < c.Length; i++)
            {
                var s = i == 0 ? c : c.Suffix(i);
                if (seen.Add(s.Key)) result.Add(s);
            }
        result.Sort(GraphPath.CompareShortestFirst);
        return result;
    }
}
