#!/usr/bin/env node
// Self-test of the Cypher tools: starts query-api-server.mjs, seeds a tiny
// graph through the Query API, runs a traversal and a transaction, checks
// error shapes, and lints one good and one bad statement with lint.mjs.
// Usage: node selftest.mjs   -> exit 0 if all checks pass, 1 otherwise.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
let passed = 0;
let failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name}${detail !== undefined ? `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}` : ''}`); }
}

function startServer(args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'query-api-server.mjs'), '--port', '0', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error('server did not print LISTENING within 15 s')); }, 15000);
    child.stdout.on('data', (d) => {
      buf += d;
      const m = /^LISTENING (\d+)\n/.exec(buf);
      if (m) { clearTimeout(timer); resolve({ child, port: Number(m[1]), firstLine: buf }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited early with ${code}`)); });
  });
}

async function api(port, method, urlPath, body, headers = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const q = (port, statement, parameters, extra = {}) => api(port, 'POST', '/db/neo4j/query/v2', { statement, parameters, ...extra });

function lint(input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'lint.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`lint.mjs exited ${code}: ${err}`))));
    child.stdin.end(JSON.stringify(input));
  });
}

async function serverChecks() {
  const { child, port, firstLine } = await startServer();
  try {
    check('prints exactly "LISTENING <port>"', /^LISTENING \d+\n$/.test(firstLine), firstLine);

    let r = await q(port, 'CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE', {}, { includeCounters: true });
    check('constraint: 202', r.status === 202, r);
    check('constraint: constraintsAdded = 1', r.body?.counters?.constraintsAdded === 1, r.body?.counters);

    const rows = [
      { id: 'c1', label: 'Condition', props: { name: 'Flu' } },
      { id: 'c2', label: 'Condition', props: { name: 'Cold' } },
      { id: 'p1', label: 'Phenotype', props: { name: 'Fever' } },
    ];
    r = await q(port, 'UNWIND $rows AS row MERGE (n:Node {id: row.id}) SET n += row.props RETURN count(n) AS c', { rows }, { includeCounters: true, accessMode: 'Write' });
    check('seed nodes: 202 + count', r.status === 202 && r.body.data.values[0][0] === 3, r);
    check('seed nodes: counters', r.body?.counters?.nodesCreated === 3 && r.body.counters.containsUpdates === true, r.body?.counters);
    check('seed nodes: bookmarks array', Array.isArray(r.body?.bookmarks), r.body);

    r = await q(port, 'UNWIND $rels AS rel MATCH (a:Node {id: rel.from}) MATCH (b:Node {id: rel.to}) MERGE (a)-[r:CAUSES]->(b) SET r.w = rel.w RETURN count(r) AS c',
      { rels: [{ from: 'c1', to: 'c2', w: 0.9 }, { from: 'c2', to: 'p1', w: 0.5 }] });
    check('seed relationships', r.status === 202 && r.body.data.values[0][0] === 2, r);

    r = await q(port, "MATCH p = (a:Node {id: $id})-[:CAUSES|HAS_PHENOTYPE*1..4]->(b) WHERE all(r IN relationships(p) WHERE r.w > 0.1) RETURN b.id AS id, p ORDER BY length(p)", { id: 'c1' }, { accessMode: 'Read' });
    check('traversal: fields', JSON.stringify(r.body?.data?.fields) === '["id","p"]', r.body);
    check('traversal: rows', JSON.stringify(r.body?.data?.values?.map((v) => v[0])) === '["c2","p1"]', r.body);
    const p = r.body?.data?.values?.[1]?.[1];
    check('path = [node, rel, node, rel, node]', Array.isArray(p) && p.length === 5 && Array.isArray(p[0].labels) && p[1].type === 'CAUSES' && p[1].startNodeElementId === p[0].elementId && p[1].endNodeElementId === p[2].elementId, p);
    check('node shape {elementId, labels, properties}', p && JSON.stringify(Object.keys(p[0])) === '["elementId","labels","properties"]' && p[0].properties.id === 'c1', p?.[0]);

    r = await q(port, 'MATCH (n:Node {id: $id}) RETURN elementId(n) AS e, n', { id: 'c1' });
    check('elementId(n) equals node.elementId', r.body?.data?.values?.[0]?.[0] === r.body?.data?.values?.[0]?.[1]?.elementId, r.body);

    r = await q(port, 'CREATE (:Node {id: "x"})', {}, { accessMode: 'Read' });
    check('write in Read mode refused', r.status === 400 && r.body?.errors?.[0]?.code === 'Neo.ClientError.Statement.AccessMode', r);
    r = await q(port, 'MATCH (n:Node {id: "x"}) RETURN count(n) AS c');
    check('... and rolled back', r.body?.data?.values?.[0]?.[0] === 0, r.body);

    r = await q(port, 'MATC (n) RETURN n');
    check('syntax error -> 400 SyntaxError', r.status === 400 && r.body?.errors?.[0]?.code === 'Neo.ClientError.Statement.SyntaxError', r);
    r = await q(port, 'CREATE (:Node {id: "c1"})');
    check('unique violation -> ConstraintValidationFailed', r.status === 400 && r.body?.errors?.[0]?.code === 'Neo.ClientError.Schema.ConstraintValidationFailed', r);
    r = await api(port, 'POST', '/db/nope/query/v2', { statement: 'RETURN 1' });
    check('unknown database -> 404 DatabaseNotFound', r.status === 404 && r.body?.errors?.[0]?.code === 'Neo.ClientError.Database.DatabaseNotFound', r);

    // explicit transaction: commit and rollback
    r = await api(port, 'POST', '/db/neo4j/query/v2/tx', { statement: 'CREATE (n:Node {id: "t1"}) RETURN n.id AS id' });
    const tx1 = r.body?.transaction?.id;
    check('open tx with statement', r.status === 202 && typeof tx1 === 'string' && r.body.data.values[0][0] === 't1', r);
    r = await q(port, 'MATCH (n:Node {id: "t1"}) RETURN count(n) AS c');
    check('uncommitted write invisible outside tx', r.body?.data?.values?.[0]?.[0] === 0, r.body);
    r = await api(port, 'POST', `/db/neo4j/query/v2/tx/${tx1}/commit`, {});
    check('commit tx', r.status === 202, r);
    r = await q(port, 'MATCH (n:Node {id: "t1"}) RETURN count(n) AS c');
    check('committed write visible', r.body?.data?.values?.[0]?.[0] === 1, r.body);
    r = await api(port, 'POST', '/db/neo4j/query/v2/tx');
    const tx2 = r.body?.transaction?.id;
    r = await api(port, 'POST', `/db/neo4j/query/v2/tx/${tx2}`, { statement: 'CREATE (:Node {id: "t2"})' });
    check('run in tx', r.status === 202 && r.body?.transaction?.id === tx2, r);
    r = await api(port, 'DELETE', `/db/neo4j/query/v2/tx/${tx2}`);
    check('rollback tx', r.status === 200, r);
    r = await q(port, 'MATCH (n:Node {id: "t2"}) RETURN count(n) AS c');
    check('rolled-back write gone', r.body?.data?.values?.[0]?.[0] === 0, r.body);
    r = await api(port, 'POST', `/db/neo4j/query/v2/tx/${tx2}`, { statement: 'RETURN 1' });
    check('closed tx -> 404', r.status === 404, r);
  } finally {
    const exited = new Promise((res) => child.on('exit', res));
    child.stdin.end(); // the server exits when its stdin closes
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
    check('server exits when stdin closes', true);
  }

  const auth = await startServer(['--user', 'neo4j', '--password', 'secret']);
  try {
    let r = await q(auth.port, 'RETURN 1 AS x');
    check('auth: missing credentials -> 401', r.status === 401 && r.body?.errors?.[0]?.code === 'Neo.ClientError.Security.Unauthorized', r);
    r = await api(auth.port, 'POST', '/db/neo4j/query/v2', { statement: 'RETURN 1 AS x' }, { Authorization: `Basic ${Buffer.from('neo4j:secret').toString('base64')}` });
    check('auth: right credentials -> 202', r.status === 202, r);
  } finally {
    const exited = new Promise((res) => auth.child.on('exit', res));
    auth.child.kill('SIGTERM');
    await exited;
  }
}

