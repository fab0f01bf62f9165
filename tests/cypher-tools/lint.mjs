#!/usr/bin/env node
// Offline Cypher linter built on @neo4j-cypher/language-support (Neo4j's own
// parser + semantic analysis compiled to JS). Lints as Cypher 5 by default.
//
//   node lint.mjs input.json      (or: node lint.mjs - < input.json, or stdin)
//
// Input:  { "schema": {...}, "options": {...}, "statements": [ { "name", "cypher" } ] }
//     or: { "runs": [ <input>, ... ], "options": { "cache", "threads" } }   (several schemas/dialects, one process)
// Output: { "linter": {...}, "results": [ { "name", "errorCount", "warningCount", "diagnostics": [...], "cached" } ] }
//     or: { "runs": [ <output>, ... ] }
// Exit 0 whenever linting ran (whatever it found); 2 with a message on stderr
// when the input is unusable; 1 on an internal failure. See README.md.
//
// The semantic analysis costs 0.1-1 s per statement: with options.cache the
// diagnostics of each statement are kept in a file keyed by a hash of
// everything that affects them, and uncached statements are spread over
// worker threads (options.threads, default: the number of CPUs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);

function fail(code, msg) {
  process.stderr.write(`lint.mjs: ${msg}\n`);
  process.exit(code);
}

