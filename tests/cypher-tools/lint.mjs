#!/usr/bin/env node
// Offline Cypher linter built on @neo4j-cypher/language-support (Neo4j's own
// parser + semantic analysis compiled to JS). Lints as Cypher 5 by default.
//
//   node lint.mjs input.json      (or: node lint.mjs - < input.json, or stdin)
//
// Input:  { "schema": {...}, "options": {...}, "statements": [ { "name", "cypher" } ] }
// Output: { "linter": {...}, "results": [ { "name", "errorCount", "warningCount", "diagnostics": [...] } ] }
// Exit 0 whenever linting ran (whatever it found); 2 with a message on stderr
// when the input is unusable; 1 on an internal failure. See README.md.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

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
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(2, `schema.${what} must be an array of strings`);
  return v;
};

function versionKey(v) {
  const s = String(v).trim().toUpperCase().replace(/^CYPHER\s*/, '');
  if (s === '5') return 'CYPHER 5';
  if (s === '25') return 'CYPHER 25';
  fail(2, `options.cypherVersion must be "5" or "25", got ${JSON.stringify(v)}`);
}

// functions / procedures: either the library's registry shape
// { "CYPHER 5": { name: {...} } }, or simply an array of names (or of objects
// with at least "name"), which is then added to both Cypher versions.
function userRegistry(v, what, kind) {
  if (v === undefined || v === null) return {};
  const mk = (x) => {
    if (typeof x === 'string') x = { name: x };
    if (!isObj(x) || typeof x.name !== 'string') fail(2, `schema.${what} entries must be names or objects with "name"`);
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
      if (!isObj(reg)) fail(2, `schema.${what}["${ver}"] must be an object`);
      out[versionKey(ver)] = Object.fromEntries(Object.values(reg).map((x) => { const o = mk(x); return [o.name, o]; }));
    }
    return out;
  }
  fail(2, `schema.${what} must be an array or an object`);
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

async function main() {
  const input = readInput();
  if (!isObj(input)) fail(2, 'input must be a JSON object');
  const schema = input.schema ?? {};
  const options = input.options ?? {};
  if (!isObj(schema)) fail(2, '"schema" must be an object');
  if (!isObj(options)) fail(2, '"options" must be an object');
  if (!Array.isArray(input.statements)) fail(2, '"statements" must be an array');
  input.statements.forEach((s, i) => {
    if (!isObj(s) || typeof s.cypher !== 'string') fail(2, `statements[${i}] must be an object with a "cypher" string`);
  });
  if (schema.parameters !== undefined && !isObj(schema.parameters)) fail(2, 'schema.parameters must be an object { name: type }');

  // The library writes nothing to stdout, but keep stdout clean regardless.
  const origLog = console.log;
  console.log = (...a) => process.stderr.write(a.join(' ') + '\n');
  const ls = await import('@neo4j-cypher/language-support');
  console.log = origLog;
  const pkg = packageJson('@neo4j-cypher/language-support');

  const builtinCatalog = options.builtinCatalog !== false;
  let functions = userRegistry(schema.functions, 'functions', 'function');
  let procedures = userRegistry(schema.procedures, 'procedures', 'procedure');
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

  const dbSchema = {
    labels: strArray(schema.labels, 'labels'),
    relationshipTypes: strArray(schema.relationshipTypes, 'relationshipTypes'),
    propertyKeys: strArray(schema.propertyKeys, 'propertyKeys'),
    parameters: schema.parameters ?? {},
    defaultLanguage: versionKey(options.cypherVersion ?? '5'),
  };
  if (Object.keys(functions).length) dbSchema.functions = functions;
  if (Object.keys(procedures).length) dbSchema.procedures = procedures;
  if (schema.graphSchema !== undefined) dbSchema.graphSchema = schema.graphSchema;
  // The library warns about unknown labels/types only when both lists are
  // given: supply the missing one as empty so that giving one list works.
  if (dbSchema.labels && !dbSchema.relationshipTypes) dbSchema.relationshipTypes = [];
  if (dbSchema.relationshipTypes && !dbSchema.labels) dbSchema.labels = [];
  for (const k of Object.keys(dbSchema)) if (dbSchema[k] === undefined) delete dbSchema[k];
  const checkParameters = schema.parameters !== undefined;

  const results = input.statements.map((s, i) => {
    const name = typeof s.name === 'string' ? s.name : `#${i}`;
    const { diagnostics } = ls.lintCypherQuery(s.cypher, dbSchema, { consoleCommandsEnabled: false });
    const out = diagnostics
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
    return {
      name,
      errorCount: out.filter((d) => d.severity === 'error').length,
      warningCount: out.filter((d) => d.severity === 'warning').length,
      diagnostics: out,
    };
  });

  process.stdout.write(JSON.stringify({
    linter: {
      package: `${pkg.name}@${pkg.version}`,
      cypherVersion: dbSchema.defaultLanguage,
      builtinCatalog,
      checkParameters,
    },
    results,
  }, null, 2) + '\n');
}

main().catch((e) => fail(1, `internal error: ${e?.stack ?? e}`));
