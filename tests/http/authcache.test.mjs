// authcache.test.mjs - the verified-credential cache (http/authcache.c)
// keeps the rules a database lookup keeps, on a clock the test moves
// (SWITCHYARD_NOW=@FILE): a session idle for more than 8 hours ends even
// though it is cached, while one in use stays; a token past its expiry is
// refused though cached; uses answered from the cache reach last_used_at in
// a batch (at most once a minute, and before tokens are listed); a session
// ended (sign-out) or a token revoked is refused at once; /metrics counts
// the cache's hits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api } from './harness.mjs';

let srv;
let dir;
let clockFile;
let now = Date.parse('2026-06-01T08:00:00Z');
const setClock = (ms) => {
  now = ms;
  writeFileSync(clockFile, new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));
};
const HOUR = 3600 * 1000;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-authcache-'));
  clockFile = join(dir, 'now');
  setClock(now);
  srv = await startServer({ demo: true, env: { SWITCHYARD_NOW: `@${clockFile}` } });
});
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const withCookie = (cookie) => ({ Authorization: '', Cookie: cookie });
const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const get = async (path, headers) => (await api(srv.base, 'GET', path, undefined, headers)).status;

async function credentialHits() {
  const text = (await api(srv.base, 'GET', '/metrics')).body;
  return Number(/switchyard_cache_lookups_total\{cache="credentials",result="hit"\} (\d+)/.exec(text)[1]);
}

test('a cached session in use stays; idle for over 8 hours it ends', async () => {
  const cookie = await srv.signIn('viewer');
  const hits0 = await credentialHits();
  for (let i = 0; i < 3; i++) assert.equal(await get('/api/v1/session', withCookie(cookie)), 200);
  assert.ok(await credentialHits() >= hits0 + 2, 'answered from the cache');
  // Used every 7 hours: 21 hours after sign-in it still works.
  for (let i = 0; i < 3; i++) {
    setClock(now + 7 * HOUR);
    assert.equal(await get('/api/v1/session', withCookie(cookie)), 200);
  }
  // Then 8 hours and 2 minutes without a use: gone.
  setClock(now + 8 * HOUR + 2 * 60 * 1000);
  assert.equal(await get('/api/v1/session', withCookie(cookie)), 401);
});

test('a cached token past its expiry is refused; its uses reach last_used_at in a batch', async () => {
  const made = await api(srv.base, 'POST', '/api/v1/tokens', { name: `short-${Date.now()}`, expires_in_days: 1 });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const token = made.body.token;
  assert.equal(await get('/api/v1/session', bearer(token)), 200); // verified: last_used_at written
  const first = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
  const row = async () => (await api(srv.base, 'GET', '/api/v1/tokens')).body.items.find((t) => t.id === made.body.id);
  assert.equal((await row()).last_used_at, first);
  // Ten minutes on, used again from the cache: listed, it shows the new time.
  setClock(now + 10 * 60 * 1000);
  assert.equal(await get('/api/v1/session', bearer(token)), 200);
  const later = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
  assert.equal((await row()).last_used_at, later);
  // A day and a minute after its creation: expired, cached or not.
  setClock(now + 24 * HOUR);
  const r = await api(srv.base, 'GET', '/api/v1/session', undefined, bearer(token));
  assert.equal(r.status, 401);
  assert.match(r.body.detail, /expired/);
});

test('sign-out and revocation take effect at once, cache or not', async () => {
  const cookie = await srv.signIn('architect');
  for (let i = 0; i < 3; i++) assert.equal(await get('/api/v1/session', withCookie(cookie)), 200);
  const out = await api(srv.base, 'DELETE', '/api/v1/session', undefined, { ...withCookie(cookie), Origin: srv.base });
  assert.equal(out.status, 204);
  assert.equal(await get('/api/v1/session', withCookie(cookie)), 401);

  const made = await api(srv.base, 'POST', '/api/v1/tokens', { name: `revoked-${Date.now()}` });
  assert.equal(made.status, 201);
  for (let i = 0; i < 3; i++) assert.equal(await get('/api/v1/workloads?limit=1', bearer(made.body.token)), 200);
  assert.equal((await api(srv.base, 'DELETE', `/api/v1/tokens/${made.body.id}`)).status, 204);
  assert.equal(await get('/api/v1/workloads?limit=1', bearer(made.body.token)), 401);
});
