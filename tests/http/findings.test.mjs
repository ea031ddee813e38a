// findings.test.mjs - GET /api/v1/findings and PATCH /api/v1/findings/{key}:
// every strategy finding of every track and every compliance finding of the
// active set, each once under a stable key, most urgent first; the owner,
// due date, status and note a leader sets are checked field by field,
// stored, merged into the list, filterable and audited; other roles are
// refused and a key no rule raises is 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './harness.mjs';
import { assertInvalid, assertParam, assertProblem } from './assertions.mjs';

let srv;
const tokens = {};
before(async () => {
  srv = await startServer({ demo: true });
  for (const who of ['viewer', 'architect', 'leadership']) tokens[who] = await srv.tokenFor(who);
});
after(async () => { await srv?.stop(); });

const as = (who) => (who ? { Authorization: `Bearer ${tokens[who]}` } : {});
const get = (path, who) => api(srv.base, 'GET', path, undefined, as(who));
const patch = (key, body, who = 'leadership') => api(srv.base, 'PATCH', `/api/v1/findings/${key}`, body, as(who));
const SEV = { high: 0, medium: 1, low: 2, info: 3 };
const TRACKS = ['copilot', 'azure', 'openai', 'other'];

test('the list holds every strategy and compliance finding once, most severe first', async () => {
  const r = await get('/api/v1/findings', 'viewer');
  assert.equal(r.status, 200);
  const { items } = r.body;
  const comp = (await get('/api/v1/compliance')).body;
  let strategy = 0;
  for (const t of TRACKS) strategy += (await get(`/api/v1/strategies/${t}`)).body.findings.length;
  assert.ok(strategy > 0 && comp.total > 0);
  assert.equal(r.body.total, strategy + comp.total);
  assert.equal(items.length, r.body.total);
  assert.equal(items.filter((f) => f.source === 'compliance').length, comp.total);
  assert.equal(new Set(items.map((f) => f.key)).size, items.length, 'keys are unique');
  for (const f of items) {
    assert.match(f.key, /^[a-z][a-z0-9_.]{2,95}$/);
    assert.ok(f.key.startsWith(`${f.code === 'residency' && f.key.startsWith('residency_hq') ? 'residency_hq' : f.code}.`), f.key);
    assert.equal(f.status, 'open');
    assert.equal(f.owner, null);
    assert.equal(f.due, null);
    assert.equal(f.count, f.workloads.length);
    assert.ok(f.title && f.text && f.action, `${f.key} has words`);
  }
  for (let i = 1; i < items.length; i++) {
    assert.ok(SEV[items[i - 1].severity] <= SEV[items[i].severity], `${items[i - 1].key} before ${items[i].key}`);
  }
  const bySev = Object.fromEntries(Object.keys(SEV).map((s) => [s, items.filter((f) => f.severity === s).length]));
  assert.deepEqual(r.body.by_severity, bySev);
  assert.deepEqual(r.body.by_status, { open: items.length, in_progress: 0, done: 0, wont_do: 0 });
  // The keys name their subject: a strategy finding its track.
  for (const f of items.filter((x) => x.source === 'strategy')) assert.equal(f.key.split('.')[1], f.track);
  // Stable: asked again, the same keys in the same order.
  assert.deepEqual((await get('/api/v1/findings')).body.items.map((f) => f.key), items.map((f) => f.key));
});

test('track, status and limit filter the list; bad parameters are refused', async () => {
  const all = (await get('/api/v1/findings')).body.items;
  const azure = await get('/api/v1/findings?track=azure');
  const want = all.filter((f) => f.track === 'azure' || (f.source === 'compliance' && f.workloads.some((w) => w.track === 'azure')));
  assert.deepEqual(azure.body.items.map((f) => f.key), want.map((f) => f.key));
  const two = await get('/api/v1/findings?limit=2');
  assert.equal(two.body.items.length, 2);
  assert.equal(two.body.total, all.length);
  assertParam(await get('/api/v1/findings?track=aws'), 'track');
  assertParam(await get('/api/v1/findings?status=closed'), 'status');
  assertParam(await get('/api/v1/findings?limit=0'), 'limit');
  assertParam(await get('/api/v1/findings?colour=red'), 'colour');
});

