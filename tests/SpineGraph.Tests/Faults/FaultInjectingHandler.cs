using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace SpineGraph.Tests.Faults;

/// <summary>
/// What happens to one request on its way to Neo4j. <paramref name="send"/> sends the request on, to the given base
/// address or (null) to the Query API harness, over a real socket.
/// </summary>
public delegate Task<HttpResponseMessage> Neo4jFault(HttpRequestMessage request, Func<Uri?, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken ct);

/// <summary>The fault in force, shared by every handler the API's HttpClientFactory builds; null lets requests through.</summary>
public sealed class FaultSwitch(string harnessUrl)
{
    private int _requests;

    public volatile Neo4jFault? Fault;

    public Uri Harness { get; } = new(harnessUrl);

    /// <summary>Requests that reached the handler (each attempt of each statement).</summary>
    public int Requests => Volatile.Read(ref _requests);

    internal void Count() => Interlocked.Increment(ref _requests);
}

/// <summary>
/// The primary handler of the API's Neo4j HttpClient in the fault tests: a real <see cref="SocketsHttpHandler"/> (so a
/// refused connection or a silent server is the real thing), in front of the Query API harness, with the fault of a
/// <see cref="FaultSwitch"/> applied to each request.
/// </summary>
public sealed class FaultInjectingHandler(FaultSwitch faults)
    : DelegatingHandler(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(3), PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        faults.Count();
        var fault = faults.Fault;
        return fault is null ? Forward(null, request, ct) : fault(request, (target, c) => Forward(target, request, c), ct);
    }

    private Task<HttpResponseMessage> Forward(Uri? target, HttpRequestMessage request, CancellationToken ct)
    {
        var to = target ?? faults.Harness;
        request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = to.Scheme, Host = to.Host, Port = to.Port }.Uri;
        return base.SendAsync(request, ct);
    }
}

/// <summary>The faults the tests inject, by name.</summary>
public static class Neo4jFaults
{
    /// <summary>An answer of the given status and body, as Neo4j (or a proxy in front of it) might give.</summary>
    public static Neo4jFault Answer(int status, string body, string mediaType = "application/json") => (request, _, _) =>
        Task.FromResult(new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, mediaType), RequestMessage = request });

    /// <summary>A Query API error array, as Neo4j writes it.</summary>
    public static Neo4jFault Errors(int status, string code, string message) =>
        Answer(status, JsonSerializer.Serialize(new { errors = new[] { new { code, message } } }));

    /// <summary>Sends to a port nobody listens on: the connection is refused by the operating system.</summary>
    public static Neo4jFault RefuseConnections() => (_, send, ct) => send(new Uri($"http://127.0.0.1:{ClosedPort()}"), ct);

    /// <summary>Sends to a server that accepts the connection and never answers.</summary>
    public static Neo4jFault Hang(BlackHole hole) => (_, send, ct) => send(hole.Url, ct);

    /// <summary>The harness's answer, after a delay.</summary>
    public static Neo4jFault Slow(TimeSpan delay) => async (_, send, ct) =>
    {
        await Task.Delay(delay, ct);
        return await send(null, ct);
    };

    /// <summary>The harness's answer with only the first half of its body (and a Content-Length that says so).</summary>
    public static Neo4jFault TruncatedBody() => async (_, send, ct) =>
    {
        var response = await send(null, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var media = response.Content.Headers.ContentType;
        response.Content = new ByteArrayContent(body[..(body.Length / 2)]);
        response.Content.Headers.ContentType = media;
        return response;
    };

    /// <summary>The harness's answer, whose connection drops halfway through the body.</summary>
    public static Neo4jFault DroppedMidBody() => async (_, send, ct) =>
    {
        var response = await send(null, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var media = response.Content.Headers.ContentType;
        response.Content = new StreamContent(new DroppingStream(body[..(body.Length / 2)]));
        response.Content.Headers.ContentType = media;
        return response;
    };

    /// <summary>A port that was free a moment ago (bound, then released).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Gives its bytes, then fails as a reset connection does.</summary>
    private sealed class DroppingStream(byte[] bytes) : Stream
    {
        private int _at;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_at == bytes.Length) throw new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset));
            var n = Math.Min(buffer.Length, bytes.Length - _at);
            bytes.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Read(buffer.Span));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _at; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A TCP server on loopback that accepts every connection and never reads or answers: Neo4j hung.</summary>
public sealed class BlackHole : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public BlackHole()
    {
        _listener.Start(1024);
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _ = AcceptAsync();
    }

    public Uri Url { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get { lock (_held) return _held.Count; } }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_held) _held.Add(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
            foreach (var s in _held) s.Dispose();
        _stop.Dispose();
    }
}
