using System.Net;
using System.Text.Json.Nodes;

namespace SpineGraph.Tests.Support;

public static class HttpJson
{
    /// <summary>GETs a URL expecting a status: a 200 must be JSON, anything else an RFC 9457 problem with that status
    /// and a title; returns the parsed body.</summary>
    public static async Task<JsonNode> GetAsync(HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(body)!;
            Assert.Equal((int)expected, (int)problem["status"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]));
            return problem;
        }
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }
}
