// lean_texts.test.mjs - the shared snapshot leaves the workloads' long free
// text (purpose, intended_purpose, notes) out of its load; the responses
// that show them read them from the store for their rows (issue 20). Each
// reader must show what a single GET shows, also after writes that derive
// the snapshot (a workload's texts, then an offering: the catalogue reload)
// and for a workload deleted meanwhile: the list page, the CycloneDX BOM
// (description = purpose), the AI Act register (JSON and CSV).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './harness.mjs';

const ENV = { SWITCHYARD_TODAY: '2026-05-04', SWITCHYARD_NOW: '2026-05-04T09:30:00Z' };
let srv;
const req = (method, path, body, headers) => api(srv.base, method, path, body, headers);
before(async () => { srv = await startServer({ env: ENV }); });
after(async () => { await srv?.stop(); });

const TEXTS = ['purpose', 'intended_purpose', 'notes'];

async function listed() {
  const page = await req('GET', '/api/v1/workloads?limit=500&sort=name');
  assert.equal(page.status, 200);
  assert.equal(page.body.items.length, page.body.total);
  return page.body.items;
}

// Every listed workload's texts are the ones its own GET (read fresh from
// the store) gives; returns how many had a non-empty purpose.
async function listMatchesSingle() {
  const items = await listed();
  let withPurpose = 0;
  for (const item of items) {
    const one = await req('GET', `/api/v1/workloads/${item.id}`);
    assert.equal(one.status, 200);
    for (const k of TEXTS) assert.equal(item[k], one.body[k], `${item.id} ${k}`);
    withPurpose += item.purpose !== '';
  }
  return { n: items.length, withPurpose };
}

async function register() {
  const res = await req('GET', '/api/v1/reports/ai-act?format=json');
  assert.equal(res.status, 200);
  return res.body;
}

test('every reader shows the stored texts, before and after writes', async () => {
  const first = await listMatchesSingle();
  assert.ok(first.n >= 40, `the demo has its workloads (${first.n})`);
  assert.ok(first.withPurpose >= 40, 'the demo workloads have purposes');

  const target = (await listed()).find((w) => w.status === 'production');
  const purpose = 'Lean snapshot check: a purpose written after the first build.';
  const patched = await req('PATCH', `/api/v1/workloads/${target.id}`,
    { purpose, notes: 'Notes after the build.', intended_purpose: 'Intended, after the build.' });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.purpose, purpose);
  // A catalogue write: the derived snapshot reloads the catalogue.
  const offering = (await req('GET', '/api/v1/offerings?limit=1')).body.items[0];
  const o = await req('PATCH', `/api/v1/offerings/${offering.id}`,
    { interface: offering.interface === 'proprietary' ? 'open_standard' : 'proprietary' });
  assert.equal(o.status, 200, JSON.stringify(o.body));

  const again = await listMatchesSingle();
  assert.equal(again.n, first.n);
  const row = (await listed()).find((w) => w.id === target.id);
  assert.equal(row.purpose, purpose);
  assert.equal(row.notes, 'Notes after the build.');
  assert.equal(row.intended_purpose, 'Intended, after the build.');

  // CycloneDX: one workload, and the whole active set.
  const one = await req('GET', `/api/v1/reports/cyclonedx?workload=${target.id}`);
  assert.equal(one.status, 200);
  const comp = (b) => b.components.find((c) => c['bom-ref'] === `switchyard:workload:${target.id}`);
  assert.equal(comp(one.body).description, purpose);
  const all = await req('GET', '/api/v1/reports/cyclonedx');
  assert.equal(all.status, 200);
  assert.equal(comp(all.body).description, purpose);
  const described = all.body.components.filter((c) => c.type === 'application' && c.description);
  assert.ok(described.length >= 30, `workload components carry their purposes (${described.length})`);

  // The AI Act register, JSON and CSV.
  const reg = await register();
  const rows = reg.items ?? reg.register ?? reg.workloads ?? reg.rows;
  assert.ok(Array.isArray(rows), `register rows (${Object.keys(reg)})`);
  assert.equal(rows.find((r) => r.workload_id === target.id).intended_purpose, 'Intended, after the build.');
  for (const r of rows) {
    const w = await req('GET', `/api/v1/workloads/${r.workload_id}`);
    assert.equal(r.intended_purpose, w.body.intended_purpose, `register ${r.workload_id}`);
  }
  const csv = await req('GET', '/api/v1/reports/ai-act?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.body, /Intended, after the build\./);
});

test('a workload deleted after the build leaves the list, the others keep their texts', async () => {
  const before = await listed();
  const victim = before.find((w) => w.status !== 'production' && w.status !== 'pilot') ?? before.at(-1);
  const del = await req('DELETE', `/api/v1/workloads/${victim.id}`);
  assert.ok([200, 204].includes(del.status), `delete ${del.status}`);
  const after = await listMatchesSingle();
  assert.equal(after.n, before.length - 1);
});
