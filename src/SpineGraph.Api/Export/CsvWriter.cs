using System.Text;
using SpineGraph.Core;

namespace SpineGraph.Api.Export;

/// <summary>
/// CSV (RFC 4180: comma-separated, fields quoted when they hold a comma, quote or line break, CRLF rows): the edge list,
/// one row per edge with the names and categories of both ends, ready for a spreadsheet, pandas or Gephi's edge-table
/// import (<c>source</c>, <c>target</c>). Every row carries the graph version in <c>graph_version</c>. Nodes without
/// edges are not in an edge list: export GraphML or KGX for them.
/// </summary>
internal static class CsvWriter
{
    public static readonly string[] Columns =
    [
        "id", "source", "source_name", "source_category", "predicate", "biolink_predicate", "target", "target_name", "target_category",
        "evidence_tier", "effect", "knowledge_level", "agent_type", "claim", "context", "publications", "primary_knowledge_source", "graph_version",
    ];

    public static async Task WriteAsync(ExportScope scope, Stream output, CancellationToken ct)
    {
        var sink = new PageSink(output);
        await using var text = new StreamWriter(sink.Buffer, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\r\n" };
        text.WriteLine(string.Join(',', Columns));
        await foreach (var page in scope.EdgePagesAsync(ct))
        {
            foreach (var e in page.Edges)
            {
                var s = page.Nodes[e.Subject];
                var o = page.Nodes[e.Object];
                string?[] row =
                [
                    e.Id, s.Id, s.Name, Vocabulary.Snake(s.Category), Vocabulary.Snake(e.Predicate), Vocabulary.Biolink(e.Predicate),
                    o.Id, o.Name, Vocabulary.Snake(o.Category), Vocabulary.Snake(e.Tier), Vocabulary.Snake(e.Effect),
                    Vocabulary.Snake(e.KnowledgeLevel), Vocabulary.Snake(e.AgentType), e.Claim, e.Context,
                    string.Join('|', e.Sources.Select(x => x.Id)), e.PrimaryKnowledgeSource, scope.Version,
                ];
                text.WriteLine(string.Join(',', row.Select(Field)));
            }
            await text.FlushAsync(ct);
            await sink.FlushAsync(ct);
        }
        await text.FlushAsync(ct);
        await sink.FlushAsync(ct);
    }

    private static string Field(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
