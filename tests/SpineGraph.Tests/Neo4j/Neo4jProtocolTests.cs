using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpineGraph.Core;
using SpineGraph.Storage.Neo4j;

namespace SpineGraph.Tests.Neo4j;

/// <summary>A fake Neo4j: answers each request with the next scripted response (or a function of the request).</summary>
internal sealed class ScriptedHandler(params Func<HttpRequestMessage, string, CancellationToken, Task<HttpResponseMessage>>[] script) : HttpMessageHandler
{
    public List<(HttpMethod Method, string Path, string Body, string? Auth, string? Affinity, string? Accept)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
        Requests.Add((request.Method, request.RequestUri!.AbsolutePath, body, request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("neo4j-cluster-affinity", out var a) ? a.Single() : null, request.Headers.Accept.ToString()));
        var step = script[Math.Min(Requests.Count - 1, script.Length - 1)];
        return await step(request, body, ct);
    }

    public static Func<HttpRequestMessage, string, CancellationToken, Task<HttpResponseMessage>> Reply(int status, string json, params (string, string)[] headers) =>
        (_, _, _) =>
        {
            var r = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            foreach (var (k, v) in headers) r.Headers.TryAddWithoutValidation(k, v);
            return Task.FromResult(r);
        };

    public static Func<HttpRequestMessage, string, CancellationToken, Task<HttpResponseMessage>> Refuse() =>
        (_, _, _) => throw new HttpRequestException("Connection refused (127.0.0.1:7474)", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));

    public static Func<HttpRequestMessage, string, CancellationToken, Task<HttpResponseMessage>> Hang() =>
        async (_, _, ct) => { await Task.Delay(Timeout.Infinite, ct); throw new InvalidOperationException(); };
}

internal sealed class FakeFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { BaseAddress = new Uri("http://neo4j.test:7474/"), Timeout = Timeout.InfiniteTimeSpan };
}

/// <summary>The Query API client against recorded Neo4j responses: success, typed errors, errors after partial
/// data, 401, 404 database, 5xx, timeouts, malformed JSON, transient errors retried, cancellation, transactions.</summary>
public class Neo4jProtocolTests
{
    // Shapes as Neo4j's Query API documentation shows them.
    private const string Success = """{"data":{"fields":["name","age"],"values":[["Alice",42],["Bob",null]]},"bookmarks":["FB:kcwQ"]}""";
    private const string SyntaxError = """{"errors":[{"code":"Neo.ClientError.Statement.SyntaxError","message":"Invalid input 'MATC': expected ..."}]}""";
    private const string Unauthorized = """{"errors":[{"code":"Neo.ClientError.Security.Unauthorized","message":"The client is unauthorized due to authentication failure."}]}""";
    private const string NoDatabase = """{"errors":[{"code":"Neo.ClientError.Database.DatabaseNotFound","message":"Graph not found: nope"}]}""";
    private const string Deadlock = """{"errors":[{"code":"Neo.TransientError.Transaction.DeadlockDetected","message":"ForsetiClient can't acquire ExclusiveLock"}]}""";
    private const string Unknown = """{"errors":[{"code":"Neo.DatabaseError.General.UnknownError","message":"boom"}]}""";
    private const string PartialThenError = """{"data":{"fields":["x"],"values":[[1],[2]]},"errors":[{"code":"Neo.ClientError.Statement.ArithmeticError","message":"/ by zero"}],"bookmarks":[]}""";

    private static readonly CypherStatement Statement = new("test.statement", "MATCH (n:Node {id: $id}) RETURN n.name AS name", "id");
    private static readonly Dictionary<string, object?> Params = new() { ["id"] = "sg:x", ["n"] = 3, ["list"] = new[] { "a" } };

    private static (Neo4jQueryClient Client, ScriptedHandler Handler) Client(Neo4jOptions? options, params Func<HttpRequestMessage, string, CancellationToken, Task<HttpResponseMessage>>[] script)
    {
        options ??= new Neo4jOptions { User = "neo4j", Password = "test-only", RetryBaseDelay = TimeSpan.FromMilliseconds(1), MaxRetries = 2, QueryTimeout = TimeSpan.FromMilliseconds(300) };
        var handler = new ScriptedHandler(script);
        return (new Neo4jQueryClient(new FakeFactory(handler), Options.Create(options), NullLogger<Neo4jQueryClient>.Instance), handler);
    }

