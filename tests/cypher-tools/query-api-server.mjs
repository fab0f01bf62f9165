#!/usr/bin/env node
// Test double for Neo4j's HTTP Query API v2, executing Cypher for real on the
// embedded grafeo engine (@grafeo-db/js). One in-memory graph per process.
//
//   node query-api-server.mjs [--port 0] [--user U --password P]
//                             [--database neo4j] [--tx-timeout 30] [--verbose]
//
// Prints exactly one line "LISTENING <port>" on stdout once ready; binds
// 127.0.0.1 only. Exits on SIGTERM/SIGINT, when stdin (if it is a pipe) reaches
// EOF, and when its parent process dies. See README.md and CAPABILITIES.md.
import http from 'node:http';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';

const require = createRequire(import.meta.url);
const { GrafeoDB, version: grafeoVersion } = require('@grafeo-db/js');

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const opts = { port: 0, user: null, password: null, database: 'neo4j', txTimeout: 30, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`);
      return argv[++i];
    };
    if (a === '--port') opts.port = Number(next());
    else if (a === '--user') opts.user = next();
    else if (a === '--password') opts.password = next();
    else if (a === '--database') opts.database = next();
    else if (a === '--tx-timeout') opts.txTimeout = Number(next());
    else if (a === '--verbose') opts.verbose = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('bad --port');
  if ((opts.user == null) !== (opts.password == null)) throw new Error('--user and --password go together');
  if (!(opts.txTimeout > 0)) throw new Error('bad --tx-timeout');
  return opts;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`query-api-server: ${e.message}\n`);
  process.exit(2);
}
const log = (...a) => { if (opts.verbose) process.stderr.write(`[query-api-server] ${a.join(' ')}\n`); };

const NEO4J_VERSION = '5.26.0';
const db = GrafeoDB.create();

// ---------------------------------------------------------------- errors
class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Maps an error thrown by grafeo to a Neo4j status code.
function mapEngineError(e) {
  const msg = String(e?.message ?? e);
  const gql = e?.gqlStatus ?? '';
  let code;
  if (/constraint violation/i.test(msg)) code = 'Neo.ClientError.Schema.ConstraintValidationFailed';
  else if (/write conflict|GRAFEO-T0/i.test(msg)) code = 'Neo.TransientError.Transaction.DeadlockDetected';
  else if (gql.startsWith('42')) code = 'Neo.ClientError.Statement.SyntaxError'; // Neo4j reports semantic errors with this code too
  else if (gql === '22012' || gql === '22003') code = 'Neo.ClientError.Statement.ArithmeticError';
  else if (gql.startsWith('22')) code = 'Neo.ClientError.Statement.TypeError';
  else if (gql.startsWith('2') || gql.startsWith('0')) code = 'Neo.ClientError.Statement.ExecutionFailed';
  else if (gql.startsWith('G') || gql === '') code = 'Neo.DatabaseError.Statement.ExecutionFailed';
  else code = 'Neo.ClientError.Statement.ExecutionFailed';
  const status = code.startsWith('Neo.ClientError') ? 400 : code.startsWith('Neo.TransientError') ? 503 : 500;
  return new ApiError(status, code, gql ? `${msg} (GQLSTATUS ${gql})` : msg);
}

// ---------------------------------------------------------------- values
// grafeo returns nodes as {_id, _labels, ...props}, relationships as
// {_id, _source, _target, _type, ...props} and paths as {nodes, edges}.
const isPlainObject = (v) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
const isNode = (v) => isPlainObject(v) && typeof v._id === 'number' && Array.isArray(v._labels);
const isRel = (v) => isPlainObject(v) && typeof v._id === 'number' && '_source' in v && '_target' in v && typeof v._type === 'string';
const isPath = (v) => {
  if (!isPlainObject(v)) return false;
  const k = Object.keys(v);
  return k.length === 2 && Array.isArray(v.nodes) && Array.isArray(v.edges) && v.nodes.length === v.edges.length + 1 && v.nodes.every(isNode) && v.edges.every(isRel);
};
const nodeElementId = (id) => `n:${id}`; // same string grafeo's elementId(n) returns
const relElementId = (id) => `e:${id}`;

function props(v, skip) {
  const out = {};
  for (const [k, x] of Object.entries(v)) if (!skip.includes(k)) out[k] = toJson(x);
  return out;
}

function toJson(v) {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean': case 'string': return v;
    case 'bigint': return v; // written as a bare JSON number by stringify() below
    case 'number': return Number.isFinite(v) ? v : String(v); // NaN / Infinity: no JSON number for them
    default: break;
  }
  // grafeo hands LOCAL DATETIME over as a JS Date (zoned values come as strings):
  // write it as Neo4j does, without zone and without zero milliseconds.
  if (v instanceof Date) return v.toISOString().replace(/Z$/, '').replace(/\.000$/, '');
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (ArrayBuffer.isView(v)) return Array.from(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (v.termType && typeof v.value === 'string') return v.value; // RDF term (not expected from Cypher)
  if (isNode(v)) return { elementId: nodeElementId(v._id), labels: [...v._labels], properties: props(v, ['_id', '_labels']) };
  if (isRel(v)) {
    return {
      elementId: relElementId(v._id),
      startNodeElementId: nodeElementId(v._source),
      endNodeElementId: nodeElementId(v._target),
      type: v._type,
      properties: props(v, ['_id', '_source', '_target', '_type']),
    };
  }
  if (isPath(v)) {
    const out = [toJson(v.nodes[0])];
    v.edges.forEach((e, i) => out.push(toJson(e), toJson(v.nodes[i + 1])));
    return out;
  }
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0].startsWith('$')) return String(v[keys[0]]); // tagged scalar, e.g. {$decimal:'1.5'}
  const out = {};
  for (const k of keys) out[k] = toJson(v[k]);
  return out;
}

// JSON.stringify that writes BigInt as a bare integer.
function stringify(obj) {
  const marks = [];
  const s = JSON.stringify(obj, (k, v) => {
    if (typeof v === 'bigint') { marks.push(v.toString()); return `\u0000BIGINT${marks.length - 1}\u0000`; }
    return v;
  });
  return marks.length ? s.replace(/"\\u0000BIGINT(\d+)\\u0000"/g, (_, i) => marks[Number(i)]) : s;
}

// Integers in parameters: JSON numbers without fraction are integers in Neo4j.
// grafeo takes JS numbers; integral values become INTEGER, others FLOAT.
function fromJsonParams(p) {
  if (p == null) return {};
  if (!isPlainObject(p)) throw new ApiError(400, 'Neo.ClientError.Request.Invalid', '"parameters" must be a JSON object');
  return p;
}

// ---------------------------------------------------------------- counters
let bookmarkSeq = 0;
const bookmark = () => `FB:grafeo-${process.pid}-${bookmarkSeq}`;
const SCHEMA_RE = /^\s*(create|drop)\s+(?:(?:unique|fulltext|range|text|point|lookup|vector|btree)\s+)?(index|constraint)\b/i;

async function schemaCounts(runner) {
  const count = async (q) => { try { return (await runner(q)).length; } catch { return 0; } };
  return { indexes: await count('SHOW INDEXES'), constraints: await count('SHOW CONSTRAINTS') };
}

function neo4jCounters(c, schemaBefore, schemaAfter) {
  const n = (x) => Number(x ?? 0);
  const out = {
    containsUpdates: false,
    nodesCreated: n(c?.nodesCreated),
    nodesDeleted: n(c?.nodesDeleted),
    propertiesSet: n(c?.propertiesSet),
    relationshipsCreated: n(c?.edgesCreated),
    relationshipsDeleted: n(c?.edgesDeleted),
    labelsAdded: n(c?.labelsAdded),
    labelsRemoved: n(c?.labelsRemoved),
    indexesAdded: 0,
    indexesRemoved: 0,
    constraintsAdded: 0,
    constraintsRemoved: 0,
    containsSystemUpdates: false,
    systemUpdates: 0,
  };
  if (schemaBefore && schemaAfter) {
    const di = schemaAfter.indexes - schemaBefore.indexes;
    const dc = schemaAfter.constraints - schemaBefore.constraints;
    if (di > 0) out.indexesAdded = di; else out.indexesRemoved = -di;
    if (dc > 0) out.constraintsAdded = dc; else out.constraintsRemoved = -dc;
  }
  out.containsUpdates = Object.entries(out).some(([k, v]) => typeof v === 'number' && k !== 'systemUpdates' && v > 0);
  return out;
}

// ---------------------------------------------------------------- execution
// Runs one statement; `tx` is a grafeo Transaction or null (auto-commit).
async function runStatement(body, tx) {
  const statement = body.statement;
  if (typeof statement !== 'string' || statement.trim() === '') {
    throw new ApiError(400, 'Neo.ClientError.Request.Invalid', 'Request body must contain a non-empty "statement" string');
  }
  const params = fromJsonParams(body.parameters);
  const mode = body.accessMode == null ? 'WRITE' : String(body.accessMode).toUpperCase();
  if (mode !== 'READ' && mode !== 'WRITE') {
    throw new ApiError(400, 'Neo.ClientError.Request.Invalid', `Invalid accessMode "${body.accessMode}": expected "Read" or "Write"`);
  }
  const isSchema = SCHEMA_RE.test(statement);
  if (mode === 'READ' && isSchema) {
    throw new ApiError(400, 'Neo.ClientError.Statement.AccessMode', 'Schema operations are not allowed for AccessMode READ.');
  }
  // grafeo has no relationship property indexes. Neo4j would create one; here it is accepted and changes nothing
  // (an index changes how fast a statement runs, never what it answers).
  if (isSchema && /^\s*create\s+index\b[^(]*\bfor\s*\(\s*\)\s*-\s*\[/i.test(statement)) {
    const out = { data: { fields: [], values: [] } };
    if (body.includeCounters === true) out.counters = neo4jCounters({});
    return out;
  }
  const rawRunner = (q, p) => (tx ? tx.executeCypher(q, p) : db.executeCypher(q, p));
  const schemaBefore = isSchema ? await schemaCounts(async (q) => (await rawRunner(q)).rows()) : null;

  let result;
  if (mode === 'READ' && !tx) {
    // Run in a private transaction so that a write can be undone and refused.
    const rtx = db.beginTransaction();
    try {
      result = await rtx.executeCypher(statement, params);
      const c = neo4jCounters(result.counters);
      if (c.containsUpdates) {
        rtx.rollback();
        throw new ApiError(400, 'Neo.ClientError.Statement.AccessMode', 'Writing in read access mode not allowed.');
      }
      rtx.commit();
    } catch (e) {
      if (rtx.isActive) { try { rtx.rollback(); } catch { /* ignore */ } }
      throw e instanceof ApiError ? e : mapEngineError(e);
    }
  } else {
    try {
      result = await rawRunner(statement, params);
    } catch (e) {
      throw mapEngineError(e);
    }
    if (mode === 'READ' && neo4jCounters(result.counters).containsUpdates) {
      throw new ApiError(400, 'Neo.ClientError.Statement.AccessMode', 'Writing in read access mode not allowed.');
    }
  }
  const schemaAfter = isSchema ? await schemaCounts(async (q) => (await rawRunner(q)).rows()) : null;
  const counters = neo4jCounters(result.counters, schemaBefore, schemaAfter);
  if (counters.containsUpdates) bookmarkSeq++;
  const out = { data: { fields: [...result.columns], values: result.rows().map((row) => row.map(toJson)) } };
  if (body.includeCounters === true) out.counters = counters;
  return out;
}

// ---------------------------------------------------------------- transactions
const txs = new Map(); // id -> { tx, timer, expires, queue }

function newTxId() {
  let id;
  do id = randomBytes(6).toString('base64url'); while (txs.has(id));
  return id;
}
function touchTx(id, entry) {
  clearTimeout(entry.timer);
  entry.expires = new Date(Date.now() + opts.txTimeout * 1000);
  entry.timer = setTimeout(() => {
    log('transaction', id, 'expired');
    closeTx(id, false);
  }, opts.txTimeout * 1000);
  entry.timer.unref();
}
function closeTx(id, commit) {
  const entry = txs.get(id);
  if (!entry) return;
  txs.delete(id);
  clearTimeout(entry.timer);
  if (entry.tx.isActive) {
    if (commit) entry.tx.commit();
    else { try { entry.tx.rollback(); } catch { /* ignore */ } }
  }
}
function getTx(id) {
  const entry = txs.get(id);
  if (!entry) throw new ApiError(404, 'Neo.ClientError.Transaction.TransactionNotFound', `Transaction with id ${id} not found. It may have expired, been committed or rolled back.`);
  return entry;
}
// Serialises requests on one transaction (grafeo refuses commit while a query runs).
function inTxQueue(entry, fn) {
  const p = entry.queue.then(fn, fn);
  entry.queue = p.catch(() => {});
  return p;
}
const txInfo = (id, entry) => ({ id, expires: entry.expires.toISOString().replace(/\.\d{3}Z$/, 'Z') });

// ---------------------------------------------------------------- http
function send(res, status, body, headers = {}) {
  const text = body === undefined ? '' : stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
function sendError(res, e) {
  const err = e instanceof ApiError ? e : new ApiError(500, 'Neo.DatabaseError.General.UnknownError', String(e?.stack ?? e));
  const headers = err.status === 401 ? { 'WWW-Authenticate': 'Basic realm="Neo4j"' } : {};
  send(res, err.status, { errors: [{ code: err.code, message: err.message }] }, headers);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
async function readJson(req, allowEmpty) {
  const text = (await readBody(req)).trim();
  if (text === '') {
    if (allowEmpty) return {};
    throw new ApiError(400, 'Neo.ClientError.Request.Invalid', 'Request body is empty');
  }
  let body;
  try { body = JSON.parse(text); } catch (e) {
    throw new ApiError(400, 'Neo.ClientError.Request.InvalidFormat', `Request body is not valid JSON: ${e.message}`);
  }
  if (!isPlainObject(body)) throw new ApiError(400, 'Neo.ClientError.Request.InvalidFormat', 'Request body must be a JSON object');
  return body;
}

function checkAuth(req) {
  if (opts.user == null) return;
  const h = req.headers.authorization ?? '';
  const m = /^Basic\s+(.+)$/i.exec(h);
  if (m) {
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0 && decoded.slice(0, i) === opts.user && decoded.slice(i + 1) === opts.password) return;
  }
  throw new ApiError(401, 'Neo.ClientError.Security.Unauthorized', 'The client is unauthorized due to authentication failure.');
}

function checkAccept(req) {
  const accept = req.headers.accept;
  if (!accept) return;
  const ok = accept.split(',').some((a) => /^\s*(application\/json|application\/\*|\*\/\*)\s*(;.*)?$/i.test(a));
  if (!ok) {
    throw new ApiError(406, 'Neo.ClientError.Request.Invalid',
      `This test server only produces "application/json" (plain JSON); Accept was "${accept}" (typed JSON application/vnd.neo4j.query is not implemented)`);
  }
}

function discovery(req) {
  const host = req.headers.host ?? `127.0.0.1:${server.address().port}`;
  return {
    bolt_routing: `neo4j://${host.split(':')[0]}:7687`,
    query: `http://${host}/db/{databaseName}/query/v2`,
    transaction: `http://${host}/db/{databaseName}/tx`,
    bolt_direct: `bolt://${host.split(':')[0]}:7687`,
    neo4j_version: NEO4J_VERSION,
    neo4j_edition: 'community',
    test_server: { engine: 'grafeo', engine_version: grafeoVersion(), database: opts.database, note: 'Query API v2 test double; not Neo4j' },
  };
}

