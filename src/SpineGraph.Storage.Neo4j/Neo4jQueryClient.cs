using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpineGraph.Core;

namespace SpineGraph.Storage.Neo4j;

/// <summary>
/// <see cref="ICypherRunner"/> over Neo4j's HTTP Query API v2 (<c>POST /db/{db}/query/v2</c>, explicit
/// transactions under <c>/query/v2/tx</c>, Neo4j 5.26+ and 2025.x). Plain JSON (<c>Accept: application/json</c>).
/// Any non-empty <c>errors</c> array is a failure, whatever the status code. Each attempt has its own timeout;
/// <c>Neo.TransientError.*</c> is retried (and, for reads, connection failures, dropped answers and 502/503/504) with
/// jittered exponential backoff; what still fails becomes <see cref="GraphUnavailableException"/>, whose message goes to
/// clients: it says what failed (a socket error, a Neo4j code, a timeout), never where Neo4j is or what it wrote back.
/// The exception inside it, which is logged, has the rest.
/// </summary>
public sealed class Neo4jQueryClient(IHttpClientFactory factory, IOptions<Neo4jOptions> options, ILogger<Neo4jQueryClient> logger) : ICypherRunner
{
    /// <summary>Name of the <see cref="HttpClient"/> registered with <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "SpineGraph.Neo4j";

    private static readonly JsonSerializerOptions ParameterJson = new() { PropertyNamingPolicy = null };
    private static readonly IReadOnlyDictionary<string, long> NoCounters = new Dictionary<string, long>();

    private readonly Neo4jOptions _options = options.Value;
    private readonly ILogger _logger = logger;

    public string Target => $"{_options.Url.TrimEnd('/')} (database '{_options.Database}')";

    private string QueryPath => QueryPathOf(_options);

