using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using SpineGraph.Api.Dtos;
using SpineGraph.Core;
using SpineGraph.Core.Queries;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SpineGraph.Api.Infrastructure;

public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentRoute = "/openapi/{documentName}.json";

    public const string ApiDescription =
        "A knowledge graph of spine and neuromuscular conditions, their mechanisms, symptoms (muscle spasm above all) " +
        "and treatments. Every edge carries an evidence tier (T1 established … T5 unsupported), an effect " +
        "(benefit, no_benefit, harm, uncertain) and its sources. Traversals such as " +
        "`GET /api/v1/treatments?symptom=muscle spasm&cause=nerve compression` answer with ranked, explained treatments. " +
        "Errors are RFC 9457 problem details. Lists are paginated with `limit` and an opaque `cursor`.\n\n" +
        "**" + DtoMapping.Disclaimer + "**";

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "SpineGraph API",
                Version = "v1",
                Description = ApiDescription,
                License = new OpenApiLicense { Name = "Information, not medical advice" },
            });
            o.OperationFilter<ParameterDocsFilter>();
            o.SchemaFilter<RequiredUnlessNullableFilter>();
            o.SupportNonNullableReferenceTypes();
            o.CustomSchemaIds(t => t.IsGenericType
                ? t.Name[..t.Name.IndexOf('`')] + "Of" + string.Concat(t.GetGenericArguments().Select(a => a.Name))
                : t.Name);
        });
        return services;
    }

    public static WebApplication UseApiDocs(this WebApplication app)
    {
        app.UseSwagger(o => o.RouteTemplate = DocumentRoute);
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint($"/openapi/{DocumentName}.json", "SpineGraph API v1");
            o.RoutePrefix = "swagger";
            o.DocumentTitle = "SpineGraph API";
        });
        return app;
    }

    /// <summary>Example and (where fixed) allowed values per parameter name; descriptions sit beside each parameter in the request records.</summary>
    private static readonly Dictionary<string, (object? Example, IReadOnlyList<string>? Allowed)> ParameterDocs = new()
    {
        ["q"] = ("pinched nerve", null),
        ["category"] = ("symptom", Vocabulary.Names<NodeCategory>()),
        ["limit"] = (10, null),
        ["cursor"] = (null, null),
        ["id"] = ("sg:spinal-stenosis", null),
        ["predicate"] = ("relieves", Vocabulary.Names<Predicate>()),
        ["direction"] = ("both", Vocabulary.Names<Direction>()),
        ["minTier"] = ("T3", Vocabulary.Names<EvidenceTier>()),
        ["effect"] = ("benefit", null),
        ["symptom"] = ("muscle spasm", null),
        ["cause"] = ("nerve compression", null),
        ["condition"] = ("spinal stenosis", null),
        ["from"] = ("sg:herniated-disc", null),
        ["to"] = ("sg:muscle-spasm", null),
        ["maxHops"] = (3, null),
        ["ids"] = ("sg:spinal-stenosis,sg:muscle-spasm", null),
        ["via"] = ("mechanism,condition", null),
        ["depth"] = (1, null),
        ["subjectCategory"] = ("treatment", Vocabulary.Names<NodeCategory>()),
        ["objectCategory"] = ("condition", Vocabulary.Names<NodeCategory>()),
        ["source"] = ("sgdoc:004", null),
    };

    /// <summary>Examples that differ by operation (a real id of the right category from the seed).</summary>
    private static readonly Dictionary<(string Operation, string Parameter), string> OperationExamples = new()
    {
        [("GetSymptomCauses", "id")] = "sg:muscle-spasm",
        [("GetConditionTreatments", "id")] = "sg:spinal-stenosis",
        [("GetNode", "id")] = "sg:muscle-spasm",
        [("GetNodeEdges", "id")] = "sg:massage",
        [("GetTreatmentPaths", "id")] = "sg:laminectomy",
        [("FindPaths", "direction")] = "causal",
    };

    /// <summary>Allowed values that differ by operation.</summary>
    private static readonly Dictionary<(string Operation, string Parameter), IReadOnlyList<string>> OperationAllowed = new()
    {
        [("FindPaths", "direction")] = Vocabulary.Names<SpineGraph.Core.Traversal.PathDirection>(),
    };

    /// <summary>Every property that is never null is always present (null ones are omitted): mark it required, so
    /// generated clients get exact types.</summary>
    private sealed class RequiredUnlessNullableFilter : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema s || s.Properties is null || s.Properties.Count == 0 || context.Type is null) return;
            var nullability = new System.Reflection.NullabilityInfoContext();
            s.Required ??= new HashSet<string>();
            foreach (var prop in context.Type.GetProperties())
            {
                var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(prop.Name);
                if (s.Properties.ContainsKey(name) && nullability.Create(prop).ReadState != System.Reflection.NullabilityState.Nullable)
                    s.Required.Add(name);
            }
        }
    }

    private sealed class ParameterDocsFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (operation.Parameters is null) return;
            foreach (var p in operation.Parameters.OfType<OpenApiParameter>())
            {
                if (p.Name is null || !ParameterDocs.TryGetValue(p.Name, out var doc)) continue;
                var example = OperationExamples.GetValueOrDefault((operation.OperationId ?? "", p.Name)) ?? doc.Example;
                p.Example = example switch
                {
                    int i => JsonValue.Create(i),
                    string text => JsonValue.Create(text),
                    _ => p.Example,
                };
                var allowed = OperationAllowed.GetValueOrDefault((operation.OperationId ?? "", p.Name)) ?? doc.Allowed;
                if (allowed is not null && p.Schema is OpenApiSchema schema)
                    schema.Enum = allowed.Select(a => (JsonNode)JsonValue.Create(a)!).ToList();
            }
        }
    }
}