const ROUTE = /^\/db\/([^/]+)\/query\/v2(?:\/tx(?:\/([^/]+)(\/commit)?)?)?\/?$/;
const TX_ROUTE = /^\/db\/[^/]+\/query\/v2\/tx/;

async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const path = url.pathname;
  if (path === '/' && req.method === 'GET') return send(res, 200, discovery(req));
  const m = ROUTE.exec(path);
  if (!m) throw new ApiError(404, 'Neo.ClientError.Request.Invalid', `No such endpoint: ${req.method} ${path}`);
  checkAuth(req);
  const dbName = decodeURIComponent(m[1]);
  if (dbName !== opts.database) {
    throw new ApiError(404, 'Neo.ClientError.Database.DatabaseNotFound', `Graph not found: ${dbName}`);
  }
  const isTx = TX_ROUTE.test(path);
  const txId = m[2] ? decodeURIComponent(m[2]) : null;
  const isCommit = Boolean(m[3]);
  const affinity = { 'neo4j-cluster-affinity': Buffer.from(`127.0.0.1:${server.address().port}`).toString('base64') };

  if (!isTx) {
    if (req.method !== 'POST') throw new ApiError(405, 'Neo.ClientError.Request.Invalid', `Method ${req.method} not allowed`);
    checkAccept(req);
    const body = await readJson(req, false);
    const out = await runStatement(body, null);
    out.bookmarks = [bookmark()];
    return send(res, 202, out);
  }

  if (!txId) { // open a transaction
    if (req.method !== 'POST') throw new ApiError(405, 'Neo.ClientError.Request.Invalid', `Method ${req.method} not allowed`);
    checkAccept(req);
    const body = await readJson(req, true);
    const id = newTxId();
    const entry = { tx: db.beginTransaction(), timer: null, expires: null, queue: Promise.resolve() };
    txs.set(id, entry);
    touchTx(id, entry);
    let out = { data: { fields: [], values: [] } };
    if (typeof body.statement === 'string' && body.statement.trim() !== '') {
      try {
        out = await inTxQueue(entry, () => runStatement(body, entry.tx));
      } catch (e) {
        closeTx(id, false);
        throw e;
      }
    }
    out.bookmarks = [];
    out.transaction = txInfo(id, entry);
    log('open tx', id);
    return send(res, 202, out, affinity);
  }

  const entry = getTx(txId);
  if (req.method === 'DELETE' && !isCommit) {
    await inTxQueue(entry, async () => closeTx(txId, false));
    log('rollback tx', txId);
    return send(res, 200, { bookmarks: [] });
  }
  if (req.method !== 'POST') throw new ApiError(405, 'Neo.ClientError.Request.Invalid', `Method ${req.method} not allowed`);
  checkAccept(req);
  const body = await readJson(req, true);
  touchTx(txId, entry);
  let out = { data: { fields: [], values: [] } };
  try {
    if (typeof body.statement === 'string' && body.statement.trim() !== '') {
      out = await inTxQueue(entry, () => runStatement(body, entry.tx));
    } else if (!isCommit) {
      // empty body: keep-alive
    }
    if (isCommit) {
      await inTxQueue(entry, async () => {
        try { closeTx(txId, true); } catch (e) { throw mapEngineError(e); }
      });
      bookmarkSeq++;
      out.bookmarks = [bookmark()];
      log('commit tx', txId);
      return send(res, 202, out, affinity);
    }
  } catch (e) {
    // Neo4j rolls back a transaction whose statement failed.
    closeTx(txId, false);
    throw e;
  }
  out.bookmarks = [];
  out.transaction = txInfo(txId, entry);
  return send(res, 202, out, affinity);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    if (!(e instanceof ApiError)) log('internal error', e?.stack ?? e);
    try { sendError(res, e); } catch { /* socket gone */ }
  });
});
server.keepAliveTimeout = 5000;

