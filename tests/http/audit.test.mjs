// audit.test.mjs - the audit trail: exactly one event per change (catalogue
// records, scenarios, risk weights, sign-in/out, tokens, users) with the right
// action, entity, before and after; none for a refused change; the filters and
// who may read them; verification and head; an independent recomputation of
// the hash chain; append-only triggers; and tamper detection by the command
// line and the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, BIN, freshDb, sql, onPostgres } from './harness.mjs';

const TODAY = new Date().toISOString().slice(0, 10);
const GENESIS = '0'.repeat(64);
let srv;
let dir;
let dbPath;
let adminActor;
// Every secret used in this file: none may ever show up in the audit trail.
const secrets = new Set();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-audit-'));
  dbPath = freshDb(dir, 'audit.db');
  srv = await startServer({ demo: true, args: ['--db', dbPath], env: { SWITCHYARD_TODAY: TODAY } });
  for (const p of Object.values(srv.users)) secrets.add(p);
  secrets.add(srv.token);
  const mine = (await api(srv.base, 'GET', '/api/v1/tokens')).body.items
    .find((t) => t.user === 'admin' && srv.token.startsWith(t.prefix));
  assert.ok(mine, 'the harness token is listed');
  adminActor = `token:${mine.id}:admin`;
});
after(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- helpers ---------------------------------------------------------------

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const req = (method, path, body, headers = {}) => api(srv.base, method, path, body, headers);
const withCookie = (cookie, method, path, body, headers = {}) =>
  api(srv.base, method, path, body, { Authorization: '', Cookie: cookie, ...headers });
const browser = (cookie, method, path, body, headers = {}) =>
  withCookie(cookie, method, path, body, { Origin: srv.base, ...headers });
const bearer = (token, method, path, body) =>
  api(srv.base, method, path, body, { Authorization: `Bearer ${token}` });

function assertProblem(r, status) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
  assert.equal(r.body.status, status);
}

