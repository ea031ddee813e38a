// risk.test.mjs - lock-in risk on every workload, the risk model and its
// weights, concentration (HHI) per layer, the portfolio summary and the
// strategy views, against the real binary with the demo portfolio.
//
// Expectations are computed here independently from the catalogue (vendors,
// offerings, contracts, workloads) following shared/domain.md, or worked
// out by hand from seeds/ where a figure is named. Today is pinned so the
// demo's relative dates and the absolute 2032 licence term line up the same
// way on every run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DECIDED } from './harness.mjs';

const TODAY = '2026-05-01';
const CODES = ['single_group_stack', 'no_swap_layer', 'proprietary_interface', 'contract_lock',
  'no_proven_alternative', 'horizon', 'data_gravity'];
const DEFAULT_WEIGHTS = { single_group_stack: 25, no_swap_layer: 20, proprietary_interface: 15,
  contract_lock: 15, no_proven_alternative: 10, horizon: 10, data_gravity: 5 };
const LEVELS = ['low', 'medium', 'high', 'critical'];
const TRACKS = ['copilot', 'azure', 'openai', 'other'];
const STATUSES = ['proposed', 'pilot', 'production', 'retired'];
const CRIT_WEIGHT = { low: 1, medium: 2, high: 3, critical: 4 };
const ACCESS_TERMS = ['licence', 'distribution', 'cloud_priority'];

let srv;
before(async () => { srv = await startServer({ demo: true, env: { SWITCHYARD_TODAY: TODAY } }); });
after(async () => { await srv?.stop(); });

const req = (method, path, body, headers) => api(srv.base, method, path, body, headers);

// ---- helpers ---------------------------------------------------------------

