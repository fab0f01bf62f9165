using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SpineGraph.Core.Queries;

namespace SpineGraph.Tests.Reliability;

/// <summary>
/// SIGTERM to the built API while a request is in flight: the listener closes at once (new connections are refused),
/// the request in flight still gets its whole answer, and the process exits 0; one that outlives
/// <c>Server:ShutdownTimeout</c> is cut off and the process exits anyway. The time limits here are hang guards only.
/// </summary>
public sealed partial class ShutdownTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    [LinuxFact]
    public async Task OnSigtermARequestInFlightCompletesWith200WhileNewConnectionsAreRefusedAndTheProcessExitsZero()
    {
        var (api, query) = await TerminateWithAQueryInFlight(shutdownTimeout: "00:02:00");
        using var stopApi = api;
        await using var closeQuery = query;
        var refused = false;
        while (!refused)
        {
            // A little more of the body every 100 ms keeps the request alive (Kestrel drops uploads under 240 B/s).
            Assert.True(await query.TrickleAsync(128), "the body ran out before the listener closed:\n" + api.Output);
            refused = await IsRefused(api.BaseAddress);
            if (!refused) await Task.Delay(100);
        }
        Assert.False(api.HasExited, "the process exited before the request in flight was answered:\n" + api.Output);

        var (status, headers, body) = await query.FinishAsync();
        Assert.True(status == 200, $"expected 200, got {status}: {headers}\n{body}\n{api.Output}");
        Assert.Contains("Connection: close", headers, StringComparison.OrdinalIgnoreCase);
        var answer = JsonNode.Parse(body)!;
        Assert.Equal("Success", (string?)answer["status"]);
        Assert.NotEmpty(answer["message"]!["results"]!.AsArray());

        Assert.Equal(0, await api.WaitForExitAsync(Guard));
        Assert.Contains("Application is shutting down", api.Output);
    }

    [LinuxFact]
    public async Task ARequestThatOutlivesTheShutdownTimeoutIsCutOffAndTheProcessStillExitsZero()
    {
        var (api, query) = await TerminateWithAQueryInFlight(shutdownTimeout: "00:00:01");
        using var stopApi = api;
        await using var closeQuery = query;

        // The client never sends the rest of its body; the server does not wait for it past the timeout.
        Assert.Equal(0, await api.WaitForExitAsync(Guard));
        Assert.Equal("", await query.ReadToEndAsync());
    }

    [LinuxFact]
    public async Task AShutdownTimeoutOutOfRangeStopsStartUpWithOneLineNamingIt()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiProcess.StartAsync(Guard, "--Server:ShutdownTimeout=00:00:00"));
        Assert.Contains("exited with 2 before listening", failure.Message);
        Assert.Contains("spinegraph: Server:ShutdownTimeout: The field ShutdownTimeout must be between 00:00:01 and 00:10:00.", failure.Message);
        Assert.DoesNotContain("   at ", failure.Message);
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("00:00:07", 7)]
    public void TheHostWaitsForRequestsInFlightAsLongAsServerShutdownTimeoutSays(string? setting, int seconds)
    {
        using var factory = new Api.ApiFactory(setting is null ? null : new Dictionary<string, string?> { ["Server:ShutdownTimeout"] = setting });
        var host = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Hosting.HostOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(seconds), host.ShutdownTimeout);
    }

    /// <summary>Starts the API, sends it a query whose body is still coming, and SIGTERM once the query reached the
    /// application. The client holds the query open as long as a test wants, so the per-request timeout is raised out of
    /// the way: the shutdown timeout is the bound under test.</summary>
    private static async Task<(ApiProcess Api, SlowQuery Query)> TerminateWithAQueryInFlight(string shutdownTimeout)
    {
        var api = await ApiProcess.StartAsync(Guard, $"--Server:ShutdownTimeout={shutdownTimeout}", "--Graph:RequestTimeout=00:05:00");
        var query = await SlowQuery.StartAsync(api.BaseAddress);
        var started = api.WaitForLine(RequestStarted());
        if (await Task.WhenAny(started, Task.Delay(Guard)) != started) Assert.Fail($"Waited {Guard} for the query to reach the application:\n{api.Output}");
        await api.TerminateAsync();
        return (api, query);
    }

    private static async Task<bool> IsRefused(Uri address)
    {
        using var probe = new TcpClient();
        try
        {
            await probe.ConnectAsync(address.Host, address.Port).WaitAsync(Guard);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    [GeneratedRegex(@"Request starting HTTP/1\.1 POST http://\S+/api/v1/query")]
    private static partial Regex RequestStarted();

    /// <summary>A <c>POST /api/v1/query</c> over a raw socket whose body (a pattern, padded with spaces to the body limit
    /// before its last brace)
    /// the client sends a piece at a time, so the request stays in flight as long as the test wants.</summary>
    private sealed class SlowQuery(TcpClient tcp, NetworkStream stream, byte[] body, int sent) : IAsyncDisposable
    {
        private const string Pattern = """{"message":{"query_graph":{"nodes":{"c":{"ids":["sg:spinal-cord-injury"]},"s":{"categories":["biolink:PhenotypicFeature"]}},"edges":{"a":{"subject":"c","object":"s"}}}}""";

        private int _sent = sent;

        public static async Task<SlowQuery> StartAsync(Uri address)
        {
            var body = Encoding.ASCII.GetBytes(Pattern + new string(' ', Limits.PatternBodyBytes - Pattern.Length - 1) + "}");
            var tcp = new TcpClient();
            await tcp.ConnectAsync(address.Host, address.Port);
            var stream = tcp.GetStream();
            var head = $"POST /api/v1/query HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body.AsMemory(0, Pattern.Length));
            return new SlowQuery(tcp, stream, body, Pattern.Length);
        }

        /// <summary>Sends up to <paramref name="bytes"/> more of the padding; false when only the closing brace is left.</summary>
        public async Task<bool> TrickleAsync(int bytes)
        {
            var n = Math.Min(bytes, body.Length - 1 - _sent);
            if (n <= 0) return false;
            await stream.WriteAsync(body.AsMemory(_sent, n));
            _sent += n;
            return true;
        }

        /// <summary>Sends the rest of the body and reads the whole answer: status, header block and (de-chunked) body.</summary>
        public async Task<(int Status, string Headers, string Body)> FinishAsync()
        {
            await stream.WriteAsync(body.AsMemory(_sent));
            _sent = body.Length;
            var raw = await ReadAllAsync();
            var split = raw.AsSpan().IndexOf("\r\n\r\n"u8);
            Assert.True(split > 0, "no complete response head: " + Encoding.UTF8.GetString(raw));
            var headers = Encoding.ASCII.GetString(raw, 0, split);
            var content = raw[(split + 4)..];
            if (headers.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) content = Dechunk(content);
            return (int.Parse(headers.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, Encoding.UTF8.GetString(content));
        }

        /// <summary>Everything the server sends until it closes the connection ("" when it sends nothing).</summary>
        public async Task<string> ReadToEndAsync() => Encoding.UTF8.GetString(await ReadAllAsync());

        private async Task<byte[]> ReadAllAsync()
        {
            using var received = new MemoryStream();
            try
            {
                await stream.CopyToAsync(received).WaitAsync(Guard);
            }
            catch (IOException)
            {
                // A reset after the answer (or instead of one) ends the stream as a close does.
            }
            return received.ToArray();
        }

        private static byte[] Dechunk(byte[] chunked)
        {
            using var content = new MemoryStream();
            var at = 0;
            while (true)
            {
                var eol = chunked.AsSpan(at).IndexOf("\r\n"u8);
                Assert.True(eol > 0, "truncated chunked body");
                var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, at, eol), 16);
                if (size == 0) return content.ToArray();
                content.Write(chunked, at + eol + 2, size);
                at += eol + 2 + size + 2;
            }
        }

        public ValueTask DisposeAsync()
        {
            tcp.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
