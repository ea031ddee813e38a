// form_rules.test.mjs - the workload form's server rules: duplicate names
// compared without case and extra spaces (409 on /name, nothing written);
// the preview's warnings (a production workload whose planned end is past
// is warned about, never refused); limits read in words with separators.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './harness.mjs';
import { assertInvalid, assertProblem } from './assertions.mjs';

let srv;
let offering;
before(async () => {
  srv = await startServer({ demo: true });
  offering = (await api(srv.base, 'GET', '/api/v1/offerings?limit=1')).body.items[0].id;
});
after(async () => { await srv?.stop(); });

const call = (method, path, body) => api(srv.base, method, path, body);
const doc = (extra) => ({
  track: 'azure', status: 'production', criticality: 'high', owner: 'Form Rules',
  data_classification: 'internal', ai_act_tier: 'minimal', dependencies: [{ offering, role: 'model' }], ...extra,
});
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

test('a name differing only in case and spaces is a duplicate: 409 on /name, nothing written', async () => {
  const first = await call('POST', '/api/v1/workloads', doc({ name: 'Claims  Triage Helper' }));
  assert.equal(first.status, 201);
  const before = (await call('GET', '/api/v1/workloads?limit=500')).body.total;
  for (const name of ['claims triage helper', '  CLAIMS   TRIAGE HELPER ', 'Claims Triage Helper']) {
    const r = await call('POST', '/api/v1/workloads', doc({ name }));
    assertProblem(r, 409);
    assert.equal(r.body.errors[0].pointer, '/name');
    assert.match(r.body.errors[0].detail, /already has this name/);
  }
  assert.equal((await call('GET', '/api/v1/workloads?limit=500')).body.total, before);
  // Renaming another workload onto it is refused too; renaming itself is not.
  const second = await call('POST', '/api/v1/workloads', doc({ name: 'Claims triage helper two' }));
  assert.equal(second.status, 201);
  assertProblem(await call('PATCH', `/api/v1/workloads/${second.body.id}`, { name: 'claims triage helper' }), 409);
  const self = await call('PATCH', `/api/v1/workloads/${first.body.id}`, { name: 'Claims Triage Helper' });
  assert.equal(self.status, 200);
  assert.equal(self.body.name, 'Claims Triage Helper');
  // A name that only contains another is no duplicate.
  assert.equal((await call('POST', '/api/v1/workloads', doc({ name: 'Claims triage helperx' }))).status, 201);
});

test('the preview warns about a production workload whose planned end is past, and the save is not refused', async () => {
  const past = day(-10);
  const p = await call('POST', '/api/v1/workloads/preview', doc({ name: 'Past end preview', planned_end: past }));
  assert.equal(p.status, 200);
  assert.equal(p.body.warnings.length, 1);
  assert.equal(p.body.warnings[0].pointer, '/planned_end');
  assert.match(p.body.warnings[0].detail, new RegExp(`^Planned end ${past} is in the past \\(today is \\d{4}-\\d{2}-\\d{2}\\) for a workload in production`));
  // Not for a pilot, not for a future date, not without a date.
  for (const extra of [{ status: 'pilot', planned_end: past }, { planned_end: day(30) }, { planned_end: null }]) {
    const q = await call('POST', '/api/v1/workloads/preview', doc({ name: 'No warning', ...extra }));
    assert.deepEqual(q.body.warnings, [], JSON.stringify(extra));
  }
  const saved = await call('POST', '/api/v1/workloads', doc({ name: 'Past end saved', planned_end: past }));
  assert.equal(saved.status, 201);
  assert.equal(saved.body.planned_end, past);
});

test('limits read in words, with thousands separators', async () => {
  const r = await call('POST', '/api/v1/workloads', doc({ name: 'Limits', users: 10000001, monthly_spend: 1000000001 }));
  assertInvalid(r, '/users', '/monthly_spend');
  const by = Object.fromEntries(r.body.errors.map((e) => [e.pointer, e.detail]));
  assert.equal(by['/users'], 'must be a whole number from 0 up to 10,000,000');
  assert.equal(by['/monthly_spend'], 'must be an amount from 0 up to 1,000,000,000 with at most two decimals');
  const long = await call('POST', '/api/v1/workloads', doc({ name: 'x'.repeat(161) }));
  assert.equal(long.body.errors.find((e) => e.pointer === '/name').detail, 'must be at most 160 characters');
});
