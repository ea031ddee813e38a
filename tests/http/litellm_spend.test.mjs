// litellm_spend.test.mjs - the `litellm-spend` import kind (issue 16): a
// LiteLLM proxy's spend logs (CSV export of LiteLLM_SpendLogs, or the JSON
// of GET /spend/logs), allocated to workloads through the mapping the
// gateway configuration (kind `litellm`) confirmed; a fallback that served
// traffic is a passed exit drill with its evidence named. Dry run, apply,
// idempotence, rollback on a bad row, malformed files; then concentration
// on the `actual` basis, the declared-only list on the overview's summary,
// and the demo importing its evidence files by itself.
// Fixtures: tests/http/fixtures/imports/ (see its README).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, workloadBody } from './harness.mjs';

const FIX = join(import.meta.dirname, 'fixtures', 'imports');
const ENV = { SWITCHYARD_TODAY: '2026-12-01', SWITCHYARD_NOW: '2026-12-01T09:00:00Z' };
const AZURE = 'Azure OpenAI in Microsoft Foundry Models';
let srv;

before(async () => { srv = await startServer({ env: ENV }); });
after(async () => { await srv.stop(); });

const file = (name) => readFileSync(join(FIX, name));

async function upload(kind, body, { dry = true, type = 'text/csv', name = 'litellm-spend.csv' } = {}) {
  const res = await fetch(`${srv.base}/api/v1/imports?kind=${kind}&dry_run=${dry}&file_name=${name}`, {
    method: 'POST',
    headers: { 'Content-Type': type, Authorization: `Bearer ${srv.token}` },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text && (res.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text };
}

const count = (table) => Number(srv.sql(`SELECT count(*) FROM ${table};`).trim());
const workloadId = async (name) => {
  const r = await api(srv.base, 'GET', `/api/v1/workloads?q=${encodeURIComponent(name)}`);
  return r.body.items.find((w) => w.name === name)?.id;
};
const offeringId = async (name) => {
  const r = await api(srv.base, 'GET', `/api/v1/offerings?q=${encodeURIComponent(name)}&limit=50`);
  return r.body.items.find((o) => o.name === name)?.id;
};

test('litellm-spend: dry run plans spend per workload and month, a drill from fallback traffic, unallocated and unknown; writes nothing', async () => {
  // The gateway configuration first: it maps claims-chat (and its fallback
  // groups) to the claims triage assistant and names the alternatives.
  const gw = await upload('litellm', file('litellm_config.yaml'), { dry: false, type: 'application/yaml', name: 'config.yaml' });
  assert.equal(gw.status, 200, JSON.stringify(gw.body));
  const drills = count('exit_drills');
  const imports = count('imports');
  const r = await upload('litellm-spend', file('litellm_spend.csv'));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.kind, 'litellm-spend');
  assert.equal(r.body.rows, 10); // the empty line is skipped
  assert.deepEqual(r.body.counts, { create: 3, change: 0, unchanged: 0, rejected: 0 });
  const triage = await workloadId('Claims triage assistant');
  const broker = await workloadId('Broker email summariser');
  const spend = r.body.items.filter((i) => i.entity === 'gateway_spend');
  const t = spend.find((i) => i.id === triage);
  assert.equal(t.name, 'Claims triage assistant 2026-11 USD');
  // 0.1275 + 0.2150 + 0.1845 + 0.0930 + 0.1110 + 0 + 0.15 = 0.881 over 7 requests
  assert.deepEqual(t.changes.map((c) => [c.field, c.old, c.new]), [['spend', null, '0.88'], ['requests', null, '7']]);
  const b = spend.find((i) => i.id === broker);
  assert.deepEqual(b.changes.map((c) => [c.field, c.new]), [['spend', '0.04'], ['requests', '1']]);
  const d = r.body.items.find((i) => i.entity === 'drill');
  assert.equal(d.action, 'create');
  assert.equal(d.id, triage);
  assert.equal(d.name, `Claims triage assistant: ${AZURE} -> Claude on Amazon Bedrock`);
  assert.deepEqual(d.changes.map((c) => [c.field, c.new]),
    [['drilled_on', '2026-11-20'], ['result', 'passed'], ['fallback_traffic', '3 requests from 2026-11-14 to 2026-11-20']]);
  const un = r.body.summary.unallocated.sort((x, y) => x.key.localeCompare(y.key));
  assert.deepEqual(un.map((u) => [u.key, u.month, u.requests, u.spend]),
    [['Shadow IT chatbot', '2026-11', 1, 0.03], ['summariser-experimental', '2026-11', 1, 0]]);
  assert.match(un[0].reason, /tag names no workload/);
  assert.match(un[1].reason, /no workload is mapped to the model group/);
  assert.deepEqual(r.body.summary.unknown_models, [{ model: 'sagemaker/jumpstart-llama-3-70b', requests: 1 }]);
  assert.equal(r.body.summary.currency, 'USD');
  assert.equal(r.body.summary.fallback_drills, 1);
  assert.equal(r.body.import, null);
  assert.equal(count('exit_drills'), drills);
  assert.equal(count('gateway_spend'), 0);
  assert.equal(count('imports'), imports);
});

test('litellm-spend: apply stores gateway spend with provenance and a passed drill naming its evidence; again adds nothing', async () => {
  const triage = await workloadId('Claims triage assistant');
  const azure = await offeringId(AZURE);
  const bedrock = await offeringId('Claude on Amazon Bedrock');
  const before = (await api(srv.base, 'GET', `/api/v1/workloads/${triage}/drills`)).body.total;
  const r = await upload('litellm-spend', file('litellm_spend.csv'), { dry: false });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(r.body.import > 0);
  const drills = (await api(srv.base, 'GET', `/api/v1/workloads/${triage}/drills`)).body;
  assert.equal(drills.total, before + 1);
  const drill = drills.items.find((x) => x.drilled_on === '2026-11-20');
  assert.equal(drill.result, 'passed');
  assert.equal(drill.dependency, azure);
  assert.equal(drill.offering, bedrock);
  assert.equal(drill.evidence, `Fallback traffic in the LiteLLM spend log litellm-spend.csv (import #${r.body.import}): 3 requests served by this alternative from 2026-11-14 to 2026-11-20.`);
  // A drilled alternative from another group: the model dependency is portable.
  const w = (await api(srv.base, 'GET', `/api/v1/workloads/${triage}`)).body;
  assert.equal(w.risk.factors.some((f) => f.code === 'no_proven_alternative'), false, JSON.stringify(w.risk.factors));
  const ev = (await api(srv.base, 'GET', `/api/v1/workloads/${triage}/evidence`)).body;
  assert.deepEqual(ev.gateway_spend.map((g) => [g.month, g.currency, g.spend, g.requests, g.import]),
    [['2026-11', 'USD', 0.881, 7, r.body.import]]);
  assert.ok(ev.provenance.some((p) => p.field === 'gateway_spend:2026-11:USD' && p.source === `import:${r.body.import}:litellm-spend`));
  assert.equal(ev.usage_observed, '2026-12-01T09:00:00Z');
  const audit = (await api(srv.base, 'GET', '/api/v1/audit?entity=drill&limit=5')).body;
  assert.ok(audit.items.some((e) => e.entity === 'drill' && e.action === 'create' && /:admin$/.test(e.actor)), JSON.stringify(audit.items[0]));

  const drillsNow = count('exit_drills');
  const again = await upload('litellm-spend', file('litellm_spend.csv'), { dry: false });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body.counts, { create: 0, change: 0, unchanged: 3, rejected: 0 });
  assert.equal(count('exit_drills'), drillsNow);
  assert.equal(count('gateway_spend'), 2);
});

