using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SpineGraph.Core.Seed;

namespace SpineGraph.Core.Embedded;

/// <summary>
/// Loads a seed folder straight into an <see cref="EmbeddedGraph"/>'s columns. sources.jsonl and nodes.jsonl (small)
/// are read line by line with <see cref="SeedLoader"/>'s own validation. edges.jsonl is read in blocks cut at line
/// ends; blocks are parsed on every core with <see cref="Utf8JsonReader"/> over the raw bytes (no string per line),
/// and merged in file order into the column builders. A line the fast parser does not accept outright (anything
/// unusual: an error, a duplicate id, white space to trim, invalid UTF-8) goes through <see cref="SeedLoader"/>'s
/// per-line validation, so the errors (<c>file:line: message</c>, in order) are exactly those of
/// <see cref="SeedLoader.TryLoad"/>, and there is never a partial graph. A line longer than
/// <see cref="SeedLoader.MaxLineBytes"/> is reported and skipped (a block without a line end is read past, not grown
/// into), so memory stays within a few blocks whatever the file holds. The version hashes the same bytes as
/// <see cref="SeedLoader.ComputeVersion"/>.
/// </summary>
public static class StreamingSeedLoader
{
    private const int BlockSize = 4 << 20;

    /// <summary>Loads and validates; throws <see cref="SeedValidationException"/> listing every problem.</summary>
    public static EmbeddedGraph Load(string directory)
    {
        var (graph, errors) = TryLoad(directory);
        if (errors.Count > 0) throw new SeedValidationException(errors);
        return graph!;
    }

