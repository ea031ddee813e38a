// changes.test.mjs - reviews and "what changed since the last review"
// (issue 19 item 3): leadership marks a review (audited; viewers may not),
// then over the next days a workload is registered, one retired, one gets
// a swap layer, one's risk is accepted, an exit drill fails and a contract
// is renewed; GET /portfolio/changes?since=review names each of them with
// the factor that moved, and the figures before (the review day's history
// row) and after. The wall clock is pinned and moved (SWITCHYARD_NOW=@FILE).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startServer, api, DECIDED, clockFile } from './harness.mjs';

const CLOCK = clockFile();
const DAY1 = '2026-12-05';
const DAY2 = '2026-12-06';
const DAY3 = '2026-12-07';
let srv;
let leader;
let architect;
const ids = {};

before(async () => {
  writeFileSync(CLOCK, `${DAY1}T08:00:00Z`);
  srv = await startServer({ demo: true, env: { SWITCHYARD_NOW: `@${CLOCK}` } });
  leader = { Authorization: `Bearer ${await srv.tokenFor('leadership')}` };
  architect = { Authorization: `Bearer ${await srv.tokenFor('architect')}` };
});
after(async () => { await srv?.stop(); });

async function get(path) {
  const res = await api(srv.base, 'GET', path);
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}
const byName = async (collection, name) => {
  const r = await get(`/api/v1/${collection}?q=${encodeURIComponent(name)}&limit=50`);
  const hit = r.items.find((x) => x.name === name);
  assert.ok(hit, `${collection}: ${name}`);
  return hit;
};

test('a review is marked by leadership, audited; since=review needs one', async () => {
  const none = await api(srv.base, 'GET', '/api/v1/portfolio/changes?since=review');
  assert.equal(none.status, 400);
  assert.equal(none.body.errors[0].parameter, 'since');
  const viewer = { Authorization: `Bearer ${await srv.tokenFor('viewer')}` };
  assert.equal((await api(srv.base, 'POST', '/api/v1/reviews', { name: 'nope' }, viewer)).status, 403);
  const bad = await api(srv.base, 'POST', '/api/v1/reviews', { name: 'Q4', held_on: '2027-01-01' }, leader);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].pointer, '/held_on');
  const res = await api(srv.base, 'POST', '/api/v1/reviews', { name: 'Q4 portfolio review', notes: 'Baseline' }, leader);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.held_on, DAY1);
  assert.match(res.body.created_by, /leadership/);
  const list = await get('/api/v1/reviews');
  assert.equal(list.total, 1);
  assert.equal(list.items[0].name, 'Q4 portfolio review');
  const audit = await get(`/api/v1/audit?entity=review&entity_id=${res.body.id}`);
  assert.equal(audit.total, 1);
  assert.equal(audit.items[0].action, 'create');
});

