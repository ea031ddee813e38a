// domain.test.mjs - the seven reference cases of shared/domain.md (revision
// 2) on the real server with the demo portfolio, and the routes that carry
// the domain's judgement: exit drills (which make a dependency portable)
// and risk acceptances (which take a workload off the flagged list until
// the day after they expire). Runs on SQLite and on PostgreSQL.
//
// The wall clock is pinned (SWITCHYARD_NOW=@FILE) and moved by rewriting
// the file, never by sleeping; the demo's relative dates follow it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startServer, api, DECIDED, clockFile } from './harness.mjs';

const TODAY = '2026-12-05';
const CLOCK = clockFile();
const setDay = (day) => writeFileSync(CLOCK, `${day}T10:00:00Z\n`);
setDay(TODAY);

let srv;
const tokens = {};
const off = {};      // offering ids by name
const wl = {};       // demo workloads by name

before(async () => {
  srv = await startServer({ demo: true, env: { SWITCHYARD_NOW: `@${CLOCK}` } });
  for (const who of ['viewer', 'architect', 'leadership', 'auditor']) tokens[who] = await srv.tokenFor(who);
  for (const o of (await ok('GET', '/api/v1/offerings?limit=500')).items) off[o.name] = o.id;
  await reload();
});
after(async () => { await srv?.stop(); });

const req = (method, path, body, who) =>
  api(srv.base, method, path, body, who ? { Authorization: `Bearer ${tokens[who]}` } : {});

