using System.Reflection;
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
            o.OperationFilter<GraphFormatsDocs>();
            o.SchemaFilter<RequiredUnlessNullableFilter>();
            o.DocumentFilter<DocumentFacts>();
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

    /// <summary>Allowed values of the parameters that take a fixed set, by name.</summary>
    private static readonly Dictionary<string, IReadOnlyList<string>> AllowedValues = new()
    {
        ["category"] = Vocabulary.Names<NodeCategory>(),
        ["subjectCategory"] = Vocabulary.Names<NodeCategory>(),
        ["objectCategory"] = Vocabulary.Names<NodeCategory>(),
        ["predicate"] = Vocabulary.Names<Predicate>(),
        ["direction"] = Vocabulary.Names<Direction>(),
        ["minTier"] = Vocabulary.Names<EvidenceTier>(),
        ["format"] = GraphFormats.Names,
    };

    /// <summary>
    /// Examples, per operation, of exactly the parameters of the question the README shows, so that Swagger UI's
    /// "Try it out" (which pre-fills examples) asks that question and gets that answer. Optional filters have none.
    /// </summary>
    internal static readonly Dictionary<string, Dictionary<string, string>> Examples = new()
    {
        ["FindTreatments"] = new() { ["symptom"] = "muscle spasm", ["cause"] = "nerve compression" },
        ["GetTreatmentPaths"] = new() { ["id"] = "sg:laminectomy", ["symptom"] = "muscle spasm", ["cause"] = "nerve compression" },
        ["GetSymptomCauses"] = new() { ["id"] = "sg:muscle-spasm" },
        ["GetConditionTreatments"] = new() { ["id"] = "sg:spinal-stenosis" },
        ["GetNode"] = new() { ["id"] = "sg:muscle-spasm" },
        ["GetNodeEdges"] = new() { ["id"] = "sg:massage" },
        ["Search"] = new() { ["q"] = "pinched nerve" },
        ["FindPaths"] = new() { ["from"] = "sg:herniated-disc", ["to"] = "sg:muscle-spasm" },
        ["GetSubgraph"] = new() { ["ids"] = "sg:spinal-stenosis,sg:muscle-spasm" },
        ["ListEdges"] = new() { ["minTier"] = "T2", ["effect"] = "benefit" },
        ["ExportGraph"] = new() { ["format"] = "graphml" },
    };

    /// <summary>Request bodies of the README's examples, so that "Try it out" sends that question.</summary>
    internal static readonly Dictionary<string, string> BodyExamples = new()
    {
        ["QueryGraph"] = """
            {"message": {"query_graph": {
              "nodes": {
                "injury": {"ids": ["sg:spinal-cord-injury"]},
                "mechanism": {"categories": ["biolink:PathologicalProcess"]},
                "symptom": {"categories": ["biolink:PhenotypicFeature"]},
                "treatment": {"categories": ["biolink:Treatment"]}
              },
              "edges": {
                "brings_about": {"subject": "injury", "object": "mechanism", "predicates": ["biolink:causes"]},
                "leads_to": {"subject": "mechanism", "object": "symptom", "predicates": ["biolink:causes"]},
                "relieves": {"subject": "treatment", "object": "symptom", "predicates": ["relieves"],
                  "attribute_constraints": [{"id": "sg:evidence_tier", "name": "evidence tier", "operator": "<", "value": "T5"}]}
              }
            }}}
            """,
    };

    /// <summary>Query parameters an operation cannot do without (they bind as optional strings so that a missing one
    /// gets our 400 problem naming it; the document says they are required).</summary>
    private static readonly HashSet<(string Operation, string Parameter)> RequiredQuery =
        [("Search", "q"), ("FindPaths", "from"), ("FindPaths", "to"), ("GetSubgraph", "ids"), ("ExportGraph", "format")];

    /// <summary>Parameters that take a comma-separated list (<c>effect=benefit,uncertain</c>), with the values an item
    /// may take (null: any id or name): documented as arrays in form style without explode, so that generated clients
    /// type them as arrays of their enum and send them comma-separated, as Swagger UI does.</summary>
    private static readonly Dictionary<string, IReadOnlyList<string>?> ListParameters = new()
    {
        ["effect"] = Vocabulary.Names<Effect>(),
        ["via"] = Vocabulary.Names<NodeCategory>(),
        ["ids"] = null,
    };

    /// <summary>Most items of a list parameter, by operation.</summary>
    private static readonly Dictionary<(string Operation, string Parameter), int> ListMaxItems = new()
    {
        [("GetSubgraph", "ids")] = Limits.SubgraphIdsMax,
    };

    /// <summary>Allowed values that differ by operation.</summary>
    private static readonly Dictionary<(string Operation, string Parameter), IReadOnlyList<string>> OperationAllowed = new()
    {
        [("FindPaths", "direction")] = Vocabulary.Names<SpineGraph.Core.Traversal.PathDirection>(),
        [("ExportGraph", "format")] = SpineGraph.Api.Export.ExportFormats.Names,
    };

    /// <summary>What the document says about the API as a whole: who maintains it, where it is served, what each tag
    /// holds, and that no operation needs credentials (the API is read-only and public).</summary>
    private sealed class DocumentFacts : IDocumentFilter
    {
        private static readonly (string Name, string Description)[] TagDescriptions =
        [
            ("Treatments", "The flagship: treatments for a symptom (optionally caused by a mechanism or condition), ranked and explained by evidence, and their supporting paths."),
            ("Symptoms", "What causes a symptom: conditions and mechanisms upstream of it, with their best causal chains and red flags."),
            ("Conditions", "Treatments of a condition by route (direct, broader kind, mechanism, related condition, symptom)."),
            ("Search", "Find nodes by name, synonym or lay term, with typo tolerance."),
            ("Nodes", "Nodes by id or page, and one hop from a node with its evidence."),
            ("Edges", "Whole-graph edge queries for researchers (filters by predicate, categories, tier, effect, source)."),
            ("Graph", "Paths between nodes, neighbourhoods to draw, and the graph's metadata and version."),
            ("Export", "The whole graph or a neighbourhood as a file: KGX (JSON Lines or TSV), GraphML, Cytoscape.js JSON or CSV, streamed."),
            ("Query", "Researchers' own questions: a query graph in the shape of TRAPI 1.5, matched against the whole graph and ranked by evidence."),
            ("Health", "Liveness of the process and readiness of the graph backend."),
        ];

        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            document.Info.Contact = new OpenApiContact { Name = "SpineGraph maintainers" };
            document.Servers = [new OpenApiServer { Url = "/", Description = "The server this document is served from" }];
            document.Tags = new HashSet<OpenApiTag>(TagDescriptions.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
            // One empty requirement object: anonymous access, stated (every operation is a public read).
            document.Security = [new OpenApiSecurityRequirement()];
        }
    }

    /// <summary>Every property that is never null is always present: mark it required, so generated clients get exact
    /// types. The others are optional and never null: the serializer omits a null (<c>WhenWritingNull</c>), so the
    /// document does not declare a null that the server never sends (<c>nextCursor?: string</c>, not
    /// <c>string | null</c>).</summary>
    private sealed class RequiredUnlessNullableFilter : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema s || s.Properties is null || s.Properties.Count == 0 || context.Type is null) return;
            var nullability = new System.Reflection.NullabilityInfoContext();
            s.Required ??= new HashSet<string>();
            foreach (var prop in context.Type.GetProperties())
            {
                var name = prop.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name
                    ?? System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(prop.Name);
                if (s.Properties.ContainsKey(name) && nullability.Create(prop).ReadState != System.Reflection.NullabilityState.Nullable)
                    s.Required.Add(name);
            }
            // Request objects that may carry properties they do not define and send null for optional ones (TRAPI's):
            // the service ignores the first and accepts the second.
            if (context.Type.GetCustomAttribute<OpenRequestObjectAttribute>() is not null)
            {
                s.AdditionalPropertiesAllowed = true;
                return;
            }
            // Answers leave null properties out: an optional property is absent, never null.
            foreach (var (name, property) in s.Properties)
                if (!s.Required.Contains(name) && property is OpenApiSchema { Type: { } type } p && type.HasFlag(JsonSchemaType.Null))
                    p.Type = type & ~JsonSchemaType.Null;
        }
    }

    private sealed class ParameterDocsFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (BodyExamples.GetValueOrDefault(operation.OperationId ?? "") is { } body &&
                operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var type) && type is OpenApiMediaType media)
                media.Example = JsonNode.Parse(body);
            if (operation.Parameters is null) return;
            var examples = Examples.GetValueOrDefault(operation.OperationId ?? "");
            foreach (var p in operation.Parameters.OfType<OpenApiParameter>())
            {
                if (p.Name is null) continue;
                if (RequiredQuery.Contains((operation.OperationId ?? "", p.Name))) p.Required = true;
                var example = examples?.GetValueOrDefault(p.Name);
                if (ListParameters.TryGetValue(p.Name, out var items))
                {
                    DocumentList(p, items, ListMaxItems.TryGetValue((operation.OperationId ?? "", p.Name), out var max) ? max : null, example);
                    continue;
                }
                if (example is not null) p.Example = JsonValue.Create(example);
                var allowed = OperationAllowed.GetValueOrDefault((operation.OperationId ?? "", p.Name)) ?? AllowedValues.GetValueOrDefault(p.Name);
                if (allowed is not null && p.Schema is OpenApiSchema schema)
                    schema.Enum = allowed.Select(a => (JsonNode)JsonValue.Create(a)!).ToList();
            }
        }

        private static void DocumentList(OpenApiParameter p, IReadOnlyList<string>? allowed, int? maxItems, string? example)
        {
            p.Style = ParameterStyle.Form;
            p.Explode = false;
            p.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = p.Schema?.Description,
                MaxItems = maxItems,
                Items = allowed is null
                    ? new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Limits.MaxIdLength }
                    : new OpenApiSchema { Type = JsonSchemaType.String, Enum = allowed.Select(a => (JsonNode)JsonValue.Create(a)!).ToList() },
            };
            if (example is not null) p.Example = new JsonArray(example.Split(',').Select(e => (JsonNode)JsonValue.Create(e)!).ToArray());
        }
    }
}

/// <summary>Marks a request body type whose JSON may hold properties it does not declare (ignored) and null for optional
/// ones, as TRAPI allows; the OpenAPI document says so for it.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OpenRequestObjectAttribute : Attribute;