async function ok(method, path, body, headers) {
  const r = await req(method, path, body, headers);
  assert.equal(r.status, 200, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function listAll(coll, query = '') {
  const body = await ok('GET', `/api/v1/${coll}?limit=500${query ? `&${query}` : ''}`);
  assert.equal(body.items.length, body.total);
  return body.items;
}

async function catalogue() {
  const [vendors, offerings, contracts, workloads] = await Promise.all(
    ['vendors', 'offerings', 'contracts', 'workloads'].map((c) => listAll(c)));
  return {
    vendors: new Map(vendors.map((v) => [v.id, v])),
    offerings: new Map(offerings.map((o) => [o.id, o])),
    contracts,
    workloads,
  };
}

function assertProblem(r, status) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
  assert.equal(r.body.status, status);
}

function assertPointers(r, ...pointers) {
  assertProblem(r, 400);
  const got = (r.body.errors || []).map((e) => e.pointer);
  for (const p of pointers) assert.ok(got.includes(p), `pointer ${p} in ${JSON.stringify(r.body)}`);
}

function assertParam(r, name) {
  assertProblem(r, 400);
  assert.ok((r.body.errors || []).some((e) => e.parameter === name), `parameter ${name} in ${JSON.stringify(r.body)}`);
}

const days = (a, b) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000;
const levelOf = (score) => (score >= 75 ? 'critical' : score >= 50 ? 'high' : score >= 25 ? 'medium' : 'low');
// domain.md rev. 2: priority = matrix[level][criticality]; flagged = active
// (pilot or production) and P1 or P2 (no acceptances are stored yet).
// Changed from "high or critical, or medium when business-critical".
const PRIORITY = {
  low: { low: 'P4', medium: 'P4', high: 'P4', critical: 'P3' },
  medium: { low: 'P4', medium: 'P3', high: 'P3', critical: 'P2' },
  high: { low: 'P3', medium: 'P3', high: 'P2', critical: 'P1' },
  critical: { low: 'P3', medium: 'P2', high: 'P1', critical: 'P1' },
};
const ACTIVE = ['pilot', 'production'];
const WEIGHTED_ROLES = ['model', 'hosting', 'assistant', 'data'];
// Flagged: active, P1 or P2, and no risk acceptance in force (domain.md rev. 2).
const flaggedOf = (level, crit, status, accepted = false) =>
  ACTIVE.includes(status) && ['P1', 'P2'].includes(PRIORITY[level][crit]) && !accepted;
// Workload IDs with an acceptance in force today (read once per test).
async function acceptedIds() {
  const list = await ok('GET', '/api/v1/acceptances?in_force=true');
  return new Set(list.items.map((a) => a.workload));
}
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const rawSum = (risk) => sum(risk.factors.map((f) => f.points));
// The one active set (domain.md rev. 2): proposed is pipeline, retired history.
const active = (w) => ACTIVE.includes(w.status);

// Checks the shape and internal consistency of one risk object; with
// weights, also that every factor carries its weight (single_group_stack:
// the weight, or half of it rounded down for two groups).
function assertRisk(risk, criticality, weights, label = '', status = 'production', accepted = false) {
  assert.ok(risk && typeof risk === 'object', `${label}: risk present`);
  assert.ok(Number.isInteger(risk.score) && risk.score >= 0 && risk.score <= 100, `${label}: score ${risk.score}`);
  assert.ok(Array.isArray(risk.factors), `${label}: factors`);
  const seen = new Set();
  for (const f of risk.factors) {
    assert.ok(CODES.includes(f.code), `${label}: code ${f.code}`);
    assert.ok(!seen.has(f.code), `${label}: ${f.code} once`);
    seen.add(f.code);
    assert.ok(Number.isInteger(f.points) && f.points > 0, `${label}: points of ${f.code}`);
    assert.equal(typeof f.reason, 'string');
    assert.ok(f.reason.length > 10, `${label}: reason of ${f.code}`);
    if (weights) {
      const w = weights[f.code];
      if (f.code === 'single_group_stack') assert.ok(f.points === w || f.points === Math.floor(w / 2), `${label}: ${f.code} ${f.points} of ${w}`);
      else assert.equal(f.points, w, `${label}: ${f.code}`);
    }
  }
  assert.equal(risk.score, Math.min(100, rawSum(risk)), `${label}: score is the capped sum`);
  assert.equal(risk.level, levelOf(risk.score), `${label}: level`);
  assert.equal(risk.priority, PRIORITY[risk.level][criticality], `${label}: priority`);
  assert.equal(risk.flagged, flaggedOf(risk.level, criticality, status, accepted), `${label}: flagged`);
}

function factorCodes(risk) { return risk.factors.map((f) => f.code); }

// ---- independent concentration ---------------------------------------------
// Each active workload's amount (spend, or criticality weight) is split
// equally, in each layer, over its model, hosting, assistant and data
// dependencies that have a group there (identity and tooling carry none);
// no host = Self-hosted; no publisher = not counted in that layer; HHI =
// sum of (100 x share)^2.

function groupsOf(cat, connected) {
  const group = (id) => cat.vendors.get(id).group.id;
  const parent = new Map();
  const find = (g) => { while (parent.has(g) && parent.get(g) !== g) g = parent.get(g); return g; };
  for (const v of cat.vendors.values()) parent.set(group(v.id), group(v.id));
  if (connected) {
    for (const v of cat.vendors.values()) {
      for (const link of v.connections) {
        const a = find(group(v.id));
        const b = find(group(link.vendor));
        if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
      }
    }
  }
  const of = (vendorId) => find(group(vendorId));
  const name = (g) => {
    if (g === -1) return 'Self-hosted';
    if (!connected) return cat.vendors.get(g).name;
    return [...cat.vendors.values()]
      .filter((v) => v.group.id === v.id && find(v.id) === g)
      .sort((a, b) => a.id - b.id).map((v) => v.name).join(' + ');
  };
  return { of, name };
}

function concentrationOf(cat, basis, connected, include = () => true) {
  const g = groupsOf(cat, connected);
  const layers = {};
  for (const layer of ['provider', 'publisher', 'host']) {
    const amounts = new Map();
    let total = 0;
    for (const w of cat.workloads) {
      if (!active(w) || !include(w)) continue;
      const amount = basis === 'spend' ? w.monthly_spend : CRIT_WEIGHT[w.criticality];
      if (!(amount > 0)) continue;
      const parts = [];   // one per dependency that has a group in the layer
      for (const d of w.dependencies) {
        if (!WEIGHTED_ROLES.includes(d.role)) continue;
        const o = cat.offerings.get(d.offering);
        const vid = o[layer];
        if (vid) parts.push(g.of(vid));
        else if (layer === 'host') parts.push(-1);
      }
      if (!parts.length) continue;
      for (const grp of parts) amounts.set(grp, (amounts.get(grp) || 0) + amount / parts.length);
      total += amount;
    }
    const hhi = total > 0 ? sum([...amounts.values()].map((a) => (100 * a / total) ** 2)) : 0;
    layers[layer] = { total, hhi, amounts, names: new Map([...amounts.keys()].map((k) => [k, g.name(k)])) };
  }
  return layers;
}

const bandOf = (hhi) => (hhi > 1800 ? 'high' : hhi >= 1000 ? 'moderate' : 'unconcentrated');

// Internal consistency of a concentration answer, and agreement with the
// independent computation.
function assertConcentration(body, expected, basis, connected) {
  assert.equal(body.basis, basis);
  assert.equal(body.connected, connected);
  for (const name of ['provider', 'publisher', 'host']) {
    const l = body.layers[name];
    const e = expected[name];
    const label = `${basis}/${connected}/${name}`;
    assert.ok(l, label);
    assert.ok(Math.abs(sum(l.shares.map((s) => s.share)) - 1) <= 0.001, `${label}: shares sum to 1`);
    const fromShares = sum(l.shares.map((s) => (100 * s.share) ** 2));
    const fromAmounts = sum(l.shares.map((s) => (100 * s.amount / l.total) ** 2));
    assert.ok(Math.abs(fromAmounts - l.hhi) <= 1, `${label}: hhi ${l.hhi} vs amounts ${fromAmounts}`);
    // Shares are rounded to 0.0001, so (100 x share)^2 summed can be off by up
    // to sum(2 x 100 s x 0.005) = 1.0 plus the rounding of hhi itself (0.5):
    // the bound is 1.5 (the active-set figures reach 1.08).
    assert.ok(Math.abs(fromShares - l.hhi) <= 1.5, `${label}: hhi ${l.hhi} vs shares ${fromShares}`);
    assert.equal(l.band, bandOf(l.hhi), `${label}: band`);
    assert.ok(Math.abs(l.effective_providers - 10000 / l.hhi) <= 0.01, `${label}: effective ${l.effective_providers}`);
    for (let i = 1; i < l.shares.length; i++) assert.ok(l.shares[i - 1].share >= l.shares[i].share, `${label}: largest first`);
    // Against the independent computation.
    assert.ok(Math.abs(l.total - e.total) <= 0.01, `${label}: total ${l.total} vs ${e.total}`);
    assert.ok(Math.abs(l.hhi - e.hhi) <= 1, `${label}: hhi ${l.hhi} vs ${e.hhi}`);
    assert.equal(l.shares.length, e.amounts.size, `${label}: groups`);
    for (const s of l.shares) {
      const key = s.group_id === null ? -1 : s.group_id;
      assert.ok(e.amounts.has(key), `${label}: group ${s.group}`);
      assert.equal(s.group, e.names.get(key), `${label}: name`);
      assert.ok(Math.abs(s.amount - e.amounts.get(key)) <= 0.01, `${label}: amount of ${s.group}`);
      assert.ok(Math.abs(s.share - e.amounts.get(key) / e.total) <= 0.0001, `${label}: share of ${s.group}`);
    }
  }
}

// ---- risk on every workload ------------------------------------------------

test('every listed workload carries a consistent risk under the current weights', async () => {
  const model = await ok('GET', '/api/v1/risk/model');
  const items = await listAll('workloads');
  assert.ok(items.length >= 40);
  const accepted = await acceptedIds();
  assert.ok(accepted.size >= 1, 'the demo accepts some risks');
  for (const w of items) assertRisk(w.risk, w.criticality, model.weights, w.name, w.status, accepted.has(w.id));
  // Every level occurs in the demo, and some workloads are flagged, some not.
  for (const l of LEVELS) assert.ok(items.some((w) => w.risk.level === l), `a ${l} workload`);
  assert.ok(items.some((w) => w.risk.flagged) && items.some((w) => !w.risk.flagged));
  // A workload without a swap layer always has the factor, one with none.
  for (const w of items) assert.equal(factorCodes(w.risk).includes('no_swap_layer'), !w.swap_layer, w.name);
  // A model or assistant dependency with no named alternative: the full
  // points of no_proven_alternative (domain.md rev. 2); none without one.
  for (const w of items) {
    const roles = w.dependencies.filter((d) => d.role === 'model' || d.role === 'assistant');
    const unnamed = roles.some((d) => !w.alternatives.some((a) => a.dependency === d.offering));
    const f = w.risk.factors.find((x) => x.code === 'no_proven_alternative');
    if (!roles.length) assert.equal(f, undefined, w.name);
    if (unnamed) assert.equal(f?.points, DEFAULT_WEIGHTS.no_proven_alternative, w.name);
  }
});

test('hand-computed risk of three demo workloads', async () => {
  const items = await listAll('workloads');
  const by = (name) => { const w = items.find((x) => x.name === name); assert.ok(w, name); return w; };
  // Azure OpenAI + AI Search + Cosmos DB + Entra ID, all Microsoft: 25; no swap
  // layer 20; proprietary stores and features 15; MACC commits spend 15; no
  // second model 10; provisioned-throughput notice deadline in 45 days 10;
  // Cosmos DB on the host's group 5 = 100.
  const triage = by('Claims triage assistant');
  assert.deepEqual(triage.risk.factors.map((f) => [f.code, f.points]), CODES.map((c) => [c, DEFAULT_WEIGHTS[c]]));
  assert.equal(triage.risk.score, 100);
  assert.equal(triage.risk.level, 'critical');
  assert.equal(triage.risk.flagged, true);
  assert.match(triage.risk.factors[5].reason, /provisioned throughput reservation/);
  assert.match(triage.risk.factors[5].reason, /2026-06-15/);
  assert.match(triage.risk.factors[6].reason, /Azure AI Search/);   // its first proprietary store
  // gpt-oss and Llama, both run by Northwind itself on rented GPUs (provider
  // the organisation, kind self: one group) 25; swap layer; gpt-oss names
  // Llama as its alternative, but Llama has none named: the full 10 of
  // no_proven_alternative; no covering contract. 35, medium.
  const redaction = by('Sensitive document redaction');
  assert.deepEqual(redaction.risk.factors.map((f) => [f.code, f.points]),
    [['single_group_stack', 25], ['no_proven_alternative', 10]]);
  assert.match(redaction.risk.factors[0].reason, /Northwind Mutual group/);
  assert.match(redaction.risk.factors[1].reason, /Llama \(self-hosted, open weight\) has no named alternative/);
  assert.equal(redaction.risk.level, 'medium');
  assert.equal(redaction.risk.flagged, false);
  // Mistral and Northwind (its self-hosted Llama) carry weight; Entra ID
  // (identity, Microsoft) does not, so two groups: 25 / 2 = 12. The Microsoft
  // EA covers only Entra ID here, and an identity contract does not bind the
  // AI workload: no contract_lock. Mistral names Llama as its alternative,
  // Llama has none: 10. 22, low.
  const council = by('Works council document assistant');
  assert.deepEqual(council.risk.factors.map((f) => [f.code, f.points]),
    [['single_group_stack', 12], ['no_proven_alternative', 10]]);
  assert.doesNotMatch(council.risk.factors[0].reason, /Entra/);
  assert.ok(!council.risk.factors.some((f) => /Microsoft Enterprise Agreement/.test(f.reason)));
});

test('GET /workloads/{id} carries the same risk as the list', async () => {
  const items = await listAll('workloads');
  for (const w of items) {
    const one = await ok('GET', `/api/v1/workloads/${w.id}`);
    assert.deepEqual(one.risk, w.risk, w.name);
  }
});

test('POST, PUT and PATCH answers carry the risk of what was saved', async () => {
  const cat = await catalogue();
  const off = (name) => [...cat.offerings.values()].find((o) => o.name === name).id;
  const base = { ...DECIDED, name: 'Risk test workload', track: 'openai', status: 'pilot', criticality: 'medium' };
  // OpenAI API only: one group 25, no swap 20, the OpenAI Enterprise
  // Agreement commits spend 15, no second model 10, and its notice deadline
  // (today + 100 - 60 = 2026-06-10) is 40 days away 10 = 80.
  const c = await req('POST', '/api/v1/workloads', { ...base, dependencies: [{ offering: off('OpenAI API'), role: 'model' }] });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const path = `/api/v1/workloads/${c.body.id}`;
  try {
    assertRisk(c.body.risk, 'medium', DEFAULT_WEIGHTS, 'POST');
    assert.deepEqual(c.body.risk.factors.map((f) => [f.code, f.points]),
      [['single_group_stack', 25], ['no_swap_layer', 20], ['contract_lock', 15], ['no_proven_alternative', 10], ['horizon', 10]]);
    assert.equal(c.body.risk.score, 80);
    assert.equal(c.body.risk.level, 'critical');
    assert.equal(c.body.risk.flagged, true);
    assert.match(c.body.risk.factors[2].reason, /OpenAI Enterprise Agreement/);
    assert.match(c.body.risk.factors[4].reason, /2026-06-10, in 40 days/);

    // PUT: DeepSeek API behind a swap layer, no alternative named: 25 + 10 =
    // 35, medium.
    const p = await ok('PUT', path, { ...base, swap_layer: true,
      dependencies: [{ offering: off('DeepSeek API'), role: 'model' }] });
    assert.deepEqual(p.risk.factors.map((f) => [f.code, f.points]),
      [['single_group_stack', 25], ['no_proven_alternative', 10]]);
    assert.equal(p.risk.score, 35);
    assert.equal(p.risk.level, 'medium');
    assert.equal(p.risk.flagged, false);
    assert.match(p.risk.factors[0].reason, /DeepSeek/);

    // PATCH criticality critical: still 35 medium, now P2 and flagged.
    const m1 = await ok('PATCH', path, { criticality: 'critical' });
    assert.equal(m1.risk.score, 35);
    assert.equal(m1.risk.flagged, true);

    // PATCH a second group (gpt-oss run by Northwind itself): 12, and DeepSeek
    // named as gpt-oss's alternative still leaves DeepSeek with none: 10. 22, low.
    const m2 = await ok('PATCH', path, { dependencies: [{ offering: off('DeepSeek API'), role: 'model' },
      { offering: off('gpt-oss (self-hosted, open weight)'), role: 'model' }],
      alternatives: [{ dependency: off('gpt-oss (self-hosted, open weight)'), offering: off('DeepSeek API') }] });
    assert.deepEqual(m2.risk.factors.map((f) => [f.code, f.points]),
      [['single_group_stack', 12], ['no_proven_alternative', 10]]);
    assert.equal(m2.risk.level, 'low');
    assert.equal(m2.risk.flagged, false);
    assert.deepEqual((await ok('GET', path)).risk, m2.risk);
  } finally {
    assert.equal((await req('DELETE', path)).status, 204);
  }
});

// ---- list filters and sort by risk -----------------------------------------

test('risk_level=, flagged=true and sort=-risk filter and order consistently', async () => {
  const all = await listAll('workloads');
  for (const level of LEVELS) {
    const items = await listAll('workloads', `risk_level=${level}`);
    assert.ok(items.every((w) => w.risk.level === level), level);
    // Filters on computed risk choose from the active set only (domain.md rev. 2).
    assert.deepEqual(items.map((w) => w.id).sort((a, b) => a - b),
      all.filter((w) => active(w) && w.risk.level === level).map((w) => w.id).sort((a, b) => a - b), level);
  }
  const flagged = await listAll('workloads', 'flagged=true');
  assert.ok(flagged.length > 0);
  assert.ok(flagged.every((w) => w.risk.flagged));
  assert.equal(flagged.length, all.filter((w) => w.risk.flagged).length);
  const unflagged = await listAll('workloads', 'flagged=false');
  assert.equal(unflagged.length + flagged.length, all.filter(active).length);

  const sorted = await listAll('workloads', 'sort=-risk');
  assert.equal(sorted.length, all.length);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1].risk.score >= sorted[i].risk.score, `item ${i}`);
  const asc = await listAll('workloads', 'sort=risk');
  for (let i = 1; i < asc.length; i++) assert.ok(asc[i - 1].risk.score <= asc[i].risk.score, `item ${i}`);

  // Combined: the azure track's flagged workloads, riskiest first, paged.
  const combo = await listAll('workloads', 'track=azure&flagged=true&sort=-risk');
  const expected = all.filter((w) => w.track === 'azure' && w.risk.flagged);
  assert.equal(combo.length, expected.length);
  for (let i = 1; i < combo.length; i++) assert.ok(combo[i - 1].risk.score >= combo[i].risk.score);
  const page = await ok('GET', '/api/v1/workloads?track=azure&flagged=true&sort=-risk&limit=3&offset=2');
  assert.equal(page.total, expected.length);
  assert.deepEqual(page.items.map((w) => w.id), combo.slice(2, 5).map((w) => w.id));

  assertParam(await req('GET', '/api/v1/workloads?risk_level=severe'), 'risk_level');
  assertParam(await req('GET', '/api/v1/workloads?flagged=yes'), 'flagged');
});

