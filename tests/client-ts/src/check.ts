// A typed SpineGraph client (openapi-fetch over the types openapi-typescript generates from openapi/v1.json) that
// calls a running API and checks every answer against the document at runtime (contract.ts).
//
//   node dist/check.js <base URL> [path to openapi/v1.json]
//
// Exit code 0: every call answered as documented. 1: a mismatch (each one printed). 2: bad usage or a crash.
import { fileURLToPath } from "node:url";
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/v1.js";
import { Contract, type Operation } from "./contract.js";

type Schemas = components["schemas"];

const [baseUrl, documentPath = fileURLToPath(new URL("../../../openapi/v1.json", import.meta.url))] = process.argv.slice(2);
if (baseUrl === undefined || !/^https?:\/\//.test(baseUrl)) {
  console.error("usage: node dist/check.js <base URL, e.g. http://localhost:5080> [openapi/v1.json]");
  process.exit(2);
}

const contract = new Contract(documentPath);
// List parameters (effect, via, ids) are arrays in the document, sent comma-separated (form style, explode: false).
const client = createClient<paths>({ baseUrl, querySerializer: { array: { style: "form", explode: false } } });
const exercised = new Set<string>();

/** A response that differs from the document, or from what the question must answer. */
class Mismatch extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

interface Answer<T, E> {
  data?: T;
  error?: E;
  response: Response;
}

/** Checks status, content type and body against the document, and the status against the one expected. */
function conform<T, E>(operation: Operation, expected: number, answer: Answer<T, E>): void {
  exercised.add(`${operation.method.toUpperCase()} ${operation.path}`);
  const { response } = answer;
  const body: unknown = answer.data ?? answer.error;
  const problems = contract.check(operation, response.status, response.headers.get("content-type"), body);
  if (response.status !== expected)
    problems.unshift(`${operation.method.toUpperCase()} ${response.url}: status ${response.status}, expected ${expected}: ${JSON.stringify(body)?.slice(0, 300)}`);
  if (problems.length > 0) throw new Mismatch(problems);
}

/** A 200 whose JSON matches the document; its data, typed. */
function ok<T, E>(path: keyof paths, answer: Answer<T, E>, method: Operation["method"] = "get"): T {
  conform({ method, path }, 200, answer);
  if (answer.data === undefined) throw new Mismatch([`${method.toUpperCase()} ${path}: 200 without a body`]);
  return answer.data;
}

/** A documented problem (RFC 9457) with this status; its body, typed. */
function problem<T, E>(path: keyof paths, status: number, answer: Answer<T, E>, method: Operation["method"] = "get"): E {
  conform({ method, path }, status, answer);
  if (answer.error === undefined) throw new Mismatch([`${method.toUpperCase()} ${path}: ${status} without a problem body`]);
  return answer.error;
}

/** Things the answer must hold beyond its schema (e.g. every id an item refers to is in the answer's maps). */
function expect(condition: boolean, message: string): void {
  if (!condition) throw new Mismatch([message]);
}

/** Every node, edge and source id a normalized answer refers to is in its maps. */
function referencesResolve(
  what: string,
  answer: { nodes: Record<string, Schemas["KgNodeDto"]>; edges: Record<string, Schemas["EdgeDto"]>; sources: Record<string, Schemas["KgSourceDto"]> },
  nodeIds: Iterable<string>,
  edgeIds: Iterable<string>,
): void {
  const missing: string[] = [];
  for (const id of nodeIds) if (answer.nodes[id] === undefined) missing.push(`node ${id}`);
  for (const id of edgeIds) {
    const edge = answer.edges[id];
    if (edge === undefined) {
      missing.push(`edge ${id}`);
      continue;
    }
    for (const node of [edge.subject, edge.object]) if (answer.nodes[node] === undefined) missing.push(`node ${node} (of edge ${id})`);
    for (const source of edge.sources) if (answer.sources[source] === undefined) missing.push(`source ${source} (of edge ${id})`);
  }
  expect(missing.length === 0, `${what}: ids not in the answer's maps: ${missing.slice(0, 10).join(", ")}`);
}

type Cytoscape = Schemas["CytoscapeDocument"];

const isCytoscape = (x: unknown): x is Cytoscape => typeof x === "object" && x !== null && "elements" in x;

/** Operations that also answer `format=cytoscape` declare both bodies; without `format` the JSON answer is due. */
function json<T>(path: string, answer: T): Exclude<T, Cytoscape> {
  if (isCytoscape(answer)) throw new Mismatch([`${path}: a Cytoscape document came back where the JSON answer was asked for`]);
  return answer as Exclude<T, Cytoscape>;
}

/** The Cytoscape.js document of an answer that declares several bodies. */
function cytoscape(path: string, answer: unknown): Cytoscape {
  if (!isCytoscape(answer)) throw new Mismatch([`${path}: format=cytoscape did not answer a Cytoscape document`]);
  return answer;
}

