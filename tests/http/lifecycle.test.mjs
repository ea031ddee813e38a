// lifecycle.test.mjs - the `lifecycle` import (issue 16, item 4) beyond the
// basics of imports.test.mjs: successors from Azure's retirement table, fed
// into the compliance finding "model retiring with no successor" and the
// horizon factor; Bedrock's ListFoundationModels matched by provider and
// model ID with every unmatched model listed; malformed files of every
// shape refused naming the record and field, changing nothing; and
// `switchyard import lifecycle --url` against a local HTTP server (never
// the internet): success, 404, too large. "Today" is 2026-09-01, so the
// real gpt-4o retirement (2026-10-01) is within the 90 days.
// Fixtures: tests/http/fixtures/imports/ (see its README).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { startServer, api, BIN, dbArgs, DECIDED } from './harness.mjs';

const FIX = join(import.meta.dirname, 'fixtures', 'imports');
const ENV = { SWITCHYARD_TODAY: '2026-09-01', SWITCHYARD_NOW: '2026-09-01T09:00:00Z' };
let srv;

before(async () => { srv = await startServer({ env: ENV }); });
after(async () => { await srv.stop(); });

const file = (name) => readFileSync(join(FIX, name));
const count = (table) => Number(srv.sql(`SELECT count(*) FROM ${table};`).trim());

async function upload(body, { dry = true, name = 'lifecycle.json' } = {}) {
  const res = await fetch(`${srv.base}/api/v1/imports?kind=lifecycle&dry_run=${dry}&file_name=${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${srv.token}` },
    body,
  });
  return { status: res.status, body: await res.json() };
}

const ok = async (method, path, body) => {
  const r = await api(srv.base, method, path, body);
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};
const offeringsByName = async () =>
  Object.fromEntries((await ok('GET', '/api/v1/offerings?limit=500')).items.map((o) => [o.name, o]));
const findings = async (code, offering) =>
  (await ok('GET', '/api/v1/compliance')).items.filter((f) => f.code === code && f.detail.startsWith(offering));