// ---- the risk model --------------------------------------------------------

test('GET /risk/model returns the factors, weights, level bands and an explanation', async () => {
  const m = await ok('GET', '/api/v1/risk/model');
  assert.deepEqual(m.factors.map((f) => f.code), CODES);
  for (const f of m.factors) {
    assert.equal(f.points, DEFAULT_WEIGHTS[f.code]);
    assert.equal(f.default, DEFAULT_WEIGHTS[f.code]);
    assert.equal(typeof f.rule, 'string');
    assert.ok(f.rule.length > 20);
  }
  assert.deepEqual(m.weights, DEFAULT_WEIGHTS);
  assert.deepEqual(m.levels, [
    { level: 'low', min: 0, max: 24 }, { level: 'medium', min: 25, max: 49 },
    { level: 'high', min: 50, max: 74 }, { level: 'critical', min: 75, max: 100 }]);
  assert.equal(typeof m.explanation, 'string');
  assert.match(m.explanation, /sum/);
  assert.match(m.explanation, /100/);
  // Flagged by priority in the active set (domain.md rev. 2); the matrix and
  // the active set are exposed so every figure is recomputable by hand.
  assert.match(m.flagged, /P1 or P2/);
  assert.match(m.flagged, /active set/);
  assert.deepEqual(m.priority.values, ['P1', 'P2', 'P3', 'P4']);
  assert.deepEqual(m.priority.criticalities, ['low', 'medium', 'high', 'critical']);
  assert.deepEqual(m.priority.matrix, PRIORITY);
  assert.deepEqual(m.active_set.statuses, ACTIVE);
  assert.equal(typeof m.active_set.rule, 'string');
  // Viewers may read it.
  const viewer = await srv.tokenFor('viewer');
  const v = await req('GET', '/api/v1/risk/model', undefined, { Authorization: `Bearer ${viewer}` });
  assert.equal(v.status, 200);
  assert.deepEqual(v.body, m);
});

