// scenarios.test.mjs - what-if scenarios over the demo portfolio:
// POST /api/v1/scenarios/evaluate for every change type, its validation, the
// outcome of every workload and the before/after figures checked against an
// evaluator written here from the rule in server/core/scenario.h and the
// catalogue (offering category, provider group from GET /vendors group.id);
// evaluation writes nothing (database bytes and every list compared); saved
// scenarios CRUD and who may use it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { startServer, api, dbBytes, onPostgres } from './harness.mjs';

const TODAY = '2026-05-01';
// The server's wall clock, pinned (SWITCHYARD_NOW): no minute turns over
// while a test runs, so per-minute bookkeeping writes happen once, at the
// first request, and never in the middle of a comparison.
const NOW = `${TODAY}T09:00:00Z`;
const EVAL = '/api/v1/scenarios/evaluate';
const COLL = '/api/v1/scenarios';
const LEVELS = ['low', 'medium', 'high', 'critical'];
const LAYERS = ['provider', 'publisher', 'host'];

let srv;
before(async () => { srv = await startServer({ demo: true, env: { SWITCHYARD_TODAY: TODAY, SWITCHYARD_NOW: NOW } }); });
after(async () => { await srv?.stop(); });

const req = (method, path, body, headers) => api(srv.base, method, path, body, headers);

