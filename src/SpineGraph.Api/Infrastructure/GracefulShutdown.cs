using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SpineGraph.Api.Infrastructure;

/// <summary>Settings of the <c>Server</c> section.</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>On SIGTERM (or Ctrl+C) the server stops accepting connections at once and gives the requests in flight
    /// this long to finish; past it, their connections are closed and the process exits anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The bound on a graceful stop: the host's shutdown timeout from <c>Server:ShutdownTimeout</c>, validated at start.</summary>
public static class GracefulShutdown
{
    public static WebApplicationBuilder AddGracefulShutdown(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ServerOptions>>((host, server) => host.ShutdownTimeout = server.Value.ShutdownTimeout);
        return builder;
    }
}
