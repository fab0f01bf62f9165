namespace SpineGraph.Api.Infrastructure;

/// <summary>The <c>format</c> of the endpoints that answer with a graph: the API's JSON (default) or Cytoscape.js elements.</summary>
public static class GraphFormats
{
    public const string Json = "json";
    public const string Cytoscape = "cytoscape";

    public static readonly IReadOnlyList<string> Names = [Json, Cytoscape];

    public const string Description =
        "`json` (default): the answer as documented; `cytoscape`: the same nodes, edges and sources as Cytoscape.js elements " +
        "JSON (`elements.nodes[].data`, `elements.edges[].data` with `source` and `target`), the rest of the answer in `data`.";

    /// <summary>Whether the answer is asked for in Cytoscape.js form; an unknown format is a problem naming the allowed ones.</summary>
    public static bool IsCytoscape(QueryParams p, string? format) => p.OneOf("format", format, Names) == Cytoscape;
}