    public async Task<CypherResult> RunAsync(CypherStatement statement, IReadOnlyDictionary<string, object?> parameters, AccessMode mode,
        CancellationToken ct, TimeSpan? timeout = null)
    {
        var body = Body(statement, parameters, mode);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var (result, _) = await SendAsync(HttpMethod.Post, QueryPath, body, statement, null, timeout ?? _options.QueryTimeout, ct);
                return result;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && Retryable(ex, mode) is { } reason)
            {
                if (attempt >= _options.MaxRetries)
                    throw new GraphUnavailableException($"Neo4j cannot answer: {reason}", ex);
                var delay = Backoff(attempt);
                _logger.LogWarning("Neo4j statement {Statement} failed ({Reason}); retry {Attempt}/{Max} in {Delay} ms",
                    statement.Name, reason, attempt + 1, _options.MaxRetries, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && Unavailable(ex) is { } reason)
            {
                throw new GraphUnavailableException($"Neo4j cannot answer: {reason}", ex);
            }
            catch (Neo4jQueryException ex) when (!ct.IsCancellationRequested && ex.Code.StartsWith(TransactionTimedOut, StringComparison.Ordinal))
            {
                // Neo4j's own transaction time limit (db.transaction.timeout) stopped the statement: no answer in time.
                throw new GraphUnavailableException($"Neo4j cannot answer: {ex.Code}", ex);
            }
        }
    }

    private const string TransactionTimedOut = "Neo.ClientError.Transaction.TransactionTimedOut";

    public async Task<ICypherTransaction> BeginAsync(CancellationToken ct, TimeSpan? timeout = null)
    {
        var t = timeout ?? _options.QueryTimeout;
        try
        {
            var (_, tx) = await SendAsync(HttpMethod.Post, QueryPath + "/tx", "{}", null, null, t, ct);
            if (tx is null) throw new Neo4jQueryException("SpineGraph.Protocol.NoTransaction", "opening a transaction returned no transaction id");
            return new Transaction(this, tx.Value.Id, tx.Value.Affinity, t);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && Unavailable(ex) is { } reason)
        {
            throw new GraphUnavailableException($"Neo4j cannot open a transaction: {reason}", ex);
        }
    }

    private sealed class Transaction(Neo4jQueryClient client, string id, string? affinity, TimeSpan timeout) : ICypherTransaction
    {
        private bool _open = true;
        private string Path => client.QueryPath + "/tx/" + Uri.EscapeDataString(id);

        public async Task<CypherResult> RunAsync(CypherStatement statement, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
        {
            try
            {
                var (result, _) = await client.SendAsync(HttpMethod.Post, Path, Body(statement, parameters, AccessMode.Write), statement, affinity, timeout, ct);
                return result;
            }
            catch (Neo4jQueryException)
            {
                _open = false; // Neo4j rolls a transaction back when one of its statements fails.
                throw;
            }
        }

        public async Task CommitAsync(CancellationToken ct)
        {
            await client.SendAsync(HttpMethod.Post, Path + "/commit", "{}", null, affinity, timeout, ct);
            _open = false;
        }

        public async Task RollbackAsync(CancellationToken ct)
        {
            if (!_open) return;
            _open = false;
            await client.SendAsync(HttpMethod.Delete, Path, null, null, affinity, timeout, ct);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_open) return;
            try { await RollbackAsync(CancellationToken.None); }
            catch (Exception ex) { client._logger.LogWarning(ex, "Rolling back Neo4j transaction {Id} failed; it expires on the server", id); }
        }
    }

    private static string Body(CypherStatement statement, IReadOnlyDictionary<string, object?> parameters, AccessMode mode) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["statement"] = statement.Text,
            ["parameters"] = parameters,
            ["accessMode"] = mode == AccessMode.Read ? "Read" : "Write",
            ["includeCounters"] = mode == AccessMode.Write,
        }, ParameterJson);

    private async Task<(CypherResult Result, (string Id, string? Affinity)? Tx)> SendAsync(
        HttpMethod method, string path, string? body, CypherStatement? statement, string? affinity, TimeSpan timeout, CancellationToken ct)
    {
        using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attemptCts.CancelAfter(timeout);
        using var request = NewRequest(_options, method, path, body);
        if (affinity is not null) request.Headers.TryAddWithoutValidation("neo4j-cluster-affinity", affinity);

        var http = factory.CreateClient(HttpClientName);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token);
            var text = await response.Content.ReadAsStringAsync(attemptCts.Token);
            var status = (int)response.StatusCode;
            var newAffinity = response.Headers.TryGetValues("neo4j-cluster-affinity", out var a) ? a.FirstOrDefault() : null;
            return Parse(text, status, statement, newAffinity ?? affinity);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer from Neo4j within {timeout.TotalSeconds:0.###} s", ex);
        }
    }

    /// <summary>The first entry of a non-empty <c>errors</c> array as an exception: its <c>code</c> (early Query API
    /// versions called it <c>error</c>) and <c>message</c>.</summary>
    internal static Neo4jQueryException ErrorOf(JsonElement errors, int status, string? statement)
    {
        var first = errors[0];
        string? Text(string name) =>
            first.ValueKind == JsonValueKind.Object && first.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new Neo4jQueryException(Text("code") ?? Text("error") ?? "Neo.DatabaseError.General.UnknownError",
            Text("message") ?? first.ToString(), status, statement);
    }

    /// <summary>A Query API request with the configured credentials, asking for plain JSON.</summary>
    internal static HttpRequestMessage NewRequest(Neo4jOptions options, HttpMethod method, string path, string? body)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(options.BearerToken))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.BearerToken);
        else if (!string.IsNullOrEmpty(options.User))
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}")));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>The query path of the configured database.</summary>
    internal static string QueryPathOf(Neo4jOptions options) => $"db/{Uri.EscapeDataString(options.Database)}/query/v2";

    private static (CypherResult, (string, string?)?) Parse(string text, int status, CypherStatement? statement, string? affinity)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        }
        catch (JsonException ex)
        {
            if (status >= 400) throw new Neo4jQueryException($"HTTP.{status}", $"Neo4j answered HTTP {status} without a JSON body", status, statement?.Name);
            throw new Neo4jProtocolException($"Neo4j answered HTTP {status} with malformed JSON: {ex.Message}", ex);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new Neo4jProtocolException($"Neo4j answered HTTP {status} with a JSON {root.ValueKind}, not an object");
            // Any non-empty errors array is a failure, whatever the status (errors can follow partial data with 202).
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                throw ErrorOf(errors, status, statement?.Name);
            }
            if (status >= 400)
                throw new Neo4jQueryException($"HTTP.{status}", $"Neo4j answered HTTP {status} without errors", status, statement?.Name);
            if (status is < 200 or >= 300)
                throw new Neo4jProtocolException($"Neo4j answered HTTP {status}");

            var fields = new List<string>();
            var rows = new List<JsonElement[]>();
            if (root.TryGetProperty("data", out var data))
            {
                if (data.ValueKind != JsonValueKind.Object) throw new Neo4jProtocolException("'data' is not an object");
                if (data.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array)
                    foreach (var x in f.EnumerateArray()) fields.Add(x.GetString() ?? "");
                if (data.TryGetProperty("values", out var v))
                {
                    if (v.ValueKind != JsonValueKind.Array) throw new Neo4jProtocolException("'data.values' is not an array");
                    foreach (var row in v.EnumerateArray())
                    {
                        if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != fields.Count)
                            throw new Neo4jProtocolException("a row of 'data.values' does not match 'data.fields'");
                        rows.Add(row.EnumerateArray().Select(e => e.Clone()).ToArray());
                    }
                }
            }
            else if (statement is not null)
            {
                throw new Neo4jProtocolException($"Neo4j answered HTTP {status} without 'data'");
            }

            var counters = NoCounters;
            if (root.TryGetProperty("counters", out var cs) && cs.ValueKind == JsonValueKind.Object)
            {
                var d = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var p in cs.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n)) d[p.Name] = n;
                counters = d;
            }
            (string, string?)? tx = null;
            if (root.TryGetProperty("transaction", out var t) && t.ValueKind == JsonValueKind.Object
                && t.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                tx = (id.GetString()!, affinity);
            return (new CypherResult(fields, rows, counters), tx);
        }
    }

    /// <summary>Why a failure may be retried, or null if it may not.</summary>
    private static string? Retryable(Exception ex, AccessMode mode) => ex switch
    {
        Neo4jQueryException q when q.IsTransient => q.Code,
        Neo4jQueryException { HttpStatus: 502 or 503 or 504 } q when mode == AccessMode.Read && q.Code.StartsWith("HTTP.", StringComparison.Ordinal) => $"HTTP {q.HttpStatus}",
        HttpRequestException h when mode == AccessMode.Read && h.StatusCode is null => "connection failed: " + Inner(h),
        IOException when mode == AccessMode.Read => Dropped,
        _ => null,
    };

    private const string Dropped = "the connection dropped while the answer was read";

    /// <summary>Why a failure means Neo4j cannot serve us now (503), or null for a bug (500). Said to clients: Neo4j's
    /// code but not its message (which may name users, hosts or databases), no host or port.</summary>
    internal static string? Unavailable(Exception ex) => ex switch
    {
        Neo4jQueryException q when q.MeansUnavailable => q.Code,
        Neo4jProtocolException p => p.Message,
        HttpRequestException h => "connection failed: " + Inner(h),
        IOException => Dropped,
        TimeoutException t => t.Message,
        _ => null,
    };

    /// <summary>What kind of connection failure (the socket error, else the request error), without the host and port
    /// that <see cref="HttpRequestException"/>'s message names.</summary>
    internal static string Inner(HttpRequestException h) =>
        h.InnerException is SocketException s ? s.SocketErrorCode.ToString()
        : h.InnerException?.InnerException is SocketException s2 ? s2.SocketErrorCode.ToString()
        : h.HttpRequestError != HttpRequestError.Unknown ? h.HttpRequestError.ToString()
        : h.InnerException is IOException ? Dropped
        : "no answer";

    private TimeSpan Backoff(int attempt)
    {
        var baseMs = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt);
        return TimeSpan.FromMilliseconds(Math.Min(baseMs * (0.5 + Random.Shared.NextDouble()), 10_000));
    }
}

/// <summary>Neo4j's answer was not what the Query API documents (malformed JSON, missing fields).</summary>
public sealed class Neo4jProtocolException(string message, Exception? inner = null) : Exception(message, inner);
