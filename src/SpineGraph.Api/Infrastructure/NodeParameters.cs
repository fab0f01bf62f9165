using Microsoft.AspNetCore.Http.HttpResults;
using SpineGraph.Core;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Infrastructure;

public static class NodeParameters
{
    public static readonly NodeCategory[] Any = Enum.GetValues<NodeCategory>();
    public static readonly NodeCategory[] Symptom = [NodeCategory.Symptom];
    public static readonly NodeCategory[] Condition = [NodeCategory.Condition];
    public static readonly NodeCategory[] Cause = [NodeCategory.Mechanism, NodeCategory.Condition];
    public static readonly NodeCategory[] Treatment = [NodeCategory.Treatment];

    /// <summary>Resolves an optional id-or-name parameter; a failure becomes its problem response.</summary>
    public static async Task<(Node? Node, ProblemHttpResult? Problem)> ResolveParameterAsync(
        this GraphEngine engine, string parameter, string? value, NodeCategory[] allowed, CancellationToken ct)
    {
        if (value is null) return (null, null);
        var r = await engine.ResolveAsync(parameter, value, allowed, ct);
        return r.Failure is { } f ? (null, TypedResults.Problem(Problems.Unresolved(f))) : (r.Node, null);
    }
}