async function ok(method, path, body, headers) {
  const r = await req(method, path, body, headers);
  assert.equal(r.status, 200, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function listAll(coll) {
  const body = await ok('GET', `/api/v1/${coll}?limit=500`);
  assert.equal(body.items.length, body.total);
  return body.items;
}

async function catalogue() {
  const [vendors, offerings, contracts, workloads] = await Promise.all(
    ['vendors', 'offerings', 'contracts', 'workloads'].map((c) => listAll(c)));
  const cat = {
    vendors: new Map(vendors.map((v) => [v.id, v])),
    offerings: [...offerings].sort((a, b) => a.id - b.id),
    contracts,
    workloads,
  };
  cat.offering = new Map(cat.offerings.map((o) => [o.id, o]));
  cat.vendorNamed = (name) => { const v = vendors.find((x) => x.name === name); assert.ok(v, name); return v; };
  cat.offeringNamed = (name) => { const o = offerings.find((x) => x.name === name); assert.ok(o, name); return o; };
  cat.contractNamed = (name) => { const c = contracts.find((x) => x.name === name); assert.ok(c, name); return c; };
  cat.workloadNamed = (name) => { const w = workloads.find((x) => x.name === name); assert.ok(w, name); return w; };
  return cat;
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

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const cents = (x) => Math.round(x * 100);
// The one active set (domain.md rev. 2): pilot and production.
const active = (w) => w.status === 'pilot' || w.status === 'production';

// ---- an independent evaluator (server/core/scenario.h) ----------------------

function hhiBySpend(cat, workloads) {
  const group = (vid) => cat.vendors.get(vid).group.id;
  const out = {};
  for (const layer of LAYERS) {
    const amounts = new Map();
    let total = 0;
    for (const w of workloads) {
      if (!(w.monthly_spend > 0)) continue;
      const set = new Set();
      for (const d of w.dependencies) {
        // identity and tooling carry no weight (domain.md rev. 2 "Concentration").
        if (!['model', 'hosting', 'assistant', 'data'].includes(d.role)) continue;
        const vid = cat.offering.get(d.offering)[layer];
        if (vid) set.add(group(vid));
        else if (layer === 'host') set.add('self');
      }
      if (!set.size) continue;
      for (const g of set) amounts.set(g, (amounts.get(g) || 0) + w.monthly_spend / set.size);
      total += w.monthly_spend;
    }
    out[layer] = total > 0 ? sum([...amounts.values()].map((a) => (100 * a / total) ** 2)) : 0;
  }
  return out;
}

function evaluate(cat, changes) {
  const group = (vid) => cat.vendors.get(vid).group.id;
  const exited = new Set(changes.filter((c) => c.type === 'exit_group').map((c) => group(c.vendor)));
  const unavailable = new Set();
  for (const o of cat.offerings) {
    if (exited.has(group(o.provider)) || (o.publisher && exited.has(group(o.publisher))) ||
        (o.host && exited.has(group(o.host)))) unavailable.add(o.id);
  }
  for (const c of changes) {
    if (c.type === 'withdraw_offering') unavailable.add(c.offering);
    if (c.type === 'end_contract') for (const o of cat.contracts.find((k) => k.id === c.contract).offerings) unavailable.add(o);
  }
  const swapped = new Set(changes.filter((c) => c.type === 'add_swap_layer').flatMap((c) => c.workloads));
  // The alternative: the available offering with the smallest id, same
  // category, provider in another group that has not exited.
  const alt = new Map();
  for (const id of unavailable) {
    const lost = cat.offering.get(id);
    const a = cat.offerings.find((o) => !unavailable.has(o.id) && o.category === lost.category &&
      group(o.provider) !== group(lost.provider) && !exited.has(group(o.provider)));
    alt.set(id, a ? a.id : null);
  }
  const result = { unavailable, alt, outcomes: new Map(), lost: new Map(), migration: new Map(),
    counts: { unaffected: 0, movable: 0, stranded: 0 }, spendAtRisk: 0, spendStranded: 0, criticalAtRisk: 0 };
  const afterWorkloads = [];
  let migration = 0;
  for (const w of cat.workloads) {
    if (!active(w)) continue;
    const lost = [...new Set(w.dependencies.map((d) => d.offering).filter((o) => unavailable.has(o)))];
    const swap = w.swap_layer || swapped.has(w.id);
    if (!lost.length) {
      result.outcomes.set(w.id, 'unaffected');
      result.counts.unaffected++;
      afterWorkloads.push(w);
      continue;
    }
    const outcome = swap || lost.every((o) => alt.get(o)) ? 'movable' : 'stranded';
    const days = swap ? 14 : lost.every((o) => cat.offering.get(o).interface === 'openai_compatible') ? 45 : 120;
    result.outcomes.set(w.id, outcome);
    result.lost.set(w.id, lost);
    result.migration.set(w.id, days);
    result.counts[outcome]++;
    result.spendAtRisk += cents(w.monthly_spend);
    if (outcome === 'stranded') result.spendStranded += cents(w.monthly_spend);
    if (w.criticality === 'critical') result.criticalAtRisk++;
    migration = Math.max(migration, days);
    if (outcome === 'movable') {
      afterWorkloads.push({ ...w, dependencies: w.dependencies
        .filter((d) => !unavailable.has(d.offering) || alt.get(d.offering))
        .map((d) => (unavailable.has(d.offering) ? { ...d, offering: alt.get(d.offering) } : d)) });
    }
  }
  const notice = Math.max(0, ...cat.contracts.filter((k) => k.kind === 'customer' &&
    k.offerings.some((o) => unavailable.has(o))).map((k) => k.notice_days));
  const live = cat.workloads.filter(active);
  result.timeToExit = { days: notice + migration, notice_days: notice, migration_days: migration };
  result.before = { hhi: hhiBySpend(cat, live), spend: sum(live.map((w) => cents(w.monthly_spend))) };
  result.after = { hhi: hhiBySpend(cat, afterWorkloads), spend: sum(afterWorkloads.map((w) => cents(w.monthly_spend))) };
  result.afterCount = afterWorkloads.length;
  return result;
}

// Compares a server answer with the independent evaluation.
function assertMatches(body, exp, label) {
  assert.deepEqual(body.summary.unaffected, exp.counts.unaffected, `${label}: unaffected`);
  assert.deepEqual(body.summary.movable, exp.counts.movable, `${label}: movable`);
  assert.deepEqual(body.summary.stranded, exp.counts.stranded, `${label}: stranded`);
  assert.equal(cents(body.summary.spend_at_risk), exp.spendAtRisk, `${label}: spend at risk`);
  assert.equal(cents(body.summary.spend_stranded), exp.spendStranded, `${label}: spend stranded`);
  assert.equal(body.summary.critical_at_risk, exp.criticalAtRisk, `${label}: critical at risk`);
  assert.deepEqual(body.unavailable_offerings.map((o) => o.id), [...exp.unavailable].sort((a, b) => a - b), `${label}: unavailable`);
  // Exactly the affected workloads are listed, each with its outcome, lost
  // offerings and alternatives.
  const affected = [...exp.outcomes].filter(([, o]) => o !== 'unaffected').map(([id]) => id).sort((a, b) => a - b);
  assert.deepEqual(body.workloads.map((w) => w.id).sort((a, b) => a - b), affected, `${label}: affected`);
  for (const w of body.workloads) {
    assert.equal(w.outcome, exp.outcomes.get(w.id), `${label}: outcome of ${w.name}`);
    assert.equal(w.migration_days, exp.migration.get(w.id), `${label}: migration of ${w.name}`);
    assert.deepEqual(w.lost.map((l) => l.offering.id).sort((a, b) => a - b),
      [...exp.lost.get(w.id)].sort((a, b) => a - b), `${label}: lost by ${w.name}`);
    for (const l of w.lost) assert.equal(l.alternative ? l.alternative.id : null, exp.alt.get(l.offering.id), `${label}: alternative of ${l.offering.name}`);
  }
  assert.deepEqual(body.time_to_exit, exp.timeToExit, `${label}: time to exit`);
  for (const layer of LAYERS) {
    assert.ok(Math.abs(body.before.hhi[layer] - exp.before.hhi[layer]) <= 1, `${label}: before ${layer} ${body.before.hhi[layer]} vs ${exp.before.hhi[layer]}`);
    assert.ok(Math.abs(body.after.hhi[layer] - exp.after.hhi[layer]) <= 1, `${label}: after ${layer} ${body.after.hhi[layer]} vs ${exp.after.hhi[layer]}`);
  }
  assert.equal(cents(body.before.monthly_spend), exp.before.spend, `${label}: spend before`);
  assert.equal(cents(body.after.monthly_spend), exp.after.spend, `${label}: spend after`);
  assert.equal(sum(Object.values(body.after.levels)), exp.afterCount, `${label}: levels after count the remaining workloads`);
}

// ---- evaluate: each change type -----------------------------------------------

test('the before side is the current portfolio', async () => {
  const cat = await catalogue();
  const r = await ok('POST', EVAL, { changes: [{ type: 'withdraw_offering', offering: cat.offeringNamed('DeepSeek API').id }] });
  const live = cat.workloads.filter(active);
  for (const l of LEVELS) assert.equal(r.before.levels[l], live.filter((w) => w.risk.level === l).length, l);
  const conc = await ok('GET', '/api/v1/portfolio/concentration?basis=spend&connected=false');
  for (const layer of LAYERS) {
    assert.equal(r.before.hhi[layer], Math.round(conc.layers[layer].hhi), layer);
    assert.equal(r.before.bands[layer], conc.layers[layer].band, layer);
  }
  assert.deepEqual(r.before.concentration, conc);
  const summary = await ok('GET', '/api/v1/portfolio/summary');
  assert.equal(r.before.monthly_spend, summary.spend.monthly_total);
});

test('exit_group Microsoft: the stranded set is exactly the workloads with no alternative', async () => {
  const cat = await catalogue();
  const ms = cat.vendorNamed('Microsoft');
  const changes = [{ type: 'exit_group', vendor: ms.id }];
  const body = await ok('POST', EVAL, { changes });
  assert.deepEqual(body.changes, changes);
  const exp = evaluate(cat, changes);
  assertMatches(body, exp, 'exit Microsoft');
  // Every Microsoft-group offering (GitHub's too) is unavailable; OpenAI's
  // own offerings are not (a merged, closely connected group does not exit).
  for (const o of cat.offerings) {
    const ours = [o.provider, o.publisher, o.host].some((v) => v && cat.vendors.get(v).group.id === ms.group.id);
    assert.equal(body.unavailable_offerings.some((u) => u.id === o.id), ours, o.name);
  }
  assert.ok(body.unavailable_offerings.some((u) => u.name === 'GitHub Copilot'));
  assert.ok(!body.unavailable_offerings.some((u) => u.name === 'OpenAI API'));
  const stranded = body.workloads.filter((w) => w.outcome === 'stranded').map((w) => w.id).sort((a, b) => a - b);
  const expStranded = [...exp.outcomes].filter(([, o]) => o === 'stranded').map(([id]) => id).sort((a, b) => a - b);
  assert.deepEqual(stranded, expStranded);
  // Most of the portfolio depends on Microsoft: the exit affects a majority.
  assert.ok(body.summary.movable + body.summary.stranded > body.summary.unaffected);
  assert.equal(body.summary.unaffected + body.summary.movable + body.summary.stranded, cat.workloads.filter(active).length);
  // The provider HHI after, as the domain computes it, in the direction the
  // independent computation gives.
  assert.equal(Math.sign(Math.round(body.after.hhi.provider) - Math.round(body.before.hhi.provider)),
    Math.sign(Math.round(exp.after.hhi.provider) - Math.round(exp.before.hhi.provider)));
  assert.ok(!body.after.concentration.layers.provider.shares.some((s) => s.group === 'Microsoft'));
  // Exiting through a subsidiary (GitHub) exits its whole group: same answer.
  const viaGithub = await ok('POST', EVAL, { changes: [{ type: 'exit_group', vendor: cat.vendorNamed('GitHub').id }] });
  assert.deepEqual({ ...viaGithub, changes: null }, { ...body, changes: null });
});

test('exit Microsoft with Amazon Bedrock withdrawn strands the agent-platform workloads', async () => {
  const cat = await catalogue();
  // The catalogue has two agent platforms, Copilot Studio (Microsoft) and
  // Amazon Bedrock: with both gone, workloads on either without a swap layer
  // have no way out; everything else lost has an alternative.
  const changes = [{ type: 'exit_group', vendor: cat.vendorNamed('Microsoft').id },
    { type: 'withdraw_offering', offering: cat.offeringNamed('Amazon Bedrock').id }];
  const body = await ok('POST', EVAL, { changes });
  const exp = evaluate(cat, changes);
  assertMatches(body, exp, 'exit Microsoft, no Bedrock');
  const platforms = cat.offerings.filter((o) => o.category === 'platform').map((o) => o.id);
  assert.deepEqual(platforms.sort((a, b) => a - b),
    [cat.offeringNamed('Copilot Studio').id, cat.offeringNamed('Amazon Bedrock').id].sort((a, b) => a - b));
  const expected = cat.workloads.filter((w) => active(w) && !w.swap_layer &&
    w.dependencies.some((d) => platforms.includes(d.offering))).map((w) => w.id).sort((a, b) => a - b);
  assert.ok(expected.length >= 3, 'some workloads use an agent platform');
  assert.ok(expected.includes(cat.workloadNamed('HR policy assistant').id));
  // Changed with the one active set (domain.md rev. 2): the SMS claims status
  // bot is proposed, so pipeline, and counts in no scenario figure (it was
  // stranded here while every non-retired workload counted).
  const sms = cat.workloadNamed('SMS claims status bot');
  assert.equal(sms.status, 'proposed');
  assert.ok(!expected.includes(sms.id));
  assert.ok(!body.workloads.some((w) => w.id === sms.id));
  const stranded = body.workloads.filter((w) => w.outcome === 'stranded');
  assert.deepEqual(stranded.map((w) => w.id).sort((a, b) => a - b), expected);
  for (const w of stranded) {
    const l = w.lost.find((x) => platforms.includes(x.offering.id));
    assert.equal(l.alternative, null, w.name);
    assert.equal(w.migration_days, 120);   // proprietary
  }
  assert.equal(cents(body.summary.spend_stranded), sum(expected.map((id) => cents(cat.workloads.find((w) => w.id === id).monthly_spend))));
  assert.equal(cents(body.after.monthly_spend) + cents(body.summary.spend_stranded), cents(body.before.monthly_spend));
  assert.ok(body.after.hhi.provider !== body.before.hhi.provider);

  // add_swap_layer makes a stranded workload movable (14 days).
  const one = expected[0];
  const withSwap = [...changes, { type: 'add_swap_layer', workloads: [one] }];
  const b2 = await ok('POST', EVAL, { changes: withSwap });
  assertMatches(b2, evaluate(cat, withSwap), 'with a swap layer');
  const row = b2.workloads.find((w) => w.id === one);
  assert.equal(row.outcome, 'movable');
  assert.equal(row.migration_days, 14);
  assert.equal(b2.summary.stranded, body.summary.stranded - 1);
  assert.equal(b2.summary.movable, body.summary.movable + 1);
});

test('withdraw_offering moves Cosmos DB users to the first other-group data store', async () => {
  const cat = await catalogue();
  const cosmos = cat.offeringNamed('Azure Cosmos DB');
  const changes = [{ type: 'withdraw_offering', offering: cosmos.id }];
  const body = await ok('POST', EVAL, { changes });
  assertMatches(body, evaluate(cat, changes), 'withdraw Cosmos DB');
  assert.deepEqual(body.unavailable_offerings, [{ id: cosmos.id, name: 'Azure Cosmos DB' }]);
  // The alternative is a data store from another group: Azure AI Search is
  // Microsoft's, so Amazon OpenSearch Service (the smallest such id).
  const users = cat.workloads.filter((w) => active(w) && w.dependencies.some((d) => d.offering === cosmos.id));
  assert.equal(body.workloads.length, users.length);
  for (const w of body.workloads) {
    assert.equal(w.outcome, 'movable');
    assert.deepEqual(w.lost, [{ offering: { id: cosmos.id, name: 'Azure Cosmos DB' },
      alternative: { id: cat.offeringNamed('Amazon OpenSearch Service').id, name: 'Amazon OpenSearch Service' } }]);
  }
  // Cosmos DB is proprietary: 120 days without a swap layer, 14 with; its
  // longest covering customer notice is the MACC's 60 days.
  assert.equal(body.time_to_exit.notice_days, 60);
  assert.equal(body.time_to_exit.migration_days, 120);
  assert.equal(body.time_to_exit.days, 180);
  assert.equal(body.summary.stranded, 0);
});

test('end_contract makes its offerings unavailable; notice from the longest covering contract', async () => {
  const cat = await catalogue();
  const ptu = cat.contractNamed('Azure OpenAI provisioned throughput reservation (1 year)');
  const changes = [{ type: 'end_contract', contract: ptu.id, on: '2026-07-15' }];
  const body = await ok('POST', EVAL, { changes });
  assertMatches(body, evaluate(cat, changes), 'end the PTU reservation');
  const aoai = cat.offeringNamed('Azure OpenAI in Azure AI Foundry');
  assert.deepEqual(body.unavailable_offerings.map((o) => o.id), [aoai.id]);
  // Azure OpenAI is covered by the MACC (60 days), the reservation (30) and
  // the co-innovation agreement (180): 180. It is OpenAI-compatible: 45
  // days without a swap layer. 180 + 45 = 225.
  assert.deepEqual(body.time_to_exit, { days: 225, notice_days: 180, migration_days: 45 });
  // Its alternative is the OpenAI API (the first other-group model API).
  for (const w of body.workloads) {
    assert.equal(w.outcome, 'movable');
    assert.equal(w.lost[0].alternative.name, 'OpenAI API');
  }
});

test('add_swap_layer alone affects no workload and lowers the lock-in of those named', async () => {
  const cat = await catalogue();
  // Workloads without a swap layer whose level drops when its 20 points go
  // (a 95 stays critical at 75, so not every one moves).
  const model = await ok('GET', '/api/v1/risk/model');
  const level = (s) => (s >= 75 ? 'critical' : s >= 50 ? 'high' : s >= 25 ? 'medium' : 'low');
  const raw = (w) => sum(w.risk.factors.map((f) => f.points));
  const drop = (w) => level(Math.min(100, raw(w) - model.weights.no_swap_layer));
  const targets = cat.workloads.filter((w) => active(w) && !w.swap_layer && drop(w) !== w.risk.level).slice(0, 4);
  assert.equal(targets.length, 4);
  const changes = [{ type: 'add_swap_layer', workloads: targets.map((w) => w.id) }];
  const body = await ok('POST', EVAL, { changes });
  assertMatches(body, evaluate(cat, changes), 'add swap layers');
  assert.equal(body.summary.unaffected, cat.workloads.filter(active).length);
  assert.equal(body.workloads.length, 0);
  assert.deepEqual(body.time_to_exit, { days: 0, notice_days: 0, migration_days: 0 });
  for (const layer of LAYERS) assert.equal(body.after.hhi[layer], body.before.hhi[layer]);
  // Each named workload loses its no_swap_layer points (20): the levels
  // after are the levels before with those workloads moved.
  const expected = Object.fromEntries(LEVELS.map((l) => [l, 0]));
  for (const w of cat.workloads.filter(active)) expected[targets.some((t) => t.id === w.id) ? drop(w) : w.risk.level]++;
  assert.deepEqual(body.after.levels, expected);
  assert.notDeepEqual(body.after.levels, body.before.levels);
});

// ---- evaluate: validation ------------------------------------------------------

test('invalid scenarios answer 400 with a pointer to the change', async () => {
  const cat = await catalogue();
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'acquire_vendor', vendor: 1 }] }), '/changes/0/type');
  assertPointers(await req('POST', EVAL, { changes: [{ vendor: 1 }] }), '/changes/0/type');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'exit_group' }] }), '/changes/0/vendor');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'exit_group', vendor: 'Microsoft' }] }), '/changes/0/vendor');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'withdraw_offering' }] }), '/changes/0/offering');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'end_contract', contract: 1 }] }), '/changes/0/on');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'end_contract', contract: 1, on: '2026-02-30' }] }), '/changes/0/on');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'add_swap_layer', workloads: [] }] }), '/changes/0/workloads');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'exit_group', vendor: 1, colour: 'red' }] }), '/changes/0/colour');
  assertPointers(await req('POST', EVAL, { changes: [] }), '/changes');
  assertPointers(await req('POST', EVAL, { changes: {} }), '/changes');
  assertPointers(await req('POST', EVAL, {}), '/changes');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'exit_group', vendor: 1 }], colour: 'red' }), '/colour');
  // The second change is the bad one.
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'exit_group', vendor: 1 }, { type: 'nope' }] }), '/changes/1/type');
  // Well-formed, but naming records that do not exist.
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'exit_group', vendor: 999999 }] }), '/changes/0/vendor');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'withdraw_offering', offering: 999999 }] }), '/changes/0/offering');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'end_contract', contract: 999999, on: '2026-12-31' }] }), '/changes/0/contract');
  const w = cat.workloads[0].id;
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'add_swap_layer', workloads: [w, 999999] }] }), '/changes/0/workloads/1');
  assertProblem(await req('POST', EVAL, 'not json', { 'Content-Type': 'text/plain' }), 415);
});

