using System.Text.Json;
using SpineGraph.Api.Dtos;
using SpineGraph.Core;

namespace SpineGraph.Api.Export;

/// <summary>The graph-level facts every export carries: the graph version and what part of the graph it holds.</summary>
internal static class ExportMetadata
{
    public static void WriteScope(Utf8JsonWriter json, ExportScope scope)
    {
        json.WriteString("scope", scope.Ids is null ? "whole" : "neighbourhood");
        if (scope.Ids is not null)
        {
            json.WriteStartArray("ids");
            foreach (var id in scope.Ids) json.WriteStringValue(id);
            json.WriteEndArray();
        }
        if (scope.Depth is { } d) json.WriteNumber("depth", d);
        json.WriteString("min_tier", Vocabulary.Snake(scope.MinTier));
        json.WriteBoolean("truncated", scope.Truncated);
    }

    public static CytoscapeGraphData Cytoscape(ExportScope scope) =>
        new(CytoscapeMapping.GraphName, scope.Version, scope.Truncated, DtoMapping.Disclaimer, scope.Ids, scope.Depth, scope.MinTier);
}
