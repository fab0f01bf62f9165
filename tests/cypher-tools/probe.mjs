// Capability probe: runs a list of Cypher constructs against the embedded
// grafeo engine (and lints each with @neo4j-cypher/language-support as Cypher 5)
// and prints one JSON line per probe. Usage: node probe.mjs [--markdown]
import { createRequire } from 'node:module';
import { lintCypherQuery } from '@neo4j-cypher/language-support';
const require = createRequire(import.meta.url);
const { GrafeoDB } = require('@grafeo-db/js');

const SEED = [
  "CREATE (:Node:Condition {id:'c1', name:'Flu', rank:1, tags:['a','b']})",
  "CREATE (:Node:Condition {id:'c2', name:'Cold', rank:2, tags:['b']})",
  "CREATE (:Node:Phenotype {id:'p1', name:'Fever', rank:3})",
  "CREATE (:Node:Phenotype {id:'p2', name:'Cough', rank:4})",
  "MATCH (a:Node {id:'c1'}), (b:Node {id:'c2'}) CREATE (a)-[:CAUSES {w:0.9, source:'x'}]->(b)",
  "MATCH (a:Node {id:'c2'}), (b:Node {id:'p1'}) CREATE (a)-[:HAS_PHENOTYPE {w:0.5, source:'x'}]->(b)",
  "MATCH (a:Node {id:'c1'}), (b:Node {id:'p2'}) CREATE (a)-[:HAS_PHENOTYPE {w:0.2, source:'y'}]->(b)",
];