// ---- evaluate writes nothing -------------------------------------------------------

const sha256 = (path) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null);
// SQLite: the file and its WAL; PostgreSQL: everything pg_dump finds.
const digest = (db) => (onPostgres ? { db: createHash('sha256').update(dbBytes(db)).digest('hex') }
  : { db: sha256(db), wal: sha256(`${db}-wal`) });

async function state() {
  const out = digest(srv.db);
  for (const coll of ['vendors', 'offerings', 'contracts', 'workloads', 'scenarios', 'users', 'tokens']) {
    const r = await req('GET', `/api/v1/${coll}?limit=500`);
    assert.equal(r.status, 200, coll);
    out[coll] = JSON.stringify(r.body);
  }
  for (const path of ['/api/v1/audit/head', '/api/v1/audit?limit=500', '/api/v1/risk/model',
    '/api/v1/portfolio/summary', '/api/v1/portfolio/concentration?basis=workloads&connected=true',
    '/api/v1/strategies/azure']) {
    const r = await req('GET', path);
    assert.equal(r.status, 200, path);
    out[path] = JSON.stringify(r.body);
  }
  return out;
}

test('evaluate leaves the database byte for byte unchanged', async () => {
  const cat = await catalogue();
  const scenarios = [
    [{ type: 'exit_group', vendor: cat.vendorNamed('Microsoft').id }],
    [{ type: 'withdraw_offering', offering: cat.offeringNamed('Azure Cosmos DB').id },
      { type: 'end_contract', contract: cat.contractNamed('OpenAI Enterprise Agreement').id, on: '2026-08-09' },
      { type: 'add_swap_layer', workloads: cat.workloads.slice(0, 5).map((w) => w.id) }],
    [{ type: 'exit_group', vendor: cat.vendorNamed('OpenAI').id }, { type: 'exit_group', vendor: cat.vendorNamed('Amazon').id }],
  ];
  // An API token's last use is recorded at most once a minute (a write that
  // is not the scenario's); the server's clock is pinned (NOW), so that
  // write happens at the first request below and never between the two
  // looks at the database.
  await ok('GET', '/api/v1/health');                  // the token's touch for this minute
  await ok('GET', '/api/v1/workloads?limit=1');
  const before = await state();
  assert.ok(before.db, 'the database file exists');
  for (const changes of scenarios) await ok('POST', EVAL, { changes, name: 'not saved' });
  // And invalid ones.
  assertProblem(await req('POST', EVAL, { changes: [{ type: 'exit_group', vendor: 999999 }] }), 400);
  const afterState = await state();
  assert.deepEqual(afterState, before);
  // Nothing was saved as a scenario either.
  assert.equal((await listAll('scenarios')).length, 0);
});

