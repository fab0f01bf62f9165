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

    /// <summary>
    /// Starts the API with these settings, expecting start-up to fail, and returns the failure of type
    /// <typeparamref name="T"/> found at any depth of what the host threw (it wraps start-up failures).
    /// </summary>
    /// <remarks>
    /// When the app's entry point throws, WebApplicationFactory's deferred host sometimes reads services from the
    /// host the app has already disposed, and reports only an <see cref="ObjectDisposedException"/> instead of the
    /// app's own failure (a race in Microsoft.AspNetCore.Mvc.Testing). That case alone is tried again, a few times.
    /// </remarks>
    public static T StartupFailure<T>(IReadOnlyDictionary<string, string?> settings) where T : Exception
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var factory = new ApiFactory(settings);
            last = Xunit.Assert.ThrowsAny<Exception>(() => factory.CreateClient());
            if (Chain(last).OfType<T>().FirstOrDefault() is { } found) return found;
            if (!Chain(last).All(e => e is ObjectDisposedException or AggregateException or InvalidOperationException or System.Reflection.TargetInvocationException)) break;
        }
        throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} in: {last}");
    }

    /// <summary>An exception and every exception inside it, at any depth.</summary>
    internal static IEnumerable<Exception> Chain(Exception e)
    {
        yield return e;
        var inner = e is AggregateException a ? a.InnerExceptions : e.InnerException is { } i ? [i] : (IEnumerable<Exception>)[];
        foreach (var x in inner)
            foreach (var y in Chain(x)) yield return y;
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
