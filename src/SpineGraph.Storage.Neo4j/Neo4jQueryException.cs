namespace SpineGraph.Storage.Neo4j;

/// <summary>
/// Neo4j refused a statement: its <c>errors</c> array was not empty (whatever the HTTP status), or the
/// server answered an error status. <see cref="Code"/> is Neo4j's status code, e.g.
/// <c>Neo.ClientError.Statement.SyntaxError</c>. Client errors are bugs in our statements (they never
/// carry user input), so they surface as 500; transient errors are retried, then reported as unavailable.
/// </summary>
public sealed class Neo4jQueryException(string code, string message, int? httpStatus = null, string? statement = null)
    : Exception($"{code}: {message}" + (statement is null ? "" : $" (statement '{statement}')"))
{
    public string Code { get; } = code;
    public string Neo4jMessage { get; } = message;
    public int? HttpStatus { get; } = httpStatus;
    public string? Statement { get; } = statement;

    /// <summary><c>Neo.TransientError.*</c>: safe to retry.</summary>
    public bool IsTransient => Code.StartsWith("Neo.TransientError.", StringComparison.Ordinal);

    /// <summary>Errors that say Neo4j cannot serve us now rather than that our statement is wrong:
    /// transient, database errors, authentication/authorization, unknown or unavailable database,
    /// or an HTTP error without a Neo4j error body.</summary>
    public bool MeansUnavailable =>
        IsTransient
        || Code.StartsWith("Neo.DatabaseError.", StringComparison.Ordinal)
        || Code.StartsWith("Neo.ClientError.Security.", StringComparison.Ordinal)
        || Code.StartsWith("Neo.ClientError.Database.", StringComparison.Ordinal)
        || Code.StartsWith("HTTP.", StringComparison.Ordinal);
}
