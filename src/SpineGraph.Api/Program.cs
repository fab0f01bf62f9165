using SpineGraph.Api.Apis;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Storage.Neo4j;

if (args is ["seed", .. var seedArgs]) return await Neo4jSeedCommand.RunAsync(seedArgs, GraphServices.ResolveSeedPath);
if (args is ["compile", .. var compileArgs]) return CompileCommand.Run(compileArgs);

var builder = WebApplication.CreateBuilder(args);

builder.AddApiConventions();
builder.AddGraph();
builder.Services.AddApiDocs();
builder.AddCypherApi();

var app = builder.Build();

app.UseApiConventions();
app.UseApiDocs();

app.MapSearchApi();
app.MapNodesApi();
app.MapEdgesApi();
app.MapTreatmentsApi();
app.MapSymptomsApi();
app.MapConditionsApi();
app.MapGraphApi();
app.MapQueryApi();
app.MapExportApi();
app.MapHealthApi();
app.MapCypherApi();
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();

app.Run();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
