namespace SpineGraph.Core.Queries;

/// <summary>Every bound the API enforces, in one place (documented in the README and OpenAPI).</summary>
public static class Limits
{
    public const int MaxQueryLength = 200;
    public const int MaxIdLength = 200;

    public const int SearchDefault = 10;
    public const int SearchMax = 50;

    /// <summary>Deepest a client may page into search hits (offset + limit).</summary>
    public const int SearchDepthMax = 200;

    public const int PageDefault = 20;
    public const int PageMax = 100;

    public const int EdgesPageDefault = 100;
    public const int EdgesPageMax = 500;

    public const int NodesPageDefault = 50;
    public const int NodesPageMax = 200;

    public const int PathsDefault = 10;
    public const int PathsMax = 50;

    /// <summary>Deepest a client may page into the paths between two nodes (offset + limit).</summary>
    public const int PathsDepthMax = 200;
    public const int PathHopsDefault = 3;
    public const int PathHopsMax = 5;

    public const int SubgraphIdsMax = 20;
    public const int SubgraphDepthDefault = 1;
    public const int SubgraphDepthMax = 3;
    public const int SubgraphNodesMax = 500;

    /// <summary>Longest chain (causal and subclass_of edges) between a treatment's target and the symptom or condition
    /// asked about that the treatment and cause traversals follow.</summary>
    public const int ChainHops = 6;

    /// <summary>Most edge rows one traversal reads from the store; past it the traversal stops and says <c>truncated</c>.</summary>
    public const int TraversalRows = 200_000;

    /// <summary>Most steps the ordered path enumeration of <c>/paths</c> takes before it stops and says <c>truncated</c>.</summary>
    public const int PathSteps = 200_000;

    /// <summary>Most supporting paths of one treatment enumerated by the paths sub-resource (then <c>truncated</c>).</summary>
    public const int PathsEnumerated = 10_000;

    /// <summary>Deepest subclass_of hierarchy followed when a symptom or condition includes its narrower kinds.</summary>
    public const int SubclassDepth = 4;

    /// <summary>Most nodes and edges in a <c>POST /query</c> pattern, and most ids on one query node.</summary>
    public const int PatternNodesMax = 5;
    public const int PatternEdgesMax = 6;
    public const int PatternIdsMax = 50;

    /// <summary>Largest <c>POST /query</c> body in bytes (larger: 413).</summary>
    public const int PatternBodyBytes = 64 * 1024;

    /// <summary>Results per <c>POST /query</c> answer: default and most (more found: the answer says <c>capped</c>).</summary>
    public const int PatternResultsDefault = 100;
    public const int PatternResultsMax = 1000;

    /// <summary>Most results a pattern query enumerates and ranks; past it the answer says <c>truncated</c>.</summary>
    public const int PatternResultsEnumerated = 10_000;

    /// <summary>Time a pattern query may run before it stops with a 422 naming this limit.</summary>
    public static readonly TimeSpan PatternTime = TimeSpan.FromSeconds(8);
}
