using System.Text;
using System.Text.Json.Nodes;
using SpineGraph.Tests.Api;

namespace SpineGraph.Tests.Hostile;

/// <summary>One hostile request: the bytes to send, what it attacks (a parameter name, "path", "body", "headers", …) and,
/// where the answer is certain, the status it must get.</summary>
public sealed record HostileCase(string Name, string Attacks, byte[] Request, int? Expect = null, bool Head = false)
{
    public override string ToString() => Name;
}

/// <summary>
/// The hostile-input corpus, as data: every operation of the committed OpenAPI document (openapi/v1.json), each of its
/// path and query parameters given every value of <see cref="Values"/> (the other parameters kept valid), repeated and
/// unknown parameters, other methods, path tricks, header abuse, and bodies for the two POST operations.
/// </summary>
public static class HostileCorpus
{
    private const int OneMegabyte = 1024 * 1024;

    /// <summary>A value as it appears in the URL: <c>Raw</c> values are sent as written (percent tricks), others are
    /// percent-encoded as UTF-8 first.</summary>
    public sealed record Value(string Label, string Text, bool Raw = false)
    {
        public string Encoded => Raw ? Text : Uri.EscapeDataString(Text);

        /// <summary>Kestrel refuses a NUL decoded in the path itself (KestrelRejectionTests); in the query it reaches the API.</summary>
        public bool ReachesTheApplicationInAPath => !Encoded.Contains("%00", StringComparison.Ordinal);
    }

    /// <summary>Hostile strings for ids, names, categories, predicates and search text (the injection tests send these to
    /// the Neo4j backend).</summary>
    public static readonly IReadOnlyList<string> Strings =
    [
        "sg:x' OR 1=1 //",
        "sg:sciatica'}) MATCH (n) DETACH DELETE n //",
        "\"}) RETURN n UNION MATCH (m) RETURN m //",
        "x`) CALL dbms.security.listUsers() //",
        "Node:Condition)-[:CAUSES]->(x",
        "$id",
        "{id}",
        "' OR '1'='1",
        "1; DROP TABLE nodes; --",
        "1 UNION SELECT username, password FROM users",
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "<script>alert(1)</script>",
        "${jndi:ldap://example.invalid/x}",
        "%s%s%s%n",
        "\u202Egnp.exe",
        "sg:\u200Bsciatica",
        "\uFEFFmuscle spasm",
        "脊椎管狭窄症",
        "💥🦴",
        "e\u0301\u0301\u0301",
        "muscle\u2028spasm",
        "sg:sciatica\u0000",
        "a\nb",
        "\r\nX-Injected: 1",
        "\u007f",
        new string('x', 201),
    ];

