using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SpineGraph.Api.Dtos;
using SpineGraph.Core;

namespace SpineGraph.Api.Export;

/// <summary>
/// KGX exports: a zip holding the graph in the seed's own files (graph-seed/README.md), so the export is a seed folder
/// that the API's loader reads back as it was: <c>nodes</c>, <c>edges</c> and <c>sources</c> as JSON Lines
/// (<c>kgx-jsonl</c>) or as KGX TSV (<c>kgx-tsv</c>: a header row, multi-valued fields joined by <c>|</c>), and
/// <c>graph.json</c> with the graph version, the scope and the counts.
/// </summary>
internal static class KgxWriter
{
    /// <summary>Entry times are fixed so the same graph and request always give the same bytes (a strong ETag).</summary>
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly string[] NodeColumns = ["id", "category", "name", "description", "synonym", "lay_terms", "xref", "treatment_kind", "urgency", "urgency_reason"];

    public static readonly string[] EdgeColumns =
        ["id", "subject", "predicate", "object", "evidence_tier", "effect", "knowledge_level", "agent_type", "claim", "context", "publications", "primary_knowledge_source"];

    public static readonly string[] SourceColumns = ["id", "kind", "citation", "year", "xref", "file", "note"];

    /// <summary>A field value: a string, a list of strings or an integer; null when absent.</summary>
    private static object?[] NodeValues(Node n) =>
    [
        n.Id, new[] { Vocabulary.Biolink(n.Category) }, n.Name, n.Description, n.Synonyms, n.LayTerms, n.Xrefs,
        n.TreatmentKind is { } k ? Vocabulary.Snake(k) : null,
        n.Urgency == Urgency.None ? null : Vocabulary.Snake(n.Urgency),
        n.UrgencyReason,
    ];

    private static object?[] EdgeValues(Edge e) =>
    [
        e.Id, e.Subject, Vocabulary.Biolink(e.Predicate), e.Object, Vocabulary.Snake(e.Tier), Vocabulary.Snake(e.Effect),
        Vocabulary.Snake(e.KnowledgeLevel), Vocabulary.Snake(e.AgentType), e.Claim, e.Context,
        e.Sources.Select(s => s.Id).ToArray(), e.PrimaryKnowledgeSource,
    ];

    private static object?[] SourceValues(Source s) => [s.Id, Vocabulary.Snake(s.Kind), s.Citation, s.Year, s.Xrefs, s.File, s.Note];

    public static async Task WriteAsync(ExportScope scope, bool tsv, Stream output, CancellationToken ct)
    {
        var ext = tsv ? "tsv" : "jsonl";
        var format = tsv ? "kgx-tsv" : "kgx-jsonl";
        var spool = new SpoolStream(output);
        var zip = new ZipArchive(spool, ZipArchiveMode.Create, leaveOpen: true);
        // Sources are written after the edges that cite them, each once, ordered by id: the only state kept across
        // pages (bounded by the number of sources, not of edges).
        var sources = new SortedDictionary<string, Source>(StringComparer.Ordinal);
        int nodeCount = 0, edgeCount = 0;

        await EntryAsync(zip, spool, $"nodes.{ext}", async sink =>
        {
            var file = new RecordFile(sink, tsv, NodeColumns);
            await foreach (var page in scope.NodePagesAsync(ct))
            {
                foreach (var n in page) file.Write(NodeValues(n));
                nodeCount += page.Count;
                await file.FlushAsync(ct);
            }
            await file.FlushAsync(ct);
        }, ct);

        await EntryAsync(zip, spool, $"edges.{ext}", async sink =>
        {
            var file = new RecordFile(sink, tsv, EdgeColumns);
            await foreach (var page in scope.EdgePagesAsync(ct))
            {
                foreach (var e in page.Edges)
                {
                    file.Write(EdgeValues(e));
                    foreach (var s in e.Sources) sources.TryAdd(s.Id, s);
                }
                edgeCount += page.Edges.Count;
                await file.FlushAsync(ct);
            }
            await file.FlushAsync(ct);
        }, ct);

        await EntryAsync(zip, spool, $"sources.{ext}", async sink =>
        {
            var file = new RecordFile(sink, tsv, SourceColumns);
            foreach (var s in sources.Values) file.Write(SourceValues(s));
            await file.FlushAsync(ct);
        }, ct);

        await EntryAsync(zip, spool, "graph.json", sink =>
        {
            using var json = new Utf8JsonWriter(sink.Buffer, new JsonWriterOptions { Indented = true, Encoder = LineOptions.Encoder });
            json.WriteStartObject();
            json.WriteString("name", CytoscapeMapping.GraphName);
            json.WriteString("version", scope.Version);
            json.WriteString("format", format);
            json.WriteString("generated_by", "SpineGraph API GET /api/v1/export");
            ExportMetadata.WriteScope(json, scope);
            json.WriteStartObject("files");
            json.WriteString("nodes", $"nodes.{ext}");
            json.WriteString("edges", $"edges.{ext}");
            json.WriteString("sources", $"sources.{ext}");
            json.WriteEndObject();
            json.WriteStartObject("counts");
            json.WriteNumber("nodes", nodeCount);
            json.WriteNumber("edges", edgeCount);
            json.WriteNumber("sources", sources.Count);
            json.WriteEndObject();
            json.WriteString("disclaimer", DtoMapping.Disclaimer);
            json.WriteEndObject();
            json.Flush();
            sink.Buffer.WriteByte((byte)'\n');
            return sink.FlushAsync(ct);
        }, ct);
        zip.Dispose(); // the central directory, into the spool
        await spool.DrainAsync(ct);
    }

