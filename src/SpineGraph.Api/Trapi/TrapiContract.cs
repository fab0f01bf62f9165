using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpineGraph.Api.Dtos;
using SpineGraph.Api.Infrastructure;

namespace SpineGraph.Api.Trapi;

// The request and response of POST /api/v1/query, in the shape of TRAPI 1.5 (snake_case names as TRAPI has them).
// Only what SpineGraph reads or writes is declared; TRAPI objects that allow other properties still accept them.

[Description("A TRAPI 1.5 Query: a message holding a query graph. Other TRAPI Query properties (log_level, workflow, submitter, bypass_cache) are accepted.")]
[OpenRequestObject]
public sealed record TrapiQuery(
    [property: JsonPropertyName("message"), Description("The message: its query_graph is the pattern to match.")] TrapiQueryMessage Message,
    [property: JsonPropertyName("log_level"), Description("Least critical level of the logs to return: ERROR, WARNING, INFO (default) or DEBUG.")] string? LogLevel = null,
    [property: JsonPropertyName("workflow"), Description("TRAPI workflow: only a single `lookup` operation is supported.")] IReadOnlyList<TrapiOperation>? Workflow = null,
    [property: JsonPropertyName("submitter"), Description("Who sent the query (free text, for tracing).")] string? Submitter = null,
    [property: JsonPropertyName("bypass_cache"), Description("Accepted; SpineGraph answers from its graph either way.")] bool? BypassCache = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TrapiQueryMessage(
    [property: JsonPropertyName("query_graph"), Description("The pattern: named nodes and the edges between them.")] TrapiQueryGraph QueryGraph,
    [property: JsonPropertyName("knowledge_graph"), Description("Must be absent or null in a query.")] JsonElement? KnowledgeGraph = null,
    [property: JsonPropertyName("results"), Description("Must be absent or null in a query.")] JsonElement? Results = null,
    [property: JsonPropertyName("auxiliary_graphs"), Description("Must be absent or null in a query.")] JsonElement? AuxiliaryGraphs = null);

[OpenRequestObject]
public sealed record TrapiOperation(
    [property: JsonPropertyName("id"), Description("The operation: `lookup` is the one supported.")] string Id);

[OpenRequestObject]
public sealed record TrapiQueryGraph(
    [property: JsonPropertyName("nodes"), Description("Query nodes by key (1 to 5).")] IReadOnlyDictionary<string, TrapiQNode> Nodes,
    [property: JsonPropertyName("edges"), Description("Query edges by key (0 to 6); each joins two query nodes by key.")] IReadOnlyDictionary<string, TrapiQEdge> Edges);

[OpenRequestObject]
public sealed record TrapiQNode(
    [property: JsonPropertyName("ids"), Description("Node ids (or exact names); narrower kinds (subclass_of) match too. Up to 50; each is matched separately (BATCH).")] IReadOnlyList<string>? Ids = null,
    [property: JsonPropertyName("categories"), Description("Biolink categories (`biolink:Disease`, or a broader class such as `biolink:DiseaseOrPhenotypicFeature`) or our short names (`condition`).")] IReadOnlyList<string>? Categories = null,
    [property: JsonPropertyName("set_interpretation"), Description("BATCH (default) is supported; ALL and MANY are not.")] string? SetInterpretation = null,
    [property: JsonPropertyName("member_ids"), Description("Not supported (set queries).")] IReadOnlyList<string>? MemberIds = null,
    [property: JsonPropertyName("constraints"), Description("Node attribute constraints: not supported; must be absent or empty.")] IReadOnlyList<TrapiAttributeConstraint>? Constraints = null);

[OpenRequestObject]
public sealed record TrapiQEdge(
    [property: JsonPropertyName("subject"), Description("Key of the subject query node.")] string Subject,
    [property: JsonPropertyName("object"), Description("Key of the object query node.")] string Object,
    [property: JsonPropertyName("predicates"), Description("Biolink predicates (`biolink:causes`, or a broader one such as `biolink:related_to`) or our short names (`treats`, `relieves`). Absent: any.")] IReadOnlyList<string>? Predicates = null,
    [property: JsonPropertyName("knowledge_type"), Description("`lookup` (default) is supported; `inferred` is not.")] string? KnowledgeType = null,
    [property: JsonPropertyName("attribute_constraints"), Description("Evidence constraints, all of which must hold: `sg:evidence_tier`, `sg:effect`, `biolink:knowledge_level`, `sg:source`.")] IReadOnlyList<TrapiAttributeConstraint>? AttributeConstraints = null,
    [property: JsonPropertyName("qualifier_constraints"), Description("Not supported (the graph has no qualifiers); must be absent or empty.")] IReadOnlyList<JsonElement>? QualifierConstraints = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TrapiAttributeConstraint(
    [property: JsonPropertyName("id"), Description("`sg:evidence_tier` (T1–T5; `<` and `>` compare tier numbers, T1 strongest), `sg:effect`, `biolink:knowledge_level` or `sg:source` (a source id).")] string Id,
    [property: JsonPropertyName("name"), Description("A readable name for the constraint (required by TRAPI).")] string Name,
    [property: JsonPropertyName("operator"), Description("`==` (a list means any of), `===`, `>`, `<` or `matches` (a regular expression).")] string Operator,
    [property: JsonPropertyName("value"), Description("A value or a list of values.")] JsonElement Value,
    [property: JsonPropertyName("not"), Description("Negates the operator.")] bool? Not = null,
    [property: JsonPropertyName("unit_id"), Description("Not used.")] string? UnitId = null,
    [property: JsonPropertyName("unit_name"), Description("Not used.")] string? UnitName = null);

[Description("A TRAPI 1.5 Response, plus SpineGraph's extensions: graph_version, found, capped, truncated, sources, red_flags, disclaimer.")]
public sealed record TrapiResponse(
    [property: JsonPropertyName("message")] TrapiResponseMessage Message,
    [property: JsonPropertyName("status"), Description("`Success` when the query ran.")] string Status,
    [property: JsonPropertyName("description"), Description("How many results, and whether a bound cut the answer.")] string Description,
    [property: JsonPropertyName("logs")] IReadOnlyList<TrapiLogEntry> Logs,
    [property: JsonPropertyName("schema_version"), Description("The TRAPI version this answer follows.")] string SchemaVersion,
    [property: JsonPropertyName("biolink_version"), Description("The Biolink model version the categories and predicates come from.")] string BiolinkVersion,
    [property: JsonPropertyName("graph_version"), Description("The graph version (a hash of the seed) that answered.")] string GraphVersion,
    [property: JsonPropertyName("found"), Description("Results found before the limit (at most 10,000 are enumerated).")] int Found,
    [property: JsonPropertyName("capped"), Description("More results were found than `limit` returned.")] bool Capped,
    [property: JsonPropertyName("truncated"), Description("A bound (rows read, results enumerated) stopped the search: other results may exist.")] bool Truncated,
    [property: JsonPropertyName("sources"), Description("Every source the edges cite (by the ids in their `biolink:publications` attribute), once.")] IReadOnlyDictionary<string, KgSourceDto> Sources,
    [property: JsonPropertyName("red_flags"), Description("Bound nodes that are red-flag symptoms (urgent or emergency), most urgent first.")] IReadOnlyList<TrapiRedFlag> RedFlags,
    [property: JsonPropertyName("disclaimer")] string Disclaimer);

public sealed record TrapiResponseMessage(
    [property: JsonPropertyName("query_graph")] TrapiQueryGraph QueryGraph,
    [property: JsonPropertyName("knowledge_graph")] TrapiKnowledgeGraph KnowledgeGraph,
    [property: JsonPropertyName("results"), Description("Results, best first (highest analysis score).")] IReadOnlyList<TrapiResult> Results);

public sealed record TrapiKnowledgeGraph(
    [property: JsonPropertyName("nodes")] IReadOnlyDictionary<string, TrapiNode> Nodes,
    [property: JsonPropertyName("edges")] IReadOnlyDictionary<string, TrapiEdge> Edges);

public sealed record TrapiNode(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("categories")] IReadOnlyList<string> Categories,
    [property: JsonPropertyName("attributes"), Description("`sg:category`, and where they apply `biolink:xref`, `sg:treatment_kind`, `sg:urgency` (with the reason as its description).")] IReadOnlyList<TrapiAttribute> Attributes);

public sealed record TrapiEdge(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("predicate")] string Predicate,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("sources")] IReadOnlyList<TrapiRetrievalSource> Sources,
    [property: JsonPropertyName("attributes"), Description("`sg:predicate`, `sg:evidence_tier`, `sg:effect`, `biolink:knowledge_level`, `biolink:agent_type`, `biolink:publications`, `sg:claim`, and `sg:context` where given.")] IReadOnlyList<TrapiAttribute> Attributes);

