// workloads.test.mjs - /api/v1/workloads: CRUD, list parameters and the
// track/status/criticality/vendor/offering filters, every kind of invalid
// field, conflicts, optimistic concurrency (If-Match -> 412), and the rule
// that bad input changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, raw, DECIDED } from './harness.mjs';
import { allowSet, asciiLower, assertInvalid, assertParam, assertProblem, resourceClient } from './assertions.mjs';

const COLL = '/api/v1/workloads';
const VENDORS = '/api/v1/vendors';
const OFFERINGS = '/api/v1/offerings';
const TRACKS = ['copilot', 'azure', 'openai', 'other'];
const STATUSES = ['proposed', 'pilot', 'production', 'retired'];
const CRITICALITIES = ['low', 'medium', 'high', 'critical'];
let srv;

// Risk (part of every workload) depends on today's date: pin it for the run.
before(async () => { srv = await startServer({ demo: true, env: { SWITCHYARD_TODAY: new Date().toISOString().slice(0, 10) } }); });
after(async () => { await srv?.stop(); });

// ---- helpers ---------------------------------------------------------------

const { req, auth, authLine, snap, listAll, idOf } = resourceClient(() => srv, COLL);

// Checks that items are ordered by value(item), ascending or descending.

let ids;  // offering IDs by name, resolved once
async function refs() {
  if (ids) return ids;
  const o = await listAll(OFFERINGS);
  const by = (name) => { const x = o.find((i) => i.name === name); assert.ok(x, name); return x.id; };
  ids = {
    aoai: by('Azure OpenAI in Microsoft Foundry Models'), openaiApi: by('OpenAI API'), search: by('Azure AI Search'),
    entra: by('Microsoft Entra ID'), claude: by('Claude API'), m365: by('Microsoft 365 Copilot'),
  };
  return ids;
}

// The stored fields of a workload, without the computed lock-in risk.
const stored = ({ risk, ...rest }) => rest;

const minimal = (extra = {}) => ({ ...DECIDED, name: 'Minimal Workload', track: 'azure', status: 'pilot', criticality: 'low', ...extra });

// ---- CRUD ------------------------------------------------------------------

