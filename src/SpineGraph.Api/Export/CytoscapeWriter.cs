using System.Text.Json;
using SpineGraph.Api.Dtos;
using SpineGraph.Core;

namespace SpineGraph.Api.Export;

/// <summary>
/// Cytoscape.js elements JSON, streamed: the same document as <see cref="CytoscapeDocument"/> (what /subgraph,
/// /paths and /edges answer with <c>format=cytoscape</c>), written element by element, page by page, with the API's
/// JSON conventions. <c>data</c> (graph version and scope) comes first; <c>sources</c>, collected from the edges, last.
/// </summary>
internal static class CytoscapeWriter
{
    public static async Task WriteAsync(ExportScope scope, Stream output, JsonSerializerOptions options, CancellationToken ct)
    {
        var sink = new PageSink(output);
        var sources = new SortedDictionary<string, KgSourceDto>(StringComparer.Ordinal);
        using var json = new Utf8JsonWriter(sink.Buffer, new JsonWriterOptions { Encoder = options.Encoder });
        json.WriteStartObject();
        json.WritePropertyName(options.PropertyNamingPolicy!.ConvertName(nameof(CytoscapeDocument.Data)));
        JsonSerializer.Serialize(json, ExportMetadata.Cytoscape(scope), options);
        json.WritePropertyName(options.PropertyNamingPolicy.ConvertName(nameof(CytoscapeDocument.Elements)));
        json.WriteStartObject();
        json.WriteStartArray(options.PropertyNamingPolicy.ConvertName(nameof(CytoscapeElements.Nodes)));
        await foreach (var page in scope.NodePagesAsync(ct))
        {
            foreach (var n in page) JsonSerializer.Serialize(json, n.ToCytoscape(), options);
            json.Flush();
            await sink.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteStartArray(options.PropertyNamingPolicy.ConvertName(nameof(CytoscapeElements.Edges)));
        await foreach (var page in scope.EdgePagesAsync(ct))
        {
            foreach (var e in page.Edges)
            {
                JsonSerializer.Serialize(json, e.ToCytoscape(), options);
                foreach (var s in e.Sources)
                    if (!sources.ContainsKey(s.Id)) sources[s.Id] = s.ToDto();
            }
            json.Flush();
            await sink.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WritePropertyName(options.PropertyNamingPolicy.ConvertName(nameof(CytoscapeDocument.Sources)));
        JsonSerializer.Serialize<IReadOnlyDictionary<string, KgSourceDto>>(json, sources, options);
        json.WriteEndObject();
        json.Flush();
        await sink.FlushAsync(ct);
    }
}