function readInput() {
  const arg = process.argv[2];
  if (process.argv.length > 3) fail(2, 'usage: node lint.mjs [input.json|-]');
  let text;
  try {
    text = arg && arg !== '-' ? fs.readFileSync(arg, 'utf8') : fs.readFileSync(0, 'utf8');
  } catch (e) {
    fail(2, `cannot read input: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(2, `input is not valid JSON: ${e.message}`);
  }
}

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const DEPRECATED_TAG = 2; // vscode-languageserver DiagnosticTag.Deprecated

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const strArray = (v, what) => {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(2, `${what} must be an array of strings`);
  return v;
};

function versionKey(v, what = 'options.cypherVersion') {
  const s = String(v).trim().toUpperCase().replace(/^CYPHER\s*/, '');
  if (s === '5') return 'CYPHER 5';
  if (s === '25') return 'CYPHER 25';
  fail(2, `${what} must be "5" or "25", got ${JSON.stringify(v)}`);
}

// functions / procedures: either the library's registry shape
// { "CYPHER 5": { name: {...} } }, or simply an array of names (or of objects
// with at least "name"), which is then added to both Cypher versions.
function userRegistry(v, what, kind) {
  if (v === undefined || v === null) return {};
  const mk = (x) => {
    if (typeof x === 'string') x = { name: x };
    if (!isObj(x) || typeof x.name !== 'string') fail(2, `${what} entries must be names or objects with "name"`);
    return kind === 'function'
      ? { description: '', signature: `${x.name}()`, category: '', isBuiltIn: false, argumentDescription: [], returnDescription: 'ANY', aggregating: false, isDeprecated: false, ...x }
      : { description: '', signature: `${x.name}()`, mode: 'READ', worksOnSystem: false, argumentDescription: [], returnDescription: [], admin: false, option: { deprecated: false }, ...x };
  };
  if (Array.isArray(v)) {
    const reg = Object.fromEntries(v.map((x) => { const o = mk(x); return [o.name, o]; }));
    return { 'CYPHER 5': reg, 'CYPHER 25': reg };
  }
  if (isObj(v)) {
    const out = {};
    for (const [ver, reg] of Object.entries(v)) {
      if (!isObj(reg)) fail(2, `${what}["${ver}"] must be an object`);
      out[versionKey(ver, `${what} key`)] = Object.fromEntries(Object.values(reg).map((x) => { const o = mk(x); return [o.name, o]; }));
    }
    return out;
  }
  fail(2, `${what} must be an array or an object`);
}

// The package's exports map hides package.json: find it from the entry file.
function packageJson(name) {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const f = path.join(dir, 'package.json');
    if (fs.existsSync(f)) {
      const p = JSON.parse(fs.readFileSync(f, 'utf8'));
      if (p.name === name) return p;
    }
    const up = path.dirname(dir);
    if (up === dir) return { name, version: 'unknown' };
    dir = up;
  }
}

function mergeRegistries(a, b) {
  const out = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) out[k] = { ...(a[k] ?? {}), ...(b[k] ?? {}) };
  return out;
}

// One run = one schema + options + statements, validated before the library is
// loaded (a fully cached run never loads it). `at` prefixes messages in "runs".
function prepareRun(run, at) {
  if (!isObj(run)) fail(2, `${at || 'input'} must be a JSON object`);
  const schema = run.schema ?? {};
  const options = run.options ?? {};
  if (!isObj(schema)) fail(2, `${at}"schema" must be an object`);
  if (!isObj(options)) fail(2, `${at}"options" must be an object`);
  if (!Array.isArray(run.statements)) fail(2, `${at}"statements" must be an array`);
  run.statements.forEach((s, i) => {
    if (!isObj(s) || typeof s.cypher !== 'string') fail(2, `${at}statements[${i}] must be an object with a "cypher" string`);
  });
  if (schema.parameters !== undefined && !isObj(schema.parameters)) fail(2, `${at}schema.parameters must be an object { name: type }`);

  const spec = {
    labels: strArray(schema.labels, `${at}schema.labels`),
    relationshipTypes: strArray(schema.relationshipTypes, `${at}schema.relationshipTypes`),
    propertyKeys: strArray(schema.propertyKeys, `${at}schema.propertyKeys`),
    parameters: schema.parameters ?? {},
    defaultLanguage: versionKey(options.cypherVersion ?? '5', `${at}options.cypherVersion`),
    functions: userRegistry(schema.functions, `${at}schema.functions`, 'function'),
    procedures: userRegistry(schema.procedures, `${at}schema.procedures`, 'procedure'),
    graphSchema: schema.graphSchema,
  };
  // The library warns about unknown labels/types only when both lists are
  // given: supply the missing one as empty so that giving one list works.
  if (spec.labels && !spec.relationshipTypes) spec.relationshipTypes = [];
  if (spec.relationshipTypes && !spec.labels) spec.labels = [];
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  return {
    spec,
    builtinCatalog: options.builtinCatalog !== false,
    checkParameters: schema.parameters !== undefined,
    statements: run.statements.map((s, i) => ({ name: typeof s.name === 'string' ? s.name : `#${i}`, cypher: s.cypher })),
  };
}

// The library's schema for one run. Each per-version function/procedure
// registry gets a (non-enumerable) toJSON giving a fingerprint: the library
// compares JSON.stringify of the registries before every statement to decide
// whether to rebuild its signature resolver, which is ~1.4 MB of JSON per call
// with the built-in catalog. Same object, same content: same fingerprint.
let registryCount = 0;
function buildDbSchema(ls, prep) {
  const { spec, builtinCatalog } = prep;
  let { functions, procedures } = spec;
  if (builtinCatalog) {
    // Neo4j's built-in function/procedure signatures as shipped with the
    // library (its test catalog, dumped from a Neo4j 5.x server). APOC/GDS
    // entries are dropped: they are plugins, not part of a stock server.
    const cat = ls.testData.mockSchema;
    const pick = (reg, keep) => Object.fromEntries(Object.entries(reg).map(([v, r]) => [v, Object.fromEntries(Object.entries(r).filter(([, x]) => keep(x)))]));
    const notPlugin = (x) => !/^(apoc|gds|genai)\./i.test(x.name);
    functions = mergeRegistries(pick(cat.functions, (x) => x.isBuiltIn && notPlugin(x)), functions);
    procedures = mergeRegistries(pick(cat.procedures, notPlugin), procedures);
  }
  const dbSchema = { ...spec };
  delete dbSchema.functions;
  delete dbSchema.procedures;
  for (const [k, reg] of [['functions', functions], ['procedures', procedures]]) {
    if (!Object.keys(reg).length) continue;
    dbSchema[k] = Object.fromEntries(Object.entries(reg).map(([version, r]) => {
      const fingerprint = `registry#${++registryCount}`;
      return [version, Object.defineProperty({ ...r }, 'toJSON', { value: () => fingerprint, enumerable: false })];
    }));
  }
  return dbSchema;
}

function lintOne(ls, dbSchema, checkParameters, cypher) {
  const { diagnostics } = ls.lintCypherQuery(cypher, dbSchema, { consoleCommandsEnabled: false });
  return diagnostics
    .filter((d) => checkParameters || ls.isNotParamError(d))
    .map((d) => {
      const o = {
        severity: SEVERITY[d.severity] ?? String(d.severity),
        message: d.message,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        offset: d.offsets?.start,
        endOffset: d.offsets?.end,
      };
      if (d.tags?.includes(DEPRECATED_TAG) || /deprecated/i.test(d.message)) o.deprecated = true;
      return o;
    });
}

// The library writes nothing to stdout, but keep stdout for the result only.
function quietConsole() {
  const toStderr = (...a) => process.stderr.write(a.join(' ') + '\n');
  console.log = console.info = console.debug = toStderr;
}

async function loadLibrary() {
  quietConsole();
  return import('@neo4j-cypher/language-support');
}

// ---- cache ---------------------------------------------------------------
// One file per (statement, run settings): <dir>/<sha256>.json holding the full
// diagnostics (an empty list for a clean statement). The key covers this
// script's source, the installed packages (node_modules/.package-lock.json),
// the Node version, the run's schema/parameters/dialect/options and the
// statement text; the entry repeats the text and dialect, checked on read.
// Entries are written only after the statement was linted (atomically); an
// unreadable or mismatching entry is a miss. Entries unused for 30 days go.
const CACHE_FORMAT = 1;
const CACHE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');

function toolFingerprint(pkg) {
  // node_modules/.package-lock.json (written by npm) describes the installed tree.
  let installed = null;
  for (let dir = path.dirname(require.resolve('@neo4j-cypher/language-support')); ; dir = path.dirname(dir)) {
    if (path.basename(dir) === 'node_modules') {
      try { installed = fs.readFileSync(path.join(dir, '.package-lock.json'), 'utf8'); } catch { /* none */ }
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  const self = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8');
  return sha256(JSON.stringify([CACHE_FORMAT, self, `${pkg.name}@${pkg.version}`, installed, process.version]));
}

class LintCache {
  constructor(dir, tool) {
    this.dir = dir;
    this.tool = tool;
    fs.mkdirSync(dir, { recursive: true });
  }

  runKey(prep) {
    return sha256(JSON.stringify([this.tool, prep.spec, prep.builtinCatalog, prep.checkParameters]));
  }

  file(runKey, cypher) {
    return path.join(this.dir, `${sha256(runKey + '\0' + cypher)}.json`);
  }

  get(runKey, prep, cypher) {
    const file = this.file(runKey, cypher);
    try {
      const e = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (e.format === CACHE_FORMAT && e.cypher === cypher && e.cypherVersion === prep.spec.defaultLanguage && Array.isArray(e.diagnostics)) {
        const now = new Date();
        try { fs.utimesSync(file, now, now); } catch { /* still a hit */ }
        return e.diagnostics;
      }
    } catch { /* missing or unreadable: a miss */ }
    return undefined;
  }

  put(runKey, prep, cypher, diagnostics) {
    const file = this.file(runKey, cypher);
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify({ format: CACHE_FORMAT, cypherVersion: prep.spec.defaultLanguage, cypher, diagnostics }));
      fs.renameSync(tmp, file);
    } catch (e) {
      try { fs.rmSync(tmp, { force: true }); } catch { /* ignore */ }
      process.stderr.write(`lint.mjs: cache not written (${e.message})\n`);
    }
  }

  prune() {
    const cutoff = Date.now() - CACHE_MAX_AGE_MS;
    try {
      for (const f of fs.readdirSync(this.dir)) {
        if (!/\.json$|\.tmp$/.test(f)) continue;
        const p = path.join(this.dir, f);
        try { if (fs.statSync(p).mtimeMs < cutoff) fs.rmSync(p, { force: true }); } catch { /* raced */ }
      }
    } catch { /* ignore */ }
  }
}

function openCache(dir, pkg) {
  if (dir === undefined || dir === null || dir === false) return undefined;
  if (typeof dir !== 'string' || !dir) fail(2, 'options.cache must be a directory path');
  try {
    return new LintCache(path.resolve(dir), toolFingerprint(pkg));
  } catch (e) {
    process.stderr.write(`lint.mjs: cache disabled (${e.message})\n`);
    return undefined;
  }
}

// ---- linting the statements that are not cached ---------------------------
// tasks: [{ run, index, cypher }]; returns their diagnostics in task order.
async function lintTasks(preps, tasks, threads) {
  const workers = Math.min(threads, Math.floor(tasks.length / 4));
  if (workers <= 1) {
    const ls = await loadLibrary();
    const schemas = preps.map((p) => buildDbSchema(ls, p));
    return tasks.map((t) => lintOne(ls, schemas[t.run], preps[t.run].checkParameters, t.cypher));
  }
  // Longest statements first, handed out one at a time to whichever worker is free.
  const order = tasks.map((_, i) => i).sort((a, b) => tasks[b].cypher.length - tasks[a].cypher.length);
  const out = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: workers }, () => new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { preps } });
    let current;
    const give = () => {
      if (next < order.length) {
        current = order[next++];
        const t = tasks[current];
        w.postMessage({ run: t.run, cypher: t.cypher });
      } else {
        current = undefined;
        w.postMessage(null);
      }
    };
    w.on('message', (m) => {
      if (m !== 'ready') out[current] = m;
      give();
    });
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 && current === undefined ? resolve() : reject(new Error(`lint worker exited with ${code}`))));
  })));
  return out;
}