test('litellm-spend: a bad row rejects the file naming row and column, and nothing changes; malformed files are 400', async () => {
  const tables = ['gateway_spend', 'exit_drills', 'imports', 'audit_events', 'provenance'];
  const counts = tables.map(count);
  const r = await upload('litellm-spend', file('litellm_spend_bad.csv'), { dry: false });
  assert.equal(r.status, 422, JSON.stringify(r.body));
  const rej = r.body.plan.items.filter((i) => i.action === 'rejected');
  assert.deepEqual(rej.map((i) => [i.row, i.column, i.column_name, i.reason]), [[3, 4, 'spend', 'spend is not a number']]);
  assert.deepEqual(tables.map(count), counts);
  const open = await upload('litellm-spend', 'request_id,spend,startTime,model\n"chatcmpl-1,0.1,2026-11-01,gpt-4o\n', { dry: false });
  assert.equal(open.status, 400);
  assert.equal(open.body.errors[0].row, 3); // the quote opened on line 2 is still open at the end
  const missing = await upload('litellm-spend', 'request_id,startTime,model\nx,2026-11-01,gpt-4o\n', { dry: false });
  assert.equal(missing.status, 400);
  assert.match(missing.body.detail, /^Row 1, column 1: the column spend is missing/);
  const future = await upload('litellm-spend', 'request_id,spend,startTime,model\nx,0.1,2026-12-02 00:00:01,gpt-4o\n');
  assert.deepEqual(future.body.items.map((i) => [i.row, i.column_name, i.reason]), [[2, 'startTime', 'startTime is after today']]);
  const json = await upload('litellm-spend', '[{"request_id": "x", "spend": 0.1}]', { type: 'application/json' });
  assert.equal(json.body.counts.rejected, 1);
  assert.equal(json.body.items[0].row, 1);
  assert.equal(json.body.items[0].column_name, 'startTime');
  assert.deepEqual(tables.map(count), counts);
});