test('a successor from Azure\'s retirement table clears "retiring with no successor"; a new date raises it', async () => {
  const off = await offeringsByName();
  const gpt4o = off['GPT-4o on Azure OpenAI (2024-11-20)'];
  const gpt51 = off['GPT-5.1 on Azure OpenAI (2025-11-13)'];
  const microsoft = gpt4o.provider;
  // Forget the catalogue's successor, so only the import can bring it back.
  await ok('PATCH', `/api/v1/offerings/${gpt4o.id}`, { successor: null });
  // o4-mini 2025-04-16: in the catalogue without a retirement date.
  const o4 = await ok('POST', '/api/v1/offerings', {
    name: 'o4-mini on Azure OpenAI (2025-04-16)', provider: microsoft, publisher: gpt4o.publisher,
    host: microsoft, track: 'azure', category: 'model_api', interface: 'openai_compatible',
    model_version: 'o4-mini 2025-04-16',
  });
  const w = await ok('POST', '/api/v1/workloads', {
    ...DECIDED, name: 'Lifecycle test workload', track: 'azure', status: 'production', criticality: 'medium',
    owner: 'Test Owner', dependencies: [{ offering: gpt4o.id, role: 'model' }, { offering: o4.id, role: 'model' }],
  });
  assert.equal((await findings('model_retiring', gpt4o.name)).length, 1);
  assert.equal((await findings('model_retiring', o4.name)).length, 0);
  const horizonBefore = w.risk.factors.find((f) => f.code === 'horizon');
  assert.ok(!horizonBefore || !horizonBefore.reason.includes(o4.name));

  const table = file('azure_retirements.json');
  const dry = await upload(table);
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.equal(dry.body.summary.format, 'azure-retirements');
  assert.equal(dry.body.summary.models, 6);
  assert.equal(dry.body.summary.matched, 3);
  assert.deepEqual(dry.body.summary.unmatched.map((u) => [u.row, u.model]),
    [[3, 'o3-mini 2025-01-31'], [5, 'sora-2 2025-10-06'], [6, 'gpt-5.2 2025-12-11']]);
  assert.equal(dry.body.summary.unmatched[0].reason, 'no Microsoft offering has this model version');
  assert.deepEqual(dry.body.counts, { create: 0, change: 2, unchanged: 1, rejected: 0 });
  const a = dry.body.items.find((i) => i.id === gpt4o.id);
  assert.equal(a.row, 1);
  assert.deepEqual(a.changes.map((c) => [c.field, c.old, c.new]), [
    ['deprecated', null, '2026-09-01'],
    ['successor', null, gpt51.name],
    ['source', gpt4o.source, 'https://learn.microsoft.com/en-us/azure/foundry/openai/concepts/model-retirement-schedule'],
    ['as_of', gpt4o.as_of, '2026-09-01'],
  ]);
  const b = dry.body.items.find((i) => i.id === o4.id);
  assert.deepEqual(b.changes.filter((c) => c.field === 'retires').map((c) => [c.old, c.new]), [[null, '2026-10-16']]);
  // A dry run changes nothing.
  assert.equal((await ok('GET', `/api/v1/offerings/${gpt4o.id}`)).successor, null);

  const events = count('audit_events');
  const applied = await upload(table, { dry: false });
  assert.equal(applied.status, 200, JSON.stringify(applied.body));
  assert.equal(count('audit_events'), events + 3); // two offerings and the import
  assert.equal((await ok('GET', `/api/v1/offerings/${gpt4o.id}`)).successor, gpt51.id);
  assert.equal((await ok('GET', `/api/v1/offerings/${o4.id}`)).retires, '2026-10-16');
  // The successor cleared gpt-4o's finding; o4-mini's new date raised one.
  assert.equal((await findings('model_retiring', gpt4o.name)).length, 0);
  const raised = await findings('model_retiring', o4.name);
  assert.equal(raised.length, 1);
  assert.match(raised[0].detail, /retires on 2026-10-16, in 45 days, and no successor is named/);
  assert.ok(raised[0].workloads.some((x) => x.id === w.id));
  // The horizon factor names the model's retirement.
  const after = await ok('GET', `/api/v1/workloads/${w.id}`);
  assert.match(after.risk.factors.find((f) => f.code === 'horizon').reason, /o4-mini on Azure OpenAI \(2025-04-16\) retires on 2026-10-16/);
  // Provenance: the successor came from this import.
  const report = await ok('GET', '/api/v1/reports/governance?format=json');
  const prov = report.evidence.provenance.find((p) => p.entity === 'offering' && p.id === gpt4o.id && p.field === 'successor');
  assert.equal(prov.source, `import:${applied.body.import}:lifecycle`);
  // Idempotent.
  assert.deepEqual((await upload(table, { dry: false })).body.counts, { create: 0, change: 0, unchanged: 3, rejected: 0 });
  await ok('DELETE', `/api/v1/workloads/${w.id}`);
});

test('Bedrock: matched by provider and model ID; every other model listed as unmatched, none created', async () => {
  const off = await offeringsByName();
  const s45 = off['Claude Sonnet 4.5 on Amazon Bedrock'];
  const s46 = off['Claude Sonnet 4.6 on Amazon Bedrock'];
  const n = count('offerings');
  const r = await upload(file('bedrock_models.json'));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const s = r.body.summary;
  assert.equal(s.format, 'bedrock');
  assert.equal(s.models, 6);
  assert.equal(s.matched, 2);
  assert.equal(s.unmatched_total, 4);
  assert.deepEqual(s.unmatched.map((u) => [u.row, u.model, u.provider, u.reason]), [
    [3, 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'Anthropic', 'no offering for this model version; the catalogue has only the family offering "Claude on Amazon Bedrock"'],
    [4, 'openai.gpt-oss-120b-1:0', 'OpenAI', 'no offering for this model version; the catalogue has only the family offering "OpenAI models on Amazon Bedrock"'],
    [5, 'mistral.mistral-large-2402-v1:0', 'Mistral AI', 'no offering for this model version; the catalogue has only the family offering "Mistral models on Amazon Bedrock"'],
    [6, 'amazon.nova-pro-v1:0', 'Amazon', 'no Amazon Web Services offering has this model version'],
  ]);
  assert.deepEqual(r.body.counts, { create: 0, change: 1, unchanged: 1, rejected: 0 });
  assert.equal(r.body.items.find((i) => i.action === 'unchanged').id, s46.id);
  const ch = r.body.items.find((i) => i.action === 'change');
  assert.equal(ch.id, s45.id);
  assert.equal(ch.row, 2);
  assert.deepEqual(ch.changes.slice(0, 2).map((c) => [c.field, c.old, c.new]),
    [['deprecated', null, '2026-11-15'], ['retires', null, '2027-05-15']]);
  const applied = await upload(file('bedrock_models.json'), { dry: false });
  assert.equal(applied.status, 200);
  assert.equal(count('offerings'), n);
  const saved = await ok('GET', `/api/v1/offerings/${s45.id}`);
  assert.deepEqual([saved.deprecated, saved.retires, saved.source],
    ['2026-11-15', '2027-05-15', 'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html']);
  // Another provider's model of the same ID would not match (scope).
  const other = JSON.stringify({ modelSummaries: [{ modelId: 'anthropic.claude-sonnet-4-6', providerName: 'Meta', modelLifecycle: { status: 'LEGACY' } }] });
  assert.equal((await upload(other)).body.summary.matched, 0);
});

