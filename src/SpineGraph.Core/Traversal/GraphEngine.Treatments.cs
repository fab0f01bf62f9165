using SpineGraph.Core.Queries;

namespace SpineGraph.Core.Traversal;

public sealed partial class GraphEngine
{
    /// <summary>One piece of evidence for a treatment: its edge into a node reached by the search, the best chain
    /// state of that node, the route and specificity, how long the path is and how many chains support it.</summary>
    private readonly record struct Support(string Treatment, EdgeRow Evidence, int State, TreatmentRoute Route, Specificity Specificity, int Length, long Chains)
    {
        /// <summary>The ranking order: tier, effect (benefit first), specificity, knowledge level, path length.</summary>
        public static int CompareRank(Support a, Support b)
        {
            // Compared as integers: Enum.CompareTo boxes.
            var c = ((int)a.Evidence.Tier).CompareTo((int)b.Evidence.Tier);
            if (c == 0) c = ((int)a.Evidence.Effect).CompareTo((int)b.Evidence.Effect);
            if (c == 0) c = ((int)a.Specificity).CompareTo((int)b.Specificity);
            if (c == 0) c = KnowledgeRank(a.Evidence.KnowledgeLevel).CompareTo(KnowledgeRank(b.Evidence.KnowledgeLevel));
            return c != 0 ? c : a.Length.CompareTo(b.Length);
        }

        /// <summary>The ranking order, then the evidence edge id (a total order for one treatment's supports).</summary>
        public static int Compare(Support a, Support b)
        {
            var c = CompareRank(a, b);
            return c != 0 ? c : string.CompareOrdinal(a.Evidence.Id, b.Evidence.Id);
        }
    }

    /// <summary>The search behind a treatments question: the anchor, its kinds (roots of the chains) and the chains.</summary>
    private sealed class Plan
    {
        public required bool SymptomAnchored { get; init; }
        public required string Anchor { get; init; }
        public required string[] Constraints { get; init; }
        public required Dictionary<string, (List<string> Nodes, List<EdgeRow> Rows)> Narrower { get; init; }
        public required Dictionary<string, (List<string> Nodes, List<EdgeRow> Rows)> Broader { get; init; }
        public required ChainSearch Chains { get; init; }
        public required Budget Budget { get; init; }
        public bool Truncated { get; set; }

        /// <summary>Route and specificity of an evidence edge into a reached node, or null when the edge does not answer the question.</summary>
        public (TreatmentRoute, Specificity)? Classify(EdgeRow evidence, int state)
        {
            var target = evidence.Object;
            var isRoot = Chains.IsRoot(state);
            var named = Constraints.Contains(target, StringComparer.Ordinal);
            if (SymptomAnchored)
            {
                if (evidence.Predicate == Predicate.Relieves) return isRoot ? (TreatmentRoute.Symptom, Specificity.Symptom) : null;
                return isRoot ? null : (TreatmentRoute.Cause, named ? Specificity.Named : Specificity.Chain);
            }
            if (evidence.Predicate == Predicate.Relieves)
                return isRoot ? null : (TreatmentRoute.Symptom, Specificity.Symptom);
            if (Narrower.ContainsKey(target)) return (TreatmentRoute.Direct, Specificity.Named);
            if (Broader.ContainsKey(target)) return (TreatmentRoute.BroaderCondition, Specificity.Broader);
            var route = StateCategory(state) == NodeCategory.Mechanism ? TreatmentRoute.Mechanism : TreatmentRoute.RelatedCondition;
            return (route, named ? Specificity.Named : Specificity.Chain);
        }

        private NodeCategory? StateCategory(int state) =>
            Chains.IsRoot(state) ? null : Chains.Via(state).OtherCategory;

        /// <summary>The whole path of a supporting edge: treatment → target → chain → root → subclass path → anchor.</summary>
        public (List<string> Nodes, List<EdgeRow> Rows) Path(EdgeRow evidence, List<string> chainNodes, List<EdgeRow> chainRows)
        {
            var nodes = new List<string>(chainNodes.Count + 4) { evidence.Subject };
            nodes.AddRange(chainNodes);
            var rows = new List<EdgeRow>(chainRows.Count + 3) { evidence };
            rows.AddRange(chainRows);
            var root = chainNodes[^1];
            if (root != Anchor)
            {
                var (kindNodes, kindRows) = Narrower.TryGetValue(root, out var n) ? n : Broader[root];
                nodes.AddRange(kindNodes.Skip(1));
                rows.AddRange(kindRows);
            }
            return (nodes, rows);
        }

        public int RootLength(int state)
        {
            var s = state;
            while (!Chains.IsRoot(s)) s = Chains.States[s].Parent;
            var root = Chains.States[s].Node;
            return root == Anchor ? 0 : Narrower.TryGetValue(root, out var n) ? n.Rows.Count : Broader[root].Rows.Count;
        }
    }