const name = (answer: { nodes: Record<string, Schemas["KgNodeDto"]> }, id: string): string => answer.nodes[id]?.name ?? id;

// ─── One function per call. Each returns a one-line summary; a mismatch throws. ─────────────────────────────────

async function search(): Promise<string> {
  const path = "/api/v1/search";
  const hits = ok(path, await client.GET(path, { params: { query: { q: "pinched nerve" } } }));
  const first = hits.items[0];
  expect(first !== undefined, `search 'pinched nerve' found nothing`);
  const words = ok(path, await client.GET(path, { params: { query: { q: "numb leg", limit: 5 } } }));
  return `search 'pinched nerve': ${hits.items.length} hits, first ${first?.node.name} (${first?.matchKind} ${first?.matchedField}); ` +
    `'numb leg': ${words.items.map((h) => `${h.node.name} [${h.matchedWords.join(" ")}]`).join(", ")}`;
}

async function searchSuggestions(): Promise<string> {
  const path = "/api/v1/search";
  const none = ok(path, await client.GET(path, { params: { query: { q: "spasmus" } } }));
  expect(none.items.length === 0 && none.suggestions.length > 0, `search 'spasmus' was expected to find nothing and suggest instead`);
  return `search 'spasmus': no hits, suggestions ${none.suggestions.map((h) => h.node.name).join(", ")}`;
}

async function flagship(): Promise<string> {
  const path = "/api/v1/treatments";
  const query = { symptom: "muscle spasm", cause: "nerve compression" };
  const first = ok(path, await client.GET(path, { params: { query } }));
  expect(first.items.length > 0, "flagship: no treatments");
  const pages = [first];
  if (first.nextCursor !== undefined)
    pages.push(ok(path, await client.GET(path, { params: { query: { ...query, cursor: first.nextCursor } } })));
  for (const [i, page] of pages.entries()) {
    const items = [...page.items, ...page.evidenceAgainst];
    // adverseEvents are has_adverse_event edge ids; urgentSymptoms are node ids.
    const edges = items.flatMap((t) => [...t.paths.flatMap((p) => p.edges), ...t.adverseEvents]).concat(page.redFlags.flatMap((f) => f.path.edges));
    const nodes = items.flatMap((t) => [t.treatment, ...t.paths.flatMap((p) => p.nodes), ...t.urgentSymptoms]);
    referencesResolve(`flagship page ${i + 1}`, page, nodes.concat(page.redFlags.map((f) => f.symptom)), edges);
  }
  const top = first.items.slice(0, 3).map((t) => `${t.rank}. ${name(first, t.treatment)} ${t.evidenceTier} ${t.effect}`);
  return `flagship: ${first.total} treatments over ${pages.length} page(s) (${top.join("; ")}), ` +
    `${first.evidenceAgainst.length} with evidence against, ${first.redFlags.length} red flags`;
}

async function treatmentPaths(): Promise<string> {
  const path = "/api/v1/treatments/{id}/paths";
  const answer = ok(path, await client.GET(path, {
    params: { path: { id: "sg:laminectomy" }, query: { symptom: "muscle spasm", cause: "nerve compression" } },
  }));
  referencesResolve("treatment paths", answer, answer.items.flatMap((p) => p.nodes), answer.items.flatMap((p) => p.edges));
  return `paths of sg:laminectomy for the flagship: ${answer.items.length} (total ${answer.total ?? "unknown"})`;
}

async function node(): Promise<string> {
  const path = "/api/v1/nodes/{id}";
  const answer = ok(path, await client.GET(path, { params: { path: { id: "sg:muscle-spasm" } } }));
  const counts = answer.edgeCounts.map((c) => `${c.predicate}/${c.direction} ${c.count}`).join(", ");
  return `node ${answer.node.id} '${answer.node.name}' (${answer.node.category}): ${counts}`;
}

async function nodeEdges(): Promise<string> {
  const path = "/api/v1/nodes/{id}/edges";
  const answer = ok(path, await client.GET(path, { params: { path: { id: "sg:massage" }, query: { minTier: "T3" } } }));
  referencesResolve("node edges", answer, answer.items.map((e) => e.other), answer.items.map((e) => e.edge));
  const weak = answer.items.filter((e) => ["T4", "T5"].includes(answer.edges[e.edge]?.evidenceTier ?? "T5"));
  expect(weak.length === 0, `node edges minTier=T3: ${weak.length} edges weaker than T3`);
  return `edges of sg:massage at T3 or stronger: ${answer.items.length} of ${answer.total}`;
}