const MALFORMED = [
  ['azure', '{"value":[{"model":{"name":"gpt-4o","version":"2024-11-20"}},{"model":{"name":"gpt-5.1","version":20251113}}]}', 2, '/value/1/model/version', 'must be a string'],
  ['azure date', '{"value":[{"model":{"name":"gpt-4o","version":"2024-11-20","deprecation":{"inference":"1 Oct 2026"}}}]}', 1, '/value/0/model/deprecation/inference', 'is not a date'],
  ['table', '[{"Model":"gpt-4o","Version":"2024-11-20","Retirement date":"2026-10-01"},{"Model":"o4-mini","Retirement date":"soon"}]', 2, '/1/Retirement date', 'is not a date'],
  ['table model', '[{"Version":"2024-11-20"}]', 1, '/0/Model', 'is missing'],
  ['bedrock', '{"modelSummaries":[{"modelId":"anthropic.claude-sonnet-4-6","modelLifecycle":{"status":"RETIRED"}}]}', 1, '/modelSummaries/0/modelLifecycle/status', 'must be ACTIVE or LEGACY'],
  ['bedrock id', '{"modelSummaries":[{"modelId":"a"},{"modelId":null,"modelName":"b"},{}]}', 2, '/modelSummaries/1/modelId', 'is missing'],
  ['models.dev', '{"openai":{"models":{"gpt-5":{"id":"gpt-5","release_date":"August 2025"}}}}', 1, '/openai/models/gpt-5/release_date', 'is not a date'],
];

test('malformed lifecycle files of every shape: 400 naming the record and field; nothing changes', async () => {
  const events = count('audit_events');
  const imports = count('imports');
  const before = JSON.stringify((await ok('GET', '/api/v1/offerings?limit=500')).items);
  for (const [what, text, row, pointer, reason] of MALFORMED) {
    const r = await upload(text, { dry: false });
    assert.equal(r.status, 400, what);
    assert.equal(r.body.errors[0].row, row, what);
    assert.equal(r.body.errors[0].pointer, pointer, what);
    assert.match(r.body.errors[0].detail, new RegExp(reason), what);
    assert.equal(r.body.detail, `Record ${row}, field ${pointer}: ${r.body.errors[0].detail}`, what);
  }
  // Syntax errors keep their line and column.
  const syntax = await upload('[\n  {"Model": "gpt-4o",}\n]', { dry: false });
  assert.equal(syntax.status, 400);
  assert.equal(syntax.body.errors[0].row, 2);
  assert.equal(count('audit_events'), events);
  assert.equal(count('imports'), imports);
  assert.equal(JSON.stringify((await ok('GET', '/api/v1/offerings?limit=500')).items), before);
});

