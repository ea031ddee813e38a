// cyclonedx.test.mjs - GET /api/v1/reports/cyclonedx: the demo portfolio's
// AI-BOM and each demo workload's validate against the official CycloneDX
// 1.6 JSON schema in strict mode (@cyclonedx/cyclonedx-library's
// JsonStrictValidator); the counts, refs and switchyard:* properties agree
// with the API's own answers; roles, audit, bad queries; special characters
// and long values survive JSON escaping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { startServer, api, DECIDED } from './harness.mjs';

const ENV = { SWITCHYARD_TODAY: '2026-05-04', SWITCHYARD_NOW: '2026-05-04T09:30:00Z' };
const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
let srv;
const req = async (method, path, body, headers) => { await turn(); return api(srv.base, method, path, body, headers); };

// The validator compiles the schema on first use, which blocks the event
// loop for seconds: done before the server starts, so no keep-alive
// connection the server closed meanwhile is reused ("other side closed").
// A turn of the loop before each request lets the client see closed ones.
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
before(async () => {
  await validator.validate(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 }));
  srv = await startServer({ env: ENV });
});
after(async () => { await srv?.stop(); });

async function bom(query = '', token = srv.token) {
  await turn();
  const res = await fetch(`${srv.base}/api/v1/reports/cyclonedx${query}`,
    { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: res.status === 200 ? JSON.parse(text) : text };
}

async function assertValid(text, what) {
  const errors = await validator.validate(text);
  assert.equal(errors, null, `${what}: ${JSON.stringify(errors, null, 1)}`);
}

const prop = (item, name) => (item.properties || []).filter((p) => p.name === name).map((p) => p.value);

async function activeWorkloads() {
  const all = (await req('GET', '/api/v1/workloads?limit=500')).body.items;
  return all.filter((w) => w.status === 'pilot' || w.status === 'production');
}

test('the portfolio BOM validates in strict mode and holds the active set', async () => {
  const r = await bom();
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/vnd\.cyclonedx\+json/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="ai-bom-2026-05-04\.cdx\.json"$/);
  await assertValid(r.text, 'portfolio');
  const b = r.body;
  assert.equal(b.bomFormat, 'CycloneDX');
  assert.equal(b.specVersion, '1.6');
  assert.match(b.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(b.metadata.timestamp, '2026-05-04T09:30:00Z', 'the injectable clock');
  assert.equal(b.metadata.tools.components[0].name, 'Switchyard');
  assert.ok(b.metadata.tools.components[0].version);
  assert.equal(b.metadata.component['bom-ref'], 'switchyard:portfolio');
  assert.deepEqual(prop(b.metadata, 'switchyard:as_of'), ['2026-05-04']);

  const active = await activeWorkloads();
  assert.ok(active.length >= 5, `demo has ${active.length} active workloads`);
  const apps = b.components.filter((c) => c.type === 'application');
  const models = b.components.filter((c) => c.type === 'machine-learning-model');
  assert.equal(apps.length, active.length);
  assert.equal(apps.length + models.length, b.components.length);
  assert.deepEqual(apps.map((c) => c['bom-ref']).sort(), active.map((w) => `switchyard:workload:${w.id}`).sort());

  // Offerings: exactly those the active workloads depend on; model APIs as
  // machine-learning-model components, the rest as services.
  const offerings = new Map((await req('GET', '/api/v1/offerings?limit=500')).body.items.map((o) => [o.id, o]));
  const used = new Set(active.flatMap((w) => w.dependencies.map((d) => d.offering)));
  const wantModels = [...used].filter((id) => offerings.get(id).category === 'model_api');
  assert.ok(wantModels.length >= 2);
  assert.deepEqual(models.map((c) => c['bom-ref']).sort(), wantModels.map((id) => `switchyard:offering:${id}`).sort());
  assert.equal(b.services.length, used.size - wantModels.length);
  for (const m of models) {
    const o = offerings.get(Number(m['bom-ref'].split(':')[2]));
    assert.equal(m.name, o.name);
    assert.equal(m.supplier.name, o.provider_name ?? m.supplier.name);
    if (o.model_version) assert.equal(m.version, o.model_version);
    else assert.equal(m.version, undefined);
    if (o.url) assert.ok(m.externalReferences.some((e) => e.url === o.url && e.type === 'documentation'));
    assert.ok(Array.isArray(m.modelCard.considerations.useCases) && m.modelCard.considerations.useCases.length >= 1);
  }
  for (const s of b.services) assert.ok(s.provider.name, `${s.name} names its provider`);

  // Every ref of the dependency graph resolves; portfolio -> workloads -> offerings.
  const refs = new Set([b.metadata.component['bom-ref'], ...b.components.map((c) => c['bom-ref']),
    ...b.services.map((s) => s['bom-ref'])]);
  assert.equal(refs.size, 1 + b.components.length + b.services.length, 'bom-refs are unique');
  for (const d of b.dependencies) {
    assert.ok(refs.has(d.ref), d.ref);
    for (const on of d.dependsOn || []) assert.ok(refs.has(on), `${d.ref} -> ${on}`);
  }
  const top = b.dependencies.find((d) => d.ref === 'switchyard:portfolio');
  assert.equal(top.dependsOn.length, active.length);
  for (const w of active) {
    const d = b.dependencies.find((x) => x.ref === `switchyard:workload:${w.id}`);
    assert.deepEqual(d.dependsOn.sort(), [...new Set(w.dependencies.map((x) => `switchyard:offering:${x.offering}`))].sort());
  }
});

test('each demo workload BOM validates and carries the score GET /workloads/{id} shows', async () => {
  const active = await activeWorkloads();
  let drilled = 0;
  for (const w of active) {
    const r = await bom(`?workload=${w.id}`);
    assert.equal(r.status, 200, w.name);
    assert.match(r.headers.get('content-disposition'), new RegExp(`ai-bom-workload-${w.id}-2026-05-04\\.cdx\\.json`));
    await assertValid(r.text, w.name);
    const one = (await req('GET', `/api/v1/workloads/${w.id}`)).body;
    const apps = r.body.components.filter((c) => c.type === 'application');
    assert.equal(apps.length, 1);
    const app = apps[0];
    assert.equal(app.name, one.name);
    assert.deepEqual(prop(app, 'switchyard:lock_in_score'), [String(one.risk.score)]);
    assert.deepEqual(prop(app, 'switchyard:lock_in_level'), [one.risk.level]);
    assert.deepEqual(prop(app, 'switchyard:priority'), [one.risk.priority]);
    assert.deepEqual(prop(app, 'switchyard:flagged'), [String(one.risk.flagged)]);
    const drills = (await req('GET', `/api/v1/workloads/${w.id}/drills`)).body.items;
    if (drills.length) {
      drilled++;
      assert.deepEqual(prop(app, 'switchyard:last_drill_result'), [drills[0].result]);
      assert.deepEqual(prop(app, 'switchyard:last_drill_date'), [drills[0].drilled_on]);
    } else {
      assert.deepEqual(prop(app, 'switchyard:last_drill_result'), ['none']);
    }
    const n = new Set(one.dependencies.map((d) => d.offering)).size;
    assert.equal(r.body.components.length - 1 + r.body.services.length, n, `${w.name}: one entry per offering`);
  }
  // A drill recorded now shows in the BOM.
  const w = active.find((x) => x.alternatives.length);
  if (w) {
    const alt = w.alternatives[0];
    const rec = await req('POST', `/api/v1/workloads/${w.id}/drills`,
      { dependency: alt.dependency, offering: alt.offering, drilled_on: '2026-05-01', result: 'failed', evidence: 'cdx test' });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
    const app = (await bom(`?workload=${w.id}`)).body.components[0];
    assert.deepEqual(prop(app, 'switchyard:last_drill_result'), ['failed']);
    assert.deepEqual(prop(app, 'switchyard:last_drill_date'), ['2026-05-01']);
  }
  assert.ok(drilled + (w ? 1 : 0) >= 1);
});

test('special characters and long values survive JSON escaping and stay valid', async () => {
  const nasty = '=cmd|\' /C calc\'!A0 "quoted" \\back\\slash <script>alert(1)</script> ü€😀';
  const purpose = `Line one\n\ttabbed "line" two\n${'Lang, sehr lang; '.repeat(120)}`.slice(0, 2000);
  const offering = (await req('GET', '/api/v1/offerings?limit=1&category=model_api')).body.items[0];
  const created = await req('POST', '/api/v1/workloads', {
    ...DECIDED, name: nasty, purpose, track: offering.track, status: 'pilot', criticality: 'high',
    owner: '+SUM(A1:A9)', dependencies: [{ offering: offering.id, role: 'model' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const r = await bom(`?workload=${created.body.id}`);
  assert.equal(r.status, 200);
  await assertValid(r.text, 'nasty');
  const app = r.body.components.find((c) => c.type === 'application');
  assert.equal(app.name, nasty);
  assert.equal(app.description, purpose);
  assert.deepEqual(prop(app, 'switchyard:owner'), ['+SUM(A1:A9)']);
  const model = r.body.components.find((c) => c.type === 'machine-learning-model');
  assert.deepEqual(model.modelCard.considerations.useCases, [nasty]);
  // The portfolio BOM with it still validates.
  await assertValid((await bom()).text, 'portfolio with nasty');
});

test('roles, audit and bad queries', async () => {
  const users = { vic: 'viewer', ann: 'architect', aud: 'auditor', lea: 'leadership' };
  const token = {};
  for (const [name, role] of Object.entries(users)) {
    const password = `${name}-password-0123`;
    assert.equal((await req('POST', '/api/v1/users', { name, role, password })).status, 201);
    srv.users[name] = password;
    token[name] = await srv.tokenFor(name);
  }
  const count = async () => (await req('GET', '/api/v1/audit?entity=report&action=export')).body.total;
  const before0 = await count();
  for (const name of ['vic', 'ann', 'lea']) assert.equal((await bom('', token[name])).status, 403, name);
  assert.equal((await bom('', null)).status, 401);
  assert.equal(await count(), before0, 'refused exports are not recorded');
  const r = await bom('', token.aud);
  assert.equal(r.status, 200);
  assert.equal(await count(), before0 + 1);
  const ev = (await req('GET', '/api/v1/audit?entity=report&action=export&limit=1')).body.items[0];
  assert.match(ev.actor, /^token:\d+:aud$/);
  assert.equal(ev.after.report, 'cyclonedx');
  assert.equal(ev.after.format, 'json');
  assert.equal(ev.after.workload, null);
  assert.equal(ev.after.document_sha256, createHash('sha256').update(r.text).digest('hex'));
  // Two exports of unchanged data: same content, different serial numbers.
  const again = (await bom('', token.aud)).body;
  assert.notEqual(again.serialNumber, r.body.serialNumber);
  assert.deepEqual(again.components, r.body.components);

  for (const [q, param] of [['?workload=0', 'workload'], ['?workload=abc', 'workload'],
    ['?workload=-3', 'workload'], ['?format=xml', 'format']]) {
    const bad = await bom(q);
    assert.equal(bad.status, 400, q);
    assert.match(bad.text, new RegExp(param));
  }
  assert.equal((await bom('?workload=999999')).status, 404);
  assert.equal(await count(), before0 + 2, 'bad queries export nothing');
});

test('the signed bundle carries the portfolio BOM, valid, without serial number or timestamp', async () => {
  const res = await fetch(`${srv.base}/api/v1/reports/governance?format=bundle`, { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(res.status, 200);
  const work = mkdtempSync(join(tmpdir(), 'cdx-bundle-'));
  try {
    writeFileSync(join(work, 'b.tar.gz'), Buffer.from(await res.arrayBuffer()));
    execFileSync('tar', ['-xzf', 'b.tar.gz'], { cwd: work });
    const dir = join(work, readdirSync(work).find((n) => n.startsWith('governance-report-')));
    const text = readFileSync(join(dir, 'ai-bom.cdx.json'), 'utf8');
    await assertValid(text, 'bundle BOM');
    const inBundle = JSON.parse(text);
    assert.equal(inBundle.serialNumber, undefined);
    assert.equal(inBundle.metadata.timestamp, undefined);
    const live = (await bom()).body;
    assert.deepEqual(inBundle.components, live.components);
    assert.deepEqual(inBundle.dependencies, live.dependencies);
    assert.equal(execFileSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: dir, encoding: 'utf8' })
      .split('\n').filter((l) => /ai-bom\.cdx\.json: OK|ai-act-register\.csv: OK/.test(l)).length, 2);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