    [Fact]
    public async Task ASuccessfulReadSendsTheDocumentedRequestAndParsesRows()
    {
        var (client, handler) = Client(null, ScriptedHandler.Reply(202, Success));
        var result = await client.RunAsync(Statement, Params, AccessMode.Read, default);

        Assert.Equal(["name", "age"], result.Fields);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal("Alice", result.Rows[0][result.Column("name")].GetString());
        Assert.Equal(42, result.Rows[0][1].GetInt32());
        Assert.Equal(JsonValueKind.Null, result.Rows[1][1].ValueKind);

        var (method, path, body, auth, _, accept) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, method);
        Assert.Equal("/db/neo4j/query/v2", path);
        Assert.Equal("application/json", accept);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("neo4j:test-only")), auth);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(Statement.Text, doc.RootElement.GetProperty("statement").GetString());
        Assert.Equal("Read", doc.RootElement.GetProperty("accessMode").GetString());
        Assert.Equal("sg:x", doc.RootElement.GetProperty("parameters").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Number, doc.RootElement.GetProperty("parameters").GetProperty("n").ValueKind);
    }

    [Fact]
    public async Task WritesAskForCountersAndBearerTokensAreSent()
    {
        var (client, handler) = Client(new Neo4jOptions { BearerToken = "token-for-tests" },
            ScriptedHandler.Reply(202, """{"data":{"fields":[],"values":[]},"counters":{"nodesCreated":3,"containsUpdates":true},"bookmarks":[]}"""));
        var result = await client.RunAsync(Statement, Params, AccessMode.Write, default);
        Assert.Equal(3, result.Counter("nodesCreated"));
        Assert.Equal("Bearer token-for-tests", handler.Requests[0].Auth);
        Assert.Contains("\"accessMode\":\"Write\"", handler.Requests[0].Body);
        Assert.Contains("\"includeCounters\":true", handler.Requests[0].Body);
    }

    [Fact]
    public async Task ASyntaxErrorIsATypedErrorAndIsNotRetried()
    {
        var (client, handler) = Client(null, ScriptedHandler.Reply(400, SyntaxError));
        var ex = await Assert.ThrowsAsync<Neo4jQueryException>(() => client.RunAsync(Statement, Params, AccessMode.Read, default));
        Assert.Equal("Neo.ClientError.Statement.SyntaxError", ex.Code);
        Assert.Equal(400, ex.HttpStatus);
        Assert.False(ex.MeansUnavailable);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task ErrorsAfterPartialDataWith202AreAFailure()
    {
        var (client, _) = Client(null, ScriptedHandler.Reply(202, PartialThenError));
        var ex = await Assert.ThrowsAsync<Neo4jQueryException>(() => client.RunAsync(Statement, Params, AccessMode.Read, default));
        Assert.Equal("Neo.ClientError.Statement.ArithmeticError", ex.Code);
        Assert.Equal(202, ex.HttpStatus);
    }

    [Theory]
    [InlineData(401, Unauthorized, "Neo.ClientError.Security.Unauthorized")]
    [InlineData(404, NoDatabase, "Neo.ClientError.Database.DatabaseNotFound")]
    [InlineData(500, Unknown, "Neo.DatabaseError.General.UnknownError")]
    public async Task AuthUnknownDatabaseAndServerErrorsMeanUnavailableWithoutRetry(int status, string body, string code)
    {
        var (client, handler) = Client(null, ScriptedHandler.Reply(status, body));
        var ex = await Assert.ThrowsAsync<GraphUnavailableException>(() => client.RunAsync(Statement, Params, AccessMode.Read, default));
        Assert.Equal(code, Assert.IsType<Neo4jQueryException>(ex.InnerException).Code);
        Assert.Contains(code, ex.Message);
        Assert.DoesNotContain("test-only", ex.Message); // no password in messages
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A502WithoutJsonIsRetriedForReadsThenUnavailable()
    {
        var (client, handler) = Client(null, (_, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>bad gateway</html>") }));
        var ex = await Assert.ThrowsAsync<GraphUnavailableException>(() => client.RunAsync(Statement, Params, AccessMode.Read, default));
        Assert.Contains("HTTP 502", ex.Message);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task A502IsNotRetriedForWrites()
    {
        var (client, handler) = Client(null, ScriptedHandler.Reply(502, "<html/>"));
        await Assert.ThrowsAsync<GraphUnavailableException>(() => client.RunAsync(Statement, Params, AccessMode.Write, default));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task MalformedJsonMeansUnavailable()
    {
        var (client, _) = Client(null, ScriptedHandler.Reply(202, """{"data":{"fields":["x"],"values":[[1]"""));
        var ex = await Assert.ThrowsAsync<GraphUnavailableException>(() => client.RunAsync(Statement, Params, AccessMode.Read, default));
        Assert.IsType<Neo4jProtocolException>(ex.InnerException);
    }

    [Fact]
    public async Task RowsThatDoNotMatchTheFieldsAreAProtocolError()
    {
        var (client, _) = Client(null, ScriptedHandler.Reply(202, """{"data":{"fields":["x","y"],"values":[[1]]}}"""));
        var ex = await Assert.ThrowsAsync<GraphUnavailableException>(() => client.RunAsync(Statement, Params, AccessMode.Read, default));
        Assert.IsType<Neo4jProtocolException>(ex.InnerException);
    }

    [Theory]
    [InlineData(AccessMode.Read)]
    [InlineData(AccessMode.Write)]
    public async Task ATransientErrorIsRetriedThenSucceeds(AccessMode mode)
    {
        var (client, handler) = Client(null, ScriptedHandler.Reply(503, Deadlock), ScriptedHandler.Reply(202, Success));
        var result = await client.RunAsync(Statement, Params, mode, default);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task TransientErrorsAreRetriedABoundedNumberOfTimes()
    {
        var (client, handler) = Client(null, ScriptedHandler.Reply(503, Deadlock));
        var ex = await Assert.ThrowsAsync<GraphUnavailableException>(() => client.RunAsync(Statement, Params, AccessMode.Read, default));
        Assert.Contains("Neo.TransientError.Transaction.DeadlockDetected", ex.Message);
        Assert.Equal(3, handler.Requests.Count); // 1 + MaxRetries
    }

    [Fact]
    public async Task AConnectionFailureIsRetriedForReadsOnly()
    {
        var (reader, readHandler) = Client(null, ScriptedHandler.Refuse(), ScriptedHandler.Reply(202, Success));
        Assert.Equal(2, (await reader.RunAsync(Statement, Params, AccessMode.Read, default)).Rows.Count);
        Assert.Equal(2, readHandler.Requests.Count);

        var (writer, writeHandler) = Client(null, ScriptedHandler.Refuse(), ScriptedHandler.Reply(202, Success));
        var ex = await Assert.ThrowsAsync<GraphUnavailableException>(() => writer.RunAsync(Statement, Params, AccessMode.Write, default));
        Assert.Contains("connection failed", ex.Message);
        Assert.Single(writeHandler.Requests);
    }

    [Fact]
    public async Task AReadThatTimesOutIsNotRetriedAndEndsUnavailable()
    {
        // Neo4j keeps running a query the client gave up on: sending it again would only pile up work.
        var (client, handler) = Client(null, ScriptedHandler.Hang());
        var ex = await Assert.ThrowsAsync<GraphUnavailableException>(() => client.RunAsync(Statement, Params, AccessMode.Read, default));
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task CallerCancellationIsPassedThroughNotRetriedNorUnavailable()
    {
        var (client, handler) = Client(null, ScriptedHandler.Hang());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.RunAsync(Statement, Params, AccessMode.Read, cts.Token));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task TransactionsFollowTheTxEndpointsAndEchoTheClusterAffinity()
    {
        var (client, handler) = Client(null,
            ScriptedHandler.Reply(202, """{"data":{"fields":[],"values":[]},"bookmarks":[],"transaction":{"id":"abc","expires":"2026-01-01T00:00:30Z"}}""", ("neo4j-cluster-affinity", "MTI3LjAuMC4xOjc2ODc=")),
            ScriptedHandler.Reply(202, """{"data":{"fields":["c"],"values":[[1]]},"bookmarks":[],"transaction":{"id":"abc","expires":"2026-01-01T00:00:30Z"}}"""),
            ScriptedHandler.Reply(202, """{"data":{"fields":[],"values":[]},"bookmarks":["FB:x"]}"""));
        await using (var tx = await client.BeginAsync(default))
        {
            Assert.Equal(1, (await tx.RunAsync(Statement, Params, default)).Rows[0][0].GetInt32());
            await tx.CommitAsync(default);
        }
        Assert.Equal(["/db/neo4j/query/v2/tx", "/db/neo4j/query/v2/tx/abc", "/db/neo4j/query/v2/tx/abc/commit"], handler.Requests.Select(r => r.Path));
        Assert.All(handler.Requests.Skip(1), r => Assert.Equal("MTI3LjAuMC4xOjc2ODc=", r.Affinity));
    }

    [Fact]
    public async Task ATransactionDisposedWithoutCommitIsRolledBack()
    {
        var (client, handler) = Client(null,
            ScriptedHandler.Reply(202, """{"data":{"fields":[],"values":[]},"bookmarks":[],"transaction":{"id":"t1","expires":"2026-01-01T00:00:30Z"}}"""),
            ScriptedHandler.Reply(200, """{"bookmarks":[]}"""));
        await using (await client.BeginAsync(default)) { }
        Assert.Equal(HttpMethod.Delete, handler.Requests[1].Method);
        Assert.Equal("/db/neo4j/query/v2/tx/t1", handler.Requests[1].Path);
    }

    [Fact]
    public void OptionsAreValidatedWithClearMessages()
    {
        static IEnumerable<string> Errors(Neo4jOptions o)
        {
            var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            System.ComponentModel.DataAnnotations.Validator.TryValidateObject(o, new(o), results, validateAllProperties: true);
            return results.Select(r => r.ErrorMessage!);
        }
        Assert.Empty(Errors(new Neo4jOptions()));
        Assert.Contains(Errors(new Neo4jOptions { Url = "localhost:7474" }), e => e.Contains("absolute http(s) URL"));
        Assert.Contains(Errors(new Neo4jOptions { User = "neo4j" }), e => e.Contains("go together"));
        Assert.Contains(Errors(new Neo4jOptions { User = "a", Password = "b", BearerToken = "c" }), e => e.Contains("not both"));
        Assert.NotEmpty(Errors(new Neo4jOptions { Database = "bad name/../x" }));
        Assert.NotEmpty(Errors(new Neo4jOptions { MaxRetries = 50 }));
    }
}
