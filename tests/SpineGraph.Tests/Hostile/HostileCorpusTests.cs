using System.Collections.Concurrent;
using System.Text.Json;
using Xunit.Abstractions;

namespace SpineGraph.Tests.Hostile;

/// <summary>
/// The hostile-input corpus (<see cref="HostileCorpus"/>) against the API on real Kestrel: every request gets a 2xx, or
/// a 4xx whose body is an RFC 9457 problem (status in the body equal to the status code, a detail, and for a bad
/// parameter its name); never a 5xx, a hang, or a connection dropped without an answer; the server still answers
/// <c>/health/live</c> afterwards.
/// </summary>
public class HostileCorpusTests(ITestOutputHelper output)
{
    /// <summary>What a case may attack besides a parameter name (those are not expected in the problem's text).</summary>
    private static readonly HashSet<string> NotParameters = ["path", "headers", "body", "method", "parameter", "requestLine"];

    [Fact]
    public async Task EveryHostileRequestGetsAnAnswerOrAProblemNamingWhatWasWrongAndNeverA5xxAHangOrACrash()
    {
        var cases = HostileCorpus.All();
        using var api = new KestrelApi();
        var statuses = await RunAsync(api, cases, allowed5xx: []);

        Assert.True(cases.Count >= 400, $"only {cases.Count} cases");
        Assert.DoesNotContain(statuses.Keys, s => s >= 500);
        Assert.Contains(statuses.Keys, s => s is >= 200 and < 300); // the corpus is not all refused: valid neighbours answer
        foreach (var status in new[] { 400, 404, 405, 413, 414, 415, 431 }) Assert.True(statuses.ContainsKey(status), $"no case got {status}");
    }

    [Fact]
    public void TheCorpusCoversEveryOperationAndEveryParameterOfTheDocument()
    {
        var names = HostileCorpus.All().Select(c => c.Name).ToArray();
        foreach (var op in HostileCorpus.Operations())
        {
            Assert.Contains(names, n => n.StartsWith($"{op.Method} {op.Template}", StringComparison.Ordinal));
            foreach (var (name, location) in op.Parameters)
                Assert.Equal(HostileCorpus.Values.Count(v => location == "query" || v.ReachesTheApplicationInAPath),
                    names.Count(n => n.StartsWith($"{op.Method} {op.Template} {name}=", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task WithRawCypherEnabledOnTheEmbeddedBackendItsPartOfTheCorpusGets501OrA4xxProblem()
    {
        var cases = HostileCorpus.Cypher();
        using var api = new KestrelApi(("Cypher:Enabled", "true"), ("Cypher:ApiKey", Api.Cypher.Key));
        var statuses = await RunAsync(api, cases, allowed5xx: [501]);

        Assert.True(cases.Count >= 50, $"only {cases.Count} cases");
        Assert.True(statuses.GetValueOrDefault(501) > cases.Count / 2, "most Cypher cases should reach the endpoint and get its 501");
    }

    /// <summary>Runs the cases four at a time, checks each answer, prints the counts, and checks the server still lives.</summary>
    private async Task<IReadOnlyDictionary<int, int>> RunAsync(KestrelApi api, IReadOnlyList<HostileCase> cases, int[] allowed5xx)
    {
        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, _) =>
        {
            var response = await api.SendAsync(c.Request, c.Head);
            statuses.AddOrUpdate(response.Status, 1, (_, n) => n + 1);
            if (Check(c, response, allowed5xx) is { } failure) failures.Add($"{c.Name}: {failure} — got {response}");
        });

        output.WriteLine($"{cases.Count} cases tried; by status: " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "no answer" : s.Key)}: {s.Value}")));
        foreach (var f in failures.Take(100)) output.WriteLine(f);
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures.Take(40)));

        var live = await api.GetAsync("/health/live");
        Assert.Equal(200, live.Status);
        return statuses;
    }

    private static string? Check(HostileCase c, RawResponse r, int[] allowed5xx)
    {
        if (r.Dropped) return "the connection ended without an answer";
        if (c.Expect is { } expected && r.Status != expected) return $"expected {expected}";
        if (r.Status >= 500 && !allowed5xx.Contains(r.Status)) return "a server error";
        if (r.Status is < 200 or (>= 300 and < 400 and not 304)) return "neither a success nor an error"; // 304: If-None-Match: *
        if (r.Status < 400)
        {
            if (r.MediaType == "application/json" && !c.Head) return Parses(r.Body) ? null : "a success whose JSON does not parse";
            return null;
        }
        if (r.MediaType != "application/problem+json") return "an error that is not application/problem+json";
        if (c.Head) return null; // no body on HEAD
        JsonElement problem;
        try
        {
            problem = JsonDocument.Parse(r.Body).RootElement;
        }
        catch (JsonException)
        {
            return "a problem body that does not parse";
        }
        if (!problem.TryGetProperty("status", out var status) || status.GetInt32() != r.Status) return "status in the body differs from the status code";
        if (!problem.TryGetProperty("detail", out var detail) || string.IsNullOrWhiteSpace(detail.GetString())) return "a problem without a detail";
        if (r.Status == 400 && !NotParameters.Contains(c.Attacks) && !problem.TryGetProperty("limit", out _)
            && !r.Text.Contains(c.Attacks, StringComparison.OrdinalIgnoreCase))
            return $"a 400 that does not name '{c.Attacks}'";
        return null;
    }

    private static bool Parses(byte[] body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