test('concentration basis=actual counts observed spend only and lists the workloads it cannot count', async () => {
  const triage = await workloadId('Claims triage assistant');
  const broker = await workloadId('Broker email summariser');
  const c = await api(srv.base, 'GET', '/api/v1/portfolio/concentration?basis=actual');
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.equal(c.body.basis, 'actual');
  assert.equal(c.body.counted, 2);
  const active = (await api(srv.base, 'GET', '/api/v1/workloads?limit=500')).body.items
    .filter((w) => ['pilot', 'production'].includes(w.status));
  assert.equal(c.body.not_counted.count, active.length - 2);
  assert.equal(c.body.not_counted.workloads.length, active.length - 2);
  assert.ok(!c.body.not_counted.workloads.some((w) => w.id === triage || w.id === broker));
  assert.match(c.body.not_counted.reason, /declared spend is not used/);
  // 0.88 (triage, from the gateway) + 0.04 (broker) in every layer where they have a group.
  assert.equal(c.body.layers.provider.total, 0.92);
  const shares = c.body.layers.provider.shares.reduce((s, x) => s + x.share, 0);
  assert.ok(Math.abs(shares - 1) < 0.001, String(shares));
  const spend = (await api(srv.base, 'GET', '/api/v1/portfolio/concentration?basis=spend')).body;
  assert.equal(spend.basis, 'spend');
  assert.equal('not_counted' in spend, false);
  const bad = await api(srv.base, 'GET', '/api/v1/portfolio/concentration?basis=observed');
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /spend, workloads or actual/);
});

test('litellm-spend: the JSON of GET /spend/logs imports too; a month again replaces its figure', async () => {
  const triage = await workloadId('Claims triage assistant');
  const r = await upload('litellm-spend', file('litellm_spend.json'), { type: 'application/json', name: 'spend-logs.json' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.rows, 2);
  assert.deepEqual(r.body.counts, { create: 1, change: 1, unchanged: 0, rejected: 0 });
  const t = r.body.items.find((i) => i.entity === 'gateway_spend');
  assert.deepEqual(t.changes.map((c) => [c.field, c.old, c.new]), [['spend', '0.88', '0.25'], ['requests', '7', '2']]);
  const d = r.body.items.find((i) => i.entity === 'drill');
  assert.equal(d.id, triage);
  assert.equal(d.name, `Claims triage assistant: ${AZURE} -> OpenAI API`);
  assert.deepEqual(d.changes.map((c) => c.new), ['2026-11-25', 'passed', '1 request from 2026-11-25 to 2026-11-25']);
});

test('the overview summary lists the declared-only workloads with a count and a link', async () => {
  // More than the ten it names.
  const offering = (await api(srv.base, 'GET', '/api/v1/offerings?limit=1')).body.items[0];
  for (let i = 0; i < 12; i++) {
    const r = await api(srv.base, 'POST', '/api/v1/workloads', workloadBody({
      name: `AAA declared ${String(i).padStart(2, '0')}`,
      track: offering.track, status: 'pilot', criticality: 'low', swap_layer: true,
      dependencies: [{ offering: offering.id, role: 'model' }] }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const s = (await api(srv.base, 'GET', '/api/v1/portfolio/summary')).body;
  const list = (await api(srv.base, 'GET', '/api/v1/imports')).body.declared_only;
  assert.equal(s.declared_only.count, list.length);
  assert.ok(list.length >= 12, String(list.length));
  assert.deepEqual(s.declared_only.workloads.slice(0, 2).map((w) => w.name), ['AAA declared 00', 'AAA declared 01']);
  assert.equal(s.declared_only.link, '#/imports');
  assert.deepEqual(s.declared_only.workloads, list.slice(0, 10));
  const triage = await workloadId('Claims triage assistant');
  assert.equal(s.declared_only.workloads.some((w) => w.id === triage), false);
});

test('the demo imports its evidence files by itself on a fresh database', async () => {
  const demo = await startServer({ env: ENV, evidence: true });
  try {
    const imports = (await api(demo.base, 'GET', '/api/v1/imports')).body;
    // Every file, by system:demo, in the order they build on each other
    // (newest first here); the model lists are whatever lifecycle files exist.
    assert.ok(imports.items.every((i) => i.by === 'system:demo'));
    const kinds = imports.items.map((i) => i.kind).reverse();
    const lifecycle = kinds.filter((k) => k === 'lifecycle').length;
    assert.ok(lifecycle >= 1);
    assert.deepEqual(kinds.slice(lifecycle), ['litellm', 'focus', 'litellm-spend']);
    assert.equal(imports.items[0].file_name, 'litellm-spend-2026-11.csv');
    const items = (await api(demo.base, 'GET', '/api/v1/workloads?q=Claims%20triage')).body.items;
    const triage = items.find((w) => w.name === 'Claims triage assistant');
    const drills = (await api(demo.base, 'GET', `/api/v1/workloads/${triage.id}/drills`)).body.items
      .filter((x) => /litellm-spend-2026-11\.csv/.test(x.evidence));
    assert.deepEqual(drills.map((x) => [x.drilled_on, x.result]).sort(), [['2026-11-19', 'passed'], ['2026-11-26', 'passed']]);
    const c = (await api(demo.base, 'GET', '/api/v1/portfolio/concentration?basis=actual')).body;
    assert.ok(c.counted >= 4, JSON.stringify(c.counted));
    assert.ok(c.not_counted.count > 0);
    const s = (await api(demo.base, 'GET', '/api/v1/portfolio/summary')).body;
    assert.equal(s.declared_only.workloads.some((w) => w.id === triage.id), false);
  } finally {
    await demo.stop();
  }
});
