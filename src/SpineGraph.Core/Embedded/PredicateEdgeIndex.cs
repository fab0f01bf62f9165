namespace SpineGraph.Core.Embedded;

/// <summary>
/// Each predicate's edge numbers in ascending order, which is id order (edges are numbered by id), so a
/// whole-graph edge listing filtered by predicate reads only that predicate's edges. Built in one pass over the
/// predicate column on the first such listing (about 4 bytes per edge from then on); a graph never listed that
/// way never pays for it.
/// </summary>
internal sealed class PredicateEdgeIndex(EmbeddedGraph graph)
{
    private readonly Lazy<int[][]> lists = new(() => Build(graph), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The edges of <paramref name="predicate"/>, from the first whose number is at least <paramref name="from"/>.</summary>
    public ReadOnlySpan<int> From(Predicate predicate, int from)
    {
        var list = lists.Value[(int)predicate];
        var start = Array.BinarySearch(list, from);
        return list.AsSpan(start < 0 ? ~start : start);
    }

    private static int[][] Build(EmbeddedGraph graph)
    {
        var predicates = graph.EdgePredicates.Span;
        var counts = new int[Vocabulary.Predicates.Count];
        foreach (var p in predicates) counts[p]++;
        var lists = new int[counts.Length][];
        for (var p = 0; p < lists.Length; p++) lists[p] = new int[counts[p]];
        var next = new int[counts.Length];
        for (var e = 0; e < predicates.Length; e++) lists[predicates[e]][next[predicates[e]]++] = e;
        return lists;
    }
}