// ---- saved scenarios ---------------------------------------------------------------

test('saved scenarios: create, list, get, patch, evaluate, delete', async () => {
  const cat = await catalogue();
  const changes = [{ type: 'exit_group', vendor: cat.vendorNamed('Microsoft').id },
    { type: 'add_swap_layer', workloads: [cat.workloadNamed('Claims triage assistant').id] }];
  const c = await req('POST', COLL, { name: 'Exit Microsoft', description: 'What if the Microsoft group exits?', changes });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const loc = c.headers.get('location');
  assert.equal(loc, `${COLL}/${c.body.id}`);
  assert.equal(c.body.name, 'Exit Microsoft');
  assert.equal(c.body.description, 'What if the Microsoft group exits?');
  assert.deepEqual(c.body.changes, changes);

  const list = await ok('GET', COLL);
  assert.ok(list.items.some((s) => s.id === c.body.id));
  assert.equal(list.total, list.items.length);
  const g = await ok('GET', loc);
  assert.deepEqual(g, c.body);

  const p = await ok('PATCH', loc, { name: 'Exit Microsoft (v2)' });
  assert.equal(p.name, 'Exit Microsoft (v2)');
  assert.deepEqual(p.changes, changes);
  assert.equal(p.description, c.body.description);
  const p2 = await ok('PATCH', loc, { changes: [changes[0]] });
  assert.deepEqual(p2.changes, [changes[0]]);
  assert.deepEqual((await ok('GET', loc)).changes, [changes[0]]);

  // A saved scenario evaluates like the same changes sent directly.
  const direct = await ok('POST', EVAL, { changes: p2.changes });
  assert.deepEqual(await ok('POST', EVAL, { changes: (await ok('GET', loc)).changes }), direct);

  // Invalid changes are refused with the same pointers as evaluate.
  assertPointers(await req('POST', COLL, { name: 'Bad', changes: [{ type: 'nope' }] }), '/changes/0/type');
  assertPointers(await req('PATCH', loc, { changes: [{ type: 'exit_group' }] }), '/changes/0/vendor');
  assertPointers(await req('POST', COLL, { changes }), '/name');

  const d = await req('DELETE', loc);
  assert.equal(d.status, 204);
  assertProblem(await req('GET', loc), 404);
  assert.ok(!(await ok('GET', COLL)).items.some((s) => s.id === c.body.id));
});