test('PUT /risk/model changes every score at once, audited, and can be put back', async () => {
  const before = await listAll('workloads');
  const accepted = await acceptedIds();
  const head0 = await ok('GET', '/api/v1/audit/head');
  const put = await ok('PUT', '/api/v1/risk/model', { weights: { no_swap_layer: 25 } });
  try {
    assert.deepEqual(put.weights, { ...DEFAULT_WEIGHTS, no_swap_layer: 25 });
    assert.equal(put.factors.find((f) => f.code === 'no_swap_layer').points, 25);
    assert.equal(put.factors.find((f) => f.code === 'no_swap_layer').default, 20);
    assert.deepEqual((await ok('GET', '/api/v1/risk/model')).weights, put.weights);
    const head1 = await ok('GET', '/api/v1/audit/head');
    assert.equal(head1.seq, head0.seq + 1);

    const after = await listAll('workloads');
    assert.equal(after.length, before.length);
    const old = new Map(before.map((w) => [w.id, w]));
    let gained = 0;
    for (const w of after) {
      const o = old.get(w.id);
      assertRisk(w.risk, w.criticality, put.weights, w.name, w.status, accepted.has(w.id));
      if (!w.swap_layer) {
        // Exactly 5 more raw points; the score is capped at 100.
        assert.equal(rawSum(w.risk), rawSum(o.risk) + 5, w.name);
        assert.equal(w.risk.score, Math.min(100, rawSum(o.risk) + 5), w.name);
        if (o.risk.score <= 95) { assert.equal(w.risk.score, o.risk.score + 5, w.name); gained++; }
      } else {
        assert.deepEqual(w.risk, o.risk, w.name);
      }
    }
    assert.ok(gained > 0);
    // The single workload and the summary see the new weights too.
    const some = after.find((w) => !w.swap_layer);
    assert.deepEqual((await ok('GET', `/api/v1/workloads/${some.id}`)).risk, some.risk);
  } finally {
    const back = await ok('PUT', '/api/v1/risk/model', { weights: { no_swap_layer: 20 } });
    assert.deepEqual(back.weights, DEFAULT_WEIGHTS);
  }
  assert.deepEqual((await listAll('workloads')).map((w) => w.risk), before.map((w) => w.risk));
});