test('the changes since the review, per workload and contract', async () => {
  writeFileSync(CLOCK, `${DAY2}T09:00:00Z`);
  const retire = await byName('workloads', 'Complaints classification');
  assert.equal((await api(srv.base, 'PATCH', `/api/v1/workloads/${retire.id}`, { status: 'retired' }, architect)).status, 200);
  // A swap layer moves no_swap_layer to 0 on a critical workload.
  const swap = (await get('/api/v1/workloads?limit=500')).items
    .find((w) => !w.swap_layer && w.status === 'production' && w.risk.factors.some((f) => f.code === 'no_swap_layer' && f.points > 0));
  const swapped = await api(srv.base, 'PATCH', `/api/v1/workloads/${swap.id}`, { swap_layer: true }, architect);
  assert.equal(swapped.status, 200);
  const noSwapBefore = swap.risk.factors.find((f) => f.code === 'no_swap_layer').points;
  // A failed drill of a named alternative.
  const broker = await byName('workloads', 'Broker submission intake');
  const alt = broker.alternatives[0];
  const drill = await api(srv.base, 'POST', `/api/v1/workloads/${broker.id}/drills`,
    { dependency: alt.dependency, offering: alt.offering, drilled_on: DAY2, result: 'failed', evidence: 'timeouts' }, architect);
  assert.equal(drill.status, 201, JSON.stringify(drill.body));
  writeFileSync(CLOCK, `${DAY3}T09:00:00Z`);
  const created = await api(srv.base, 'POST', '/api/v1/workloads', {
    ...DECIDED, name: 'Claims triage pilot', track: 'openai', status: 'pilot', criticality: 'medium',
    dependencies: [{ offering: alt.offering, role: 'model' }],
  }, architect);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  ids.created = created.body.id;
  // Accept the risk of a flagged workload.
  const flagged = (await get('/api/v1/workloads?flagged=true&limit=500&sort=name')).items.find((w) => w.id !== swap.id);
  const acc = await api(srv.base, 'POST', `/api/v1/workloads/${flagged.id}/acceptances`,
    { owner: 'CFO', reason: 'Exit planned for Q2', expires_on: '2027-03-31' }, leader);
  assert.equal(acc.status, 201, JSON.stringify(acc.body));
  // Renew a contract by a year.
  const contract = await byName('contracts', 'OpenAI Enterprise Agreement');
  const newEnd = `${Number(contract.end_date.slice(0, 4)) + 1}${contract.end_date.slice(4)}`;
  assert.equal((await api(srv.base, 'PATCH', `/api/v1/contracts/${contract.id}`, { end_date: newEnd })).status, 200);

  const ch = await get('/api/v1/portfolio/changes?since=review');
  // From the moment the review was recorded (the demo, loaded in the same
  // second, came before it).
  assert.equal(ch.since, DAY1);
  assert.equal(ch.since_instant, `${DAY1}T08:00:00Z`);
  assert.equal(ch.today, DAY3);
  assert.equal(ch.review.name, 'Q4 portfolio review');
  const w = Object.fromEntries(ch.workloads.map((x) => [x.name, x.changes]));
  assert.deepEqual(w['Complaints classification'].map((c) => c.kind), ['retired']);
  assert.deepEqual(w['Claims triage pilot'].map((c) => c.kind), ['new']);
  const factor = w[swap.name].find((c) => c.kind === 'factor' && c.code === 'no_swap_layer');
  assert.deepEqual(factor, { kind: 'factor', code: 'no_swap_layer', from: noSwapBefore, to: 0 });
  const swappedRisk = swapped.body.risk;
  const level = w[swap.name].find((c) => c.kind === 'level');
  if (swappedRisk.level !== swap.risk.level) assert.deepEqual(level, { kind: 'level', from: swap.risk.level, to: swappedRisk.level });
  else assert.equal(level, undefined);
  const granted = w[flagged.name];
  assert.deepEqual(granted.map((c) => c.kind).sort(), ['acceptance_granted', 'unflagged']);
  assert.equal(granted.find((c) => c.kind === 'acceptance_granted').expires_on, '2027-03-31');
  assert.deepEqual(w['Broker submission intake'].find((c) => c.kind === 'drill'),
    { kind: 'drill', result: 'failed', alternative: (await get(`/api/v1/offerings/${alt.offering}`)).name, drilled_on: DAY2 });
  const k = Object.fromEntries(ch.contracts.map((x) => [x.name, x.changes]));
  assert.deepEqual(k['OpenAI Enterprise Agreement'].find((c) => c.kind === 'renewed'),
    { kind: 'renewed', from: contract.end_date, to: newEnd });
  // Nothing else moved for workloads nobody touched.
  const touched = new Set(['Complaints classification', 'Claims triage pilot', swap.name, flagged.name, 'Broker submission intake']);
  // Untouched workloads moved only through the renewal: its horizon factor
  // (a notice deadline within 90 days) is gone for the workloads it binds.
  const all = (await get('/api/v1/workloads?limit=500')).items;
  let horizon = 0;
  for (const x of ch.workloads) {
    if (touched.has(x.name)) continue;
    const wl = all.find((y) => y.id === x.id);
    assert.ok(wl.dependencies.some((d) => contract.offerings.includes(d.offering)), `${x.name} is bound by the renewed contract`);
    for (const c of x.changes) {
      assert.ok(['factor', 'level', 'priority', 'flagged', 'unflagged'].includes(c.kind), `${x.name}: ${JSON.stringify(c)}`);
      if (c.kind === 'factor') {
        assert.deepEqual([c.code, c.to], ['horizon', 0], `${x.name}: ${JSON.stringify(c)}`);
        horizon++;
      }
    }
  }
  assert.ok(horizon >= 1, 'the renewal moved the horizon factor');
  // Figures: before replayed to the review's moment, after live.
  assert.equal(ch.figures.before.day, DAY1);
  assert.equal(ch.figures.before.source, 'replayed');
  assert.equal(ch.figures.before.figures.active, 40);
  const s = await get('/api/v1/portfolio/summary');
  assert.equal(ch.figures.after.source, 'live');
  assert.equal(ch.figures.after.figures.active, s.counts.active);
  assert.equal(ch.figures.after.figures.flagged, s.counts.flagged);
  assert.match(ch.replay, /audit trail/);
});