    /// <summary>Values every parameter gets.</summary>
    public static readonly IReadOnlyList<Value> Values =
    [
        new("empty", ""),
        new("spaces", "   "),
        new("huge 1 MB", new string('9', OneMegabyte)),
        new("negative", "-1"),
        new("big negative", "-9223372036854775809"),
        new("int overflow", "2147483648"),
        new("long overflow", "99999999999999999999999999999"),
        new("NaN", "NaN"),
        new("infinity", "-Infinity"),
        new("exponent", "1e308"),
        new("fraction", "1.5"),
        new("hex", "0x10"),
        new("fullwidth digits", "５０"),
        new("%00", "%00", Raw: true),
        new("%00 inside", "sg%00sciatica", Raw: true),
        new("control characters", "a\u0001b\u001fc"),
        new("CRLF injection", "x\r\nSet-Cookie: a=1"),
        new("DEL", "\u007f"),
        new("RTL override", "\u202Esisaitcs:gs"),
        new("zero-width", "sg:\u200Bsciatica\u200D"),
        new("BOM and line separator", "\uFEFFmuscle\u2028spasm"),
        new("lone surrogate", "%ED%A0%80", Raw: true),
        new("overlong UTF-8", "%C0%AE%C0%AE%C0%AF", Raw: true),
        new("invalid UTF-8", "%FF%FE%C3%28", Raw: true),
        new("encoded traversal", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", Raw: true),
        new("double-encoded traversal", "%252e%252e%252fetc%252fpasswd", Raw: true),
        new("plain traversal", "../../../etc/passwd"),
        new("bad percent", "%zz%u0041%", Raw: true),
        new("cypher injection", "sg:x'}) MATCH (n) DETACH DELETE n //"),
        new("cypher parameter", "$id"),
        new("sql injection", "' OR '1'='1' --"),
        new("format string", "%s%s%n{0}${x}"),
        new("script", "<script>alert(1)</script>"),
        new("unicode", "脊椎💥"),
        new("201 characters", new string('a', 201)),
        new("8 KB", new string('a', 8 * 1024)),
        new("list of 21", string.Join(',', Enumerable.Repeat("sg:sciatica", 21))),
        new("list of 1000", string.Join(',', Enumerable.Repeat("sg:sciatica", 1000))),
        new("empty list items", ",,,"),
        new("JSON", "{\"$ne\":null}"),
        new("null", "null"),
    ];

    public const string ValidQuery = """
        {"message": {"query_graph": {
          "nodes": {"s": {"ids": ["sg:muscle-spasm"]}, "t": {"categories": ["biolink:Treatment"]}},
          "edges": {"e": {"subject": "t", "object": "s", "predicates": ["relieves"]}}}}}
        """;

    public const string ValidCypher = """{"statement": "MATCH (n:Node {id: $id}) RETURN n.name AS name", "parameters": {"id": "sg:sciatica"}}""";

    /// <summary>An operation of the document: method, path template, parameters (name, in), and the document's examples
    /// (every path and required parameter has one), the valid base each case varies one parameter of.</summary>
    public sealed record Operation(string Method, string Template, IReadOnlyList<(string Name, string In)> Parameters, IReadOnlyDictionary<string, string> Examples);

    public static IReadOnlyList<Operation> Operations()
    {
        var doc = JsonNode.Parse(File.ReadAllText(OpenApiDocumentTests.CommittedPath))!;
        var list = new List<Operation>();
        foreach (var (path, ops) in doc["paths"]!.AsObject())
            foreach (var (method, op) in ops!.AsObject())
            {
                var parameters = op!["parameters"]?.AsArray().Select(p => p!).ToArray() ?? [];
                list.Add(new Operation(method.ToUpperInvariant(), path,
                    parameters.Select(p => ((string)p["name"]!, (string)p["in"]!)).ToArray(),
                    parameters.Where(p => p["example"] is not null).ToDictionary(p => (string)p["name"]!, p => p["example"] is JsonArray a
                        ? string.Join(',', a.Select(x => (string)x!)) : (string)p["example"]!)));
            }
        return list;
    }

    /// <summary>The whole corpus for an API whose raw Cypher endpoint is off (404) or on.</summary>
    public static IReadOnlyList<HostileCase> All()
    {
        var cases = new List<HostileCase>();
        foreach (var op in Operations())
        {
            Dictionary<string, string> Valid() => op.Examples.ToDictionary(b => b.Key, b => Uri.EscapeDataString(b.Value));
            foreach (var (name, location) in op.Parameters)
            {
                foreach (var v in Values.Where(v => location == "query" || v.ReachesTheApplicationInAPath))
                {
                    var values = Valid();
                    values[name] = v.Encoded;
                    cases.Add(Case(op, $"{op.Method} {op.Template} {name}={v.Label}", name, Target(op, values),
                        expect: v.Label == "huge 1 MB" ? 414 : null));
                }
                if (location == "query")
                {
                    var repeated = Valid();
                    var first = repeated.GetValueOrDefault(name, "1");
                    repeated[name] = first + "&" + name + "=" + first;
                    cases.Add(Case(op, $"{op.Method} {op.Template} {name} repeated", name, Target(op, repeated)));
                    repeated[name] = first + "&" + name + "=%00&" + name + "=" + Uri.EscapeDataString("' OR 1=1");
                    cases.Add(Case(op, $"{op.Method} {op.Template} {name} repeated with hostile values", name, Target(op, repeated)));
                    repeated[name] = first;
                    cases.Add(Case(op, $"{op.Method} {op.Template} {name} upper-cased", name,
                        Target(op, repeated).Replace(name + "=", name.ToUpperInvariant() + "=", StringComparison.Ordinal)));
                }
            }
            var valid = Valid();
            foreach (var unknown in new[] { "__proto__", "constructor%5Bprototype%5D", "q%5B%5D", "%00", "limit%00", "%E2%80%AEtimil", "a".PadRight(300, 'a') })
                cases.Add(Case(op, $"{op.Method} {op.Template} unknown parameter {unknown[..Math.Min(unknown.Length, 20)]}", "parameter",
                    Target(op, valid) + (valid.Keys.Any(k => !op.Template.Contains('{' + k + '}', StringComparison.Ordinal)) ? "&" : "?") + unknown + "=1"));
            foreach (var method in new[] { "PUT", "DELETE", "PATCH", "TRACE", "FOO", op.Method == "GET" ? "POST" : "GET" })
                cases.Add(Case(op, $"{method} {op.Template}", "method", Target(op, valid), method: method));
            cases.Add(Case(op, $"OPTIONS {op.Template} preflight from an unknown origin", "headers", Target(op, valid), method: "OPTIONS",
                headers: [("Origin", "http://evil.example"), ("Access-Control-Request-Method", "DELETE"), ("Access-Control-Request-Headers", "X-Evil")]));
            cases.Add(Case(op, $"HEAD {op.Template}", "method", Target(op, valid), method: "HEAD"));
        }
        cases.AddRange(PathTricks());
        cases.AddRange(HeaderAbuse());
        cases.AddRange(Bodies("/api/v1/query", QueryBodies()));
        cases.AddRange(Bodies("/api/v1/cypher", CypherBodies()));
        return cases;
    }

    /// <summary>The part of the corpus for <c>POST /api/v1/cypher</c>.</summary>
    public static IReadOnlyList<HostileCase> Cypher() => All().Where(c => c.Name.Contains("/api/v1/cypher", StringComparison.Ordinal)).ToArray();

    private static string Target(Operation op, Dictionary<string, string> values)
    {
        var path = op.Template;
        var query = new List<string>();
        foreach (var (name, value) in values)
        {
            if (path.Contains('{' + name + '}', StringComparison.Ordinal)) path = path.Replace('{' + name + '}', value, StringComparison.Ordinal);
            else query.Add(name + "=" + value);
        }
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    private static HostileCase Case(Operation op, string name, string attacks, string target, string? method = null,
        (string, string)[]? headers = null, int? expect = null)
    {
        method ??= op.Method;
        var h = new List<(string, string)>(headers ?? []);
        byte[]? body = null;
        if (method == "POST" && op.Method == "POST")
        {
            h.Add(("Content-Type", "application/json"));
            h.Add(("X-Api-Key", Api.Cypher.Key));
            body = Encoding.UTF8.GetBytes(op.Template.EndsWith("cypher", StringComparison.Ordinal) ? ValidCypher : ValidQuery);
        }
        return new HostileCase(name, attacks, RawHttp.Request(method, target, h, body), expect, Head: method == "HEAD");
    }

    private static HostileCase Get(string name, string target, string attacks = "path", (string, string)[]? headers = null, int? expect = null, byte[]? body = null) =>
        new(name, attacks, RawHttp.Request("GET", target, headers, body), expect);

    private static IEnumerable<HostileCase> PathTricks()
    {
        string[] targets =
        [
            "/api/v1/nodes/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/api/v1/nodes/..%2f..%2f..%2fetc%2fpasswd",
            "/api/v1/nodes/%252e%252e%252fetc%252fpasswd",
            "/api/v1/nodes/%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
            "/api/v1/nodes/%ef%bc%8f..%ef%bc%8fetc",
            "/api/v1/nodes/..%5c..%5cwindows%5cwin.ini",
            "/api/v1/../../../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/api/v1/nodes/./././sg:sciatica",
            "/api/v1/nodes/sg:sciatica/../../meta",
            "/api/v1//nodes//sg:sciatica",
            "//api/v1/meta",
            "/API/V1/NODES/SG:SCIATICA",
            "/api/v1/nodes/sg:sciatica/",
            "/api/v1/nodes/sg:sciatica;jsessionid=1",
            "/api/v1/nodes/sg%3Asciatica",
            "/api/v1/nodes/sg:sciatica%3F.json",
            "/api/v1/nodes/%01",
            "/api/v1/nodes/%1f",
            "/api/v1/nodes/%7f",
            "/api/v1/nodes/%0d%0aSet-Cookie:%20a=1",
            "/api/v1/nodes/%09",
            "/api/v1/nodes/%ff",
            "/api/v1/nodes/%c3%28",
            "/api/v1/nodes/%ed%a0%80",
            "/api/v1/nodes/%f4%90%80%80",
            "/api/v1/nodes/%u002e%u002e",
            "/api/v1/nodes/%",
            "/api/v1/nodes/%%32%65",
            "/api/v1/nodes/%E2%80%AEsg:sciatica",
            "/api/v1/nodes/sg:%E2%80%8Bsciatica",
            "/api/v1/nodes/%F0%9F%92%A5",
            "/api/v1/nodes/" + new string('a', 9000),
            "/api/v1/nodes/" + string.Concat(Enumerable.Repeat("%e2%80%8b", 2000)),
            "/api/v1/" + string.Concat(Enumerable.Repeat("a/", 3000)),
            "/api/v1/nodes/sg:sciatica?" + new string('&', 5000),
            "/api/v1/search?q=spasm&&&&&=&=x&",
            "/api/v1/search?q",
            "/api/v1/search?=spasm",
            "/api/v1/search?q=spasm#fragment",
            "/api/v1/search?q=%",
            "/api/v1/search?q=%%%",
            "/api/v1/search?q=a+b+c",
            "/api/v1/search?q=" + string.Concat(Enumerable.Repeat("%F0%9F%92%A5", 50)),
            "/api/v1/nodes/sg:sciatica/edges/extra",
            "/api/v2/meta",
            "/api/v1",
            "/api/v1/",
            "/.env",
            "/web.config",
            "/swagger/../openapi/v1.json",
            "/openapi/v1.json?x=%00",
            "/openapi/../../appsettings.json",
            "/health/live?%00=%00",
            "/health/ready/../live",
            "/favicon.ico",
            "/api/v1/nodes/sg:sciatica%20OR%201=1",
            "/api/v1/nodes/*",
            "/api/v1/nodes/%2A",
            "/api/v1/nodes/sg:sciatica%00.json",
            "/api/v1/nodes/%00",
            "/api/v1/meta?x=%00",
        ];
        foreach (var t in targets)
        {
            // A decoded NUL in the path is refused by Kestrel before the application (README); those are in KestrelRejectionTests.
            if (t.Contains("%00", StringComparison.Ordinal) && !t.Contains('?', StringComparison.Ordinal)) continue;
            yield return Get("path " + (t.Length > 80 ? t[..80] + "…" : t), t, expect: t.Length > 8 * 1024 ? 414 : null);
        }
        // Raw control bytes (not NUL) pass Kestrel: in the query the parameter's check names it, in the path the middleware.
        yield return Get("raw control byte in the query", "/api/v1/search?q=a\u0001b\u007fc", "q", expect: 400);
        yield return Get("raw control byte in the path", "/api/v1/nodes/sg:\u0001sciatica", expect: 400);
        yield return Get("raw tab in the path", "/api/v1/nodes/sg:\tsciatica", expect: 400);
        // Control characters decoded in the path: the request-limit middleware answers 400.
        foreach (var t in new[] { "/api/v1/nodes/%01", "/api/v1/nodes/%0d%0aSet-Cookie:%20a=1", "/api/v1/nodes/%7f", "/api/v1/search/%09" })
            yield return Get("path control character " + t, t, expect: 400);
    }

    private static IEnumerable<HostileCase> HeaderAbuse()
    {
        const string target = "/api/v1/search?q=spasm";
        yield return Get("header of 40 KB", target, "headers", [("X-Pad", new string('a', 40 * 1024))], 431);
        yield return Get("header of 1 MB", target, "headers", [("X-Pad", new string('a', OneMegabyte))], 431);
        yield return Get("150 headers", target, "headers", Enumerable.Range(0, 150).Select(i => ($"X-H{i}", "1")).ToArray(), 431);
        yield return Get("cookie of 20 KB", target, "headers", [("Cookie", "a=" + new string('b', 20 * 1024))]);
        yield return Get("request line of 9 KB", target + "&" + new string('a', 9 * 1024), "requestLine", expect: 414);
        yield return Get("request line just under 8 KB", "/api/v1/search?q=" + new string('a', 8000), "q");
        yield return Get("declared 1 MB body on a GET", target, "body", [("Content-Length", OneMegabyte.ToString(System.Globalization.CultureInfo.InvariantCulture))], 413, new byte[OneMegabyte]);
        yield return Get("declared 100 GB body", target, "body", [("Content-Length", "107374182400")], 413);
        yield return Get("chunked body on a GET", target, "body", [("Transfer-Encoding", "chunked")], body: Encoding.ASCII.GetBytes("5\r\nhello\r\n0\r\n\r\n"));
        yield return Get("Expect 100-continue on a GET", target, "headers", [("Expect", "100-continue"), ("Content-Length", "0")]);
        foreach (var (name, value) in new[]
        {
            ("Accept", "application/xml"),
            ("Accept", "*/*;q=NaN, text/html;q=99999999999999999999"),
            ("Accept", new string(',', 4000)),
            ("Accept-Encoding", "gzip;q=2, br;q=-1, identity;q=0, *;q=0"),
            ("Accept-Encoding", "gzip"),
            ("Accept-Encoding", "br"),
            ("Accept-Charset", "utf-7"),
            ("Accept-Language", "'; DROP TABLE x; --"),
            ("Content-Type", "application/json; charset=\u0001"),
            ("Content-Type", "multipart/form-data; boundary="),
            ("If-None-Match", "\"" + new string('x', 8000) + "\""),
            ("If-None-Match", "*"),
            ("If-None-Match", "W/\"\", \"\", ,,,"),
            ("If-Modified-Since", "Tue, 99 Foo 99999 99:99:99 GMT"),
            ("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"),
            ("Range", "bytes=0-99999999999999999999"),
            ("Range", "bytes=-1,-1,-1,-1,-1"),
            ("Origin", "null"),
            ("Origin", "http://evil.example"),
            ("X-Forwarded-For", "'; DROP TABLE x; --, 999.999.999.999, ::::::"),
            ("X-Forwarded-Host", "evil.example"),
            ("X-Forwarded-Proto", "gopher"),
            ("X-HTTP-Method-Override", "DELETE"),
            ("Authorization", "Basic %%%%"),
            ("X-Api-Key", new string('k', 10_000)),
            ("Connection", "Upgrade"),
            ("Upgrade", "websocket"),
            ("Upgrade", "h2c"),
            ("Cache-Control", "no-cache, max-age=-1, max-stale=99999999999999999999"),
            ("Pragma", "no-cache"),
            ("User-Agent", "' OR 1=1 -- \u00e9".Normalize()),
            ("Referer", "javascript:alert(1)"),
            ("X-Request-Id", "\t"),
            ("traceparent", "00-zzzz-zzzz-01"),
            ("Content-Encoding", "gzip"),
        })
        {
            // Header values are Latin-1 bytes on the wire: a non-ASCII value is Kestrel's to refuse (KestrelRejectionTests).
            if (value.Any(c => c > 0x7e)) continue;
            yield return Get($"header {name}: {(value.Length > 40 ? value[..40] + "…" : value)}", target, "headers", [(name, value)]);
        }
    }

    private static IEnumerable<HostileCase> Bodies(string path, IEnumerable<(string Label, string? ContentType, byte[] Body, int? Expect)> bodies)
    {
        foreach (var (label, contentType, body, expect) in bodies)
        {
            var headers = new List<(string, string)> { ("X-Api-Key", Api.Cypher.Key) };
            if (contentType is not null) headers.Add(("Content-Type", contentType));
            yield return new HostileCase($"POST {path} body {label}", "body", RawHttp.Request("POST", path, headers, body), expect);
        }
        // The same large body streamed in chunks (no Content-Length): the endpoint stops reading at its limit.
        var chunked = Encoding.ASCII.GetBytes($"{OneMegabyte:x}\r\n").Concat(Encoding.UTF8.GetBytes(new string(' ', OneMegabyte))).Concat(Encoding.ASCII.GetBytes("\r\n0\r\n\r\n")).ToArray();
        yield return new HostileCase($"POST {path} body chunked 1 MB", "body",
            RawHttp.Request("POST", path, [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked"), ("X-Api-Key", Api.Cypher.Key)], chunked));
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Nest(string open, string close, int depth) => string.Concat(Enumerable.Repeat(open, depth)) + string.Concat(Enumerable.Repeat(close, depth));

    private static string QueryGraph(string nodes, string edges) => "{\"message\": {\"query_graph\": {\"nodes\": {" + nodes + "}, \"edges\": {" + edges + "}}}}";

    /// <summary>JSON and not-JSON bodies any JSON endpoint gets.</summary>
    private static IEnumerable<(string, string?, byte[], int?)> CommonBodies(string valid)
    {
        yield return ("empty", "application/json", [], null);
        yield return ("whitespace", "application/json", Utf8("  \n\t "), null);
        yield return ("null", "application/json", Utf8("null"), null);
        yield return ("array", "application/json", Utf8("[]"), null);
        yield return ("number", "application/json", Utf8("1e999999"), null);
        yield return ("string", "application/json", Utf8("\"x\""), null);
        yield return ("object", "application/json", Utf8("{}"), null);
        yield return ("truncated", "application/json", Utf8(valid[..(valid.Length / 2)]), null);
        yield return ("trailing comma", "application/json", Utf8("{\"message\": {},}"), null);
        yield return ("comment", "application/json", Utf8("/* x */ " + valid), null);
        yield return ("single quotes", "application/json", Utf8(valid.Replace('"', '\'')), null);
        yield return ("NaN literal", "application/json", Utf8("{\"message\": NaN}"), null);
        yield return ("duplicate keys", "application/json", Utf8("{\"message\": {}, \"message\": 5}"), null);
        yield return ("BOM", "application/json", [0xEF, 0xBB, 0xBF, .. Utf8(valid)], null);
        yield return ("invalid UTF-8", "application/json", [(byte)'{', (byte)'"', 0xFF, 0xFE, 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], null);
        yield return ("UTF-16", "application/json; charset=utf-16", Encoding.Unicode.GetBytes(valid), null);
        yield return ("lone surrogate escape", "application/json", Utf8("{\"message\": \"\\ud800\"}"), null);
        yield return ("NUL bytes", "application/json", [.. Utf8("{\"message\""), 0, 0, .. Utf8(": {}}")], null);
        yield return ("nested arrays 10^4", "application/json", Utf8(Nest("[", "]", 10_000)), null);
        yield return ("nested objects 10^4", "application/json", Utf8(Nest("{\"a\":", "}", 10_000).Replace("{\"a\":}", "{\"a\":1}", StringComparison.Ordinal)), null);
        yield return ("1 MB", "application/json", Utf8("{\"pad\": \"" + new string('a', OneMegabyte) + "\"}"), 413);
        yield return ("64 KB + 1 of spaces", "application/json", Utf8(new string(' ', 64 * 1024 + 1)), 413);
        yield return ("huge number", "application/json", Utf8("{\"n\": " + new string('9', 50_000) + "}"), null);
        yield return ("text/plain", "text/plain", Utf8(valid), 415);
        yield return ("application/xml", "application/xml", Utf8("<message/>"), 415);
        yield return ("form", "application/x-www-form-urlencoded", Utf8("message=1"), 415);
        yield return ("multipart", "multipart/form-data; boundary=x", Utf8("--x\r\n\r\n" + valid + "\r\n--x--"), 415);
        yield return ("no content type", null, Utf8(valid), null);
        yield return ("content type garbage", ";;;=;", Utf8(valid), null);
        yield return ("content type list", "application/json, text/plain", Utf8(valid), null);
        yield return ("problem+json", "application/problem+json", Utf8(valid), null);
    }

    private static IEnumerable<(string, string?, byte[], int?)> QueryBodies()
    {
        foreach (var b in CommonBodies(ValidQuery)) yield return b;
        var many = string.Join(",", Enumerable.Range(0, 3000).Select(i => $"\"n{i}\":{{}}"));
        var chain = string.Join(",", Enumerable.Range(0, 2999).Select(i => $"\"e{i}\":{{\"subject\":\"n{i}\",\"object\":\"n{i + 1}\"}}"));
        (string, string)[] graphs =
        [
            ("cycle of three", QueryGraph("""
                "a": {"ids": ["sg:herniated-disc"]}, "b": {"categories": ["biolink:PathologicalProcess"]}, "c": {"categories": ["biolink:PhenotypicFeature"]}
                """, """
                "ab": {"subject": "a", "object": "b"}, "bc": {"subject": "b", "object": "c"}, "ca": {"subject": "c", "object": "a"}
                """)),
            ("self-loop", QueryGraph("""
                "a": {"ids": ["sg:sciatica"]}
                """, """
                "aa": {"subject": "a", "object": "a", "predicates": ["biolink:causes"]}
                """)),
            ("self-loop on an open node", QueryGraph("""
                "a": {}
                """, """
                "aa": {"subject": "a", "object": "a"}
                """)),
            ("two edges between the same nodes both ways", QueryGraph("""
                "a": {"categories": ["biolink:Disease"]}, "b": {"categories": ["biolink:Disease"]}
                """, """
                "ab": {"subject": "a", "object": "b"}, "ba": {"subject": "b", "object": "a"}
                """)),
            ("3000 nodes", QueryGraph(many, "")),
            ("3000 nodes in a chain", QueryGraph(many, chain)),
            ("5 open nodes, 6 open edges", QueryGraph("""
                "a": {}, "b": {}, "c": {}, "d": {}, "e": {}
                """, """
                "1": {"subject": "a", "object": "b"}, "2": {"subject": "b", "object": "c"}, "3": {"subject": "c", "object": "d"},
                "4": {"subject": "d", "object": "e"}, "5": {"subject": "e", "object": "a"}, "6": {"subject": "a", "object": "c"}
                """)),
            ("unknown category", QueryGraph("""
                "a": {"categories": ["biolink:Nonsense", "Condition) DETACH DELETE n //"]}
                """, "")),
            ("unknown predicate", QueryGraph("""
                "a": {"ids": ["sg:sciatica"]}, "b": {}
                """, """
                "ab": {"subject": "a", "object": "b", "predicates": ["biolink:nonsense", "CAUSES]->() DETACH DELETE n //"]}
                """)),
            ("injection in ids", QueryGraph("""
                "a": {"ids": ["sg:x' OR 1=1 //", "'; DROP TABLE nodes; --"]}
                """, "")),
            ("edge to an unknown node", QueryGraph("""
                "a": {"ids": ["sg:sciatica"]}
                """, """
                "ab": {"subject": "a", "object": "nowhere"}
                """)),
            ("edge without ends", QueryGraph("""
                "a": {}
                """, """
                "ab": {}
                """)),
            ("1000 ids", QueryGraph("\"a\": {\"ids\": [" + string.Join(",", Enumerable.Repeat("\"sg:sciatica\"", 1000)) + "]}", "")),
            ("3000 categories", QueryGraph("\"a\": {\"categories\": [" + string.Join(",", Enumerable.Repeat("\"biolink:Disease\"", 3000)) + "]}", "")),
            ("empty ids and categories", QueryGraph("""
                "a": {"ids": [], "categories": []}
                """, "")),
            ("null everywhere", QueryGraph("""
                "a": {"ids": null, "categories": null, "is_set": null, "constraints": null}
                """, """
                "ab": {"subject": null, "object": null, "predicates": null}
                """)),
            ("wrong types", """{"message": {"query_graph": {"nodes": [], "edges": 5}}}"""),
            ("ids as a string", QueryGraph("""
                "a": {"ids": "sg:sciatica"}
                """, "")),
            ("numbers as ids", QueryGraph("""
                "a": {"ids": [1, -1, 1e308, 99999999999999999999]}
                """, "")),
            ("hostile attribute constraints", QueryGraph("""
                "a": {"ids": ["sg:muscle-spasm"]}, "b": {}
                """, """
                "ab": {"subject": "b", "object": "a", "attribute_constraints": [
                  {"id": "sg:evidence_tier", "name": "x", "operator": "===", "value": "T9"},
                  {"id": "sg:effect", "name": "x", "operator": "==", "value": {"$ne": null}},
                  {"id": "'; DROP TABLE x; --", "name": "x", "operator": "matches", "value": ".*"},
                  {"id": "sg:evidence_tier", "name": "x", "operator": "<", "value": "NaN", "not": "yes"}]}
                """)),
            ("unsupported features", """
                {"message": {"query_graph": {"nodes": {"a": {"ids": ["sg:sciatica"], "set_interpretation": "ALL", "constraints": [{"id": "x"}]}},
                 "edges": {}}}, "workflow": [{"id": "fill"}, {"id": "overlay"}], "log_level": "'; DROP"}
                """),
            ("unknown members", """{"message": {"query_graph": {"nodes": {}, "edges": {}}, "__proto__": {"admin": true}}, "x": [[[[]]]]}"""),
            ("empty query graph", QueryGraph("", "")),
            ("query graph of unicode keys", QueryGraph("""
                "\u202Ea": {"ids": ["sg:sciatica"]}, "\u200B": {}
                """, """
                "\u0000": {"subject": "\u202Ea", "object": "\u200B"}
                """)),
            ("nested 10^4 inside ids", QueryGraph("\"a\": {\"ids\": " + Nest("[", "]", 10_000) + "}", "")),
            ("a 60 KB id", QueryGraph("\"a\": {\"ids\": [\"" + new string('x', 60_000) + "\"]}", "")),
        ];
        foreach (var (label, json) in graphs) yield return (label, "application/json", Utf8(json), null);
    }

    private static IEnumerable<(string, string?, byte[], int?)> CypherBodies()
    {
        foreach (var b in CommonBodies(ValidCypher)) yield return b;
        string[] statements =
        [
            """{"statement": "CREATE (n:Node {id: 'x'})"}""",
            """{"statement": "MATCH (n) DETACH DELETE n"}""",
            """{"statement": "CALL dbms.security.listUsers()"}""",
            """{"statement": "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l"}""",
            """{"statement": ""}""",
            """{"statement": null}""",
            """{"statement": 5}""",
            """{"statement": ["RETURN 1"]}""",
            """{"statement": "RETURN 1", "parameters": "x"}""",
            """{"statement": "RETURN $p", "parameters": {"p": {"$ne": null}}}""",
            """{"statement": "RETURN 1 // \u0000 \u202E"}""",
            "{\"statement\": \"" + new string('x', 60_000) + "\"}",
            "{\"statement\": \"RETURN $p\", \"parameters\": {\"p\": " + Nest("[", "]", 10_000) + "}}",
        ];
        foreach (var s in statements) yield return ("statement " + (s.Length > 60 ? s[..60] + "…" : s), "application/json", Utf8(s), null);
    }
}
