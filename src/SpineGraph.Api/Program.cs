using SpineGraph.Api.Apis;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Storage.Neo4j;

if (args is ["seed", .. var seedArgs]) return await Neo4jSeedCommand.RunAsync(seedArgs, GraphServices.ResolveSeedPath);
if (args is ["compile", .. var compileArgs]) return CompileCommand.Run(compileArgs);

// Settings, the seed or a snapshot that cannot be used stop the API with one line per problem (exit 2, a bad seed 3), no stack
// trace. Under the test host (environment Testing) the failure goes to the test instead.
var testing = false;
try
{
    var builder = WebApplication.CreateBuilder(args);
    testing = builder.Environment.IsEnvironment("Testing");

    builder.AddApiConventions();
    builder.AddGracefulShutdown();
    builder.AddRateLimiting();
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
}
catch (Exception e) when (!testing && StartupErrors.Describe(e) is { } problems)
{
    return StartupErrors.Report(problems);
}
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
