using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SpineGraph.Tests.Api;

/// <summary>The API in-process, with configuration overrides (e.g. <c>Graph:Backend=Neo4j</c>).</summary>
public sealed class ApiFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
    }
}

/// <summary>One embedded-backend API per test class.</summary>
public sealed class EmbeddedApiFixture : IDisposable
{
    public ApiFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