// [name, cypher, params, expect(rows) -> true|string]
export const PROBES = [
  ['CREATE CONSTRAINT ... IF NOT EXISTS (unique)', 'CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE'],
  ['unique constraint enforced on CREATE', "CREATE (:Node {id:'c1'})", {}, null, 'expectError'],
  ['CREATE CONSTRAINT twice with IF NOT EXISTS', 'CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE'],
  ['CREATE INDEX ... IF NOT EXISTS', 'CREATE INDEX node_name IF NOT EXISTS FOR (n:Node) ON (n.name)'],
  ['CREATE INDEX twice with IF NOT EXISTS', 'CREATE INDEX node_name IF NOT EXISTS FOR (n:Node) ON (n.name)'],
  ['CREATE FULLTEXT INDEX', 'CREATE FULLTEXT INDEX node_text IF NOT EXISTS FOR (n:Node) ON EACH [n.name]'],
  ['CREATE INDEX on relationship property', 'CREATE INDEX rel_source IF NOT EXISTS FOR ()-[r:CAUSES]-() ON (r.source)'],
  ['SHOW CONSTRAINTS', 'SHOW CONSTRAINTS'],
  ['SHOW INDEXES', 'SHOW INDEXES'],
  ['UNWIND $rows MERGE SET +=', 'UNWIND $rows AS row MERGE (n:Node {id: row.id}) SET n += row.props RETURN count(n) AS c',
    { rows: [{ id: 'c1', props: { name: 'Influenza', score: 1.5 } }, { id: 'x9', props: { name: 'New', flags: [1, 2] } }] },
    (r) => r[0]?.[0] === 2 || 'count'],
  ['  ... MERGE matched existing (no dup) & SET += applied', "MATCH (n:Node {id:'c1'}) RETURN count(n) AS c, n.name AS name, n.score AS score", {},
    (r) => (r[0]?.[0] === 1 && r[0]?.[1] === 'Influenza') || 'dup or not updated'],
  ['MERGE ... ON CREATE SET / ON MATCH SET', "MERGE (n:Node {id:'x9'}) ON CREATE SET n.created = true ON MATCH SET n.matched = true RETURN n.matched AS m, n.created AS c", {},
    (r) => (r[0]?.[0] === true && r[0]?.[1] == null) || 'wrong branch'],
  ['SET n:Label (static)', "MATCH (n:Node {id:'x9'}) SET n:Condition RETURN labels(n) AS l", {}, (r) => r[0]?.[0]?.includes('Condition') || 'label not set'],
  ['SET n:$(expr) dynamic label (Neo4j 5.26+)', "UNWIND $rows AS row MATCH (n:Node {id: row.id}) SET n:$(row.label) RETURN labels(n) AS l",
    { rows: [{ id: 'x9', label: 'Dyn' }] }, (r) => r[0]?.[0]?.includes('Dyn') || 'label not set'],
  ['CREATE (n:$(expr)) dynamic label', "CREATE (n:$($lbl) {id:'dyn2'}) RETURN labels(n) AS l", { lbl: 'Dyn2' }, (r) => r[0]?.[0]?.includes('Dyn2') || 'label not set'],
  ['MATCH (n:$(expr)) dynamic label', "MATCH (n:$($lbl)) RETURN count(n) AS c", { lbl: 'Condition' }, (r) => r[0]?.[0] >= 2 || 'no match'],
  ['MERGE ()-[:$(expr)]->() dynamic rel type', "MATCH (a:Node {id:'x9'}), (b:Node {id:'p1'}) MERGE (a)-[r:$($t)]->(b) RETURN type(r) AS t", { t: 'DYN_REL' }, (r) => r[0]?.[0] === 'DYN_REL' || 'wrong'],
  ['REMOVE n:Label', "MATCH (n:Node {id:'x9'}) REMOVE n:Dyn RETURN labels(n) AS l", {}, (r) => !r[0]?.[0]?.includes('Dyn') || 'not removed'],
  ['MERGE rel between MATCHed nodes', "MATCH (a:Node {id:'x9'}), (b:Node {id:'p2'}) MERGE (a)-[r:HAS_PHENOTYPE {source:'m'}]->(b) SET r.w = 0.7 RETURN type(r) AS t", {}, (r) => r[0]?.[0] === 'HAS_PHENOTYPE' || 'wrong'],
  ['  ... MERGE rel again (idempotent)', "MATCH (a:Node {id:'x9'}), (b:Node {id:'p2'}) MERGE (a)-[r:HAS_PHENOTYPE {source:'m'}]->(b) WITH count(r) AS c MATCH (:Node {id:'x9'})-[r2:HAS_PHENOTYPE]->(:Node {id:'p2'}) RETURN count(r2) AS n", {}, (r) => r[0]?.[0] === 1 || `count=${r[0]?.[0]}`],
  ['UNWIND $rels MATCH..MATCH..MERGE rel SET r += props', "UNWIND $rels AS rel MATCH (a:Node {id: rel.from}) MATCH (b:Node {id: rel.to}) MERGE (a)-[r:CAUSES]->(b) SET r += rel.props RETURN count(r) AS c",
    { rels: [{ from: 'x9', to: 'c2', props: { w: 0.3 } }] }, (r) => r[0]?.[0] === 1 || 'count'],
  ['var-length -[:A|B*1..4]-> with all(r IN relationships(p) WHERE ...)', "MATCH p=(a:Node {id:'c1'})-[:CAUSES|HAS_PHENOTYPE*1..4]->(b) WHERE all(r IN relationships(p) WHERE r.w > 0.1) RETURN b.id AS id ORDER BY id", {},
    (r) => JSON.stringify(r.map((x) => x[0])) === '["c2","p1","p2"]' || JSON.stringify(r)],
  ['  ... var-length filter actually filters', "MATCH p=(a:Node {id:'c1'})-[:CAUSES|HAS_PHENOTYPE*1..4]->(b) WHERE all(r IN relationships(p) WHERE r.w > 0.6) RETURN b.id AS id ORDER BY id", {},
    (r) => JSON.stringify(r.map((x) => x[0])) === '["c2"]' || JSON.stringify(r)],
  ['var-length relationship list variable -[rs*1..2]->', "MATCH (a:Node {id:'c1'})-[rs:CAUSES|HAS_PHENOTYPE*1..2]->(b) RETURN b.id AS id, size(rs) AS n ORDER BY n, id", {},
    (r) => r.length === 3 || JSON.stringify(r)],
  ['var-length *0..', "MATCH (a:Node {id:'c1'})-[*0..1]->(b) RETURN count(b) AS c", {}, (r) => r[0]?.[0] === 3 || JSON.stringify(r)],
  ['undirected var-length -[*1..2]-', "MATCH (a:Node {id:'p1'})-[*1..2]-(b) RETURN count(DISTINCT b) AS c", {}, (r) => r[0]?.[0] >= 2 || JSON.stringify(r)],
  ['shortestPath', "MATCH (a:Node {id:'c1'}), (b:Node {id:'p1'}) MATCH p = shortestPath((a)-[*..5]->(b)) RETURN length(p) AS len", {}, (r) => r[0]?.[0] === 2 || JSON.stringify(r)],
  ['allShortestPaths', "MATCH (a:Node {id:'c1'}), (b:Node {id:'p1'}) MATCH p = allShortestPaths((a)-[*..5]->(b)) RETURN length(p) AS len", {}, (r) => r[0]?.[0] === 2 || JSON.stringify(r)],
  ['SHORTEST 1 (GQL, Neo4j 5.21+)', "MATCH p = SHORTEST 1 (a:Node {id:'c1'})-[]->+(b:Node {id:'p1'}) RETURN length(p) AS len", {}, (r) => r[0]?.[0] === 2 || JSON.stringify(r)],
  ['quantified path pattern ()-[]->{1,3}', "MATCH (a:Node {id:'c1'})-[:CAUSES|HAS_PHENOTYPE]->{1,3}(b) RETURN count(b) AS c", {}, (r) => r[0]?.[0] === 3 || JSON.stringify(r)],
  ['nodes(p) / relationships(p) / length(p)', "MATCH p=(a:Node {id:'c1'})-[:CAUSES]->(b)-[:HAS_PHENOTYPE]->(c) RETURN [x IN nodes(p) | x.id] AS ids, [r IN relationships(p) | type(r)] AS types, length(p) AS len", {},
    (r) => (JSON.stringify(r[0]) === '[["c1","c2","p1"],["CAUSES","HAS_PHENOTYPE"],2]') || JSON.stringify(r)],
  ['return path p', "MATCH p=(a:Node {id:'c1'})-[:CAUSES]->(b) RETURN p", {}, (r) => r.length === 1 || JSON.stringify(r)],
  ['list comprehension with WHERE', "RETURN [x IN range(1,6) WHERE x % 2 = 0 | x * 10] AS l", {}, (r) => JSON.stringify(r[0]?.[0]) === '[20,40,60]' || JSON.stringify(r)],
  ['pattern comprehension', "MATCH (a:Node {id:'c1'}) RETURN [(a)-[:HAS_PHENOTYPE]->(p) | p.id] AS ps", {}, (r) => JSON.stringify(r[0]?.[0]) === '["p2"]' || JSON.stringify(r)],
  ['ORDER BY on list values', "UNWIND [[2,1],[1,5],[1,2]] AS l RETURN l ORDER BY l", {}, (r) => JSON.stringify(r.map((x) => x[0])) === '[[1,2],[1,5],[2,1]]' || JSON.stringify(r)],
  ['ORDER BY ... DESC, multiple keys', "MATCH (n:Node) WHERE n.rank IS NOT NULL RETURN n.id AS id ORDER BY n.rank DESC, n.id ASC", {}, (r) => r[0]?.[0] === 'p2' || JSON.stringify(r)],
  ['collect / count / min / max / avg / sum', "MATCH (n:Node) WHERE n.rank IS NOT NULL RETURN collect(n.id) AS ids, count(*) AS c, min(n.rank) AS mi, max(n.rank) AS ma, avg(n.rank) AS av, sum(n.rank) AS s", {},
    (r) => (r[0]?.[1] === 4 && r[0]?.[2] === 1 && r[0]?.[3] === 4 && r[0]?.[4] === 2.5 && r[0]?.[5] === 10) || JSON.stringify(r)],
  ['collect(DISTINCT x)', "UNWIND [1,1,2] AS x RETURN collect(DISTINCT x) AS l", {}, (r) => JSON.stringify(r[0]?.[0]) === '[1,2]' || JSON.stringify(r)],
  ['collect of maps {..}', "MATCH (n:Phenotype) WITH n ORDER BY n.id RETURN collect({id: n.id, name: n.name}) AS l", {}, (r) => JSON.stringify(r[0]?.[0]) === '[{"id":"p1","name":"Fever"},{"id":"p2","name":"Cough"}]' || JSON.stringify(r)],
  ['map projection n {.id, .name}', "MATCH (n:Node {id:'p1'}) RETURN n {.id, .name, extra: 1} AS m", {}, (r) => sortedJson(r[0]?.[0]) === sortedJson({ id: 'p1', name: 'Fever', extra: 1 }) || JSON.stringify(r)],
  ['CALL { ... } subquery (importing WITH)', "MATCH (n:Condition) CALL { WITH n MATCH (n)-[:HAS_PHENOTYPE]->(p) RETURN count(p) AS pc } RETURN n.id AS id, pc ORDER BY id", {}, (r) => r.length >= 2 || JSON.stringify(r)],
  ['CALL (n) { ... } scoped subquery (5.23+)', "MATCH (n:Condition) CALL (n) { MATCH (n)-[:HAS_PHENOTYPE]->(p) RETURN count(p) AS pc } RETURN n.id AS id, pc ORDER BY id", {}, (r) => r.length >= 2 || JSON.stringify(r)],
  ['CALL { ... } IN TRANSACTIONS', "UNWIND range(1,3) AS i CALL { WITH i CREATE (:Tmp {i:i}) } IN TRANSACTIONS OF 2 ROWS"],
  ['UNION ALL', "RETURN 1 AS x UNION ALL RETURN 1 AS x", {}, (r) => r.length === 2 || JSON.stringify(r)],
  ['UNION (distinct)', "RETURN 1 AS x UNION RETURN 1 AS x UNION RETURN 2 AS x", {}, (r) => r.length === 2 || JSON.stringify(r)],
  ['OPTIONAL MATCH (null when absent)', "MATCH (n:Node {id:'p1'}) OPTIONAL MATCH (n)-[:CAUSES]->(m) RETURN n.id AS id, m AS m", {}, (r) => (r.length === 1 && r[0][1] === null) || JSON.stringify(r)],
  ['coalesce', "MATCH (n:Node {id:'p1'}) RETURN coalesce(n.missing, n.name, 'x') AS v", {}, (r) => r[0]?.[0] === 'Fever' || JSON.stringify(r)],
  ['size(list) / size(string)', "RETURN size([1,2,3]) AS a, size('abcd') AS b", {}, (r) => (r[0]?.[0] === 3 && r[0]?.[1] === 4) || JSON.stringify(r)],
  ['size((n)-->()) pattern (removed in 5)', "MATCH (n:Node {id:'c1'}) RETURN size((n)-->()) AS d", {}, null, 'neo4jInvalid'],
  ['COUNT { } subquery', "MATCH (n:Node {id:'c1'}) RETURN COUNT { (n)-->() } AS d", {}, (r) => r[0]?.[0] === 2 || JSON.stringify(r)],
  ['COUNT { MATCH ... WHERE ... }', "MATCH (n:Node {id:'c1'}) RETURN COUNT { MATCH (n)-[r]->() WHERE r.w > 0.5 } AS d", {}, (r) => r[0]?.[0] === 1 || JSON.stringify(r)],
  ['EXISTS { } subquery', "MATCH (n:Node) WHERE EXISTS { (n)-[:CAUSES]->() } RETURN n.id AS id ORDER BY id", {}, (r) => JSON.stringify(r.map((x) => x[0])) === '["c1","x9"]' || JSON.stringify(r)],
  ['NOT EXISTS { MATCH ... WHERE }', "MATCH (n:Phenotype) WHERE NOT EXISTS { MATCH (n)<-[r]-() WHERE r.w > 0.4 } RETURN n.id AS id ORDER BY id", {}, (r) => r.length >= 0 || JSON.stringify(r)],
  ['COLLECT { } subquery (5.6+)', "MATCH (n:Node {id:'c1'}) RETURN COLLECT { MATCH (n)-->(m) RETURN m.id ORDER BY m.id } AS l", {}, (r) => JSON.stringify(r[0]?.[0]) === '["c2","p2"]' || JSON.stringify(r)],
  ['pattern predicate in WHERE (n)-->()', "MATCH (n:Node) WHERE (n)-[:CAUSES]->() RETURN count(n) AS c", {}, (r) => r[0]?.[0] === 2 || JSON.stringify(r)],
  ['elementId(n) (string)', "MATCH (n:Node {id:'c1'}) RETURN elementId(n) AS e", {}, (r) => typeof r[0]?.[0] === 'string' || `type ${typeof r[0]?.[0]}: ${JSON.stringify(r)}`],
  ['MATCH by elementId(n) = $id', "MATCH (n:Node {id:'c1'}) WITH elementId(n) AS e MATCH (m) WHERE elementId(m) = e RETURN m.id AS id", {}, (r) => r[0]?.[0] === 'c1' || JSON.stringify(r)],
  ['elementId(r)', "MATCH ()-[r:CAUSES]->() RETURN elementId(r) AS e LIMIT 1", {}, (r) => r[0]?.[0] != null || JSON.stringify(r)],
  ['id(n) (deprecated in 5)', "MATCH (n:Node {id:'c1'}) RETURN id(n) AS i", {}, (r) => typeof r[0]?.[0] === 'number' || JSON.stringify(r)],
  ['startNode(r) / endNode(r)', "MATCH ()-[r:CAUSES]->() WHERE r.source = 'x' RETURN startNode(r).id AS s, endNode(r).id AS e", {}, (r) => (r[0]?.[0] === 'c1' && r[0]?.[1] === 'c2') || JSON.stringify(r)],
  ['type(r)', "MATCH (:Node {id:'c1'})-[r]->(:Node {id:'c2'}) RETURN type(r) AS t", {}, (r) => r[0]?.[0] === 'CAUSES' || JSON.stringify(r)],
  ['properties(r)', "MATCH (:Node {id:'c1'})-[r:CAUSES]->() RETURN properties(r) AS p", {}, (r) => sortedJson(r[0]?.[0]) === sortedJson({ w: 0.9, source: 'x' }) || JSON.stringify(r)],
  ['properties(n)', "MATCH (n:Node {id:'p1'}) RETURN properties(n) AS p", {}, (r) => r[0]?.[0]?.name === 'Fever' || JSON.stringify(r)],
  ['labels(n)', "MATCH (n:Node {id:'c1'}) RETURN labels(n) AS l", {}, (r) => JSON.stringify([...r[0]?.[0] ?? []].sort()) === '["Condition","Node"]' || JSON.stringify(r)],
  ['keys(n)', "MATCH (n:Node {id:'p1'}) RETURN keys(n) AS k", {}, (r) => r[0]?.[0]?.includes('name') || JSON.stringify(r)],
  ['label predicate n:A|B in WHERE', "MATCH (n) WHERE n:Condition|Phenotype RETURN count(n) AS c", {}, (r) => r[0]?.[0] >= 4 || JSON.stringify(r)],
  ['label expression in MATCH (n:A|B)', "MATCH (n:Condition|Phenotype) RETURN count(n) AS c", {}, (r) => r[0]?.[0] >= 4 || JSON.stringify(r)],
  ['$param of list type with IN', "MATCH (n:Node) WHERE n.id IN $ids RETURN n.id AS id ORDER BY id", { ids: ['c1', 'p1', 'zz'] }, (r) => JSON.stringify(r.map((x) => x[0])) === '["c1","p1"]' || JSON.stringify(r)],
  ['$param of map type, property access', "RETURN $m.a AS a, $m.b.c AS c", { m: { a: 1, b: { c: 'x' } } }, (r) => (r[0]?.[0] === 1 && r[0]?.[1] === 'x') || JSON.stringify(r)],
  ['CREATE (n:L $map) (map param as properties)', "CREATE (n:Tmp2 $props) RETURN n.a AS a", { props: { a: 5, b: 'q' } }, (r) => r[0]?.[0] === 5 || JSON.stringify(r)],
  ['CREATE (n:L) SET n = $map', "CREATE (n:Tmp3) SET n = $props RETURN n.a AS a, n.b AS b", { props: { a: 5, b: 'q' } }, (r) => r[0]?.[0] === 5 || JSON.stringify(r)],
  ['SET n += $map (param)', "MATCH (n:Tmp3) SET n += $props RETURN n.a AS a, n.c AS c", { props: { a: 6, c: [1, 2] } }, (r) => (r[0]?.[0] === 6 && JSON.stringify(r[0]?.[1]) === '[1,2]') || JSON.stringify(r)],
  ['SET n.x = null removes / REMOVE n.x', "MATCH (n:Tmp3) SET n.a = null REMOVE n.b RETURN keys(n) AS k", {}, (r) => JSON.stringify(r[0]?.[0]) === '["c"]' || JSON.stringify(r)],
  ['MERGE (n:L {id: $id}) with scalar param', "MERGE (n:Node {id: $id}) RETURN n.id AS id", { id: 'c1' }, (r) => r[0]?.[0] === 'c1' || JSON.stringify(r)],
  ['multi-label MATCH (n:A:B)', "MATCH (n:Node:Condition) RETURN count(n) AS c", {}, (r) => r[0]?.[0] >= 2 || JSON.stringify(r)],
  ['WHERE n:A OR n:B', "MATCH (n) WHERE n:Condition OR n:Phenotype RETURN count(n) AS c", {}, (r) => r[0]?.[0] >= 4 || JSON.stringify(r)],
  ['single hop -[:A|B]->', "MATCH (a:Node {id:'c1'})-[r:CAUSES|HAS_PHENOTYPE]->(b) RETURN count(r) AS c", {}, (r) => r[0]?.[0] === 2 || JSON.stringify(r)],
  ['FOREACH+CASE conditional label idiom', "UNWIND $rows AS row MATCH (n:Node {id: row.id}) FOREACH (_ IN CASE WHEN row.label = 'Phenotype' THEN [1] ELSE [] END | SET n:Phenotype) RETURN labels(n) AS l", { rows: [{ id: 'x9', label: 'Phenotype' }] }, (r) => r[0]?.[0]?.includes('Phenotype') || JSON.stringify(r)],
  ['WHERE type(r) IN $types', "MATCH (a:Node {id:'c1'})-[r]->(b) WHERE type(r) IN $types RETURN count(r) AS c", { types: ['CAUSES'] }, (r) => r[0]?.[0] === 1 || JSON.stringify(r)],
  ['ORDER BY then collect (order kept)', "MATCH (n:Node) WHERE n.rank IS NOT NULL WITH n ORDER BY n.rank DESC RETURN collect(n.id) AS ids", {}, (r) => JSON.stringify(r[0]?.[0]) === '["p2","p1","c2","c1"]' || JSON.stringify(r)],
  ['count(DISTINCT x)', "UNWIND [1,1,2] AS x RETURN count(DISTINCT x) AS c", {}, (r) => r[0]?.[0] === 2 || JSON.stringify(r)],
  ['exists(n.prop) (removed in 5)', "MATCH (n) WHERE exists(n.name) RETURN count(n) AS c", {}, null, 'neo4jInvalid'],
  ['nodes(p) returns node values', "MATCH p=(a:Node {id:'c1'})-[:CAUSES]->(b) RETURN nodes(p) AS ns, relationships(p) AS rs", {}, (r) => r[0]?.[0]?.length === 2 || JSON.stringify(r)],
  ['round(x) / abs', "RETURN round(2.4) AS a, abs(-3) AS b"], ['round(x, precision) (Neo4j 4.4+)', "RETURN round(2.567, 2) AS a, abs(-3) AS b", {}, (r) => r[0]?.[1] === 3 || JSON.stringify(r)],
  ['string concat +', "RETURN 'a' + 'b' + 1 AS s", {}, (r) => r[0]?.[0] === 'ab1' || JSON.stringify(r)],
  ['DELETE r (relationship)', "MATCH (:Node {id:'x9'})-[r:CAUSES]->() DELETE r RETURN count(r) AS c", {}, (r) => r[0]?.[0] === 1 || JSON.stringify(r)],
  ['UNWIND with duplicate keys + MERGE (one node per key)', "UNWIND $rows AS row MERGE (n:Dup {id: row.id}) SET n.v = row.v WITH count(*) AS c MATCH (d:Dup) RETURN count(d) AS n", { rows: [{ id: 'd1', v: 1 }, { id: 'd1', v: 2 }, { id: 'd2', v: 3 }] }, (r) => r[0]?.[0] === 2 || JSON.stringify(r)],
  ['MERGE full pattern with unbound nodes', "MERGE (a:Pat {id:'pa'})-[:LINK]->(b:Pat {id:'pb'}) WITH 1 AS one MATCH (a:Pat)-[:LINK]->(b:Pat) RETURN count(*) AS c", {}, (r) => r[0]?.[0] === 1 || JSON.stringify(r)],
  ['ORDER BY puts nulls last (ASC)', "UNWIND [2, null, 1] AS x RETURN x ORDER BY x", {}, (r) => JSON.stringify(r.map((x) => x[0])) === '[1,2,null]' || JSON.stringify(r)],
  ['ORDER BY puts nulls first (DESC)', "UNWIND [2, null, 1] AS x RETURN x ORDER BY x DESC", {}, (r) => JSON.stringify(r.map((x) => x[0])) === '[null,2,1]' || JSON.stringify(r)],
  ['null semantics: x = null filters out', "MATCH (n:Node) WHERE n.missing = null RETURN count(n) AS c", {}, (r) => r[0]?.[0] === 0 || JSON.stringify(r)],
  ['count on empty match = 0 row', "MATCH (n:NoSuchLabel) RETURN count(n) AS c, collect(n) AS l", {}, (r) => (r.length === 1 && r[0][0] === 0 && r[0][1].length === 0) || JSON.stringify(r)],
  ['incoming pattern <-[r]- and startNode', "MATCH (b:Node {id:'c2'})<-[r:CAUSES]-(a) RETURN startNode(r).id AS s, a.id AS a ORDER BY s", {}, (r) => r[0]?.[0] === r[0]?.[1] || JSON.stringify(r)],
  ['collect(...)[0..2] slicing of aggregate', "MATCH (n:Node) WHERE n.rank IS NOT NULL WITH n ORDER BY n.rank RETURN collect(n.id)[0..2] AS top", {}, (r) => JSON.stringify(r[0]?.[0]) === '["c1","c2"]' || JSON.stringify(r)],
  ['integer division / modulo of negatives', "RETURN -7 / 2 AS a, -7 % 2 AS b", {}, (r) => JSON.stringify(r[0]) === '[-3,-1]' || JSON.stringify(r)],
  ['string comparison / min max of strings', "UNWIND ['b','a','c'] AS s RETURN min(s) AS mi, max(s) AS ma", {}, (r) => JSON.stringify(r[0]) === '["a","c"]' || JSON.stringify(r)],
  ['toLower(null) is null', "RETURN toLower(null) AS x", {}, (r) => r[0]?.[0] === null || JSON.stringify(r)],
  ['list property IN / any over list property', "MATCH (n:Node) WHERE 'a' IN n.tags RETURN n.id AS id", {}, (r) => JSON.stringify(r.map((x) => x[0])) === '["c1"]' || JSON.stringify(r)],
  ['list of nodes param-free: collect(n) then UNWIND', "MATCH (n:Phenotype) WITH collect(n) AS ns UNWIND ns AS m RETURN count(m) AS c", {}, (r) => r[0]?.[0] >= 2 || JSON.stringify(r)],
  ['var-length path with node filter all(n IN nodes(p) ...)', "MATCH p=(a:Node {id:'c1'})-[:CAUSES|HAS_PHENOTYPE*1..3]->(b) WHERE all(x IN nodes(p) WHERE x.rank IS NOT NULL) RETURN count(p) AS c", {}, (r) => typeof r[0]?.[0] === 'number' || JSON.stringify(r)],
  ['shortestPath with relationship-type and predicate', "MATCH (a:Node {id:'c1'}), (b:Node {id:'p1'}) MATCH p = shortestPath((a)-[:CAUSES|HAS_PHENOTYPE*..4]->(b)) WHERE all(r IN relationships(p) WHERE r.w > 0.1) RETURN [n IN nodes(p) | n.id] AS ids", {}, (r) => JSON.stringify(r[0]?.[0]) === '["c1","c2","p1"]' || JSON.stringify(r)],
  ['LIMIT 0 / SKIP beyond', "MATCH (n) RETURN n SKIP 1000 LIMIT 0", {}, (r) => r.length === 0 || JSON.stringify(r)],
  ['SKIP $s LIMIT $l', "MATCH (n:Node) WHERE n.rank IS NOT NULL RETURN n.id AS id ORDER BY n.rank SKIP $s LIMIT $l", { s: 1, l: 2 }, (r) => JSON.stringify(r.map((x) => x[0])) === '["c2","p1"]' || JSON.stringify(r)],
  ['WITH DISTINCT', "MATCH (n:Node)-[:HAS_PHENOTYPE]->(p) WITH DISTINCT p RETURN count(p) AS c", {}, (r) => r[0]?.[0] === 2 || JSON.stringify(r)],
  ['RETURN DISTINCT', "UNWIND [1,1,2] AS x RETURN DISTINCT x ORDER BY x", {}, (r) => r.length === 2 || JSON.stringify(r)],
  ['IN on literal list', "RETURN 2 IN [1,2,3] AS a, 'z' IN ['a'] AS b", {}, (r) => (r[0]?.[0] === true && r[0]?.[1] === false) || JSON.stringify(r)],
  ['any()/none()/single() on lists', "RETURN any(x IN [1,2] WHERE x > 1) AS a, none(x IN [1,2] WHERE x > 5) AS b, single(x IN [1,2] WHERE x = 1) AS c", {}, (r) => (r[0]?.every((v) => v === true)) || JSON.stringify(r)],
  ['STARTS WITH / ENDS WITH / CONTAINS', "MATCH (n:Node) WHERE n.name STARTS WITH 'Co' AND n.name ENDS WITH 'd' AND n.name CONTAINS 'ol' RETURN n.id AS id", {}, (r) => r[0]?.[0] === 'c2' || JSON.stringify(r)],
  ['=~ regex', "RETURN 'Fever' =~ 'F.*r' AS m", {}, (r) => r[0]?.[0] === true || JSON.stringify(r)],
  ['toLower / toUpper / trim / replace / split / substring', "RETURN toLower('AbC') AS a, toUpper('a') AS b, trim(' x ') AS c, replace('aXa','X','-') AS d, split('a,b',',') AS e, substring('abcdef',1,3) AS f", {},
    (r) => JSON.stringify(r[0]) === '["abc","A","x","a-a",["a","b"],"bcd"]' || JSON.stringify(r)],
  ['toString / toInteger / toFloat / toBoolean', "RETURN toString(1) AS a, toInteger('42') AS b, toFloat('1.5') AS c, toBoolean('true') AS d", {}, (r) => JSON.stringify(r[0]) === '["1",42,1.5,true]' || JSON.stringify(r)],
  ['CASE WHEN', "RETURN CASE WHEN 1 > 2 THEN 'a' ELSE 'b' END AS x, CASE 2 WHEN 2 THEN 'two' END AS y", {}, (r) => JSON.stringify(r[0]) === '["b","two"]' || JSON.stringify(r)],
  ['list slicing / indexing / head / last / tail / reverse', "WITH [1,2,3,4] AS l RETURN l[0] AS a, l[-1] AS b, l[1..3] AS c, head(l) AS d, last(l) AS e, tail(l) AS f, reverse(l) AS g", {},
    (r) => JSON.stringify(r[0]) === '[1,4,[2,3],1,4,[2,3,4],[4,3,2,1]]' || JSON.stringify(r)],
  ['reduce()', "RETURN reduce(s = 0, x IN [1,2,3] | s + x) AS s", {}, (r) => r[0]?.[0] === 6 || JSON.stringify(r)],
  ['list concatenation + / IS NULL / IS NOT NULL', "RETURN [1] + [2] AS l, null IS NULL AS a, 1 IS NOT NULL AS b", {}, (r) => JSON.stringify(r[0]) === '[[1,2],true,true]' || JSON.stringify(r)],
  ['integer vs float: 7/2, 7.0/2', "RETURN 7/2 AS a, 7.0/2 AS b", {}, (r) => JSON.stringify(r[0]) === '[3,3.5]' || JSON.stringify(r)],
  ['large integer param > 2^53', "RETURN $big AS b", { big: 9007199254740993n }, (r) => String(r[0]?.[0]) === '9007199254740993' || JSON.stringify(r, (k, v) => typeof v === 'bigint' ? v.toString() : v)],
  ['datetime() / date() / timestamp()', "RETURN datetime() IS NOT NULL AS a, date('2024-01-02') AS d, timestamp() > 0 AS t", {}, (r) => r[0]?.[0] === true || JSON.stringify(r)],
  ['DELETE rel / DETACH DELETE node', "MATCH (n:Node {id:'dyn2'}) DETACH DELETE n", {}],
  ['FOREACH', "MATCH (n:Node {id:'x9'}) FOREACH (t IN ['a','b'] | SET n.last = t) RETURN n.last AS l", {}, (r) => r[0]?.[0] === 'b' || JSON.stringify(r)],
  ['WITH ... WHERE after aggregation', "MATCH (n:Node)-->(m) WITH n, count(m) AS c WHERE c > 1 RETURN n.id AS id", {}, (r) => r.length >= 1 || JSON.stringify(r)],
  ['UNWIND empty list returns no rows', "UNWIND [] AS x RETURN x", {}, (r) => r.length === 0 || JSON.stringify(r)],
  ['MATCH ... LIMIT with no ORDER BY', "MATCH (n) RETURN n LIMIT 2", {}, (r) => r.length === 2 || JSON.stringify(r)],
  ['multiple MATCH comma pattern (cartesian)', "MATCH (a:Phenotype), (b:Phenotype) RETURN count(*) AS c", {}, (r) => Number.isInteger(Math.sqrt(r[0]?.[0])) || JSON.stringify(r)],
  ['relationship uniqueness in var-length (no reuse)', "MATCH (a:Node {id:'c1'})-[*]-(b:Node {id:'c1'}) RETURN count(*) AS c", {}, (r) => typeof r[0]?.[0] === 'number' || JSON.stringify(r)],
  ['USE clause / db name', "USE neo4j MATCH (n) RETURN count(n) AS c"],
  ['CYPHER 5 prefix', "CYPHER 5 RETURN 1 AS x", {}, (r) => r[0]?.[0] === 1 || JSON.stringify(r)],
  ['EXPLAIN', "EXPLAIN MATCH (n) RETURN n"],
  ['DROP INDEX / DROP CONSTRAINT IF EXISTS', "DROP INDEX node_name IF EXISTS"],
  ['CALL db.labels()', "CALL db.labels() YIELD label RETURN label"],
  ['semantic error (undefined variable) rejected', "MATCH (n) RETURN m", {}, null, 'expectError'],
  ['type error rejected (1 + {})', "RETURN 1 + {a:1} AS x", {}, null, 'expectError'],
];

