using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using SpineGraph.Core.Search;

namespace SpineGraph.Core.Seed;

/// <summary>One problem found in the seed, located by file and line.</summary>
public sealed record SeedError(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>A validated seed, ready to be built into a graph or written to a database.</summary>
public sealed record SeedData(
    IReadOnlyList<Node> Nodes,
    IReadOnlyList<Edge> Edges,
    IReadOnlyList<Source> Sources,
    string Version);

/// <summary>Thrown when the seed is invalid; carries every problem found.</summary>
public sealed class SeedValidationException(IReadOnlyList<SeedError> errors)
    : Exception($"The graph seed is invalid ({errors.Count} problem(s)):{Environment.NewLine}" +
                string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<SeedError> Errors { get; } = errors;
}

/// <summary>
/// Reads <c>graph-seed/</c> (see its README): nodes.jsonl, edges.jsonl and sources.jsonl.
/// Validates everything and reports every problem, never a partial graph.
/// </summary>
public static class SeedLoader
{
    public const string NodesFile = "nodes.jsonl";
    public const string EdgesFile = "edges.jsonl";
    public const string SourcesFile = "sources.jsonl";

    private static readonly HashSet<string> NodeFields =
        ["id", "category", "name", "description", "synonym", "lay_terms", "xref", "treatment_kind", "urgency", "urgency_reason"];

    private static readonly HashSet<string> EdgeFields =
    [
        "id", "subject", "predicate", "object", "evidence_tier", "effect", "knowledge_level", "agent_type",
        "claim", "context", "publications", "primary_knowledge_source",
    ];

    private static readonly HashSet<string> SourceFields = ["id", "kind", "citation", "year", "xref", "file", "note"];

    /// <summary>Loads and validates; throws <see cref="SeedValidationException"/> listing every problem.</summary>
    public static SeedData Load(string directory)
    {
        var (data, errors) = TryLoad(directory);
        if (errors.Count > 0) throw new SeedValidationException(errors);
        return data!;
    }

    /// <summary>Loads and validates; returns the data only when there are no errors.</summary>
    public static (SeedData? Data, IReadOnlyList<SeedError> Errors) TryLoad(string directory)
    {
        var errors = CheckFiles(directory);
        if (errors.Count > 0) return (null, errors);

        // Lines are streamed (ReadLines), never whole files in memory, and no line longer than MaxLineBytes.
        var sources = ReadSources(ReadLines(directory, SourcesFile, errors), errors);
        var (nodes, nodeLines) = ReadNodes(ReadLines(directory, NodesFile, errors), errors);
        var edges = ReadEdges(ReadLines(directory, EdgesFile, errors), nodes, sources, errors);
        CheckTerms(nodes, nodeLines, errors);

        if (errors.Count > 0) return (null, errors);
        var version = ComputeVersion(directory);
        return (new SeedData(nodes.Values.ToArray(), edges, sources.Values.ToArray(), version), errors);
    }

    /// <summary>One error when the folder is missing, else a "file not found" error for each of the three files that is.</summary>
    internal static List<SeedError> CheckFiles(string directory)
    {
        var errors = new List<SeedError>();
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            errors.Add(new SeedError(full, 0, File.Exists(full) ? "is a file, not a seed folder" : "no such seed folder"));
            return errors;
        }
        foreach (var f in new[] { SourcesFile, NodesFile, EdgesFile })
            if (!File.Exists(Path.Combine(directory, f)))
                errors.Add(new SeedError(f, 0, $"file not found in '{Path.GetFullPath(directory)}'"));
        return errors;
    }

    /// <summary>"sha256:" and the first 16 hex digits of the hash of the three files.</summary>
    public static string ComputeVersion(string directory)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in new[] { NodesFile, EdgesFile, SourcesFile })
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(f + "\n"));
            using var stream = new FileStream(Path.Combine(directory, f), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, read);
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    /// <summary>The longest line a seed file may hold, in bytes, without its line end: 1 MiB (the longest curated line is
    /// under 2 KB). A longer line is reported (<see cref="LineTooLong"/>) and skipped as it is read, never held in memory.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>The problem reported for a line longer than <see cref="MaxLineBytes"/>.</summary>
    public static readonly string LineTooLong = $"line longer than {MaxLineBytes} bytes (1 MiB), the limit of a seed line; it was not read";

    /// <summary>The line as text, or null when it is not valid UTF-8: then <c>file:line</c> is reported, naming the first
    /// byte (from 1) that is not.</summary>
    internal static string? Decode(ReadOnlySpan<byte> line, string file, int number, List<SeedError> errors)
    {
        if (System.Text.Unicode.Utf8.IsValid(line)) return System.Text.Encoding.UTF8.GetString(line);
        var chars = System.Buffers.ArrayPool<char>.Shared.Rent(line.Length);
        System.Text.Unicode.Utf8.ToUtf16(line, chars, out var read, out _, replaceInvalidSequences: false);
        System.Buffers.ArrayPool<char>.Shared.Return(chars);
        errors.Add(new SeedError(file, number, $"invalid UTF-8 at byte {read + 1} of the line"));
        return null;
    }

    /// <summary>
    /// The lines of a seed file, split as <see cref="File.ReadLines(string)"/> splits them (<c>\n</c>, <c>\r\n</c>, <c>\r</c>; a
    /// UTF-8 byte order mark dropped), decoded strictly: a line longer than <see cref="MaxLineBytes"/> or not valid UTF-8
    /// is reported as <c>file:line</c> and comes as an empty line, so the numbering goes on. Memory is bounded by the limit.
    /// </summary>
    internal static IEnumerable<string> ReadLines(string directory, string file, List<SeedError> errors)
    {
        using var stream = new FileStream(Path.Combine(directory, file), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[64 * 1024];
        var line = new System.Buffers.ArrayBufferWriter<byte>(256);
        bool tooLong = false, open = false, afterCr = false, first = true;
        var number = 0;
        int read;
        while ((read = stream.ReadAtLeast(buffer, first ? 3 : 1, throwOnEndOfStream: false)) > 0)
        {
            var pos = first && buffer.AsSpan(0, read).StartsWith("\uFEFF"u8) ? 3 : 0;
            first = false;
            while (pos < read)
            {
                if (afterCr)
                {
                    afterCr = false;
                    if (buffer[pos] == (byte)'\n') { pos++; continue; }
                }
                var end = buffer.AsSpan(pos, read - pos).IndexOfAny((byte)'\r', (byte)'\n');
                var length = end < 0 ? read - pos : end;
                if (tooLong || line.WrittenCount + length > MaxLineBytes) tooLong = true;
                else System.Buffers.BuffersExtensions.Write(line, buffer.AsSpan(pos, length));
                open = true;
                if (end < 0) break;
                afterCr = buffer[pos + end] == (byte)'\r';
                pos += end + 1;
                yield return Finish();
            }
        }
        if (open) yield return Finish();

        string Finish()
        {
            number++;
            var text = "";
            if (tooLong) errors.Add(new SeedError(file, number, LineTooLong));
            else text = Decode(line.WrittenSpan, file, number, errors) ?? "";
            line.ResetWrittenCount();
            tooLong = open = false;
            return text;
        }
    }

    private static IEnumerable<(int Line, JsonElement Obj)> Records(string file, IEnumerable<string> lines, List<SeedError> errors)
    {
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (Record(file, number, line, errors) is { } obj) yield return (number, obj);
        }
    }

    /// <summary>One line as a JSON object, or null when it is blank, a comment or not an object (then reported).</summary>
    internal static JsonElement? Record(string file, int line, string text, List<SeedError> errors)
    {
        text = text.Trim();
        if (text.Length == 0 || text.StartsWith("//", StringComparison.Ordinal)) return null;
        JsonElement obj;
        try
        {
            using var doc = JsonDocument.Parse(text);
            obj = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            errors.Add(new SeedError(file, line, $"bad JSON: {ex.Message}"));
            return null;
        }
        if (obj.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new SeedError(file, line, "a line must hold one JSON object"));
            return null;
        }
        return obj;
    }

    private sealed class Reader(string file, int line, JsonElement obj, List<SeedError> errors, HashSet<string> known)
    {
        public bool Ok { get; private set; } = true;

        public void Fail(string message)
        {
            errors.Add(new SeedError(file, line, message));
            Ok = false;
        }

        public void CheckUnknownFields()
        {
            foreach (var p in obj.EnumerateObject())
                if (!known.Contains(p.Name)) Fail($"unknown field '{p.Name}'");
        }

        public string? Str(string name, bool required)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                if (required) Fail($"missing required field '{name}'");
                return null;
            }
            if (v.ValueKind != JsonValueKind.String) { Fail($"'{name}' must be a string"); return null; }
            var s = v.GetString()!.Trim();
            if (s.Length == 0) { Fail($"'{name}' must not be empty"); return null; }
            return s;
        }

        public ImmutableArray<string> List(string name, bool required = false)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                if (required) Fail($"missing required field '{name}'");
                return [];
            }
            if (v.ValueKind != JsonValueKind.Array) { Fail($"'{name}' must be a list of strings"); return []; }
            var b = ImmutableArray.CreateBuilder<string>();
            foreach (var item in v.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                {
                    Fail($"'{name}' must be a list of non-empty strings");
                    return [];
                }
                b.Add(item.GetString()!.Trim());
            }
            if (required && b.Count == 0) Fail($"'{name}' must not be empty");
            return b.ToImmutable();
        }

        public int? Int(string name)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i)) { Fail($"'{name}' must be an integer"); return null; }
            return i;
        }

        public T? Enum<T>(string name, bool required) where T : struct, System.Enum
        {
            var s = Str(name, required);
            if (s is null) return null;
            if (Vocabulary.TryParse<T>(s, out var v) && Vocabulary.Snake(v) == s) return v;
            Fail($"'{name}' is '{s}'; allowed: {string.Join(", ", Vocabulary.Names<T>())}");
            return null;
        }
    }

    internal static Dictionary<string, Source> ReadSources(IEnumerable<string> lines, List<SeedError> errors)
    {
        var result = new Dictionary<string, Source>(StringComparer.Ordinal);
        foreach (var (line, obj) in Records(SourcesFile, lines, errors))
        {
            var r = new Reader(SourcesFile, line, obj, errors, SourceFields);
            r.CheckUnknownFields();
            var id = r.Str("id", true);
            var kind = r.Enum<SourceKind>("kind", true);
            var citation = r.Str("citation", true);
            var year = r.Int("year");
            var file = r.Str("file", false);
            if (kind == SourceKind.SourceDocument && file is null) r.Fail("a source_document needs 'file'");
            if (kind is not null and not SourceKind.SourceDocument && year is null) r.Fail("a publication needs 'year'");
            if (year is < 1900 or > 2100) r.Fail($"'year' {year} is out of range");
            if (id is not null && !id.Contains(':')) r.Fail($"source id '{id}' must be a CURIE (prefix:local)");
            if (id is not null && result.ContainsKey(id)) r.Fail($"duplicate source id '{id}'");
            if (!r.Ok) continue;
            result[id!] = new Source(id!, kind!.Value, citation!, year, r.List("xref"), file, r.Str("note", false));
        }
        return result;
    }

    internal static (Dictionary<string, Node> Nodes, Dictionary<string, int> Lines) ReadNodes(IEnumerable<string> lines, List<SeedError> errors)
    {
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        var nodeLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (line, obj) in Records(NodesFile, lines, errors))
        {
            var r = new Reader(NodesFile, line, obj, errors, NodeFields);
            r.CheckUnknownFields();
            var id = r.Str("id", true);
            if (id is not null && !System.Text.RegularExpressions.Regex.IsMatch(id, "^sg:[a-z0-9]+(-[a-z0-9]+)*$"))
                r.Fail($"node id '{id}' must look like 'sg:kebab-case-name'");
            if (id is not null && nodes.ContainsKey(id)) r.Fail($"duplicate node id '{id}'");

            NodeCategory? category = null;
            var cats = r.List("category", required: true);
            var known = cats.Select(Vocabulary.CategoryFromBiolink).Where(c => c is not null).Distinct().ToList();
            if (cats.Length > 0 && known.Count != 1)
                r.Fail($"'category' must hold exactly one of {string.Join(", ", Vocabulary.Categories.Select(Vocabulary.Biolink))}; found [{string.Join(", ", cats)}]");
            else if (known.Count == 1) category = known[0];

            var name = r.Str("name", true);
            if (name is not null)
            {
                var key = TextNormalizer.Key(name);
                if (names.TryGetValue(key, out var other)) r.Fail($"name '{name}' is already the name of '{other}'");
                else if (id is not null) names[key] = id;
            }
            var description = r.Str("description", true);
            var kind = r.Enum<TreatmentKind>("treatment_kind", false);
            var urgency = r.Enum<Urgency>("urgency", false);
            var reason = r.Str("urgency_reason", false);
            if (category == NodeCategory.Treatment && kind is null && obj.TryGetProperty("treatment_kind", out _) is false)
                r.Fail("a treatment needs 'treatment_kind'");
            if (category is not null and not NodeCategory.Treatment && kind is not null)
                r.Fail("'treatment_kind' is only for treatments");
            if (urgency is not null && category is not null and not NodeCategory.Symptom)
                r.Fail("'urgency' is only for symptoms");
            if (urgency == Urgency.None) r.Fail("leave 'urgency' out rather than 'none'");
            if (urgency is not null and not Urgency.None && reason is null) r.Fail("'urgency' needs 'urgency_reason'");
            if (urgency is null && reason is not null) r.Fail("'urgency_reason' without 'urgency'");
            var xrefs = r.List("xref");
            foreach (var x in xrefs)
                if (!System.Text.RegularExpressions.Regex.IsMatch(x, "^[A-Za-z][A-Za-z0-9_.]*:[^\\s]+$")) r.Fail($"xref '{x}' is not a CURIE");
            var synonyms = r.List("synonym");
            var lay = r.List("lay_terms");
            if (!r.Ok) continue;
            nodes[id!] = new Node(id!, category!.Value, name!, description!, synonyms, lay, xrefs, kind, urgency ?? Urgency.None, reason);
            nodeLines[id!] = line;
        }
        return (nodes, nodeLines);
    }

    private static List<Edge> ReadEdges(IEnumerable<string> lines, Dictionary<string, Node> nodes, Dictionary<string, Source> sources, List<SeedError> errors)
    {
        var edges = new List<Edge>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, obj) in Records(EdgesFile, lines, errors))
            if (ReadEdge(line, obj, errors, nodes, sources, ids.Add) is { } edge) edges.Add(edge);
        return edges;
    }

    /// <summary>
    /// Validates one edge line; <paramref name="addId"/> registers the id and says false when it was already taken.
    /// The streaming loader runs every line it does not accept outright through here, so both report the same.
    /// </summary>
    internal static Edge? ReadEdge(int line, JsonElement obj, List<SeedError> errors, IReadOnlyDictionary<string, Node> nodes,
        IReadOnlyDictionary<string, Source> sources, Func<string, bool> addId)
    {
        var r = new Reader(EdgesFile, line, obj, errors, EdgeFields);
        r.CheckUnknownFields();
        var id = r.Str("id", true);
        if (id is not null && !addId(id)) r.Fail($"duplicate edge id '{id}'");
        var subject = r.Str("subject", true);
        var obj2 = r.Str("object", true);
        var biolink = r.Str("predicate", true);
        Node? s = null, o = null;
        if (subject is not null && !nodes.TryGetValue(subject, out s)) r.Fail($"subject '{subject}' is not a node (dangling edge)");
        if (obj2 is not null && !nodes.TryGetValue(obj2, out o)) r.Fail($"object '{obj2}' is not a node (dangling edge)");
        if (subject is not null && subject == obj2) r.Fail("an edge may not join a node to itself");
        Predicate? predicate = null;
        if (biolink is not null && !Vocabulary.BiolinkPredicates.Contains(biolink))
            r.Fail($"unknown predicate '{biolink}'; allowed: {string.Join(", ", Vocabulary.BiolinkPredicates.Order())}");
        else if (biolink is not null && s is not null && o is not null)
        {
            predicate = Vocabulary.FromBiolink(biolink, s.Category, o.Category);
            if (predicate is null)
                r.Fail($"predicate '{biolink}' cannot join a {Vocabulary.Snake(s.Category)} to a {Vocabulary.Snake(o.Category)}");
        }
        var tier = r.Enum<EvidenceTier>("evidence_tier", true);
        var effect = r.Enum<Effect>("effect", true);
        var kl = r.Enum<KnowledgeLevel>("knowledge_level", true);
        var at = r.Enum<AgentType>("agent_type", true);
        var claim = r.Str("claim", true);
        var context = r.Str("context", false);
        var pks = r.Str("primary_knowledge_source", true);
        if (pks is not null && !pks.StartsWith("infores:", StringComparison.Ordinal)) r.Fail("'primary_knowledge_source' must be an infores: CURIE");
        var pubs = r.List("publications", required: true);
        var resolved = ImmutableArray.CreateBuilder<Source>();
        foreach (var p in pubs)
        {
            if (sources.TryGetValue(p, out var src)) resolved.Add(src);
            else r.Fail($"publication '{p}' is not in {SourcesFile} (missing source)");
        }
        if (pubs.Length != pubs.Distinct().Count()) r.Fail("'publications' lists a source twice");
        if (!r.Ok || predicate is null) return null;
        return new Edge(id!, subject!, predicate.Value, obj2!, tier!.Value, effect!.Value, kl!.Value, at!.Value,
            claim!, context, resolved.ToImmutable(), pks!);
    }

    /// <summary>No synonym or lay term may be shared by two nodes, or equal another node's name.</summary>
    internal static void CheckTerms(Dictionary<string, Node> nodes, Dictionary<string, int> lines, List<SeedError> errors)
    {
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in nodes.Values) owner.TryAdd(TextNormalizer.Key(n.Name), n.Id);
        foreach (var n in nodes.Values)
        {
            foreach (var term in n.Synonyms.Concat(n.LayTerms))
            {
                var key = TextNormalizer.Key(term);
                if (key.Length == 0)
                {
                    errors.Add(new SeedError(NodesFile, lines[n.Id], $"term '{term}' has no letters or digits"));
                    continue;
                }
                if (owner.TryGetValue(key, out var other) && other != n.Id)
                    errors.Add(new SeedError(NodesFile, lines[n.Id], $"term '{term}' of '{n.Id}' is already a name or term of '{other}'"));
                else owner[key] = n.Id;
            }
        }
    }
}
