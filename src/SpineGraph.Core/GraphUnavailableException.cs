namespace SpineGraph.Core;

/// <summary>The graph backend cannot answer now (unreachable, overloaded, failing). The API answers 503
/// with Retry-After; the store recovers by itself when the backend does.</summary>
public sealed class GraphUnavailableException(string message, Exception? inner = null, TimeSpan? retryAfter = null)
    : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter ?? TimeSpan.FromSeconds(5);
}