async function workerMain() {
  const ls = await loadLibrary();
  const { preps } = workerData;
  const schemas = preps.map((p) => buildDbSchema(ls, p));
  parentPort.on('message', (m) => {
    if (m === null) { parentPort.close(); return; }
    parentPort.postMessage(lintOne(ls, schemas[m.run], preps[m.run].checkParameters, m.cypher));
  });
  parentPort.postMessage('ready');
}

async function main() {
  const input = readInput();
  if (!isObj(input)) fail(2, 'input must be a JSON object');
  const multi = input.runs !== undefined;
  if (multi && (!Array.isArray(input.runs) || !input.runs.length)) fail(2, '"runs" must be a non-empty array');
  const options = input.options ?? {};
  if (!isObj(options)) fail(2, '"options" must be an object');
  const preps = multi ? input.runs.map((r, i) => prepareRun(r, `runs[${i}].`)) : [prepareRun(input, '')];
  let threads = options.threads ?? os.availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) fail(2, 'options.threads must be a positive integer');

  const pkg = packageJson('@neo4j-cypher/language-support');
  const cache = openCache(options.cache, pkg);
  const runKeys = preps.map((p) => cache?.runKey(p));

  const diagnostics = preps.map((p) => new Array(p.statements.length));
  const cached = preps.map((p) => new Array(p.statements.length).fill(false));
  const tasks = [];
  preps.forEach((p, run) => p.statements.forEach((s, index) => {
    const hit = cache?.get(runKeys[run], p, s.cypher);
    if (hit) {
      diagnostics[run][index] = hit;
      cached[run][index] = true;
    } else {
      tasks.push({ run, index, cypher: s.cypher });
    }
  }));
  // A statement that occurs twice in a run (or in runs with the same settings) is linted once.
  const unique = new Map();
  for (const t of tasks) {
    const k = JSON.stringify([runKeys[t.run] ?? t.run, t.cypher]);
    if (!unique.has(k)) unique.set(k, t);
  }
  const distinct = [...unique.values()];
  if (distinct.length) {
    const linted = await lintTasks(preps, distinct, threads);
    const byKey = new Map(distinct.map((t, i) => [JSON.stringify([runKeys[t.run] ?? t.run, t.cypher]), linted[i]]));
    for (const t of tasks) diagnostics[t.run][t.index] = byKey.get(JSON.stringify([runKeys[t.run] ?? t.run, t.cypher]));
    if (cache) distinct.forEach((t, i) => cache.put(runKeys[t.run], preps[t.run], t.cypher, linted[i]));
  }
  cache?.prune();

  const outputs = preps.map((p, run) => ({
    linter: {
      package: `${pkg.name}@${pkg.version}`,
      cypherVersion: p.spec.defaultLanguage,
      builtinCatalog: p.builtinCatalog,
      checkParameters: p.checkParameters,
      cache: cache ? { dir: cache.dir, hits: cached[run].filter(Boolean).length, misses: p.statements.length - cached[run].filter(Boolean).length } : null,
    },
    results: p.statements.map((s, i) => {
      const out = diagnostics[run][i];
      return {
        name: s.name,
        errorCount: out.filter((d) => d.severity === 'error').length,
        warningCount: out.filter((d) => d.severity === 'warning').length,
        diagnostics: out,
        cached: cached[run][i],
      };
    }),
  }));
  process.stdout.write(JSON.stringify(multi ? { runs: outputs } : outputs[0], null, 2) + '\n');
}

if (isMainThread) main().catch((e) => fail(1, `internal error: ${e?.stack ?? e}`));
else workerMain().catch((e) => { process.stderr.write(`lint.mjs worker: ${e?.stack ?? e}\n`); process.exit(1); });
