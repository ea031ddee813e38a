// assertions.mjs - checks the HTTP tests share: problem details (RFC 9457)
// with the failing field or parameter named, Allow headers, ordering, and a
// small client for one resource collection.
import assert from 'node:assert/strict';
import { api } from './harness.mjs';

// Requests against the server getSrv() returns (read when called, so it may
// be started later), for the collection path coll.
export function resourceClient(getSrv, coll) {
  const req = (method, path, body, headers = {}) => api(getSrv().base, method, path, body, headers);
  // Credentials for requests made without api(), when the harness has a token.
  const auth = (extra = {}) => {
    const { token } = getSrv();
    return token ? { ...extra, headers: { Authorization: `Bearer ${token}` } } : extra;
  };
  const authLine = () => (getSrv().token ? `Authorization: Bearer ${getSrv().token}\r\n` : '');
  // Status, ETag and the exact bytes of a GET, for "nothing changed" checks.
  async function snap(path) {
    const res = await fetch(getSrv().base + path, auth());
    return { status: res.status, etag: res.headers.get('etag'), text: await res.text() };
  }
  async function listAll(collection = coll, query = '') {
    const r = await req('GET', `${collection}?limit=500${query ? `&${query}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.total <= 500);
    assert.equal(r.body.items.length, r.body.total);
    return r.body.items;
  }
  async function idOf(collection, name) {
    const item = (await listAll(collection)).find((i) => i.name === name);
    assert.ok(item, `${collection} has "${name}"`);
    return item.id;
  }
  return { req, auth, authLine, snap, listAll, idOf };
}

export function assertProblem(r, status) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
  assert.equal(r.body.status, status);
  assert.equal(typeof r.body.title, 'string');
  assert.ok(r.body.title.length > 0);
  assert.equal(typeof r.body.detail, 'string');
  assert.ok(r.body.detail.length > 0);
}

export function assertInvalid(r, ...pointers) {
  assertProblem(r, 400);
  assert.ok(Array.isArray(r.body.errors), `errors[] in ${JSON.stringify(r.body)}`);
  const got = r.body.errors.map((e) => e.pointer);
  for (const p of pointers) assert.ok(got.includes(p), `pointer ${p} in ${JSON.stringify(got)}`);
  for (const e of r.body.errors) assert.equal(typeof e.detail, 'string');
}

export function assertParam(r, name) {
  assertProblem(r, 400);
  assert.equal(r.body.errors[0].parameter, name);
}

export function allowSet(r) {
  return new Set((r.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean));
}

export function assertSorted(items, label, desc, value) {
  const vals = items.map(value);
  for (let i = 1; i < vals.length; i++) {
    const a = vals[i - 1];
    const b = vals[i];
    const c = typeof a === 'number' ? a - b : byteOrder(String(a), String(b));
    assert.ok(desc ? c >= 0 : c <= 0, `sort=${desc ? '-' : ''}${label}: item ${i - 1} (${a}) before item ${i} (${b})`);
  }
}

export const byteOrder = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export const asciiLower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
