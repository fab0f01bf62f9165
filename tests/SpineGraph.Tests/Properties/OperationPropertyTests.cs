using System.Globalization;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using SpineGraph.Tests.Api;
using Xunit.Abstractions;

namespace SpineGraph.Tests.Properties;

/// <summary>The embedded API with the rate limit and the output cache off (so a repeated request is answered again, not
/// replayed) and a request timeout of minutes (a guard against a hang, not a bound the busy test machine may hit), and
/// the real values of its graph.</summary>
public sealed class PropertyApiFixture : IDisposable
{
    public PropertyApiFixture()
    {
        Factory = new ApiFactory(new Dictionary<string, string?>
        {
            ["RateLimit:PermitsPerWindow"] = "0",
            ["Cypher:PermitsPerMinute"] = "0",
            ["Graph:ResponseCacheDuration"] = "00:00:00",
            ["Graph:RequestTimeout"] = "00:03:00",
        });
        Client = Factory.CreateClient();
        Seed = ReadSeedAsync(Client).GetAwaiter().GetResult();
    }

    public ApiFactory Factory { get; }

    public HttpClient Client { get; }

    public SeedValues Seed { get; }

    /// <summary>Every node (GET /api/v1/nodes, page by page), the sources the edges cite, and the Biolink terms of /meta.</summary>
    private static async Task<SeedValues> ReadSeedAsync(HttpClient client)
    {
        var nodes = new List<SeedNode>();
        string? cursor = null;
        do
        {
            var page = JsonNode.Parse(await client.GetStringAsync("/api/v1/nodes?limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))!;
            nodes.AddRange(page["items"]!.AsArray().Select(n => new SeedNode((string)n!["id"]!, (string)n["name"]!, (string)n["category"]!)));
            cursor = (string?)page["nextCursor"];
        } while (cursor is not null);
        var edges = JsonNode.Parse(await client.GetStringAsync("/api/v1/edges?limit=500"))!;
        var meta = JsonNode.Parse(await client.GetStringAsync("/api/v1/meta"))!;
        var terms = meta["categories"]!.AsArray().Concat(meta["predicates"]!.AsArray())
            .SelectMany(t => new[] { (string)t!["biolink"]!, (string)t["name"]! }).Distinct().ToList();
        return new SeedValues(nodes, edges["sources"]!.AsObject().Select(s => s.Key).ToList(), terms);
    }

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
    }
}

/// <summary>
/// Property-based tests over every operation of the committed OpenAPI document: FsCheck generates requests from each
/// operation's parameter and body schemas (valid values from the schema and the seed graph, mixed with invalid and hostile
/// ones) and every answer must be a documented 2xx whose JSON matches its schema, a 304, or a 4xx problem; never a 5xx; and
/// the same request sent again gets the same answer. Operations are read from the document, so a new one is covered
/// without editing this class. A failure prints its seed: replay it with <c>SPINEGRAPH_PROPERTY_REPLAY=seed,gamma</c>.
/// <c>SPINEGRAPH_PROPERTY_CASES</c> sets the cases per operation (default <see cref="DefaultCases"/>).
/// </summary>
public sealed class OperationPropertyTests(PropertyApiFixture fixture, ITestOutputHelper output) : IClassFixture<PropertyApiFixture>
{
    public const int DefaultCases = 500;

    private static readonly OpenApiDocument Document = OpenApiDocument.Load();

