namespace SpineGraph.Synthetic;

/// <summary>A reusable character buffer, so ids, names and claims are built without allocating a string per edge.</summary>
public sealed class CharBuffer
{
    private char[] _chars = new char[256];

    public int Length { get; private set; }

    public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

    public CharBuffer Clear()
    {
        Length = 0;
        return this;
    }

    public CharBuffer Append(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        text.CopyTo(_chars.AsSpan(Length));
        Length += text.Length;
        return this;
    }

    public CharBuffer Append(char c)
    {
        Ensure(1);
        _chars[Length++] = c;
        return this;
    }

    public CharBuffer Append(int value)
    {
        Ensure(11);
        value.TryFormat(_chars.AsSpan(Length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        Length += written;
        return this;
    }

    /// <summary>Lower-cases the character at <paramref name="index"/> (for a name in the middle of a sentence).</summary>
    public void LowerAt(int index)
    {
        if (index < Length) _chars[index] = char.ToLowerInvariant(_chars[index]);
    }

    public override string ToString() => new(Span);

    private void Ensure(int extra)
    {
        if (Length + extra > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + extra));
    }
}