test('bad weights answer 400 naming /weights/<code> and change nothing; only admins may PUT', async () => {
  const viewer = await srv.tokenFor('viewer');         // creating tokens is audited too:
  const architect = await srv.tokenFor('architect');   // both before the audit head is read
  const model0 = await ok('GET', '/api/v1/risk/model');
  const head0 = await ok('GET', '/api/v1/audit/head');
  const cases = [
    [{ bogus: 5 }, '/weights/bogus'],
    [{ no_swap_layer: 101 }, '/weights/no_swap_layer'],
    [{ horizon: -1 }, '/weights/horizon'],
    [{ data_gravity: 2.5 }, '/weights/data_gravity'],
    [{ contract_lock: '15' }, '/weights/contract_lock'],
    [{ proprietary_interface: null }, '/weights/proprietary_interface'],
    [{ no_swap_layer: 30, single_group_stack: 1000 }, '/weights/single_group_stack'],
  ];
  for (const [weights, pointer] of cases) assertPointers(await req('PUT', '/api/v1/risk/model', { weights }), pointer);
  assertPointers(await req('PUT', '/api/v1/risk/model', {}), '/weights');
  assertPointers(await req('PUT', '/api/v1/risk/model', { weights: [25] }), '/weights');
  assertPointers(await req('PUT', '/api/v1/risk/model', { weights: {}, colour: 'red' }), '/colour');
  // 0 and 100 are allowed bounds (checked then put back below).
  const edge = await ok('PUT', '/api/v1/risk/model', { weights: { data_gravity: 0, horizon: 100 } });
  assert.equal(edge.weights.data_gravity, 0);
  assert.equal(edge.weights.horizon, 100);
  await ok('PUT', '/api/v1/risk/model', { weights: { data_gravity: 5, horizon: 10 } });
  assert.deepEqual((await ok('GET', '/api/v1/risk/model')).weights, model0.weights);

  assertProblem(await req('PUT', '/api/v1/risk/model', { weights: { no_swap_layer: 25 } }, { Authorization: `Bearer ${viewer}` }), 403);
  assertProblem(await req('PUT', '/api/v1/risk/model', { weights: { no_swap_layer: 25 } }, { Authorization: `Bearer ${architect}` }), 403);
  assert.deepEqual(await ok('GET', '/api/v1/risk/model'), model0);
  // Only the two accepted PUTs were audited.
  assert.equal((await ok('GET', '/api/v1/audit/head')).seq, head0.seq + 2);
});

// ---- concentration ---------------------------------------------------------

test('concentration per layer, both bases, merged and not, agrees with an independent computation', async () => {
  const cat = await catalogue();
  for (const basis of ['spend', 'workloads']) {
    for (const connected of [false, true]) {
      const body = await ok('GET', `/api/v1/portfolio/concentration?basis=${basis}&connected=${connected}`);
      assertConcentration(body, concentrationOf(cat, basis, connected), basis, connected);
    }
  }
  // Defaults: spend, not merged.
  const dflt = await ok('GET', '/api/v1/portfolio/concentration');
  assert.deepEqual(dflt, await ok('GET', '/api/v1/portfolio/concentration?basis=spend&connected=false'));
});

test('connected=true merges Microsoft and OpenAI into one group', async () => {
  for (const basis of ['spend', 'workloads']) {
    const plain = await ok('GET', `/api/v1/portfolio/concentration?basis=${basis}&connected=false`);
    const merged = await ok('GET', `/api/v1/portfolio/concentration?basis=${basis}&connected=true`);
    const p = plain.layers.provider;
    const m = merged.layers.provider;
    const ms = p.shares.find((s) => s.group === 'Microsoft');
    const oa = p.shares.find((s) => s.group === 'OpenAI');
    assert.ok(ms && oa, 'both groups present unmerged');
    const both = m.shares.find((s) => s.group === 'Microsoft + OpenAI');
    assert.ok(both, JSON.stringify(m.shares.map((s) => s.group)));
    assert.equal(both.group_id, Math.min(ms.group_id, oa.group_id));
    assert.ok(Math.abs(both.amount - (ms.amount + oa.amount)) <= 0.02);
    assert.equal(m.shares.length, p.shares.length - 1);
    assert.ok(m.hhi >= p.hhi, `${basis}: merged ${m.hhi} >= ${p.hhi}`);
    assert.ok(!m.shares.some((s) => s.group === 'Microsoft' || s.group === 'OpenAI'));
    assert.ok(Math.abs(m.total - p.total) <= 0.01);
  }
});

