using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace SpineGraph.Core.Embedded;

/// <summary>
/// A read-only column: either a managed array (a graph built from JSON Lines) or memory inside a mapped snapshot
/// file (a graph opened from a compiled snapshot, which then lives as long as the process).
/// </summary>
internal readonly unsafe struct Col<T> where T : unmanaged
{
    private readonly T[]? _array;
    private readonly T* _pointer;

    public Col(T[] array)
    {
        _array = array;
        Length = array.Length;
    }

    public Col(T* pointer, int length)
    {
        _pointer = pointer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<T> Span => _array is not null ? _array : new ReadOnlySpan<T>(_pointer, Length);

    public T this[int i] => _array is not null ? _array[i] : (uint)i < (uint)Length ? _pointer[i] : throw new IndexOutOfRangeException();

    public static implicit operator Col<T>(T[] array) => new(array);
}

/// <summary>Strings as UTF-8 bytes one after another; string <c>i</c> is <c>Bytes[Starts[i] .. Starts[i + 1])</c>.</summary>
internal struct TextPool
{
    public Col<byte> Bytes;
    public Col<int> Starts;

    public readonly int Count => Math.Max(Starts.Length - 1, 0);

    public readonly ReadOnlySpan<byte> this[int i]
    {
        get
        {
            var from = Starts[i];
            return Bytes.Span.Slice(from, Starts[i + 1] - from);
        }
    }

    public readonly string String(int i) => Encoding.UTF8.GetString(this[i]);
}

/// <summary>Hashing, ordering and trimming of UTF-8 text, the same on every platform and in every process (snapshots keep hash tables).</summary>
internal static class Utf8Text
{
    private const ulong K = 0x9E3779B97F4A7C15UL;

    public static uint Hash(ReadOnlySpan<byte> bytes)
    {
        var h = K ^ (ulong)bytes.Length;
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..])) * K;
        ulong tail = 0;
        for (var shift = 0; i < bytes.Length; i++, shift += 8) tail |= (ulong)bytes[i] << shift;
        h = (h ^ tail) * K;
        h ^= h >> 32;
        h *= 0xD6E8FEB86659FD93UL;
        h ^= h >> 29;
        return (uint)h;
    }

    /// <summary>
    /// Orders UTF-8 text as <see cref="string.CompareOrdinal(string, string)"/> orders the same text in UTF-16: by
    /// bytes (code points), except that characters U+E000–U+FFFF sort after supplementary ones, as UTF-16
    /// surrogates do.
    /// </summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = a[..n].CommonPrefixLength(b[..n]);
        if (i == n) return a.Length.CompareTo(b.Length);
        int x = a[i], y = b[i];
        if (x is 0xEE or 0xEF && y >= 0xF0) return 1;
        if (y is 0xEE or 0xEF && x >= 0xF0) return -1;
        return x.CompareTo(y);
    }

    /// <summary>Trims what <see cref="string.Trim()"/> trims (Unicode white space) from both ends.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        while (s.Length > 0)
        {
            if (s[0] < 0x80)
            {
                if (!char.IsWhiteSpace((char)s[0])) break;
                s = s[1..];
                continue;
            }
            if (Rune.DecodeFromUtf8(s, out var r, out var used) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(r)) break;
            s = s[used..];
        }
        while (s.Length > 0)
        {
            if (s[^1] < 0x80)
            {
                if (!char.IsWhiteSpace((char)s[^1])) break;
                s = s[..^1];
                continue;
            }
            if (Rune.DecodeLastFromUtf8(s, out var r, out var used) != System.Buffers.OperationStatus.Done || !Rune.IsWhiteSpace(r)) break;
            s = s[..^used];
        }
        return s;
    }

    /// <summary>The smallest power of two holding <paramref name="count"/> entries at most 2/3 full.</summary>
    public static int TableSize(int count)
    {
        var size = 16;
        while (size < count + count / 2 + 1) size <<= 1;
        return size;
    }

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Reinterprets a span of unmanaged values as bytes.</summary>
    public static ReadOnlySpan<byte> AsBytes<T>(ReadOnlySpan<T> span) where T : unmanaged => MemoryMarshal.AsBytes(span);
}

/// <summary>A growable array (the builders' columns).</summary>
internal sealed class Growable<T> where T : unmanaged
{
    private T[] _items;

    public Growable(int capacity = 16) => _items = new T[Math.Max(capacity, 4)];

    public int Count { get; private set; }

    public ref T this[int i] => ref _items[i];

    public Span<T> Span => _items.AsSpan(0, Count);

    public void Add(T item)
    {
        if (Count == _items.Length) Grow(Count + 1);
        _items[Count++] = item;
    }

    public void AddRange(ReadOnlySpan<T> items)
    {
        if (Count + items.Length > _items.Length) Grow(Count + items.Length);
        items.CopyTo(_items.AsSpan(Count));
        Count += items.Length;
    }

    private void Grow(int needed)
    {
        var size = (int)Math.Min(Math.Max((long)_items.Length * 2, needed), Array.MaxLength);
        if (size < needed) throw new InvalidOperationException("The graph is too large for one column (2^31 entries or bytes).");
        Array.Resize(ref _items, size);
    }

    public void Truncate(int count) => Count = count;

    public T[] ToArray() => Span.ToArray();
}

/// <summary>
/// A pool of UTF-8 strings being built, optionally deduplicated (the same claim stored once), with an open-addressing
/// table of string numbers keyed by a hash of the bytes.
/// </summary>
internal sealed class PoolBuilder(bool dedup, int capacity = 1024)
{
    private readonly Growable<byte> _bytes = new(capacity * 16);
    private readonly Growable<int> _starts = CreateStarts(capacity);
    private int[] _slots = dedup ? new int[Utf8Text.TableSize(capacity)] : [];
    private uint[] _hashes = dedup ? new uint[Utf8Text.TableSize(capacity)] : [];

    private static Growable<int> CreateStarts(int capacity)
    {
        var g = new Growable<int>(capacity + 1);
        g.Add(0);
        return g;
    }

    public int Count => _starts.Count - 1;

    public ReadOnlySpan<byte> this[int i] => _bytes.Span[_starts[i].._starts[i + 1]];

    public int Add(ReadOnlySpan<byte> text) => Add(text, dedup ? Utf8Text.Hash(text) : 0);

    public int Add(ReadOnlySpan<byte> text, uint hash)
    {
        if (dedup)
        {
            var mask = _slots.Length - 1;
            for (var s = (int)hash & mask; ; s = (s + 1) & mask)
            {
                var entry = _slots[s];
                if (entry == 0) break;
                if (_hashes[s] == hash && this[entry - 1].SequenceEqual(text)) return entry - 1;
            }
        }
        var index = Count;
        _bytes.AddRange(text);
        _starts.Add(_bytes.Count);
        if (dedup)
        {
            Insert(index + 1, hash);
            if (Count * 3 > _slots.Length * 2) Rehash();
        }
        return index;
    }

    private void Insert(int entry, uint hash)
    {
        var mask = _slots.Length - 1;
        var s = (int)hash & mask;
        while (_slots[s] != 0) s = (s + 1) & mask;
        _slots[s] = entry;
        _hashes[s] = hash;
    }

    private void Rehash()
    {
        var (slots, hashes) = (_slots, _hashes);
        _slots = new int[slots.Length * 2];
        _hashes = new uint[slots.Length * 2];
        for (var s = 0; s < slots.Length; s++)
            if (slots[s] != 0) Insert(slots[s], hashes[s]);
    }

    public TextPool Build() => new() { Bytes = _bytes.ToArray(), Starts = _starts.ToArray() };
}
