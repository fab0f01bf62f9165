using SpineGraph.Core.Queries;

namespace SpineGraph.Core.Traversal;

/// <summary>A query node: pinned to ids (each with its narrower kinds) and/or limited to categories (null: any).</summary>
public sealed record PatternNode(string Key, IReadOnlyList<string>? Ids, IReadOnlySet<NodeCategory>? Categories);

/// <summary>
/// A query edge from the <c>Subject</c> query node to the <c>Object</c> one, of any of the predicates (null: any), with
/// evidence constraints. Every set is what is allowed (null: anything); <see cref="ExcludedSources"/> rules edges out
/// when they cite any of those sources, <see cref="Sources"/> keeps only edges citing one of them.
/// </summary>
public sealed record PatternEdge(
    string Key,
    string Subject,
    string Object,
    IReadOnlySet<Predicate>? Predicates,
    IReadOnlySet<EvidenceTier>? Tiers = null,
    IReadOnlySet<Effect>? Effects = null,
    IReadOnlySet<KnowledgeLevel>? Levels = null,
    IReadOnlySet<string>? Sources = null,
    IReadOnlySet<string>? ExcludedSources = null)
{
    public bool NeedsSources => Sources is not null || ExcludedSources is not null;

    public bool Accepts(in EdgeRow r) =>
        (Predicates is null || Predicates.Contains(r.Predicate)) &&
        (Tiers is null || Tiers.Contains(r.Tier)) &&
        (Effects is null || Effects.Contains(r.Effect)) &&
        (Levels is null || Levels.Contains(r.KnowledgeLevel));

    public bool AcceptsSources(Edge e) =>
        (Sources is null || e.Sources.Any(s => Sources.Contains(s.Id))) &&
        (ExcludedSources is null || !e.Sources.Any(s => ExcludedSources.Contains(s.Id)));
}

/// <summary>A pattern: up to <see cref="Limits.PatternNodesMax"/> nodes and <see cref="Limits.PatternEdgesMax"/> edges; trees and cycles.</summary>
public sealed record PatternQuery(IReadOnlyList<PatternNode> Nodes, IReadOnlyList<PatternEdge> Edges, int Limit);

/// <summary>A graph node bound to a query node; <c>QueryId</c> is the pinned id it is a narrower kind of (null when it is that id).</summary>
public readonly record struct PatternBinding(string Id, string? QueryId);

/// <summary>
/// One answer to a pattern: a node per query node, and per query edge every graph edge between the bound nodes that
/// meets the edge's constraints (strongest first). <c>Score</c> (0 to 1, higher is better) rates the weakest and the
/// mean of the best edge per query edge: T1 1.0, T2 0.8, T3 0.6, T4 0.4, T5 0.2; score = 0.75 × weakest + 0.25 × mean.
/// Equal scores are ordered by the best edges' effects (benefit first), then knowledge levels (assertions first, marketing
/// claims last), then by the bound node ids.
/// </summary>
public sealed record PatternResult(
    IReadOnlyDictionary<string, PatternBinding> Nodes,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Edges,
    double Score,
    EvidenceTier WeakestTier)
{
    /// <summary>Breaks ties of score: the best edges' effects (benefit first) and knowledge levels (assertions first), summed.</summary>
    internal int Tie { get; init; }
}

/// <summary>
/// The answer to a pattern, best first. <c>Found</c> counts the results found before ranking; <c>Capped</c> says more
/// results existed than the limit returned; <c>Truncated</c> says a bound (rows read, results enumerated) stopped
/// the search, so results beyond those found may exist.
/// </summary>
public sealed record PatternAnswer(IReadOnlyList<PatternResult> Results, int Found, bool Capped, bool Truncated, KnowledgeGraph Graph);

public sealed partial class GraphEngine
{
    private static double TierWeight(EvidenceTier t) => (6 - (int)t) / 5.0;

    private const int PruneRounds = 3;

