using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SpineGraph.Storage.Neo4j;

public static class Neo4jServices
{
    /// <summary>
    /// Registers the Neo4j backend: <see cref="Neo4jOptions"/> (section <c>Neo4j</c>, validated at start; the
    /// defaults are valid so the embedded backend needs no Neo4j settings), the named HttpClient, the Query API
    /// client as <see cref="ICypherRunner"/>, <see cref="Neo4jGraphStore"/>, <see cref="Neo4jSeeder"/> and
    /// <see cref="Neo4jReadOnlyQuery"/>.
    /// Nothing connects to Neo4j until the store is used.
    /// </summary>
    public static IHostApplicationBuilder AddNeo4jStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<Neo4jOptions>()
            .BindConfiguration(Neo4jOptions.Section)
            .PostConfigure(o => o.ReadAuthFile())
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(Neo4jQueryClient.HttpClientName, (sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<Neo4jOptions>>().Value;
                http.BaseAddress = new Uri(o.Url.TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own timeout (Neo4jOptions.QueryTimeout)
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectTimeout = sp.GetRequiredService<IOptions<Neo4jOptions>>().Value.ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        builder.Services.TryAddSingleton<ICypherRunner, Neo4jQueryClient>();
        builder.Services.TryAddSingleton<Neo4jGraphStore>();
        builder.Services.TryAddSingleton<Neo4jSeeder>();
        builder.Services.TryAddSingleton<Neo4jReadOnlyQuery>(); // researchers' own statements (POST /api/v1/cypher)
        return builder;
    }
}
