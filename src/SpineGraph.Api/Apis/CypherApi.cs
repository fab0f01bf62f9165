using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SpineGraph.Api.Infrastructure;
using SpineGraph.Core.Traversal;
using SpineGraph.Storage.Neo4j;

namespace SpineGraph.Api.Apis;

/// <summary>Settings of the <c>Cypher</c> section: raw, read-only Cypher for researchers on the Neo4j backend.
/// Off unless <see cref="Enabled"/>; then an API key is required. Keys come from configuration (environment
/// <c>Cypher__ApiKey</c>, a secret store); none is committed.</summary>
public sealed class CypherOptions : IValidatableObject
{
    public const string Section = "Cypher";

    /// <summary>Shortest API key accepted at start, in characters.</summary>
    public const int MinKeyLength = 16;

    /// <summary>Largest request body read, in bytes (the server's request body limit too).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Whether <c>POST /api/v1/cypher</c> answers at all (default false: 404).</summary>
    public bool Enabled { get; set; }

    /// <summary>One API key (<c>Cypher__ApiKey</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Several API keys (<c>Cypher__ApiKeys__0</c>, …), e.g. one per team or while rotating.</summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>Longest time one statement may take before a 503: the API then drops its connection to Neo4j. The Query
    /// API takes no per-request transaction timeout; Neo4j's <c>db.transaction.timeout</c> ends the work on the server.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most rows returned; beyond that the answer says <c>truncated</c> and Neo4j's stream is cut.</summary>
    [Range(1, 100_000)]
    public int MaxRows { get; set; } = 1000;

    /// <summary>Longest statement, in characters.</summary>
    [Range(100, 60_000)]
    public int MaxStatementLength { get; set; } = 10_000;

    /// <summary>Most bytes of Neo4j's answer read (then <c>truncated</c>).</summary>
    [Range(64 * 1024, 256L * 1024 * 1024)]
    public long MaxAnswerBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Statements one API key may run per minute (requests without a known key: per client address); 0: no
    /// limit beyond the server's per-address <c>RateLimit</c>.</summary>
    [Range(0, 100_000)]
    public int PermitsPerMinute { get; set; } = 60;

    /// <summary>The configured keys, blanks left out.</summary>
    public IEnumerable<string> Keys => ApiKeys.Append(ApiKey).Where(k => !string.IsNullOrEmpty(k))!;

    /// <summary>The position of <paramref name="given"/> among the configured keys, or -1. Every key is compared, in
    /// constant time, as SHA-256 digests (so neither the content nor the length of a key shows in the time taken).</summary>
    public int KeyIndex(string given)
    {
        if (given.Length == 0) return -1;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        var (found, i) = (-1, 0);
        foreach (var key in Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(key)))) found = i;
            i++;
        }
        return found;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled) yield break;
        if (!Keys.Any())
            yield return new ValidationResult("Cypher:Enabled is true but no API key is set: set Cypher:ApiKey (environment Cypher__ApiKey) " +
                "or Cypher:ApiKeys, from a secret, never in a committed file.", [nameof(ApiKey)]);
        // The message names the position of a short key, never the key.
        var i = 0;
        foreach (var key in Keys)
        {
            if (key.Length < MinKeyLength)
                yield return new ValidationResult($"Cypher API key #{i + 1} is shorter than {MinKeyLength} characters.", [nameof(ApiKeys)]);
            i++;
        }
    }
}

/// <summary>Raw, read-only Cypher for researchers on the Neo4j backend (<c>POST /api/v1/cypher</c>).</summary>
public static class CypherApi
{
    public const string KeyHeader = "X-Api-Key";
    public const string SecurityScheme = "CypherApiKey";

    public static IHostApplicationBuilder AddCypherApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CypherOptions>()
            .BindConfiguration(CypherOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.ConfigureSwaggerGen(o => o.DocumentFilter<CypherOpenApi>());
        return builder;
    }