test('viewers may evaluate and read but not save; architects may save', async () => {
  const cat = await catalogue();
  const viewer = { Authorization: `Bearer ${await srv.tokenFor('viewer')}` };
  const architect = { Authorization: `Bearer ${await srv.tokenFor('architect')}` };
  const changes = [{ type: 'withdraw_offering', offering: cat.offeringNamed('Claude API').id }];
  const ev = await req('POST', EVAL, { changes }, viewer);
  assert.equal(ev.status, 200, JSON.stringify(ev.body));
  assertProblem(await req('POST', COLL, { name: 'Viewer scenario', changes }, viewer), 403);
  assert.ok(!(await ok('GET', COLL)).items.some((s) => s.name === 'Viewer scenario'));

  const c = await req('POST', COLL, { name: 'Architect scenario', changes }, architect);
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const loc = c.headers.get('location');
  const seen = await req('GET', loc, undefined, viewer);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.name, 'Architect scenario');
  assertProblem(await req('PATCH', loc, { name: 'Renamed by a viewer' }, viewer), 403);
  assertProblem(await req('DELETE', loc, undefined, viewer), 403);
  const renamed = await req('PATCH', loc, { name: 'Architect scenario (v2)' }, architect);
  assert.equal(renamed.status, 200);
  assert.equal((await req('DELETE', loc, undefined, architect)).status, 204);
  // Without credentials: 401.
  assertProblem(await req('POST', EVAL, { changes }, { Authorization: '' }), 401);
});
