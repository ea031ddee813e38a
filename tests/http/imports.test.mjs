// imports.test.mjs - evidence imports (issue 16): POST /api/v1/imports for
// the `workloads` and `focus` kinds. A dry run answers the plan and writes
// nothing; an apply writes it in one transaction with audit events,
// provenance and an imports row; the same file again changes nothing; a
// file with one unusable row changes nothing at all (422 with the plan); a
// malformed file is refused naming its row and column; a viewer may not
// import. The workload export imported again is a plan with no change.
// Fixtures: tests/http/fixtures/imports/ (see its README).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, api, BIN, dbArgs } from './harness.mjs';

const FIX = join(import.meta.dirname, 'fixtures', 'imports');
const ENV = { SWITCHYARD_TODAY: '2026-12-01', SWITCHYARD_NOW: '2026-12-01T09:00:00Z' };
let srv;
let viewer;

before(async () => {
  srv = await startServer({ env: ENV });
  viewer = await srv.tokenFor('viewer');
});
after(async () => { await srv.stop(); });

const file = (name) => readFileSync(join(FIX, name));

async function upload(kind, body, { dry = true, token = srv.token, query = '', type = 'text/csv' } = {}) {
  const res = await fetch(`${srv.base}/api/v1/imports?kind=${kind}&dry_run=${dry}&file_name=${kind}.csv${query}`, {
    method: 'POST',
    headers: { 'Content-Type': type, Authorization: `Bearer ${token}` },
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

test('workloads: dry run plans a create and a field-by-field change, writes nothing', async () => {
  const events = count('audit_events');
  const r = await upload('workloads', file('workloads.csv'));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.rows, 2);
  assert.deepEqual(r.body.counts, { create: 1, change: 1, unchanged: 0, rejected: 0 });
  assert.equal(r.body.dry_run, true);
  assert.equal(r.body.import, null);
  assert.match(r.body.sha256, /^[0-9a-f]{64}$/);
  const created = r.body.items.find((i) => i.action === 'create');
  assert.equal(created.name, 'Claims intake, EU');
  assert.equal(created.row, 2);
  const notes = created.changes.find((c) => c.field === 'notes');
  assert.equal(notes.new, 'Imported from the inventory, row kept "as is"');
  assert.equal(created.changes.find((c) => c.field === 'monthly_spend').new, '3200.50');
  assert.equal(created.changes.find((c) => c.field === 'allowed_regions').new, 'EU; CH');
  const changed = r.body.items.find((i) => i.action === 'change');
  assert.equal(changed.name, 'HR policy assistant');
  assert.equal(changed.row, 4); // the empty line 3 still counts as a line
  assert.deepEqual(changed.changes.map((c) => c.field).sort(), ['criticality', 'notes', 'owner', 'team', 'users']);
  const owner = changed.changes.find((c) => c.field === 'owner');
  assert.deepEqual([owner.old, owner.new], ['Lena Vogel', 'Jonas Weber']);
  assert.equal(count('audit_events'), events);
  assert.equal(await workloadId('Claims intake, EU'), undefined);
});

test('workloads: apply writes records, audit events, provenance; again changes nothing', async () => {
  const events = count('audit_events');
  const r = await upload('workloads', file('workloads.csv'), { dry: false });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(r.body.import > 0);
  assert.equal(count('audit_events'), events + 3); // create + update + the import
  const id = await workloadId('Claims intake, EU');
  const w = (await api(srv.base, 'GET', `/api/v1/workloads/${id}`)).body;
  assert.equal(w.monthly_spend, 3200.5);
  assert.equal(w.swap_layer, true);
  assert.deepEqual(w.allowed_regions, ['EU', 'CH']);
  assert.equal(w.dependencies.length, 2);
  assert.equal(w.alternatives.length, 1);
  const ev = (await api(srv.base, 'GET', `/api/v1/workloads/${id}/evidence`)).body;
  const owner = ev.provenance.find((p) => p.field === 'owner');
  assert.equal(owner.source, `import:${r.body.import}:workloads`);
  assert.equal(owner.observed_at, '2026-12-01T09:00:00Z');
  const hr = await workloadId('HR policy assistant');
  const hrEv = (await api(srv.base, 'GET', `/api/v1/workloads/${hr}/evidence`)).body;
  assert.deepEqual(hrEv.provenance.map((p) => p.field).sort(), ['criticality', 'notes', 'owner', 'team', 'users']);
  const audit = (await api(srv.base, 'GET', '/api/v1/audit?entity=import')).body.items;
  const after = audit[0].after;
  assert.equal(after.sha256, r.body.sha256);
  assert.equal(after.created, 1);
  assert.equal(after.changed, 1);

  const again = await upload('workloads', file('workloads.csv'), { dry: false });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body.counts, { create: 0, change: 0, unchanged: 2, rejected: 0 });
  assert.equal(count('audit_events'), events + 4); // only the second import's own event
  const list = (await api(srv.base, 'GET', '/api/v1/imports')).body;
  assert.equal(list.items[0].id, again.body.import);
  assert.equal(list.items[0].changed, 0);
});

test('workloads: one unknown offering rejects the row, and applying changes nothing', async () => {
  const events = count('audit_events');
  const imports = count('imports');
  const dry = await upload('workloads', file('workloads_unknown.csv'));
  assert.equal(dry.status, 200);
  assert.deepEqual(dry.body.counts, { create: 1, change: 0, unchanged: 0, rejected: 1 });
  const bad = dry.body.items.find((i) => i.action === 'rejected');
  assert.deepEqual([bad.row, bad.column, bad.column_name], [3, 6, 'dependencies']);
  assert.match(bad.reason, /unknown offering "Acme Speech Cloud"/);
  const r = await upload('workloads', file('workloads_unknown.csv'), { dry: false });
  assert.equal(r.status, 422);
  assert.equal(r.body.plan.counts.rejected, 1);
  assert.equal(await workloadId('Translation service pilot'), undefined); // the good row was not applied
  assert.equal(count('audit_events'), events);
  assert.equal(count('imports'), imports);
});

test('malformed files are refused naming row and column, changing nothing', async () => {
  const events = count('audit_events');
  const r = await upload('workloads', file('workloads_malformed.csv'), { dry: false });
  assert.equal(r.status, 400);
  assert.deepEqual([r.body.errors[0].row, r.body.errors[0].column], [3, 2]);
  assert.match(r.body.detail, /^Row 3, column 2: a quote inside an unquoted field/);
  const unknownCol = await upload('workloads', 'name,colour\r\nx,blue\r\n', { dry: false });
  assert.equal(unknownCol.status, 400);
  assert.deepEqual([unknownCol.body.errors[0].row, unknownCol.body.errors[0].column], [1, 2]);
  const focus = await upload('focus', 'BilledCost,EffectiveCost\n1,1\n', { dry: false });
  assert.equal(focus.status, 400);
  assert.match(focus.body.detail, /BillingCurrency is missing/);
  const empty = await upload('workloads', '', { dry: false });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.detail, 'The file is empty.');
  const badKind = await upload('spreadsheets', 'x');
  assert.equal(badKind.status, 400);
  assert.equal(badKind.body.errors[0].parameter, 'kind');
  assert.equal(await workloadId('Good row'), undefined);
  assert.equal(count('audit_events'), events);
});

