using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Export;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SpineGraph.Api.Infrastructure;

/// <summary>
/// The 200 answers of operations with more than one form: an operation that answers JSON in two shapes
/// (<c>format=json|cytoscape</c>) declares <c>oneOf</c> both; the export declares a schema per media type (zip and
/// GraphML as binary, CSV as text, Cytoscape.js JSON as <see cref="CytoscapeDocument"/>).
/// </summary>
internal sealed class GraphFormatsDocs : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Responses?.TryGetValue("200", out var ok) != true || ok is not OpenApiResponse response || response.Content is null) return;

        if (operation.OperationId == "ExportGraph")
        {
            foreach (var (mediaType, content) in response.Content)
            {
                if (content is not OpenApiMediaType media) continue;
                media.Schema = mediaType switch
                {
                    ExportFormats.Json => context.SchemaGenerator.GenerateSchema(typeof(CytoscapeDocument), context.SchemaRepository),
                    ExportFormats.Csv => new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV (RFC 4180), the edge list with a header row." },
                    _ => new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                };
            }
            return;
        }

        var shapes = OkTypes(context.MethodInfo.ReturnType).ToList();
        if (shapes.Count < 2 || !response.Content.TryGetValue("application/json", out var json) || json is not OpenApiMediaType jsonMedia) return;
        jsonMedia.Schema = new OpenApiSchema
        {
            OneOf = shapes.Select(t => context.SchemaGenerator.GenerateSchema(t, context.SchemaRepository)).ToList(),
        };
    }

    /// <summary>The T of every <c>Ok&lt;T&gt;</c> among a handler's possible results.</summary>
    private static IEnumerable<Type> OkTypes(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Ok<>)) return [type.GetGenericArguments()[0]];
        return type.IsGenericType ? type.GetGenericArguments().SelectMany(OkTypes) : [];
    }
}