test('create, get, replace, patch (both media types) and delete a workload', async () => {
  const x = await refs();
  const total0 = (await req('GET', COLL)).body.total;
  const input = {
    name: 'Claims triage assistant (test)', purpose: 'Routes incoming claims.', owner: 'Ana Lima', team: 'Claims',
    track: 'azure', status: 'production', criticality: 'high', data_classification: 'confidential', users: 250,
    monthly_spend: 1234.56, planned_end: '2028-02-29', ai_act_tier: 'limited', swap_layer: true,
    proprietary_features: ['Azure AI Search semantic ranker'],
    dependencies: [{ offering: x.aoai, role: 'model' }, { offering: x.search, role: 'data' }, { offering: x.entra, role: 'identity' }],
    notes: 'Created by the HTTP tests.',
  };
  const c = await req('POST', COLL, input);
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const loc = c.headers.get('location');
  assert.equal(loc, `${COLL}/${c.body.id}`);
  assert.match(c.headers.get('etag'), /^"\d+-\d+"$/);
  for (const [k, v] of Object.entries(input)) assert.deepEqual(c.body[k], v, k);
  const g = await req('GET', loc);
  assert.equal(g.status, 200);
  assert.deepEqual(g.body, c.body);
  assert.equal(g.headers.get('etag'), c.headers.get('etag'));
  const listed = (await listAll()).find((w) => w.id === c.body.id);
  assert.deepEqual(listed, c.body);
  assert.equal((await req('GET', COLL)).body.total, total0 + 1);

  // PUT replaces the whole record: omitted fields take their defaults
  // (users: not known, null); owner, tier and classification are required.
  const p = await req('PUT', loc, minimal({ name: 'Claims triage assistant (test, v2)', track: 'openai', dependencies: [{ offering: x.openaiApi, role: 'model' }] }));
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.id, c.body.id);
  assert.equal(p.body.name, 'Claims triage assistant (test, v2)');
  assert.equal(p.body.track, 'openai');
  assert.equal(p.body.status, 'pilot');
  assert.equal(p.body.criticality, 'low');
  assert.deepEqual(p.body.dependencies, [{ offering: x.openaiApi, role: 'model' }]);
  assert.deepEqual(p.body.proprietary_features, []);
  assert.equal(p.body.purpose, '');
  assert.equal(p.body.data_classification, 'internal');
  assert.equal(p.body.ai_act_tier, 'minimal');
  assert.equal(p.body.users, null);
  assert.equal(p.body.monthly_spend, 0);
  assert.equal(p.body.planned_end, null);
  assert.equal(p.body.swap_layer, false);
  assert.equal(p.body.created_at, c.body.created_at);
  assert.notEqual(p.headers.get('etag'), c.headers.get('etag'));
  assert.deepEqual((await req('GET', loc)).body, p.body);

  // PATCH application/json: only the named members change.
  const m1 = await req('PATCH', loc, { criticality: 'critical', monthly_spend: 10.5, proprietary_features: ['Assistants API threads'] });
  assert.equal(m1.status, 200, JSON.stringify(m1.body));
  assert.deepEqual(stored(m1.body), {
    ...stored(p.body), criticality: 'critical', monthly_spend: 10.5, proprietary_features: ['Assistants API threads'],
    updated_at: m1.body.updated_at,
  });
  // PATCH application/merge-patch+json; null removes a member (back to its default).
  const m2 = await req('PATCH', loc, JSON.stringify({ planned_end: '2027-06-30', proprietary_features: null, swap_layer: true }),
    { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(m2.status, 200, JSON.stringify(m2.body));
  assert.deepEqual(stored(m2.body), {
    ...stored(m1.body), planned_end: '2027-06-30', proprietary_features: [], swap_layer: true, updated_at: m2.body.updated_at,
  });
  assert.notEqual(m2.headers.get('etag'), m1.headers.get('etag'));
  const m3 = await req('PATCH', loc, { planned_end: null });
  assert.equal(m3.status, 200);
  assert.equal(m3.body.planned_end, null);
  assert.deepEqual((await req('GET', loc)).body, m3.body);
  // An empty patch changes no field.
  const m4 = await req('PATCH', loc, {});
  assert.equal(m4.status, 200);
  assert.deepEqual({ ...m4.body, updated_at: null }, { ...m3.body, updated_at: null });

  const d = await req('DELETE', loc);
  assert.equal(d.status, 204);
  assert.equal(d.body, '');
  assertProblem(await req('GET', loc), 404);
  assertProblem(await req('DELETE', loc), 404);
  assertProblem(await req('PATCH', loc, { notes: 'x' }), 404);
  assert.equal((await req('GET', COLL)).body.total, total0);
});

test('a GET body can be sent back as a PUT', async () => {
  const w = (await listAll())[3];
  const g = await req('GET', `${COLL}/${w.id}`);
  const p = await req('PUT', `${COLL}/${w.id}`, g.body, { 'If-Match': g.headers.get('etag') });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.deepEqual({ ...p.body, updated_at: null }, { ...g.body, updated_at: null });
  assertInvalid(await req('PUT', `${COLL}/${w.id}`, { ...g.body, id: 'x' }), '/id');
});

// ---- list parameters -----------------------------------------------------------

test('pagination: default limit 50, max 500, offset, total; bad values are 400', async () => {
  const made = [];
  let total = (await req('GET', COLL)).body.total;
  for (let i = 0; total + made.length <= 51; i++) {
    const c = await req('POST', COLL, minimal({ name: `Paging filler ${i}`, track: 'other' }));
    assert.equal(c.status, 201);
    made.push(c.body.id);
  }
  total += made.length;
  assert.ok(total > 50);
  const all = await listAll();
  assert.equal(all.length, total);
  const first = await req('GET', COLL);
  assert.deepEqual([first.body.limit, first.body.offset, first.body.total, first.body.items.length], [50, 0, total, 50]);
  assert.deepEqual(first.body.items.map((w) => w.id), all.slice(0, 50).map((w) => w.id));
  const rest = await req('GET', `${COLL}?offset=50`);
  assert.deepEqual(rest.body.items.map((w) => w.id), all.slice(50).map((w) => w.id));
  const mid = await req('GET', `${COLL}?limit=7&offset=20`);
  assert.deepEqual([mid.body.limit, mid.body.offset, mid.body.total], [7, 20, total]);
  assert.deepEqual(mid.body.items.map((w) => w.id), all.slice(20, 27).map((w) => w.id));
  const max = await req('GET', `${COLL}?limit=500`);
  assert.equal(max.status, 200);
  assert.equal(max.body.limit, 500);
  for (const q of ['limit=501', 'limit=0', 'limit=abc', 'limit=99999999999999999999', 'limit=-50', 'limit=5x'])
    assertParam(await req('GET', `${COLL}?${q}`), 'limit');
  for (const q of ['offset=-1', 'offset=one', 'offset=99999999999999999999'])
    assertParam(await req('GET', `${COLL}?${q}`), 'offset');
  for (const id of made) assert.equal((await req('DELETE', `${COLL}/${id}`)).status, 204);
});

test('q= is a case-insensitive substring of the name; % and _ are literal', async () => {
  const all = await listAll();
  for (const q of ['assistant', 'ASSISTANT', 'Copilot', 'e', 'summar']) {
    const r = await req('GET', `${COLL}?limit=500&q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200);
    const want = all.filter((w) => asciiLower(w.name).includes(asciiLower(q))).map((w) => w.id);
    assert.ok(want.length > 0, q);
    assert.deepEqual(r.body.items.map((w) => w.id), want, q);
    assert.equal(r.body.total, want.length);
  }
  const made = [];
  for (const name of ['Cut costs 20% bot', 'Cut costs 20X bot', 'batch_job runner', 'batchXjob runner']) {
    const c = await req('POST', COLL, minimal({ name }));
    assert.equal(c.status, 201);
    made.push(c.body.id);
  }
  assert.deepEqual((await req('GET', `${COLL}?q=${encodeURIComponent('20%')}`)).body.items.map((w) => w.name), ['Cut costs 20% bot']);
  assert.deepEqual((await req('GET', `${COLL}?q=${encodeURIComponent('h_j')}`)).body.items.map((w) => w.name), ['batch_job runner']);
  assert.deepEqual((await req('GET', `${COLL}?q=${encodeURIComponent('BATCH_')}`)).body.items.map((w) => w.name), ['batch_job runner']);
  assert.equal((await req('GET', `${COLL}?q=${encodeURIComponent('%')}`)).body.total, 1);
  assert.equal((await req('GET', `${COLL}?q=${encodeURIComponent('no such workload')}`)).body.total, 0);
  for (const id of made) assert.equal((await req('DELETE', `${COLL}/${id}`)).status, 204);
});

test('GET /api/v1/workloads?track=azure returns only azure demo workloads', async () => {
  const all = await listAll();
  const r = await req('GET', `${COLL}?track=azure&limit=500`);
  assert.equal(r.status, 200);
  assert.ok(r.body.total > 0);
  assert.equal(r.body.items.length, r.body.total);
  for (const w of r.body.items) assert.equal(w.track, 'azure', w.name);
  assert.deepEqual(r.body.items.map((w) => w.id), all.filter((w) => w.track === 'azure').map((w) => w.id));
});

test('filters: track, status, criticality, vendor and offering, alone and combined', async () => {
  const all = await listAll();
  const offerings = await listAll(OFFERINGS);
  const vendors = await listAll(VENDORS);
  const check = async (query, pred) => {
    const items = await listAll(COLL, query);
    assert.deepEqual(items.map((w) => w.id), all.filter(pred).map((w) => w.id), query);
    return items.length;
  };
  for (const t of TRACKS) assert.ok(await check(`track=${t}`, (w) => w.track === t) > 0, t);
  for (const s of STATUSES) assert.ok(await check(`status=${s}`, (w) => w.status === s) > 0, s);
  for (const c of CRITICALITIES) assert.ok(await check(`criticality=${c}`, (w) => w.criticality === c) > 0, c);
  assert.ok(await check('track=azure&status=production', (w) => w.track === 'azure' && w.status === 'production') > 0);
  await check('track=copilot&criticality=critical&status=production',
    (w) => w.track === 'copilot' && w.criticality === 'critical' && w.status === 'production');
  // vendor: any dependency whose offering the vendor provides, publishes or hosts.
  const roles = new Map(offerings.map((o) => [o.id, [o.provider, o.publisher, o.host]]));
  let nonEmpty = 0;
  for (const v of vendors) {
    nonEmpty += (await check(`vendor=${v.id}`, (w) => w.dependencies.some((d) => roles.get(d.offering).includes(v.id)))) > 0;
  }
  assert.ok(nonEmpty >= 4);
  for (const o of offerings.slice(0, 12)) await check(`offering=${o.id}`, (w) => w.dependencies.some((d) => d.offering === o.id));
  const x = await refs();
  assert.ok(await check(`offering=${x.aoai}`, (w) => w.dependencies.some((d) => d.offering === x.aoai)) > 0);
  await check(`offering=${x.aoai}&track=azure`, (w) => w.track === 'azure' && w.dependencies.some((d) => d.offering === x.aoai));
  assert.equal((await req('GET', `${COLL}?vendor=999999`)).body.total, 0);
  assert.equal((await req('GET', `${COLL}?offering=999999`)).body.total, 0);
});

test('unknown parameters and bad filter values are 400 naming the parameter', async () => {
  for (const p of ['colour=red', 'kind=customer', 'category=model_api', 'Track=azure', 'page=2'])
    assertParam(await req('GET', `${COLL}?${p}`), p.split('=')[0]);
  for (const p of ['track=aws', 'track=AZURE', 'status=live', 'criticality=urgent', 'criticality=',
    'vendor=microsoft', 'vendor=0', 'offering=1.5', 'offering=-1'])
    assertParam(await req('GET', `${COLL}?${p}`), p.split('=')[0]);
  assertParam(await req('GET', `${COLL}?status=pilot&status=production`), 'status');
  assertProblem(await req('GET', `${COLL}?q=%zz`), 400);
});

// ---- validation --------------------------------------------------------------

test('400 for each invalid field kind, the field named in errors[].pointer', async () => {
  const x = await refs();
  const w = minimal;
  const cases = [
    // missing required fields
    [{}, ['/name', '/track', '/status', '/criticality', '/owner', '/ai_act_tier', '/data_classification']],
    [w({ name: undefined }), ['/name']],
    [w({ owner: undefined }), ['/owner']],
    [w({ owner: '' }), ['/owner']],
    [w({ owner: '   ' }), ['/owner']],
    [w({ ai_act_tier: undefined }), ['/ai_act_tier']],
    [w({ data_classification: undefined }), ['/data_classification']],
    [w({ ai_act_tier: null }), ['/ai_act_tier']],
    [w({ criticality: undefined }), ['/criticality']],
    // wrong type
    [w({ name: 42 }), ['/name']],
    [w({ users: '10' }), ['/users']],
    [w({ swap_layer: 'true' }), ['/swap_layer']],
    [w({ monthly_spend: '100' }), ['/monthly_spend']],
    [w({ planned_end: 20270101 }), ['/planned_end']],
    [w({ dependencies: {} }), ['/dependencies']],
    [w({ dependencies: null }), ['/dependencies']],
    [w({ proprietary_features: 'Graph' }), ['/proprietary_features']],
    [w({ proprietary_features: [1] }), ['/proprietary_features/0']],
    [w({ name: null }), ['/name']],
    // unknown field (pointer escaped per RFC 6901)
    [w({ colour: 'red' }), ['/colour']],
    [w({ 'a/b~c': 1 }), ['/a~1b~0c']],
    // enum violations
    [w({ criticality: 'urgent' }), ['/criticality']],
    [w({ track: 'aws' }), ['/track']],
    [w({ status: 'Production' }), ['/status']],
    [w({ data_classification: 'secret' }), ['/data_classification']],
    [w({ ai_act_tier: 'extreme' }), ['/ai_act_tier']],
    // length and blank
    [w({ name: 'x'.repeat(161) }), ['/name']],
    [w({ name: '' }), ['/name']],
    [w({ name: ' \t ' }), ['/name']],
    [w({ owner: 'o'.repeat(121) }), ['/owner']],
    [w({ team: 'Line\nbreak' }), ['/team']],
    [w({ proprietary_features: [''] }), ['/proprietary_features/0']],
    // dates
    [w({ planned_end: '2026-02-30' }), ['/planned_end']],
    [w({ planned_end: '2027-02-29' }), ['/planned_end']],
    [w({ planned_end: '2026-1-01' }), ['/planned_end']],
    [w({ planned_end: 'today+30' }), ['/planned_end']],
    // money
    [w({ monthly_spend: -1 }), ['/monthly_spend']],
    [w({ monthly_spend: 1.001 }), ['/monthly_spend']],
    [w({ monthly_spend: 1000000001 }), ['/monthly_spend']],
    // integers out of range
    [w({ users: -1 }), ['/users']],
    [w({ users: 10000001 }), ['/users']],
    [w({ users: 2.5 }), ['/users']],
    [w({ users: 1e30 }), ['/users']],
    // references and nested errors
    [w({ dependencies: [{ offering: 999999, role: 'model' }] }), ['/dependencies/0/offering']],
    [w({ dependencies: [{ offering: x.aoai, role: 'model' }, { offering: 999999, role: 'data' }] }), ['/dependencies/1/offering']],
    [w({ dependencies: [{ offering: x.aoai, role: 'boss' }] }), ['/dependencies/0/role']],
    [w({ dependencies: [{ offering: x.aoai }] }), ['/dependencies/0/role']],
    [w({ dependencies: [{ role: 'model' }] }), ['/dependencies/0/offering']],
    [w({ dependencies: [{ offering: 'Azure OpenAI', role: 'model' }] }), ['/dependencies/0/offering']],
    [w({ dependencies: [{ offering: x.aoai, role: 'model', weight: 1 }] }), ['/dependencies/0/weight']],
    [w({ dependencies: ['x'] }), ['/dependencies/0']],
    // duplicate dependency
    [w({ dependencies: [{ offering: x.aoai, role: 'model' }, { offering: x.aoai, role: 'model' }] }), ['/dependencies/1']],
  ];
  const l0 = await snap(`${COLL}?limit=500`);
  for (const [body, ptrs] of cases) assertInvalid(await req('POST', COLL, body), ...ptrs);
  // Several faults at once are all reported.
  assertInvalid(await req('POST', COLL, { name: '', track: 'x', colour: 1, planned_end: '2026-02-30', monthly_spend: -1 }),
    '/name', '/track', '/status', '/criticality', '/owner', '/ai_act_tier', '/data_classification', '/colour',
    '/planned_end', '/monthly_spend');
  assert.deepEqual(await snap(`${COLL}?limit=500`), l0);
  // The boundaries themselves are accepted.
  const ok = await req('POST', COLL, w({
    name: 'b'.repeat(160), users: 10000000, monthly_spend: 1000000000, planned_end: '2028-02-29',
    dependencies: [{ offering: x.aoai, role: 'model' }, { offering: x.aoai, role: 'hosting' }],
  }));
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.monthly_spend, 1000000000);
  assert.equal((await req('DELETE', `${COLL}/${ok.body.id}`)).status, 204);
  for (const spend of [0.1, 19.99, 1.25, 0]) {
    const r = await req('POST', COLL, w({ name: `Spend ${spend}`, monthly_spend: spend }));
    assert.equal(r.status, 201);
    assert.equal(r.body.monthly_spend, spend);
    assert.equal((await req('DELETE', `${COLL}/${r.body.id}`)).status, 204);
  }
});

test('the same validation applies to PUT and PATCH', async () => {
  const x = await refs();
  const id = (await listAll())[0].id;
  const path = `${COLL}/${id}`;
  const s0 = await snap(path);
  assertInvalid(await req('PUT', path, { name: 'Only a name' }), '/track', '/status', '/criticality', '/owner',
    '/ai_act_tier', '/data_classification');
  assertInvalid(await req('PATCH', path, { name: null }), '/name');
  // A patch cannot blank a decision: null removes the member, which is required.
  assertInvalid(await req('PATCH', path, { owner: null }), '/owner');
  assertInvalid(await req('PATCH', path, { owner: ' ' }), '/owner');
  assertInvalid(await req('PATCH', path, { ai_act_tier: null }), '/ai_act_tier');
  assertInvalid(await req('PATCH', path, { data_classification: null }), '/data_classification');
  assertInvalid(await req('PATCH', path, { criticality: 'urgent' }), '/criticality');
  assertInvalid(await req('PATCH', path, { planned_end: '2026-02-30' }), '/planned_end');
  assertInvalid(await req('PATCH', path, { monthly_spend: 1.001 }), '/monthly_spend');
  assertInvalid(await req('PATCH', path, { dependencies: [{ offering: 999999, role: 'model' }] }), '/dependencies/0/offering');
  assertInvalid(await req('PATCH', path, { dependencies: [{ offering: x.aoai, role: 'x' }] }), '/dependencies/0/role');
  assertInvalid(await req('PATCH', path, { colour: 'red' }), '/colour');
  assert.deepEqual(await snap(path), s0);
});

// ---- conflicts -----------------------------------------------------------------

test('409: a second workload with an existing name (pointer /name)', async () => {
  const [a, b] = await listAll();
  const l0 = await snap(`${COLL}?limit=500`);
  const r = await req('POST', COLL, minimal({ name: a.name }));
  assertProblem(r, 409);
  assert.equal(r.body.errors[0].pointer, '/name');
  const p = await req('PATCH', `${COLL}/${b.id}`, { name: a.name });
  assertProblem(p, 409);
  assert.equal(p.body.errors[0].pointer, '/name');
  assert.deepEqual(await snap(`${COLL}?limit=500`), l0);
  // Names are compared without case and extra spaces (issue 13): the same
  // name upper-cased, or with spaces around, is taken too.
  for (const name of [a.name.toUpperCase(), ` ${a.name}  `]) {
    const other = await req('POST', COLL, minimal({ name }));
    assertProblem(other, 409);
    assert.equal(other.body.errors[0].pointer, '/name');
  }
  assert.deepEqual(await snap(`${COLL}?limit=500`), l0);
});

// ---- optimistic concurrency ----------------------------------------------------

test('412: If-Match with the current ETag succeeds, a stale or garbage one changes nothing', async () => {
  const c = await req('POST', COLL, minimal({ name: 'Concurrency test workload', notes: 'v1' }));
  assert.equal(c.status, 201);
  const path = `${COLL}/${c.body.id}`;
  const g1 = await req('GET', path);
  const e1 = g1.headers.get('etag');
  assert.equal(e1, c.headers.get('etag'));

  const put = await req('PUT', path, { ...g1.body, notes: 'v2' }, { 'If-Match': e1 });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const e2 = put.headers.get('etag');
  assert.ok(e2 && e2 !== e1);
  assert.equal(put.body.notes, 'v2');
  const s2 = await snap(path);
  assert.equal(s2.etag, e2);

  // The old ETag no longer matches: PUT, PATCH and DELETE are refused.
  for (const [method, body] of [['PUT', { ...g1.body, notes: 'lost update' }], ['PATCH', { notes: 'lost update' }], ['DELETE', undefined]]) {
    const r = await req(method, path, body, { 'If-Match': e1 });
    assertProblem(r, 412);
    assert.equal(r.headers.get('etag'), null);
  }
  assert.deepEqual(await snap(path), s2);

  const patch = await req('PATCH', path, { notes: 'v3' }, { 'If-Match': e2 });
  assert.equal(patch.status, 200);
  const e3 = patch.headers.get('etag');
  assert.ok(e3 && e3 !== e2);
  assert.equal(patch.body.notes, 'v3');
  const s3 = await snap(path);

  // Tags that cannot match this record.
  const other = (await listAll()).find((w) => w.id !== c.body.id);
  const otherTag = (await req('GET', `${COLL}/${other.id}`)).headers.get('etag');
  const version = e3.match(/-(\d+)"$/)[1];
  for (const tag of ['garbage', '"garbage"', '""', `"${c.body.id}"`, `"${c.body.id}-0"`, `"${c.body.id}-x"`, otherTag,
    `"${other.id}-${version}"`, `"${c.body.id}-${Number(version) + 1}"`]) {
    for (const [method, body] of [['PUT', { ...patch.body, notes: 'garbage' }], ['PATCH', { notes: 'garbage' }], ['DELETE', undefined]])
      assertProblem(await req(method, path, body, { 'If-Match': tag }), 412);
  }
  assert.deepEqual(await snap(path), s3);

  // "*" matches any current version; a list matches when one member does.
  const star = await req('PATCH', path, { notes: 'v4' }, { 'If-Match': '*' });
  assert.equal(star.status, 200);
  const e4 = star.headers.get('etag');
  assert.notEqual(e4, e3);
  const starPut = await req('PUT', path, { ...star.body, notes: 'v5' }, { 'If-Match': '*' });
  assert.equal(starPut.status, 200);
  const e5 = starPut.headers.get('etag');
  const listed = await req('PATCH', path, { notes: 'v6' }, { 'If-Match': `${otherTag}, ${e5}` });
  assert.equal(listed.status, 200);
  assert.equal(listed.body.notes, 'v6');
  const e6 = listed.headers.get('etag');
  assertProblem(await req('DELETE', path, undefined, { 'If-Match': e5 }), 412);
  assert.equal((await req('GET', path)).status, 200);
  const del = await req('DELETE', path, undefined, { 'If-Match': e6 });
  assert.equal(del.status, 204);
  assertProblem(await req('GET', path), 404);
  // DELETE with "*" on a fresh record.
  const d2 = await req('POST', COLL, minimal({ name: 'Concurrency test workload 2' }));
  assert.equal((await req('DELETE', `${COLL}/${d2.body.id}`, undefined, { 'If-Match': '*' })).status, 204);
});

// ---- bad input changes nothing -------------------------------------------------

test('bad requests (400/409/412/413/415) leave the record and the list byte-for-byte the same', async () => {
  const x = await refs();
  const all = await listAll();
  const target = all.find((w) => w.dependencies.length > 0 && w.proprietary_features.length > 0) || all[0];
  const other = all.find((w) => w.id !== target.id);
  const path = `${COLL}/${target.id}`;
  const g = await req('GET', path);
  const stale = `"${target.id}-${Number(g.headers.get('etag').match(/-(\d+)"$/)[1]) + 7}"`;
  const s0 = await snap(path);
  const l0 = await snap(`${COLL}?limit=500`);
  const o0 = await snap(`${COLL}/${other.id}`);
  const big = JSON.stringify({ ...g.body, notes: 'n'.repeat(1024 * 1024) });
  const requests = [
    ['PUT', path, { ...g.body, criticality: 'urgent' }, {}, 400],
    ['PUT', path, { ...g.body, dependencies: [...g.body.dependencies, { offering: 999999, role: 'model' }] }, {}, 400],
    ['PUT', path, { ...g.body, dependencies: [], colour: 'red' }, {}, 400],
    ['PATCH', path, { dependencies: [{ offering: x.aoai, role: 'model' }, { offering: 999999, role: 'data' }] }, {}, 400],
    ['PATCH', path, { proprietary_features: ['ok', ''] }, {}, 400],
    ['PATCH', path, { planned_end: '2026-02-30', notes: 'changed' }, {}, 400],
    ['PATCH', path, '{"notes":"changed"', {}, 400],
    ['PATCH', path, '{"notes":"a","notes":"b"}', {}, 400],
    ['PATCH', path, '["notes"]', {}, 400],
    ['PUT', path, { ...g.body, name: other.name }, {}, 409],
    ['PATCH', path, { name: other.name, notes: 'changed' }, {}, 409],
    ['POST', COLL, { ...g.body, id: undefined }, {}, 409],
    ['PUT', path, { ...g.body, notes: 'changed' }, { 'If-Match': stale }, 412],
    ['PATCH', path, { notes: 'changed' }, { 'If-Match': stale }, 412],
    ['PATCH', path, { notes: 'changed' }, { 'If-Match': 'garbage' }, 412],
    ['DELETE', path, undefined, { 'If-Match': stale }, 412],
    ['PUT', path, big, {}, 413],
    ['POST', COLL, big, {}, 413],
    ['PUT', path, JSON.stringify({ ...g.body, notes: 'changed' }), { 'Content-Type': 'text/plain' }, 415],
    ['PATCH', path, JSON.stringify({ notes: 'changed' }), { 'Content-Type': 'application/xml' }, 415],
    ['POST', COLL, JSON.stringify(minimal({ name: 'Wrong type' })), { 'Content-Type': 'text/plain' }, 415],
    ['POST', COLL, minimal({ name: 'Bad enum', status: 'live' }), {}, 400],
  ];
  for (const [method, p, body, headers, status] of requests) {
    const r = await req(method, p, body, headers);
    assertProblem(r, status);
  }
  // Missing Content-Type, through a raw socket.
  const body = JSON.stringify({ notes: 'changed' });
  const out = await raw(srv.port, `PATCH ${path} HTTP/1.1\r\nHost: x\r\n${authLine()}Connection: close\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  assert.match(out, /^HTTP\/1\.1 415 /);
  assert.deepEqual(await snap(path), s0);
  assert.deepEqual(await snap(`${COLL}?limit=500`), l0);
  assert.deepEqual(await snap(`${COLL}/${other.id}`), o0);
});

// ---- request-level checks on this collection ------------------------------------

test('malformed JSON is a 400 problem document with title, status and detail', async () => {
  const r = await req('POST', COLL, '{"name": "x", "track": }');
  assertProblem(r, 400);
  assert.equal(r.body.instance, COLL);
  const arr = await req('POST', COLL, '[]');
  assertProblem(arr, 400);
  const dup = await req('POST', COLL, '{"name":"Dup","name":"Dup","track":"azure","status":"pilot","criticality":"low"}');
  assertProblem(dup, 400);
  assert.equal((await req('GET', `${COLL}?q=Dup`)).body.total, 0);
});

test('non-numeric or zero ids are 404; wrong method 405 with Allow', async () => {
  for (const id of ['abc', '0', '00', '-1', '1a']) {
    assertProblem(await req('GET', `${COLL}/${id}`), 404);
    assertProblem(await req('PATCH', `${COLL}/${id}`, { notes: 'x' }), 404);
    assertProblem(await req('DELETE', `${COLL}/${id}`), 404);
  }
  const r = await req('DELETE', COLL);
  assertProblem(r, 405);
  assert.deepEqual(allowSet(r), new Set(['GET', 'HEAD', 'POST']));
  const id = (await listAll())[0].id;
  const r2 = await req('POST', `${COLL}/${id}`, minimal());
  assertProblem(r2, 405);
  assert.deepEqual(allowSet(r2), new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']));
});

test('HEAD on the list and on a workload: the GET headers, no body', async () => {
  const id = (await listAll())[0].id;
  for (const path of [COLL, `${COLL}?track=azure`, `${COLL}/${id}`]) {
    const g = await fetch(srv.base + path, auth());
    const text = await g.text();
    const h = await fetch(srv.base + path, auth({ method: 'HEAD' }));
    assert.equal(h.status, 200);
    assert.equal(await h.text(), '');
    assert.equal(h.headers.get('content-type'), g.headers.get('content-type'));
    assert.equal(h.headers.get('etag'), g.headers.get('etag'));
    const out = await raw(srv.port, `HEAD ${path} HTTP/1.1\r\nHost: x\r\n${authLine()}Connection: close\r\n\r\n`);
    const cut = out.indexOf('\r\n\r\n');
    assert.match(out, /^HTTP\/1\.1 200 /);
    assert.equal(out.slice(cut + 4), '', 'no body bytes after the headers');
    assert.match(out.slice(0, cut), new RegExp(`\r\nContent-Length: ${Buffer.byteLength(text)}(\r\n|$)`, 'i'));
  }
  const missing = await fetch(`${srv.base}${COLL}/999999`, auth({ method: 'HEAD' }));
  assert.equal(missing.status, 404);
});
