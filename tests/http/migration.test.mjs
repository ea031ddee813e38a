// migration.test.mjs - a database made by the previous release (schema 4,
// fixtures/release-4.sql) migrates forward with its data intact, on SQLite
// and on PostgreSQL: every record keeps its ID and values, a validated
// second model becomes a named, undrilled alternative, the renamed risk
// weight keeps its points, users still sign in, settings and the saved
// scenario stay, and the audit chain still verifies. Then the new rules
// apply: Microsoft's licence term no longer bears on OpenAI's own API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, api, BIN, sql, freshDb, onPostgres } from './harness.mjs';

const FIXTURE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'release-4.sql'), 'utf8');
const TABLES_WITH_IDS = ['vendors', 'offerings', 'contracts', 'workloads', 'scenarios', 'users', 'api_tokens'];

// The fixture's rows of a table, as { column: value } (values as SQL text).
function rows(table) {
  const out = [];
  const re = new RegExp(`^INSERT INTO ${table}\\(([^)]*)\\) VALUES \\((.*)\\);$`, 'gm');
  for (const m of FIXTURE.matchAll(re)) {
    const cols = m[1].split(', ');
    const vals = m[2].match(/'(?:[^']|'')*'|NULL|-?\d+(?:\.\d+)?/g);
    out.push(Object.fromEntries(cols.map((c, i) => [c, vals[i].startsWith("'")
      ? vals[i].slice(1, -1).replaceAll("''", "'") : vals[i] === 'NULL' ? null : Number(vals[i])])));
  }
  return out;
}

const run = (args, input) => execFileSync(BIN, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

let dir;
let db;
let srv;
const req = (method, path, body, headers) => api(srv.base, method, path, body, headers);
async function ok(method, path) {
  const r = await req(method, path);
  assert.equal(r.status, 200, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}
async function all(coll) { return (await ok('GET', `/api/v1/${coll}?limit=500`)).items; }

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-migration-'));
  db = freshDb(dir);
  assert.match(run(['migrate', '4', '--db', db]), /schema version 4/);
  sql(db, FIXTURE);
  if (onPostgres) {
    // Rows came with their IDs: move each identity past them, as the old
    // release's own inserts would have.
    sql(db, TABLES_WITH_IDS.map((t) =>
      `SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT MAX(id) FROM ${t}));`).join('\n') +
      "\nSELECT setval(pg_get_serial_sequence('audit_events', 'seq'), (SELECT MAX(seq) FROM audit_events)) " +
      "WHERE pg_get_serial_sequence('audit_events', 'seq') IS NOT NULL;");
  }
  assert.match(run(['migrate', '--db', db]), /schema version 5/);
  srv = await startServer({ demo: false, args: ['--db', db] });
});

after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('every record keeps its ID, name and values', async () => {
  for (const [coll, keys] of [['vendors', ['name', 'website', 'country', 'lei']],
    ['offerings', ['name', 'track', 'category', 'interface']],
    ['contracts', ['name', 'kind', 'start_date', 'end_date', 'notice_days', 'exit_clause']],
    ['workloads', ['name', 'status', 'criticality', 'owner', 'planned_end', 'ai_act_tier']]]) {
    const old = rows(coll);
    const now = new Map((await all(coll)).map((x) => [x.id, x]));
    assert.equal(now.size, old.length, coll);
    assert.ok(old.length > 10, coll);
    for (const o of old) {
      const n = now.get(o.id);
      assert.ok(n, `${coll} ${o.id}`);
      for (const k of keys) assert.equal(n[k], o[k], `${coll} ${o.id} ${k}`);
    }
  }
  // Money, flags and the children (dependencies, features, covered offerings).
  const deps = rows('workload_dependencies');
  const feats = rows('workload_features');
  for (const w of await all('workloads')) {
    const o = rows('workloads').find((x) => x.id === w.id);
    assert.equal(Math.round(w.monthly_spend * 100), o.monthly_spend, w.name);
    assert.equal(w.swap_layer, o.swap_layer === 1, w.name);
    assert.deepEqual(w.dependencies, deps.filter((d) => d.workload_id === w.id)
      .sort((a, b) => a.position - b.position).map((d) => ({ offering: d.offering_id, role: d.role })), w.name);
    assert.deepEqual(w.proprietary_features, feats.filter((f) => f.workload_id === w.id)
      .sort((a, b) => a.position - b.position).map((f) => f.feature), w.name);
    assert.equal('second_model_validated' in w, false);
    assert.deepEqual(w.allowed_regions, []);
  }
  const covered = rows('contract_offerings');
  for (const c of await all('contracts'))
    assert.deepEqual(c.offerings, covered.filter((x) => x.contract_id === c.id)
      .sort((a, b) => a.position - b.position).map((x) => x.offering_id), c.name);
});

