using System.Text.RegularExpressions;
using SpineGraph.Core;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Seed;

/// <summary>graph-seed/COVERAGE.md maps each source document's statements to the nodes and edges holding them.</summary>
public partial class SeedCoverageTests
{
    [GeneratedRegex(@"^## (sgdoc:\d{3})\b", RegexOptions.Multiline)]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"sg:e-[a-z0-9_-]*[a-z0-9_]")]
    private static partial Regex EdgeId();

    [GeneratedRegex(@"sg:(?!e-)[a-z0-9]+(?:-[a-z0-9]+)*")]
    private static partial Regex NodeId();

    /// <summary>The text of each document's section, keyed by document id.</summary>
    private static readonly Lazy<Dictionary<string, string>> Sections = new(() =>
    {
        var text = File.ReadAllText(Path.Combine(SeedGraph.Directory, "COVERAGE.md"));
        var headings = SectionHeading().Matches(text);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < headings.Count; i++)
        {
            var end = i + 1 < headings.Count ? headings[i + 1].Index : text.Length;
            result.Add(headings[i].Groups[1].Value, text[headings[i].Index..end]);
        }
        return result;
    });

    private static string[] DocumentIds =>
        SeedGraph.Data.Sources.Where(s => s.Kind == SourceKind.SourceDocument).Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();

    public static TheoryData<string> Documents() => new(DocumentIds);

    [Fact]
    public void EverySourceDocumentHasASection() =>
        Assert.Equal(DocumentIds, Sections.Value.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryEdgeNamedForADocumentExistsAndCitesIt(string document)
    {
        var named = EdgeId().Matches(Sections.Value[document]).Select(m => m.Value).Distinct().ToArray();
        Assert.NotEmpty(named);
        var edges = SeedGraph.Data.Edges.ToDictionary(e => e.Id);
        Assert.Empty(named.Where(id => !edges.ContainsKey(id)).Select(id => $"{id} is not an edge"));
        Assert.Empty(named.Where(id => edges[id].Sources.All(s => s.Id != document)).Select(id => $"{id} does not cite {document}"));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryNodeNamedForADocumentExists(string document)
    {
        var ids = SeedGraph.Data.Nodes.Select(n => n.Id).ToHashSet();
        var missing = NodeId().Matches(Sections.Value[document]).Select(m => m.Value).Where(id => !ids.Contains(id)).Distinct();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryEdgeCitingADocumentIsNamedInItsSection(string document)
    {
        var named = EdgeId().Matches(Sections.Value[document]).Select(m => m.Value).ToHashSet();
        var citing = SeedGraph.Data.Edges.Where(e => e.Sources.Any(s => s.Id == document)).Select(e => e.Id).ToArray();
        Assert.NotEmpty(citing);
        Assert.All(citing, id => Assert.Contains(id, named));
    }
}