test('a viewer may not import; a wrong type is 415', async () => {
  const r = await upload('workloads', file('workloads.csv'), { token: viewer });
  assert.equal(r.status, 403);
  const t = await upload('workloads', file('workloads.csv'), { type: 'image/png' });
  assert.equal(t.status, 415);
});

test('workloads: the export imported again plans no change (lossless round trip)', async () => {
  const res = await fetch(`${srv.base}/api/v1/exports/workloads.csv`, { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  const csv = await res.text();
  assert.ok(csv.startsWith('name,purpose,owner,team,track,status,criticality,'));
  const total = (await api(srv.base, 'GET', '/api/v1/workloads?limit=1')).body.total;
  const r = await upload('workloads', csv);
  assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 500));
  assert.equal(r.body.rows, total);
  assert.deepEqual(r.body.counts, { create: 0, change: 0, unchanged: total, rejected: 0 });
});

test('focus: cost allocated by tag per workload and month; unallocated reported; idempotent', async () => {
  const broker = await workloadId('Broker email summariser');
  const claims = await workloadId('Claims handler knowledge agent');
  const dry = await upload('focus', file('focus.csv'));
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.equal(dry.body.rows, 43);
  assert.deepEqual(dry.body.counts, { create: 2, change: 0, unchanged: 0, rejected: 0 });
  const b = dry.body.items.find((i) => i.id === broker);
  assert.equal(b.name, 'Broker email summariser 2026-11 USD');
  assert.deepEqual(b.changes.map((c) => [c.field, c.new]), [['effective_cost', '1197.00'], ['billed_cost', '1237.50']]);
  const un = dry.body.summary.unallocated.sort((x, y) => x.tag.localeCompare(y.tag));
  assert.deepEqual(un.map((u) => [u.tag, u.rows, u.effective_cost, u.month]),
    [['', 2, 8.5, '2026-11'], ['Shadow IT chatbot', 1, 3.1, '2026-11']]);
  assert.equal(dry.body.summary.tag_key, 'workload');

  const r = await upload('focus', file('focus.csv'), { dry: false });
  assert.equal(r.status, 200);
  const ev = (await api(srv.base, 'GET', `/api/v1/workloads/${broker}/evidence`)).body;
  assert.equal(ev.actual_spend.length, 1);
  assert.deepEqual([ev.actual_spend[0].month, ev.actual_spend[0].actual, ev.actual_spend[0].declared, ev.actual_spend[0].difference],
    ['2026-11', 1197, 12600, -11403]);
  assert.equal(ev.usage_stale, false);
  assert.equal(ev.stale_after_days, 45);
  assert.ok(ev.provenance.some((p) => p.field === 'actual_spend:2026-11:USD' && p.source === `import:${r.body.import}:focus`));
  const c = (await api(srv.base, 'GET', `/api/v1/workloads/${claims}/evidence`)).body;
  assert.equal(c.actual_spend[0].actual, 120);

  const again = await upload('focus', file('focus.csv'), { dry: false });
  assert.deepEqual(again.body.counts, { create: 0, change: 0, unchanged: 2, rejected: 0 });
  // Another tag key allocates nothing: every row is unallocated.
  const other = await upload('focus', file('focus.csv'), { query: '&tag_key=costcenter' });
  assert.deepEqual(other.body.counts, { create: 0, change: 0, unchanged: 0, rejected: 0 });
  assert.equal(other.body.summary.tag_key, 'costcenter');
});

