using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace SpineGraph.Tests.Api;

/// <summary>Every request is logged on one line (method, path, query, status, duration), and no secret ever is.</summary>
public sealed class RequestLogTests
{
    private const string Password = "test-only-neo4j-password-0451";

    /// <summary>Keeps every log record the host writes, formatted, with its state and exception.</summary>
    private sealed class Capture : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(string Category, string Text)> Records { get; private init; } = new();
        private string _category = "";

        public ILogger CreateLogger(string categoryName) => new Capture { _category = categoryName, Records = Records };

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            Records.Enqueue((_category, $"{formatter(state, exception)} {values} {exception}"));
        }

        public void Dispose() { }
    }

    private static (HttpClient Client, Capture Logs, ApiFactory Factory) Start(Dictionary<string, string?> settings)
    {
        var logs = new Capture();
        var factory = new ApiFactory(settings);
        var client = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs))).CreateClient();
        return (client, logs, factory);
    }

    [Fact]
    public async Task EachRequestIsLoggedWithItsStatusButNeverItsApiKeyOrCredentials()
    {
        var (client, logs, factory) = Start(new Dictionary<string, string?>
        {
            ["Cypher:Enabled"] = "true",
            ["Cypher:ApiKey"] = Cypher.Key,
        });
        using (factory)
        {
            using var cypher = await Cypher.PostAsync(client, new { statement = "RETURN 1" });
            Assert.Equal(HttpStatusCode.NotImplemented, cypher.StatusCode);
            var search = new HttpRequestMessage(HttpMethod.Get, "/api/v1/search?q=spasm");
            search.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "test-only-bearer-token-9876");
            search.Headers.Add("Cookie", "session=test-only-cookie-5555");
            search.Headers.Add(SpineGraph.Api.Apis.CypherApi.KeyHeader, Cypher.Key);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(search)).StatusCode);
        }

        var requests = logs.Records.Where(r => r.Category.StartsWith("Microsoft.AspNetCore.HttpLogging", StringComparison.Ordinal)).Select(r => r.Text).ToList();
        Assert.Contains(requests, t => t.Contains("POST", StringComparison.Ordinal) && t.Contains("/api/v1/cypher", StringComparison.Ordinal) && t.Contains("501", StringComparison.Ordinal));
        Assert.Contains(requests, t => t.Contains("/api/v1/search", StringComparison.Ordinal) && t.Contains("q=spasm", StringComparison.Ordinal) && t.Contains("200", StringComparison.Ordinal));
        foreach (var secret in new[] { Cypher.Key, "test-only-bearer-token-9876", "test-only-cookie-5555" })
            Assert.DoesNotContain(logs.Records, r => r.Text.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ANeo4jThatCannotBeReachedIsLoggedWithoutItsPassword()
    {
        var (client, logs, factory) = Start(new Dictionary<string, string?>
        {
            ["Graph:Backend"] = "Neo4j",
            ["Neo4j:Url"] = "http://127.0.0.1:1",
            ["Neo4j:User"] = "neo4j",
            ["Neo4j:Password"] = Password,
            ["Neo4j:MaxRetries"] = "1",
            ["Neo4j:RetryBaseDelay"] = "00:00:00.010",
        });
        using (factory)
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/api/v1/search?q=spasm")).StatusCode);

        Assert.Contains(logs.Records, r => r.Text.Contains("unavailable", StringComparison.OrdinalIgnoreCase) || r.Text.Contains("failed", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(logs.Records, r => r.Text.Contains(Password, StringComparison.Ordinal));
        // Basic credentials are base64 of user:password; they must not show that way either.
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("neo4j:" + Password));
        Assert.DoesNotContain(logs.Records, r => r.Text.Contains(basic, StringComparison.Ordinal));
    }
}