async function lintChecks() {
  const out = await lint({
    schema: { labels: ['Node', 'Condition'], relationshipTypes: ['CAUSES'], propertyKeys: ['id', 'name'], parameters: { id: 'STRING', rows: 'LIST<MAP>' } },
    statements: [
      { name: 'good', cypher: 'UNWIND $rows AS row MERGE (n:Node {id: row.id}) SET n.name = row.name RETURN elementId(n) AS eid' },
      { name: 'bad', cypher: 'MATCH (n:Node {id: $id})\nRETRUN n' },
      { name: 'deprecated', cypher: 'MATCH (n:Node) RETURN id(n) AS i' },
      { name: 'unknownLabel', cypher: 'MATCH (n:Nod) RETURN n.id' },
    ],
  });
  const by = Object.fromEntries(out.results.map((x) => [x.name, x]));
  check('lint: good statement has no diagnostics', by.good?.diagnostics.length === 0, by.good);
  check('lint: bad statement has an error on line 2', by.bad?.diagnostics.some((d) => d.severity === 'error' && d.line === 2), by.bad);
  check('lint: id(n) gives a deprecation warning', by.deprecated?.diagnostics.some((d) => d.severity === 'warning' && d.deprecated), by.deprecated);
  check('lint: unknown label gives a warning', by.unknownLabel?.diagnostics.some((d) => d.severity === 'warning' && /Label Nod /.test(d.message)), by.unknownLabel);
  check('lint: Cypher 5', out.linter?.cypherVersion === 'CYPHER 5', out.linter);

  // Several runs in one process, through the cache: linted once, then read back unchanged.
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-cache-'));
  try {
    const statements = [
      { name: 'let', cypher: 'MATCH (n:Node) LET x = n.id RETURN x' },
      { name: 'deprecated', cypher: 'MATCH (n:Node) RETURN id(n) AS i' },
    ];
    const schema = { labels: ['Node'], propertyKeys: ['id'], parameters: {} };
    const input = { runs: ['5', '25'].map((v) => ({ schema, options: { cypherVersion: v }, statements })), options: { cache } };
    const cold = await lint(input);
    const warm = await lint(input);
    const strip = (o) => JSON.stringify(o.runs.map((r) => r.results.map(({ cached, ...x }) => x)));
    check('lint runs: one result per run', cold.runs?.length === 2 && cold.runs[0].linter.cypherVersion === 'CYPHER 5' && cold.runs[1].linter.cypherVersion === 'CYPHER 25', cold.runs?.map((r) => r.linter));
    check('lint runs: LET is an error in 5 only', cold.runs?.[0].results[0].errorCount > 0 && cold.runs?.[1].results[0].errorCount === 0, cold.runs?.map((r) => r.results[0]));
    check('lint cache: cold run lints', cold.runs?.every((r) => r.results.every((x) => x.cached === false) && r.linter.cache?.misses === 2), cold.runs?.map((r) => r.linter.cache));
    check('lint cache: warm run reads', warm.runs?.every((r) => r.results.every((x) => x.cached === true) && r.linter.cache?.hits === 2), warm.runs?.map((r) => r.linter.cache));
    check('lint cache: same diagnostics', strip(cold) === strip(warm), { cold: strip(cold), warm: strip(warm) });
    const changed = await lint({ ...input, runs: [{ ...input.runs[0], statements: [statements[0], { ...statements[1], cypher: statements[1].cypher + ' LIMIT 1' }] }] });
    check('lint cache: a changed statement is linted again', JSON.stringify(changed.runs?.[0].results.map((x) => x.cached)) === '[true,false]', changed.runs?.[0].results);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

try {
  await serverChecks();
  await lintChecks();
} catch (e) {
  failed++;
  console.log(`FAIL unexpected: ${e?.stack ?? e}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