test('focus: a bad amount rejects its row with row and column; apply changes nothing', async () => {
  const events = count('audit_events');
  const r = await upload('focus', file('focus_bad_row.csv'), { dry: false });
  assert.equal(r.status, 422);
  const bad = r.body.plan.items.find((i) => i.action === 'rejected');
  assert.deepEqual([bad.row, bad.column, bad.column_name], [3, 1, 'BilledCost']);
  assert.match(bad.reason, /BilledCost "n\/a" is not a number/);
  assert.equal(count('audit_events'), events);
});

test('the command line imports a file and says when it changed nothing', () => {
  const run = (args) => spawnSync(BIN, ['import', ...args, ...dbArgs(srv.db)], { encoding: 'utf8', env: { ...process.env, ...ENV } });
  const dry = run(['workloads', join(FIX, 'workloads.csv'), '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  const plan = JSON.parse(dry.stdout);
  assert.deepEqual(plan.counts, { create: 0, change: 0, unchanged: 2, rejected: 0 });
  assert.equal(plan.file_name, 'workloads.csv');
  const bad = run(['workloads', join(FIX, 'workloads_malformed.csv')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /row 3, column 2: a quote inside an unquoted field/);
  const rejected = run(['workloads', join(FIX, 'workloads_unknown.csv')]);
  assert.equal(rejected.status, 1);
  assert.match(rejected.stderr, /nothing was changed/);
});

test('litellm: gateway config gives the tagged workload a swap layer and its fallbacks as alternatives; idempotent', async () => {
  const triage = await workloadId('Claims triage assistant');
  const yaml = file('litellm_config.yaml');
  const dry = await upload('litellm', yaml, { type: 'application/yaml' });
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.equal(dry.body.rows, 6);
  assert.deepEqual(dry.body.counts, { create: 0, change: 1, unchanged: 0, rejected: 0 });
  const it = dry.body.items[0];
  assert.equal(it.id, triage);
  assert.deepEqual(it.changes.find((c) => c.field === 'swap_layer'), { field: 'swap_layer', old: 'false', new: 'true' });
  assert.equal(it.changes.find((c) => c.field === 'alternatives').new,
    'Azure OpenAI in Microsoft Foundry Models -> Claude on Amazon Bedrock; Azure OpenAI in Microsoft Foundry Models -> OpenAI API');
  assert.deepEqual(dry.body.summary.unknown_providers, [{ index: 4, group: 'summariser-experimental', model: 'sagemaker/jumpstart-llama-3-70b' }]);
  const r = await upload('litellm', yaml, { dry: false, type: 'application/yaml' });
  assert.equal(r.status, 200);
  const w = (await api(srv.base, 'GET', `/api/v1/workloads/${triage}`)).body;
  assert.equal(w.swap_layer, true);
  assert.equal(w.alternatives.length, 2);
  assert.equal(w.risk.factors.some((f) => f.code === 'no_swap_layer'), false);
  const ev = (await api(srv.base, 'GET', `/api/v1/workloads/${triage}/evidence`)).body;
  assert.equal(ev.provenance.find((p) => p.field === 'swap_layer').source, `import:${r.body.import}:litellm`);
  assert.deepEqual((await upload('litellm', yaml, { dry: false, type: 'application/yaml' })).body.counts,
    { create: 0, change: 0, unchanged: 1, rejected: 0 });
  // The mapping is stored: without the tag the group still maps.
  const untagged = yaml.toString().replace('tags: ["workload:Claims triage assistant", "team:claims"]', 'tags: ["team:claims"]');
  assert.deepEqual((await upload('litellm', untagged, { type: 'application/yaml' })).body.counts,
    { create: 0, change: 0, unchanged: 1, rejected: 0 });
  // Malformed YAML names its line and column and changes nothing.
  const bad = await upload('litellm', 'model_list:\n  - model_name: a\n    litellm_params: {model: "azure/x"\n', { dry: false, type: 'application/yaml' });
  assert.equal(bad.status, 400);
  assert.ok(bad.body.errors[0].row >= 3, JSON.stringify(bad.body));
  const shape = await upload('litellm', 'general_settings:\n  master_key: x\n', { dry: false, type: 'application/yaml' });
  assert.equal(shape.status, 400);
  assert.match(shape.body.detail, /no model_list/);
});

test('lifecycle: Azure model list updates retirement dates (admins only); Bedrock list parses; idempotent', async () => {
  const offs = (await api(srv.base, 'GET', '/api/v1/offerings?limit=500')).body.items;
  const gpt4o = offs.find((o) => o.model_version === 'gpt-4o 2024-11-20');
  const azure = file('azure_models.json');
  const architect = await srv.tokenFor('architect');
  assert.equal((await upload('lifecycle', azure, { token: architect, type: 'application/json' })).status, 403);
  const dry = await upload('lifecycle', azure, { type: 'application/json' });
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.deepEqual([dry.body.summary.format, dry.body.summary.models, dry.body.summary.matched], ['azure', 3, 2]);
  assert.deepEqual(dry.body.summary.unmatched, [{ row: 3, model: 'text-embedding-3-large 1', provider: '',
    reason: 'no Microsoft offering has this model version' }]);
  assert.deepEqual(dry.body.counts, { create: 0, change: 1, unchanged: 1, rejected: 0 });
  const ch = dry.body.items.find((i) => i.action === 'change');
  assert.equal(ch.id, gpt4o.id);
  assert.deepEqual(ch.changes.find((c) => c.field === 'retires'), { field: 'retires', old: gpt4o.retires, new: '2026-11-20' });
  assert.equal(ch.changes.find((c) => c.field === 'as_of').new, '2026-12-01');
  const r = await upload('lifecycle', azure, { dry: false, type: 'application/json' });
  assert.equal(r.status, 200);
  const after = (await api(srv.base, 'GET', `/api/v1/offerings/${gpt4o.id}`)).body;
  assert.equal(after.retires, '2026-11-20');
  assert.equal(after.source, 'https://learn.microsoft.com/en-us/rest/api/aifoundry/accountmanagement/models/list');
  assert.deepEqual((await upload('lifecycle', azure, { dry: false, type: 'application/json' })).body.counts,
    { create: 0, change: 0, unchanged: 2, rejected: 0 });
  const bedrock = await upload('lifecycle', file('bedrock_models.json'), { type: 'application/json' });
  assert.deepEqual([bedrock.body.summary.format, bedrock.body.summary.models, bedrock.body.summary.matched], ['bedrock', 6, 2]);
  const bad = await upload('lifecycle', '{"value": [\n  {"model": }\n]}', { dry: false, type: 'application/json' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].row, 2);
});

test('the governance report JSON carries the evidence: provenance and actual spend', async () => {
  const r = await api(srv.base, 'GET', '/api/v1/reports/governance?format=json');
  assert.equal(r.status, 200);
  const ev = r.body.evidence;
  const claims = await workloadId('Claims intake, EU');
  const owner = ev.provenance.find((p) => p.entity === 'workload' && p.id === claims && p.field === 'owner');
  assert.match(owner.source, /^import:\d+:workloads$/);
  const broker = await workloadId('Broker email summariser');
  assert.deepEqual(ev.actual_spend.filter((s) => s.workload === broker).map((s) => [s.month, s.currency, s.actual, s.billed_cost]),
    [['2026-11', 'USD', 1197, 1237.5]]);
  assert.ok(ev.provenance.some((p) => p.entity === 'offering' && p.field === 'retires'));
});

test('declared only: active workloads whose swap layer or alternatives no import observed', async () => {
  const list = (await api(srv.base, 'GET', '/api/v1/imports')).body;
  const triage = await workloadId('Claims triage assistant');
  const claims = await workloadId('Claims intake, EU');
  // The gateway import observed triage's swap layer and alternatives.
  assert.equal(list.declared_only.some((d) => d.id === triage), false);
  // The inventory import set claims intake's swap layer: observed as well.
  assert.equal(list.declared_only.some((d) => d.id === claims), false);
  const demo = (await api(srv.base, 'GET', '/api/v1/workloads?limit=500')).body.items
    .filter((w) => ['pilot', 'production'].includes(w.status) && w.swap_layer && w.id !== triage && w.id !== claims);
  for (const w of demo) assert.ok(list.declared_only.some((d) => d.id === w.id && d.swap_layer), w.name);
  assert.ok(demo.length > 0);
});

test('the demo evidence files in seeds/evidence import cleanly against the demo', async () => {
  const seeds = join(import.meta.dirname, '..', '..', 'seeds', 'evidence');
  const focus = await upload('focus', readFileSync(join(seeds, 'focus-2026-11.csv')));
  assert.equal(focus.status, 200, JSON.stringify(focus.body));
  assert.equal(focus.body.counts.rejected, 0);
  assert.equal(focus.body.counts.create + focus.body.counts.change + focus.body.counts.unchanged, 4);
  assert.deepEqual(focus.body.summary.unallocated.map((u) => [u.tag, u.rows]), [['', 30]]);
  const gw = await upload('litellm', readFileSync(join(seeds, 'gateway.yaml')), { type: 'application/yaml' });
  assert.equal(gw.status, 200);
  assert.equal(gw.body.counts.rejected, 0);
  const lc = await upload('lifecycle', readFileSync(join(seeds, 'azure-models.json')), { type: 'application/json' });
  assert.equal(lc.status, 200);
  assert.equal(lc.body.summary.matched, lc.body.summary.models);
  const rt = await upload('lifecycle', readFileSync(join(seeds, 'azure-retirements.json')), { type: 'application/json' });
  assert.equal(rt.status, 200, JSON.stringify(rt.body));
  assert.deepEqual([rt.body.summary.format, rt.body.summary.models, rt.body.summary.matched, rt.body.summary.successors_unmatched],
    ['azure-retirements', 4, 4, 0]);
});
