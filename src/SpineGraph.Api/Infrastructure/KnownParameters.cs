using System.Reflection;
using Microsoft.AspNetCore.Mvc;

namespace SpineGraph.Api.Infrastructure;

/// <summary>A query parameter the operation does not take is a 400 naming it (a misspelt <c>minTeir</c> or an
/// unsupported <c>format=cytoscape</c> must not be silently ignored).</summary>
public static class KnownParameters
{
    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in context.MethodInfo.GetParameters())
        {
            if (p.GetCustomAttribute<AsParametersAttribute>() is not null)
                foreach (var prop in p.ParameterType.GetProperties())
                {
                    if (prop.GetCustomAttribute<FromQueryAttribute>() is { } q) names.Add(q.Name ?? prop.Name);
                }
            else if (p.GetCustomAttribute<FromQueryAttribute>() is { } q) names.Add(q.Name ?? p.Name!);
            else if (p.ParameterType == typeof(string) || Nullable.GetUnderlyingType(p.ParameterType) is not null || p.ParameterType.IsPrimitive)
                names.Add(p.Name!); // plain parameters bind from the route or the query by name
        }
        var allowed = names.Count == 0 ? "no query parameters" : string.Join(", ", names.Order(StringComparer.Ordinal));
        return ctx =>
        {
            Dictionary<string, string[]>? unknown = null;
            foreach (var key in ctx.HttpContext.Request.Query.Keys)
                if (!names.Contains(key))
                    (unknown ??= new(StringComparer.Ordinal))[key.Length <= 40 ? key : key[..40] + "…"] =
                        [$"'{(key.Length <= 40 ? key : key[..40] + "…")}' is not a parameter of this operation; it takes {allowed}."];
            return unknown is null ? next(ctx) : ValueTask.FromResult<object?>(TypedResults.Problem(Problems.Validation(unknown)));
        };
    }
}
