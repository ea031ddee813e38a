// vendors.test.mjs - /api/v1/vendors: CRUD, list parameters, validation,
// parent chains, conflicts, and the request-level checks of the dispatcher
// (malformed bodies, media types, sizes, unknown paths and methods, framing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, raw } from './harness.mjs';
import { allowSet, asciiLower, assertInvalid, assertParam, assertProblem, resourceClient } from './assertions.mjs';

const COLL = '/api/v1/vendors';
let srv;

before(async () => { srv = await startServer({ demo: true }); });
after(async () => { await srv?.stop(); });

// ---- helpers ---------------------------------------------------------------

const { req, auth, authLine, snap, listAll, idOf } = resourceClient(() => srv, COLL);

// Checks that items are ordered by value(item), ascending or descending.

// ---- CRUD ------------------------------------------------------------------

test('create, get, replace, patch (both media types) and delete a vendor', async () => {
  const msId = await idOf(COLL, 'Microsoft');
  const before0 = (await req('GET', COLL)).body.total;

  const input = {
    name: 'Contoso AI', parent: msId, website: 'https://contoso.example',
    country: 'NL', description: 'A test vendor.',
  };
  const c = await req('POST', COLL, input);
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.ok(Number.isInteger(c.body.id) && c.body.id > 0);
  const loc = c.headers.get('location');
  assert.equal(loc, `${COLL}/${c.body.id}`);
  assert.match(c.headers.get('etag'), /^"\d+-\d+"$/);
  for (const [k, v] of Object.entries(input)) assert.deepEqual(c.body[k], v, k);
  assert.deepEqual(c.body.group, { id: msId, name: 'Microsoft' });
  assert.deepEqual(c.body.connections, []);
  assert.match(c.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(c.body.updated_at, c.body.created_at);

  const g = await req('GET', loc);
  assert.equal(g.status, 200);
  assert.deepEqual(g.body, c.body);
  assert.equal(g.headers.get('etag'), c.headers.get('etag'));
  assert.equal((await req('GET', COLL)).body.total, before0 + 1);

  // PUT replaces the whole record: omitted optional fields go back to defaults.
  const p = await req('PUT', loc, { name: 'Contoso AI Labs', country: 'BE' });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.id, c.body.id);
  assert.equal(p.body.name, 'Contoso AI Labs');
  assert.equal(p.body.country, 'BE');
  assert.equal(p.body.parent, null);
  assert.equal(p.body.website, '');
  assert.equal(p.body.description, '');
  assert.deepEqual(p.body.group, { id: c.body.id, name: 'Contoso AI Labs' });
  assert.equal(p.body.created_at, c.body.created_at);
  assert.notEqual(p.headers.get('etag'), c.headers.get('etag'));
  const g2 = await req('GET', loc);
  assert.deepEqual(g2.body, p.body);
  assert.equal(g2.headers.get('etag'), p.headers.get('etag'));

  // PATCH with application/json changes only what it names.
  const m1 = await req('PATCH', loc, { description: 'Patched.' });
  assert.equal(m1.status, 200, JSON.stringify(m1.body));
  assert.deepEqual(m1.body, { ...p.body, description: 'Patched.', updated_at: m1.body.updated_at });
  assert.notEqual(m1.headers.get('etag'), p.headers.get('etag'));

  // PATCH with application/merge-patch+json.
  const m2 = await req('PATCH', loc, JSON.stringify({ website: 'https://labs.contoso.example', parent: msId }),
    { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(m2.status, 200, JSON.stringify(m2.body));
  assert.equal(m2.body.website, 'https://labs.contoso.example');
  assert.equal(m2.body.parent, msId);
  assert.equal(m2.body.description, 'Patched.');
  assert.equal(m2.body.name, 'Contoso AI Labs');
  assert.deepEqual(m2.body.group, { id: msId, name: 'Microsoft' });

  // null in a merge patch removes the member: the parent goes.
  const m3 = await req('PATCH', loc, { parent: null });
  assert.equal(m3.status, 200);
  assert.equal(m3.body.parent, null);
  assert.equal(m3.body.website, 'https://labs.contoso.example');
  assert.deepEqual((await req('GET', loc)).body, m3.body);

  const d = await req('DELETE', loc);
  assert.equal(d.status, 204);
  assert.equal(d.body, '');
  assertProblem(await req('GET', loc), 404);
  assertProblem(await req('DELETE', loc), 404);
  assertProblem(await req('PUT', loc, { name: 'Ghost' }), 404);
  assertProblem(await req('PATCH', loc, { name: 'Ghost' }), 404);
  assert.equal((await req('GET', COLL)).body.total, before0);
});

test('a GET body can be sent back as a PUT (read-only fields are accepted)', async () => {
  const id = await idOf(COLL, 'GitHub');
  const g = await req('GET', `${COLL}/${id}`);
  const p = await req('PUT', `${COLL}/${id}`, g.body);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.deepEqual({ ...p.body, updated_at: null }, { ...g.body, updated_at: null });
  // An id in the body that differs from the URL is refused.
  assertInvalid(await req('PUT', `${COLL}/${id}`, { ...g.body, id: id + 1 }), '/id');
});

test('connections are symmetric and validated', async () => {
  const openai = await idOf(COLL, 'OpenAI');
  const c = await req('POST', COLL, { name: 'Linked Vendor', connections: [{ vendor: openai, reason: 'Joint venture' }] });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.deepEqual(c.body.connections, [{ vendor: openai, reason: 'Joint venture' }]);
  const o = await req('GET', `${COLL}/${openai}`);
  assert.ok(o.body.connections.some((l) => l.vendor === c.body.id && l.reason === 'Joint venture'));
  assertInvalid(await req('PATCH', `${COLL}/${c.body.id}`, { connections: [{ vendor: c.body.id }] }),
    '/connections/0/vendor');
  assertInvalid(await req('PATCH', `${COLL}/${c.body.id}`, { connections: [{ vendor: openai }, { vendor: openai }] }),
    '/connections/1');
  assertInvalid(await req('PATCH', `${COLL}/${c.body.id}`, { connections: [{ vendor: 999999 }] }),
    '/connections/0/vendor');
  assertInvalid(await req('PATCH', `${COLL}/${c.body.id}`, { connections: [{ reason: 'x' }] }),
    '/connections/0/vendor');
  const m = await req('PATCH', `${COLL}/${c.body.id}`, { connections: [] });
  assert.equal(m.status, 200);
  assert.deepEqual(m.body.connections, []);
  const o2 = await req('GET', `${COLL}/${openai}`);
  assert.ok(!o2.body.connections.some((l) => l.vendor === c.body.id));
  assert.equal((await req('DELETE', `${COLL}/${c.body.id}`)).status, 204);
});

// ---- list parameters -----------------------------------------------------------

test('q= is a case-insensitive substring of the name; % and _ are literal', async () => {
  const all = await listAll();
  for (const q of ['micro', 'MICRO', 'soFT', 'a']) {
    const r = await req('GET', `${COLL}?limit=500&q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200);
    const want = all.filter((v) => asciiLower(v.name).includes(asciiLower(q))).map((v) => v.id);
    assert.ok(want.length > 0, q);
    assert.deepEqual(r.body.items.map((v) => v.id), want);
    assert.equal(r.body.total, want.length);
  }
  const made = [];
  for (const name of ['Discount 100% Vendor', 'Discount 1000 Vendor', 'Under_score Vendor', 'UnderXscore Vendor']) {
    const c = await req('POST', COLL, { name });
    assert.equal(c.status, 201);
    made.push(c.body.id);
  }
  const pct = await req('GET', `${COLL}?q=${encodeURIComponent('0%')}`);
  assert.deepEqual(pct.body.items.map((v) => v.name), ['Discount 100% Vendor']);
  const und = await req('GET', `${COLL}?q=${encodeURIComponent('r_s')}`);
  assert.deepEqual(und.body.items.map((v) => v.name), ['Under_score Vendor']);
  const none = await req('GET', `${COLL}?q=${encodeURIComponent('%%')}`);
  assert.equal(none.body.total, 0);
  assertParam(await req('GET', `${COLL}?q=${'x'.repeat(121)}`), 'q');
  for (const id of made) assert.equal((await req('DELETE', `${COLL}/${id}`)).status, 204);
});

test('vendors take no filters: unknown or foreign parameters are 400', async () => {
  for (const p of ['track=azure', 'kind=customer', 'colour=red', 'vendor=1', 'offering=1', 'status=pilot'])
    assertParam(await req('GET', `${COLL}?${p}`), p.split('=')[0]);
  assertParam(await req('GET', `${COLL}?limit=5&limit=6`), 'limit');
});

// ---- validation --------------------------------------------------------------

test('400 names each invalid field', async () => {
  const cases = [
    [{}, '/name'],
    [{ name: 42 }, '/name'],
    [{ name: '' }, '/name'],
    [{ name: '   ' }, '/name'],
    [{ name: 'x'.repeat(121) }, '/name'],
    [{ name: 'Line\nbreak' }, '/name'],
    [{ name: null }, '/name'],
    [{ name: 'V', colour: 'red' }, '/colour'],
    [{ name: 'V', website: 'ftp://example.com' }, '/website'],
    [{ name: 'V', country: 'usa' }, '/country'],
    [{ name: 'V', country: 7 }, '/country'],
    [{ name: 'V', parent: 'Microsoft' }, '/parent'],
    [{ name: 'V', parent: 0 }, '/parent'],
    [{ name: 'V', parent: 999999 }, '/parent'],
    [{ name: 'V', description: 'x'.repeat(2001) }, '/description'],
    [{ name: 'V', connections: {} }, '/connections'],
  ];
  const total = (await req('GET', COLL)).body.total;
  for (const [body, ptr] of cases) assertInvalid(await req('POST', COLL, body), ptr);
  // Several faults at once are all reported.
  const r = await req('POST', COLL, { name: '', colour: 1, country: 'x' });
  assertInvalid(r, '/name', '/colour', '/country');
  assert.equal((await req('GET', COLL)).body.total, total);
  // The boundary itself is fine.
  const ok = await req('POST', COLL, { name: 'y'.repeat(120) });
  assert.equal(ok.status, 201);
  assert.equal((await req('DELETE', `${COLL}/${ok.body.id}`)).status, 204);
});

test('a vendor cannot be its own parent or close a cycle (400 /parent)', async () => {
  const a = await req('POST', COLL, { name: 'Cycle Parent' });
  const b = await req('POST', COLL, { name: 'Cycle Child', parent: a.body.id });
  const c = await req('POST', COLL, { name: 'Cycle Grandchild', parent: b.body.id });
  assert.deepEqual([a.status, b.status, c.status], [201, 201, 201]);
  assert.deepEqual(c.body.group, { id: a.body.id, name: 'Cycle Parent' });
  const aPath = `${COLL}/${a.body.id}`;
  const before0 = await snap(aPath);
  assertInvalid(await req('PUT', aPath, { name: 'Cycle Parent', parent: a.body.id }), '/parent');
  assertInvalid(await req('PUT', aPath, { name: 'Cycle Parent', parent: b.body.id }), '/parent');
  assertInvalid(await req('PATCH', aPath, { parent: c.body.id }), '/parent');
  assert.deepEqual(await snap(aPath), before0);
  // The child still rolls up to A.
  assert.deepEqual((await req('GET', `${COLL}/${b.body.id}`)).body.group, { id: a.body.id, name: 'Cycle Parent' });
  // Deleting a vendor that still has a child is refused.
  assertProblem(await req('DELETE', aPath), 409);
  for (const id of [c.body.id, b.body.id, a.body.id])
    assert.equal((await req('DELETE', `${COLL}/${id}`)).status, 204);
});

// ---- conflicts -----------------------------------------------------------------

test('409: a second vendor with an existing name; renaming onto one', async () => {
  const list0 = await snap(`${COLL}?limit=500`);
  const r = await req('POST', COLL, { name: 'Microsoft' });
  assertProblem(r, 409);
  assert.equal(r.body.errors[0].pointer, '/name');
  const gh = await idOf(COLL, 'GitHub');
  const before0 = await snap(`${COLL}/${gh}`);
  const p = await req('PATCH', `${COLL}/${gh}`, { name: 'Microsoft' });
  assertProblem(p, 409);
  assert.equal(p.body.errors[0].pointer, '/name');
  assert.deepEqual(await snap(`${COLL}/${gh}`), before0);
  assert.deepEqual(await snap(`${COLL}?limit=500`), list0);
});

test('409: deleting a vendor still used by an offering; 204 once it is not', async () => {
  const v = await req('POST', COLL, { name: 'Busy Vendor' });
  assert.equal(v.status, 201);
  const o = await req('POST', '/api/v1/offerings', {
    name: 'Busy Vendor Model', provider: v.body.id, track: 'other', category: 'model_api', interface: 'proprietary',
  });
  assert.equal(o.status, 201, JSON.stringify(o.body));
  const vPath = `${COLL}/${v.body.id}`;
  const before0 = await snap(vPath);
  const d = await req('DELETE', vPath);
  assertProblem(d, 409);
  assert.match(d.body.detail, /offering/);
  assert.deepEqual(await snap(vPath), before0);
  assert.equal((await req('DELETE', `/api/v1/offerings/${o.body.id}`)).status, 204);
  assert.equal((await req('DELETE', vPath)).status, 204);
  // A demo vendor with offerings and contracts stays too.
  const ms = await idOf(COLL, 'Microsoft');
  assertProblem(await req('DELETE', `${COLL}/${ms}`), 409);
  assert.equal((await req('GET', `${COLL}/${ms}`)).status, 200);
});

// ---- request-level checks ------------------------------------------------------

test('malformed JSON, non-object bodies and duplicate keys are 400', async () => {
  const id = await idOf(COLL, 'Okta');
  const item = `${COLL}/${id}`;
  const before0 = await snap(item);
  const list0 = await snap(`${COLL}?limit=500`);
  for (const [method, path] of [['POST', COLL], ['PUT', item], ['PATCH', item]]) {
    for (const text of ['{"name":', '{name: "x"}', '', 'nul', '{"name":"x"} trailing']) {
      const r = await req(method, path, text);
      assertProblem(r, 400);
    }
    for (const text of ['[1,2]', '"Okta"', '42', 'null', 'true']) {
      const r = await req(method, path, text);
      assertProblem(r, 400);
    }
    const dup = await req(method, path, '{"name":"Dup A","name":"Dup B"}');
    assertProblem(dup, 400);
    assert.match(dup.body.detail, /duplicate/i);
  }
  assert.deepEqual(await snap(item), before0);
  assert.deepEqual(await snap(`${COLL}?limit=500`), list0);
});

test('415 for a wrong or missing Content-Type; merge-patch+json only for PATCH', async () => {
  const id = await idOf(COLL, 'Okta');
  const item = `${COLL}/${id}`;
  const before0 = await snap(item);
  const body = JSON.stringify({ name: 'Okta', country: 'DE' });
  for (const [method, path] of [['POST', COLL], ['PUT', item], ['PATCH', item]]) {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'json']) {
      const r = await req(method, path, body, { 'Content-Type': ct });
      assertProblem(r, 415);
    }
    // No Content-Type at all (fetch would add text/plain, so use a raw socket).
    const out = await raw(srv.port, `${method} ${path} HTTP/1.1\r\nHost: x\r\n${authLine()}Connection: close\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    assert.match(out, /^HTTP\/1\.1 415 /);
    assert.match(out, /\r\nContent-Type: application\/problem\+json\r\n/i);
  }
  assertProblem(await req('POST', COLL, body, { 'Content-Type': 'application/merge-patch+json' }), 415);
  assertProblem(await req('PUT', item, body, { 'Content-Type': 'application/merge-patch+json' }), 415);
  // Parameters such as charset are fine.
  const ok = await req('PATCH', item, JSON.stringify({}), { 'Content-Type': 'application/json; charset=utf-8' });
  assert.equal(ok.status, 200);
  const after0 = await snap(item);
  assert.equal(JSON.parse(after0.text).country, JSON.parse(before0.text).country);
});

test('413 for a body over 1 MiB; exactly 1 MiB is read', async () => {
  const total = (await req('GET', COLL)).body.total;
  const MiB = 1024 * 1024;
  const sized = (n) => {
    const head = '{"name":"Big Vendor","description":"';
    const tail = '"}';
    return head + 'a'.repeat(n - head.length - tail.length) + tail;
  };
  const exact = sized(MiB);
  assert.equal(Buffer.byteLength(exact), MiB);
  // 1 MiB is accepted by the transport, then refused by validation (description too long).
  assertInvalid(await req('POST', COLL, exact), '/description');
  const over = await req('POST', COLL, sized(MiB + 1));
  assertProblem(over, 413);
  assertProblem(await req('POST', COLL, sized(3 * MiB)), 413);
  assert.equal((await req('GET', COLL)).body.total, total);
});

test('unknown paths under /api are 404 problem documents', async () => {
  for (const p of ['/api/v1/nope', '/api/nope', '/api/v2/vendors', '/api/v1/vendors/1/extra', '/api/v1/vendors/', '/api/v1']) {
    const r = await req('GET', p);
    assertProblem(r, 404);
  }
  assertProblem(await req('POST', '/api/v1/nope', { name: 'x' }), 404);
});

test('wrong method is 405 with an Allow header', async () => {
  const coll = await req('DELETE', COLL);
  assertProblem(coll, 405);
  assert.deepEqual(allowSet(coll), new Set(['GET', 'HEAD', 'POST']));
  const put = await req('PUT', COLL, { name: 'x' });
  assertProblem(put, 405);
  assert.deepEqual(allowSet(put), new Set(['GET', 'HEAD', 'POST']));
  const item = await req('POST', `${COLL}/1`, { name: 'x' });
  assertProblem(item, 405);
  assert.deepEqual(allowSet(item), new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']));
  const health = await req('POST', '/api/v1/health', {});
  assertProblem(health, 405);
  assert.deepEqual(allowSet(health), new Set(['GET', 'HEAD']));
});

test('non-numeric, zero, negative or huge ids are 404', async () => {
  for (const id of ['abc', '0', '-1', '1.5', '1e3', '99999999999999999999', '%20', '0x10']) {
    for (const method of ['GET', 'DELETE']) assertProblem(await req(method, `${COLL}/${id}`), 404);
    assertProblem(await req('PUT', `${COLL}/${id}`, { name: 'x' }), 404);
    assertProblem(await req('PATCH', `${COLL}/${id}`, { name: 'x' }), 404);
  }
  assertProblem(await req('GET', `${COLL}/999999`), 404);
});

test('a request with both Content-Length and Transfer-Encoding is 400 and changes nothing', async () => {
  const list0 = await snap(`${COLL}?limit=500`);
  const body = '{"name":"Smuggled Vendor"}';
  const chunk = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  const out = await raw(srv.port, `POST ${COLL} HTTP/1.1\r\nHost: x\r\n${authLine()}Content-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}`);
  assert.match(out, /^HTTP\/1\.1 400 /, out.split('\r\n')[0]);
  assert.deepEqual(await snap(`${COLL}?limit=500`), list0);
  // A plain chunked body without Content-Length is fine.
  const ok = await raw(srv.port, `POST ${COLL} HTTP/1.1\r\nHost: x\r\n${authLine()}Content-Type: application/json\r\n` +
    `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}`);
  assert.match(ok, /^HTTP\/1\.1 201 /, ok.split('\r\n')[0]);
  const id = Number(ok.match(/\r\nLocation: \/api\/v1\/vendors\/(\d+)\r\n/i)[1]);
  assert.equal((await req('DELETE', `${COLL}/${id}`)).status, 204);
});

test('HEAD on a vendor answers the GET headers without a body', async () => {
  const id = await idOf(COLL, 'Microsoft');
  const g = await fetch(`${srv.base}${COLL}/${id}`, auth());
  const text = await g.text();
  const out = await raw(srv.port, `HEAD ${COLL}/${id} HTTP/1.1\r\nHost: x\r\n${authLine()}Connection: close\r\n\r\n`);
  const [head, rest] = [out.slice(0, out.indexOf('\r\n\r\n')), out.slice(out.indexOf('\r\n\r\n') + 4)];
  assert.match(head, /^HTTP\/1\.1 200 /);
  assert.equal(rest, '');
  assert.match(head, new RegExp(`\r\nContent-Length: ${Buffer.byteLength(text)}(\r\n|$)`, 'i'));
  assert.match(head, /\r\nContent-Type: application\/json/i);
  assert.ok(head.includes(`ETag: ${g.headers.get('etag')}`));
});