async function edges(): Promise<string> {
  const path = "/api/v1/edges";
  const answer = json(path, ok(path, await client.GET(path, { params: { query: { minTier: "T2", effect: ["benefit"], limit: 500 } } })));
  referencesResolve("edges", answer, [], answer.items);
  const off = answer.items.filter((id) => !["T1", "T2"].includes(answer.edges[id]?.evidenceTier ?? "") || answer.edges[id]?.effect !== "benefit");
  expect(off.length === 0, `edges minTier=T2 effect=benefit: ${off.length} edges outside the filter (${off.slice(0, 3).join(", ")})`);
  return `edges with T1–T2 evidence of benefit: ${answer.items.length}`;
}

async function nodes(): Promise<string> {
  const path = "/api/v1/nodes";
  const answer = ok(path, await client.GET(path, { params: { query: { category: "symptom", limit: 5 } } }));
  expect(answer.items.every((n) => n.category === "symptom"), "nodes category=symptom: a node of another category");
  return `nodes category=symptom: first page of ${answer.items.length}${answer.nextCursor === undefined ? "" : ", more pages"}`;
}

async function symptomCauses(): Promise<string> {
  const path = "/api/v1/symptoms/{id}/causes";
  const answer = ok(path, await client.GET(path, { params: { path: { id: "sg:muscle-spasm" } } }));
  referencesResolve("causes", answer, answer.items.map((c) => c.cause), answer.items.flatMap((c) => c.bestPath.edges));
  return `causes of muscle spasm: ${answer.total}, first ${answer.items[0] === undefined ? "-" : name(answer, answer.items[0].cause)}`;
}

async function conditionTreatments(): Promise<string> {
  const path = "/api/v1/conditions/{id}/treatments";
  const effect: Schemas["Effect"][] = ["benefit", "uncertain"];
  const answer = ok(path, await client.GET(path, { params: { path: { id: "sg:spinal-stenosis" }, query: { effect } } }));
  expect(answer.items.every((t) => effect.includes(t.effect)), `condition treatments effect=${effect.join(",")}: an item with another effect`);
  return `treatments of spinal stenosis with evidence of benefit or uncertain: ${answer.total} ` +
    `(routes ${[...new Set(answer.items.flatMap((t) => t.routes))].join(", ")})`;
}

async function findPaths(): Promise<string> {
  const path = "/api/v1/paths";
  const answer = json(path, ok(path, await client.GET(path, { params: { query: { from: "sg:herniated-disc", to: "sg:muscle-spasm" } } })));
  referencesResolve("paths", answer, answer.items.flatMap((p) => p.nodes), answer.items.flatMap((p) => p.edges));
  const shortest = answer.items[0];
  return `paths herniated disc → muscle spasm: ${answer.items.length}, shortest ${shortest === undefined ? "-" : shortest.nodes.map((id) => name(answer, id)).join(" → ")}`;
}

async function subgraph(): Promise<string> {
  const path = "/api/v1/subgraph";
  const answer = json(path, ok(path, await client.GET(path, { params: { query: { ids: ["sg:spinal-stenosis", "sg:muscle-spasm"], depth: 1 } } })));
  referencesResolve("subgraph", answer, answer.nodeIds, answer.edgeIds);
  return `subgraph around 2 nodes: ${answer.nodeIds.length} nodes, ${answer.edgeIds.length} edges`;
}

async function meta(): Promise<string> {
  const path = "/api/v1/meta";
  const answer = ok(path, await client.GET(path));
  return `meta: version ${answer.version}, ${answer.nodeCount} nodes, ${answer.edgeCount} edges, ${answer.sourceCount} sources`;
}

async function health(): Promise<string> {
  const live = ok("/health/live", await client.GET("/health/live"));
  const ready = ok("/health/ready", await client.GET("/health/ready"));
  return `health: live ${live.status}, ready ${ready.status} (${ready.backend})`;
}

async function problems(): Promise<string> {
  const unknown = problem("/api/v1/nodes/{id}", 404, await client.GET("/api/v1/nodes/{id}", { params: { path: { id: "sg:no-such-node" } } }));
  const tooMany = problem("/api/v1/nodes", 400, await client.GET("/api/v1/nodes", { params: { query: { limit: 1000 } } }));
  expect(typeof tooMany["errors"] === "object" && tooMany["errors"] !== null && "limit" in tooMany["errors"],
    `400 for limit=1000 does not name 'limit' in its errors map: ${JSON.stringify(tooMany)}`);
  return `problems: 404 '${unknown.title}', 400 '${tooMany.title}' naming limit`;
}

// ─── Researchers: pattern queries and exports ──────────────────────────────────────────────────────────────────