    public static (EmbeddedGraph? Graph, IReadOnlyList<SeedError> Errors) TryLoad(string directory)
    {
        var errors = SeedLoader.CheckFiles(directory);
        if (errors.Count > 0) return (null, errors);
        var sources = SeedLoader.ReadSources(SeedLoader.ReadLines(directory, SeedLoader.SourcesFile, errors), errors);
        var (nodes, nodeLines) = SeedLoader.ReadNodes(SeedLoader.ReadLines(directory, SeedLoader.NodesFile, errors), errors);
        var edgesPath = Path.Combine(directory, SeedLoader.EdgesFile);
        var builder = new ColumnBuilder(nodes.Values, [.. sources.Values], EdgeCapacity(edgesPath));

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendFile(sha, directory, SeedLoader.NodesFile);
        sha.AppendData(Encoding.UTF8.GetBytes(SeedLoader.EdgesFile + "\n"));
        ReadEdges(edgesPath, new Context(builder, nodes, sources, errors), sha);
        AppendFile(sha, directory, SeedLoader.SourcesFile);
        SeedLoader.CheckTerms(nodes, nodeLines, errors);
        if (errors.Count > 0) return (null, errors);

        var graph = builder.BuildInto();
        graph.Complete("sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset())[..16]);
        return (graph, errors);
    }

    /// <summary>Room for edges to make at first: the file's length over 250 bytes a line, but no more than twice what the
    /// lines of its first MiB suggest, so a file of one huge line gets little room rather than room for millions of edges.</summary>
    private static int EdgeCapacity(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var sample = ArrayPool<byte>.Shared.Rent(1 << 20);
        var read = file.ReadAtLeast(sample.AsSpan(0, 1 << 20), 1 << 20, throwOnEndOfStream: false);
        var lines = sample.AsSpan(0, read).Count((byte)'\n') + 1;
        ArrayPool<byte>.Shared.Return(sample);
        var bySample = 2.0 * file.Length * lines / Math.Max(read, 1);
        return (int)Math.Min(Math.Min(file.Length / 250, bySample) + 16, int.MaxValue / 2);
    }

    private static void AppendFile(IncrementalHash sha, string directory, string file)
    {
        sha.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
        using var stream = new FileStream(Path.Combine(directory, file), FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, read);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private sealed record Context(ColumnBuilder Builder, Dictionary<string, Node> Nodes, Dictionary<string, Source> Sources, List<SeedError> Errors);

    private static void ReadEdges(string path, Context context, IncrementalHash sha)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var pending = new Queue<Task<Chunk>>();
        var inFlight = Math.Max(2, Environment.ProcessorCount * 2);
        var carry = Array.Empty<byte>();
        var carryLength = 0;
        var first = true;
        var lineBase = 0;
        var eof = false;
        while (!eof)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(BlockSize, carryLength * 2));
            carry.AsSpan(0, carryLength).CopyTo(buffer);
            var filled = carryLength;
            int cut;
            while (true)
            {
                while (filled < buffer.Length)
                {
                    var read = file.Read(buffer, filled, buffer.Length - filled);
                    if (read == 0) { eof = true; break; }
                    sha.AppendData(buffer, filled, read);
                    filled += read;
                }
                cut = eof ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (cut > 0 || eof) break;
                // No \n in a full block: cut after its last lone \r (one not at the end, so no \r\n is split) ...
                cut = buffer.AsSpan(0, filled - 1).LastIndexOf((byte)'\r') + 1;
                if (cut > 0) break;
                // ... or the block is one unfinished line, longer than the limit: skip it, hashed but not kept, to its end.
                first = false;
                filled = SkipLine(file, buffer, filled, sha, ref eof);
                pending.Enqueue(Task.FromResult(Chunk.TooLong()));
                cut = 0;
                break;
            }
            if (carry.Length > 0) ArrayPool<byte>.Shared.Return(carry);
            carryLength = filled - cut;
            carry = carryLength > 0 ? ArrayPool<byte>.Shared.Rent(carryLength) : [];
            buffer.AsSpan(cut, carryLength).CopyTo(carry);
            var start = first && buffer.AsSpan(0, cut).StartsWith("\uFEFF"u8) ? 3 : 0;
            if (cut > 0) first = false;
            var block = buffer;
            if (cut > 0) pending.Enqueue(Task.Run(() => Chunk.Parse(block, start, cut - start, context.Builder)));
            else ArrayPool<byte>.Shared.Return(block);
            while (pending.Count >= inFlight) lineBase = Merge(pending.Dequeue().GetAwaiter().GetResult(), lineBase, context);
        }
        if (carry.Length > 0) ArrayPool<byte>.Shared.Return(carry);
        while (pending.Count > 0) lineBase = Merge(pending.Dequeue().GetAwaiter().GetResult(), lineBase, context);
    }

    /// <summary>Reads past the line that fills <paramref name="buffer"/> up to its first line end (\r or \n), hashing what
    /// it reads; leaves the rest, from that line end on, at the start of the buffer and returns its length.</summary>
    private static int SkipLine(FileStream file, byte[] buffer, int filled, IncrementalHash sha, ref bool eof)
    {
        var end = buffer.AsSpan(0, filled).IndexOfAny((byte)'\r', (byte)'\n');
        while (end < 0)
        {
            filled = file.Read(buffer, 0, buffer.Length);
            if (filled == 0) { eof = true; return 0; }
            sha.AppendData(buffer, 0, filled);
            end = buffer.AsSpan(0, filled).IndexOfAny((byte)'\r', (byte)'\n');
        }
        buffer.AsSpan(end, filled - end).CopyTo(buffer);
        return filled - end;
    }

    private static int Merge(Chunk chunk, int lineBase, Context c)
    {
        var text = chunk.Text.Span;
        var sources = chunk.Sources.Span;
        foreach (ref readonly var r in chunk.Records.Span)
        {
            var line = lineBase + r.Line;
            if (r.TooLong)
            {
                c.Errors.Add(new SeedError(SeedLoader.EdgesFile, line, SeedLoader.LineTooLong));
                continue;
            }
            if (r.Fast)
            {
                var id = text.Slice(r.IdOff, r.IdLen);
                if (!c.Builder.IsTaken(id, r.IdHash))
                {
                    c.Builder.AddEdge(id, r.IdHash, r.Subject, r.Object, r.Predicate, r.Tier, r.Effect, r.Level, r.Agent,
                        text.Slice(r.ClaimOff, r.ClaimLen), r.ClaimHash, r.CtxLen < 0 ? default : text.Slice(r.CtxOff, r.CtxLen), r.CtxLen >= 0,
                        text.Slice(r.PksOff, r.PksLen), sources.Slice(r.SrcOff, r.SrcLen));
                    continue;
                }
            }
            // Anything unusual is validated as SeedLoader does, which reports it exactly.
            if (SeedLoader.Decode(chunk.Buffer.AsSpan(chunk.Start + r.LineStart, r.LineLength), SeedLoader.EdgesFile, line, c.Errors) is not { } raw) continue;
            if (SeedLoader.Record(SeedLoader.EdgesFile, line, raw, c.Errors) is not { } obj) continue;
            if (SeedLoader.ReadEdge(line, obj, c.Errors, c.Nodes, c.Sources, c.Builder.AddOtherId) is { } edge) c.Builder.AddEdge(edge);
        }
        if (chunk.Buffer.Length > 0) ArrayPool<byte>.Shared.Return(chunk.Buffer);
        return lineBase + chunk.Lines;
    }

    private struct Rec
    {
        public int Line, LineStart, LineLength;
        public bool Fast, TooLong;
        public int IdOff, IdLen, ClaimOff, ClaimLen, CtxOff, CtxLen, PksOff, PksLen, SrcOff, SrcLen;
        public uint IdHash, ClaimHash;
        public int Subject, Object;
        public Predicate Predicate;
        public EvidenceTier Tier;
        public Effect Effect;
        public KnowledgeLevel Level;
        public AgentType Agent;
    }

    /// <summary>One block of edges.jsonl, parsed: a record per non-blank line, with the text it keeps.</summary>
    private sealed class Chunk
    {
        public required byte[] Buffer;
        public required int Start;
        public int Lines;
        public readonly Growable<Rec> Records = new(4096);
        public readonly Growable<byte> Text = new(1 << 20);
        public readonly Growable<int> Sources = new(8192);

        /// <summary>A line longer than <see cref="SeedLoader.MaxLineBytes"/> that was skipped unread. Its line end starts the
        /// next block, whose first (empty) line it ends, so this chunk counts no line of its own.</summary>
        public static Chunk TooLong()
        {
            var chunk = new Chunk { Buffer = [], Start = 0 };
            chunk.Records.Add(new Rec { Line = 1, TooLong = true });
            return chunk;
        }

        public static Chunk Parse(byte[] buffer, int start, int length, ColumnBuilder builder)
        {
            var chunk = new Chunk { Buffer = buffer, Start = start };
            var span = buffer.AsSpan(start, length);
            var scratch = new byte[1024];
            var pos = 0;
            while (pos < span.Length)
            {
                // Lines end at \n, \r\n or \r, as File.ReadLines splits them.
                var rest = span[pos..];
                var end = rest.IndexOfAny((byte)'\r', (byte)'\n');
                var lineLength = end < 0 ? rest.Length : end;
                var next = end < 0 ? rest.Length : rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? end + 2 : end + 1;
                chunk.Lines++;
                var line = rest[..lineLength];
                var trimmed = Utf8Text.Trim(line);
                if (lineLength > SeedLoader.MaxLineBytes)
                {
                    chunk.Records.Add(new Rec { Line = chunk.Lines, TooLong = true });
                }
                else if (trimmed.Length > 0 && !trimmed.StartsWith("//"u8))
                {
                    var r = new Rec { Line = chunk.Lines, LineStart = pos, LineLength = lineLength };
                    if (scratch.Length < trimmed.Length) scratch = new byte[trimmed.Length * 2];
                    var textMark = chunk.Text.Count;
                    var sourceMark = chunk.Sources.Count;
                    r.Fast = System.Text.Unicode.Utf8.IsValid(trimmed) && chunk.TryFast(trimmed, ref r, builder, scratch);
                    if (!r.Fast)
                    {
                        chunk.Text.Truncate(textMark);
                        chunk.Sources.Truncate(sourceMark);
                    }
                    chunk.Records.Add(r);
                }
                pos += next;
            }
            return chunk;
        }

        private static readonly byte[][] FieldNames = [.. new[]
        {
            "id", "subject", "predicate", "object", "evidence_tier", "effect", "knowledge_level", "agent_type",
            "claim", "context", "publications", "primary_knowledge_source",
        }.Select(Encoding.UTF8.GetBytes)];

        private const int ContextField = 9, PublicationsField = 10;
        private const int Required = 0xFFF & ~(1 << ContextField);

        private static readonly byte[][] BiolinkNames = [.. Vocabulary.BiolinkPredicates.Select(Encoding.UTF8.GetBytes)];
        private static readonly string[] BiolinkStrings = [.. Vocabulary.BiolinkPredicates];

        private static int Match(ReadOnlySpan<byte> name, byte[][] names)
        {
            for (var i = 0; i < names.Length; i++)
                if (name.SequenceEqual(names[i])) return i;
            return -1;
        }

        private static class Names<T> where T : struct, Enum
        {
            public static readonly T[] Values = Enum.GetValues<T>();
            public static readonly byte[][] Bytes = [.. Values.Select(v => Encoding.UTF8.GetBytes(Vocabulary.Snake(v)))];
        }

        private static bool TryEnum<T>(ReadOnlySpan<byte> s, out T value) where T : struct, Enum
        {
            var i = Match(s, Names<T>.Bytes);
            value = i < 0 ? default : Names<T>.Values[i];
            return i >= 0;
        }

        private int Keep(ReadOnlySpan<byte> value)
        {
            var at = Text.Count;
            Text.AddRange(value);
            return at;
        }

        /// <summary>Accepts a line only when it is a valid edge that needs nothing unusual; false sends it to the full validation.</summary>
        private bool TryFast(ReadOnlySpan<byte> line, ref Rec r, ColumnBuilder builder, byte[] scratch)
        {
            try
            {
                var reader = new Utf8JsonReader(line);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
                var seen = 0;
                var biolink = -1;
                r.CtxLen = -1;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueIsEscaped) return false;
                    var field = Match(reader.ValueSpan, FieldNames);
                    if (field < 0 || (seen & (1 << field)) != 0) return false;
                    seen |= 1 << field;
                    reader.Read();
                    if (field == PublicationsField)
                    {
                        if (reader.TokenType != JsonTokenType.StartArray) return false;
                        r.SrcOff = Sources.Count;
                        while (reader.Read() && reader.TokenType == JsonTokenType.String)
                        {
                            var source = builder.FindSource(Value(ref reader, scratch));
                            if (source < 0 || Sources.Span[r.SrcOff..].Contains(source)) return false;
                            Sources.Add(source);
                        }
                        if (reader.TokenType != JsonTokenType.EndArray) return false;
                        r.SrcLen = Sources.Count - r.SrcOff;
                        if (r.SrcLen == 0) return false;
                        continue;
                    }
                    if (reader.TokenType == JsonTokenType.Null && field == ContextField) continue;
                    if (reader.TokenType != JsonTokenType.String) return false;
                    var v = Value(ref reader, scratch);
                    if (v.IsEmpty) return false;
                    switch (field)
                    {
                        case 0: r.IdHash = Utf8Text.Hash(v); r.IdLen = v.Length; r.IdOff = Keep(v); break;
                        case 1: if ((r.Subject = builder.FindNode(v)) < 0) return false; break;
                        case 2: if ((biolink = Match(v, BiolinkNames)) < 0) return false; break;
                        case 3: if ((r.Object = builder.FindNode(v)) < 0) return false; break;
                        case 4: if (!TryEnum(v, out r.Tier)) return false; break;
                        case 5: if (!TryEnum(v, out r.Effect)) return false; break;
                        case 6: if (!TryEnum(v, out r.Level)) return false; break;
                        case 7: if (!TryEnum(v, out r.Agent)) return false; break;
                        case 8: r.ClaimHash = Utf8Text.Hash(v); r.ClaimLen = v.Length; r.ClaimOff = Keep(v); break;
                        case ContextField: r.CtxLen = v.Length; r.CtxOff = Keep(v); break;
                        default:
                            if (!v.StartsWith("infores:"u8)) return false;
                            r.PksLen = v.Length;
                            r.PksOff = Keep(v);
                            break;
                    }
                }
                if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return false;
                if ((seen & Required) != Required || r.Subject == r.Object) return false;
                var predicate = Vocabulary.FromBiolink(BiolinkStrings[biolink], builder.CategoryOf(r.Subject), builder.CategoryOf(r.Object));
                if (predicate is null) return false;
                r.Predicate = predicate.Value;
                return true;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return false;
            }
        }

        /// <summary>The current string token, unescaped and trimmed as <see cref="string.Trim()"/> would.</summary>
        private static ReadOnlySpan<byte> Value(ref Utf8JsonReader reader, byte[] scratch) =>
            Utf8Text.Trim(reader.ValueIsEscaped ? scratch.AsSpan(0, reader.CopyString(scratch)) : reader.ValueSpan);
    }
}