async function head() {
  const r = await req('GET', '/api/v1/audit/head');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

// Events after sequence number `seq`, oldest first.
async function eventsAfter(seq) {
  const r = await req('GET', '/api/v1/audit?limit=500');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items.filter((e) => e.seq > seq).reverse();
}

// Every event, oldest first, paging through the list.
async function allEvents() {
  const out = [];
  for (let offset = 0; ; offset += 500) {
    const r = await req('GET', `/api/v1/audit?limit=500&offset=${offset}`);
    assert.equal(r.status, 200);
    out.push(...r.body.items);
    if (out.length >= r.body.total || r.body.items.length === 0) break;
  }
  return out.sort((a, b) => a.seq - b.seq);
}

// Runs fn, checks it wrote exactly one event, and returns [result, event].
async function one(fn, label) {
  const h = await head();
  const result = await fn();
  const events = await eventsAfter(h.seq);
  assert.equal(events.length, 1, `${label}: ${JSON.stringify(events.map((e) => [e.action, e.entity]))}`);
  assert.equal(events[0].seq, h.seq + 1);
  assert.equal(events[0].prev_hash, h.hash);
  assert.match(events[0].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(Math.abs(Date.parse(events[0].at) - Date.now()) < 60000, events[0].at);
  return [result, events[0]];
}

// Runs fn and checks that the trail did not move.
async function none(fn, label) {
  const h = await head();
  const result = await fn();
  assert.deepEqual(await head(), h, `${label}: no audit event`);
  return result;
}

const omit = (o, ...keys) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
// A record as the audit trail stores it: workloads without their computed risk.
const stored = (o) => omit(o, 'risk');

let counter = 0;
const unique = (p) => `${p} ${process.pid}-${++counter}`;

async function first(coll) {
  const r = await req('GET', `${coll}?limit=1`);
  assert.equal(r.status, 200);
  return r.body.items[0];
}

// How to make, replace and patch one of each kind of record.
async function kinds() {
  const offering = await first('/api/v1/offerings');
  const contract = await first('/api/v1/contracts');
  const workload = await first('/api/v1/workloads');
  return [
    { entity: 'vendor', coll: '/api/v1/vendors',
      make: () => ({ name: unique('Audit Vendor'), country: 'DE', website: 'https://example.com', description: 'made' }),
      field: 'description' },
    { entity: 'offering', coll: '/api/v1/offerings',
      make: () => ({ ...omit(offering, 'id', 'created_at', 'updated_at'), name: unique('Audit Offering') }),
      field: 'description' },
    { entity: 'contract', coll: '/api/v1/contracts',
      make: () => ({ ...omit(contract, 'id', 'created_at', 'updated_at', 'notice_deadline'), name: unique('Audit Contract') }),
      field: 'notes' },
    { entity: 'workload', coll: '/api/v1/workloads',
      make: () => ({ ...omit(workload, 'id', 'created_at', 'updated_at', 'risk'), name: unique('Audit Workload') }),
      field: 'notes' },
    { entity: 'scenario', coll: '/api/v1/scenarios',
      make: () => ({ name: unique('Audit Scenario'), description: 'made', changes: [{ type: 'withdraw_offering', offering: offering.id }] }),
      field: 'description' },
  ];
}

// Remembered for the filter and tamper tests.
const remembered = {};

// ---- one event per change ------------------------------------------------------

test('create, PUT, PATCH and DELETE of each kind of record write one event each', async () => {
  for (const k of await kinds()) {
    const [c, ce] = await one(() => req('POST', k.coll, k.make()), `${k.entity} create`);
    assert.equal(c.status, 201, `${k.entity}: ${JSON.stringify(c.body)}`);
    const id = c.body.id;
    const path = `${k.coll}/${id}`;
    assert.deepEqual(
      { actor: ce.actor, action: ce.action, entity: ce.entity, entity_id: ce.entity_id, before: ce.before },
      { actor: adminActor, action: 'create', entity: k.entity, entity_id: id, before: null }, k.entity);
    assert.deepEqual(ce.after, stored(c.body), `${k.entity} create: after`);
    // The answer (made from what was written, for most kinds) is what reads back.
    assert.deepEqual((await req('GET', `${k.coll}/${c.body.id}`)).body, c.body, `${k.entity} create: read back`);

    let cur = await req('GET', path);
    const [p, pe] = await one(() => req('PUT', path, { ...cur.body, [k.field]: `replaced ${k.entity}` },
      { 'If-Match': cur.headers.get('etag') }), `${k.entity} PUT`);
    assert.equal(p.status, 200, `${k.entity} PUT: ${JSON.stringify(p.body)}`);
    assert.equal(p.body[k.field], `replaced ${k.entity}`);
    assert.deepEqual([pe.actor, pe.action, pe.entity, pe.entity_id], [adminActor, 'update', k.entity, id]);
    assert.deepEqual(pe.before, stored(cur.body), `${k.entity} PUT: before`);
    assert.deepEqual(pe.after, stored(p.body), `${k.entity} PUT: after`);
    assert.deepEqual((await req('GET', path)).body, p.body, `${k.entity} PUT: read back`);

    cur = await req('GET', path);
    const [m, me] = await one(() => req('PATCH', path, { [k.field]: `patched ${k.entity}` },
      { 'Content-Type': 'application/merge-patch+json' }), `${k.entity} PATCH`);
    assert.equal(m.status, 200, `${k.entity} PATCH: ${JSON.stringify(m.body)}`);
    assert.deepEqual([me.action, me.entity, me.entity_id], ['update', k.entity, id]);
    assert.deepEqual(me.before, stored(cur.body), `${k.entity} PATCH: before`);
    assert.deepEqual(me.after, stored(m.body), `${k.entity} PATCH: after`);
    assert.equal(me.before[k.field], `replaced ${k.entity}`);
    assert.equal(me.after[k.field], `patched ${k.entity}`);
    assert.deepEqual((await req('GET', path)).body, m.body, `${k.entity} PATCH: read back`);

    cur = await req('GET', path);
    const [d, de] = await one(() => req('DELETE', path), `${k.entity} DELETE`);
    assert.equal(d.status, 204, `${k.entity} DELETE: ${JSON.stringify(d.body)}`);
    assert.deepEqual([de.action, de.entity, de.entity_id, de.after], ['delete', k.entity, id, null]);
    assert.deepEqual(de.before, stored(cur.body), `${k.entity} DELETE: before`);
    assert.equal((await req('GET', path)).status, 404);
    if (k.entity === 'vendor') remembered.vendor = { id, seqs: [ce.seq, pe.seq, me.seq, de.seq] };
  }
});

test('from a body of required fields only, a write answers and audits what reads back', async () => {
  // Absent optional fields, empty arrays and nulls: the answer and the event
  // are made from what was written (not read back) for most kinds, so they
  // must agree with a read field by field.
  for (const k of await kinds()) {
    const full = k.make();
    // The fields a record cannot do without: from the name alone, add what
    // each refusal names (some depend on others: a customer contract's end).
    const minimal = { name: full.name };
    for (let tries = 0; ; tries++) {
      const probe = await req('POST', k.coll, minimal);
      if (probe.status === 201) {
        assert.equal((await req('DELETE', `${k.coll}/${probe.body.id}`)).status, 204);
        break;
      }
      assert.equal(probe.status, 400, `${k.entity}: ${JSON.stringify(probe.body)}`);
      assert.ok(tries < 5, `${k.entity}: ${JSON.stringify(probe.body)}`);
      for (const e of probe.body.errors) minimal[e.pointer.slice(1)] = full[e.pointer.slice(1)];
    }
    const [c, ce] = await one(() => req('POST', k.coll, minimal), `${k.entity} minimal create`);
    assert.equal(c.status, 201, `${k.entity}: ${JSON.stringify(c.body)}`);
    const path = `${k.coll}/${c.body.id}`;
    assert.deepEqual((await req('GET', path)).body, c.body, `${k.entity} minimal: read back`);
    assert.deepEqual(ce.after, stored(c.body), `${k.entity} minimal: after`);
    // A patch that changes nothing but the name keeps everything else.
    const [m, me] = await one(() => req('PATCH', path, { name: `${full.name} renamed` },
      { 'Content-Type': 'application/merge-patch+json' }), `${k.entity} minimal PATCH`);
    assert.equal(m.status, 200, JSON.stringify(m.body));
    const kept = (o) => omit(o, 'name', 'updated_at', 'group'); // a vendor's group names it
    assert.deepEqual(kept(m.body), kept(c.body), `${k.entity}: kept`);
    assert.equal(m.body.name, `${full.name} renamed`);
    assert.deepEqual((await req('GET', path)).body, m.body, `${k.entity} minimal PATCH: read back`);
    assert.deepEqual(me.after, stored(m.body), `${k.entity} minimal PATCH: after`);
    assert.equal((await req('DELETE', path)).status, 204);
  }
});

test('a risk weight change writes one risk_model event', async () => {
  const model = (await req('GET', '/api/v1/risk/model')).body;
  const old = model.weights.no_swap_layer;
  const next = old === 100 ? 99 : old + 1;
  const [r, e] = await one(() => req('PUT', '/api/v1/risk/model', { weights: { no_swap_layer: next } }), 'risk');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual([e.actor, e.action, e.entity, e.entity_id], [adminActor, 'update', 'risk_model', null]);
  assert.deepEqual(e.before, model.weights);
  assert.deepEqual(e.after, { ...model.weights, no_swap_layer: next });
  assert.deepEqual(e.after, r.body.weights);
  const [, back] = await one(() => req('PUT', '/api/v1/risk/model', { weights: { no_swap_layer: old } }), 'risk back');
  assert.deepEqual(back.after, model.weights);
});

test('sign-in, sign-out and failed sign-in are audited, without passwords', async () => {
  const viewerId = (await req('GET', '/api/v1/users')).body.items.find((u) => u.name === 'viewer').id;
  const [cookie, si] = await one(() => srv.signIn('viewer'), 'sign_in');
  secrets.add(cookie.slice('sy_session='.length));
  assert.deepEqual(omit(si, 'seq', 'at', 'prev_hash', 'hash'), {
    actor: 'user:viewer', action: 'sign_in', entity: 'session', entity_id: viewerId,
    before: null, after: { user: 'viewer', address: '127.0.0.1' },
  });

  const [out, so] = await one(() => browser(cookie, 'DELETE', '/api/v1/session'), 'sign_out');
  assert.equal(out.status, 204);
  assert.deepEqual(omit(so, 'seq', 'at', 'prev_hash', 'hash'), {
    actor: 'user:viewer', action: 'sign_out', entity: 'session', entity_id: viewerId,
    before: null, after: { user: 'viewer', address: '127.0.0.1' },
  });

  for (const [name, password] of [['viewer', 'Wrong-Pa55word-viewer'], ['nobody-at-all', 'Wrong-Pa55word-nobody']]) {
    secrets.add(password);
    const [r, f] = await one(() => fetch(`${srv.base}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }),
    }), `sign_in_failed ${name}`);
    assert.equal(r.status, 401);
    assert.deepEqual(omit(f, 'seq', 'at', 'prev_hash', 'hash'), {
      actor: 'anonymous', action: 'sign_in_failed', entity: 'session', entity_id: null,
      before: null, after: { user: name, address: '127.0.0.1' },
    });
    assert.ok(!JSON.stringify(f).includes(password));
  }
  // A malformed sign-in is no attempt: nothing recorded.
  await none(async () => assertProblem(await fetch(`${srv.base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'viewer' }),
  }).then(async (res) => ({ status: res.status, headers: res.headers, body: await res.json() })), 400), 'bad sign-in body');
});

