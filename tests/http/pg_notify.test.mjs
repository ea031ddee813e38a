// pg_notify.test.mjs - two instances on one PostgreSQL database learn of
// changes through LISTEN/NOTIFY (migration 0014, server/store/listen.c):
// an UPDATE made with psql, behind both servers' backs, is served by both
// within a second; killing the listening connections (pg_terminate_backend)
// causes no 5xx and no stale read beyond a second, and they come back; a
// revoked token, a disabled user and a demoted user lose access through
// both instances at once (the credential cache follows the same counter),
// also when the change is made with psql (within a second). Every table
// but the counter's own and the sign-in throttle's carries the trigger. A
// stopped instance (SIGSTOP) delays the other's writes once by at most
// 100 ms, then little, and catches up when it resumes.
//
// PostgreSQL only (SWITCHYARD_TEST_PG, as CTest's http-pg run sets it); on
// SQLite every test skips with that reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, onPostgres, sql } from './harness.mjs';

const skip = !onPostgres && 'needs PostgreSQL (SWITCHYARD_TEST_PG): LISTEN/NOTIFY between two instances';
const TODAY = new Date().toISOString().slice(0, 10);
const ENV = { SWITCHYARD_TODAY: TODAY };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };
let a;
let b;

before(async () => {
  if (skip) return;
  a = await startServer({ demo: true, env: ENV });
  b = await startServer({ demo: false, env: ENV, args: ['--db', a.db] });
});
after(async () => {
  await b?.stop();
  await a?.stop();
});

// psql runs synchronously (execFileSync) and blocks the event loop, maybe
// past the server's 5 s keep-alive timeout: a turn of the loop before each
// request lets the client see the idle connections the server closed
// meanwhile, instead of reusing one ("other side closed").
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
const call = async (...args) => { await turn(); return api(...args); };