    public static IEndpointRouteBuilder MapCypherApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Cypher")
            .AddEndpointFilterFactory(KnownParameters.Filter)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost("/cypher", RunCypher)
            .WithName("RunCypher")
            .WithSummary("Run your own read-only Cypher statement (Neo4j backend; off unless configured)")
            .WithDescription(
                "Runs one Cypher statement with parameters on the Neo4j backend and answers its columns and rows, with the " +
                "graph version. Read-only: the statement is checked before it is sent (no CREATE, MERGE, DELETE, SET, REMOVE, " +
                "DROP, LOAD CSV, FOREACH, administration, USE, EXPLAIN/PROFILE, or procedures other than " +
                string.Join(", ", ReadOnlyCypher.Procedures) + ") and runs in Neo4j's READ access mode, where Neo4j refuses " +
                "any write. Off unless `Cypher:Enabled` is true (404 otherwise); on the embedded backend 501. Requires the API key " +
                $"in `{KeyHeader}` (401 without, 403 when wrong). Limits (configuration): at most `Cypher:MaxRows` rows " +
                "(default 1000; more says `truncated: true`, and the rest is not read), `Cypher:Timeout` (default 10 s, then 503), " +
                "statements up to `Cypher:MaxStatementLength` characters (default 10,000; 400), request bodies up to 64 KiB (413), " +
                "and `Cypher:PermitsPerMinute` statements per API key a minute (default 60; 429 with Retry-After), on top of the " +
                "server's per-address limit. " +
                "A statement Neo4j refuses (syntax, types) is a 400 carrying Neo4j's `neo4jCode` and message. " +
                "Values come as Neo4j's Query API writes them in plain JSON (nodes as {elementId, labels, properties}).")
            .Accepts<CypherRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimiting.CypherPolicy)
            .DisableRequestTimeout(); // Cypher:Timeout bounds it instead of Graph:RequestTimeout

        return app;
    }

    /// <summary>The body of <c>POST /api/v1/cypher</c>.</summary>
    public sealed record CypherRequest(
        [property: Description("One Cypher statement; `$name` refers to a parameter.")] string Statement,
        [property: Description("Values of the statement's parameters, by name (any JSON).")] IReadOnlyDictionary<string, JsonElement>? Parameters);

    /// <summary>The answer: columns, rows (each a list of values in column order), and whether rows were left out.</summary>
    public sealed record CypherResponse(
        [property: Description("Column names, in the statement's order.")] IReadOnlyList<string> Columns,
        [property: Description("Rows, each a list of values in column order, as Neo4j's Query API writes them in plain JSON.")] IReadOnlyList<JsonElement[]> Rows,
        [property: Description("Number of rows in `rows`.")] int RowCount,
        [property: Description("True when the statement had more rows than `rowCap` (or a larger answer than allowed): the rest was not read.")] bool Truncated,
        [property: Description("Most rows answered (`Cypher:MaxRows`).")] int RowCap,
        [property: Description("Version of the graph the statement ran on.")] string GraphVersion);

    public static async Task<Results<Ok<CypherResponse>, ProblemHttpResult>> RunCypher(HttpContext http, IOptions<CypherOptions> options,
        IOptions<GraphOptions> graph, IServiceProvider services, GraphEngine engine, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled)
            return Problems.Of(StatusCodes.Status404NotFound, "Raw Cypher is disabled.",
                "POST /api/v1/cypher is off on this server. To turn it on, run on Neo4j (Graph:Backend=Neo4j) and set " +
                "Cypher:Enabled=true and an API key in Cypher:ApiKey (environment Cypher__Enabled, Cypher__ApiKey).");
        if (graph.Value.Backend != GraphBackend.Neo4j)
            return Problems.Of(StatusCodes.Status501NotImplemented, "Raw Cypher needs the Neo4j backend.",
                $"This server runs the {graph.Value.Backend} backend, an in-process graph with no Cypher engine; raw Cypher runs " +
                "only with Graph:Backend=Neo4j. The pattern questions of the other endpoints work on both backends.");
        if (Authenticate(http, o) is { } denied) return denied;

        var (request, invalid) = await ReadRequestAsync(http.Request, o, ct);
        if (invalid is not null) return invalid;
        if (ReadOnlyCypher.Check(request!.Statement) is { } refusal)
            return TypedResults.Problem(Invalid("statement", refusal.Reason, "Write refused.", new() { ["clause"] = refusal.Clause }));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.Timeout);
        ReadOnlyQueryResult result;
        try
        {
            result = await services.GetRequiredService<Neo4jReadOnlyQuery>().RunAsync(request.Statement,
                request.Parameters ?? new Dictionary<string, JsonElement>(), o.MaxRows, o.MaxAnswerBytes, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return TimedOut(o);
        }
        catch (Neo4jQueryException q) when (q.Code.StartsWith("Neo.ClientError.Transaction.TransactionTimedOut", StringComparison.Ordinal))
        {
            return TimedOut(o, q.Code);
        }
        catch (Neo4jQueryException q)
        {
            // The researcher's statement, refused by Neo4j: syntax, semantics, types, access mode.
            return TypedResults.Problem(Invalid("statement", q.Neo4jMessage, "Neo4j refused the statement.", new() { ["neo4jCode"] = q.Code }));
        }
        var version = (await engine.MetaAsync(ct)).Version;
        return TypedResults.Ok(new CypherResponse(result.Columns, result.Rows, result.Rows.Count, result.Truncated, o.MaxRows, version));
    }

    /// <summary>401 without a key (with a challenge naming the header), 403 with a wrong one; keys are compared in
    /// constant time (<see cref="CypherOptions.KeyIndex"/>) and never logged or echoed.</summary>
    private static ProblemHttpResult? Authenticate(HttpContext http, CypherOptions o)
    {
        var given = http.Request.Headers[KeyHeader].ToString();
        if (given.Length == 0)
        {
            http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{KeyHeader}\"";
            return Problems.Of(StatusCodes.Status401Unauthorized, "API key required.",
                $"Send the API key in the {KeyHeader} header. Keys are issued by whoever runs this server (Cypher:ApiKey).");
        }
        return o.KeyIndex(given) >= 0 ? null : Problems.Of(StatusCodes.Status403Forbidden, "API key not accepted.", $"The key in {KeyHeader} is not one of this server's keys.");
    }

    private static async Task<(CypherRequest?, ProblemHttpResult?)> ReadRequestAsync(HttpRequest request, CypherOptions o, CancellationToken ct)
    {
        var (body, failure) = await JsonBody.ReadAsync(request, CypherOptions.MaxBodyBytes, ct);
        if (failure == BodyFailure.NotJson)
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "JSON body required.",
                "Send the statement as a JSON body with Content-Type: application/json: {\"statement\": \"…\", \"parameters\": {…}}."));
        if (failure == BodyFailure.TooLarge)
            return (null, Problems.Of(StatusCodes.Status413PayloadTooLarge, "Request body too large.",
                $"The request body is larger than {CypherOptions.MaxBodyBytes} bytes (64 KiB), the most this endpoint reads.",
                ("limit", "body"), ("max", CypherOptions.MaxBodyBytes)));

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return (null, TypedResults.Problem(Invalid("body", $"The body is not valid JSON: {ex.Message}")));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, TypedResults.Problem(Invalid("body", "The body must be a JSON object: {\"statement\": \"…\", \"parameters\": {…}}.")));
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("statement" or "parameters"))
                    errors[p.Name.Length <= 40 ? p.Name : p.Name[..40] + "…"] = [$"'{(p.Name.Length <= 40 ? p.Name : p.Name[..40] + "…")}' is not a field of this body; it takes statement, parameters."];
            string? statement = null;
            if (!root.TryGetProperty("statement", out var s) || s.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(s.GetString()))
                errors["statement"] = ["'statement' is required: one Cypher statement as a string."];
            else if ((statement = s.GetString()!).Length > o.MaxStatementLength)
                errors["statement"] = [$"'statement' is {statement.Length} characters long; at most {o.MaxStatementLength} are allowed (Cypher:MaxStatementLength)."];
            Dictionary<string, JsonElement>? parameters = null;
            if (root.TryGetProperty("parameters", out var ps) && ps.ValueKind != JsonValueKind.Null)
            {
                if (ps.ValueKind == JsonValueKind.Object) parameters = ps.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.Clone(), StringComparer.Ordinal);
                else errors["parameters"] = [$"'parameters' must be a JSON object of values by name; got a JSON {ps.ValueKind.ToString().ToLowerInvariant()}."];
            }
            if (errors.Count > 0) return (null, TypedResults.Problem(Invalid(errors)));
            return (new CypherRequest(statement!, parameters), null);
        }
    }

    private static ProblemHttpResult TimedOut(CypherOptions o, string? neo4jCode = null) =>
        Problems.Of(StatusCodes.Status503ServiceUnavailable, "Statement timed out.",
            $"The statement did not finish within {o.Timeout.TotalSeconds:0.#} s (Cypher:Timeout); the API stopped waiting and dropped its connection to Neo4j. Narrow it (a LIMIT, " +
            "a bounded path length, an id or indexed property to start from) rather than retrying it.",
            neo4jCode is null ? [] : [("neo4jCode", neo4jCode)]);

    private static ProblemDetails Invalid(string field, string message, string title = "The request body is invalid.", Dictionary<string, object?>? more = null) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, title, more);

    /// <summary>A 400 whose <c>errors</c> map names each field of the body that is wrong.</summary>
    private static ProblemDetails Invalid(Dictionary<string, string[]> errors, string title = "The request body is invalid.", Dictionary<string, object?>? more = null)
    {
        var p = Problems.Validation(errors, title);
        foreach (var (k, v) in more ?? []) p.Extensions[k] = v;
        return p;
    }
}