    private async ValueTask<Plan> PlanAsync(TreatmentQuery q, CancellationToken ct)
    {
        // Half the rows for the chains, half for what is read about what they reach (treatment edges, adverse events,
        // red flags): a search cut short by a huge neighbourhood still has rows left to answer from what it found.
        var chainBudget = new Budget(Limits.TraversalRows / 2);
        var budget = new Budget(Limits.TraversalRows - Limits.TraversalRows / 2);
        var symptomAnchored = q.Symptom is not null;
        // With a symptom, chains run upstream from it; without, downstream from the condition (or the cause).
        var anchor = q.Symptom ?? q.Condition ?? q.Cause ?? throw new ArgumentException("A symptom, cause or condition is required.");
        var constraints = new[] { q.Cause, q.Condition }.Where(c => c is not null && c != anchor).Distinct().ToArray();
        var (narrower, t1) = await KindsAsync(anchor, NarrowerHops, chainBudget, ct);
        var broader = new Dictionary<string, (List<string>, List<EdgeRow>)>(StringComparer.Ordinal);
        var t2 = false;
        if (!symptomAnchored)
        {
            // A narrower kind shares its broader kinds' consequences and treatments (cervical dystonia is a dystonia).
            (broader, t2) = await KindsAsync(anchor, BroaderHops, chainBudget, ct);
            broader.Remove(anchor);
            foreach (var k in narrower.Keys) broader.Remove(k);
        }
        var chains = new ChainSearch(store, symptomAnchored ? Upstream : Downstream, Limits.ChainHops, constraints!);
        await chains.RunAsync([.. narrower.Keys, .. broader.Keys], chainBudget, ct);
        return new Plan
        {
            SymptomAnchored = symptomAnchored,
            Anchor = anchor,
            Constraints = constraints!,
            Narrower = narrower,
            Broader = broader,
            Chains = chains,
            Budget = budget,
            Truncated = t1 || t2 || chains.Truncated || chainBudget.Spent,
        };
    }

