using SpineGraph.Core.Seed;

namespace SpineGraph.Tests.Seed;

public sealed class SeedLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spinegraph-seed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Source = """{"id":"sgdoc:000","kind":"source_document","citation":"doc","file":"000.txt"}""";
    private const string Condition = """{"id":"sg:c","category":["biolink:Disease"],"name":"C","description":"A condition."}""";
    private const string Mechanism = """{"id":"sg:m","category":["biolink:PathologicalProcess"],"name":"M","description":"A mechanism."}""";

    private static string EdgeLine(string extra = "", string subject = "sg:c", string predicate = "biolink:causes", string obj = "sg:m") =>
        "{\"id\":\"sg:e1\",\"subject\":\"" + subject + "\",\"predicate\":\"" + predicate + "\",\"object\":\"" + obj +
        "\",\"evidence_tier\":\"T5\",\"effect\":\"uncertain\",\"knowledge_level\":\"prediction\",\"agent_type\":\"manual_agent\"," +
        "\"claim\":\"C causes M.\",\"publications\":[\"sgdoc:000\"],\"primary_knowledge_source\":\"infores:spinegraph\"" + extra + "}";

    private IReadOnlyList<string> Errors(string[] sources, string[] nodes, string[] edges)
    {
        File.WriteAllLines(Path.Combine(_dir, SeedLoader.SourcesFile), sources);
        File.WriteAllLines(Path.Combine(_dir, SeedLoader.NodesFile), nodes);
        File.WriteAllLines(Path.Combine(_dir, SeedLoader.EdgesFile), edges);
        return SeedLoader.TryLoad(_dir).Errors.Select(e => e.ToString()).ToArray();
    }

    [Fact]
    public void AValidSeedLoadsWithAVersionHash()
    {
        Assert.Empty(Errors([Source], [Condition, Mechanism], [EdgeLine()]));
        var data = SeedLoader.Load(_dir);
        Assert.Equal(2, data.Nodes.Count);
        Assert.Single(data.Edges);
        Assert.Matches("^sha256:[0-9a-f]{16}$", data.Version);
    }

    [Fact]
    public void TheVersionChangesWhenTheSeedChanges()
    {
        Errors([Source], [Condition, Mechanism], [EdgeLine()]);
        var v1 = SeedLoader.ComputeVersion(_dir);
        File.AppendAllText(Path.Combine(_dir, SeedLoader.EdgesFile), "\n// a comment\n");
        Assert.NotEqual(v1, SeedLoader.ComputeVersion(_dir));
    }

    [Fact]
    public void BadJsonIsReportedWithFileAndLine() =>
        Assert.Contains(Errors([Source], [Condition, "{not json"], [EdgeLine()]), e => e.StartsWith("nodes.jsonl:2: bad JSON"));

    [Fact]
    public void AnUnknownCategoryIsReported() =>
        Assert.Contains(Errors([Source], [Condition.Replace("biolink:Disease", "biolink:Gene")], []),
            e => e.StartsWith("nodes.jsonl:1:") && e.Contains("'category' must hold exactly one of"));

    [Fact]
    public void AnUnknownPredicateIsReported() =>
        Assert.Contains(Errors([Source], [Condition, Mechanism], [EdgeLine(predicate: "biolink:interacts_with")]),
            e => e.StartsWith("edges.jsonl:1: unknown predicate 'biolink:interacts_with'"));

    [Fact]
    public void APredicateThatDoesNotFitTheCategoriesIsReported() =>
        Assert.Contains(Errors([Source], [Condition, Mechanism], [EdgeLine(subject: "sg:m", obj: "sg:c", predicate: "biolink:has_phenotype")]),
            e => e == "edges.jsonl:1: predicate 'biolink:has_phenotype' cannot join a mechanism to a condition");

    [Fact]
    public void AMechanismMayCauseACondition() =>
        Assert.Empty(Errors([Source], [Condition, Mechanism], [EdgeLine(subject: "sg:m", obj: "sg:c")]));

    [Fact]
    public void ADanglingEdgeIsReported() =>
        Assert.Contains(Errors([Source], [Condition], [EdgeLine()]), e => e == "edges.jsonl:1: object 'sg:m' is not a node (dangling edge)");

    [Fact]
    public void DuplicateIdsAndNamesAreReported()
    {
        var errors = Errors([Source], [Condition, Condition, Mechanism.Replace("\"M\"", "\"c\"")], []);
        Assert.Contains("nodes.jsonl:2: duplicate node id 'sg:c'", errors);
        Assert.Contains(errors, e => e.StartsWith("nodes.jsonl:3: name 'c' is already the name of 'sg:c'"));
    }

    [Fact]
    public void AMissingSourceIsReported() =>
        Assert.Contains(Errors([Source], [Condition, Mechanism], [EdgeLine().Replace("sgdoc:000", "PMID:1")]),
            e => e == "edges.jsonl:1: publication 'PMID:1' is not in sources.jsonl (missing source)");

    [Fact]
    public void AnEdgeWithoutPublicationsIsReported() =>
        Assert.Contains(Errors([Source], [Condition, Mechanism], [EdgeLine().Replace("[\"sgdoc:000\"]", "[]")]),
            e => e == "edges.jsonl:1: 'publications' must not be empty");

    [Fact]
    public void ABadTierIsReportedWithTheAllowedValues() =>
        Assert.Contains(Errors([Source], [Condition, Mechanism], [EdgeLine().Replace("\"T5\"", "\"T9\"")]),
            e => e == "edges.jsonl:1: 'evidence_tier' is 'T9'; allowed: T1, T2, T3, T4, T5");

    [Fact]
    public void ASharedLayTermIsReported()
    {
        var withTerm = Condition.Replace("}", ",\"lay_terms\":[\"pinched nerve\"]}");
        var other = Mechanism.Replace("}", ",\"synonym\":[\"Pinched nerves\"]}");
        Assert.Contains(Errors([Source], [withTerm, other], []), e => e.Contains("is already a name or term of"));
    }

    [Fact]
    public void UrgencyIsOnlyForSymptomsAndNeedsAReason()
    {
        var symptom = """{"id":"sg:s","category":["biolink:PhenotypicFeature"],"name":"S","description":"A symptom.","urgency":"emergency"}""";
        var errors = Errors([Source], [symptom, Condition.Replace("}", ",\"urgency\":\"urgent\",\"urgency_reason\":\"x\"}")], []);
        Assert.Contains("nodes.jsonl:1: 'urgency' needs 'urgency_reason'", errors);
        Assert.Contains("nodes.jsonl:2: 'urgency' is only for symptoms", errors);
    }

    [Fact]
    public void AnUnknownFieldIsReportedSoTyposAreNotLostSilently() =>
        Assert.Contains(Errors([Source], [Condition.Replace("}", ",\"synonyms\":[\"x\"]}")], []),
            e => e == "nodes.jsonl:1: unknown field 'synonyms'");

    [Fact]
    public void EveryProblemIsReportedNotJustTheFirst()
    {
        var errors = Errors([Source], ["{bad", Condition.Replace("biolink:Disease", "x")], [EdgeLine(obj: "sg:nope")]);
        Assert.True(errors.Count >= 3, string.Join("\n", errors));
    }

    [Fact]
    public void LoadThrowsWithEveryProblemListed()
    {
        Errors([Source], [Condition], [EdgeLine()]);
        var ex = Assert.Throws<SeedValidationException>(() => SeedLoader.Load(_dir));
        Assert.Contains("edges.jsonl:1:", ex.Message);
    }

    [Fact]
    public void AMissingFileIsReported()
    {
        var errors = SeedLoader.TryLoad(_dir).Errors;
        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.Contains("file not found", e.Message));
    }

    [Fact]
    public void AMissingFolderIsOneProblem() =>
        Assert.Equal([Path.Combine(_dir, "nowhere") + ": no such seed folder"], SeedLoader.TryLoad(Path.Combine(_dir, "nowhere")).Errors.Select(e => e.ToString()));
}
