// lockout.test.mjs - sign-in throttling that cannot be turned against users
// (issue 18, item 4): exponential backoff per (name, address) instead of a
// lock of the name; a success from the address, an admin's reset (API and
// command line) or re-enabling clears it; a concurrent burst gets no extra
// guess; trusted proxies' X-Forwarded-For / Forwarded name the client and
// X-Forwarded-Proto: https sets the cookie's Secure flag; the per-address
// brake against password spraying.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { startServer, api, BIN, dbArgs } from './harness.mjs';

let srv;
// The clock is pinned (SWITCHYARD_NOW), so waits are exact however slow the
// machine; time passes by moving failures into the past in the table.
const NOW = '2026-06-15T09:00:00Z';
const nowSec = Date.parse(NOW) / 1000;
before(async () => {
  srv = await startServer({ demo: false, args: ['--trusted-proxies', '127.0.0.2, 127.0.9.0/24'], env: { SWITCHYARD_NOW: NOW } });
});
after(async () => { await srv?.stop(); });

const WRONG = 'wrong password!';
let serial = 0;

// POST /session from a chosen loopback address, with extra headers.
function signIn(from, name, password, headers = {}) {
  const body = JSON.stringify({ name, password });
  return new Promise((resolve, reject) => {
    const rq = http.request({
      host: '127.0.0.1', port: srv.port, path: '/api/v1/session', method: 'POST', localAddress: from, agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : null }));
    });
    rq.on('error', reject);
    rq.end(body);
  });
}

async function newUser(role = 'viewer') {
  const name = `u${process.pid}x${++serial}`;
  const password = `${name}-password-0001`;
  const r = await api(srv.base, 'POST', '/api/v1/users', { name, password, role });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: r.body.id, name, password };
}

function throttled(r, min, max) {
  assert.equal(r.status, 429, JSON.stringify(r.body));
  assert.match(r.headers['content-type'], /^application\/problem\+json/);
  const s = Number(r.headers['retry-after']);
  assert.ok(s >= min && s <= max, `Retry-After ${s} not in ${min}..${max}`);
  assert.equal(r.headers['set-cookie'], undefined);
}

// Moves a pair's failures `s` seconds into the past (time simulated in the table).
const age = (name, s) => srv.sql(`UPDATE sign_in_failures SET at = at - ${s} WHERE name = '${name}';`);
const pairRows = (name, address) => Number(srv.sql(`SELECT COUNT(*) FROM sign_in_failures WHERE name = '${name}' AND address = '${address}';`).trim());

test('failures slow down one (name, address) pair with doubling waits; the name stays open elsewhere', async () => {
  const u = await newUser();
  for (let i = 0; i < 5; i++) assert.equal((await signIn('127.0.0.11', u.name, WRONG)).status, 401);
  // The sixth try from that address waits 30 s, even with the right password.
  throttled(await signIn('127.0.0.11', u.name, u.password), 30, 30);
  // The user signs in from anywhere else: no lock of the name.
  assert.equal((await signIn('127.0.0.12', u.name, u.password)).status, 201);
  // ... which does not clear the attacker's pair.
  throttled(await signIn('127.0.0.11', u.name, u.password), 30, 30);
  // After the wait one more guess, then 60 s, then 120 s.
  age(u.name, 31);
  assert.equal((await signIn('127.0.0.11', u.name, WRONG)).status, 401);
  throttled(await signIn('127.0.0.11', u.name, WRONG), 60, 60);
  age(u.name, 61);
  assert.equal((await signIn('127.0.0.11', u.name, WRONG)).status, 401);
  throttled(await signIn('127.0.0.11', u.name, WRONG), 120, 120);
  // Refused attempts are neither counted nor audited as failures.
  const failed = await api(srv.base, 'GET', `/api/v1/audit?action=sign_in_failed&limit=500`);
  assert.equal(failed.body.items.filter((e) => e.after.user === u.name).length, 7);
});

