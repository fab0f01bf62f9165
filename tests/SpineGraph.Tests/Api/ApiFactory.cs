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

/// <summary>The embedded backend opened from a snapshot of graph-seed/ compiled for this fixture.</summary>
public sealed class SnapshotApiFixture : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"spinegraph-api-{Guid.NewGuid():N}.sgb");

    public SnapshotApiFixture()
    {
        SpineGraph.Core.Embedded.GraphSnapshot.Write(SpineGraph.Core.Embedded.EmbeddedGraph.Load(Support.SeedGraph.Directory), _path);
        Factory = new ApiFactory(new Dictionary<string, string?> { ["Graph:SnapshotPath"] = _path });
    }

    public ApiFactory Factory { get; }

    public void Dispose()
    {
        Factory.Dispose();
        try { File.Delete(_path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
