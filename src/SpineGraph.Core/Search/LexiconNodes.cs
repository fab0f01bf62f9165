using System.Collections;
using System.Collections.Frozen;
using System.Text;
using SpineGraph.Core.Embedded;

namespace SpineGraph.Core.Search;

/// <summary>
/// The nodes a <see cref="SearchIndex"/> is built over, in id order, as the index reads them: category, name length,
/// id order and the texts (name, then synonyms, then lay terms: the node's <em>slots</em>), with light
/// <see cref="Node"/> objects (id, category, name, synonyms, lay terms) made on demand. Either a list of nodes (a
/// backend's lexicon) or the embedded graph's own node columns, read in place (no copy, no object per node).
/// Each instance builds its search index once and keeps it.
/// </summary>
public abstract class LexiconNodes : IReadOnlyList<Node>
{
    private SearchIndex? _index;
    private readonly Lock _lock = new();

    private protected LexiconNodes()
    {
    }

    /// <summary>The nodes as a lexicon: the list itself when it already is one (the embedded graph's), else a view of it.</summary>
    public static LexiconNodes Of(IReadOnlyList<Node> nodes) => nodes as LexiconNodes ?? new NodeList(nodes);

    public abstract int Count { get; }

    /// <summary>A light node (id, category, name, synonyms, lay terms; urgency where the backend has it).</summary>
    public abstract Node this[int index] { get; }

    /// <summary>The search index over these nodes, built on first use (or the one a snapshot holds), then kept.</summary>
    public SearchIndex Index
    {
        get
        {
            if (Volatile.Read(ref _index) is { } built) return built;
            lock (_lock) return _index ??= SearchIndex.Build(this);
        }
    }

    /// <summary>Sets the index a compiled snapshot holds (before any use).</summary>
    internal void UseIndex(SearchIndex index) => Volatile.Write(ref _index, index);

    /// <summary>The index a search would use if it was built already (null otherwise).</summary>
    internal SearchIndex? BuiltIndex => Volatile.Read(ref _index);

    /// <summary>The position of the node with this id, or -1.</summary>
    public abstract int Find(string id);

    public abstract NodeCategory Category(int n);

    /// <summary>The length of the node's name in UTF-16 characters (as <see cref="string.Length"/>).</summary>
    internal abstract int NameLength(int n);

    /// <summary>Orders two nodes by id as <see cref="string.CompareOrdinal(string, string)"/> does.</summary>
    internal abstract int CompareIds(int a, int b);

    /// <summary>How many texts (slots) the node has: its name, its synonyms, its lay terms.</summary>
    internal abstract int SlotCount(int n);

    /// <summary>The text in a slot: 0 is the name, then the synonyms, then the lay terms.</summary>
    internal abstract string Text(int n, int slot);

    internal abstract MatchedField Field(int n, int slot);

    public IEnumerator<Node> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A list of light nodes (the Neo4j backend's lexicon).</summary>
    private sealed class NodeList : LexiconNodes
    {
        private readonly Node[] _nodes;
        private readonly FrozenDictionary<string, int> _byId;

        public NodeList(IReadOnlyList<Node> nodes)
        {
            _nodes = [.. nodes];
            _byId = _nodes.Select((n, i) => (n.Id, i)).ToFrozenDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        }

        public override int Count => _nodes.Length;
        public override Node this[int index] => _nodes[index];
        public override int Find(string id) => _byId.TryGetValue(id, out var i) ? i : -1;
        public override NodeCategory Category(int n) => _nodes[n].Category;
        internal override int NameLength(int n) => _nodes[n].Name.Length;
        internal override int CompareIds(int a, int b) => string.CompareOrdinal(_nodes[a].Id, _nodes[b].Id);
        internal override int SlotCount(int n) => 1 + _nodes[n].Synonyms.Length + _nodes[n].LayTerms.Length;

        internal override string Text(int n, int slot)
        {
            var node = _nodes[n];
            if (slot == 0) return node.Name;
            return slot <= node.Synonyms.Length ? node.Synonyms[slot - 1] : node.LayTerms[slot - 1 - node.Synonyms.Length];
        }

        internal override MatchedField Field(int n, int slot) =>
            slot == 0 ? MatchedField.Name : slot <= _nodes[n].Synonyms.Length ? MatchedField.Synonym : MatchedField.LayTerm;
    }
}

/// <summary>
/// The embedded graph's nodes as a lexicon, read from its columns: nodes are numbered in id order, names and terms are
/// pooled UTF-8, so nothing is copied and a <see cref="Node"/> is made only when asked for.
/// </summary>
internal sealed class EmbeddedLexiconNodes(EmbeddedGraph graph) : LexiconNodes
{
    public override int Count => graph.NodeCount;
    public override Node this[int index] => (uint)index < (uint)graph.NodeCount ? graph.LexiconNode(index) : throw new ArgumentOutOfRangeException(nameof(index));
    public override int Find(string id) => graph.FindNode(id);
    public override NodeCategory Category(int n) => graph.CategoryOf(n);
    internal override int NameLength(int n) => Encoding.UTF8.GetCharCount(graph.NodeText[graph.NodeNames[n]]);
    internal override int CompareIds(int a, int b) => a.CompareTo(b);

    internal override int SlotCount(int n) => 1 + graph.NodeTermStarts[3 * n + 2] - graph.NodeTermStarts[3 * n];

    internal override string Text(int n, int slot) =>
        slot == 0 ? graph.NodeText.String(graph.NodeNames[n]) : graph.NodeText.String(graph.NodeTerms[graph.NodeTermStarts[3 * n] + slot - 1]);

    internal override MatchedField Field(int n, int slot) =>
        slot == 0 ? MatchedField.Name : slot <= graph.NodeTermStarts[3 * n + 1] - graph.NodeTermStarts[3 * n] ? MatchedField.Synonym : MatchedField.LayTerm;
}