    /// <summary>
    /// Matches a query graph. Pinned nodes (with their narrower kinds) seed the search; each query edge is expanded
    /// one hop from whichever end is already bound (a query edge whose ends are both bound closes a cycle), so the work
    /// follows the part of the graph the pattern touches. A component with no pinned node starts from a whole-graph
    /// edge filter. Candidates are then pruned until every edge row has both ends among its query nodes' candidates,
    /// and results are enumerated over the pruned rows, strongest edges first, up to <see cref="Limits.PatternResultsEnumerated"/>.
    /// Every query edge waiting to be expanded keeps a tenth of the row budget (together at most half of what is left),
    /// so that when a hub's edges exceed the budget the answer holds the matches among the rows read, marked truncated.
    /// </summary>
    public async ValueTask<PatternAnswer> PatternAsync(PatternQuery q, CancellationToken ct)
    {
        var budget = new Budget(PatternRows);
        var truncated = false;
        var candidates = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        var categories = q.Nodes.ToDictionary(n => n.Key, n => n.Categories, StringComparer.Ordinal);

        // Pinned nodes and their narrower kinds (subclass_of, followed against its direction).
        foreach (var n in q.Nodes)
        {
            if (n.Ids is null) continue;
            var set = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var id in n.Ids) set[id] = null;
            var (kinds, kindsTruncated) = await NarrowerKindsAsync(n.Ids, budget, ct);
            truncated |= kindsTruncated;
            foreach (var (kind, of) in kinds) set.TryAdd(kind, of);
            candidates[n.Key] = set;
        }
        // Categories of pinned nodes and their kinds, and of the ends of scanned edges, come from the lexicon the
        // engine already holds for this graph version, not from the store.
        var lexicon = await _lexicon.GetAsync(ct);
        foreach (var (key, set) in candidates)
            foreach (var id in set.Keys.ToArray())
                if (lexicon.ByIdOrNull(id) is not { } node || (categories[key] is { } allowed && !allowed.Contains(node.Category)))
                    set.Remove(id);

        // Expand query edges, each from a bound end; a component with no bound node starts from the whole graph.
        var rows = new Dictionary<string, List<EdgeRow>>(StringComparer.Ordinal);
        var edgeOrder = q.Edges.Select((e, i) => (e.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        var pending = q.Edges.ToList();
        while (pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var next = pending
                .Select(e => (Edge: e, Rank: Rank(e)))
                .OrderBy(x => x.Rank)
                .First();
            pending.Remove(next.Edge);
            var e = next.Edge;
            List<EdgeRow> found;
            if (next.Rank.Unbound == 2)
            {
                var (list, more) = await ScanEdgesAsync(e, categories, lexicon, budget, ct);
                truncated |= more;
                found = list;
            }
            else
            {
                var fromSubject = candidates.TryGetValue(e.Subject, out var subjects) &&
                    (!candidates.TryGetValue(e.Object, out var objects) || subjects.Count <= objects.Count);
                var nearKey = fromSubject ? e.Subject : e.Object;
                var farKey = fromSubject ? e.Object : e.Subject;
                var hops = (e.Predicates ?? (IEnumerable<Predicate>)Vocabulary.Predicates)
                    .Select(p => fromSubject ? Hop.Out(p) : Hop.In(p)).ToArray();
                // Each query edge still to expand keeps a share of the budget, so a first edge at a hub (10^5 rows) cannot
                // spend it all and leave the others nothing to join: the answer is then partial (truncated), not empty.
                var reserve = Math.Min(budget.Remaining / 2, pending.Count * (PatternRows / 10));
                var expansion = PushDown(e) is { } filter
                    ? await budget.ExpandAsync(store, candidates[nearKey].Keys, hops, filter, ct, budget.Remaining - reserve)
                    : new Expansion([], false);
                truncated |= expansion.Truncated;
                candidates.TryGetValue(farKey, out var far);
                var farCategories = categories[farKey];
                found = [];
                foreach (var r in expansion.Rows)
                {
                    if (!e.Accepts(r)) continue;
                    if (far is not null ? !far.ContainsKey(r.Other) : farCategories is not null && !farCategories.Contains(r.OtherCategory)) continue;
                    if (e.Subject == e.Object && r.Subject != r.Object) continue;
                    found.Add(r with { Direction = Direction.Out });
                }
            }
            if (e.NeedsSources) found = await KeepCitingAsync(e, found, ct);
            rows[e.Key] = found;
            Restrict(candidates, e.Subject, found.Select(r => r.Subject));
            Restrict(candidates, e.Object, found.Select(r => r.Object));
        }

        foreach (var n in q.Nodes) candidates.TryAdd(n.Key, new Dictionary<string, string?>(StringComparer.Ordinal));
        Prune(q, candidates, rows);
        var (results, found2, capped, enumTruncated) = Enumerate(q, candidates, rows, ct);
        truncated |= enumTruncated;

        var builder = new GraphBuilder();
        var rowsById = rows.Values.SelectMany(l => l).DistinctBy(r => r.Id).ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var r in results)
        {
            foreach (var b in r.Nodes.Values) builder.Node(b.Id);
            foreach (var ids in r.Edges.Values)
                foreach (var id in ids) builder.Edge(rowsById[id]);
        }
        return new PatternAnswer(results, found2, capped, truncated, await builder.BuildAsync(store, ct));

        // Both ends bound first (the edge closes a cycle), then one, then none; then the smaller candidate set, then the order given.
        (int Unbound, int Size, int Order) Rank(PatternEdge e)
        {
            var s = candidates.TryGetValue(e.Subject, out var a) ? a.Count : int.MaxValue;
            var o = candidates.TryGetValue(e.Object, out var b) ? b.Count : int.MaxValue;
            var unbound = (s == int.MaxValue ? 1 : 0) + (o == int.MaxValue ? 1 : 0);
            return (unbound, Math.Min(s, o), edgeOrder[e.Key]);
        }
    }