    /// <summary>One file of the zip: written page by page into the entry, whose compressed bytes are sent on after every page.</summary>
    private static async Task EntryAsync(ZipArchive zip, SpoolStream spool, string name, Func<PageSink, Task> write, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        var stream = entry.Open();
        try
        {
            await write(new PageSink(stream, spool.DrainAsync));
        }
        finally
        {
            stream.Dispose(); // the compressor's last block and the entry's sizes, into the spool
        }
        await spool.DrainAsync(ct);
    }

    /// <summary>One file of records: a JSON object per line, or a TSV row per record under a header row.</summary>
    private sealed class RecordFile
    {
        private readonly PageSink _sink;
        private readonly bool _tsv;
        private readonly string[] _columns;
        private readonly Utf8JsonWriter? _json;
        private readonly StreamWriter? _text;

        public RecordFile(PageSink sink, bool tsv, string[] columns)
        {
            _sink = sink;
            _tsv = tsv;
            _columns = columns;
            if (tsv)
            {
                _text = new StreamWriter(sink.Buffer, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
                _text.WriteLine(string.Join('\t', columns));
            }
            else _json = new Utf8JsonWriter(sink.Buffer, LineOptions);
        }

        public void Write(object?[] values)
        {
            if (_tsv) WriteRow(values);
            else WriteLine(values);
        }

        private void WriteLine(object?[] values)
        {
            var json = _json!;
            json.WriteStartObject();
            for (var i = 0; i < _columns.Length; i++)
            {
                switch (values[i])
                {
                    case string s:
                        json.WriteString(_columns[i], s);
                        break;
                    case int n:
                        json.WriteNumber(_columns[i], n);
                        break;
                    case IReadOnlyList<string> list when list.Count > 0:
                        json.WriteStartArray(_columns[i]);
                        foreach (var item in list) json.WriteStringValue(item);
                        json.WriteEndArray();
                        break;
                }
            }
            json.WriteEndObject();
            json.Flush();
            json.Reset();
            _sink.Buffer.WriteByte((byte)'\n');
        }

        private void WriteRow(object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (i > 0) _text!.Write('\t');
                _text!.Write(values[i] switch
                {
                    string s => Cell(s),
                    int n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    IReadOnlyList<string> list => string.Join('|', list.Select(Cell)),
                    _ => "",
                });
            }
            _text!.WriteLine();
        }

        /// <summary>TSV has no quoting: a tab or line break inside a value becomes a space (the seed has none).</summary>
        private static string Cell(string s) => s.AsSpan().IndexOfAny('\t', '\r', '\n') < 0 ? s : s.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

        public Task FlushAsync(CancellationToken ct)
        {
            _text?.Flush();
            return _sink.FlushAsync(ct);
        }
    }
}
