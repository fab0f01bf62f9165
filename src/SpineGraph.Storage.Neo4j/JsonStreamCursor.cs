using System.Text.Json;

namespace SpineGraph.Storage.Neo4j;

/// <summary>
/// Reads a JSON document from a stream token by token, or value by value, without holding more of it than the
/// value being read, so that a caller can stop in the middle (e.g. after enough rows) and drop the connection.
/// At most <c>maxBytes</c> are read from the stream; beyond that <see cref="AnswerTooLargeException"/> is thrown.
/// </summary>
internal sealed class JsonStreamCursor(Stream stream, long maxBytes)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private long _read;
    private JsonReaderState _state;

    /// <summary>The next token, with the text of property names and strings.</summary>
    public async ValueTask<(JsonTokenType Type, string? Text)> ReadTokenAsync(CancellationToken ct)
    {
        while (true)
        {
            if (TryToken(out var type, out var text)) return (type, text);
            await FillAsync(ct);
        }
    }

    /// <summary>The next whole value; null when the next token closes the enclosing array or object instead.</summary>
    public async ValueTask<JsonElement?> ReadValueOrEndAsync(CancellationToken ct)
    {
        while (true)
        {
            if (TryValue(out var value)) return value;
            await FillAsync(ct);
        }
    }

    private Utf8JsonReader Reader() => new(_buffer.AsSpan(_start, _end - _start), _eof, _state);

    private void Commit(ref Utf8JsonReader r)
    {
        _start += (int)r.BytesConsumed;
        _state = r.CurrentState;
    }

    private bool TryToken(out JsonTokenType type, out string? text)
    {
        var r = Reader();
        if (!r.Read())
        {
            (type, text) = (JsonTokenType.None, null);
            return false;
        }
        type = r.TokenType;
        text = type is JsonTokenType.PropertyName or JsonTokenType.String ? r.GetString() : null;
        Commit(ref r);
        return true;
    }

    private bool TryValue(out JsonElement? value)
    {
        value = null;
        var r = Reader();
        if (!r.Read()) return false;
        if (r.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
        {
            Commit(ref r);
            return true;
        }
        var probe = r; // a copy: TrySkip says whether the whole value is in the buffer
        if (!probe.TrySkip()) return false;
        using var doc = JsonDocument.ParseValue(ref r);
        value = doc.RootElement.Clone();
        Commit(ref r);
        return true;
    }

    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_eof) throw new JsonException("the answer ends in the middle of its JSON document");
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2); // one value larger than the buffer
        if (_read >= maxBytes) throw new AnswerTooLargeException();
        var n = await stream.ReadAsync(_buffer.AsMemory(_end, (int)Math.Min(_buffer.Length - _end, maxBytes - _read)), ct);
        if (n == 0) _eof = true;
        _end += n;
        _read += n;
    }
}

/// <summary>The answer is longer than the reader may read.</summary>
internal sealed class AnswerTooLargeException() : Exception("the answer is larger than allowed");
