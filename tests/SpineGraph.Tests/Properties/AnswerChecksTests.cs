using System.Text;

namespace SpineGraph.Tests.Properties;

/// <summary>The property itself fails on the answers it must reject (so a green property run means something).</summary>
public class AnswerChecksTests
{
    private static readonly OpenApiDocument Document = OpenApiDocument.Load();

    private static GeneratedRequest Request(string operation) => new(Document.Operation(operation), [new RequestValue("id", "sg:pain")], [], null, null, Clean: true);

    private static Answer Json(int status, string body, string type = "application/json") => new(status, type, Encoding.UTF8.GetBytes(body));

    private const string Problem = """{"type":"about:blank","title":"Unknown node.","status":404,"detail":"No node has the id 'sg:x'.","traceId":"00-a"}""";

    private static string Violation(Answer first, Answer? second = null, string operation = "GET /api/v1/nodes/{id}") =>
        Assert.Throws<PropertyViolation>(() => AnswerChecks.Verify(Request(operation), first, second ?? first)).Message;

    [Fact]
    public void AProblemWithItsStatusTitleAndDetailPasses()
    {
        AnswerChecks.Verify(Request("GET /api/v1/nodes/{id}"), Json(404, Problem, "application/problem+json"),
            Json(404, Problem.Replace("00-a", "00-b", StringComparison.Ordinal), "application/problem+json"));
    }

    [Fact]
    public void A5xxFailsEvenAsAProblem() =>
        Assert.Contains("a 500", Violation(Json(500, Problem.Replace("404", "500", StringComparison.Ordinal), "application/problem+json")));

    [Fact]
    public void A4xxThatIsNotAProblemBodyFails()
    {
        Assert.Contains("not a problem", Violation(Json(404, Problem)));
        Assert.Contains("without a detail", Violation(Json(404, """{"title":"Not Found","status":404}""", "application/problem+json")));
        Assert.Contains("status is not 404", Violation(Json(404, """{"title":"Not Found","status":400,"detail":"x"}""", "application/problem+json")));
        Assert.Contains("not JSON", Violation(Json(404, "Not Found", "application/problem+json")));
    }

    [Fact]
    public void A304OnlyAnswersAConditionalRequest()
    {
        var notModified = new Answer(304, null, []);
        Assert.Contains("without If-None-Match", Violation(notModified));
        AnswerChecks.Verify(Request("GET /api/v1/nodes/{id}") with { IfNoneMatch = "*" }, notModified, notModified);
    }

    [Fact]
    public void AStatusTheOperationDoesNotDocumentFails() =>
        Assert.Contains("does not document", Violation(Json(415, Problem.Replace("404", "415", StringComparison.Ordinal), "application/problem+json")));

    [Fact]
    public void A200ThatDoesNotMatchItsSchemaFails()
    {
        Assert.Contains("the required member 'edgeCounts' is missing", Violation(Json(200, """{"node":null}""")));
        Assert.Contains("$.node: null", Violation(Json(200, """{"node":null,"edgeCounts":[]}""")));
        const string operation = "GET /health/live";
        AnswerChecks.Verify(Request(operation), Json(200, """{"status":"live","backend":"Embedded"}"""), Json(200, """{"status":"live","backend":"Embedded"}"""));
        Assert.Contains("$.extra: a member the schema does not declare", Violation(Json(200, """{"status":"live","backend":"Embedded","extra":1}"""), operation: operation));
        Assert.Contains("is not one of", Violation(Json(200, """{"status":"fine","backend":"Embedded"}"""), operation: operation));
        Assert.Contains("is not of type string", Violation(Json(200, """{"status":"live","backend":7}"""), operation: operation));
        Assert.Contains("not one documented", Violation(Json(200, "ok", "text/plain"), operation: operation));
    }

    [Fact]
    public void TheSameRequestAnsweredDifferentlyTheSecondTimeFails() =>
        Assert.Contains("differently", Violation(Json(404, Problem, "application/problem+json"),
            Json(404, Problem.Replace("sg:x", "sg:y", StringComparison.Ordinal), "application/problem+json")));
}
