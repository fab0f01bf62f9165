using System.Buffers.Binary;
using System.Collections.Immutable;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;
using SpineGraph.Core.Search;

namespace SpineGraph.Core.Embedded;

/// <summary>Thrown when a compiled snapshot cannot be used; the message is one line saying why.</summary>
public sealed class SnapshotException(string message) : Exception(message);

/// <summary>
/// A compiled graph: the <see cref="EmbeddedGraph"/>'s columns written as they are in memory, so that opening one is
/// mapping the file (<see cref="MemoryMappedFile"/>) and pointing the columns into it. Layout (little-endian):
/// a 64-byte header (magic <c>SPINEGSB</c>, format version, node, edge and column counts, file length, a hash of
/// everything before the column data), the graph version, the sources, a directory of columns (offset, length,
/// hash of the bytes), then each column aligned to 64 bytes. The columns are the graph's, then its search index's
/// (<see cref="SearchIndex"/>, built when written if it was not yet), so opening a snapshot maps the index too instead
/// of building it. Opening checks the magic, the format version, the length, the header hash and every column's hash,
/// and refuses the file otherwise.
/// </summary>
public static class GraphSnapshot
{
    /// <summary>Bumped whenever the layout or the meaning of a column changes (2: the search index's columns added).</summary>
    public const int FormatVersion = 2;

    private static readonly byte[] Magic = "SPINEGSB"u8.ToArray();
    private const int HeaderSize = 64;
    private const int Align = 64;

    private interface IColumnVisitor
    {
        void Visit<T>(ref Col<T> column) where T : unmanaged;
    }

    private static void VisitColumns(EmbeddedGraph g, SearchIndex index, IColumnVisitor v)
    {
        v.Visit(ref g.NodeIds.Bytes);
        v.Visit(ref g.NodeIds.Starts);
        v.Visit(ref g.NodeCategories);
        v.Visit(ref g.NodeUrgencies);
        v.Visit(ref g.NodeKinds);
        v.Visit(ref g.NodeNames);
        v.Visit(ref g.NodeDescriptions);
        v.Visit(ref g.NodeReasons);
        v.Visit(ref g.NodeTermStarts);
        v.Visit(ref g.NodeTerms);
        v.Visit(ref g.NodeText.Bytes);
        v.Visit(ref g.NodeText.Starts);
        v.Visit(ref g.NodeSlots);
        v.Visit(ref g.CategoryNodes);
        v.Visit(ref g.CategoryStarts);
        v.Visit(ref g.EdgeSubject);
        v.Visit(ref g.EdgeObject);
        v.Visit(ref g.EdgePredicates);
        v.Visit(ref g.EdgeTiers);
        v.Visit(ref g.EdgeEffects);
        v.Visit(ref g.EdgeLevels);
        v.Visit(ref g.EdgeAgents);
        v.Visit(ref g.EdgeIds);
        v.Visit(ref g.EdgeIdText.Bytes);
        v.Visit(ref g.EdgeIdText.Starts);
        v.Visit(ref g.IdTokens.Bytes);
        v.Visit(ref g.IdTokens.Starts);
        v.Visit(ref g.EdgeClaims);
        v.Visit(ref g.EdgeContexts);
        v.Visit(ref g.EdgeKnowledgeSources);
        v.Visit(ref g.EdgeText.Bytes);
        v.Visit(ref g.EdgeText.Starts);
        v.Visit(ref g.EdgeSourceLists);
        v.Visit(ref g.SourceListStarts);
        v.Visit(ref g.SourceListItems);
        v.Visit(ref g.EdgeSlots);
        v.Visit(ref g.OutStart);
        v.Visit(ref g.OutEdges);
        v.Visit(ref g.InStart);
        v.Visit(ref g.InEdges);
        v.Visit(ref index.Words.Bytes);
        v.Visit(ref index.Words.Starts);
        for (var i = 0; i < index.Columns.Length; i++) v.Visit(ref index.Columns[i]);
    }

    private sealed class Collector : IColumnVisitor
    {
        public readonly List<Func<ReadOnlySpan<byte>>> Columns = [];

        public void Visit<T>(ref Col<T> column) where T : unmanaged
        {
            var c = column;
            Columns.Add(() => MemoryMarshal.AsBytes(c.Span));
        }
    }