    /// <summary>The qualifying states of each reached node, best first.</summary>
    private static Dictionary<string, List<int>> QualifyingStates(Plan plan)
    {
        var byNode = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var s = 0; s < plan.Chains.States.Count; s++)
        {
            if (!plan.Chains.Qualifies(s)) continue;
            var node = plan.Chains.States[s].Node;
            if (!byNode.TryGetValue(node, out var list)) byNode[node] = list = [];
            list.Add(s);
        }
        return byNode;
    }

    /// <summary>
    /// Treatments for a symptom (and its narrower kinds), optionally only along causal chains that pass through a
    /// cause and/or a condition; or, with no symptom, treatments of a condition (or cause) by route. Ranked by
    /// best evidence: tier, effect, specificity, knowledge level, path length, name. Treatments whose best evidence
    /// is against them come in <see cref="TreatmentAnswer.EvidenceAgainst"/>, whole, with the first page.
    /// </summary>
    public async ValueTask<TreatmentAnswer> TreatmentsAsync(TreatmentQuery q, CancellationToken ct)
    {
        var plan = await PlanAsync(q, ct);
        var qualifying = QualifyingStates(plan);
        var supports = new List<Support>(0);
        if (qualifying.Count > 0)
        {
            var evidence = await plan.Budget.ExpandAsync(store, qualifying.Keys, TreatmentIn, q.Filter, ct);
            plan.Truncated |= evidence.Truncated;
            supports.Capacity = evidence.Rows.Count;
            foreach (var row in evidence.Rows)
            {
                if (row.OtherCategory != NodeCategory.Treatment) continue;
                var states = qualifying[row.Object];
                if (plan.Classify(row, states[0]) is not var (route, specificity)) continue;
                long chains = 0;
                foreach (var s in states) chains = Math.Min(ChainSearch.CountCap, chains + Math.Max(1, plan.Chains.Count(s)));
                var length = 1 + plan.Chains.States[states[0]].Depth + plan.RootLength(states[0]);
                supports.Add(new Support(row.Subject, row, states[0], route, specificity, length, chains));
            }
        }

        // Group the supports by treatment, best first within each (one sort, no per-group buffers).
        supports.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Treatment, b.Treatment);
            return c != 0 ? c : Support.Compare(a, b);
        });
        var groups = new List<(int Start, int Count)>();
        for (var i = 0; i < supports.Count;)
        {
            var j = i + 1;
            while (j < supports.Count && supports[j].Treatment == supports[i].Treatment) j++;
            groups.Add((i, j - i));
            i = j;
        }
        // Rank: each treatment by its best support, then name and id.
        var treatmentIds = new string[groups.Count];
        for (var g = 0; g < groups.Count; g++) treatmentIds[g] = supports[groups[g].Start].Treatment;
        var candidates = new Dictionary<string, Node>(groups.Count, StringComparer.Ordinal);
        foreach (var n in await store.GetNodesAsync(treatmentIds, ct)) candidates[n.Id] = n;
        groups.Sort((x, y) =>
        {
            var (a, b) = (supports[x.Start], supports[y.Start]);
            var c = Support.CompareRank(a, b);
            if (c == 0) c = string.Compare(candidates.GetValueOrDefault(a.Treatment)?.Name, candidates.GetValueOrDefault(b.Treatment)?.Name, StringComparison.OrdinalIgnoreCase);
            return c != 0 ? c : string.CompareOrdinal(a.Treatment, b.Treatment);
        });
        var forList = new List<(int Start, int Count)>(groups.Count);
        var againstGroups = new List<(int Start, int Count)>();
        foreach (var g in groups)
            (Against(supports[g.Start].Evidence.Effect) ? againstGroups : forList).Add(g);
        List<Support> Of((int Start, int Count) g) => supports.GetRange(g.Start, g.Count);
        var page = forList.Skip(q.Offset).Take(q.Limit).Select(Of).ToList();
        var againstList = q.Offset == 0 ? againstGroups.Select(Of).ToList() : [];

        var builder = new GraphBuilder();
        foreach (var id in new[] { q.Symptom, q.Cause, q.Condition }) if (id is not null) builder.Node(id);
        foreach (var k in plan.Narrower.Keys) builder.Node(k);

        // Adverse events of every treatment shown.
        var shown = page.Concat(againstList).Select(g => g[0].Treatment).ToArray();
        var adverse = await plan.Budget.ExpandAsync(store, shown, AdverseOut, EdgeFilter.All, ct);
        var adverseBy = adverse.Rows
            .OrderBy(r => r.Tier).ThenBy(r => r.Effect).ThenBy(r => r.Id, StringComparer.Ordinal)
            .GroupBy(r => r.Subject, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var pathNodes = new HashSet<string>(plan.Narrower.Keys.Concat(plan.Broader.Keys).Concat(plan.Constraints), StringComparer.Ordinal);
        var drafts = new List<(List<Support> Supports, List<SupportingPath> Paths, List<string> Adverse)>();
        foreach (var supportsOf in page.Concat(againstList))
        {
            var paths = new List<SupportingPath>();
            foreach (var s in supportsOf.DistinctBy(s => s.Route))
            {
                var (chainNodes, chainRows) = plan.Chains.Chain(s.State);
                var (nodes, rows) = plan.Path(s.Evidence, chainNodes, chainRows);
                foreach (var r in rows) builder.Edge(r);
                foreach (var n in nodes.Skip(1)) pathNodes.Add(n);
                paths.Add(new SupportingPath(s.Route, ToPath(nodes, rows)));
            }
            var ae = adverseBy.GetValueOrDefault(supportsOf[0].Treatment) ?? [];
            foreach (var r in ae) builder.Edge(r);
            drafts.Add((supportsOf, paths, ae.Select(r => r.Id).ToList()));
        }

        var flags = await RedFlagsAsync(pathNodes, plan.Budget, ct);
        AddFlagsTo(builder, flags);
        var graph = await builder.BuildAsync(store, ct, candidates);

        var items = drafts.Select(d =>
        {
            var best = d.Supports[0];
            var against = Against(best.Evidence.Effect);
            var mixed = against ? d.Supports.Any(s => s.Evidence.Effect == Effect.Benefit) : d.Supports.Any(s => Against(s.Evidence.Effect));
            long count = 0;
            foreach (var s in d.Supports) count = Math.Min(ChainSearch.CountCap, count + s.Chains);
            var urgent = d.Paths.SelectMany(p => p.Path.Nodes).Distinct(StringComparer.Ordinal)
                .Where(n => graph.Nodes.TryGetValue(n, out var node) && node.Urgency != Urgency.None).ToArray();
            return new TreatmentItem(best.Treatment, d.Supports.Select(s => s.Route).Distinct().Order().ToArray(), best.Evidence.Id,
                best.Evidence.Tier, best.Evidence.Effect, best.Specificity, against, mixed, d.Paths, count, urgent, d.Adverse);
        }).ToList();

        return new TreatmentAnswer(q.Symptom, [.. plan.Narrower.Keys.Where(k => k != q.Symptom && q.Symptom is not null)],
            q.Cause, q.Condition, items[..page.Count], items[page.Count..], forList.Count, q.Offset,
            OrderFlags(pathNodes, flags, graph), plan.Truncated || plan.Budget.Spent, graph);
    }

    /// <summary>Every supporting path of one treatment for a treatments question, best evidence first, then shortest,
    /// then by node ids; one page, with the total when the enumeration finished under <see cref="Limits.PathsEnumerated"/>.</summary>
    public async ValueTask<PathsAnswer> TreatmentPathsAsync(string treatment, TreatmentQuery q, CancellationToken ct)
    {
        var plan = await PlanAsync(q, ct);
        var qualifying = QualifyingStates(plan);
        var evidence = await plan.Budget.ExpandAsync(store, [treatment], TreatmentOut, q.Filter, ct);
        var all = new List<(Support Key, List<string> Nodes, List<EdgeRow> Rows)>();
        var capped = false;
        foreach (var row in evidence.Rows)
        {
            if (!qualifying.TryGetValue(row.Object, out var states) || plan.Classify(row, states[0]) is not var (route, specificity)) continue;
            var chains = plan.Chains.AllChains(row.Object, Limits.PathsEnumerated - all.Count, out var hitCap);
            foreach (var (chainNodes, chainRows) in chains)
            {
                var (nodes, rows) = plan.Path(row, chainNodes, chainRows);
                all.Add((new Support(treatment, row, states[0], route, specificity, rows.Count, 1), nodes, rows));
            }
            capped |= hitCap;
            if (capped) break;
        }
        all.Sort((a, b) =>
        {
            var c = Support.Compare(a.Key, b.Key);
            if (c == 0) c = a.Rows.Count.CompareTo(b.Rows.Count);
            return c != 0 ? c : PathOrder.CompareSequences(a.Nodes, a.Rows, b.Nodes, b.Rows);
        });
        var page = all.Skip(q.Offset).Take(q.Limit).ToList();
        var builder = new GraphBuilder();
        builder.Node(treatment);
        foreach (var (_, _, rows) in page) foreach (var r in rows) builder.Edge(r);
        var graph = await builder.BuildAsync(store, ct);
        return new PathsAnswer(
            page.Select(p => new PathRef([.. p.Nodes], [.. p.Rows.Select(r => r.Id)])).ToArray(),
            capped ? null : all.Count, q.Offset + page.Count < all.Count || capped, capped || plan.Truncated || plan.Budget.Spent, graph);
    }

    /// <summary>Conditions and mechanisms upstream of a symptom (and its narrower kinds), each with its best chain
    /// and the number of chains; ranked by path length, then the weakest tier on the path, then name.</summary>
    public async ValueTask<CauseAnswer> CausesAsync(string symptom, int offset, int limit, CancellationToken ct)
    {
        var plan = await PlanAsync(new TreatmentQuery(symptom, null, null, EdgeFilter.All, offset, limit), ct);
        var chains = plan.Chains;
        var causes = new List<(string Node, int State, List<string> Nodes, List<EdgeRow> Rows, EvidenceTier Weakest)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < chains.States.Count; s++)
        {
            var st = chains.States[s];
            if (chains.IsRoot(s) || chains.Via(s).OtherCategory is not (NodeCategory.Condition or NodeCategory.Mechanism) || !seen.Add(st.Node)) continue;
            var (chainNodes, chainRows) = chains.Chain(s);
            var root = chainNodes[^1];
            if (root != symptom)
            {
                chainNodes.AddRange(plan.Narrower[root].Nodes.Skip(1));
                chainRows.AddRange(plan.Narrower[root].Rows);
            }
            causes.Add((st.Node, s, chainNodes, chainRows, chainRows.Max(r => r.Tier)));
        }
        var names = (await store.GetNodesAsync(causes.Select(c => c.Node).ToArray(), ct)).ToDictionary(n => n.Id, n => n.Name, StringComparer.Ordinal);
        var ranked = causes
            .OrderBy(c => c.Rows.Count).ThenBy(c => c.Weakest)
            .ThenBy(c => names.GetValueOrDefault(c.Node), StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.Node, StringComparer.Ordinal)
            .ToList();
        var page = ranked.Skip(offset).Take(limit).ToList();
        var builder = new GraphBuilder();
        builder.Node(symptom);
        foreach (var k in plan.Narrower.Keys) builder.Node(k);
        var seeds = new HashSet<string>(plan.Narrower.Keys, StringComparer.Ordinal);
        foreach (var c in page)
        {
            foreach (var r in c.Rows) builder.Edge(r);
            foreach (var n in c.Nodes) seeds.Add(n);
        }
        var flags = await RedFlagsAsync(seeds, plan.Budget, ct);
        AddFlagsTo(builder, flags);
        var graph = await builder.BuildAsync(store, ct);
        var items = page.Select(c => new CauseItem(c.Node, new PathRef([.. c.Nodes], [.. c.Rows.Select(r => r.Id)]), c.Weakest,
            Math.Max(1, chains.Count(c.State)))).ToArray();
        return new CauseAnswer(symptom, [.. plan.Narrower.Keys.Where(k => k != symptom)], items, ranked.Count, offset,
            OrderFlags(seeds, flags, graph), plan.Truncated || plan.Budget.Spent, graph);
    }
}
