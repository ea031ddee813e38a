// portfolio.test.mjs - one active set (shared/domain.md "The active set"):
// every figure of GET /portfolio/summary and of the strategy views equals
// the total of the matching filtered workload list, on the demo portfolio;
// retired and proposed workloads count in no flagged, level, priority or
// concentration figure. Runs on SQLite and PostgreSQL (tests/http/CMakeLists.txt).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DECIDED } from './harness.mjs';

const TODAY = '2026-05-01';
const LEVELS = ['low', 'medium', 'high', 'critical'];
const TRACKS = ['copilot', 'azure', 'openai', 'other'];
const STATUSES = ['proposed', 'pilot', 'production', 'retired'];
const ACTIVE = ['pilot', 'production'];
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];

let srv;
before(async () => { srv = await startServer({ demo: true, env: { SWITCHYARD_TODAY: TODAY } }); });
after(async () => { await srv?.stop(); });

const req = (method, path, body, headers) => api(srv.base, method, path, body, headers);

async function ok(method, path, body, headers) {
  const r = await req(method, path, body, headers);
  assert.equal(r.status, 200, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

// The total of a filtered workload list (one row fetched: total counts all).
async function total(query) {
  const body = await ok('GET', `/api/v1/workloads?limit=1&${query}`);
  return body.total;
}

async function allWorkloads(query = '') {
  const body = await ok('GET', `/api/v1/workloads?limit=500${query ? `&${query}` : ''}`);
  assert.equal(body.items.length, body.total);
  return body.items;
}

test('each count of the summary equals the total of the matching filtered list', async () => {
  const s = await ok('GET', '/api/v1/portfolio/summary');
  const c = s.counts;
  assert.equal(c.flagged, await total('flagged=true'), 'flagged');
  for (const level of LEVELS)
    assert.equal(c.level[level], await total(`risk_level=${level}`), `level ${level}`);
  for (const p of PRIORITIES)
    assert.equal(c.priority[p], await total(`priority=${p}`), `priority ${p}`);
  assert.equal(PRIORITIES.reduce((a, p) => a + c.priority[p], 0), c.active);
  // Flagged is P1 + P2 less the P1/P2 workloads whose risk is accepted; the
  // accepted list names every active workload with an acceptance in force.
  const accepted = new Set(s.accepted.map((a) => a.id));
  assert.ok(accepted.size >= 1, 'the demo accepts some risks');
  const acceptedHigh = s.accepted.filter((a) => ['P1', 'P2'].includes(a.priority)).length;
  assert.equal(c.flagged, c.priority.P1 + c.priority.P2 - acceptedHigh);
  const inForce = (await ok('GET', '/api/v1/acceptances?in_force=true')).items;
  const all = await allWorkloads();
  const activeIds = new Set(all.filter((w) => ACTIVE.includes(w.status)).map((w) => w.id));
  assert.deepEqual([...accepted].sort((a, b) => a - b),
    [...new Set(inForce.map((a) => a.workload))].filter((id) => activeIds.has(id)).sort((a, b) => a - b));
  for (const status of STATUSES)
    assert.equal(c.status[status], await total(`status=${status}`), `status ${status}`);
  // Active = pilot + production; per track, the active workloads of it.
  assert.equal(c.active, (await total('status=pilot')) + (await total('status=production')));
  assert.equal(c.pipeline, c.status.proposed);
  assert.equal(c.history, c.status.retired);
  assert.equal(c.workloads, await total(''));
  for (const track of TRACKS) {
    const n = (await total(`track=${track}&status=pilot`)) + (await total(`track=${track}&status=production`));
    assert.equal(c.track[track], n, `track ${track}`);
  }
  // Levels partition the active set; flagged + not flagged is the active set.
  assert.equal(LEVELS.reduce((a, l) => a + c.level[l], 0), c.active);
  assert.equal(c.flagged + (await total('flagged=false')), c.active);
  // The summary's flagged list holds flagged workloads only.
  for (const f of s.flagged) assert.ok(ACTIVE.includes(f.status), `${f.name} is ${f.status}`);
});

test('every list filter on computed risk chooses from the active set only', async () => {
  for (const q of ['flagged=true', 'flagged=false', ...LEVELS.map((l) => `risk_level=${l}`),
    ...PRIORITIES.map((p) => `priority=${p}`)]) {
    const items = await allWorkloads(q);
    for (const w of items) assert.ok(ACTIVE.includes(w.status), `${q}: ${w.name} is ${w.status}`);
  }
  // Outside the active set nothing is ever flagged (reference case 5).
  for (const w of await allWorkloads()) {
    if (!ACTIVE.includes(w.status)) assert.equal(w.risk.flagged, false, `${w.name} (${w.status})`);
  }
});

test('strategy views count the active set, as the filtered lists do', async () => {
  for (const track of TRACKS) {
    const v = await ok('GET', `/api/v1/strategies/${track}`);
    const active = (await total(`track=${track}&status=pilot`)) + (await total(`track=${track}&status=production`));
    assert.equal(v.figures.workloads, active, `${track} workloads`);
    assert.equal(v.figures.production, await total(`track=${track}&status=production`), `${track} production`);
    assert.equal(v.figures.flagged, await total(`track=${track}&flagged=true`), `${track} flagged`);
    for (const level of LEVELS)
      assert.equal(v.risk_distribution[level], await total(`track=${track}&risk_level=${level}`), `${track} ${level}`);
    for (const p of PRIORITIES)
      assert.equal(v.priority_distribution[p], await total(`track=${track}&priority=${p}`), `${track} ${p}`);
    for (const w of v.workloads) assert.ok(PRIORITIES.includes(w.priority), `${track}: ${w.name} priority`);
    for (const w of v.workloads) assert.ok(ACTIVE.includes(w.status), `${track}: ${w.name} is ${w.status}`);
    for (const w of v.cross_track) {
      const full = await ok('GET', `/api/v1/workloads/${w.id}`);
      assert.ok(ACTIVE.includes(full.status), `${track} cross-track: ${w.name} is ${full.status}`);
    }
  }
});

test('reference case 5: a retired workload with critical lock-in is in no flagged, level or concentration figure', async () => {
  const before = await ok('GET', '/api/v1/portfolio/summary');
  const conc = await ok('GET', '/api/v1/portfolio/concentration');
  // A retired workload on one group, with no swap layer, proprietary
  // features and no validated alternative: critical lock-in by score.
  const offerings = (await ok('GET', '/api/v1/offerings?limit=500')).items;
  const proprietaryModel = offerings.find((o) => o.category === 'model_api' && o.interface === 'proprietary')
    || offerings.find((o) => o.category === 'model_api');
  const created = await req('POST', '/api/v1/workloads', {
    ...DECIDED, name: 'Retired claims triage (reference case 5)', purpose: 'History', owner: 'Test', team: 'Test',
    track: proprietaryModel.track, status: 'retired', criticality: 'critical',
    data_classification: 'confidential', users: 10, monthly_spend: 99999, ai_act_tier: 'minimal',
    swap_layer: false, proprietary_features: ['fine-tuning'],
    dependencies: [{ offering: proprietaryModel.id, role: 'model' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const w = created.body;
  try {
    assert.ok(w.risk.score >= 50, `score ${w.risk.score}`);
    assert.equal(w.risk.flagged, false);
    const after = await ok('GET', '/api/v1/portfolio/summary');
    assert.equal(after.counts.workloads, before.counts.workloads + 1);
    assert.equal(after.counts.history, before.counts.history + 1);
    assert.deepEqual(after.counts.level, before.counts.level);
    assert.equal(after.counts.flagged, before.counts.flagged);
    assert.equal(after.counts.active, before.counts.active);
    assert.ok(!after.flagged.some((f) => f.id === w.id));
    assert.deepEqual(after.concentration, before.concentration);
    assert.deepEqual(after.spend, before.spend);
    assert.deepEqual(await ok('GET', '/api/v1/portfolio/concentration'), conc);
    assert.equal(w.risk.priority, 'P1');   // critical lock-in x critical business
    assert.deepEqual(after.counts.priority, before.counts.priority);
    for (const q of ['flagged=true', `risk_level=${w.risk.level}`, `priority=${w.risk.priority}`])
      assert.ok(!(await allWorkloads(q)).some((x) => x.id === w.id), q);
    const view = await ok('GET', `/api/v1/strategies/${w.track}`);
    assert.ok(!view.workloads.some((x) => x.id === w.id));
  } finally {
    assert.equal((await req('DELETE', `/api/v1/workloads/${w.id}`)).status, 204);
  }
});

test('priority: on every risk object, a list filter and a sort key', async () => {
  const model = await ok('GET', '/api/v1/risk/model');
  const all = await allWorkloads();
  const accepted = new Set((await ok('GET', '/api/v1/acceptances?in_force=true')).items.map((a) => a.workload));
  for (const w of all) {
    assert.equal(w.risk.priority, model.priority.matrix[w.risk.level][w.criticality], w.name);
    assert.equal(w.risk.flagged, ACTIVE.includes(w.status) && ['P1', 'P2'].includes(w.risk.priority) &&
      !accepted.has(w.id), w.name);
  }
  // The demo has workloads at P1 and at lower priorities.
  assert.ok(all.some((w) => w.risk.priority === 'P1'));
  assert.ok(all.some((w) => ['P3', 'P4'].includes(w.risk.priority)));
  for (const p of PRIORITIES) {
    const items = await allWorkloads(`priority=${p}`);
    assert.deepEqual(items.map((w) => w.id).sort((a, b) => a - b),
      all.filter((w) => ACTIVE.includes(w.status) && w.risk.priority === p).map((w) => w.id).sort((a, b) => a - b), p);
  }
  // sort=priority: P1 first, higher score first within a priority.
  const sorted = await allWorkloads('sort=priority');
  assert.equal(sorted.length, all.length);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1].risk, b = sorted[i].risk;
    assert.ok(a.priority < b.priority || (a.priority === b.priority && a.score >= b.score), `item ${i}`);
  }
  const desc = await allWorkloads('sort=-priority');
  assert.ok(desc[0].risk.priority >= desc[desc.length - 1].risk.priority);
  // Bad values name the parameter.
  const bad = await req('GET', '/api/v1/workloads?priority=P5');
  assert.equal(bad.status, 400);
  assert.ok(bad.body.errors.some((e) => e.parameter === 'priority'), JSON.stringify(bad.body));
});

test('identity and tooling dependencies carry no weight: single_group_stack and spend shares', async () => {
  const offerings = (await ok('GET', '/api/v1/offerings?limit=500')).items;
  const vendors = new Map((await ok('GET', '/api/v1/vendors?limit=500')).items.map((v) => [v.id, v]));
  const groupOf = (o) => vendors.get(o.provider).group.id;
  const openai = offerings.find((o) => o.name === 'OpenAI API');
  assert.ok(openai, 'OpenAI API in the demo');
  // An identity and a tooling offering of other groups than OpenAI's.
  const others = offerings.filter((o) => groupOf(o) !== groupOf(openai));
  const identity = others.find((o) => o.category === 'identity');
  const tooling = others.find((o) => o.category !== 'identity' && o.id !== identity.id);
  assert.ok(identity && tooling);
  const before = await ok('GET', '/api/v1/portfolio/concentration?basis=spend');
  const share = (c, name) => (c.layers.provider.shares.find((s) => s.group === name) || { amount: 0 }).amount;
  const identityGroup = vendors.get(groupOf(identity)).name;
  const openaiGroup = vendors.get(groupOf(openai)).name;
  const created = await req('POST', '/api/v1/workloads', {
    ...DECIDED, name: 'Roles test: one model, sign-in and tooling elsewhere', purpose: 'Test', owner: 'Test', team: 'Test',
    track: 'openai', status: 'production', criticality: 'low', data_classification: 'internal', users: 5,
    monthly_spend: 1000, ai_act_tier: 'minimal', swap_layer: true,
    dependencies: [{ offering: openai.id, role: 'model' }, { offering: identity.id, role: 'identity' },
      { offering: tooling.id, role: 'tooling' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const w = created.body;
  try {
    // One weighted group (OpenAI's): the full 25, naming neither the
    // identity nor the tooling offering.
    const f = w.risk.factors.find((x) => x.code === 'single_group_stack');
    assert.ok(f, JSON.stringify(w.risk));
    assert.equal(f.points, 25);
    assert.ok(f.reason.includes(openai.name), f.reason);
    assert.ok(!f.reason.includes(identity.name), f.reason);
    assert.ok(!f.reason.includes(tooling.name), f.reason);
    // Its whole 1,000 of spend goes to OpenAI's group; none to the identity group.
    const after = await ok('GET', '/api/v1/portfolio/concentration?basis=spend');
    assert.ok(Math.abs(share(after, openaiGroup) - share(before, openaiGroup) - 1000) <= 0.01);
    assert.ok(Math.abs(share(after, identityGroup) - share(before, identityGroup)) <= 0.01, identityGroup);
    assert.ok(Math.abs(after.layers.provider.total - before.layers.provider.total - 1000) <= 0.01);
  } finally {
    assert.equal((await req('DELETE', `/api/v1/workloads/${w.id}`)).status, 204);
  }
});

test('reasons name every cause: two locking contracts and two deadlines, in a stable order', async () => {
  const offerings = (await ok('GET', '/api/v1/offerings?limit=500')).items;
  const model = offerings.find((o) => o.name === 'OpenAI API');
  const clean = { kind: 'customer', counterparty: model.provider, offerings: [model.id], start_date: '2026-01-01',
    notice_days: 30, exit_clause: 'full', data_portability: true, substitutability: 'easy' };
  // Created Zeta first so that the order named is not the order created.
  // Zeta: commits spend, notice deadline 2026-06-01 (in 31 days); Alpha:
  // exclusive, notice deadline 2026-05-21 (in 20 days).
  const zeta = await req('POST', '/api/v1/contracts', { ...clean, name: 'Zeta test commitment',
    end_date: '2026-07-01', committed_spend: 50000 });
  assert.equal(zeta.status, 201, JSON.stringify(zeta.body));
  const alpha = await req('POST', '/api/v1/contracts', { ...clean, name: 'Alpha test exclusivity',
    end_date: '2026-06-20', exclusive: true });
  assert.equal(alpha.status, 201, JSON.stringify(alpha.body));
  const created = await req('POST', '/api/v1/workloads', {
    ...DECIDED, name: 'Reasons test workload', purpose: 'Test', owner: 'Test', team: 'Test', track: 'openai',
    status: 'pilot', criticality: 'medium', data_classification: 'internal', users: 5, monthly_spend: 10,
    ai_act_tier: 'minimal', swap_layer: true,
    dependencies: [{ offering: model.id, role: 'model' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  try {
    const w = await ok('GET', `/api/v1/workloads/${created.body.id}`);
    const reason = (code) => {
      const f = w.risk.factors.find((x) => x.code === code);
      assert.ok(f, `${code} in ${JSON.stringify(w.risk)}`);
      return f;
    };
    const lock = reason('contract_lock');
    assert.equal(lock.points, 15);   // once, however many contracts
    const a = lock.reason.indexOf('"Alpha test exclusivity"'), z = lock.reason.indexOf('"Zeta test commitment"');
    assert.ok(a >= 0 && z > a, lock.reason);   // by name
    assert.match(lock.reason, /is exclusive/);
    assert.match(lock.reason, /commits spend/);
    const horizon = reason('horizon');
    assert.equal(horizon.points, 10);
    const ha = horizon.reason.indexOf('"Alpha test exclusivity" is 2026-05-21, in 20 days');
    const hz = horizon.reason.indexOf('"Zeta test commitment" is 2026-06-01, in 31 days');
    assert.ok(ha >= 0 && hz > ha, horizon.reason);   // soonest first
    // The same sentence in the list and in the strategy view's source data.
    const listed = (await allWorkloads('track=openai')).find((x) => x.id === w.id);
    assert.deepEqual(listed.risk, w.risk);
  } finally {
    assert.equal((await req('DELETE', `/api/v1/workloads/${created.body.id}`)).status, 204);
    assert.equal((await req('DELETE', `/api/v1/contracts/${alpha.body.id}`)).status, 204);
    assert.equal((await req('DELETE', `/api/v1/contracts/${zeta.body.id}`)).status, 204);
  }
});