async function query(): Promise<string> {
  const path = "/api/v1/query";
  // The README's multi-hop pattern: treatments relieving a symptom that spinal cord injury causes through a mechanism.
  const answer = ok(path, await client.POST(path, {
    body: {
      message: {
        query_graph: {
          nodes: {
            injury: { ids: ["sg:spinal-cord-injury"] },
            mechanism: { categories: ["biolink:PathologicalProcess"] },
            symptom: { categories: ["biolink:PhenotypicFeature"] },
            treatment: { categories: ["biolink:Treatment"] },
          },
          edges: {
            brings_about: { subject: "injury", object: "mechanism", predicates: ["biolink:causes"] },
            leads_to: { subject: "mechanism", object: "symptom", predicates: ["biolink:causes"] },
            relieves: {
              subject: "treatment", object: "symptom", predicates: ["relieves"],
              attribute_constraints: [{ id: "sg:evidence_tier", name: "evidence tier", operator: "<", value: "T5" }],
            },
          },
        },
      },
    },
  }), "post");
  const kg = answer.message.knowledge_graph;
  const missing: string[] = [];
  for (const result of answer.message.results) {
    for (const [key, bindings] of Object.entries(result.node_bindings))
      for (const b of bindings) if (kg.nodes[b.id] === undefined) missing.push(`node ${b.id} (bound to ${key})`);
    for (const analysis of result.analyses)
      for (const bindings of Object.values(analysis.edge_bindings))
        for (const b of bindings) {
          const edge = kg.edges[b.id];
          if (edge === undefined) missing.push(`edge ${b.id}`);
          const cited = edge?.attributes.find((a) => a.attribute_type_id === "biolink:publications")?.value;
          for (const source of Array.isArray(cited) ? cited : []) if (answer.sources[String(source)] === undefined) missing.push(`source ${String(source)}`);
        }
  }
  expect(missing.length === 0, `query: ids not in the answer: ${missing.slice(0, 10).join(", ")}`);
  const first = answer.message.results[0];
  const treatment = first?.node_bindings["treatment"]?.[0]?.id;
  expect(treatment !== undefined, "query: the README's pattern found nothing");
  const bad = problem(path, 400, await client.POST(path, { body: { message: { query_graph: { nodes: {}, edges: {} } } } }), "post");
  return `query: ${answer.message.results.length} results (TRAPI ${answer.schema_version}), first ${kg.nodes[treatment ?? ""]?.name} ` +
    `score ${first?.analyses[0]?.score}; empty pattern → 400 '${bad.title}'`;
}

async function exportGraph(): Promise<string> {
  const path = "/api/v1/export";
  const cy = cytoscape(path, ok(path, await client.GET(path, { params: { query: { format: "cytoscape" } } })));
  const disposition = (await client.GET(path, { params: { query: { format: "csv", ids: ["sg:herniated-disc"], depth: 1 } }, parseAs: "text" })).response.headers.get("content-disposition");
  expect(disposition?.startsWith("attachment; filename=\"spinegraph-") === true, `export csv: Content-Disposition is '${disposition}'`);
  const meta = ok("/api/v1/meta", await client.GET("/api/v1/meta"));
  expect(cy.elements.nodes.length === meta.nodeCount && cy.elements.edges.length === meta.edgeCount,
    `export cytoscape: ${cy.elements.nodes.length} nodes and ${cy.elements.edges.length} edges, /meta says ${meta.nodeCount} and ${meta.edgeCount}`);
  return `export: cytoscape ${cy.elements.nodes.length} nodes, ${cy.elements.edges.length} edges, version ${cy.data.version}; csv as ${disposition}`;
}

const checks: Record<string, () => Promise<string>> = {
  search,
  searchSuggestions,
  flagship,
  treatmentPaths,
  node,
  nodeEdges,
  edges,
  nodes,
  symptomCauses,
  conditionTreatments,
  findPaths,
  subgraph,
  meta,
  health,
  problems,
  query,
  exportGraph,
};

async function main(): Promise<number> {
  // A hang guard only: the whole run takes seconds.
  setTimeout(() => {
    console.error("FAIL: no answer within 5 minutes");
    process.exit(2);
  }, 5 * 60_000).unref();
  console.log(`checking ${baseUrl} against ${documentPath}`);
  let failed = 0;
  for (const [label, run] of Object.entries(checks)) {
    try {
      console.log(`ok   ${await run()}`);
    } catch (error) {
      failed++;
      if (!(error instanceof Mismatch)) throw error;
      console.log(`FAIL ${label}:`);
      for (const line of error.problems.slice(0, 20)) console.log(`     ${line}`);
      if (error.problems.length > 20) console.log(`     … and ${error.problems.length - 20} more`);
    }
  }
  const untouched = contract.operations().filter((op) => !exercised.has(op));
  if (untouched.length > 0) console.log(`not exercised (no call yet): ${untouched.join(", ")}`);
  console.log(`${Object.keys(checks).length - failed} of ${Object.keys(checks).length} checks passed; ${exercised.size} of ${contract.operations().length} documented operations exercised`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("FAIL: the check crashed:", error);
    process.exit(2);
  },
);
