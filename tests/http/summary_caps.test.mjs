// summary_caps.test.mjs - the summary and strategy views embed bounded lists:
// an upstream term names its first 20 workloads by id and counts them all
// (a 10,000-workload portfolio made each term list 200 and the summary near
// 1 MB, past the response cache's entry limit). Demo data plus 25 new
// workloads on the Microsoft licence to OpenAI models.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, workloadBody } from './harness.mjs';

const TODAY = '2026-05-01';
const ADDED = 25;
let srv;
before(async () => { srv = await startServer({ demo: true, env: { SWITCHYARD_TODAY: TODAY } }); });
after(async () => { await srv?.stop(); });

const req = (method, path, body) => api(srv.base, method, path, body);
async function ok(method, path, body, status = 200) {
  const r = await req(method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}
const licenceOf = (view) => view.upstream_terms.find((t) => t.kind === 'licence' && t.until === '2032-12-31');

test('an upstream term lists its first 20 workloads by id and counts them all', async () => {
  const before = licenceOf(await ok('GET', '/api/v1/portfolio/summary'));
  assert.ok(before, 'the demo has the licence term');
  assert.ok(before.count < 20, `demo count ${before.count}`);
  assert.equal(before.workloads.length, before.count);

  const offerings = (await ok('GET', '/api/v1/offerings?limit=500')).items;
  const azureOpenAI = offerings.find((o) => o.name === 'Azure OpenAI in Microsoft Foundry Models');
  const ids = [];
  for (let i = 0; i < ADDED; i++) {
    const w = await ok('POST', '/api/v1/workloads', workloadBody({
      name: `Cap check ${i}`, track: 'azure', status: 'production', criticality: 'medium',
      dependencies: [{ offering: azureOpenAI.id, role: 'model' }],
    }), 201);
    ids.push(w.id);
  }

  const s = await ok('GET', '/api/v1/portfolio/summary');
  const licence = licenceOf(s);
  assert.equal(licence.count, before.count + ADDED);
  assert.equal(licence.workloads.length, 20);
  const expected = [...before.workloads.map((w) => w.id), ...ids].sort((a, b) => a - b).slice(0, 20);
  assert.deepEqual(licence.workloads.map((w) => w.id), expected);
  for (const t of s.upstream_terms) assert.ok(t.workloads.length <= 20 && t.workloads.length <= t.count);

  // The Azure view filters to its track, with the same bound.
  const v = licenceOf(await ok('GET', '/api/v1/strategies/azure'));
  assert.equal(v.workloads.length, 20);
  assert.ok(v.count >= ADDED && v.count <= licence.count, `azure count ${v.count}`);
});