async function ok(method, path, body, who) {
  const r = await req(method, path, body, who);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function reload() {
  for (const w of (await ok('GET', '/api/v1/workloads?limit=500')).items) wl[w.name] = w;
}

const codes = (w) => w.risk.factors.map((f) => f.code);
const factor = (w, code) => w.risk.factors.find((f) => f.code === code);
const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

function assertInvalid(r, ...pointers) {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.deepEqual(r.body.errors.map((e) => e.pointer).sort(), [...pointers].sort(), JSON.stringify(r.body));
}

// ---- the reference cases -----------------------------------------------------

test('case 1: an Azure OpenAI claims assistant with no exit is critical, P1 and flagged', () => {
  const w = wl['Claims triage assistant'];
  assert.equal(w.status, 'production');
  assert.equal(w.swap_layer, false);
  assert.deepEqual(w.alternatives, []);
  assert.equal(w.risk.level, 'critical');
  assert.equal(w.risk.priority, 'P1');
  assert.equal(w.risk.flagged, true);
  // The exclusive co-innovation agreement locks it, and the reason says so.
  assert.match(factor(w, 'contract_lock').reason, /co-innovation agreement.*is exclusive/);
});

test('case 2: behind a gateway with drilled alternatives only the contract and the licence remain', () => {
  const w = wl['Broker submission intake'];
  assert.equal(w.swap_layer, true);
  assert.deepEqual(codes(w), ['contract_lock', 'horizon']);
  assert.ok(['low', 'medium'].includes(w.risk.level), w.risk.level);
  assert.match(factor(w, 'horizon').reason, /licence to OpenAI models/);
});

test('case 3: an OpenAI API pilot is never in the scope of Microsoft\'s licence', async () => {
  const c = await req('POST', '/api/v1/workloads', {
    ...DECIDED, name: 'Reference case 3 pilot', track: 'openai', status: 'pilot', criticality: 'medium',
    owner: 'Test Owner', dependencies: [{ offering: off['OpenAI API'], role: 'model' }],
  });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  try {
    for (const f of c.body.risk.factors) assert.doesNotMatch(f.reason, /licence|2032/, f.code);
    const view = await ok('GET', '/api/v1/strategies/openai');
    for (const f of view.findings.filter((x) => x.code === 'licence_horizon'))
      assert.ok(!f.workloads.some((x) => x.id === c.body.id), JSON.stringify(f));
    const summary = await ok('GET', '/api/v1/portfolio/summary');
    const licence = summary.upstream_terms.find((t) => t.kind === 'licence');
    assert.ok(licence.workloads.length > 0);
    assert.ok(!licence.workloads.some((x) => x.id === c.body.id));
    // Azure OpenAI, whose provider is Microsoft and publisher OpenAI, is.
    assert.ok(licence.workloads.some((x) => x.id === wl['Claims triage assistant'].id));
  } finally {
    assert.equal((await req('DELETE', `/api/v1/workloads/${c.body.id}`)).status, 204);
  }
});

test('case 4: a self-hosted Llama behind a gateway with two drilled alternatives is low', async () => {
  const w = wl['Health claims restricted-data extraction'];
  assert.deepEqual(w.risk.factors, []);
  assert.equal(w.risk.level, 'low');
  assert.equal(w.alternatives.length, 2);
  const llama = await ok('GET', `/api/v1/offerings/${off['Llama (self-hosted, open weight)']}`);
  const provider = await ok('GET', `/api/v1/vendors/${llama.provider}`);
  const publisher = await ok('GET', `/api/v1/vendors/${llama.publisher}`);
  const host = await ok('GET', `/api/v1/vendors/${llama.host}`);
  assert.equal(provider.kind, 'self');
  assert.equal(provider.name, 'Northwind Mutual');
  assert.equal(publisher.name, 'Meta');
  assert.equal(host.group.name, 'Amazon');
  const drills = await ok('GET', `/api/v1/workloads/${w.id}/drills`);
  assert.equal(drills.total, 2);
  assert.ok(drills.items.every((d) => d.result === 'passed' && d.dependency === llama.id));
});

test('case 5: a retired workload with critical lock-in is in no flagged or priority list', async () => {
  const w = wl['Claims FAQ bot v1'];
  assert.equal(w.status, 'retired');
  assert.equal(w.risk.level, 'critical');
  assert.equal(w.risk.flagged, false);
  const ids = async (q) => (await ok('GET', `/api/v1/workloads?limit=500&${q}`)).items.map((x) => x.id);
  assert.ok(!(await ids('flagged=true')).includes(w.id));
  for (const p of ['P1', 'P2', 'P3', 'P4']) assert.ok(!(await ids(`priority=${p}`)).includes(w.id), p);
  const summary = await ok('GET', '/api/v1/portfolio/summary');
  assert.ok(!summary.flagged.some((x) => x.id === w.id));
});

test('case 6: an accepted Copilot rollout is not flagged, listed as accepted, and flagged the day after expiry', async () => {
  const name = 'Microsoft 365 Copilot general rollout';
  const acc = (await ok('GET', `/api/v1/workloads/${wl[name].id}/acceptances`)).items;
  assert.equal(acc.length, 1);
  const expires = acc[0].expires_on;
  assert.equal(acc[0].in_force, true);
  assert.match(acc[0].owner, /CIO/);
  try {
    for (const [day, flagged] of [[TODAY, false], [expires, false], [addDays(expires, 1), true]]) {
      setDay(day);
      for (const who of ['viewer']) tokens[who] = await srv.tokenFor(who);
      const w = await ok('GET', `/api/v1/workloads/${wl[name].id}`, undefined, 'viewer');
      assert.equal(w.criticality, 'medium');
      assert.equal(w.risk.priority, 'P2', day);
      assert.equal(w.risk.flagged, flagged, day);
      const summary = await ok('GET', '/api/v1/portfolio/summary', undefined, 'viewer');
      const listed = summary.accepted.find((x) => x.id === w.id);
      assert.equal(Boolean(listed), !flagged, day);
      if (listed) {
        assert.equal(listed.owner, acc[0].owner);
        assert.equal(listed.expires_on, expires);
      }
    }
  } finally {
    setDay(TODAY);
    for (const who of Object.keys(tokens)) tokens[who] = await srv.tokenFor(who);
  }
});

test('case 7: restricted data processed only outside its allowed regions is a compliance finding', async () => {
  const w = wl['DeepSeek V4 long-context experiment'];
  assert.equal(w.data_classification, 'restricted');
  assert.deepEqual(w.allowed_regions, ['EU']);
  assert.notEqual(w.risk.level, 'critical');
  const c = await ok('GET', '/api/v1/compliance');
  const f = c.items.find((x) => x.code === 'residency' && x.severity === 'high' &&
    x.workloads.some((y) => y.id === w.id));
  assert.ok(f, JSON.stringify(c.items));
  assert.match(f.detail, /DeepSeek API/);
  assert.match(f.detail, /China/);
  assert.equal(typeof f.action, 'string');
  // The most severe come first; the summary and the track's view carry the same.
  const rank = { high: 0, medium: 1, low: 2 };
  for (let i = 1; i < c.items.length; i++)
    assert.ok(rank[c.items[i - 1].severity] <= rank[c.items[i].severity]);
  assert.equal(c.total, c.items.length);
  const summary = await ok('GET', '/api/v1/portfolio/summary');
  assert.deepEqual(summary.compliance, c);
  const view = await ok('GET', `/api/v1/strategies/${w.track}`);
  assert.ok(view.compliance.items.some((x) => x.detail === f.detail));
  assert.ok(view.compliance.items.every((x) => x.workloads.some((y) => y.track === w.track)));
});

test('the demo shows a retired model, one retiring without a successor, and AI Act gaps', async () => {
  const c = await ok('GET', '/api/v1/compliance');
  const by = (code) => c.items.filter((x) => x.code === code);
  assert.equal(by('model_retired').length, 1);
  assert.match(by('model_retired')[0].action, /GPT-5\.1/);
  assert.equal(by('model_retiring').length, 1);
  assert.match(by('model_retiring')[0].detail, /in 6 days, and no successor is named/);
  assert.deepEqual(by('ai_act_oversight').map((x) => x.workloads[0].name).sort(),
    ['Health underwriting risk summary', 'Life underwriting pre-assessment']);
  assert.ok(by('exit_plan_untested').length >= 1);
  const bad = await req('GET', '/api/v1/compliance?track=mainframe');
  assert.equal(bad.status, 400);
});

// ---- exit drills -----------------------------------------------------------------

test('a drill of a named alternative makes the dependency portable; a later failed one undoes it', async () => {
  const aoai = off['Azure OpenAI in Microsoft Foundry Models'];
  const openai = off['OpenAI API'];
  const c = await req('POST', '/api/v1/workloads', {
    ...DECIDED, name: 'Drill test workload', track: 'azure', status: 'production', criticality: 'high',
    owner: 'Test Owner', swap_layer: true, dependencies: [{ offering: aoai, role: 'model' }],
    alternatives: [{ dependency: aoai, offering: openai }],
  }, 'architect');
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const path = `/api/v1/workloads/${c.body.id}`;
  try {
    // Named but never drilled: half of no_proven_alternative, and the
    // Microsoft group still counts for single_group_stack.
    assert.equal(factor(c.body, 'no_proven_alternative').points, 5);
    assert.match(factor(c.body, 'no_proven_alternative').reason, /OpenAI API has never been drilled/);
    assert.equal(factor(c.body, 'single_group_stack').points, 25);

    const before = await ok('GET', '/api/v1/audit/head', undefined, 'auditor');
    const d = await req('POST', `${path}/drills`, {
      dependency: aoai, offering: openai, drilled_on: addDays(TODAY, -3), result: 'passed',
      evidence: 'Switched the gateway route for a day; outputs compared.',
    }, 'architect');
    assert.equal(d.status, 201, JSON.stringify(d.body));
    assert.equal(d.headers.get('location'), `${path}/drills`);
    assert.equal(d.body.workload, c.body.id);
    assert.match(d.body.recorded_by, /architect/);
    const after = await ok('GET', '/api/v1/audit/head', undefined, 'auditor');
    assert.equal(after.seq, before.seq + 1);
    const ev = await ok('GET', `/api/v1/audit?entity=drill&entity_id=${d.body.id}`, undefined, 'auditor');
    assert.equal(ev.items.length, 1);

    // Portable: the dependency leaves single_group_stack and the factor goes.
    let w = await ok('GET', path);
    assert.equal(factor(w, 'single_group_stack'), undefined);
    assert.equal(factor(w, 'no_proven_alternative'), undefined);

    // A failed drill the next day: the latest drill decides.
    await ok('POST', `${path}/drills`, {
      dependency: aoai, offering: openai, drilled_on: addDays(TODAY, -2), result: 'failed', evidence: 'Timeouts.',
    }, 'architect');
    w = await ok('GET', path);
    assert.equal(factor(w, 'single_group_stack').points, 25);
    assert.match(factor(w, 'no_proven_alternative').reason, /failed its last exit drill/);
    const list = await ok('GET', `${path}/drills`);
    assert.deepEqual(list.items.map((x) => x.result), ['failed', 'passed']);
  } finally {
    assert.equal((await req('DELETE', path)).status, 204);
  }
});

test('a drill that is not of a named alternative, or is dated ahead, gets 400 naming the field and records nothing', async () => {
  const w = wl['Broker submission intake'];
  const path = `/api/v1/workloads/${w.id}/drills`;
  const n0 = (await ok('GET', path)).total;
  const aoai = off['Azure OpenAI in Microsoft Foundry Models'];
  const good = { dependency: aoai, offering: off['OpenAI API'], drilled_on: TODAY, result: 'passed' };
  const head0 = await ok('GET', '/api/v1/audit/head', undefined, 'auditor');
  assertInvalid(await req('POST', path, { ...good, offering: off['Claude API'] }, 'architect'), '/offering');
  assertInvalid(await req('POST', path, { ...good, dependency: off['Claude API'] }, 'architect'), '/dependency');
  assertInvalid(await req('POST', path, { ...good, drilled_on: addDays(TODAY, 1) }, 'architect'), '/drilled_on');
  assertInvalid(await req('POST', path, { ...good, drilled_on: '2026-02-30' }, 'architect'), '/drilled_on');
  assertInvalid(await req('POST', path, { ...good, result: 'maybe' }, 'architect'), '/result');
  assertInvalid(await req('POST', path, { ...good, colour: 'red' }, 'architect'), '/colour');
  assertInvalid(await req('POST', path, { result: 'passed' }, 'architect'), '/dependency', '/offering', '/drilled_on');
  assert.equal((await req('POST', path, good, 'viewer')).status, 403);
  assert.equal((await req('POST', path, good, 'leadership')).status, 403);
  assert.equal((await req('POST', '/api/v1/workloads/999999/drills', good, 'architect')).status, 404);
  assert.equal((await ok('GET', path)).total, n0);
  assert.deepEqual(await ok('GET', '/api/v1/audit/head', undefined, 'auditor'), head0);
});

// ---- risk acceptances --------------------------------------------------------------

test('leadership accepts a risk and revokes it; the workload leaves and rejoins the flagged list', async () => {
  const w = wl['Claims triage assistant'];
  const path = `/api/v1/workloads/${w.id}/acceptances`;
  const a = await req('POST', path, {
    owner: 'Dana Whitfield (CIO)', reason: 'Replatforming starts in Q2.', expires_on: addDays(TODAY, 90),
  }, 'leadership');
  assert.equal(a.status, 201, JSON.stringify(a.body));
  assert.equal(a.body.in_force, true);
  assert.equal(a.body.revoked_at, null);
  assert.match(a.body.created_by, /leadership/);
  let now = await ok('GET', `/api/v1/workloads/${w.id}`);
  assert.equal(now.risk.flagged, false);
  assert.equal(now.risk.priority, 'P1');       // priority stays; only the flag goes
  const flagged = (await ok('GET', '/api/v1/workloads?flagged=true&limit=500')).items.map((x) => x.id);
  assert.ok(!flagged.includes(w.id));
  const inForce = (await ok('GET', '/api/v1/acceptances?in_force=true')).items;
  assert.ok(inForce.some((x) => x.id === a.body.id));

  const r = await req('DELETE', `/api/v1/acceptances/${a.body.id}`, undefined, 'leadership');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.in_force, false);
  assert.match(r.body.revoked_by, /leadership/);
  now = await ok('GET', `/api/v1/workloads/${w.id}`);
  assert.equal(now.risk.flagged, true);
  const again = await req('DELETE', `/api/v1/acceptances/${a.body.id}`, undefined, 'leadership');
  assert.equal(again.status, 409);
  const ev = await ok('GET', `/api/v1/audit?entity=acceptance&entity_id=${a.body.id}`, undefined, 'auditor');
  assert.deepEqual(ev.items.map((x) => x.action).sort(), ['create', 'revoke']);
  const gone = (await ok('GET', '/api/v1/acceptances?in_force=false')).items;
  assert.ok(gone.some((x) => x.id === a.body.id));
});