test('a leader sets owner, due date and status; the list merges it, filters by it, and the audit has it', async () => {
  const all = (await get('/api/v1/findings')).body.items;
  const f = all.find((x) => x.source === 'compliance');
  const r = await patch(f.key, { owner: 'Chief Data Officer', due: '2027-03-31', status: 'in_progress' });
  assert.equal(r.status, 200);
  assert.equal(r.body.key, f.key);
  assert.equal(r.body.owner, 'Chief Data Officer');
  assert.equal(r.body.due, '2027-03-31');
  assert.equal(r.body.status, 'in_progress');
  assert.match(r.body.updated_by, /leadership/);
  assert.equal(typeof r.body.days_left, 'number');
  const again = (await get('/api/v1/findings', 'viewer')).body;
  const merged = again.items.find((x) => x.key === f.key);
  assert.equal(merged.owner, 'Chief Data Officer');
  assert.equal(merged.status, 'in_progress');
  assert.equal(again.by_status.in_progress, 1);
  const only = (await get('/api/v1/findings?status=in_progress')).body;
  assert.deepEqual(only.items.map((x) => x.key), [f.key]);
  // A partial change keeps the rest; null clears.
  const p2 = await patch(f.key, { due: null });
  assert.equal(p2.body.owner, 'Chief Data Officer');
  assert.equal(p2.body.due, null);
  assert.equal(p2.body.days_left, null);
  const audit = (await get(`/api/v1/audit?entity=finding`)).body.items;
  const mine = audit.filter((e) => e.after && e.after.key === f.key);
  assert.equal(mine.length, 2);
  const created = mine.find((e) => e.action === 'create');
  const updated = mine.find((e) => e.action === 'update');
  assert.equal(created.before, null);
  assert.equal(created.after.due, '2027-03-31');
  assert.equal(updated.before.due, '2027-03-31');
  assert.equal(updated.after.due, null);
  // Done findings go after the ones still to act on.
  const high = all.find((x) => x.severity === 'high' && x.key !== f.key);
  assert.equal((await patch(high.key, { status: 'done' })).status, 200);
  const order = (await get('/api/v1/findings')).body.items;
  assert.equal(order[order.length - 1].key, high.key);
  assert.equal((await patch(high.key, { status: 'open' })).body.status, 'open');
});

test("won't do needs a reason; fields are checked and named; nothing changes on a refusal", async () => {
  const key = (await get('/api/v1/findings')).body.items.find((x) => x.owner === null).key;
  const noReason = await patch(key, { status: 'wont_do' });
  assertInvalid(noReason, '/note');
  assert.match(noReason.body.errors[0].detail, /reason/);
  const bad = await patch(key, { due: '2027-02-30', status: 'closed', owner: '', colour: 'red' });
  assertInvalid(bad, '/due', '/status', '/owner', '/colour');
  assert.match(bad.body.errors.find((e) => e.pointer === '/due').detail, /real date, for example 2027-02-28/);
  assertInvalid(await patch(key, { owner: 'x'.repeat(121) }), '/owner');
  assertInvalid(await patch(key, []), '');
  const still = (await get('/api/v1/findings')).body.items.find((x) => x.key === key);
  assert.equal(still.status, 'open');
  assert.equal(still.owner, null);
  const ok = await patch(key, { status: 'wont_do', note: 'Covered by the 2027 platform programme.' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.status, 'wont_do');
  assert.equal(ok.body.note, 'Covered by the 2027 platform programme.');
  // Clearing the reason of a won't-do is refused too.
  assertInvalid(await patch(key, { note: null }), '/note');
});

test('only leadership and admins change findings; unknown keys are 404', async () => {
  const key = (await get('/api/v1/findings')).body.items[0].key;
  for (const who of ['viewer', 'architect']) {
    const r = await patch(key, { owner: 'Nobody' }, who);
    assertProblem(r, 403);
  }
  assert.notEqual((await get('/api/v1/findings')).body.items.find((x) => x.key === key).owner, 'Nobody');
  assertProblem(await patch('no_swap_layer.mars', { owner: 'A' }), 404);
  assertProblem(await patch('NOT-A-KEY', { owner: 'A' }), 404);
  const admin = await api(srv.base, 'PATCH', `/api/v1/findings/${key}`, { owner: 'Head of Platform' });
  assert.equal(admin.status, 200);
  assert.equal(admin.body.owner, 'Head of Platform');
});