    private static ulong Hash64(ReadOnlySpan<byte> bytes)
    {
        const ulong k = 0x9E3779B97F4A7C15UL;
        ulong a = k ^ (ulong)bytes.Length, b = 0xC2B2AE3D27D4EB4FUL, c = 0x165667B19E3779F9UL, d = 0x27D4EB2F165667C5UL;
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        var i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            a = (a ^ words[i]) * k;
            b = (b ^ words[i + 1]) * k;
            c = (c ^ words[i + 2]) * k;
            d = (d ^ words[i + 3]) * k;
        }
        for (; i < words.Length; i++) a = (a ^ words[i]) * k;
        ulong tail = 0;
        for (var j = words.Length * 8; j < bytes.Length; j++) tail = (tail << 8) | bytes[j];
        var h = (a ^ tail) * k ^ (b >> 7) ^ BitRotate(c, 23) ^ BitRotate(d, 41);
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        return h ^ (h >> 33);
    }

    private static ulong BitRotate(ulong x, int n) => (x << n) | (x >> (64 - n));

    /// <summary>Writes the graph's columns and its search index's to <paramref name="path"/> (replacing it once complete).</summary>
    public static void Write(EmbeddedGraph graph, string path)
    {
        var collector = new Collector();
        VisitColumns(graph, graph.Lexicon.Index, collector);
        var columns = collector.Columns;
        var meta = new MemoryStream();
        using (var w = new BinaryWriter(meta, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(graph.Meta.Version);
            WriteSources(w, graph.SourceArray);
        }
        var directoryAt = HeaderSize + meta.Length;
        var dataAt = AlignUp(directoryAt + columns.Count * 24L);
        var entries = new (long Offset, long Length, ulong Hash)[columns.Count];
        var at = dataAt;
        for (var i = 0; i < columns.Count; i++)
        {
            var bytes = columns[i]();
            entries[i] = (at, bytes.Length, 0);
            at = AlignUp(at + bytes.Length);
        }
        Parallel.For(0, columns.Count, i => entries[i].Hash = Hash64(columns[i]()));

        var head = new byte[dataAt];
        Magic.CopyTo(head, 0);
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(12), columns.Count);
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(16), graph.NodeCount);
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(20), graph.EdgeCount);
        BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(24), at);
        meta.ToArray().CopyTo(head, HeaderSize);
        for (var i = 0; i < entries.Length; i++)
        {
            var e = head.AsSpan((int)directoryAt + i * 24);
            BinaryPrimitives.WriteInt64LittleEndian(e, entries[i].Offset);
            BinaryPrimitives.WriteInt64LittleEndian(e[8..], entries[i].Length);
            BinaryPrimitives.WriteUInt64LittleEndian(e[16..], entries[i].Hash);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(head.AsSpan(32), HeadHash(head));

        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            file.Write(head);
            for (var i = 0; i < columns.Count; i++)
            {
                file.Position = entries[i].Offset;
                file.Write(columns[i]());
            }
            file.SetLength(at);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static long AlignUp(long x) => (x + Align - 1) / Align * Align;

    /// <summary>The hash of the header (without its hash field), the version, the sources and the directory.</summary>
    private static ulong HeadHash(ReadOnlySpan<byte> head)
    {
        var copy = head.ToArray();
        copy.AsSpan(32, 8).Clear();
        return Hash64(copy);
    }

    private static void WriteSources(BinaryWriter w, Source[] sources)
    {
        w.Write(sources.Length);
        foreach (var s in sources)
        {
            w.Write(s.Id);
            w.Write((int)s.Kind);
            w.Write(s.Citation);
            w.Write(s.Year ?? int.MinValue);
            w.Write(s.Xrefs.Length);
            foreach (var x in s.Xrefs) w.Write(x);
            w.Write(s.File is not null);
            w.Write(s.File ?? "");
            w.Write(s.Note is not null);
            w.Write(s.Note ?? "");
        }
    }

    private static Source[] ReadSources(BinaryReader r)
    {
        var sources = new Source[r.ReadInt32()];
        for (var i = 0; i < sources.Length; i++)
        {
            var id = r.ReadString();
            var kind = (SourceKind)r.ReadInt32();
            var citation = r.ReadString();
            var year = r.ReadInt32();
            var xrefs = ImmutableArray.CreateBuilder<string>();
            for (var n = r.ReadInt32(); n > 0; n--) xrefs.Add(r.ReadString());
            var hasFile = r.ReadBoolean();
            var file = r.ReadString();
            var hasNote = r.ReadBoolean();
            var note = r.ReadString();
            sources[i] = new Source(id, kind, citation, year == int.MinValue ? null : year, xrefs.ToImmutable(),
                hasFile ? file : null, hasNote ? note : null);
        }
        return sources;
    }

    /// <summary>Only the graph version written in a snapshot's header (after checking magic, format and header hash).</summary>
    public static string ReadVersion(string path)
    {
        using var file = File.OpenRead(path);
        var name = Path.GetFileName(path);
        var (head, _, _) = ReadHead(file, name);
        using var r = new BinaryReader(new MemoryStream(head, HeaderSize, head.Length - HeaderSize), Encoding.UTF8);
        return r.ReadString();
    }

    private static (byte[] Head, int Columns, long Length) ReadHead(FileStream file, string name)
    {
        var fixedPart = new byte[HeaderSize];
        if (file.Length < HeaderSize || file.ReadAtLeast(fixedPart, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
            throw new SnapshotException($"Snapshot '{name}' is truncated: {file.Length} bytes is shorter than its header.");
        if (!fixedPart.AsSpan(0, 8).SequenceEqual(Magic))
            throw new SnapshotException($"'{name}' is not a SpineGraph snapshot (no SPINEGSB header).");
        var format = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(8));
        if (format != FormatVersion)
            throw new SnapshotException($"Snapshot '{name}' has format version {format}; this build reads version {FormatVersion}: compile it again.");
        var columns = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(12));
        var length = BinaryPrimitives.ReadInt64LittleEndian(fixedPart.AsSpan(24));
        if (file.Length != length)
            throw new SnapshotException($"Snapshot '{name}' is truncated or damaged: {file.Length} bytes where its header says {length}.");
        // The head runs to the first column, whose offset is the directory's first entry; find it by reading on.
        var probe = new byte[Math.Min(length, 1 << 20)];
        file.Position = 0;
        file.ReadExactly(probe);
        using var r = new BinaryReader(new MemoryStream(probe, HeaderSize, probe.Length - HeaderSize), Encoding.UTF8);
        try
        {
            r.ReadString();
            ReadSources(r);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException)
        {
            throw new SnapshotException($"Snapshot '{name}' is damaged: its header cannot be read ({ex.Message}).");
        }
        var directoryAt = HeaderSize + r.BaseStream.Position;
        var dataAt = AlignUp(directoryAt + columns * 24L);
        if (columns <= 0 || dataAt > probe.Length)
            throw new SnapshotException($"Snapshot '{name}' is damaged: its column directory does not fit.");
        var head = probe.AsSpan(0, (int)dataAt).ToArray();
        if (HeadHash(head) != BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(32)))
            throw new SnapshotException($"Snapshot '{name}' is damaged: its header hash does not match.");
        return (head, columns, length);
    }

    private sealed unsafe class Mapper(byte* basePointer, byte[] head, int directoryAt, long length, string name) : IColumnVisitor
    {
        private int _index;
        public readonly List<(long Offset, long Length, ulong Hash)> Entries = [];

        public void Visit<T>(ref Col<T> column) where T : unmanaged
        {
            var e = head.AsSpan(directoryAt + _index++ * 24);
            var offset = BinaryPrimitives.ReadInt64LittleEndian(e);
            var bytes = BinaryPrimitives.ReadInt64LittleEndian(e[8..]);
            if (offset < 0 || bytes < 0 || offset + bytes > length || bytes % sizeof(T) != 0 || bytes / sizeof(T) > int.MaxValue)
                throw new SnapshotException($"Snapshot '{name}' is damaged: column {_index} lies outside the file.");
            Entries.Add((offset, bytes, BinaryPrimitives.ReadUInt64LittleEndian(e[16..])));
            column = new Col<T>((T*)(basePointer + offset), (int)(bytes / sizeof(T)));
        }
    }

    private sealed class Mapping(MemoryMappedFile file, MemoryMappedViewAccessor view) : IDisposable
    {
        public void Dispose()
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
            file.Dispose();
        }
    }

    /// <summary>
    /// Opens a snapshot memory-mapped. Throws <see cref="SnapshotException"/> (one line) when the file is not a snapshot,
    /// has another format version, is truncated, or any byte differs from what was written.
    /// </summary>
    public static unsafe EmbeddedGraph Open(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new SnapshotException($"Snapshot '{path}' does not exist.");
        byte[] head;
        int columns;
        long length;
        using (var stream = File.OpenRead(path)) (head, columns, length) = ReadHead(stream, name);

        var g = new EmbeddedGraph();
        using (var r = new BinaryReader(new MemoryStream(head, HeaderSize, head.Length - HeaderSize), Encoding.UTF8))
        {
            var version = r.ReadString();
            g.SourceArray = ReadSources(r);
            g.NodeCount = BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(16));
            g.EdgeCount = BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(20));
            var directoryAt = HeaderSize + (int)r.BaseStream.Position;

            var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            var mapping = new Mapping(file, view);
            try
            {
                var basePointer = pointer + view.PointerOffset;
                var mapper = new Mapper(basePointer, head, directoryAt, length, name);
                var index = new SearchIndex(g.Lexicon);
                VisitColumns(g, index, mapper);
                if (mapper.Entries.Count != columns)
                    throw new SnapshotException($"Snapshot '{name}' has {columns} columns; this build expects {mapper.Entries.Count}.");
                var bad = -1;
                Parallel.For(0, mapper.Entries.Count, i =>
                {
                    var (offset, bytes, hash) = mapper.Entries[i];
                    if (Hash64(new ReadOnlySpan<byte>(basePointer + offset, (int)bytes)) != hash) bad = i + 1;
                });
                if (bad > 0) throw new SnapshotException($"Snapshot '{name}' is damaged: column {bad} does not match its hash.");
                g.Owner = mapping;
                g.Complete(version);
                g.Lexicon.UseIndex(index);
            }
            catch
            {
                mapping.Dispose();
                throw;
            }
        }
        return g;
    }
}
