namespace SpineGraph.Api.Export;

/// <summary>
/// Where the export writers write one page at a time: synchronous writers (XmlWriter, Utf8JsonWriter, StreamWriter)
/// fill an in-memory buffer, which is handed on asynchronously after each page and emptied. So the response is
/// written as it is produced, the server never blocks on synchronous I/O, and memory follows the page size.
/// </summary>
internal sealed class PageSink(Stream output, Func<CancellationToken, Task>? afterPage = null)
{
    public MemoryStream Buffer { get; } = new();

    public async Task FlushAsync(CancellationToken ct)
    {
        if (Buffer.Length > 0)
        {
            await output.WriteAsync(Buffer.GetBuffer().AsMemory(0, (int)Buffer.Length), ct);
            Buffer.SetLength(0);
        }
        if (afterPage is not null) await afterPage(ct);
        else await output.FlushAsync(ct);
    }
}

/// <summary>
/// A write-only stream that keeps what is written in memory until <see cref="DrainAsync"/> sends it on. The zip writer
/// writes synchronously (entry headers, the compressor's last block, the central directory), which the server does
/// not allow on a response; it writes here instead, and the export drains this to the response after every page.
/// </summary>
internal sealed class SpoolStream(Stream target) : Stream
{
    private readonly MemoryStream _buffer = new();
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _buffer.Write(buffer);
        _written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Sends what has been written so far to the target, and forgets it.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        if (_buffer.Length == 0) return;
        await target.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct);
        await target.FlushAsync(ct);
        _buffer.SetLength(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
