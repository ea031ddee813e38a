// ai_act.test.mjs - the EU AI Act deployer register: the workload fields
// (round trip, validation, the vendor reference), GET /api/v1/reports/ai-act
// as JSON and CSV with a row per active workload and the demo's deliberate
// gaps, the compliance findings behind them, the audit event, and
// formula-like text, special characters and long values surviving both
// formats (CSV neutralisation, JSON escaping).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { startServer, api, DECIDED, workloadBody } from './harness.mjs';

const ENV = { SWITCHYARD_TODAY: '2026-05-04' };
let srv;
const req = (method, path, body, headers) => api(srv.base, method, path, body, headers);

before(async () => { srv = await startServer({ env: ENV }); });
after(async () => { await srv?.stop(); });

async function register(format = 'json', token = srv.token) {
  const res = await fetch(`${srv.base}/api/v1/reports/ai-act?format=${format}`,
    { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

const active = async () => (await req('GET', '/api/v1/workloads?limit=500')).body.items
  .filter((w) => w.status === 'pilot' || w.status === 'production');

test('the demo register: a row per active workload in JSON and CSV, mostly filled, with deliberate gaps', async () => {
  const act = await active();
  const j = await register('json');
  assert.equal(j.status, 200);
  assert.match(j.headers.get('content-disposition'), /^attachment; filename="ai-act-register-2026-05-04\.json"$/);
  const body = JSON.parse(j.text);
  assert.equal(body.count, act.length);
  assert.equal(body.rows.length, act.length);
  assert.deepEqual(body.rows.map((r) => r.workload_id).sort((a, b) => a - b), act.map((w) => w.id).sort((a, b) => a - b));
  assert.deepEqual(body.rows.map((r) => r.workload), [...body.rows.map((r) => r.workload)].sort());
  // Mostly filled: every row has an intended purpose; all but one a provider.
  assert.ok(body.rows.every((r) => r.intended_purpose.length > 0));
  assert.deepEqual(body.rows.filter((r) => r.ai_system_provider === null).map((r) => r.workload), ['Regulatory change monitor']);
  const row = (name) => body.rows.find((r) => r.workload === name);
  const done = row('Underwriting document extraction');
  assert.equal(done.risk_tier, 'high');
  assert.equal(done.annex_iii_area, 'essential_services');
  assert.equal(done.fria_status, 'done');
  assert.equal(done.fria_date, '2025-12-05');
  assert.equal(done.log_retention_months, 84);
  assert.deepEqual(done.gaps, []);
  assert.equal(done.ai_system_provider.name, 'Northwind Mutual');
  const gap = row('Life underwriting pre-assessment');
  assert.equal(gap.log_retention_months, 3);
  assert.deepEqual(gap.gaps.sort(), ['ai_act_fria', 'ai_act_incident_contact', 'ai_act_information',
    'ai_act_log_retention', 'ai_act_oversight']);
  assert.deepEqual(row('Health underwriting risk summary').gaps.sort(), ['ai_act_fria', 'ai_act_oversight']);
  assert.equal(body.with_gaps, 2);
  // Copilot workloads name the assistant's provider.
  assert.equal(row('Microsoft 365 Copilot general rollout').ai_system_provider.name, 'Microsoft');

  const c = await register('csv');
  assert.equal(c.status, 200);
  assert.match(c.headers.get('content-type'), /^text\/csv/);
  assert.match(c.headers.get('content-disposition'), /ai-act-register-2026-05-04\.csv/);
  const rows = parse(c.text, { columns: true });
  assert.equal(rows.length, act.length);
  assert.deepEqual(Object.keys(rows[0]), body.columns.map((x) => x.key));
  const life = rows.find((r) => r.workload === 'Life underwriting pre-assessment');
  assert.equal(life.log_retention_months, '3');
  assert.equal(life.gaps.split('; ').length, 5);
  assert.equal(rows.find((r) => r.workload === 'Regulatory change monitor').log_retention_months, '');

  // The findings the register shows are those of GET /compliance.
  const comp = (await req('GET', '/api/v1/compliance')).body.items;
  const codes = (id) => comp.filter((f) => f.code.startsWith('ai_act_') && f.workloads.some((w) => w.id === id)).map((f) => f.code).sort();
  for (const r of body.rows) assert.deepEqual([...r.gaps].sort(), codes(r.workload_id), r.workload);
  assert.equal(comp.filter((f) => f.code === 'ai_act_log_retention').length, 1);
});

test('the fields round-trip and are validated', async () => {
  const vendor = (await req('POST', '/api/v1/vendors', { name: 'Register Provider GmbH', country: 'DE' })).body;
  assert.ok(vendor.id);
  const offering = (await req('GET', '/api/v1/offerings?limit=1&category=model_api')).body.items[0];
  const base = workloadBody({ name: 'AI Act round trip', track: offering.track, status: 'pilot', criticality: 'high',
    dependencies: [{ offering: offering.id, role: 'model' }] });
  const full = { ...base, ai_act_tier: 'high', annex_iii_area: 'employment', ai_system_provider: vendor.id,
    intended_purpose: 'Ranks applications', log_retention_months: 12, fria_status: 'done',
    impact_assessment: '2026-04-01', affected_persons_informed: '2026-04-02', incident_contact: 'HR desk' };
  const created = await req('POST', '/api/v1/workloads', full);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const got = (await req('GET', `/api/v1/workloads/${created.body.id}`)).body;
  for (const k of Object.keys(full).filter((x) => x !== 'dependencies')) assert.deepEqual(got[k], full[k], k);
  // Defaults: nothing recorded.
  const plain = await req('POST', '/api/v1/workloads', { ...base, name: 'AI Act defaults' });
  assert.equal(plain.status, 201);
  for (const [k, v] of Object.entries({ annex_iii_area: null, ai_system_provider: null, intended_purpose: '',
    log_retention_months: 0, fria_status: null, affected_persons_informed: null, incident_contact: '' })) {
    assert.deepEqual(plain.body[k], v, k);
  }
  for (const [change, pointer] of [
    [{ ai_act_tier: 'high', annex_iii_area: undefined }, '/annex_iii_area'],
    [{ annex_iii_area: 'astrology' }, '/annex_iii_area'],
    [{ fria_status: 'maybe' }, '/fria_status'],
    [{ fria_status: 'done', impact_assessment: undefined }, '/impact_assessment'],
    [{ log_retention_months: -1 }, '/log_retention_months'],
    [{ log_retention_months: 6.5 }, '/log_retention_months'],
    [{ ai_system_provider: 999999 }, '/ai_system_provider'],
    [{ affected_persons_informed: '2026-02-30' }, '/affected_persons_informed'],
    [{ incident_contact: 'line\nbreak' }, '/incident_contact'],
  ]) {
    const doc = { ...full, name: `bad ${pointer}`, ...change };
    for (const k of Object.keys(change)) if (change[k] === undefined) delete doc[k];
    const r = await req('POST', '/api/v1/workloads', doc);
    assert.equal(r.status, 400, `${JSON.stringify(change)}: ${JSON.stringify(r.body)}`);
    assert.ok(r.body.errors.some((e) => e.pointer === pointer), `${pointer}: ${JSON.stringify(r.body.errors)}`);
  }
  // A vendor named as an AI system's provider cannot go.
  const del = await req('DELETE', `/api/v1/vendors/${vendor.id}`);
  assert.equal(del.status, 409);
  assert.match(del.body.detail, /0 offering\(s\), 0 contract\(s\) and 1 workload\(s\)/);
  assert.equal((await req('PATCH', `/api/v1/workloads/${created.body.id}`, { ai_system_provider: null },
    { 'Content-Type': 'application/merge-patch+json' })).status, 200);
  assert.equal((await req('DELETE', `/api/v1/vendors/${vendor.id}`)).status, 204);
});

test('formula-like text, special characters and long values survive CSV and JSON', async () => {
  const offering = (await req('GET', '/api/v1/offerings?limit=1&category=model_api')).body.items[0];
  const name = 'Quote "this", comma; =HYPERLINK("http://x") ü€😀 <b>bold</b>';
  const purpose = `=cmd|' /C calc'!A0\nsecond line, with "quotes"\t${'long text '.repeat(250)}`.slice(0, 2000);
  const created = await req('POST', '/api/v1/workloads', {
    ...DECIDED, name, track: offering.track, status: 'production', criticality: 'low',
    dependencies: [{ offering: offering.id, role: 'model' }],
    intended_purpose: purpose, incident_contact: '+SUM(A1:A9)', owner: '@owner', oversight_owner: '-1+2',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const j = JSON.parse((await register('json')).text);
  const r = j.rows.find((x) => x.workload_id === created.body.id);
  assert.equal(r.workload, name);
  assert.equal(r.intended_purpose, purpose);
  assert.equal(r.incident_contact, '+SUM(A1:A9)');
  const text = (await register('csv')).text;
  const c = parse(text, { columns: true }).find((x) => x.workload_id === String(created.body.id));
  assert.equal(c.workload, name);
  assert.equal(c.intended_purpose, `'${purpose}`, 'a formula-like cell starts with a quote');
  assert.equal(c.incident_contact, "'+SUM(A1:A9)");
  assert.equal(c.owner, "'@owner");
  assert.equal(c.oversight_owner, "'-1+2");
  assert.equal(purpose.length, 2000);
});

test('roles and audit', async () => {
  const users = { vin: 'viewer', art: 'architect', aur: 'auditor' };
  const token = {};
  for (const [n, role] of Object.entries(users)) {
    const password = `${n}-password-0123`;
    assert.equal((await req('POST', '/api/v1/users', { name: n, role, password })).status, 201);
    srv.users[n] = password;
    token[n] = await srv.tokenFor(n);
  }
  const count = async () => (await req('GET', '/api/v1/audit?entity=report&action=export')).body.total;
  const before0 = await count();
  for (const n of ['vin', 'art']) assert.equal((await register('csv', token[n])).status, 403);
  assert.equal((await register('csv', null)).status, 401);
  assert.equal((await register('xlsx')).status, 400);
  const bad = await fetch(`${srv.base}/api/v1/reports/ai-act?track=azure`, { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(bad.status, 400);
  assert.equal(await count(), before0);
  const r = await register('csv', token.aur);
  assert.equal(r.status, 200);
  const ev = (await req('GET', '/api/v1/audit?entity=report&action=export&limit=1')).body.items[0];
  assert.match(ev.actor, /^token:\d+:aur$/);
  assert.equal(ev.after.report, 'ai-act');
  assert.equal(ev.after.format, 'csv');
  assert.equal(ev.after.document_sha256, createHash('sha256').update(r.text).digest('hex'));
  assert.equal(await count(), before0 + 1);
});

test('the governance report carries the register: JSON section, HTML section, bundle CSV', async () => {
  const reg = JSON.parse((await register('json')).text);
  const get = async (format) => {
    const res = await fetch(`${srv.base}/api/v1/reports/governance?format=${format}`, { headers: { Authorization: `Bearer ${srv.token}` } });
    assert.equal(res.status, 200);
    return Buffer.from(await res.arrayBuffer());
  };
  const model = JSON.parse((await get('json')).toString('utf8'));
  assert.deepEqual(model.ai_act.rows, reg.rows);
  assert.equal(model.ai_act.count, reg.count);
  const html = (await get('html')).toString('utf8');
  assert.match(html, /<a href="#ai-act">EU AI Act deployer register<\/a>/);
  const section = html.slice(html.indexOf('id="ai-act"'));
  assert.match(section, /Life underwriting pre-assessment/);
  assert.ok(section.includes("ai_<wbr>act_<wbr>log_<wbr>retention"));
  // The formula-like, tagged name from the test above is escaped, not markup.
  assert.ok(!section.includes('<b>bold</b>'));
  assert.ok(section.includes('&lt;b&gt;bold&lt;/b&gt;'));
});
