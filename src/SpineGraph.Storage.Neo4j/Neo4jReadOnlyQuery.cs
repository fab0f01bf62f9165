using System.Text.Json;
using Microsoft.Extensions.Options;
using SpineGraph.Core;

namespace SpineGraph.Storage.Neo4j;

/// <summary>The rows of a statement, as many as the caller allowed; <see cref="Truncated"/> when there were more (or
/// the answer was larger than allowed).</summary>
public sealed record ReadOnlyQueryResult(IReadOnlyList<string> Columns, IReadOnlyList<JsonElement[]> Rows, bool Truncated);

/// <summary>
/// Runs a statement someone else wrote (a researcher's, through <c>POST /api/v1/cypher</c>) on Neo4j, unlike
/// <see cref="ICypherRunner"/>, which only sends the catalogued statements of this assembly:
/// <list type="bullet">
/// <item>always with <c>accessMode: "Read"</c>, so Neo4j refuses any write (<c>Neo.ClientError.Statement.AccessMode</c>);</item>
/// <item>the answer is read as it streams and the connection dropped after <c>maxRows + 1</c> rows or
/// <c>maxBytes</c> bytes, so no more of it is held here (Neo4j stops when its writes fail);</item>
/// <item>one attempt, no retries; the caller's token bounds the time.</item>
/// </list>
/// Failures: <see cref="Neo4jQueryException"/> for a statement Neo4j refuses (syntax, types, access mode, security);
/// <see cref="GraphUnavailableException"/> when Neo4j cannot answer (connection, credentials, database errors).
/// </summary>
public sealed class Neo4jReadOnlyQuery(IHttpClientFactory factory, IOptions<Neo4jOptions> options)
{
    private static readonly JsonSerializerOptions BodyJson = new() { PropertyNamingPolicy = null };

    private readonly Neo4jOptions _options = options.Value;

    public async Task<ReadOnlyQueryResult> RunAsync(string statement, IReadOnlyDictionary<string, JsonElement> parameters,
        int maxRows, long maxBytes, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["statement"] = statement,
            ["parameters"] = parameters,
            ["accessMode"] = "Read",
        }, BodyJson);
        using var request = Neo4jQueryClient.NewRequest(_options, HttpMethod.Post, Neo4jQueryClient.QueryPathOf(_options), body);
        try
        {
            using var response = await factory.CreateClient(Neo4jQueryClient.HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var status = (int)response.StatusCode;
            try
            {
                return await ReadAsync(new JsonStreamCursor(stream, maxBytes), status, maxRows, ct);
            }
            catch (JsonException ex)
            {
                if (status >= 400) throw new Neo4jQueryException($"HTTP.{status}", $"Neo4j answered HTTP {status} without a JSON body", status);
                throw new Neo4jProtocolException($"Neo4j answered HTTP {status} with malformed JSON: {ex.Message}", ex);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && CannotAnswer(ex) is { } reason)
        {
            throw new GraphUnavailableException($"Neo4j cannot answer: {reason}", ex);
        }
    }

    /// <summary>Why Neo4j cannot answer now, or null when it refused the statement itself (a researcher's mistake,
    /// including a <c>Forbidden</c> from the database's own security).</summary>
    private static string? CannotAnswer(Exception ex) =>
        ex is Neo4jQueryException { Code: "Neo.ClientError.Security.Forbidden" } ? null : Neo4jQueryClient.Unavailable(ex);

    private static async Task<ReadOnlyQueryResult> ReadAsync(JsonStreamCursor json, int status, int maxRows, CancellationToken ct)
    {
        var columns = new List<string>();
        var rows = new List<JsonElement[]>();
        try
        {
            if ((await json.ReadTokenAsync(ct)).Type != JsonTokenType.StartObject)
                throw new Neo4jProtocolException($"Neo4j answered HTTP {status} with JSON that is not an object");
            while ((await json.ReadTokenAsync(ct)) is { Type: JsonTokenType.PropertyName } property)
            {
                switch (property.Text)
                {
                    case "data":
                        if (await ReadDataAsync(json, columns, rows, maxRows, ct)) return new(columns, rows, true);
                        break;
                    case "errors":
                        if (await json.ReadValueOrEndAsync(ct) is { ValueKind: JsonValueKind.Array } errors && errors.GetArrayLength() > 0)
                            throw Neo4jQueryClient.ErrorOf(errors, status, null);
                        break;
                    default:
                        await json.ReadValueOrEndAsync(ct);
                        break;
                }
            }
        }
        catch (AnswerTooLargeException)
        {
            return new(columns, rows, true);
        }
        if (status >= 400) throw new Neo4jQueryException($"HTTP.{status}", $"Neo4j answered HTTP {status} without errors", status);
        return new(columns, rows, false);
    }

    /// <summary>Reads <c>data</c> (<c>fields</c>, then <c>values</c> row by row); true when it stopped at the row cap.</summary>
    private static async Task<bool> ReadDataAsync(JsonStreamCursor json, List<string> columns, List<JsonElement[]> rows, int maxRows, CancellationToken ct)
    {
        if ((await json.ReadTokenAsync(ct)).Type != JsonTokenType.StartObject) throw new Neo4jProtocolException("'data' is not an object");
        while ((await json.ReadTokenAsync(ct)) is { Type: JsonTokenType.PropertyName } property)
        {
            if (property.Text == "values")
            {
                if ((await json.ReadTokenAsync(ct)).Type != JsonTokenType.StartArray) throw new Neo4jProtocolException("'data.values' is not an array");
                while (await json.ReadValueOrEndAsync(ct) is { } row)
                {
                    if (rows.Count == maxRows) return true; // one more row than allowed: say so and stop reading
                    if (row.ValueKind != JsonValueKind.Array || (columns.Count > 0 && row.GetArrayLength() != columns.Count))
                        throw new Neo4jProtocolException("a row of 'data.values' does not match 'data.fields'");
                    rows.Add([.. row.EnumerateArray()]);
                }
            }
            else if (await json.ReadValueOrEndAsync(ct) is { ValueKind: JsonValueKind.Array } fields && property.Text == "fields")
            {
                columns.AddRange(fields.EnumerateArray().Select(f => f.GetString() ?? ""));
            }
        }
        return false;
    }
}