test('token create and revoke are audited, without the secret', async () => {
  const cookie = await srv.signIn('architect');
  const name = unique('audit token');
  const [c, ce] = await one(() => browser(cookie, 'POST', '/api/v1/tokens', { name }), 'token create');
  assert.equal(c.status, 201);
  secrets.add(c.body.token);
  assert.deepEqual([ce.actor, ce.action, ce.entity, ce.entity_id, ce.before], ['user:architect', 'create', 'token', c.body.id, null]);
  assert.equal(ce.after.name, name);
  assert.equal(ce.after.prefix, c.body.prefix);
  assert.equal(ce.after.role, 'architect');
  assert.equal(ce.after.user, 'architect');
  assert.equal(ce.after.revoked_at, null);
  assert.ok(!('token' in ce.after));
  assert.ok(!JSON.stringify(ce).includes(c.body.token));
  assert.ok(!JSON.stringify(ce).includes(sha256(c.body.token)), 'the token hash is in the audit trail');

  const [d, de] = await one(() => browser(cookie, 'DELETE', `/api/v1/tokens/${c.body.id}`), 'token revoke');
  assert.equal(d.status, 204);
  assert.deepEqual([de.actor, de.action, de.entity, de.entity_id], ['user:architect', 'revoke', 'token', c.body.id]);
  assert.equal(de.before.revoked_at, null);
  assert.match(de.after.revoked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(omit(de.after, 'revoked_at'), omit(de.before, 'revoked_at'));
});

test('user create and update are audited, without passwords or hashes', async () => {
  const name = unique('audited').replace(/ /g, '_');
  const password = 'audited-password-01';
  secrets.add(password);
  const [c, ce] = await one(() => req('POST', '/api/v1/users', { name, role: 'viewer', password }), 'user create');
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.deepEqual([ce.actor, ce.action, ce.entity, ce.entity_id, ce.before], [adminActor, 'create', 'user', c.body.id, null]);
  assert.deepEqual(ce.after, c.body);

  const [u, ue] = await one(() => req('PATCH', `/api/v1/users/${c.body.id}`, { role: 'architect' }), 'user update');
  assert.equal(u.status, 200);
  assert.deepEqual([ue.action, ue.entity, ue.entity_id], ['update', 'user', c.body.id]);
  assert.equal(ue.before.role, 'viewer');
  assert.equal(ue.after.role, 'architect');
  assert.deepEqual(ue.after, u.body);

  const [dd, de] = await one(() => req('PATCH', `/api/v1/users/${c.body.id}`, { disabled: true }), 'user disable');
  assert.equal(dd.status, 200);
  assert.deepEqual([de.action, de.before.disabled, de.after.disabled], ['update', false, true]);

  const pw2 = 'audited-password-02';
  secrets.add(pw2);
  const [p, pe] = await one(() => req('PATCH', `/api/v1/users/${c.body.id}`, { password: pw2 }), 'user password');
  assert.equal(p.status, 200);
  assert.equal(pe.entity, 'user');
  assert.equal(pe.entity_id, c.body.id);
  assert.match(pe.action, /^(update|reset_password)$/);

  const [g, ge] = await one(() => req('POST', '/api/v1/users', { name: `${name}-gen`, role: 'auditor' }), 'generated');
  assert.equal(g.status, 201);
  secrets.add(g.body.password);
  assert.ok(!JSON.stringify(ge).includes(g.body.password));
  for (const e of [ce, ue, de, pe, ge]) assert.ok(!JSON.stringify(e).includes('$argon2'), 'a password hash in the trail');
});

test('a refused change (400, 401, 403, 404, 409, 412) writes no event and changes nothing', async () => {
  const v = await req('POST', '/api/v1/vendors', { name: unique('Refusal Vendor'), description: 'v1' });
  assert.equal(v.status, 201);
  const path = `/api/v1/vendors/${v.body.id}`;
  const g1 = await req('GET', path);
  const stale = g1.headers.get('etag');
  assert.equal((await req('PATCH', path, { description: 'v2' })).status, 200);
  const snapshot = JSON.stringify((await req('GET', path)).body);
  const workload = await first('/api/v1/workloads');
  const wpath = `/api/v1/workloads/${workload.id}`;
  const wsnap = JSON.stringify((await req('GET', wpath)).body);
  const weights = JSON.stringify((await req('GET', '/api/v1/risk/model')).body.weights);
  const cookie = await srv.signIn('admin');
  const viewerToken = await srv.tokenFor('viewer');
  const archCookie = await srv.signIn('architect');
  secrets.add(viewerToken);
  const adminId = (await req('GET', '/api/v1/users')).body.items.find((u) => u.name === 'admin').id;
  // A vendor that offerings still point at cannot be deleted.
  const used = (await req('GET', '/api/v1/offerings?limit=1')).body.items[0].provider;
  const taken = (await first('/api/v1/vendors')).name;

  const cases = [
    [400, () => req('POST', '/api/v1/vendors', { name: '' })],
    [400, () => req('POST', '/api/v1/vendors', '{"name": "broken"')],
    [400, () => req('PUT', path, { name: 'x', country: 'Germany' })],
    [400, () => req('PATCH', wpath, { criticality: 'bogus' }, { 'Content-Type': 'application/merge-patch+json' })],
    [400, () => req('PUT', '/api/v1/risk/model', { weights: { no_swap_layer: 101 } })],
    [400, () => req('PUT', '/api/v1/risk/model', { weights: { no_swap_layer: 5, made_up: 3 } })],
    [400, () => req('POST', '/api/v1/scenarios', { name: unique('bad'), changes: [] })],
    [400, () => req('POST', '/api/v1/users', { name: 'shorty', role: 'viewer', password: 'short' })],
    [400, () => browser(archCookie, 'POST', '/api/v1/tokens', { name: unique('t'), role: 'admin' })],
    [401, () => req('POST', '/api/v1/vendors', { name: unique('anon') }, { Authorization: '' })],
    [403, () => withCookie(cookie, 'PATCH', path, { description: 'csrf' }, { Origin: 'http://evil.example' })],
    [403, () => withCookie(cookie, 'DELETE', path)],
    [403, () => withCookie(cookie, 'PUT', '/api/v1/risk/model', { weights: { no_swap_layer: 0 } }, { Origin: 'https://evil.example' })],
    [403, () => bearer(viewerToken, 'POST', '/api/v1/vendors', { name: unique('viewer') })],
    [403, () => bearer(viewerToken, 'DELETE', wpath)],
    [404, () => req('DELETE', '/api/v1/vendors/999999')],
    [404, () => req('PATCH', '/api/v1/users/999999', { role: 'viewer' })],
    [409, () => req('POST', '/api/v1/vendors', { name: taken })],
    [409, () => req('PATCH', path, { name: taken })],
    [409, () => req('DELETE', `/api/v1/vendors/${used}`)],
    [409, () => req('PATCH', `/api/v1/users/${adminId}`, { disabled: true }, { Authorization: '', Cookie: cookie, Origin: srv.base })],
    [412, () => req('PUT', path, { name: v.body.name, description: 'stale' }, { 'If-Match': stale })],
    [412, () => req('PATCH', path, { description: 'stale' }, { 'If-Match': stale })],
    [412, () => req('DELETE', path, undefined, { 'If-Match': stale })],
  ];
  for (const [status, fn] of cases) {
    const r = await none(fn, `${status} ${fn}`);
    assert.equal(r.status, status, `${fn}: ${JSON.stringify(r.body)}`);
  }
  assert.equal(JSON.stringify((await req('GET', path)).body), snapshot);
  assert.equal(JSON.stringify((await req('GET', wpath)).body), wsnap);
  assert.equal(JSON.stringify((await req('GET', '/api/v1/risk/model')).body.weights), weights);
  assert.equal((await req('GET', `/api/v1/vendors/${used}`)).status, 200);
  assert.equal((await req('GET', `/api/v1/users/${adminId}`)).body.disabled, false);
});

// ---- reading the trail -----------------------------------------------------------

test('only auditors and admins read the trail', async () => {
  const tokens = {};
  for (const role of ['viewer', 'architect', 'auditor']) {
    tokens[role] = await srv.tokenFor(role);
    secrets.add(tokens[role]);
  }
  const cookies = {};
  for (const role of ['viewer', 'architect', 'auditor', 'admin']) cookies[role] = await srv.signIn(role);
  for (const path of ['/api/v1/audit', '/api/v1/audit/verify', '/api/v1/audit/head']) {
    for (const role of ['viewer', 'architect']) {
      assertProblem(await bearer(tokens[role], 'GET', path), 403);
      assertProblem(await withCookie(cookies[role], 'GET', path), 403);
    }
    assertProblem(await req('GET', path, undefined, { Authorization: '' }), 401);
    assert.equal((await bearer(tokens.auditor, 'GET', path)).status, 200, path);
    assert.equal((await withCookie(cookies.auditor, 'GET', path)).status, 200, path);
    assert.equal((await withCookie(cookies.admin, 'GET', path)).status, 200, path);
    assert.equal((await req('GET', path)).status, 200, path);
  }
  // An admin's token limited to viewer is a viewer here.
  const limited = await srv.tokenFor('admin', 'viewer');
  secrets.add(limited);
  assertProblem(await bearer(limited, 'GET', '/api/v1/audit'), 403);
});

test('GET /api/v1/audit filters by entity, actor, action, entity_id, since/until and pages', async () => {
  const all = await allEvents();
  const desc = [...all].reverse();
  const list = async (q) => {
    const r = await req('GET', `/api/v1/audit?${q}`);
    assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const expectSame = async (q, pred) => {
    const want = desc.filter(pred);
    const got = await list(`${q}&limit=500`);
    assert.equal(got.total, want.length, q);
    assert.deepEqual(got.items.map((e) => e.seq), want.map((e) => e.seq), q);
    assert.ok(want.length > 0, `${q} matches something`);
  };
  await expectSame('entity=vendor', (e) => e.entity === 'vendor');
  await expectSame('entity=risk_model', (e) => e.entity === 'risk_model');
  await expectSame('actor=user%3Aviewer', (e) => e.actor === 'user:viewer');
  await expectSame(`actor=${encodeURIComponent(adminActor)}`, (e) => e.actor === adminActor);
  await expectSame('action=sign_in_failed', (e) => e.action === 'sign_in_failed');
  await expectSame('entity=session&action=sign_in&actor=user:architect',
    (e) => e.entity === 'session' && e.action === 'sign_in' && e.actor === 'user:architect');

  const { id, seqs } = remembered.vendor;
  await expectSame(`entity=vendor&entity_id=${id}`, (e) => e.entity === 'vendor' && e.entity_id === id);
  await expectSame(`entity_id=${id}`, (e) => e.entity_id === id);
  const byId = await list(`entity=vendor&entity_id=${id}&since=${all.find((e) => e.seq === seqs[0]).at}`);
  const mine = byId.items.filter((e) => seqs.includes(e.seq));
  assert.deepEqual(mine.map((e) => e.action), ['delete', 'update', 'update', 'create']);

  // Time bounds: inclusive, as UTC times or whole days.
  const mid = all[Math.floor(all.length / 2)];
  await expectSame(`since=${mid.at}`, (e) => e.at >= mid.at);
  await expectSame(`until=${mid.at}`, (e) => e.at <= mid.at);
  await expectSame(`since=${mid.at}&until=${mid.at}`, (e) => e.at === mid.at);
  const day = all[all.length - 1].at.slice(0, 10);
  await expectSame(`since=${day}`, (e) => e.at >= `${day}T00:00:00Z`);
  await expectSame(`until=${day}`, (e) => e.at <= `${day}T23:59:59Z`);
  assert.equal((await list('since=2999-01-01')).total, 0);
  assert.equal((await list('until=1999-12-31')).total, 0);
  assert.equal((await list('entity=no-such-entity')).total, 0);
  // Bytes that are not UTF-8 match nothing (on either store).
  for (const q of ['actor=%FF', 'entity=%C3', 'action=%ED%A0%80']) assert.equal((await list(q)).total, 0, q);

  // Pages, newest first.
  const page = await list('limit=3&offset=2');
  assert.equal(page.total, all.length);
  assert.equal(page.limit, 3);
  assert.equal(page.offset, 2);
  assert.deepEqual(page.items, desc.slice(2, 5));
  const deflt = await list('');
  assert.equal(deflt.limit, 50);
  assert.deepEqual(deflt.items.map((e) => e.seq), desc.slice(0, 50).map((e) => e.seq));
  const filteredPage = await list('entity=vendor&limit=2&offset=1');
  assert.deepEqual(filteredPage.items.map((e) => e.seq), desc.filter((e) => e.entity === 'vendor').slice(1, 3).map((e) => e.seq));

  for (const [q, param] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['offset=-1', 'offset'],
    ['since=yesterday', 'since'], ['until=2026-13-01', 'until'], ['entity_id=abc', 'entity_id'], ['colour=red', 'colour']]) {
    const r = await req('GET', `/api/v1/audit?${q}`);
    assertProblem(r, 400);
    assert.equal(r.body.errors?.[0]?.parameter, param, q);
  }
});

test('a deleted record\'s ID is not given to a new one, so its audit history stays its own', async () => {
  const a = await req('POST', '/api/v1/vendors', { name: unique('Short-lived Vendor') });
  assert.equal(a.status, 201);
  const etag = (await req('GET', `/api/v1/vendors/${a.body.id}`)).headers.get('etag');
  assert.equal((await req('DELETE', `/api/v1/vendors/${a.body.id}`)).status, 204);
  const b = await req('POST', '/api/v1/vendors', { name: unique('Next Vendor') });
  assert.equal(b.status, 201);
  const history = (await req('GET', `/api/v1/audit?entity=vendor&entity_id=${a.body.id}`)).body.items;
  assert.deepEqual(history.map((e) => e.action), ['delete', 'create'],
    `vendor ${a.body.id}'s history mixes in vendor "${b.body.name}" (ID ${b.body.id}): ${JSON.stringify(history.map((e) => [e.seq, e.action, (e.after || e.before).name]))}`);
  assert.notEqual(b.body.id, a.body.id, 'the deleted vendor\'s ID was reused');
  // A stale ETag of the deleted record must not match the new one.
  const stale = await req('DELETE', `/api/v1/vendors/${b.body.id}`, undefined, { 'If-Match': etag });
  assert.notEqual(stale.status, 204, 'a stale If-Match from the deleted vendor deleted the new one');
});

test('verify answers ok with the event count and a head equal to /audit/head', async () => {
  const v = await req('GET', '/api/v1/audit/verify');
  assert.equal(v.status, 200);
  const h = await head();
  assert.deepEqual(Object.keys(v.body).sort(), ['checkpoints', 'events', 'head', 'ok']);
  // The signed checkpoints outside the database (checkpoints.test.mjs): the
  // one written at start-up at least, none past the head.
  assert.ok(v.body.checkpoints.count >= 1);
  assert.ok(v.body.checkpoints.last_seq <= v.body.head.seq);
  assert.equal(v.body.ok, true);
  assert.deepEqual(v.body.head, h);
  assert.equal(v.body.events, h.seq);
  assert.equal((await req('GET', '/api/v1/audit?limit=1')).body.total, v.body.events);
  assert.match(h.hash, /^[0-9a-f]{64}$/);
  // The command line agrees (reading the same database while the server runs).
  const out = JSON.parse(execFileSync(BIN, ['audit', 'verify', '--db', dbPath], { encoding: 'utf8' }));
  assert.deepEqual({ ...out, checkpoints: undefined }, { ok: true, events: h.seq, head: h, checkpoints: undefined });
  assert.ok(onPostgres || out.checkpoints.count >= 1); // PostgreSQL: no --key-dir here
});

test('the hash chain recomputes independently from the exported events', async () => {
  const all = await allEvents();
  assert.ok(all.length > 50, `${all.length} events`);
  let prev = GENESIS;
  for (const [i, e] of all.entries()) {
    assert.equal(e.seq, i + 1);
    assert.equal(e.prev_hash, prev, `prev_hash of ${e.seq}`);
    const canonical = JSON.stringify({
      seq: e.seq, at: e.at, actor: e.actor, action: e.action, entity: e.entity,
      entity_id: e.entity_id, before: e.before, after: e.after,
    });
    assert.equal(sha256(prev + canonical), e.hash, `hash of event ${e.seq}: ${canonical.slice(0, 200)}`);
    prev = e.hash;
  }
  assert.deepEqual(await head(), { seq: all.length, hash: prev });
});

test('the triggers refuse UPDATE and DELETE on audit_events', async () => {
  const before = await allEvents();
  for (const stmt of ["UPDATE audit_events SET actor = 'mallory' WHERE seq = 1;",
    'UPDATE audit_events SET hash = prev_hash;',
    'DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events);',
    'DELETE FROM audit_events;']) {
    let err;
    try {
      sql(dbPath, stmt);
    } catch (e) {
      err = e;
    }
    assert.ok(err, `${stmt} should fail`);
    assert.notEqual(err.status, 0);
    assert.match(String(err.stderr), /append-only/, stmt);
  }
  assert.deepEqual(await allEvents(), before);
  assert.equal((await req('GET', '/api/v1/audit/verify')).body.ok, true);
});

test('no password, token or session secret appears anywhere in the trail', async () => {
  let text = '';
  for (let offset = 0; ; offset += 500) {
    const res = await fetch(`${srv.base}/api/v1/audit?limit=500&offset=${offset}`, { headers: { Authorization: `Bearer ${srv.token}` } });
    assert.equal(res.status, 200);
    const page = await res.text();
    text += page;
    const parsed = JSON.parse(page);
    if (parsed.items.length === 0 || offset + parsed.items.length >= parsed.total) break;
  }
  assert.ok(secrets.size >= 15, `${secrets.size} secrets collected`);
  for (const s of secrets) {
    assert.ok(typeof s === 'string' && s.length >= 12);
    assert.ok(!text.includes(s), `secret ${s.slice(0, 4)}… found in the audit trail`);
  }
  assert.ok(!text.includes('$argon2'));
  // Nor in the database's audit rows.
  const rows = sql(dbPath, 'SELECT actor, before, after FROM audit_events;');
  for (const s of secrets) assert.ok(!rows.includes(s));
});

test('a tampered event is found by `switchyard audit verify` and by the API', async () => {
  const { seqs } = remembered.vendor;
  const k = seqs[2]; // the vendor PATCH, somewhere in the middle
  const total = (await head()).seq;
  assert.ok(k > 1 && k < total);
  await srv.stop();

  const dropGuard = onPostgres ? 'DROP TRIGGER audit_no_update ON audit_events;' : 'DROP TRIGGER audit_no_update;';
  sql(dbPath, `${dropGuard}\nUPDATE audit_events SET after = '{"description":"forged"}' WHERE seq = ${k};`);
  let err;
  try {
    execFileSync(BIN, ['audit', 'verify', '--db', dbPath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'audit verify must fail');
  assert.equal(err.status, 1);
  const out = JSON.parse(err.stdout);
  assert.equal(out.ok, false);
  assert.equal(out.first_broken, k);
  assert.equal(out.events, k - 1);

  const again = await startServer({ args: ['--db', dbPath], env: { SWITCHYARD_TODAY: TODAY } });
  try {
    const v = await api(again.base, 'GET', '/api/v1/audit/verify');
    assert.equal(v.status, 200);
    assert.equal(v.body.ok, false);
    assert.equal(v.body.first_broken, k);
    assert.equal(v.body.events, k - 1);
    assert.equal(typeof v.body.problem, 'string');
    assert.equal(v.body.last_good.seq, k - 1);
    // New events still append after the head, and the break stays reported.
    const h = (await api(again.base, 'GET', '/api/v1/audit/head')).body;
    assert.ok(h.seq > total);
    assert.equal((await api(again.base, 'GET', '/api/v1/audit/verify')).body.first_broken, k);
  } finally {
    await again.stop();
  }
});
