// scenarios.test.mjs - what-if scenarios over the demo portfolio:
// POST /api/v1/scenarios/evaluate for every change type, its validation, the
// outcome, reason, replacements and time to exit of every workload and the
// before/after figures checked against an evaluator written here from the
// rules of domain.md "What-if scenarios" (server/core/scenario.h) and the
// catalogue (offering category and interface, groups from GET /vendors
// group.id, contracts' dates, workloads' alternatives and their drills);
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
  // The exit drills of every workload that names an alternative.
  cat.drills = new Map();
  for (const w of workloads.filter((x) => (x.alternatives || []).length))
    cat.drills.set(w.id, (await ok('GET', `/api/v1/workloads/${w.id}/drills`)).items);
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

// ---- an independent evaluator (domain.md "What-if scenarios", server/core/scenario.h)

const DAY = 86400000;
const days = (s) => Math.round(Date.parse(`${s}T00:00:00Z`) / DAY);
const date = (d) => new Date(d * DAY).toISOString().slice(0, 10);
// Adds months to a date, clamping the day to the month's length.
function addMonths(s, m) {
  const [y, mo, d] = s.split('-').map(Number);
  const total = y * 12 + (mo - 1) + m;
  const ny = Math.floor(total / 12), nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
// The end of a contract's term current on a day (auto-renewal rolls forward); null: open-ended.
function currentEnd(k, on) {
  if (!k.end_date) return null;
  let end = k.end_date;
  if (k.auto_renew && k.renewal_months > 0) while (end < on) end = addMonths(end, k.renewal_months);
  return end;
}
const maxDate = (a, b) => (a === null ? b : b === null ? a : a > b ? a : b);
const minDate = (a, b) => (a === null ? b : b === null ? a : a < b ? a : b);
const PATH_DAYS = { drilled_alternative: 7, swap_layer: 14, openai_compatible: 45, proprietary: 120 };
const compatible = (a, b) => (a.interface === 'openai_compatible' && b.interface === 'openai_compatible') ||
  (a.interface === 'open_standard' && b.interface === 'open_standard');

function hhiBySpend(cat, workloads) {
  const group = (vid) => cat.vendors.get(vid).group.id;
  const out = {};
  for (const layer of LAYERS) {
    const amounts = new Map();
    let total = 0;
    for (const w of workloads) {
      if (!(w.monthly_spend > 0)) continue;
      // Split evenly over the dependencies that have a group in the layer
      // (domain.md rev. 2 "Concentration"); identity and tooling carry none.
      const parts = [];
      for (const d of w.dependencies) {
        if (!['model', 'hosting', 'assistant', 'data'].includes(d.role)) continue;
        const vid = cat.offering.get(d.offering)[layer];
        if (vid) parts.push(group(vid));
        else if (layer === 'host') parts.push('self');
      }
      if (!parts.length) continue;
      for (const g of parts) amounts.set(g, (amounts.get(g) || 0) + w.monthly_spend / parts.length);
      total += w.monthly_spend;
    }
    out[layer] = total > 0 ? sum([...amounts.values()].map((a) => (100 * a / total) ** 2)) : 0;
  }
  return out;
}

// What the changes withdraw: a group's offerings (provided or hosted) and
// its closed models wherever hosted; withdrawn offerings; a contract's
// offerings from its end date unless another customer contract in force
// that day covers them.
function withdrawals(cat, changes) {
  const group = (vid) => cat.vendors.get(vid).group.id;
  const exited = new Set(changes.filter((c) => c.type === 'exit_group').map((c) => group(c.vendor)));
  const endOn = new Map();
  for (const c of changes.filter((x) => x.type === 'end_contract'))
    endOn.set(c.contract, endOn.has(c.contract) ? minDate(endOn.get(c.contract), c.on) : c.on);
  const out = new Set();
  for (const o of cat.offerings) {
    if (exited.has(group(o.provider)) || (o.host && exited.has(group(o.host))) ||
        (o.publisher && !o.open_weight && exited.has(group(o.publisher)))) out.add(o.id);
  }
  for (const c of changes) if (c.type === 'withdraw_offering') out.add(c.offering);
  const inForce = (k, on) => k.kind === 'customer' && !(endOn.has(k.id) && endOn.get(k.id) <= on) &&
    k.start_date <= on && (currentEnd(k, on) === null || currentEnd(k, on) >= on);
  for (const [cid, on] of endOn) {
    for (const o of cat.contracts.find((k) => k.id === cid).offerings) {
      if (!cat.contracts.some((k) => k.id !== cid && k.offerings.includes(o) && inForce(k, on))) out.add(o);
    }
  }
  return { withdrawn: out, endOn };
}

// The latest drill of a workload's alternative on or before today, and
// whether it proves the exit (passed within 180 days).
function proves(cat, w, dep, alt, extra) {
  const drills = [...(cat.drills.get(w.id) || []), ...extra.filter((d) => d.workload === w.id)]
    .filter((d) => d.dependency === dep && d.offering === alt && d.drilled_on <= TODAY)
    .sort((a, b) => (a.drilled_on < b.drilled_on ? -1 : a.drilled_on > b.drilled_on ? 1 : a.id - b.id));
  const last = drills[drills.length - 1];
  return last && last.result === 'passed' && days(TODAY) - days(last.drilled_on) <= 180 ? last : null;
}

// The replacement of one withdrawn dependency: { replacement, path }.
function replace(cat, w, lost, role, swap, withdrawn, extra) {
  const named = (w.alternatives || []).filter((a) => a.dependency === lost.id && !withdrawn.has(a.offering));
  if (named.length) {
    const proven = named.find((a) => proves(cat, w, lost.id, a.offering, extra));
    const pick = cat.offering.get((proven || named[0]).offering);
    return { replacement: pick.id, path: proven ? 'drilled_alternative' : swap ? 'swap_layer'
      : compatible(lost, pick) ? 'openai_compatible' : 'proprietary' };
  }
  const standard = role === 'identity' || role === 'tooling';
  if ((!swap && !standard) || lost.interface === 'proprietary' ||
      (!standard && (w.proprietary_features || []).length)) return { replacement: null, path: 'proprietary' };
  const candidates = cat.offerings.filter((o) => !withdrawn.has(o.id) && o.id !== lost.id &&
    o.category === lost.category && compatible(lost, o));
  const pick = candidates.find((o) => w.dependencies.some((d) => d.offering === o.id)) || candidates[0];
  if (!pick) return { replacement: null, path: 'proprietary' };
  return { replacement: pick.id, path: swap ? 'swap_layer' : 'openai_compatible' };
}

// Time to exit: the latest of notice deadline, exclusivity end and
// commitment end of the customer contracts in force today covering a
// relied-on withdrawn offering (an ended contract binds no later than its
// end date), never before today, plus the longest migration.
function timeToExit(cat, relied, endOn, migration) {
  const t = { notice_deadline: null, exclusivity_end: null, commitment_end: null, contract_end: null, notice_days: 0 };
  for (const k of cat.contracts) {
    const end = currentEnd(k, TODAY);
    if (k.kind !== 'customer' || (end !== null && end < TODAY) || !k.offerings.some((o) => relied.has(o))) continue;
    let notice = end === null ? null : date(days(end) - k.notice_days);
    let excl = k.exclusive ? (k.exclusive_until || end) : null;
    let commit = k.committed_spend > 0 ? (k.committed_until || end) : null;
    const on = endOn.get(k.id);
    if (on) {
      [notice, excl, commit] = [notice, excl, commit].map((x) => (x === null ? null : minDate(x, on)));
      t.contract_end = maxDate(t.contract_end, on);
    }
    t.notice_deadline = maxDate(t.notice_deadline, notice);
    t.exclusivity_end = maxDate(t.exclusivity_end, excl);
    t.commitment_end = maxDate(t.commitment_end, commit);
    t.notice_days = Math.max(t.notice_days, k.notice_days);
  }
  const binding = [t.notice_deadline, t.exclusivity_end, t.commitment_end, t.contract_end].reduce(maxDate, TODAY);
  const exitOn = date(days(binding) + migration);
  return { days: days(exitOn) - days(TODAY), exit_on: exitOn, binding_until: binding, ...t, migration_days: migration };
}

function evaluate(cat, changes) {
  const { withdrawn, endOn } = withdrawals(cat, changes);
  const swapped = new Set(changes.filter((c) => c.type === 'add_swap_layer').flatMap((c) => c.workloads));
  const extra = changes.filter((c) => c.type === 'drill_alternative').map((c, i) => ({
    id: 1e15 + i, workload: c.workload, dependency: c.dependency, offering: c.alternative,
    drilled_on: TODAY, result: 'passed' }));
  const result = { unavailable: withdrawn, outcomes: new Map(), lost: new Map(), migration: new Map(),
    counts: { unaffected: 0, movable: 0, stranded: 0 }, spendAtRisk: 0, spendStranded: 0, usersAtRisk: 0,
    criticalAtRisk: 0, criticalStranded: 0 };
  const afterWorkloads = [];
  const relied = new Set();
  let migration = 0;
  for (const w of cat.workloads) {
    if (!active(w)) continue;
    const lostIds = [...new Set(w.dependencies.map((d) => d.offering).filter((o) => withdrawn.has(o)))];
    if (!lostIds.length) {
      result.outcomes.set(w.id, 'unaffected');
      result.counts.unaffected++;
      afterWorkloads.push(w);
      continue;
    }
    const swap = w.swap_layer || swapped.has(w.id);
    const lost = lostIds.map((id) => ({ offering: id, role: w.dependencies.find((d) => d.offering === id).role,
      ...replace(cat, w, cat.offering.get(id), w.dependencies.find((d) => d.offering === id).role, swap, withdrawn, extra) }));
    const outcome = lost.every((l) => l.replacement) ? 'movable' : 'stranded';
    // Features go with model, hosting, assistant or data moves, not identity or tooling.
    const features = lost.some((l) => !['identity', 'tooling'].includes(l.role)) ? (w.proprietary_features || []).length : 0;
    const wdays = Math.max(...lost.map((l) => PATH_DAYS[l.path])) + 30 * features;
    result.outcomes.set(w.id, outcome);
    result.lost.set(w.id, lost);
    result.migration.set(w.id, wdays);
    result.counts[outcome]++;
    result.spendAtRisk += cents(w.monthly_spend);
    result.usersAtRisk += w.users;
    if (w.criticality === 'critical') result.criticalAtRisk++;
    if (outcome === 'stranded') {
      result.spendStranded += cents(w.monthly_spend);
      if (w.criticality === 'critical') result.criticalStranded++;
    }
    for (const id of lostIds) relied.add(id);
    migration = Math.max(migration, wdays);
    if (outcome === 'movable') {
      const to = new Map(lost.map((l) => [l.offering, l.replacement]));
      afterWorkloads.push({ ...w, dependencies: w.dependencies.map((d) => (to.has(d.offering) ? { ...d, offering: to.get(d.offering) } : d)) });
    }
  }
  const live = cat.workloads.filter(active);
  result.timeToExit = timeToExit(cat, relied, endOn, migration);
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
  assert.equal(body.summary.users_at_risk, exp.usersAtRisk, `${label}: users at risk`);
  assert.equal(body.summary.critical_at_risk, exp.criticalAtRisk, `${label}: critical at risk`);
  assert.equal(body.summary.critical_stranded, exp.criticalStranded, `${label}: critical stranded`);
  assert.deepEqual(body.unavailable_offerings.map((o) => o.id), [...exp.unavailable].sort((a, b) => a - b), `${label}: unavailable`);
  // Exactly the affected workloads are listed, each with its outcome, its
  // withdrawn dependencies in dependency order, their replacements and paths.
  const affected = [...exp.outcomes].filter(([, o]) => o !== 'unaffected').map(([id]) => id).sort((a, b) => a - b);
  assert.deepEqual(body.workloads.map((w) => w.id).sort((a, b) => a - b), affected, `${label}: affected`);
  for (const w of body.workloads) {
    assert.equal(w.outcome, exp.outcomes.get(w.id), `${label}: outcome of ${w.name}`);
    assert.equal(w.migration_days, exp.migration.get(w.id), `${label}: migration of ${w.name}`);
    assert.match(w.reason, w.outcome === 'movable' ? /^Movable in \d+ days: / : /^Stranded: /, `${label}: reason of ${w.name}`);
    const lost = exp.lost.get(w.id);
    assert.deepEqual(w.lost.map((l) => ({ offering: l.offering.id, role: l.role, replacement: l.replacement ? l.replacement.id : null,
      path: l.path })), lost.map((l) => ({ ...l, path: l.replacement ? l.path : null })), `${label}: lost by ${w.name}`);
    for (const l of w.lost) {
      assert.deepEqual(l.alternative, l.replacement, `${label}: alternative kept as replacement`);
      assert.ok(w.reason.includes(l.offering.name), `${label}: ${w.name}'s reason names ${l.offering.name}`);
      if (l.replacement) assert.ok(w.reason.includes(`moves to ${l.replacement.name}`), `${label}: reason names ${l.replacement.name}`);
    }
    assert.deepEqual(w.replacements.map((o) => o.id), lost.filter((l) => l.replacement).map((l) => l.replacement), `${label}: replacements of ${w.name}`);
  }
  assert.deepEqual(body.time_to_exit, exp.timeToExit, `${label}: time to exit`);
  for (const layer of LAYERS) {
    assert.ok(Math.abs(body.before.hhi[layer] - exp.before.hhi[layer]) <= 1, `${label}: before ${layer} ${body.before.hhi[layer]} vs ${exp.before.hhi[layer]}`);
    assert.ok(Math.abs(body.after.hhi[layer] - exp.after.hhi[layer]) <= 1, `${label}: after ${layer} ${body.after.hhi[layer]} vs ${exp.after.hhi[layer]}`);
  }
  assert.equal(cents(body.before.monthly_spend), exp.before.spend, `${label}: spend before`);
  assert.equal(cents(body.after.monthly_spend), exp.after.spend, `${label}: spend after`);
  assert.equal(cents(body.after.stranded_spend), exp.spendStranded, `${label}: stranded spend apart`);
  assert.equal(body.before.stranded_spend, 0, `${label}: nothing stranded before`);
  assert.equal(sum(Object.values(body.after.levels)), exp.afterCount, `${label}: levels after count the remaining workloads`);
}

const byName = (body, name) => { const w = body.workloads.find((x) => x.name === name); assert.ok(w, `${name} affected`); return w; };

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

test('exit_group Microsoft strands some workloads and leaves others movable', async () => {
  const cat = await catalogue();
  const ms = cat.vendorNamed('Microsoft');
  const changes = [{ type: 'exit_group', vendor: ms.id }];
  const body = await ok('POST', EVAL, { changes });
  assert.deepEqual(body.changes, changes);
  const exp = evaluate(cat, changes);
  assertMatches(body, exp, 'exit Microsoft');
  // Withdrawn: what the group provides or hosts (GitHub's too), and the
  // closed models it publishes (none); OpenAI's own offerings and the
  // organisation's open-weight models on Amazon stay.
  const group = (v) => v && cat.vendors.get(v).group.id;
  for (const o of cat.offerings) {
    const ours = group(o.provider) === ms.group.id || group(o.host) === ms.group.id;
    assert.equal(body.unavailable_offerings.some((u) => u.id === o.id), ours, o.name);
  }
  assert.ok(body.unavailable_offerings.some((u) => u.name === 'GitHub Copilot'));
  assert.ok(!body.unavailable_offerings.some((u) => u.name === 'OpenAI API'));
  assert.ok(!body.unavailable_offerings.some((u) => u.name === 'gpt-oss (self-hosted, open weight)'));
  assert.ok(body.summary.stranded > 0 && body.summary.movable > 0, JSON.stringify(body.summary));
  assert.equal(body.summary.unaffected + body.summary.movable + body.summary.stranded, cat.workloads.filter(active).length);
  // Reference case 1: on Azure OpenAI and Azure AI Search, no swap layer,
  // no alternative: stranded, saying what is missing.
  const triage = byName(body, 'Claims triage assistant');
  const triageFeatures = cat.workloadNamed('Claims triage assistant').proprietary_features.length;
  assert.ok(triageFeatures > 1);
  assert.equal(triage.outcome, 'stranded');
  assert.equal(triage.migration_days, 120 + 30 * triageFeatures);
  assert.deepEqual(triage.replacements.map((o) => o.name), ['Okta Workforce Identity']);
  assert.equal(triage.reason, 'Stranded: Azure OpenAI in Microsoft Foundry Models has no reachable replacement: no named ' +
    'alternative and no swap layer; Azure AI Search has no reachable replacement: no named alternative and no swap ' +
    'layer; Azure Cosmos DB has no reachable replacement: no named alternative and no swap layer; Microsoft Entra ID ' +
    'moves to Okta Workforce Identity (same category, same open standard); ' +
    `${triageFeatures} proprietary features add ${30 * triageFeatures} days.`);
  // Reference case 2: behind a gateway, both drilled last month: movable to
  // its named alternatives (7 days each; Entra ID to Okta through the swap
  // layer, 14).
  const intake = byName(body, 'Broker submission intake');
  assert.equal(intake.outcome, 'movable');
  assert.deepEqual(intake.replacements.map((o) => o.name), ['OpenAI API', 'Amazon OpenSearch Service', 'Okta Workforce Identity']);
  assert.deepEqual(intake.lost.map((l) => l.path), ['drilled_alternative', 'drilled_alternative', 'swap_layer']);
  assert.equal(intake.migration_days, 14);
  assert.match(intake.reason, /^Movable in 14 days: Azure OpenAI in Microsoft Foundry Models moves to OpenAI API, its named alternative \(exit drill passed on \d{4}-\d\d-\d\d\)/);
  // A proprietary assistant with no named alternative is stranded.
  assert.equal(byName(body, 'Microsoft 365 Copilot general rollout').outcome, 'stranded');
  assert.equal(byName(body, 'Developer coding assistant').outcome, 'stranded');
  // ChatGPT Enterprise only loses Entra ID: Okta is the same open standard
  // (45 days without a swap layer); its ChatGPT features do not move.
  const chatgpt = byName(body, 'ChatGPT Enterprise for analysts and actuaries');
  assert.equal(chatgpt.outcome, 'movable');
  assert.equal(chatgpt.migration_days, 45);
  assert.equal(chatgpt.reason, 'Movable in 45 days: Microsoft Entra ID moves to Okta Workforce Identity (same category, same open standard).');
  // The self-hosted Llama on Amazon is untouched.
  assert.ok(!body.workloads.some((w) => w.name === 'Health claims restricted-data extraction'));
  // Stranded spend is reported apart; movable spend moves to the replacements' groups.
  assert.equal(cents(body.after.monthly_spend) + cents(body.summary.spend_stranded), cents(body.before.monthly_spend));
  assert.ok(!body.after.concentration.layers.provider.shares.some((s) => s.group === 'Microsoft'));
  // Exiting through a subsidiary (GitHub) exits its whole group: same answer.
  const viaGithub = await ok('POST', EVAL, { changes: [{ type: 'exit_group', vendor: cat.vendorNamed('GitHub').id }] });
  assert.deepEqual({ ...viaGithub, changes: null }, { ...body, changes: null });
});

test('a swap layer reaches a compatible model but never a proprietary store', async () => {
  const cat = await catalogue();
  const exit = { type: 'exit_group', vendor: cat.vendorNamed('Microsoft').id };
  // Reinsurance treaty comparison: Azure OpenAI and Entra ID, no swap layer:
  // stranded; with one, movable (14 days).
  const treaty = cat.workloadNamed('Reinsurance treaty comparison');
  const triage = cat.workloadNamed('Claims triage assistant');
  const body = await ok('POST', EVAL, { changes: [exit] });
  assert.equal(byName(body, treaty.name).outcome, 'stranded');
  const changes = [exit, { type: 'add_swap_layer', workloads: [treaty.id, triage.id] }];
  const b2 = await ok('POST', EVAL, { changes });
  assertMatches(b2, evaluate(cat, changes), 'with swap layers');
  const row = byName(b2, treaty.name);
  assert.equal(row.outcome, 'movable');
  assert.equal(row.migration_days, 14);
  assert.equal(row.lost[0].path, 'swap_layer');
  // The claims triage assistant's model moves, but Azure AI Search and
  // Cosmos DB are proprietary: still stranded.
  const t = byName(b2, triage.name);
  assert.equal(t.outcome, 'stranded');
  assert.match(t.reason, /Azure AI Search has no reachable replacement: no named alternative, and nothing is compatible with its proprietary interface/);
  assert.equal(b2.summary.stranded, body.summary.stranded - 1);
  assert.equal(b2.summary.movable, body.summary.movable + 1);
});

test('withdraw_offering Cosmos DB strands its users; time to exit runs to the commitment end', async () => {
  const cat = await catalogue();
  const cosmos = cat.offeringNamed('Azure Cosmos DB');
  const changes = [{ type: 'withdraw_offering', offering: cosmos.id }];
  const body = await ok('POST', EVAL, { changes });
  const exp = evaluate(cat, changes);
  assertMatches(body, exp, 'withdraw Cosmos DB');
  assert.deepEqual(body.unavailable_offerings, [{ id: cosmos.id, name: 'Azure Cosmos DB' }]);
  // A proprietary data store no workload names an alternative for: every
  // user is stranded, swap layer or not.
  const users = cat.workloads.filter((w) => active(w) && w.dependencies.some((d) => d.offering === cosmos.id));
  assert.equal(body.workloads.length, users.length);
  for (const w of body.workloads) {
    assert.equal(w.outcome, 'stranded', w.name);
    // A rebuild, 120 days, and 30 for each proprietary feature relied on.
    assert.equal(w.migration_days, 120 + 30 * cat.workloadNamed(w.name).proprietary_features.length, w.name);
  }
  // Only the MACC covers Cosmos DB: it commits spend with no end of its own,
  // so until its end; + 120 days.
  const macc = cat.contractNamed('Microsoft Azure Consumption Commitment (MACC)');
  assert.equal(body.time_to_exit.commitment_end, macc.end_date);
  assert.equal(body.time_to_exit.binding_until, macc.end_date);
  assert.equal(body.time_to_exit.days, days(macc.end_date) - days(TODAY) + body.time_to_exit.migration_days);
  assert.equal(body.time_to_exit.migration_days, Math.max(...body.workloads.map((w) => w.migration_days)));
  assert.equal(body.summary.movable, 0);
});

test('end_contract withdraws nothing another contract in force still covers', async () => {
  const cat = await catalogue();
  const ptu = cat.contractNamed('Azure OpenAI provisioned throughput reservation (1 year)');
  const changes = [{ type: 'end_contract', contract: ptu.id, on: '2026-07-15' }];
  const body = await ok('POST', EVAL, { changes });
  assertMatches(body, evaluate(cat, changes), 'end the PTU reservation');
  // Azure OpenAI is also covered by the MACC and the co-innovation agreement.
  assert.deepEqual(body.unavailable_offerings, []);
  assert.equal(body.workloads.length, 0);
  assert.equal(body.time_to_exit.days, 0);
  // Ending all three on that day withdraws it, and their other offerings
  // nobody else covers; each binds no later than its end: 2026-07-15.
  const all = ['Azure OpenAI provisioned throughput reservation (1 year)', 'Microsoft Azure Consumption Commitment (MACC)',
    'Microsoft AI co-innovation agreement (customer channels)'].map((n) => ({ type: 'end_contract', contract: cat.contractNamed(n).id, on: '2026-07-15' }));
  const b2 = await ok('POST', EVAL, { changes: all });
  const exp = evaluate(cat, all);
  assertMatches(b2, exp, 'end the three Azure contracts');
  assert.ok(b2.unavailable_offerings.some((o) => o.name === 'Azure OpenAI in Microsoft Foundry Models'));
  assert.equal(b2.time_to_exit.contract_end, '2026-07-15');
  assert.equal(b2.time_to_exit.binding_until, '2026-07-15');
  assert.equal(b2.time_to_exit.days, 75 + b2.time_to_exit.migration_days);
  assert.ok(b2.summary.stranded > 0 && b2.summary.movable > 0, JSON.stringify(b2.summary));
});

test('drill_alternative makes the named alternative the drilled path', async () => {
  const cat = await catalogue();
  const w = cat.workloadNamed('Subrogation letter drafting');
  const aoai = cat.offeringNamed('Azure OpenAI in Microsoft Foundry Models');
  const mistral = cat.offeringNamed('Mistral AI API (La Plateforme)');
  const withdraw = { type: 'withdraw_offering', offering: aoai.id };
  const body = await ok('POST', EVAL, { changes: [withdraw] });
  assert.equal(byName(body, w.name).migration_days, 14);
  assert.equal(byName(body, w.name).lost[0].path, 'swap_layer');
  const changes = [withdraw, { type: 'drill_alternative', workload: w.id, dependency: aoai.id, alternative: mistral.id }];
  const b2 = await ok('POST', EVAL, { changes });
  assertMatches(b2, evaluate(cat, changes), 'with a drill');
  const row = byName(b2, w.name);
  assert.equal(row.migration_days, 7);
  assert.equal(row.lost[0].path, 'drilled_alternative');
  assert.equal(row.reason, `Movable in 7 days: Azure OpenAI in Microsoft Foundry Models moves to Mistral AI API (La Plateforme), its named alternative (exit drill passed on ${TODAY}).`);
  // Only a named alternative of one of its dependencies can be drilled.
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'drill_alternative', workload: w.id, dependency: aoai.id,
    alternative: cat.offeringNamed('Claude API').id }] }), '/changes/0/alternative');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'drill_alternative', workload: w.id,
    dependency: cat.offeringNamed('Claude API').id, alternative: mistral.id }] }), '/changes/0/dependency');
  assertPointers(await req('POST', EVAL, { changes: [{ type: 'drill_alternative', workload: w.id }] }),
    '/changes/0/dependency', '/changes/0/alternative');
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
  assert.deepEqual(body.time_to_exit, { days: 0, exit_on: TODAY, binding_until: TODAY, notice_deadline: null,
    exclusivity_end: null, commitment_end: null, contract_end: null, notice_days: 0, migration_days: 0 });
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
    [{ type: 'drill_alternative', workload: cat.workloadNamed('Subrogation letter drafting').id,
      dependency: cat.offeringNamed('Azure OpenAI in Microsoft Foundry Models').id,
      alternative: cat.offeringNamed('Mistral AI API (La Plateforme)').id }],
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
