using System.Text;
using System.Xml;
using SpineGraph.Api.Dtos;
using SpineGraph.Core;

namespace SpineGraph.Api.Export;

/// <summary>
/// GraphML (http://graphml.graphdrawing.org/): one directed graph whose <c>&lt;data&gt;</c> carries the graph version
/// and scope; every node and edge with its fields as string attributes (<c>attr.name</c> as in the KGX files, lists
/// joined by <c>|</c>, absent ones left out), and <c>label</c> (the name) for Gephi. Edges keep their ids.
/// </summary>
internal static class GraphMlWriter
{
    private const string Ns = "http://graphml.graphdrawing.org/xmlns";

    private static readonly (string Id, string For, string Name)[] Keys =
    [
        ("g_name", "graph", "name"), ("g_version", "graph", "version"), ("g_scope", "graph", "scope"), ("g_ids", "graph", "ids"),
        ("g_depth", "graph", "depth"), ("g_min_tier", "graph", "min_tier"), ("g_truncated", "graph", "truncated"), ("g_disclaimer", "graph", "disclaimer"),
        ("n_label", "node", "label"), ("n_name", "node", "name"), ("n_category", "node", "category"), ("n_biolink_category", "node", "biolink_category"),
        ("n_description", "node", "description"), ("n_synonym", "node", "synonym"), ("n_lay_terms", "node", "lay_terms"), ("n_xref", "node", "xref"),
        ("n_treatment_kind", "node", "treatment_kind"), ("n_urgency", "node", "urgency"), ("n_urgency_reason", "node", "urgency_reason"),
        ("e_predicate", "edge", "predicate"), ("e_biolink_predicate", "edge", "biolink_predicate"), ("e_evidence_tier", "edge", "evidence_tier"),
        ("e_effect", "edge", "effect"), ("e_knowledge_level", "edge", "knowledge_level"), ("e_agent_type", "edge", "agent_type"),
        ("e_claim", "edge", "claim"), ("e_context", "edge", "context"), ("e_publications", "edge", "publications"),
        ("e_primary_knowledge_source", "edge", "primary_knowledge_source"),
    ];

    public static async Task WriteAsync(ExportScope scope, Stream output, CancellationToken ct)
    {
        var sink = new PageSink(output);
        using (var xml = XmlWriter.Create(sink.Buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("graphml", Ns);
            xml.WriteAttributeString("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
            xml.WriteAttributeString("xsi", "schemaLocation", "http://www.w3.org/2001/XMLSchema-instance",
                Ns + " http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd");
            foreach (var (id, kind, name) in Keys)
            {
                xml.WriteStartElement("key", Ns);
                xml.WriteAttributeString("id", id);
                xml.WriteAttributeString("for", kind);
                xml.WriteAttributeString("attr.name", name);
                xml.WriteAttributeString("attr.type", "string");
                xml.WriteEndElement();
            }
            xml.WriteStartElement("graph", Ns);
            xml.WriteAttributeString("id", "spinegraph");
            xml.WriteAttributeString("edgedefault", "directed");
            Data(xml, "g_name", CytoscapeMapping.GraphName);
            Data(xml, "g_version", scope.Version);
            Data(xml, "g_scope", scope.Ids is null ? "whole" : "neighbourhood");
            if (scope.Ids is not null) Data(xml, "g_ids", string.Join(",", scope.Ids));
            if (scope.Depth is { } d) Data(xml, "g_depth", d.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Data(xml, "g_min_tier", Vocabulary.Snake(scope.MinTier));
            Data(xml, "g_truncated", scope.Truncated ? "true" : "false");
            Data(xml, "g_disclaimer", DtoMapping.Disclaimer);

            await foreach (var page in scope.NodePagesAsync(ct))
            {
                foreach (var n in page)
                {
                    xml.WriteStartElement("node", Ns);
                    xml.WriteAttributeString("id", n.Id);
                    Data(xml, "n_label", n.Name);
                    Data(xml, "n_name", n.Name);
                    Data(xml, "n_category", Vocabulary.Snake(n.Category));
                    Data(xml, "n_biolink_category", Vocabulary.Biolink(n.Category));
                    Data(xml, "n_description", n.Description);
                    Data(xml, "n_synonym", n.Synonyms);
                    Data(xml, "n_lay_terms", n.LayTerms);
                    Data(xml, "n_xref", n.Xrefs);
                    Data(xml, "n_treatment_kind", n.TreatmentKind is { } k ? Vocabulary.Snake(k) : null);
                    Data(xml, "n_urgency", n.Urgency == Urgency.None ? null : Vocabulary.Snake(n.Urgency));
                    Data(xml, "n_urgency_reason", n.UrgencyReason);
                    xml.WriteEndElement();
                }
                xml.Flush();
                await sink.FlushAsync(ct);
            }
            await foreach (var page in scope.EdgePagesAsync(ct))
            {
                foreach (var e in page.Edges)
                {
                    xml.WriteStartElement("edge", Ns);
                    xml.WriteAttributeString("id", e.Id);
                    xml.WriteAttributeString("source", e.Subject);
                    xml.WriteAttributeString("target", e.Object);
                    Data(xml, "e_predicate", Vocabulary.Snake(e.Predicate));
                    Data(xml, "e_biolink_predicate", Vocabulary.Biolink(e.Predicate));
                    Data(xml, "e_evidence_tier", Vocabulary.Snake(e.Tier));
                    Data(xml, "e_effect", Vocabulary.Snake(e.Effect));
                    Data(xml, "e_knowledge_level", Vocabulary.Snake(e.KnowledgeLevel));
                    Data(xml, "e_agent_type", Vocabulary.Snake(e.AgentType));
                    Data(xml, "e_claim", e.Claim);
                    Data(xml, "e_context", e.Context);
                    Data(xml, "e_publications", e.Sources.Select(s => s.Id).ToArray());
                    Data(xml, "e_primary_knowledge_source", e.PrimaryKnowledgeSource);
                    xml.WriteEndElement();
                }
                xml.Flush();
                await sink.FlushAsync(ct);
            }
            xml.WriteEndElement(); // graph
            xml.WriteEndElement(); // graphml
            xml.WriteEndDocument();
        }
        sink.Buffer.WriteByte((byte)'\n');
        await sink.FlushAsync(ct);
    }

    private static void Data(XmlWriter xml, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0) Data(xml, key, string.Join('|', values));
    }

    private static void Data(XmlWriter xml, string key, string? value)
    {
        if (value is null) return;
        xml.WriteStartElement("data", Ns);
        xml.WriteAttributeString("key", key);
        xml.WriteString(value);
        xml.WriteEndElement();
    }
}