    public static TheoryData<string> Operations() => new(Document.Operations.Select(o => o.Key));

    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("SPINEGRAPH_PROPERTY_CASES"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultCases;

    [Fact]
    public void EveryParameterAndBodyOfEveryDocumentedOperationHasAGenerator()
    {
        var generators = new RequestGenerators(Document, fixture.Seed);
        Assert.True(Document.Operations.Count >= 12, $"only {Document.Operations.Count} operations read from the document");
        Assert.All(Document.Operations, op => Assert.NotNull(generators.For(op)));
    }

    [Fact]
    public void AParameterKindWithoutAGeneratorFailsInsteadOfBeingSkipped()
    {
        var doc = new OpenApiDocument(JsonNode.Parse("""
            {"paths": {"/x": {"get": {"parameters": [{"name": "X-Token", "in": "header", "schema": {"type": "string"}}]}},
                       "/y": {"get": {"parameters": [{"name": "when", "in": "query", "schema": {"type": "string", "pattern": "^\\d{4}-\\d{2}$"}}]}},
                       "/z": {"post": {"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}}}}}
            """)!);
        var generators = new RequestGenerators(doc, fixture.Seed);
        Assert.Contains("header", Assert.Throws<NotSupportedException>(() => generators.For(doc.Operation("GET /x"))).Message);
        Assert.Contains("when", Assert.Throws<NotSupportedException>(() => generators.For(doc.Operation("GET /y"))).Message);
        Assert.Contains("text/csv", Assert.Throws<NotSupportedException>(() => generators.For(doc.Operation("POST /z"))).Message);
    }

    [Theory]
    [InlineData("GET", "/api/v1/nodes//edges", null, 404, "No operation answers GET")]
    [InlineData("DELETE", "/api/v1/nodes", null, 405, "DELETE is not allowed on /api/v1/nodes; it takes GET")]
    [InlineData("POST", "/api/v1/query", "text/plain", 415, "application/json")]
    [InlineData("POST", "/api/v1/cypher", "application/xml", 415, "not 'application/xml")]
    public async Task ProblemsTheFrameworkWritesItselfSayWhatWasWrong(string method, string url, string? contentType, int status, string said)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (contentType is not null) request.Content = new StringContent("{}", System.Text.Encoding.UTF8, contentType);
        using var response = await fixture.Client.SendAsync(request);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(said, (string?)problem["detail"]);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task EveryGeneratedRequestGetsADocumented2xxOrA4xxProblemAndNever5xx(string operation)
    {
        var op = Document.Operation(operation);
        var gen = new RequestGenerators(Document, fixture.Seed).For(op);
        var seen = new List<(GeneratedRequest Request, Answer Answer)>();
        var replay = Replay();
        var config = Config.QuickThrowOnFailure.WithMaxTest(Cases).WithQuietOnSuccess(true).WithReplay(FSharpOption<Replay>.Some(replay));
        var property = Prop.ForAll(Arb.From(gen, r => r.Shrink()), request =>
        {
            // The in-process server has no synchronization context to deadlock on; FsCheck's properties are synchronous.
            var (first, second) = Task.Run(() => SendTwiceAsync(request)).GetAwaiter().GetResult();
            seen.Add((request, first));
            AnswerChecks.Verify(request, first, second);
            // A page cursor cannot be made up: the next page of an answer is asked for with the cursor it gave.
            if (NextPage(request, first) is { } next)
            {
                var (nextFirst, nextSecond) = Task.Run(() => SendTwiceAsync(next)).GetAwaiter().GetResult();
                seen.Add((next, nextFirst));
                try
                {
                    AnswerChecks.Verify(next, nextFirst, nextSecond);
                }
                catch (PropertyViolation e)
                {
                    throw new PropertyViolation($"Its next page, {next.Operation.Method} {next.Url}, broke the property: {e.Message}");
                }
            }
        });
        try
        {
            await Task.Run(() => Check.One(config, property));
        }
        catch (Exception e)
        {
            throw new PropertyViolation($"{operation}: a generated request broke the property. Replay it with SPINEGRAPH_PROPERTY_REPLAY={replay.Rnd.Seed},{replay.Rnd.Gamma} " +
                $"dotnet test SpineGraph.sln --filter \"FullyQualifiedName~{nameof(OperationPropertyTests)}\"\n{e.Message}");
        }

        // The valid requests must reach the operation's success at least once, or every one must get the same answer
        // (an operation switched off by configuration, such as raw Cypher): otherwise the generators exercise nothing.
        var clean = seen.Where(s => s.Request.Clean).ToList();
        var statuses = seen.GroupBy(s => s.Answer.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
        output.WriteLine($"{operation}: {seen.Count} requests (seed {replay.Rnd.Seed},{replay.Rnd.Gamma}): {string.Join(", ", statuses)}; " +
            $"{clean.Count(s => s.Answer.Status is >= 200 and < 300)} of {clean.Count} with only valid values succeeded");
        Assert.True(clean.Count > 0, $"{operation}: no request with only valid values was generated");
        var succeeded = clean.Any(s => s.Answer.Status is >= 200 and < 300);
        var switchedOff = clean.Select(s => s.Answer.Comparable()).Distinct().Count() == 1;
        Assert.True(succeeded || switchedOff, $"{operation}: none of {clean.Count} requests with valid values succeeded, e.g. {clean[0].Request} → {clean[0].Answer}");
    }

    /// <summary>The same request with the <c>nextCursor</c> of its answer in the operation's cursor parameter, if both exist.</summary>
    private static GeneratedRequest? NextPage(GeneratedRequest request, Answer answer)
    {
        if (answer.Status != 200 || answer.MediaType != "application/json") return null;
        var cursor = request.Operation.Parameters.FirstOrDefault(p => p.In == "query" && RequestGenerators.IsCursor(p));
        if (cursor is null || JsonNode.Parse(answer.Body)?["nextCursor"] is not JsonValue value || !value.TryGetValue<string>(out var next)) return null;
        return request with { Query = [.. request.Query.Where(q => q.Name != cursor.Name), new RequestValue(cursor.Name, next)] };
    }

    private async Task<(Answer, Answer)> SendTwiceAsync(GeneratedRequest request)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // a guard against a hang, not a bound
        using var m1 = request.ToMessage();
        using var r1 = await fixture.Client.SendAsync(m1, cancel.Token);
        var first = await Answer.ReadAsync(r1);
        using var m2 = request.ToMessage();
        using var r2 = await fixture.Client.SendAsync(m2, cancel.Token);
        return (first, await Answer.ReadAsync(r2));
    }

    /// <summary>The random seed of this run, or the one <c>SPINEGRAPH_PROPERTY_REPLAY</c> gives (as printed by a failure).</summary>
    private static Replay Replay()
    {
        var given = Environment.GetEnvironmentVariable("SPINEGRAPH_PROPERTY_REPLAY")?.Split(',');
        var rnd = given is [var s, var g] ? new Rnd(ulong.Parse(s, CultureInfo.InvariantCulture), ulong.Parse(g, CultureInfo.InvariantCulture))
            : new Rnd((ulong)Random.Shared.NextInt64(), (ulong)Random.Shared.NextInt64() | 1);
        return new Replay(rnd, FSharpOption<int>.None);
    }
}