test('the governance report carries the changes since the review', async () => {
  const ch = await get('/api/v1/portfolio/changes?since=review');
  const report = await get('/api/v1/reports/governance?format=json');
  assert.equal(report.since_review.review.name, 'Q4 portfolio review');
  assert.deepEqual(report.since_review.workloads, ch.workloads);
  assert.deepEqual(report.since_review.contracts, ch.contracts);
  const html = await api(srv.base, 'GET', '/api/v1/reports/governance?format=html');
  assert.equal(html.status, 200);
  assert.match(html.body, /<section[^>]*id="since-review"[\s\S]*Changes since the last review[\s\S]*Complaints classification<\/strong>: Retired/);
  assert.match(html.body, /Claims triage pilot<\/strong>: New/);
  assert.match(html.body, /Factor no_swap_layer: \d+ &#8594; 0 points/);
});

test('since a date: its history row, else the day replayed from the audit trail', async () => {
  // Day 2 has a row, taken at its first request, before the retirement.
  const ch = await get(`/api/v1/portfolio/changes?since=${DAY2}`);
  assert.equal(ch.review, null);
  assert.equal(ch.figures.before.source, 'observed');
  assert.equal(ch.figures.before.figures.active, 40);
  const names = ch.workloads.map((x) => x.name);
  assert.ok(names.includes('Claims triage pilot') && names.includes('Complaints classification'));
  // Day 3 from its start: the retirement of day 2 is no change any more.
  const ch3 = await get(`/api/v1/portfolio/changes?since=${DAY3}`);
  assert.ok(!ch3.workloads.some((x) => x.name === 'Complaints classification'));
  assert.deepEqual(ch3.workloads.find((x) => x.name === 'Claims triage pilot').changes.map((c) => c.kind), ['new']);
  // The day before the demo was loaded: nothing yet, so every active
  // workload and contract in force is new; no row, so the day is replayed.
  const empty = await get('/api/v1/portfolio/changes?since=2026-12-04');
  assert.equal(empty.figures.before.source, 'replayed');
  assert.equal(empty.figures.before.figures.active, 0);
  const s = await get('/api/v1/portfolio/summary');
  assert.equal(empty.workloads.filter((x) => x.changes[0].kind === 'new').length, s.counts.active);
  assert.equal(empty.contracts.filter((x) => x.changes[0].kind === 'new').length, 12);
});

test('bad since: 400 naming the parameter', async () => {
  for (const q of ['', 'since=tomorrow', 'since=2026-12-08', 'since=2027-01-01', 'since=review&x=1']) {
    const res = await api(srv.base, 'GET', `/api/v1/portfolio/changes?${q}`);
    assert.equal(res.status, 400, q);
    assert.equal(res.body.errors[0].parameter, q.includes('x=1') ? 'x' : 'since', q);
  }
});