// Reads path through srv until pick(body) equals want; returns the
// milliseconds it took. Fails on any 5xx, or after `limit` ms.
async function until(srv, path, pick, want, limit = 1000, headers = {}) {
  const t0 = performance.now();
  for (;;) {
    const r = await call(srv.base, 'GET', path, undefined, headers);
    assert.ok(r.status < 500, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
    if (r.status === 200 && pick(r.body) === want) return performance.now() - t0;
    const took = performance.now() - t0;
    assert.ok(took < limit, `${srv.base}${path}: still ${JSON.stringify(r.status === 200 ? pick(r.body) : r.body)} after ${Math.round(took)} ms, want ${JSON.stringify(want)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const VENDORS = '/api/v1/vendors?limit=500&sort=id';
const descriptionOf = (id) => (body) => body.items.find((v) => v.id === id)?.description;

async function someVendor() {
  const r = await call(a.base, 'GET', '/api/v1/vendors?limit=500&sort=id');
  assert.equal(r.status, 200);
  return r.body.items[0].id;
}

test('every table but the counter and the sign-in throttle carries the change trigger', { skip }, () => {
  const tables = sql(a.db, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY 1;`).trim().split('\n');
  const watched = sql(a.db, `SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE t.tgname = 'switchyard_changed' ORDER BY 1;`).trim().split('\n');
  const expected = tables.filter((t) => !['store_changes', 'schema_version', 'sign_in_failures'].includes(t));
  assert.ok(expected.includes('workloads') && expected.includes('api_tokens') && expected.length >= 20, tables.join());
  assert.deepEqual(watched, expected);
});

test('an UPDATE made with psql is served by both instances within a second', { skip }, async () => {
  const id = await someVendor();
  // Both have the list cached.
  for (const srv of [a, b]) assert.equal((await call(srv.base, 'GET', VENDORS)).status, 200);
  const times = [];
  for (let i = 0; i < 5; i++) {
    const text = `changed by psql ${i}`;
    sql(a.db, `UPDATE vendors SET description = '${text}' WHERE id = ${id};`);
    for (const srv of [a, b]) times.push(await until(srv, VENDORS, descriptionOf(id), text));
  }
  // A last-use time moved forward alone is bookkeeping: it moves nothing.
  const before = Number(sql(a.db, 'SELECT value FROM store_changes WHERE id = 1;').trim());
  sql(a.db, `UPDATE api_tokens SET last_used_at = '2999-01-01T00:00:00Z' WHERE id = (SELECT MIN(id) FROM api_tokens);`);
  assert.equal(Number(sql(a.db, 'SELECT value FROM store_changes WHERE id = 1;').trim()), before);
  // One transaction moves the counter once, however many rows it changes.
  sql(a.db, `BEGIN; UPDATE vendors SET country = country; UPDATE offerings SET name = name; COMMIT;`);
  assert.equal(Number(sql(a.db, 'SELECT value FROM store_changes WHERE id = 1;').trim()), before + 1);
  console.log(`# psql UPDATE seen after (ms): ${times.map((t) => t.toFixed(1)).join(' ')}`);
});

test('killing the listening connections: no 5xx, no stale read beyond a second, and they come back', { skip }, async () => {
  const id = await someVendor();
  const listeners = () => Number(sql(a.db, `SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'switchyard-listen';`).trim());
  assert.equal(listeners(), 2);
  for (let round = 0; round < 3; round++) {
    const killed = sql(a.db, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'switchyard-listen';`).trim();
    assert.equal(killed, '2');
    // At once, while they are down or coming back: writes from outside are
    // still seen (the generation is read per request meanwhile).
    const text = `after kill ${round}`;
    sql(a.db, `UPDATE vendors SET description = '${text}' WHERE id = ${id};`);
    for (const srv of [a, b]) await until(srv, VENDORS, descriptionOf(id), text);
    // And through the API: a write through one is read through the other.
    const patched = await call(b.base, 'PATCH', `/api/v1/vendors/${id}`, { description: `api ${round}` }, MERGE);
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    await until(a, VENDORS, descriptionOf(id), `api ${round}`);
  }
  // Both listen again by themselves.
  const t0 = performance.now();
  while (listeners() < 2) {
    assert.ok(performance.now() - t0 < 5000, 'the listeners did not come back');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.match(a.log() + b.log(), /listen: the listening connection was lost/);
});

// A user of their own, signed in on both instances, with a token.
async function person(name, role) {
  const password = `${name}-password-0123`;
  const made = await call(a.base, 'POST', '/api/v1/users', { name, role, password });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  a.users[name] = password;
  b.users[name] = password;
  const token = await a.tokenFor(name);
  const cookies = { a: await a.signIn(name), b: await b.signIn(name) };
  return { id: made.body.id, name, token, cookies };
}

const asToken = (token) => ({ Authorization: `Bearer ${token}` });
const asCookie = (cookie) => ({ Authorization: '', Cookie: cookie });

async function status(srv, path, headers) {
  return (await call(srv.base, 'GET', path, undefined, headers)).status;
}

test('a revoked token, a disabled user and a demoted user lose access through both instances at once', { skip }, async () => {
  const p = await person(`notify-${Date.now()}`, 'architect');
  // Warm: both instances have verified (and cached) both credentials.
  for (const srv of [a, b]) {
    for (let i = 0; i < 3; i++) {
      assert.equal(await status(srv, '/api/v1/session', asToken(p.token)), 200);
      assert.equal(await status(srv, '/api/v1/session', asCookie(p.cookies[srv === a ? 'a' : 'b'])), 200);
    }
  }
  // Demoted through a: b's session reads as a viewer at once; the tokens
  // are revoked (a role change revokes them).
  const demoted = await api(a.base, 'PATCH', `/api/v1/users/${p.id}`, { role: 'viewer' }, MERGE);
  assert.equal(demoted.status, 200, JSON.stringify(demoted.body));
  const me = await api(b.base, 'GET', '/api/v1/session', undefined, asCookie(p.cookies.b));
  assert.equal(me.status, 200);
  assert.equal(me.body.role, 'viewer');
  assert.equal(await status(b, '/api/v1/session', asToken(p.token)), 401);
  assert.equal(await status(a, '/api/v1/session', asToken(p.token)), 401);

  // A new token, used on both; revoked through b: a refuses it at once.
  const token = await b.tokenFor(p.name);
  for (const srv of [a, b]) assert.equal(await status(srv, '/api/v1/session', asToken(token)), 200);
  const listed = await api(b.base, 'GET', '/api/v1/tokens');
  const row = listed.body.items.find((t) => t.user === p.name && !t.revoked_at);
  assert.ok(row, JSON.stringify(listed.body));
  assert.equal((await api(b.base, 'DELETE', `/api/v1/tokens/${row.id}`)).status, 204);
  assert.equal(await status(a, '/api/v1/session', asToken(token)), 401);
  assert.equal(await status(b, '/api/v1/session', asToken(token)), 401);

  // Disabled through b: a's session ends at once.
  assert.equal(await status(a, '/api/v1/session', asCookie(p.cookies.a)), 200);
  const disabled = await api(b.base, 'PATCH', `/api/v1/users/${p.id}`, { disabled: true }, MERGE);
  assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
  assert.equal(await status(a, '/api/v1/session', asCookie(p.cookies.a)), 401);
  assert.equal(await status(b, '/api/v1/session', asCookie(p.cookies.b)), 401);
});

test('the same changes made with psql are seen by both instances within a second', { skip }, async () => {
  const p = await person(`psql-${Date.now()}`, 'architect');
  for (const srv of [a, b]) assert.equal(await status(srv, '/api/v1/session', asToken(p.token)), 200);
  const role = (body) => body.role;
  // Demoted behind the servers' backs: the token now acts as a viewer.
  sql(a.db, `UPDATE users SET role = 'viewer' WHERE id = ${p.id};`);
  for (const srv of [a, b]) await until(srv, '/api/v1/session', role, 'viewer', 1000, asToken(p.token));
  // Revoked: 401 on both.
  sql(a.db, `UPDATE api_tokens SET revoked_at = '2000-01-01T00:00:00Z' WHERE user_id = ${p.id};`);
  for (const srv of [a, b]) {
    const t0 = performance.now();
    while (await status(srv, '/api/v1/session', asToken(p.token)) !== 401) {
      assert.ok(performance.now() - t0 < 1000, 'revoked token still accepted after a second');
    }
  }
  // Disabled: the sessions end on both.
  sql(a.db, `UPDATE users SET disabled = 1 WHERE id = ${p.id};`);
  for (const srv of [a, b]) {
    const cookie = p.cookies[srv === a ? 'a' : 'b'];
    const t0 = performance.now();
    while (await status(srv, '/api/v1/session', asCookie(cookie)) !== 401) {
      assert.ok(performance.now() - t0 < 1000, 'disabled user still signed in after a second');
    }
  }
});

test('a stopped instance costs the others little, and catches up when it resumes', { skip }, async () => {
  const id = await someVendor();
  const late = async () => Number(/switchyard_notify_unacknowledged_total (\d+)/.exec((await call(a.base, 'GET', '/metrics')).body)[1]);
  const late0 = await late();
  b.child.kill('SIGSTOP');
  const times = [];
  try {
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const r = await call(a.base, 'PATCH', `/api/v1/vendors/${id}`, { description: `while b sleeps ${i}` }, MERGE);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      times.push(performance.now() - t0);
    }
  } finally {
    b.child.kill('SIGCONT');
  }
  // The first write waits for b's acknowledgement up to 100 ms; the next
  // ones no more than 5 ms each.
  const missed = (await late()) - late0;
  assert.ok(missed >= 1 && missed <= 6, `unacknowledged: ${missed}`);
  console.log(`# writes while b was stopped (ms): ${times.map((t) => t.toFixed(1)).join(' ')}`);
  await until(b, VENDORS, descriptionOf(id), 'while b sleeps 5');
  // Back to normal: b acknowledges again, and reads follow writes at once.
  const r = await call(a.base, 'PATCH', `/api/v1/vendors/${id}`, { description: 'b is back' }, MERGE);
  assert.equal(r.status, 200);
  const seen = await api(b.base, 'GET', VENDORS);
  assert.equal(descriptionOf(id)(seen.body), 'b is back');
});