test('a retired workload leaves the concentration totals', async () => {
  const items = await listAll('workloads');
  const w = items.find((x) => x.name === 'Claims triage assistant');
  assert.equal(w.status, 'production');
  const spend0 = await ok('GET', '/api/v1/portfolio/concentration?basis=spend');
  const weighted0 = await ok('GET', '/api/v1/portfolio/concentration?basis=workloads&connected=true');
  const summary0 = await ok('GET', '/api/v1/portfolio/summary');
  const r = await ok('PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' });
  try {
    assert.equal(r.status, 'retired');
    const spend1 = await ok('GET', '/api/v1/portfolio/concentration?basis=spend');
    const weighted1 = await ok('GET', '/api/v1/portfolio/concentration?basis=workloads&connected=true');
    for (const layer of ['provider', 'publisher', 'host']) {
      assert.ok(Math.abs(spend0.layers[layer].total - spend1.layers[layer].total - w.monthly_spend) <= 0.01, layer);
      assert.ok(Math.abs(weighted0.layers[layer].total - weighted1.layers[layer].total - CRIT_WEIGHT[w.criticality]) <= 1e-9, layer);
    }
    // Its spend left Microsoft's share (all its dependencies are Microsoft's).
    const ms = (c) => c.layers.provider.shares.find((s) => s.group === 'Microsoft').amount;
    assert.ok(Math.abs(ms(spend0) - ms(spend1) - w.monthly_spend) <= 0.01);
    const cat = await catalogue();
    assertConcentration(spend1, concentrationOf(cat, 'spend', false), 'spend', false);
    const summary1 = await ok('GET', '/api/v1/portfolio/summary');
    assert.ok(Math.abs(summary0.spend.monthly_total - summary1.spend.monthly_total - w.monthly_spend) <= 0.01);
    assert.equal(summary1.counts.status.retired, summary0.counts.status.retired + 1);
    assert.equal(summary1.counts.active, summary0.counts.active - 1);
  } finally {
    await ok('PATCH', `/api/v1/workloads/${w.id}`, { status: 'production' });
  }
  assert.deepEqual(await ok('GET', '/api/v1/portfolio/concentration?basis=spend'), spend0);
});

test('bad concentration parameters answer 400 naming the parameter', async () => {
  assertParam(await req('GET', '/api/v1/portfolio/concentration?basis=revenue'), 'basis');
  assertParam(await req('GET', '/api/v1/portfolio/concentration?basis='), 'basis');
  assertParam(await req('GET', '/api/v1/portfolio/concentration?connected=yes'), 'connected');
  assertParam(await req('GET', '/api/v1/portfolio/concentration?layer=host'), 'layer');
});

// ---- summary ---------------------------------------------------------------

