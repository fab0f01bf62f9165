using System.Collections.Immutable;

namespace SpineGraph.Core.Traversal;

/// <summary>
/// A bounded breadth-first search over the port, level by level (one expansion per level), from a set of roots
/// along the given hops. It keeps, per (node, constraint mask), the first chain that reaches it, which is a
/// shortest one; the mask records which constraint nodes (a named cause or condition) lie on that chain.
/// Every node is expanded at most once, so the work follows the neighbourhood the search touches, never the
/// number of chains. The number of chains per state is counted by dynamic programming over the same rows.
/// </summary>
internal sealed class ChainSearch
{
    /// <summary>A node reached with a constraint mask: its depth, the state it was reached from and the row (an index
    /// into <see cref="AllRows"/>) that led here; -1 for a root.</summary>
    public readonly record struct State(string Node, int Mask, int Depth, int Parent, int ViaRow);

    private readonly IGraphStore _store;
    private readonly IReadOnlyList<Hop> _hops;
    private readonly string[] _constraints;
    private readonly List<State> _states = [];
    private readonly Dictionary<(string, int), int> _index = [];
    private readonly List<EdgeRow> _all = [];
    private readonly Dictionary<string, List<int>> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _minDepth = new(StringComparer.Ordinal);
    private Dictionary<string, int>? _reachBits;
    private Dictionary<string, List<int>>? _back;
    private HashSet<string>? _roots;
    private long[]? _counts;

    public ChainSearch(IGraphStore store, IReadOnlyList<Hop> hops, int maxDepth, params string[] constraints)
    {
        _store = store;
        _hops = hops;
        MaxDepth = maxDepth;
        _constraints = constraints;
    }

    public int MaxDepth { get; }
    public int Full => (1 << _constraints.Length) - 1;
    public bool Truncated { get; private set; }
    public IReadOnlyList<State> States => _states;

    /// <summary>Every row the search read, in the order read.</summary>
    public IReadOnlyList<EdgeRow> AllRows => _all;

    /// <summary>The row that led to a state (a root has none).</summary>
    public EdgeRow Via(int state) => _all[_states[state].ViaRow];

    public bool IsRoot(int state) => _states[state].Parent < 0;

    public bool Reached(string node) => _minDepth.ContainsKey(node);

    private int Bit(string node)
    {
        var bits = 0;
        for (var i = 0; i < _constraints.Length; i++)
            if (string.Equals(_constraints[i], node, StringComparison.Ordinal)) bits |= 1 << i;
        return bits;
    }

