// instances.test.mjs - two servers on one PostgreSQL database, the shared
// store: a write through one is read through the other at once, the cached
// answers included (the response cache and the scored snapshot notice the
// other instance's commit through the change counter); sessions and API
// tokens made on one work on the other; 2 × 50 concurrent writes through
// both succeed or fail cleanly and leave an audit chain that verifies on
// both; a sign-in throttle earned through one instance holds on the other,
// and a burst split over both gets no extra guess.
//
// PostgreSQL only (SWITCHYARD_TEST_PG, as CTest's http-pg run sets it); on
// SQLite every test skips.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, onPostgres, signInFrom, DECIDED } from './harness.mjs';

const skip = !onPostgres && 'needs PostgreSQL (SWITCHYARD_TEST_PG): two instances share one database';
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

// Answers that are cached (response cache, scored snapshot) and must
// follow every commit, whichever instance made it.
const READS = ['/api/v1/workloads?limit=500&sort=id', '/api/v1/portfolio/summary',
  '/api/v1/portfolio/concentration', '/api/v1/strategies/azure', '/api/v1/strategies/openai',
  '/api/v1/vendors?limit=500', '/api/v1/offerings?limit=500', '/api/v1/risk/model'];

async function read(srv, path) {
  const r = await api(srv.base, 'GET', path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

// Both instances give the same answers (and have them cached afterwards).
async function assertSame() {
  for (const path of READS) assert.deepEqual(await read(b, path), await read(a, path), path);
}

function problem(r, statuses) {
  assert.ok(statuses.includes(r.status), `${r.status} ${JSON.stringify(r.body)}`);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
  assert.ok(!/postgres|sql|relation|constraint|duplicate key/i.test(r.body.detail || ''), r.body.detail);
}


test('a write through one instance is read through the other at once, cached answers included', { skip }, async () => {
  await assertSame(); // both have built and cached everything
  const aoai = (await read(a, '/api/v1/offerings?limit=500')).items.find((o) => o.name === 'Azure OpenAI in Microsoft Foundry Models');
  assert.ok(aoai);

  // A workload created through a: b lists, counts and scores it.
  const made = await api(a.base, 'POST', '/api/v1/workloads', {
    ...DECIDED, name: 'instances probe', track: 'azure', status: 'production', criticality: 'critical',
    monthly_spend: 123400, dependencies: [{ offering: aoai.id, role: 'model' }],
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const seen = (await read(b, READS[0])).items.find((w) => w.id === made.body.id);
  assert.ok(seen, 'b lists the workload a created');
  assert.deepEqual(seen.risk, made.body.risk);
  assert.deepEqual(await read(b, `/api/v1/workloads/${made.body.id}`), made.body);
  await assertSame();

  // Patched through b: a's cached list and views follow.
  const patched = await api(b.base, 'PATCH', `/api/v1/workloads/${made.body.id}`,
    { swap_layer: true, monthly_spend: 1 }, MERGE);
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.notDeepEqual(patched.body.risk, made.body.risk);
  assert.deepEqual((await read(a, READS[0])).items.find((w) => w.id === made.body.id).risk, patched.body.risk);
  await assertSame();

  // A catalogue change (risk weights) through a rescored everything on b.
  const before = (await read(b, READS[0])).items.map((w) => w.risk.score);
  const weights = await api(a.base, 'PUT', '/api/v1/risk/model', { weights: { no_swap_layer: 5 } });
  assert.equal(weights.status, 200, JSON.stringify(weights.body));
  assert.equal((await read(b, '/api/v1/risk/model')).weights.no_swap_layer, 5);
  assert.notDeepEqual((await read(b, READS[0])).items.map((w) => w.risk.score), before);
  await assertSame();

  // Deleted through b: gone from a.
  assert.equal((await api(b.base, 'DELETE', `/api/v1/workloads/${made.body.id}`)).status, 204);
  assert.equal((await api(a.base, 'GET', `/api/v1/workloads/${made.body.id}`)).status, 404);
  assert.ok(!(await read(a, READS[0])).items.some((w) => w.id === made.body.id));
  await assertSame();
  assert.equal((await api(a.base, 'PUT', '/api/v1/risk/model', { weights: { no_swap_layer: 20 } })).status, 200);
});

test('sessions and API tokens made on one instance work on the other', { skip }, async () => {
  const cookie = await a.signIn('admin');
  const asCookie = (srv, method, path) => api(srv.base, method, path, undefined,
    { Authorization: '', Cookie: cookie, Origin: srv.base });
  assert.equal((await asCookie(b, 'GET', '/api/v1/session')).status, 200);
  assert.equal((await asCookie(b, 'DELETE', '/api/v1/session')).status, 204);
  assert.equal((await asCookie(a, 'GET', '/api/v1/session')).status, 401, 'signed out everywhere');

  // The harness's token for b was made on b; a accepts it, until revoked on a.
  const mine = await api(a.base, 'GET', '/api/v1/session', undefined, { Authorization: `Bearer ${b.token}` });
  assert.equal(mine.status, 200);
  const token = await a.tokenFor('viewer');
  assert.equal((await api(b.base, 'GET', '/api/v1/workloads?limit=1', undefined, { Authorization: `Bearer ${token}` })).status, 200);
  const listed = (await api(b.base, 'GET', '/api/v1/tokens')).body.items.find((t) => token.startsWith(t.prefix));
  assert.ok(listed, 'b lists the token made on a');
  assert.equal((await api(b.base, 'DELETE', `/api/v1/tokens/${listed.id}`)).status, 204);
  assert.equal((await api(a.base, 'GET', '/api/v1/workloads?limit=1', undefined, { Authorization: `Bearer ${token}` })).status, 401);
});

test('2 × 50 concurrent writes through both instances: all succeed or fail cleanly, one audit chain', { skip }, async () => {
  const head0 = await read(a, '/api/v1/audit/head');
  const targets = (await read(a, READS[0])).items.slice(0, 10).map((w) => w.id);
  const write = (srv, i) => (i % 2
    ? api(srv.base, 'POST', '/api/v1/workloads', { ...DECIDED, name: `concurrent ${srv === a ? 'a' : 'b'} ${i}`,
      track: 'other', status: 'pilot', criticality: 'low', users: i })
    : api(srv.base, 'PATCH', `/api/v1/workloads/${targets[i % targets.length]}`,
      { users: 1000 + i, notes: `patched through ${srv === a ? 'a' : 'b'}` }, MERGE));
  const jobs = [];
  for (let i = 0; i < 50; i++) jobs.push(write(a, i), write(b, i));
  const results = await Promise.all(jobs);
  let done = 0;
  for (const r of results) {
    if (r.status === 200 || r.status === 201) done++;
    else problem(r, [409, 412, 503]);
  }
  assert.ok(done >= 95, `${done} of 100 writes went through`);

  // Every acknowledged write is there, and left exactly one audit event.
  const names = new Set((await read(b, READS[0])).items.map((w) => w.name));
  results.forEach((r, k) => {
    if (r.status === 201) assert.ok(names.has(r.body.name), r.body.name);
  });
  const head = await read(b, '/api/v1/audit/head');
  assert.equal(head.seq - head0.seq, done);
  for (const srv of [a, b]) {
    const v = await read(srv, '/api/v1/audit/verify');
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.deepEqual(v.head, head);
  }
  await assertSame();
});

test('a sign-in throttle earned through one instance holds on the other', { skip }, async () => {
  const name = 'lockout-probe';
  const password = 'lockout-password-01';
  assert.equal((await api(a.base, 'POST', '/api/v1/users', { name, password, role: 'viewer' })).status, 201);
  // Five failures of one (name, address) through a: that pair waits on b
  // too (the throttle is in the shared database), other addresses do not.
  for (let i = 1; i <= 5; i++) assert.equal((await signInFrom(a.port, '127.0.0.61', name, 'wrong password!')).status, 401);
  const refused = await signInFrom(b.port, '127.0.0.61', name, password);
  assert.equal(refused.status, 429);
  assert.match(refused.headers['retry-after'] || '', /^\d+$/);
  assert.equal((await signInFrom(b.port, '127.0.0.62', name, password)).status, 201);
  // A concurrent burst split over both instances gets no extra guess.
  const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => signInFrom(i % 2 ? a.port : b.port, '127.0.0.63', name, 'wrong password!')));
  assert.equal(burst.filter((r) => r.status === 401).length, 5, JSON.stringify(burst.map((r) => r.status)));
});