function sortedJson(v) { return JSON.stringify(v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v); }
function jsonSafe(v) { return JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? x.toString() : x)); }

export async function runProbes() {
  const db = GrafeoDB.create();
  for (const s of SEED) await db.executeCypher(s);
  const out = [];
  for (const [name, cypher, params = {}, check, mode] of PROBES) {
    const lint = lintCypherQuery(cypher, { parameters: Object.fromEntries(Object.keys(params).map((k) => [k, 'Any'])) }).diagnostics
      .map((d) => ({ sev: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info', msg: d.message.slice(0, 160) }));
    let grafeo, detail = '';
    try {
      const r = await db.executeCypher(cypher, params);
      const rows = r.rows();
      if (mode === 'expectError') { grafeo = 'NO (accepted)'; detail = jsonSafe(rows).slice(0, 200); }
      else if (check) { const c = check(rows); grafeo = c === true ? 'yes' : 'WRONG'; detail = c === true ? jsonSafe(rows).slice(0, 160) : String(c).slice(0, 200); }
      else { grafeo = 'runs'; detail = jsonSafe(rows).slice(0, 160); }
    } catch (e) {
      if (mode === 'expectError') { grafeo = 'yes (rejected)'; }
      else grafeo = 'NO';
      detail = `${e.gqlStatus ?? ''} ${String(e.message).split('\n')[0]}`.slice(0, 200);
    }
    out.push({ name, cypher, grafeo, detail, lint });
  }
  db.close?.();
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const res = await runProbes();
  if (process.argv.includes('--markdown')) {
    console.log('| construct | grafeo | lint (Cypher 5) | grafeo detail |');
    console.log('|---|---|---|---|');
    const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
    for (const r of res) console.log(`| ${esc(r.name)} | ${r.grafeo} | ${esc(r.lint.map((l) => `${l.sev}: ${l.msg}`).join('; ') || 'ok')} | ${esc(r.detail)} |`);
  } else for (const r of res) console.log(jsonSafe(r));
}
