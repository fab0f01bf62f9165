using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SpineGraph.Tests.Api;

namespace SpineGraph.Tests.Hostile;

/// <summary>The API on real Kestrel on a free loopback port (not TestServer, which never sees the bytes Kestrel parses),
/// embedded backend, rate limit off.</summary>
public sealed class KestrelApi : IDisposable
{
    /// <summary>How long one request may go unanswered before the test calls it a hang.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    private readonly ApiFactory _factory;

    public KestrelApi(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["RateLimit:PermitsPerWindow"] = "0" };
        foreach (var (k, v) in settings) all[k] = v;
        _factory = new ApiFactory(all);
        _factory.UseKestrel(0);
        _factory.StartServer();
        Address = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Uri Address { get; }

    public Task<RawResponse> SendAsync(byte[] request, bool head = false) => RawHttp.SendAsync(Address, request, HangGuard, head);

    public Task<RawResponse> GetAsync(string target, params (string Name, string Value)[] headers) => SendAsync(RawHttp.Request("GET", target, headers));

    public void Dispose() => _factory.Dispose();
}

/// <summary>One Kestrel-hosted API for a test class.</summary>
public sealed class KestrelApiFixture : IDisposable
{
    public KestrelApi Api { get; } = new();

    public void Dispose() => Api.Dispose();
}