// ---------------------------------------------------------------- lifecycle
let shuttingDown = false;
function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const id of [...txs.keys()]) closeTx(id, false);
  server.close();
  server.closeAllConnections?.();
  try { db.close(); } catch { /* ignore */ }
  process.exit(code);
}
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
process.on('SIGHUP', () => shutdown(0));

// Exit when stdin closes, but only if stdin is a pipe or socket (a test
// fixture that redirects stdin); /dev/null or a TTY would end it at once.
try {
  const st = fs.fstatSync(0);
  if (st.isFIFO() || st.isSocket()) {
    process.stdin.on('end', () => shutdown(0));
    process.stdin.on('close', () => shutdown(0));
    process.stdin.on('error', () => shutdown(0));
    process.stdin.resume();
  }
} catch { /* no stdin */ }

// Exit when the parent process dies (we get re-parented).
const parentPid = process.ppid;
setInterval(() => {
  let alive = process.ppid === parentPid;
  if (alive) { try { process.kill(parentPid, 0); } catch { alive = false; } }
  if (!alive) shutdown(0);
}, 1000).unref();

server.on('error', (e) => {
  process.stderr.write(`query-api-server: ${e.message}\n`);
  process.exit(1);
});
server.listen(opts.port, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
  log(`grafeo ${grafeoVersion()} database "${opts.database}" auth ${opts.user == null ? 'off' : 'on'}`);
});