public sealed record TrapiAttribute(
    [property: JsonPropertyName("attribute_type_id")] string AttributeTypeId,
    [property: JsonPropertyName("value"), Description("A string, or a list of strings.")] JsonElement Value,
    [property: JsonPropertyName("description")] string? Description = null);

public sealed record TrapiRetrievalSource(
    [property: JsonPropertyName("resource_id")] string ResourceId,
    [property: JsonPropertyName("resource_role")] string ResourceRole);

public sealed record TrapiResult(
    [property: JsonPropertyName("node_bindings")] IReadOnlyDictionary<string, IReadOnlyList<TrapiNodeBinding>> NodeBindings,
    [property: JsonPropertyName("analyses")] IReadOnlyList<TrapiAnalysis> Analyses);

public sealed record TrapiNodeBinding(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("attributes")] IReadOnlyList<TrapiAttribute> Attributes,
    [property: JsonPropertyName("query_id"), Description("The query node's id this node is a narrower kind of (subclass_of); absent when the node is that id.")] string? QueryId = null);

public sealed record TrapiAnalysis(
    [property: JsonPropertyName("resource_id")] string ResourceId,
    [property: JsonPropertyName("score"), Description("0 to 1, higher is better: 0.75 × the weakest plus 0.25 × the mean of the best edge per query edge, with T1 1.0, T2 0.8, T3 0.6, T4 0.4, T5 0.2.")] double Score,
    [property: JsonPropertyName("edge_bindings"), Description("Per query edge, every graph edge between the bound nodes that meets its constraints, strongest first.")] IReadOnlyDictionary<string, IReadOnlyList<TrapiEdgeBinding>> EdgeBindings,
    [property: JsonPropertyName("scoring_method")] string ScoringMethod);

public sealed record TrapiEdgeBinding(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("attributes")] IReadOnlyList<TrapiAttribute> Attributes);

public sealed record TrapiLogEntry(
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

public sealed record TrapiRedFlag(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("urgency"), Description("`emergency` or `urgent`.")] string Urgency,
    [property: JsonPropertyName("reason")] string? Reason);
