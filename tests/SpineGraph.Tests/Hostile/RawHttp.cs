using System.IO.Compression;
using System.Net.Sockets;
using System.Text;

namespace SpineGraph.Tests.Hostile;

/// <summary>An HTTP/1.1 answer as read off the socket; status 0 when the connection ended before a status line.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public bool Dropped => Status == 0;

    public string? Header(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public string? MediaType => Header("Content-Type")?.Split(';')[0].Trim();

    public string Text => Encoding.UTF8.GetString(Body);

    public override string ToString() => Dropped ? "no answer" : $"{Status} {MediaType} {(Text.Length > 300 ? Text[..300] + "…" : Text)}";
}

/// <summary>
/// Requests written byte for byte to a socket, for what HttpClient would refuse or rewrite (a NUL or control character in
/// the request line, raw non-ASCII, unnormalized dot segments, malformed lines). The answer is read by its framing
/// (Content-Length or chunked), so the connection stays open while the server drains a body it did not read.
/// </summary>
public static class RawHttp
{
    /// <summary>A request: the target is sent exactly as given (already percent-encoded, or deliberately not).</summary>
    public static byte[] Request(string method, string target, IEnumerable<(string Name, string Value)>? headers = null, byte[]? body = null)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: localhost\r\n");
        var list = headers?.ToList() ?? [];
        foreach (var (name, value) in list) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (body is not null && !list.Any(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        head.Append("\r\n");
        // Latin-1, so a test can put any byte in the head; UTF-8 text is encoded by the caller.
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body ?? []];
    }

    /// <summary>Sends the bytes on a new connection and reads one answer (after any 1xx), within <paramref name="guard"/>.</summary>
    public static async Task<RawResponse> SendAsync(Uri server, byte[] request, TimeSpan guard, bool head = false)
    {
        using var cts = new CancellationTokenSource(guard);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cts.Token);
        var stream = tcp.GetStream();
        // Written while the answer is read: a server may answer (413) before it reads a large body.
        var writing = Task.Run(async () =>
        {
            try
            {
                await stream.WriteAsync(request, cts.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // the server answered and closed before reading it all; the answer is what counts
            }
        });
        try
        {
            var reader = new Reader(stream);
            while (true)
            {
                var response = await ReadOneAsync(reader, head, cts.Token);
                if (response.Status is < 100 or >= 200) return response;
            }
        }
        catch (IOException)
        {
            return new RawResponse(0, [], []);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer within {guard.TotalMinutes:0.#} min to: {Encoding.Latin1.GetString(request.AsSpan(0, Math.Min(request.Length, 200)))}");
        }
        finally
        {
            try
            {
                tcp.Client.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            await writing;
        }
    }

    private static async Task<RawResponse> ReadOneAsync(Reader reader, bool head, CancellationToken ct)
    {
        var statusLine = await reader.ReadLineAsync(ct);
        if (statusLine is null) return new RawResponse(0, [], []);
        var parts = statusLine.Split(' ', 3);
        var status = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new List<(string, string)>();
        string? line;
        while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(ct)))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add((line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        var response = new RawResponse(status, headers, []);
        if (head || status is < 200 or 204 or 304) return response;

        byte[] body;
        if (response.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var chunks = new MemoryStream();
            while (true)
            {
                var size = Convert.ToInt32((await reader.ReadLineAsync(ct) ?? "0").Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    while (!string.IsNullOrEmpty(await reader.ReadLineAsync(ct)))
                    {
                    }
                    break;
                }
                chunks.Write(await reader.ReadExactlyAsync(size, ct));
                await reader.ReadLineAsync(ct);
            }
            body = chunks.ToArray();
        }
        else if (response.Header("Content-Length") is { } length)
            body = await reader.ReadExactlyAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), ct);
        else
            body = await reader.ReadToEndAsync(ct);

        body = response.Header("Content-Encoding") switch
        {
            "gzip" => Decompress(new GZipStream(new MemoryStream(body), CompressionMode.Decompress)),
            "br" => Decompress(new BrotliStream(new MemoryStream(body), CompressionMode.Decompress)),
            _ => body,
        };
        return response with { Body = body };
    }

    private static byte[] Decompress(Stream s)
    {
        using (s)
        {
            using var copy = new MemoryStream();
            s.CopyTo(copy);
            return copy.ToArray();
        }
    }

    private sealed class Reader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        private async ValueTask<bool> FillAsync(CancellationToken ct)
        {
            if (_start < _end) return true;
            _start = 0;
            _end = await stream.ReadAsync(_buffer, ct);
            return _end > 0;
        }

        /// <summary>A line without its CRLF, or null at the end of the stream.</summary>
        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var line = new List<byte>();
            while (await FillAsync(ct))
            {
                var b = _buffer[_start++];
                if (b == '\n') return Encoding.Latin1.GetString([.. line]).TrimEnd('\r');
                line.Add(b);
            }
            return line.Count == 0 ? null : Encoding.Latin1.GetString([.. line]);
        }

        public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
        {
            var result = new byte[count];
            var done = 0;
            while (done < count)
            {
                if (!await FillAsync(ct)) throw new IOException($"the connection ended {count - done} bytes before the end of the body");
                var n = Math.Min(count - done, _end - _start);
                Array.Copy(_buffer, _start, result, done, n);
                _start += n;
                done += n;
            }
            return result;
        }

        public async Task<byte[]> ReadToEndAsync(CancellationToken ct)
        {
            using var all = new MemoryStream();
            while (await FillAsync(ct))
            {
                all.Write(_buffer, _start, _end - _start);
                _start = _end;
            }
            return all.ToArray();
        }
    }
}