    /// <summary>Runs the search; <paramref name="budget"/> is the most rows all expansions together may return.</summary>
    public async ValueTask RunAsync(IReadOnlyList<string> roots, Budget budget, CancellationToken ct)
    {
        var level = new List<int>();
        foreach (var r in roots)
            if (Add(r, Bit(r), 0, -1, -1) is { } s) level.Add(s);
        for (var depth = 0; depth < MaxDepth && level.Count > 0; depth++)
        {
            ct.ThrowIfCancellationRequested();
            var toExpand = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in level)
                if (!_rows.ContainsKey(_states[s].Node) && seen.Add(_states[s].Node)) toExpand.Add(_states[s].Node);
            if (toExpand.Count > 0)
            {
                foreach (var n in toExpand) _rows[n] = [];
                var expansion = await budget.ExpandAsync(_store, toExpand, _hops, EdgeFilter.All, ct);
                Truncated |= expansion.Truncated;
                foreach (var row in expansion.Rows)
                {
                    _rows[row.Near].Add(_all.Count);
                    _all.Add(row);
                }
            }
            var next = new List<int>();
            foreach (var s in level)
            {
                var (node, mask) = (_states[s].Node, _states[s].Mask);
                foreach (var r in _rows[node])
                {
                    var other = _all[r].Other;
                    if (Add(other, mask | Bit(other), depth + 1, s, r) is { } added) next.Add(added);
                }
            }
            level = next;
        }
    }

    private int? Add(string node, int mask, int depth, int parent, int via)
    {
        if (!_index.TryAdd((node, mask), _states.Count)) return null;
        _states.Add(new State(node, mask, depth, parent, via));
        _minDepth.TryAdd(node, depth);
        return _states.Count - 1;
    }

    /// <summary>The number of chains (walks of at most MaxDepth hops from a root that meet no root again) ending in
    /// each state; exact on an acyclic causal graph, saturating at <see cref="CountCap"/>.</summary>
    public long Count(int state)
    {
        _counts ??= CountAll();
        return _counts[state];
    }

    public const long CountCap = 1_000_000_000_000;

    private long[] CountAll()
    {
        var counts = new long[_states.Count];
        var current = new long[_states.Count];
        var next = new long[_states.Count];
        var any = false;
        for (var s = 0; s < _states.Count && _states[s].Parent < 0; s++) { current[s] = 1; any = true; }
        for (var length = 1; length <= MaxDepth && any; length++)
        {
            any = false;
            for (var s = 0; s < current.Length; s++)
            {
                var c = current[s];
                if (c == 0 || !_rows.TryGetValue(_states[s].Node, out var rows)) continue;
                var mask = _states[s].Mask;
                foreach (var r in rows)
                {
                    var other = _all[r].Other;
                    if (!_index.TryGetValue((other, mask | Bit(other)), out var t) || _states[t].Parent < 0) continue;
                    next[t] = Math.Min(CountCap, next[t] + c);
                    any = true;
                }
            }
            for (var t = 0; t < next.Length; t++) counts[t] = Math.Min(CountCap, counts[t] + next[t]);
            (current, next) = (next, current);
            Array.Clear(next);
        }
        return counts;
    }

    /// <summary>
    /// Whether a state's chain answers the constraints: every constraint lies on its chain, or the node lies
    /// between that constraint and a root (the constraint leads to the node, and the node to a root).
    /// </summary>
    public bool Qualifies(int state)
    {
        var s = _states[state];
        if (s.Mask == Full) return true;
        return (s.Mask | ReachBits(s.Node)) == Full;
    }

    /// <summary>Reverse adjacency among the rows found, built once: a node → the rows (indices into
    /// <see cref="AllRows"/>) whose far end it is, each one step back towards the roots.</summary>
    private Dictionary<string, List<int>> Back()
    {
        if (_back is null)
        {
            _back = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var r = 0; r < _all.Count; r++)
            {
                if (!_back.TryGetValue(_all[r].Other, out var list)) _back[_all[r].Other] = list = [];
                list.Add(r);
            }
        }
        return _back;
    }

    private int ReachBits(string node)
    {
        if (_reachBits is null)
        {
            _reachBits = new Dictionary<string, int>(StringComparer.Ordinal);
            var back = Back();
            for (var i = 0; i < _constraints.Length; i++)
            {
                var c = _constraints[i];
                if (!_minDepth.ContainsKey(c)) continue;
                var dist = new Dictionary<string, int>(StringComparer.Ordinal) { [c] = 0 };
                var queue = new Queue<string>([c]);
                while (queue.Count > 0)
                {
                    var x = queue.Dequeue();
                    _reachBits[x] = _reachBits.GetValueOrDefault(x) | (1 << i);
                    if (!back.TryGetValue(x, out var rows)) continue;
                    foreach (var r in rows)
                        if (_all[r].Near is var n && !dist.ContainsKey(n) && dist[x] + 1 + _minDepth[n] <= MaxDepth)
                        {
                            dist[n] = dist[x] + 1;
                            queue.Enqueue(n);
                        }
                }
            }
        }
        return _reachBits.GetValueOrDefault(node);
    }

    /// <summary>The chain of a state from its node back to its root: nodes and the rows between them.</summary>
    public (List<string> Nodes, List<EdgeRow> Rows) Chain(int state)
    {
        var nodes = new List<string>();
        var rows = new List<EdgeRow>();
        for (var s = state; s >= 0; s = _states[s].Parent)
        {
            nodes.Add(_states[s].Node);
            if (_states[s].Parent >= 0) rows.Add(_all[_states[s].ViaRow]);
        }
        return (nodes, rows);
    }

    /// <summary>Every chain from a node back to a root (simple, at most MaxDepth hops) whose constraints
    /// qualify, shortest first, up to <paramref name="max"/> of them.</summary>
    public List<(List<string> Nodes, List<EdgeRow> Rows)> AllChains(string node, int max, out bool capped)
    {
        var back = Back();
        var roots = _roots ??= new HashSet<string>(_states.Where(s => s.Parent < 0).Select(s => s.Node), StringComparer.Ordinal);
        var found = new List<(List<string>, List<EdgeRow>)>();
        var reach = ReachBits(node);
        var nodes = new List<string> { node };
        var path = new List<EdgeRow>();
        var hit = false;
        Walk(node, Bit(node));
        capped = hit;
        return found;

        void Walk(string at, int mask)
        {
            if (hit) return;
            if (roots.Contains(at))
            {
                if ((mask | reach) == Full)
                {
                    if (found.Count >= max) { hit = true; return; }
                    found.Add(([.. nodes], [.. path]));
                }
                return;
            }
            if (path.Count >= MaxDepth || !back.TryGetValue(at, out var rows)) return;
            foreach (var r in rows)
            {
                var row = _all[r];
                if (nodes.Contains(row.Near)) continue;
                nodes.Add(row.Near);
                path.Add(row);
                Walk(row.Near, mask | Bit(row.Near));
                nodes.RemoveAt(nodes.Count - 1);
                path.RemoveAt(path.Count - 1);
            }
        }
    }
}

/// <summary>How many rows one traversal may still read from the store; it stops and says so when spent.</summary>
internal sealed class Budget(int rows)
{
    public int Remaining { get; private set; } = rows;
    public bool Spent { get; private set; }

    /// <summary>One hop through the port, reading at most what is left (or <paramref name="cap"/>, if smaller).</summary>
    public async ValueTask<Expansion> ExpandAsync(IGraphStore store, IReadOnlyCollection<string> frontier, IReadOnlyList<Hop> hops, EdgeFilter filter, CancellationToken ct, int? cap = null)
    {
        var limit = Math.Min(Remaining, cap ?? int.MaxValue);
        if (limit <= 0 || frontier.Count == 0)
        {
            Spent |= frontier.Count > 0;
            return new Expansion([], frontier.Count > 0);
        }
        var e = await store.ExpandAsync(frontier, hops, filter, limit, ct);
        Remaining -= e.Rows.Count;
        Spent |= e.Truncated;
        return e;
    }

    /// <summary>Counts rows read some other way (a whole-graph edge scan).</summary>
    public void Spend(int rows)
    {
        Remaining -= rows;
        Spent |= Remaining <= 0;
    }
}