test('the summary agrees with the workload list', async () => {
  const s = await ok('GET', '/api/v1/portfolio/summary');
  const items = await listAll('workloads');
  const live = items.filter(active);
  assert.equal(s.as_of, TODAY);
  assert.equal(s.counts.workloads, items.length);
  assert.equal(s.counts.active, live.length);
  for (const st of STATUSES) assert.equal(s.counts.status[st], items.filter((w) => w.status === st).length, st);
  for (const t of TRACKS) assert.equal(s.counts.track[t], live.filter((w) => w.track === t).length, t);
  for (const l of LEVELS) assert.equal(s.counts.level[l], live.filter((w) => w.risk.level === l).length, l);
  assert.equal(sum(Object.values(s.counts.level)), live.length);
  const flagged = live.filter((w) => w.risk.flagged);
  assert.equal(s.counts.flagged, flagged.length);

  // Spend: totals over active workloads; by track sums to the total.
  const cents = (x) => Math.round(x * 100);
  assert.equal(cents(s.spend.monthly_total), sum(live.map((w) => cents(w.monthly_spend))));
  assert.equal(sum(Object.values(s.spend.by_track).map(cents)), cents(s.spend.monthly_total));
  for (const t of TRACKS) assert.equal(cents(s.spend.by_track[t]), sum(live.filter((w) => w.track === t).map((w) => cents(w.monthly_spend))), t);
  assert.ok(Math.abs(sum(s.spend.by_group.map((g) => g.amount)) - s.spend.monthly_total) <= 0.05);

  // Flagged: at most 20, in the order to act: priority (P1 first), then
  // exposure = score x criticality weight, largest first. (Changed: the
  // order was by exposure alone before priority, domain.md rev. 2.)
  assert.equal(s.flagged.length, Math.min(20, flagged.length));
  const byId = new Map(items.map((w) => [w.id, w]));
  for (const f of s.flagged) {
    const w = byId.get(f.id);
    assert.ok(w.risk.flagged && active(w), f.name);
    assert.equal(f.score, w.risk.score);
    assert.equal(f.level, w.risk.level);
    assert.equal(f.exposure, w.risk.score * CRIT_WEIGHT[w.criticality], f.name);
    assert.ok(CODES.includes(f.top_factor));
    assert.equal(typeof f.top_reason, 'string');
  }
  const key = (f) => [f.priority, -f.exposure];
  const before = (a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
  for (const f of s.flagged) assert.equal(f.priority, byId.get(f.id).risk.priority, f.name);
  for (let i = 1; i < s.flagged.length; i++) assert.ok(before(key(s.flagged[i - 1]), key(s.flagged[i])), `item ${i}`);
  // The top 20 really are the top: nothing left out comes earlier.
  const listed = new Set(s.flagged.map((f) => f.id));
  const last = key(s.flagged[s.flagged.length - 1]);
  for (const w of flagged) {
    if (!listed.has(w.id)) assert.ok(before(last, [w.risk.priority, -w.risk.score * CRIT_WEIGHT[w.criticality]]), w.name);
  }

  // Concentration figures match the concentration endpoint.
  const spend = await ok('GET', '/api/v1/portfolio/concentration?basis=spend');
  const weighted = await ok('GET', '/api/v1/portfolio/concentration?basis=workloads');
  for (const layer of ['provider', 'publisher', 'host']) {
    assert.equal(s.concentration[layer].hhi, Math.round(spend.layers[layer].hhi), layer);
    assert.equal(s.concentration[layer].band, spend.layers[layer].band);
    assert.equal(s.concentration[layer].hhi_workloads, Math.round(weighted.layers[layer].hhi));
    assert.equal(s.concentration[layer].band_workloads, weighted.layers[layer].band);
  }
});

test('summary deadlines: customer contracts due within 180 days, soonest first', async () => {
  const s = await ok('GET', '/api/v1/portfolio/summary');
  const contracts = await listAll('contracts');
  const expected = contracts.filter((c) => c.kind === 'customer' && c.notice_deadline &&
    days(TODAY, c.notice_deadline) >= 0 && days(TODAY, c.notice_deadline) <= 180);
  assert.ok(expected.length >= 3);
  assert.deepEqual(s.deadlines.map((d) => d.contract).sort((a, b) => a - b), expected.map((c) => c.id).sort((a, b) => a - b));
  for (const d of s.deadlines) {
    assert.equal(d.days_left, days(TODAY, d.notice_deadline), d.name);
    assert.ok(d.days_left >= 0 && d.days_left <= 180);
    const c = contracts.find((x) => x.id === d.contract);
    assert.equal(d.notice_deadline, c.notice_deadline);
    assert.equal(days(d.notice_deadline, d.end_date), c.notice_days);
  }
  for (let i = 1; i < s.deadlines.length; i++) assert.ok(s.deadlines[i - 1].days_left <= s.deadlines[i].days_left);
  // The GitHub agreement (end today + 52, notice 30) is first: 22 days.
  assert.equal(s.deadlines[0].name, 'GitHub Enterprise Cloud with Copilot Enterprise');
  assert.equal(s.deadlines[0].days_left, 22);
});

test('summary upstream terms: access terms in scope that active workloads outlive', async () => {
  const s = await ok('GET', '/api/v1/portfolio/summary');
  const cat = await catalogue();
  const licence = s.upstream_terms.find((t) => t.kind === 'licence');
  assert.ok(licence, JSON.stringify(s.upstream_terms));
  assert.equal(licence.until, '2032-12-31');
  assert.equal(licence.days_left, days(TODAY, '2032-12-31'));
  // Expected: active workloads with a model, hosting, assistant or data
  // offering in the licence term's scope (provider in Microsoft's group,
  // publisher in OpenAI's: Azure OpenAI and Copilot, never OpenAI's own API),
  // with no planned end or one after 2032-12-31.
  const agreement = cat.contracts.find((c) => c.id === licence.contract);
  assert.equal(agreement.kind, 'upstream');
  const term = agreement.terms.find((t) => t.kind === 'licence');
  const groupOf = (id) => cat.vendors.get(id)?.group.id;
  const inScope = (o) => groupOf(o.provider) === groupOf(term.scope_provider) &&
    groupOf(o.publisher) === groupOf(term.scope_publisher);
  const weighted = ['model', 'hosting', 'assistant', 'data'];
  const expected = cat.workloads.filter((w) => active(w) &&
    w.dependencies.some((d) => weighted.includes(d.role) && inScope(cat.offerings.get(d.offering))) &&
    (w.planned_end === null || w.planned_end > '2032-12-31')).map((w) => w.id).sort((a, b) => a - b);
  assert.ok(!expected.some((id) => cat.workloads.find((w) => w.id === id).dependencies
    .some((d) => cat.offerings.get(d.offering).name === 'OpenAI API' &&
      !cat.workloads.find((w) => w.id === id).dependencies.some((e) => inScope(cat.offerings.get(e.offering))))));
  assert.ok(expected.length > 10);
  assert.deepEqual(licence.workloads.map((w) => w.id).sort((a, b) => a - b), expected);
  // Only terms that govern access bear on workloads (risk model): a revenue
  // share between the two vendors is not listed.
  for (const t of s.upstream_terms) assert.ok(ACCESS_TERMS.includes(t.kind), `${t.kind}: ${t.text}`);
});

// ---- strategy views --------------------------------------------------------

test('every strategy view has figures, distribution, findings, contracts, terms and cross-track workloads', async () => {
  const cat = await catalogue();
  for (const track of TRACKS) {
    const v = await ok('GET', `/api/v1/strategies/${track}`);
    assert.equal(v.track, track);
    assert.equal(v.as_of, TODAY);
    const mine = cat.workloads.filter((w) => active(w) && w.track === track);
    assert.equal(v.figures.workloads, mine.length, track);
    assert.equal(v.figures.production, mine.filter((w) => w.status === 'production').length);
    assert.equal(v.figures.flagged, mine.filter((w) => w.risk.flagged).length);
    assert.equal(v.figures.without_swap_layer, mine.filter((w) => !w.swap_layer).length);
    assert.equal(Math.round(v.figures.monthly_spend * 100), sum(mine.map((w) => Math.round(w.monthly_spend * 100))));
    for (const l of LEVELS) assert.equal(v.risk_distribution[l], mine.filter((w) => w.risk.level === l).length, `${track} ${l}`);
    assert.deepEqual(v.workloads.map((w) => w.id).sort((a, b) => a - b), mine.map((w) => w.id).sort((a, b) => a - b));
    for (const row of v.workloads) {
      const w = mine.find((x) => x.id === row.id);
      assert.equal(row.score, w.risk.score);
      assert.equal(row.level, w.risk.level);
      assert.equal(row.flagged, w.risk.flagged);
    }
    // Findings in plain words, each naming existing workloads.
    assert.ok(Array.isArray(v.findings) && v.findings.length > 0, track);
    for (const f of v.findings) {
      assert.ok(['high', 'medium', 'info'].includes(f.severity), f.severity);
      assert.equal(typeof f.text, 'string');
      assert.ok(f.text.length > 20);
      assert.ok(Array.isArray(f.workloads));
      for (const w of f.workloads) assert.equal(w.name, cat.workloads.find((x) => x.id === w.id).name);
    }
    // Concentration inside the track.
    assertConcentration(v.concentration, concentrationOf(cat, 'spend', false, (w) => w.track === track), 'spend', false);
    // Customer contracts covering an offering of the track.
    const expectedContracts = cat.contracts.filter((c) => c.kind === 'customer' &&
      c.offerings.some((o) => cat.offerings.get(o).track === track)).map((c) => c.id).sort((a, b) => a - b);
    assert.deepEqual(v.contracts.map((c) => c.id).sort((a, b) => a - b), expectedContracts, track);
    for (const c of v.contracts) assert.equal(c.notice_deadline, cat.contracts.find((x) => x.id === c.id).notice_deadline);
    assert.ok(Array.isArray(v.deadlines));
    for (const d of v.deadlines) assert.ok(expectedContracts.includes(d.contract) && d.days_left >= 0 && d.days_left <= 180);
    assert.ok(Array.isArray(v.upstream_terms));
    for (const t of v.upstream_terms) for (const w of t.workloads) assert.equal(cat.workloads.find((x) => x.id === w.id).track, track);
    // Cross-track: workloads of the track using another track's offerings,
    // or of another track using this one's (sign-in does not count).
    const crosses = (w) => w.dependencies.some((d) => d.role !== 'identity' &&
      (w.track === track ? cat.offerings.get(d.offering).track !== track : cat.offerings.get(d.offering).track === track));
    assert.deepEqual(v.cross_track.map((x) => x.id).sort((a, b) => a - b),
      cat.workloads.filter((w) => active(w) && crosses(w)).map((w) => w.id).sort((a, b) => a - b), track);
    for (const x of v.cross_track) {
      assert.ok(x.tracks.includes(x.track));
      assert.ok(x.tracks.length >= 2);
    }
  }
});

test('the Azure view names the production workloads without a swap layer and the 2032 licence', async () => {
  const cat = await catalogue();
  const v = await ok('GET', '/api/v1/strategies/azure');
  const noSwap = cat.workloads.filter((w) => w.track === 'azure' && w.status === 'production' && !w.swap_layer)
    .map((w) => w.id).sort((a, b) => a - b);
  assert.ok(noSwap.length >= 3);
  const f = v.findings.find((x) => x.code === 'no_swap_layer');
  assert.ok(f, JSON.stringify(v.findings.map((x) => x.code)));
  assert.deepEqual(f.workloads.map((w) => w.id).sort((a, b) => a - b), noSwap);
  assert.match(f.text, new RegExp(`^${noSwap.length} production workloads`));
  assert.match(f.text, /2032-12-31/);
  assert.match(f.text, /OpenAI API/);   // the same models, sold directly
  assert.equal(f.severity, 'high');
  // The licence horizon: azure workloads relying on the licence beyond its end.
  // In the term's scope: provider in Microsoft's group, publisher in
  // OpenAI's; no planned end counts as beyond every date (domain.md rev. 2).
  const agreement = cat.contracts.find((c) => c.kind === 'upstream' && c.terms.some((t) => t.kind === 'licence'));
  const term = agreement.terms.find((t) => t.kind === 'licence');
  const groupOf = (id) => cat.vendors.get(id)?.group.id;
  const inScope = (o) => groupOf(o.provider) === groupOf(term.scope_provider) &&
    groupOf(o.publisher) === groupOf(term.scope_publisher);
  const weighted = ['model', 'hosting', 'assistant', 'data'];
  const beyond = cat.workloads.filter((w) => active(w) && w.track === 'azure' &&
    w.dependencies.some((d) => weighted.includes(d.role) && inScope(cat.offerings.get(d.offering))) &&
    (!w.planned_end || w.planned_end > '2032-12-31')).map((w) => w.id).sort((a, b) => a - b);
  const h = v.findings.find((x) => x.code === 'licence_horizon');
  assert.ok(h);
  assert.match(h.text, /2032-12-31/);
  assert.deepEqual(h.workloads.map((w) => w.id).sort((a, b) => a - b), beyond);
  assert.ok(v.upstream_terms.some((t) => t.until === '2032-12-31'));
});

test('the Copilot, Azure and OpenAI views differ; unknown tracks are 404', async () => {
  const views = {};
  for (const t of ['copilot', 'azure', 'openai']) views[t] = await ok('GET', `/api/v1/strategies/${t}`);
  const pairs = [['copilot', 'azure'], ['azure', 'openai'], ['copilot', 'openai']];
  for (const [a, b] of pairs) {
    assert.notDeepEqual(views[a].figures, views[b].figures, `${a} vs ${b}`);
    assert.notDeepEqual(views[a].findings, views[b].findings, `${a} vs ${b}`);
    assert.notEqual(views[a].title, views[b].title);
    const ids = new Set(views[a].workloads.map((w) => w.id));
    assert.ok(!views[b].workloads.some((w) => ids.has(w.id)), `${a} and ${b} share no workload`);
  }
  assertProblem(await req('GET', '/api/v1/strategies/google'), 404);
  assertProblem(await req('GET', '/api/v1/strategies/Azure'), 404);
  assertProblem(await req('GET', '/api/v1/strategies/'), 404);
  // Viewers may read a view.
  const viewer = await srv.tokenFor('viewer');
  const r = await req('GET', '/api/v1/strategies/azure', undefined, { Authorization: `Bearer ${viewer}` });
  assert.equal(r.status, 200);
});
