// offerings.test.mjs - /api/v1/offerings: CRUD, list parameters and the
// track/category/vendor filters, validation of the provider/publisher/host
// roles, conflicts (an offering a workload or contract uses cannot go).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, raw, DECIDED } from './harness.mjs';
import { allowSet, asciiLower, assertInvalid, assertParam, assertProblem, resourceClient } from './assertions.mjs';

const COLL = '/api/v1/offerings';
const VENDORS = '/api/v1/vendors';
const TRACKS = ['copilot', 'azure', 'openai', 'other'];
const CATEGORIES = ['model_api', 'assistant', 'platform', 'data_store', 'identity', 'tooling'];
let srv;

before(async () => { srv = await startServer({ demo: true }); });
after(async () => { await srv?.stop(); });

// ---- helpers ---------------------------------------------------------------

const { req, auth, authLine, snap, listAll, idOf } = resourceClient(() => srv, COLL);

// Checks that items are ordered by value(item), ascending or descending.

// ---- CRUD ------------------------------------------------------------------

test('create, get, replace, patch (both media types) and delete an offering', async () => {
  const ms = await idOf(VENDORS, 'Microsoft');
  const mistral = await idOf(VENDORS, 'Mistral AI');
  const total0 = (await req('GET', COLL)).body.total;
  const input = {
    name: 'Test Model Service', provider: ms, publisher: mistral, host: ms, track: 'azure',
    category: 'model_api', interface: 'openai_compatible', open_weight: true,
    description: 'A test offering.', url: 'https://example.com/model',
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
  assert.equal((await req('GET', COLL)).body.total, total0 + 1);

  const repl = { name: 'Test Model Service 2', provider: mistral, track: 'other', category: 'platform', interface: 'proprietary' };
  const p = await req('PUT', loc, repl);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  for (const [k, v] of Object.entries(repl)) assert.deepEqual(p.body[k], v, k);
  assert.equal(p.body.publisher, null);
  assert.equal(p.body.host, null);
  assert.equal(p.body.open_weight, false);
  assert.equal(p.body.description, '');
  assert.equal(p.body.url, '');
  assert.equal(p.body.created_at, c.body.created_at);
  assert.notEqual(p.headers.get('etag'), c.headers.get('etag'));
  assert.deepEqual((await req('GET', loc)).body, p.body);

  const m1 = await req('PATCH', loc, { category: 'tooling', host: mistral });
  assert.equal(m1.status, 200, JSON.stringify(m1.body));
  assert.deepEqual(m1.body, { ...p.body, category: 'tooling', host: mistral, updated_at: m1.body.updated_at });
  const m2 = await req('PATCH', loc, JSON.stringify({ open_weight: true, host: null }),
    { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(m2.status, 200, JSON.stringify(m2.body));
  assert.deepEqual(m2.body, { ...m1.body, open_weight: true, host: null, updated_at: m2.body.updated_at });
  assert.notEqual(m2.headers.get('etag'), m1.headers.get('etag'));
  assert.deepEqual((await req('GET', loc)).body, m2.body);

  const d = await req('DELETE', loc);
  assert.equal(d.status, 204);
  assert.equal(d.body, '');
  assertProblem(await req('GET', loc), 404);
  assertProblem(await req('DELETE', loc), 404);
  assert.equal((await req('GET', COLL)).body.total, total0);
});

// ---- list parameters -----------------------------------------------------------

test('q= is a case-insensitive substring of the name; % and _ are literal', async () => {
  const all = await listAll();
  for (const q of ['azure', 'AZURE', 'Copilot', 'claude']) {
    const r = await req('GET', `${COLL}?limit=500&q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200);
    const want = all.filter((o) => asciiLower(o.name).includes(asciiLower(q))).map((o) => o.id);
    assert.ok(want.length > 0, q);
    assert.deepEqual(r.body.items.map((o) => o.id), want);
    assert.equal(r.body.total, want.length);
  }
  const openai = await idOf(VENDORS, 'OpenAI');
  const base = { provider: openai, track: 'openai', category: 'model_api', interface: 'proprietary' };
  const made = [];
  for (const name of ['Rate 5% Model', 'Rate 5X Model', 'snake_case model', 'snakeXcase model']) {
    const c = await req('POST', COLL, { ...base, name });
    assert.equal(c.status, 201);
    made.push(c.body.id);
  }
  assert.deepEqual((await req('GET', `${COLL}?q=${encodeURIComponent('5%')}`)).body.items.map((o) => o.name), ['Rate 5% Model']);
  assert.deepEqual((await req('GET', `${COLL}?q=${encodeURIComponent('e_c')}`)).body.items.map((o) => o.name), ['snake_case model']);
  assert.deepEqual((await req('GET', `${COLL}?q=${encodeURIComponent('SNAKE_')}`)).body.items.map((o) => o.name), ['snake_case model']);
  for (const id of made) assert.equal((await req('DELETE', `${COLL}/${id}`)).status, 204);
});

test('filters: track, category and vendor (any of provider, publisher, host)', async () => {
  const all = await listAll();
  for (const t of TRACKS) {
    const items = await listAll(COLL, `track=${t}`);
    assert.ok(items.length > 0, t);
    assert.deepEqual(items.map((o) => o.id), all.filter((o) => o.track === t).map((o) => o.id));
  }
  for (const c of CATEGORIES) {
    const items = await listAll(COLL, `category=${c}`);
    assert.deepEqual(items.map((o) => o.id), all.filter((o) => o.category === c).map((o) => o.id));
  }
  const combo = await listAll(COLL, 'track=azure&category=model_api');
  assert.ok(combo.length > 0);
  assert.deepEqual(combo.map((o) => o.id), all.filter((o) => o.track === 'azure' && o.category === 'model_api').map((o) => o.id));
  for (const name of ['Microsoft', 'OpenAI', 'Amazon Web Services', 'Okta']) {
    const v = await idOf(VENDORS, name);
    const items = await listAll(COLL, `vendor=${v}`);
    const want = all.filter((o) => [o.provider, o.publisher, o.host].includes(v)).map((o) => o.id);
    assert.ok(want.length > 0, name);
    assert.deepEqual(items.map((o) => o.id), want, name);
  }
  // OpenAI publishes Azure OpenAI without providing or hosting it.
  const openai = await idOf(VENDORS, 'OpenAI');
  assert.ok((await listAll(COLL, `vendor=${openai}`)).some((o) => o.name === 'Azure OpenAI in Microsoft Foundry Models'));
  assert.equal((await req('GET', `${COLL}?vendor=999999`)).body.total, 0);
});

test('unknown parameters and bad filter values are 400', async () => {
  for (const p of ['colour=red', 'status=pilot', 'criticality=high', 'kind=customer', 'offering=1'])
    assertParam(await req('GET', `${COLL}?${p}`), p.split('=')[0]);
  for (const p of ['track=aws', 'track=Azure', 'track=', 'category=llm', 'vendor=abc', 'vendor=0', 'vendor=-3'])
    assertParam(await req('GET', `${COLL}?${p}`), p.split('=')[0]);
  assertParam(await req('GET', `${COLL}?track=azure&track=openai`), 'track');
});

// ---- validation --------------------------------------------------------------

test('400 names each invalid field', async () => {
  const ms = await idOf(VENDORS, 'Microsoft');
  const ok = { name: 'Valid Offering', provider: ms, track: 'azure', category: 'model_api', interface: 'proprietary' };
  const cases = [
    [{}, ['/name', '/provider', '/track', '/category', '/interface']],
    [{ ...ok, name: undefined }, ['/name']],
    [{ ...ok, provider: undefined }, ['/provider']],
    [{ ...ok, name: 7 }, ['/name']],
    [{ ...ok, name: '  ' }, ['/name']],
    [{ ...ok, name: 'n'.repeat(121) }, ['/name']],
    [{ ...ok, colour: 'blue' }, ['/colour']],
    [{ ...ok, provider: 'Microsoft' }, ['/provider']],
    [{ ...ok, provider: null }, ['/provider']],
    [{ ...ok, provider: 999999 }, ['/provider']],
    [{ ...ok, publisher: 999999 }, ['/publisher']],
    [{ ...ok, host: 999999 }, ['/host']],
    [{ ...ok, host: -1 }, ['/host']],
    [{ ...ok, track: 'aws' }, ['/track']],
    [{ ...ok, category: 'llm' }, ['/category']],
    [{ ...ok, interface: 'rest' }, ['/interface']],
    [{ ...ok, open_weight: 'yes' }, ['/open_weight']],
    [{ ...ok, open_weight: 1 }, ['/open_weight']],
    [{ ...ok, url: 'javascript:alert(1)' }, ['/url']],
    [{ ...ok, description: 12 }, ['/description']],
  ];
  const list0 = await snap(`${COLL}?limit=500`);
  for (const [body, ptrs] of cases) assertInvalid(await req('POST', COLL, body), ...ptrs);
  assert.deepEqual(await snap(`${COLL}?limit=500`), list0);
});

// ---- conflicts -----------------------------------------------------------------

test('409: a second offering with an existing name', async () => {
  const ms = await idOf(VENDORS, 'Microsoft');
  const list0 = await snap(`${COLL}?limit=500`);
  const r = await req('POST', COLL, { name: 'Microsoft 365 Copilot', provider: ms, track: 'copilot', category: 'assistant', interface: 'proprietary' });
  assertProblem(r, 409);
  assert.equal(r.body.errors[0].pointer, '/name');
  const id = await idOf(COLL, 'Copilot Studio');
  const p = await req('PATCH', `${COLL}/${id}`, { name: 'Microsoft 365 Copilot' });
  assertProblem(p, 409);
  assert.equal(p.body.errors[0].pointer, '/name');
  assert.deepEqual(await snap(`${COLL}?limit=500`), list0);
});

test('409: deleting an offering used by a workload or a contract', async () => {
  const ms = await idOf(VENDORS, 'Microsoft');
  const o = await req('POST', COLL, { name: 'Used Offering', provider: ms, track: 'azure', category: 'model_api', interface: 'proprietary' });
  assert.equal(o.status, 201);
  const oPath = `${COLL}/${o.body.id}`;
  const w = await req('POST', '/api/v1/workloads', {
    ...DECIDED, name: 'Uses The Offering', track: 'azure', status: 'pilot', criticality: 'low',
    dependencies: [{ offering: o.body.id, role: 'model' }],
  });
  assert.equal(w.status, 201, JSON.stringify(w.body));
  const before0 = await snap(oPath);
  const d = await req('DELETE', oPath);
  assertProblem(d, 409);
  assert.match(d.body.detail, /workload/);
  assert.deepEqual(await snap(oPath), before0);
  assert.deepEqual((await req('GET', `/api/v1/workloads/${w.body.id}`)).body.dependencies, [{ offering: o.body.id, role: 'model' }]);
  // Remove the dependency, then a contract covers it instead.
  assert.equal((await req('PATCH', `/api/v1/workloads/${w.body.id}`, { dependencies: [] })).status, 200);
  const c = await req('POST', '/api/v1/contracts', {
    name: 'Covers The Offering', kind: 'customer', counterparty: ms, offerings: [o.body.id],
    start_date: '2026-01-01', end_date: '2027-01-01',
  });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assertProblem(await req('DELETE', oPath), 409);
  assert.deepEqual(await snap(oPath), before0);
  assert.equal((await req('DELETE', `/api/v1/contracts/${c.body.id}`)).status, 204);
  assert.equal((await req('DELETE', oPath)).status, 204);
  assert.equal((await req('DELETE', `/api/v1/workloads/${w.body.id}`)).status, 204);
  // A demo offering in use stays as it is.
  const aoai = await idOf(COLL, 'Azure OpenAI in Microsoft Foundry Models');
  const s0 = await snap(`${COLL}/${aoai}`);
  assertProblem(await req('DELETE', `${COLL}/${aoai}`), 409);
  assert.deepEqual(await snap(`${COLL}/${aoai}`), s0);
});

// ---- request-level checks on this collection ------------------------------------

test('malformed bodies 400, wrong media type 415, bad ids 404, wrong method 405', async () => {
  const id = await idOf(COLL, 'Codex');
  const item = `${COLL}/${id}`;
  const s0 = await snap(item);
  const l0 = await snap(`${COLL}?limit=500`);
  for (const [method, path] of [['POST', COLL], ['PUT', item], ['PATCH', item]]) {
    assertProblem(await req(method, path, '{"name": "Codex",'), 400);
    assertProblem(await req(method, path, '["Codex"]'), 400);
    assertProblem(await req(method, path, '{"name":"a","name":"b"}'), 400);
    assertProblem(await req(method, path, '{"name":"Codex"}', { 'Content-Type': 'text/plain' }), 415);
  }
  for (const bad of ['abc', '0']) {
    assertProblem(await req('GET', `${COLL}/${bad}`), 404);
    assertProblem(await req('DELETE', `${COLL}/${bad}`), 404);
  }
  const r = await req('PATCH', COLL, {});
  assertProblem(r, 405);
  assert.deepEqual(allowSet(r), new Set(['GET', 'HEAD', 'POST']));
  assert.deepEqual(await snap(item), s0);
  assert.deepEqual(await snap(`${COLL}?limit=500`), l0);
});

test('HEAD on the list and on an offering: headers, no body', async () => {
  const id = await idOf(COLL, 'Codex');
  for (const path of [COLL, `${COLL}/${id}`]) {
    // The plain form, as the HEAD below asks (a gzip answer has its own ETag).
    const g = await fetch(srv.base + path, { headers: { ...auth().headers, 'Accept-Encoding': 'identity' } });
    const text = await g.text();
    const out = await raw(srv.port, `HEAD ${path} HTTP/1.1\r\nHost: x\r\n${authLine()}Connection: close\r\n\r\n`);
    const cut = out.indexOf('\r\n\r\n');
    assert.ok(cut > 0);
    assert.match(out, /^HTTP\/1\.1 200 /);
    assert.equal(out.slice(cut + 4), '');
    const head = out.slice(0, cut);
    assert.match(head, new RegExp(`\r\nContent-Length: ${Buffer.byteLength(text)}(\r\n|$)`, 'i'));
    if (g.headers.get('etag')) assert.ok(head.includes(`ETag: ${g.headers.get('etag')}`));
  }
});
