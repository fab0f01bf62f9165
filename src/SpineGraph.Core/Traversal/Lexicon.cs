using SpineGraph.Core.Search;

namespace SpineGraph.Core.Traversal;

/// <summary>The search lexicon of one graph version: its nodes (light, made on demand), an id lookup and the search index over them.</summary>
internal sealed class Lexicon
{
    public Lexicon(string version, IReadOnlyList<Node> nodes)
    {
        Version = version;
        Nodes = LexiconNodes.Of(nodes);
        Index = Nodes.Index;
    }

    public string Version { get; }
    public LexiconNodes Nodes { get; }
    public SearchIndex Index { get; }

    public Node? ByIdOrNull(string id) => Nodes.Find(id) is var i and >= 0 ? Nodes[i] : null;

    /// <summary>The category of the node with this id, or null (no node made).</summary>
    public NodeCategory? CategoryOf(string id) => Nodes.Find(id) is var i and >= 0 ? Nodes.Category(i) : null;

    /// <summary>Suggestions for a query that found nothing (words up to two edits away).</summary>
    public List<(Node Node, string Text, MatchedField Field, MatchKind Kind, double Score, IReadOnlyList<string> Words)> Suggest(string text, NodeCategory? category, int limit)
    {
        Func<int, bool>? accept = category is { } c ? i => Nodes.Category(i) == c : null;
        return [.. Index.Suggest(text, accept, limit).Select(h => (Nodes[h.Node], h.Text, h.Field, h.Kind, h.Score, h.MatchedWords))];
    }

    /// <summary>Hits for a text: an exact id first, then the search index's hits (exact, prefix, one typo).</summary>
    public List<(Node Node, string Text, MatchedField Field, MatchKind Kind, double Score, IReadOnlyList<string> Words)> Search(string text, NodeCategory? category, int limit)
    {
        var hits = new List<(Node, string, MatchedField, MatchKind, double, IReadOnlyList<string>)>();
        var trimmed = text.Trim();
        int? byId = Nodes.Find(trimmed) is var found and >= 0 ? found : null;
        if (byId is { } b && (category is null || Nodes.Category(b) == category))
        {
            var node = Nodes[b];
            hits.Add((node, node.Id, MatchedField.Id, MatchKind.Exact, 1.0, [trimmed]));
        }
        Func<int, bool>? accept = category is { } c ? i => Nodes.Category(i) == c && i != byId : byId is null ? null : i => i != byId;
        foreach (var h in Index.Search(trimmed, accept, limit - hits.Count))
            hits.Add((Nodes[h.Node], h.Text, h.Field, h.Kind, h.Score, h.MatchedWords));
        return hits;
    }
}

/// <summary>Builds the lexicon once per graph version and shares it between requests.</summary>
internal sealed class LexiconCache(IGraphStore store)
{
    private volatile Lexicon? _current;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async ValueTask<Lexicon> GetAsync(CancellationToken ct)
    {
        var meta = await store.GetMetaAsync(ct);
        var current = _current;
        if (current is not null && current.Version == meta.Version) return current;
        await _lock.WaitAsync(ct);
        try
        {
            current = _current;
            if (current is not null && current.Version == meta.Version) return current;
            var lexicon = new Lexicon(meta.Version, await store.GetLexiconAsync(ct));
            _current = lexicon;
            return lexicon;
        }
        finally
        {
            _lock.Release();
        }
    }
}

/// <summary>Collects the nodes and edges an answer refers to, then hydrates them in one call each.</summary>
internal sealed class GraphBuilder
{
    private readonly List<string> _nodes = [];
    private readonly HashSet<string> _nodeSet = new(StringComparer.Ordinal);
    private readonly List<EdgeRef> _edges = [];
    private readonly HashSet<string> _edgeSet = new(StringComparer.Ordinal);

    public void Node(string id)
    {
        if (_nodeSet.Add(id)) _nodes.Add(id);
    }

    public void Edge(EdgeRow row)
    {
        if (_edgeSet.Add(row.Id)) _edges.Add(row.Ref);
        Node(row.Subject);
        Node(row.Object);
    }

    /// <summary>Hydrates what was collected; nodes already at hand (<paramref name="known"/>) are not fetched again.</summary>
    public async ValueTask<KnowledgeGraph> BuildAsync(IGraphStore store, CancellationToken ct, IReadOnlyDictionary<string, Node>? known = null)
    {
        var missing = known is null ? _nodes : _nodes.Where(id => !known.ContainsKey(id)).ToList();
        var nodes = missing.Count == 0 ? [] : await store.GetNodesAsync(missing, ct);
        var edges = _edges.Count == 0 ? [] : await store.GetEdgesAsync(_edges, ct);
        var fetched = new Dictionary<string, Node>(nodes.Count, StringComparer.Ordinal);
        foreach (var n in nodes) fetched[n.Id] = n;
        // In the order collected.
        var nodeMap = new Dictionary<string, Node>(_nodes.Count, StringComparer.Ordinal);
        foreach (var id in _nodes)
            if (fetched.TryGetValue(id, out var n) || (known is not null && known.TryGetValue(id, out n))) nodeMap[id] = n;
        var edgeMap = new Dictionary<string, Edge>(edges.Count, StringComparer.Ordinal);
        var sources = new Dictionary<string, Source>(StringComparer.Ordinal);
        foreach (var e in edges)
        {
            edgeMap[e.Id] = e;
            foreach (var s in e.Sources) sources.TryAdd(s.Id, s);
        }
        return new KnowledgeGraph(nodeMap, edgeMap, sources);
    }
}
