using SpineGraph.Core;

namespace SpineGraph.Tests.Contract;

/// <summary>
/// The graph-port contract every backend runs: subclasses provide a store loaded with graph-seed/.
/// (Filled in by the core suite; backends only subclass it.)
/// </summary>
public abstract class GraphStoreContract
{
    protected abstract IGraphStore Store { get; }
}
