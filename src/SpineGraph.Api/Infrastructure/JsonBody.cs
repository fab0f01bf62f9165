namespace SpineGraph.Api.Infrastructure;

/// <summary>Why a JSON request body could not be read.</summary>
public enum BodyFailure { None, NotJson, TooLarge }

/// <summary>Reads the JSON body of a POST within a size limit, for the endpoints that take one (each names its own problems).</summary>
public static class JsonBody
{
    /// <summary>The body's bytes, or why not: not declared JSON (415), or larger than <paramref name="maxBytes"/> by its
    /// Content-Length, by the bytes read, or by Kestrel's own limit (413). Never reads more than the limit plus one byte.</summary>
    public static async Task<(byte[] Body, BodyFailure Failure)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (!request.HasJsonContentType()) return ([], BodyFailure.NotJson);
        if (request.ContentLength > maxBytes) return ([], BodyFailure.TooLarge);
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += read;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], BodyFailure.TooLarge);
        }
        return length > maxBytes ? ([], BodyFailure.TooLarge) : (buffer[..length], BodyFailure.None);
    }
}
