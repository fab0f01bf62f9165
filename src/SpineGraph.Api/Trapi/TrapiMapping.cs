using System.Text.Json;
using SpineGraph.Api.Dtos;
using SpineGraph.Core;
using SpineGraph.Core.Traversal;

namespace SpineGraph.Api.Trapi;

/// <summary>Small explicit functions from a pattern answer to a TRAPI 1.5 Response.</summary>
public static class TrapiMapping
{
    private const string ScoringMethod =
        "SpineGraph evidence score: 0.75 × weakest + 0.25 × mean of the best edge per query edge (T1 1.0, T2 0.8, T3 0.6, T4 0.4, T5 0.2).";

    public static TrapiResponse ToResponse(TrapiQuery query, PatternAnswer a, string version, string logLevel)
    {
        var g = a.Graph;
        var results = a.Results.Select(r => new TrapiResult(
            r.Nodes.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<TrapiNodeBinding>)[new TrapiNodeBinding(kv.Value.Id, [], kv.Value.QueryId)], StringComparer.Ordinal),
            [new TrapiAnalysis(Vocabulary.KnowledgeSource, r.Score,
                r.Edges.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<TrapiEdgeBinding>)kv.Value.Select(id => new TrapiEdgeBinding(id, [])).ToArray(), StringComparer.Ordinal),
                ScoringMethod)])).ToArray();

        var now = DateTimeOffset.UtcNow;
        var logs = new List<TrapiLogEntry>();
        if (logLevel is "INFO" or "DEBUG")
            logs.Add(new TrapiLogEntry(now, "INFO", "Matched", $"{a.Found} results found; {results.Length} returned, best first."));
        if (logLevel != "ERROR")
        {
            if (a.Capped) logs.Add(new TrapiLogEntry(now, "WARNING", "ResultsCapped", $"Only the best {results.Length} of {a.Found} results are returned; raise `limit` for more."));
            if (a.Truncated) logs.Add(new TrapiLogEntry(now, "WARNING", "SearchTruncated", "A bound (rows read or results enumerated) stopped the search; other results may exist."));
        }
        var description = $"{results.Length} results" + (a.Capped ? $" of {a.Found} found" : "") + (a.Truncated ? "; the search was truncated by a bound" : "") + ".";

        var redFlags = g.Nodes.Values
            .Where(n => n.Urgency != Urgency.None)
            .OrderByDescending(n => n.Urgency).ThenBy(n => n.Name, StringComparer.OrdinalIgnoreCase).ThenBy(n => n.Id, StringComparer.Ordinal)
            .Select(n => new TrapiRedFlag(n.Id, Vocabulary.Snake(n.Urgency), n.UrgencyReason)).ToArray();

        return new TrapiResponse(
            new TrapiResponseMessage(
                query.Message.QueryGraph,
                new TrapiKnowledgeGraph(
                    g.Nodes.ToDictionary(kv => kv.Key, kv => ToTrapi(kv.Value), StringComparer.Ordinal),
                    g.Edges.ToDictionary(kv => kv.Key, kv => ToTrapi(kv.Value), StringComparer.Ordinal)),
                results),
            "Success", description, logs, TrapiQueryReader.SchemaVersion, TrapiQueryReader.BiolinkVersion, version,
            a.Found, a.Capped, a.Truncated, g.SourceMap(), redFlags, DtoMapping.Disclaimer);
    }

    public static TrapiNode ToTrapi(Node n)
    {
        var attributes = new List<TrapiAttribute> { Attribute("sg:category", Vocabulary.Snake(n.Category)) };
        if (n.Xrefs.Length > 0) attributes.Add(Attribute("biolink:xref", n.Xrefs));
        if (n.TreatmentKind is { } kind) attributes.Add(Attribute("sg:treatment_kind", Vocabulary.Snake(kind)));
        if (n.Urgency != Urgency.None) attributes.Add(Attribute("sg:urgency", Vocabulary.Snake(n.Urgency), n.UrgencyReason));
        return new TrapiNode(n.Name, [Vocabulary.Biolink(n.Category)], attributes);
    }

    public static TrapiEdge ToTrapi(Edge e)
    {
        var attributes = new List<TrapiAttribute>
        {
            Attribute("sg:predicate", Vocabulary.Snake(e.Predicate)),
            Attribute("sg:evidence_tier", Vocabulary.Snake(e.Tier), DtoMapping.TierRule(e.Tier)),
            Attribute("sg:effect", Vocabulary.Snake(e.Effect)),
            Attribute("biolink:knowledge_level", Vocabulary.Snake(e.KnowledgeLevel)),
            Attribute("biolink:agent_type", Vocabulary.Snake(e.AgentType)),
            Attribute("biolink:publications", e.Sources.Select(s => s.Id).ToArray()),
            Attribute("sg:claim", e.Claim),
        };
        if (e.Context is { } context) attributes.Add(Attribute("sg:context", context));
        return new TrapiEdge(e.Subject, Vocabulary.Biolink(e.Predicate), e.Object,
            [new TrapiRetrievalSource(e.PrimaryKnowledgeSource, "primary_knowledge_source")], attributes);
    }

    private static TrapiAttribute Attribute<T>(string type, T value, string? description = null) =>
        new(type, JsonSerializer.SerializeToElement(value), description);
}
