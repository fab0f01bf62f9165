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

    /// <summary>One description, example and (where fixed) list of allowed values per query parameter name.</summary>
    private static readonly Dictionary<string, (string Description, object? Example, IReadOnlyList<string>? Allowed)> ParameterDocs = new()
    {
        ["q"] = ($"Text to find in names, synonyms and lay terms; case, accents and plurals are ignored, the last word may be a prefix and a word of four or more letters may have one typo. At most {Limits.MaxQueryLength} characters.", "pinched nerve", null),
        ["category"] = ("Only nodes of this category.", "symptom", Vocabulary.Names<NodeCategory>()),
        ["limit"] = ("Most items to return; the default and maximum depend on the operation and are given in its description.", 10, null),
        ["cursor"] = ("Opaque cursor from a previous page's `nextCursor`; tied to the graph version.", null, null),
        ["id"] = ("Node id (a CURIE such as `sg:spinal-stenosis`).", "sg:spinal-stenosis", null),
        ["predicate"] = ("Only edges with this predicate.", "relieves", Vocabulary.Names<Predicate>()),
        ["direction"] = ("Edges leaving the node (`out`), arriving (`in`) or both (default).", "both", Vocabulary.Names<Direction>()),
        ["minTier"] = ("Weakest evidence tier to keep: `T2` keeps T1 and T2. Default T5 (everything). In treatment queries it applies to each treatment's own evidence edge; causal links keep their tiers, shown on every path.", "T3", Vocabulary.Names<EvidenceTier>()),
        ["effect"] = ("Only evidence with these effects, comma-separated (`benefit`, `no_benefit`, `harm`, `uncertain`). By default nothing is dropped: treatments whose best evidence is no_benefit or harm come last and are marked `evidenceAgainst`.", "benefit", null),
        ["symptom"] = ("Symptom id, or its exact name, synonym or lay term. Narrower symptoms (subclass_of) are included.", "muscle spasm", null),
        ["cause"] = ("Mechanism or condition (id or exact name) the causal chain must pass through.", "nerve compression", null),
        ["condition"] = ("Condition (id or exact name) the causal chain must pass through; alone, treatments for that condition by route.", "spinal stenosis", null),
        ["from"] = ("Start node: id or exact name.", "sg:herniated-disc", null),
        ["to"] = ("End node: id or exact name.", "sg:muscle-spasm", null),
        ["maxHops"] = ($"Longest path in edges, 1 to {Limits.PathHopsMax} (default {Limits.PathHopsDefault}).", 3, null),
        ["ids"] = ($"Comma-separated node ids or exact names, at most {Limits.SubgraphIdsMax}.", "sg:spinal-stenosis,sg:muscle-spasm", null),
        ["via"] = ("Allowed categories of intermediate nodes, comma-separated (default: all).", "mechanism,condition", null),
        ["depth"] = ($"Hops out from the given nodes, 0 to {Limits.SubgraphDepthMax} (default {Limits.SubgraphDepthDefault}).", 1, null),
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
                p.Description ??= doc.Description;
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