test('an acceptance in the past, beyond a year or without an owner gets 400 naming the field and changes nothing', async () => {
  const w = wl['Underwriting document extraction'];
  const path = `/api/v1/workloads/${w.id}/acceptances`;
  const n0 = (await ok('GET', path)).total;
  const good = { owner: 'Dana Whitfield (CIO)', reason: 'Known and accepted.', expires_on: addDays(TODAY, 30) };
  assertInvalid(await req('POST', path, { ...good, expires_on: addDays(TODAY, -1) }, 'leadership'), '/expires_on');
  assertInvalid(await req('POST', path, { ...good, expires_on: addDays(TODAY, 366) }, 'leadership'), '/expires_on');
  assertInvalid(await req('POST', path, { ...good, expires_on: '2027-02-29' }, 'leadership'), '/expires_on');
  assertInvalid(await req('POST', path, { ...good, owner: '' }, 'leadership'), '/owner');
  assertInvalid(await req('POST', path, { reason: 'x' }, 'leadership'), '/owner', '/expires_on');
  assertInvalid(await req('POST', path, { ...good, owner: 'Two\nlines' }, 'leadership'), '/owner');
  for (const who of ['viewer', 'architect', 'auditor'])
    assert.equal((await req('POST', path, good, who)).status, 403, who);
  assert.equal((await ok('GET', path)).total, n0);
  // Today and exactly a year ahead are the bounds that are accepted.
  for (const day of [TODAY, addDays(TODAY, 365)]) {
    const a = await req('POST', path, { ...good, expires_on: day }, 'leadership');
    assert.equal(a.status, 201, `${day}: ${JSON.stringify(a.body)}`);
    assert.equal((await req('DELETE', `/api/v1/acceptances/${a.body.id}`, undefined, 'leadership')).status, 200);
  }
  assert.equal((await req('DELETE', '/api/v1/acceptances/999999', undefined, 'leadership')).status, 404);
});
