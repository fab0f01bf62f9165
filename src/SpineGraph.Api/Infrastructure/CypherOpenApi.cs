using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using SpineGraph.Api.Apis;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SpineGraph.Api.Infrastructure;

/// <summary>What the document says about <c>POST /api/v1/cypher</c>: its API-key security scheme, required by that
/// operation only (every other operation stays anonymous), its tag, and an example body.</summary>
public sealed class CypherOpenApi : IDocumentFilter
{
    /// <summary>The example body: the README's question, runnable from Swagger UI against a Neo4j backend.</summary>
    public const string ExampleStatement =
        "MATCH (t:Treatment)-[r:TREATS]->(c:Condition {id: $condition}) WHERE r.tier <= $maxTier " +
        "RETURN t.name AS treatment, r.tier AS tier, r.effect AS effect ORDER BY tier, treatment";

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[CypherApi.SecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = CypherApi.KeyHeader,
            Description = "API key for raw Cypher (`Cypher:ApiKey`), issued by whoever runs the server. Only `POST /api/v1/cypher` takes it.",
        };
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = "Cypher", Description = "Raw, read-only Cypher for researchers on the Neo4j backend (off unless configured; API key)." });

        if (document.Paths?.TryGetValue("/api/v1/cypher", out var path) != true || path!.Operations?.TryGetValue(HttpMethod.Post, out var operation) != true) return;
        operation!.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CypherApi.SecurityScheme, document)] = [] }];
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true && body is OpenApiMediaType media)
        {
            media.Example = new JsonObject
            {
                ["statement"] = ExampleStatement,
                ["parameters"] = new JsonObject { ["condition"] = "sg:lumbar-spinal-stenosis", ["maxTier"] = 3 },
            };
        }
    }
}
