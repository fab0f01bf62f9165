using SpineGraph.Core;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Dtos;

// Cytoscape.js elements JSON (https://js.cytoscape.org/#notation/elements-json): `elements.nodes[].data` with an `id`,
// `elements.edges[].data` with `id`, `source` and `target`; graph-level facts in `data`. Answered by /export with
// format=cytoscape and by the graph-returning endpoints (/subgraph, /paths, /edges) with format=cytoscape.

/// <summary>A graph in Cytoscape.js elements form: <c>cytoscape({ elements: doc.elements, data: doc.data })</c>.
/// Edge data refers to <c>sources</c> by id, as the JSON answers do.</summary>
public sealed record CytoscapeDocument(CytoscapeGraphData Data, CytoscapeElements Elements, IReadOnlyDictionary<string, KgSourceDto> Sources);

public sealed record CytoscapeElements(IReadOnlyList<CytoscapeNode> Nodes, IReadOnlyList<CytoscapeEdge> Edges);

/// <summary>A node element; its data is the node as <c>GET /nodes/{id}</c> gives it.</summary>
public sealed record CytoscapeNode(NodeDto Data);

public sealed record CytoscapeEdge(CytoscapeEdgeData Data);

/// <summary>An edge's data: the edge as the JSON answers give it, with its <c>id</c>, and <c>source</c> (its subject) and
/// <c>target</c> (its object) as Cytoscape.js needs them.</summary>
public sealed record CytoscapeEdgeData : EdgeDto
{
    public CytoscapeEdgeData(string id, EdgeDto edge)
        : base(edge)
    {
        Id = id;
        Source = edge.Subject;
        Target = edge.Object;
    }

    public string Id { get; }
    public string Source { get; }
    public string Target { get; }
}

/// <summary>Graph-level facts: the graph version always; the rest of the JSON answer's fields (paths, paging,
/// <c>truncated</c>) or the export's scope where they apply.</summary>
public sealed record CytoscapeGraphData(
    string Name,
    string Version,
    bool Truncated,
    string Disclaimer,
    IReadOnlyList<string>? Ids = null,
    int? Depth = null,
    EvidenceTier? MinTier = null,
    string? From = null,
    string? To = null,
    IReadOnlyList<PathDto>? Paths = null,
    int? Total = null,
    string? NextCursor = null);

public static class CytoscapeMapping
{
    public const string GraphName = "SpineGraph";

    public static CytoscapeNode ToCytoscape(this Node n) => new(n.ToDto());

    public static CytoscapeEdge ToCytoscape(this Edge e) => new(new CytoscapeEdgeData(e.Id, e.ToDto()));

    /// <summary>The answer's nodes and edges (in its order) as elements, with its sources.</summary>
    public static CytoscapeDocument ToCytoscape(this KnowledgeGraph g, CytoscapeGraphData data, IEnumerable<string>? nodeOrder = null, IEnumerable<string>? edgeOrder = null) => new(
        data,
        new CytoscapeElements(
            (nodeOrder ?? g.Nodes.Keys).Select(id => g.Nodes[id].ToCytoscape()).ToArray(),
            (edgeOrder ?? g.Edges.Keys).Select(id => g.Edges[id].ToCytoscape()).ToArray()),
        g.SourceMap());
}
