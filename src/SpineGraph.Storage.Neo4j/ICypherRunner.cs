using System.Text.Json;

namespace SpineGraph.Storage.Neo4j;

public enum AccessMode { Read, Write }

/// <summary>The result of one statement: column names and rows of plain JSON values.</summary>
public sealed record CypherResult(IReadOnlyList<string> Fields, IReadOnlyList<JsonElement[]> Rows, IReadOnlyDictionary<string, long> Counters)
{
    /// <summary>The code of the error <see cref="Column"/> throws for a column the result lacks.</summary>
    public const string MissingField = "SpineGraph.Protocol.MissingField";

    /// <summary>Index of a column, for reading rows by name.</summary>
    public int Column(string name)
    {
        for (var i = 0; i < Fields.Count; i++) if (Fields[i] == name) return i;
        throw new Neo4jQueryException(MissingField, $"the result has no column '{name}' (columns: {string.Join(", ", Fields)})");
    }

    public long Counter(string name) => Counters.TryGetValue(name, out var v) ? v : 0;
}

/// <summary>
/// Runs Cypher against Neo4j. The only seam between the store/seeder and the wire protocol: the HTTP Query
/// API client implements it today; a Bolt client (Neo4j.Driver) would implement it and nothing else changes.
/// Failures: <see cref="SpineGraph.Core.GraphUnavailableException"/> when Neo4j cannot answer (after bounded
/// retries), <see cref="Neo4jQueryException"/> when it refuses the statement, <see cref="OperationCanceledException"/>
/// when the caller cancels.
/// </summary>
public interface ICypherRunner
{
    /// <summary>Where the runner points (for messages; no credentials).</summary>
    string Target { get; }

    /// <summary>One statement in its own (auto-commit) transaction; retried on transient errors.</summary>
    Task<CypherResult> RunAsync(CypherStatement statement, IReadOnlyDictionary<string, object?> parameters, AccessMode mode, CancellationToken ct, TimeSpan? timeout = null);

    /// <summary>Opens an explicit write transaction (no retries inside; the caller retries the whole transaction).</summary>
    Task<ICypherTransaction> BeginAsync(CancellationToken ct, TimeSpan? timeout = null);
}

/// <summary>An explicit transaction. Disposing without <see cref="CommitAsync"/> rolls it back.</summary>
public interface ICypherTransaction : IAsyncDisposable
{
    Task<CypherResult> RunAsync(CypherStatement statement, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct);

    Task CommitAsync(CancellationToken ct);

    Task RollbackAsync(CancellationToken ct);
}
