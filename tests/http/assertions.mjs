// assertions.mjs - checks the HTTP tests share: problem details (RFC 9457)
// with the failing field or parameter named, Allow headers, and ordering.
import assert from 'node:assert/strict';

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