test('a validated second model becomes a named alternative to the first, not yet drilled', async () => {
  const deps = rows('workload_dependencies');
  let converted = 0;
  for (const w of await all('workloads')) {
    const o = rows('workloads').find((x) => x.id === w.id);
    const models = deps.filter((d) => d.workload_id === w.id && d.role === 'model')
      .sort((a, b) => a.position - b.position).map((d) => d.offering_id);
    const expected = o.second_model_validated === 1
      ? models.slice(1).map((m) => ({ dependency: models[0], offering: m })) : [];
    assert.deepEqual(w.alternatives, expected, w.name);
    converted += expected.length > 0;
    assert.equal((await ok('GET', `/api/v1/workloads/${w.id}/drills`)).total, 0);
    if (expected.length)
      assert.match(w.risk.factors.find((f) => f.code === 'no_proven_alternative')?.reason ?? '',
        /never been drilled|has no named alternative/, w.name);
  }
  assert.ok(converted >= 10, `${converted} workloads had a validated second model`);
});

test('the risk weight keeps its points under its new code; settings, scenario and users stay', async () => {
  const model = await ok('GET', '/api/v1/risk/model');
  assert.equal(model.weights.no_proven_alternative, 12);
  assert.equal('no_validated_alternative' in model.weights, false);
  const scenarios = await all('scenarios');
  assert.deepEqual(scenarios.map((s) => [s.id, s.name, s.owner]), [[1, 'Microsoft exit', 'bob']]);
  assert.match(run(['setting', 'currency', '--db', db]), /currency = EUR/);
  const users = (await ok('GET', '/api/v1/users')).items;
  for (const [name, role] of [['alice', 'auditor'], ['bob', 'admin']])
    assert.equal(users.find((u) => u.name === name)?.role, role, name);
  await srv.signIn('alice', 'correct horse battery staple');
  // The new role fits the rebuilt table on either engine.
  const made = await req('POST', '/api/v1/users', { name: 'carol', role: 'leadership', password: 'a long enough password 1' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
});

test('the audit chain made by the old release still verifies, with every event kept', async () => {
  const v = await ok('GET', '/api/v1/audit/verify');
  assert.equal(v.ok, true, JSON.stringify(v));
  const old = rows('audit_events');
  assert.ok(v.events >= old.length);
  const head = await ok('GET', `/api/v1/audit?limit=1&offset=0`);
  assert.ok(head.total >= old.length);
});

test('after the upgrade, Microsoft\'s licence no longer bears on OpenAI\'s own API', async () => {
  const offerings = new Map((await all('offerings')).map((o) => [o.id, o]));
  const openaiOnly = (await all('workloads')).filter((w) => w.dependencies.length &&
    w.dependencies.every((d) => ['OpenAI API', 'ChatGPT Enterprise', 'Codex'].includes(offerings.get(d.offering).name) ||
      d.role === 'identity'));
  assert.ok(openaiOnly.length >= 3);
  for (const w of openaiOnly)
    for (const f of w.risk.factors) assert.doesNotMatch(f.reason, /licence to OpenAI models/, w.name);
  const azure = (await all('workloads')).find((w) => w.name === 'Claims triage assistant');
  assert.match(azure.risk.factors.find((f) => f.code === 'horizon').reason, /licence to OpenAI models/);
});