// The CLI, asynchronously, so this process's HTTP server can answer it.
function cli(args) {
  return new Promise((resolve) => {
    const child = spawn(BIN, ['import', ...args, ...dbArgs(srv.db)], { env: { ...process.env, ...ENV } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('import lifecycle --url: fetched from a local server; 404, oversize and a malformed body refused with nothing changed', async () => {
  const body = file('bedrock_models.json');
  const web = createServer((req, res) => {
    if (req.url === '/models.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    } else if (req.url === '/bad.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"modelSummaries":[{"modelId":"a","modelLifecycle":{"status":"ACTIVE"}},{"modelName":"b"}]}');
    } else if (req.url === '/big.json') {
      // 21 MB, chunked (no Content-Length): cut off at the 20 MB cap.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 21; i++) res.write(chunk);
      res.end();
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not here');
    }
  });
  await new Promise((r) => web.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${web.address().port}`;
  try {
    const imports = count('imports');
    const dry = await cli(['lifecycle', '--url', `${base}/models.json`, '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    const plan = JSON.parse(dry.stdout);
    assert.equal(plan.file_name, `${base}/models.json`);
    assert.equal(plan.summary.format, 'bedrock');
    assert.equal(plan.summary.matched, 2);
    assert.equal(count('imports'), imports);

    const missing = await cli(['lifecycle', '--url', `${base}/nothing.json`]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /the server answered HTTP 404/);
    const big = await cli(['lifecycle', '--url', `${base}/big.json`]);
    assert.equal(big.status, 1);
    assert.match(big.stderr, /larger than 20 MB; nothing was imported/);
    const bad = await cli(['lifecycle', '--url', `${base}/bad.json`]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /bad\.json: record 2, field \/modelSummaries\/1\/modelId: is missing/);
    const plain = await cli(['lifecycle', '--url', 'http://example.com/models.json']);
    assert.equal(plain.status, 1);
    assert.match(plain.stderr, /only https:\/\//);
    assert.equal(count('imports'), imports);

    // Applied: the URL is the import's file name and the facts' source.
    const id = (await offeringsByName())['Claude Sonnet 4.5 on Amazon Bedrock'].id;
    await ok('PATCH', `/api/v1/offerings/${id}`, { retires: null, deprecated: null });
    const applied = await cli(['lifecycle', '--url', `${base}/models.json`]);
    assert.equal(applied.status, 0, applied.stderr);
    assert.equal(count('imports'), imports + 1);
    const saved = await ok('GET', `/api/v1/offerings/${id}`);
    assert.equal(saved.source, `${base}/models.json`);
    assert.equal(saved.retires, '2027-05-15');
    const list = await ok('GET', '/api/v1/imports');
    assert.equal(list.items[0].file_name, `${base}/models.json`);
  } finally {
    await new Promise((r) => web.close(r));
  }
});

test('import lifecycle --url --timeout: a server that trickles bytes is given up on in time, nothing changed', async () => {
  // Headers at once, then a byte every 100 ms for ever: only the total
  // timeout ends it (the connect succeeded, the bytes keep coming).
  const timers = new Set();
  const web = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('[');
    const t = setInterval(() => res.write(' '), 100);
    timers.add(t);
    res.on('close', () => { clearInterval(t); timers.delete(t); });
  });
  await new Promise((r) => web.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${web.address().port}/slow.json`;
  try {
    const imports = count('imports');
    const events = count('audit_events');
    const started = process.hrtime.bigint();
    const slow = await cli(['lifecycle', '--url', url, '--timeout', '1']);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    assert.equal(slow.status, 1, slow.stderr);
    assert.match(slow.stderr, /no complete answer within 1 s \(timed out\)/);
    assert.ok(seconds < 30, `gave up after ${seconds} s`);
    assert.equal(count('imports'), imports);
    assert.equal(count('audit_events'), events);
    for (const bad of ['0', '601', 'soon']) {
      const r = await cli(['lifecycle', '--url', url, '--timeout', bad]);
      assert.equal(r.status, 2, `--timeout ${bad}: ${r.stderr}`);
      assert.match(r.stderr, /--timeout wants a number from 1 to 600/);
    }
  } finally {
    for (const t of timers) clearInterval(t);
    web.closeAllConnections();
    await new Promise((r) => web.close(r));
  }
});
