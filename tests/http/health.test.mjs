// health.test.mjs - the server starts, answers health, stops on SIGTERM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('health reports ok, version and schema', async () => {
  const r = await api(srv.base, 'GET', '/api/v1/health');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
  assert.match(r.body.version, /^\d+\.\d+\.\d+$/);
  assert.ok(Number.isInteger(r.body.schema) && r.body.schema >= 1);
});

test('security headers on API and static responses, no server banner', async () => {
  for (const path of ['/api/v1/health', '/', '/nope']) {
    const res = await fetch(srv.base + path);
    assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
    assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('server'), null);
    await res.arrayBuffer();
  }
});

test('SIGTERM stops the server cleanly', async () => {
  const other = await (await import('./harness.mjs')).startServer({ demo: false });
  const code = await other.stop();
  assert.equal(code, 0);
});
