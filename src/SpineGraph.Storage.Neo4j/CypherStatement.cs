using System.Reflection;

namespace SpineGraph.Storage.Neo4j;

/// <summary>
/// A Cypher statement the backend may send. Instances exist only as static fields (or values of static
/// dictionaries keyed by category or predicate) in this assembly, so <see cref="CypherCatalog.All"/> lists every
/// statement the store and seeder can issue, and the tests lint every one of them. Statement text never
/// holds input: values go in parameters; labels and relationship types come from <c>Vocabulary</c>.
/// </summary>
public sealed class CypherStatement
{
    internal CypherStatement(string name, string text, params string[] parameters)
    {
        Name = name;
        Text = text;
        Parameters = parameters;
    }

    /// <summary>Short stable name, e.g. <c>store.node</c>.</summary>
    public string Name { get; }

    public string Text { get; }

    /// <summary>Parameter names the statement uses (declared to the linter).</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>What the statement is for (documentation and the docs table).</summary>
    public string Purpose { get; init; } = "";

    public override string ToString() => Name;
}

/// <summary>Every statement this assembly can send, found by reflection over static fields.</summary>
public static class CypherCatalog
{
    private static readonly Lazy<IReadOnlyList<CypherStatement>> _all = new(() =>
    {
        var list = new List<CypherStatement>();
        foreach (var type in typeof(CypherCatalog).Assembly.GetTypes())
        {
            foreach (var f in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (f.FieldType == typeof(CypherStatement) && f.GetValue(null) is CypherStatement s) list.Add(s);
                else if (f.FieldType == typeof(IReadOnlyDictionary<SpineGraph.Core.NodeCategory, CypherStatement>) && f.GetValue(null) is IReadOnlyDictionary<SpineGraph.Core.NodeCategory, CypherStatement> byCat) list.AddRange(byCat.Values);
                else if (f.FieldType == typeof(IReadOnlyDictionary<SpineGraph.Core.Predicate, CypherStatement>) && f.GetValue(null) is IReadOnlyDictionary<SpineGraph.Core.Predicate, CypherStatement> byPred) list.AddRange(byPred.Values);
            }
        }
        return list.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
    });

    public static IReadOnlyList<CypherStatement> All => _all.Value;
}