    /// <summary>The part of a query edge's constraints the port filters on; null when the constraints allow nothing.</summary>
    private static EdgeFilter? PushDown(PatternEdge e) =>
        e.Tiers is { Count: 0 } || e.Effects is { Count: 0 } || e.Levels is { Count: 0 } || e.Sources is { Count: 0 } || e.Predicates is { Count: 0 }
            ? null
            : new EdgeFilter(e.Tiers is null ? EvidenceTier.T5 : e.Tiers.Max(), e.Effects is null ? null : new HashSet<Effect>(e.Effects));

    /// <summary>Narrower kinds of the given nodes, each with the given node it is a kind of.</summary>
    private async ValueTask<(List<(string Kind, string Of)> Kinds, bool Truncated)> NarrowerKindsAsync(IReadOnlyList<string> ids, Budget budget, CancellationToken ct)
    {
        var kinds = new List<(string, string)>();
        var truncated = false;
        foreach (var id in ids)
        {
            var (paths, t) = await KindsAsync(id, NarrowerHops, budget, ct);
            truncated |= t;
            foreach (var kind in paths.Keys)
                if (kind != id) kinds.Add((kind, id));
        }
        return (kinds, truncated);
    }

    /// <summary>Every edge of the graph matching a query edge with no bound end, by keyset pages, within the budget.</summary>
    private async ValueTask<(List<EdgeRow> Rows, bool More)> ScanEdgesAsync(
        PatternEdge e, Dictionary<string, IReadOnlySet<NodeCategory>?> categories, Lexicon lexicon, Budget budget, CancellationToken ct)
    {
        var found = new List<EdgeRow>();
        var subjects = categories[e.Subject];
        var objects = categories[e.Object];
        if (PushDown(e) is not { } filter) return (found, false);
        foreach (var p in e.Predicates ?? (IEnumerable<Predicate>)Vocabulary.Predicates)
        {
            var query = new EdgeQuery(p, subjects is { Count: 1 } ? subjects.First() : null, objects is { Count: 1 } ? objects.First() : null, filter);
            string? after = null;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (budget.Remaining <= 0) return (found, true);
                var page = Math.Min(Limits.EdgesPageMax, budget.Remaining);
                var (items, more) = await store.ListEdgesAsync(query, after, page, ct);
                budget.Spend(items.Count);
                foreach (var x in items)
                {
                    if (lexicon.CategoryOf(x.Subject) is not { } sc || lexicon.CategoryOf(x.Object) is not { } oc) continue;
                    if ((subjects is not null && !subjects.Contains(sc)) || (objects is not null && !objects.Contains(oc))) continue;
                    var row = new EdgeRow(x.Id, x.Subject, x.Predicate, x.Object, x.Tier, x.Effect, x.KnowledgeLevel, Direction.Out, oc, Urgency.None);
                    if (!e.Accepts(row) || (e.Subject == e.Object && x.Subject != x.Object)) continue;
                    if (e.NeedsSources && !e.AcceptsSources(x)) continue;
                    found.Add(row);
                }
                if (!more || items.Count == 0) break;
                after = items[^1].Id;
            }
        }
        return (found, false);
    }

    /// <summary>The rows whose edges cite the sources the query edge asks for (hydrates those edges).</summary>
    private async ValueTask<List<EdgeRow>> KeepCitingAsync(PatternEdge e, List<EdgeRow> found, CancellationToken ct)
    {
        if (found.Count == 0) return found;
        var edges = await store.GetEdgesAsync(found.Select(r => r.Ref).ToArray(), ct);
        var keep = edges.Where(e.AcceptsSources).Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        return found.Where(r => keep.Contains(r.Id)).ToList();
    }

    private static void Restrict(Dictionary<string, Dictionary<string, string?>> candidates, string key, IEnumerable<string> ids)
    {
        if (candidates.TryGetValue(key, out var set))
        {
            var keep = ids.ToHashSet(StringComparer.Ordinal);
            foreach (var id in set.Keys.ToArray())
                if (!keep.Contains(id)) set.Remove(id);
        }
        else
        {
            set = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var id in ids) set.TryAdd(id, null);
            candidates[key] = set;
        }
    }

    /// <summary>
    /// Drops rows with an end outside its query node's candidates and candidates no row of an edge reaches. A few rounds
    /// only: each round costs the rows, and a fixpoint can take as many rounds as there are candidates to drop one by
    /// one. Pruning only saves enumeration work: the enumeration checks every query edge of every result itself.
    /// </summary>
    private static void Prune(PatternQuery q, Dictionary<string, Dictionary<string, string?>> candidates, Dictionary<string, List<EdgeRow>> rows)
    {
        for (var (changed, round) = (true, 0); changed && round < PruneRounds; round++)
        {
            changed = false;
            foreach (var e in q.Edges)
            {
                var list = rows[e.Key];
                var s = candidates[e.Subject];
                var o = candidates[e.Object];
                var before = list.Count;
                list.RemoveAll(r => !s.ContainsKey(r.Subject) || !o.ContainsKey(r.Object));
                changed |= list.Count != before;
                changed |= Keep(s, list.Select(r => r.Subject));
                changed |= Keep(o, list.Select(r => r.Object));
            }
        }

        static bool Keep(Dictionary<string, string?> set, IEnumerable<string> ids)
        {
            var keep = ids.ToHashSet(StringComparer.Ordinal);
            var removed = false;
            foreach (var id in set.Keys.ToArray())
                if (!keep.Contains(id)) removed |= set.Remove(id);
            return removed;
        }
    }

    /// <summary>
    /// Assigns a graph node to each query node in turn (most constrained first), joining along query edges already
    /// assigned at one end, strongest rows first; stops after <see cref="Limits.PatternResultsEnumerated"/> results.
    /// </summary>
    private static (List<PatternResult> Results, int Found, bool Capped, bool Truncated) Enumerate(
        PatternQuery q, Dictionary<string, Dictionary<string, string?>> candidates, Dictionary<string, List<EdgeRow>> rows, CancellationToken ct)
    {
        // Rows per query edge between each (subject, object) pair, strongest first.
        var pairs = new Dictionary<string, Dictionary<(string, string), List<EdgeRow>>>(StringComparer.Ordinal);
        var bySubject = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        var byObject = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        foreach (var e in q.Edges)
        {
            var list = rows[e.Key];
            list.Sort(static (a, b) =>
            {
                var c = ((int)a.Tier).CompareTo((int)b.Tier);
                if (c == 0) c = ((int)a.Effect).CompareTo((int)b.Effect);
                if (c == 0) c = KnowledgeRank(a.KnowledgeLevel).CompareTo(KnowledgeRank(b.KnowledgeLevel));
                return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
            });
            var p = new Dictionary<(string, string), List<EdgeRow>>();
            var s = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var o = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var r in list)
            {
                if (!p.TryGetValue((r.Subject, r.Object), out var l))
                {
                    p[(r.Subject, r.Object)] = l = [];
                    (s.TryGetValue(r.Subject, out var so) ? so : s[r.Subject] = []).Add(r.Object);
                    (o.TryGetValue(r.Object, out var os) ? os : o[r.Object] = []).Add(r.Subject);
                }
                l.Add(r);
            }
            pairs[e.Key] = p;
            bySubject[e.Key] = s;
            byObject[e.Key] = o;
        }

        // Query nodes in join order: fewest candidates first, then one joined to those already placed.
        var order = new List<string>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (order.Count < q.Nodes.Count)
        {
            var next = q.Nodes
                .Where(n => !placed.Contains(n.Key))
                .OrderBy(n => order.Count > 0 && q.Edges.Any(e => (e.Subject == n.Key && placed.Contains(e.Object)) || (e.Object == n.Key && placed.Contains(e.Subject))) ? 0 : 1)
                .ThenBy(n => candidates.TryGetValue(n.Key, out var c) ? c.Count : int.MaxValue)
                .First().Key;
            order.Add(next);
            placed.Add(next);
        }

        var results = new List<PatternResult>();
        var assignment = new Dictionary<string, string>(StringComparer.Ordinal);
        var truncated = false;
        var steps = 0L;
        Assign(0);
        var found = results.Count;
        results.Sort(static (a, b) =>
        {
            var c = b.Score.CompareTo(a.Score);
            if (c == 0) c = a.Tie.CompareTo(b.Tie);
            if (c != 0) return c;
            foreach (var (key, binding) in a.Nodes)
            {
                c = string.CompareOrdinal(binding.Id, b.Nodes[key].Id);
                if (c != 0) return c;
            }
            return 0;
        });
        var capped = results.Count > q.Limit;
        if (capped) results.RemoveRange(q.Limit, results.Count - q.Limit);
        return (results, found, capped, truncated);

        void Assign(int i)
        {
            if (truncated) return;
            if (i == order.Count)
            {
                results.Add(Result());
                truncated = results.Count >= Limits.PatternResultsEnumerated;
                return;
            }
            var key = order[i];
            foreach (var id in Options(key))
            {
                if ((++steps & 1023) == 0) ct.ThrowIfCancellationRequested();
                if (!Fits(key, id)) continue;
                assignment[key] = id;
                Assign(i + 1);
                assignment.Remove(key);
                if (truncated) return;
            }
        }

        // Candidates for a query node: its neighbours through the query edge to an assigned node that has the fewest,
        // else all its candidates. (The fewest matters: in a triangle, the first edge found may offer every treatment
        // relieving a symptom where another offers the few acting on one mechanism.)
        IReadOnlyCollection<string> Options(string key)
        {
            IReadOnlyCollection<string>? best = null;
            foreach (var e in q.Edges)
            {
                IReadOnlyCollection<string>? via = null;
                if (e.Subject == key && e.Object != key && assignment.TryGetValue(e.Object, out var obj))
                    via = byObject[e.Key].TryGetValue(obj, out var l) ? l : [];
                else if (e.Object == key && e.Subject != key && assignment.TryGetValue(e.Subject, out var subj))
                    via = bySubject[e.Key].TryGetValue(subj, out var l) ? l : [];
                if (via is not null && (best is null || via.Count < best.Count)) best = via;
            }
            return best ?? candidates[key].Keys;
        }

        // Every query edge between this node and assigned ones (or itself) has a row.
        bool Fits(string key, string id)
        {
            if (!candidates[key].ContainsKey(id)) return false;
            foreach (var e in q.Edges)
            {
                if (e.Subject != key && e.Object != key) continue;
                var s = e.Subject == key ? id : assignment.GetValueOrDefault(e.Subject);
                var o = e.Object == key ? id : assignment.GetValueOrDefault(e.Object);
                if (s is null || o is null) continue;
                if (!pairs[e.Key].ContainsKey((s, o))) return false;
            }
            return true;
        }

        PatternResult Result()
        {
            var nodes = new Dictionary<string, PatternBinding>(StringComparer.Ordinal);
            foreach (var n in q.Nodes) nodes[n.Key] = new PatternBinding(assignment[n.Key], candidates[n.Key][assignment[n.Key]]);
            var edges = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var weakest = 0.0;
            var sum = 0.0;
            var weakestTier = EvidenceTier.T1;
            var tie = 0;
            foreach (var e in q.Edges)
            {
                var list = pairs[e.Key][(assignment[e.Subject], assignment[e.Object])];
                edges[e.Key] = list.Select(r => r.Id).ToArray();
                var w = TierWeight(list[0].Tier);
                sum += w;
                if (edges.Count == 1 || w < weakest) weakest = w;
                if ((int)list[0].Tier > (int)weakestTier) weakestTier = list[0].Tier;
                tie += (int)list[0].Effect * 8 + KnowledgeRank(list[0].KnowledgeLevel);
            }
            var score = q.Edges.Count == 0 ? 1.0 : Math.Round(0.75 * weakest + 0.25 * sum / q.Edges.Count, 4);
            return new PatternResult(nodes, edges, score, weakestTier) { Tie = tie };
        }
    }
}