test('a successful sign-in clears its pair; an admin reset or re-enabling clears the name', async () => {
  const u = await newUser();
  for (let i = 0; i < 4; i++) assert.equal((await signIn('127.0.0.13', u.name, WRONG)).status, 401);
  assert.equal(pairRows(u.name, '127.0.0.13'), 4);
  assert.equal((await signIn('127.0.0.13', u.name, u.password)).status, 201);
  assert.equal(pairRows(u.name, '127.0.0.13'), 0);

  // Throttled, then the admin resets the password through the API.
  for (let i = 0; i < 5; i++) await signIn('127.0.0.14', u.name, WRONG);
  throttled(await signIn('127.0.0.14', u.name, u.password), 1, 30);
  const fresh = `${u.name}-new-password`;
  assert.equal((await api(srv.base, 'PATCH', `/api/v1/users/${u.id}`, { password: fresh })).status, 200);
  assert.equal((await signIn('127.0.0.14', u.name, fresh)).status, 201);

  // The same with `switchyard user reset-password`.
  for (let i = 0; i < 5; i++) await signIn('127.0.0.15', u.name, WRONG);
  throttled(await signIn('127.0.0.15', u.name, fresh), 1, 30);
  const cliPassword = `${u.name}-cli-password`;
  execFileSync(BIN, ['user', 'reset-password', u.name, ...dbArgs(srv.db)], { input: `${cliPassword}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  assert.equal((await signIn('127.0.0.15', u.name, cliPassword)).status, 201);

  // Disabling and enabling again clears it too.
  for (let i = 0; i < 5; i++) await signIn('127.0.0.16', u.name, WRONG);
  throttled(await signIn('127.0.0.16', u.name, cliPassword), 1, 30);
  await api(srv.base, 'PATCH', `/api/v1/users/${u.id}`, { disabled: true });
  await api(srv.base, 'PATCH', `/api/v1/users/${u.id}`, { disabled: false });
  assert.equal((await signIn('127.0.0.16', u.name, cliPassword)).status, 201);
});

test('a concurrent burst of guesses gets no extra guess past the limit', async () => {
  const u = await newUser();
  const results = await Promise.all(Array.from({ length: 16 }, () => signIn('127.0.0.17', u.name, WRONG)));
  const counts = {};
  for (const r of results) counts[r.status] = (counts[r.status] || 0) + 1;
  assert.deepEqual(counts, { 401: 5, 429: 11 }, JSON.stringify(counts));
  assert.equal(pairRows(u.name, '127.0.0.17'), 5);
});

test('trusted proxies name the client (X-Forwarded-For, Forwarded); others are not believed', async () => {
  const u = await newUser();
  const lastFailure = async () => {
    const r = await api(srv.base, 'GET', '/api/v1/audit?action=sign_in_failed&limit=1');
    return r.body.items[0].after.address;
  };
  // From a trusted proxy: the rightmost address that is not a trusted proxy.
  await signIn('127.0.0.2', u.name, WRONG, { 'X-Forwarded-For': '10.9.9.9, 198.51.100.7, 127.0.9.5' });
  assert.equal(await lastFailure(), '198.51.100.7');
  await signIn('127.0.9.1', u.name, WRONG, { Forwarded: 'for=192.0.2.1, for="[2001:DB8::17]:4711";proto=https' });
  assert.equal(await lastFailure(), '2001:db8::17');
  // A proxy that wrote no address: the proxy's own.
  await signIn('127.0.0.2', u.name, WRONG, { 'X-Forwarded-For': 'unknown' });
  assert.equal(await lastFailure(), '127.0.0.2');
  // From anyone else the headers are the client's own claim: ignored.
  await signIn('127.0.0.3', u.name, WRONG, { 'X-Forwarded-For': '198.51.100.99', Forwarded: 'for=198.51.100.98' });
  assert.equal(await lastFailure(), '127.0.0.3');

  // Clients behind one proxy are throttled apart, not together.
  const v = await newUser();
  for (let i = 0; i < 5; i++) await signIn('127.0.0.2', v.name, WRONG, { 'X-Forwarded-For': '203.0.113.1' });
  throttled(await signIn('127.0.0.2', v.name, v.password, { 'X-Forwarded-For': '203.0.113.1' }), 1, 30);
  const other = await signIn('127.0.0.2', v.name, v.password, { 'X-Forwarded-For': '203.0.113.2' });
  assert.equal(other.status, 201);
  // A client cannot escape its pair by claiming addresses to the left.
  throttled(await signIn('127.0.0.2', v.name, v.password, { 'X-Forwarded-For': '1.1.1.1, 203.0.113.1' }), 1, 30);
});

test('X-Forwarded-Proto: https from a trusted proxy sets the Secure cookie flag, from others not', async () => {
  const u = await newUser();
  const secure = (r) => r.headers['set-cookie'][0].split(';').some((p) => p.trim().toLowerCase() === 'secure');
  const viaProxy = await signIn('127.0.0.2', u.name, u.password, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' });
  assert.equal(viaProxy.status, 201);
  assert.ok(secure(viaProxy), viaProxy.headers['set-cookie'][0]);
  const forwarded = await signIn('127.0.9.3', u.name, u.password, { Forwarded: 'for=203.0.113.9;proto=https' });
  assert.ok(secure(forwarded), forwarded.headers['set-cookie'][0]);
  const plain = await signIn('127.0.0.2', u.name, u.password, { 'X-Forwarded-Proto': 'http' });
  assert.ok(!secure(plain));
  const spoofed = await signIn('127.0.0.4', u.name, u.password, { 'X-Forwarded-Proto': 'https' });
  assert.equal(spoofed.status, 201);
  assert.ok(!secure(spoofed), 'an untrusted client cannot ask for Secure');
});

test('the spraying brake: 100 failures from one address in 15 minutes pause that address', async () => {
  const u = await newUser();
  const rows = Array.from({ length: 100 }, (_, i) => `('ghost${i}', '127.0.0.18', ${nowSec - 600})`).join(', ');
  srv.sql(`INSERT INTO sign_in_failures(name, address, at) VALUES ${rows};`);
  throttled(await signIn('127.0.0.18', u.name, u.password), 300, 300);
  assert.equal((await signIn('127.0.0.19', u.name, u.password)).status, 201);
});

test('--trusted-proxies refuses what is not an address or range', () => {
  assert.throws(() => execFileSync(BIN, ['serve', '--db', '/nonexistent/x.db', '--trusted-proxies', '10.0.0.0/33'], { stdio: 'pipe' }),
    (e) => e.status === 2 && /not an IP address or CIDR range/.test(String(e.stderr)));
});
