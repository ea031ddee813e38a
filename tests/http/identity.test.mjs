// identity.test.mjs - who may ask: the session cookie (attributes, storage as
// a hash, idle and absolute expiry, sign-out), CSRF for cookie-authenticated
// changes, API tokens (shown once, stored as a hash, revoked, expired, never
// above their user's role), 401/403 problems and the security headers on
// every response, the users API
// and the `switchyard user` command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { startServer, api, raw, BIN, sql, dbBytes, onPostgres } from './harness.mjs';

let srv;

before(async () => {
  srv = await startServer({ demo: true, env: { SWITCHYARD_TODAY: new Date().toISOString().slice(0, 10) } });
});
after(async () => { await srv?.stop(); });

// ---- helpers ---------------------------------------------------------------

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const nowSec = () => Math.floor(Date.now() / 1000);

// A request with the session cookie only (no token), optionally with Origin.
const withCookie = (cookie, method, path, body, headers = {}) =>
  api(srv.base, method, path, body, { Authorization: '', Cookie: cookie, ...headers });
// Same-origin cookie request, as the front end makes it.
const browser = (cookie, method, path, body, headers = {}) =>
  withCookie(cookie, method, path, body, { Origin: srv.base, ...headers });
const bearer = (token, method, path, body, headers = {}) =>
  api(srv.base, method, path, body, { Authorization: `Bearer ${token}`, ...headers });
const anonymous = (method, path, body, headers = {}) =>
  api(srv.base, method, path, body, { Authorization: '', ...headers });

function assertProblem(r, status) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
  assert.equal(r.body.status, status);
  assert.equal(typeof r.body.title, 'string');
  assert.ok(r.body.title.length > 0);
  assert.equal(typeof r.body.detail, 'string');
  assert.ok(r.body.detail.length > 0);
}

function assert401(r) {
  assertProblem(r, 401);
  assert.match(r.headers.get('www-authenticate') || '', /^Bearer\b/);
}

function assertInvalid(r, ...pointers) {
  assertProblem(r, 400);
  assert.ok(Array.isArray(r.body.errors), `errors[] in ${JSON.stringify(r.body)}`);
  const got = r.body.errors.map((e) => e.pointer);
  for (const p of pointers) assert.ok(got.includes(p), `pointer ${p} in ${JSON.stringify(got)}`);
}

// Signs in and returns the whole response (status, headers, body).
async function signInRaw(base, name, password) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}


async function auditHead() {
  const r = await api(srv.base, 'GET', '/api/v1/audit/head');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

async function userId(name) {
  const r = await api(srv.base, 'GET', '/api/v1/users');
  assert.equal(r.status, 200);
  const u = r.body.items.find((i) => i.name === name);
  assert.ok(u, `user ${name}`);
  return u.id;
}

async function snapVendor(id) {
  const r = await api(srv.base, 'GET', `/api/v1/vendors/${id}`);
  return { status: r.status, etag: r.headers.get('etag'), body: JSON.stringify(r.body) };
}

async function vendorCount() {
  return (await api(srv.base, 'GET', '/api/v1/vendors?limit=1')).body.total;
}

let counter = 0;
const unique = (p) => `${p}-${process.pid}-${++counter}`;

// ---- sessions --------------------------------------------------------------

test('sign-in sets a random 256-bit HttpOnly, SameSite=Strict session cookie; GET /session names the user', async () => {
  const r = await signInRaw(srv.base, 'viewer', srv.users.viewer);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual({ name: r.body.name, role: r.body.role }, { name: 'viewer', role: 'viewer' });
  const setCookie = r.headers.get('set-cookie');
  assert.ok(setCookie, 'Set-Cookie present');
  const parts = setCookie.split(';').map((s) => s.trim());
  const m = parts[0].match(/^sy_session=([A-Za-z0-9_-]+)$/);
  assert.ok(m, parts[0]);
  assert.equal(m[1].length, 43);
  assert.equal(Buffer.from(m[1], 'base64url').length, 32);
  assert.ok(parts.includes('HttpOnly'), setCookie);
  assert.ok(parts.includes('SameSite=Strict'), setCookie);
  assert.ok(parts.includes('Path=/'), setCookie);
  assert.ok(!parts.some((p) => /^secure$/i.test(p)), `no Secure over plain HTTP: ${setCookie}`);

  // Each sign-in gets a different secret.
  const again = await signInRaw(srv.base, 'viewer', srv.users.viewer);
  assert.equal(again.status, 201);
  assert.notEqual(again.headers.get('set-cookie').split(';')[0], parts[0]);

  const me = await withCookie(parts[0], 'GET', '/api/v1/session');
  assert.equal(me.status, 200, JSON.stringify(me.body));
  assert.equal(me.body.name, 'viewer');
  assert.equal(me.body.role, 'viewer');
  assert.equal(me.body.auth, 'session');

  // Without the cookie nobody is signed in.
  assert401(await anonymous('GET', '/api/v1/session'));
  // A made-up cookie is no session either.
  assert401(await withCookie(`sy_session=${'A'.repeat(43)}`, 'GET', '/api/v1/session'));
});

test('the database keeps only the SHA-256 of the session secret', async () => {
  const cookie = await srv.signIn('architect');
  const secret = cookie.slice('sy_session='.length);
  const rows = sql(srv.db, 'SELECT token_hash FROM sessions;').split('\n').filter(Boolean);
  assert.ok(rows.includes(sha256(secret)), 'the hash is stored');
  assert.ok(!rows.includes(secret));
  const bytes = dbBytes(srv.db);
  // The scan sees what the database holds: the hash is there, the secret is not.
  assert.ok(bytes.includes(Buffer.from(sha256(secret))), 'hash found in the database files');
  assert.ok(!bytes.includes(Buffer.from(secret)), 'raw session secret found in the database files');
  if (!onPostgres) { // SQLite: also once the WAL is folded into the file
    sql(srv.db, 'PRAGMA wal_checkpoint(TRUNCATE);');
    assert.ok(!dbBytes(srv.db).includes(Buffer.from(secret)), 'raw secret after a checkpoint');
  }
});

test('a session ends after 8 hours idle and 7 days after sign-in', async () => {
  const cookie = await srv.signIn('viewer');
  const hash = sha256(cookie.slice('sy_session='.length));
  const [created, expires] = sql(srv.db, `SELECT created, expires FROM sessions WHERE token_hash = '${hash}';`)
    .trim().split('|').map(Number);
  assert.equal(expires - created, 7 * 24 * 3600);
  assert.ok(Math.abs(created - nowSec()) < 30);

  // Idle for 7 hours: still valid (and the visit refreshes last_seen).
  sql(srv.db, `UPDATE sessions SET last_seen = ${nowSec() - 7 * 3600} WHERE token_hash = '${hash}';`);
  assert.equal((await withCookie(cookie, 'GET', '/api/v1/session')).status, 200);
  const seen = Number(sql(srv.db, `SELECT last_seen FROM sessions WHERE token_hash = '${hash}';`).trim());
  assert.ok(nowSec() - seen < 30, 'last_seen refreshed on use');

  // Idle for just over 8 hours: gone.
  sql(srv.db, `UPDATE sessions SET last_seen = ${nowSec() - 8 * 3600 - 120} WHERE token_hash = '${hash}';`);
  assert401(await withCookie(cookie, 'GET', '/api/v1/session'));
  assertProblem(await browser(cookie, 'POST', '/api/v1/tokens', { name: unique('idle') }), 401);

  // Absolute expiry: recently active, but the 7 days are over.
  const c2 = await srv.signIn('viewer');
  const h2 = sha256(c2.slice('sy_session='.length));
  assert.equal((await withCookie(c2, 'GET', '/api/v1/session')).status, 200);
  sql(srv.db, `UPDATE sessions SET created = ${nowSec() - 7 * 86400 - 10}, expires = ${nowSec() - 5}, `
    + `last_seen = ${nowSec()} WHERE token_hash = '${h2}';`);
  assert401(await withCookie(c2, 'GET', '/api/v1/session'));
});

test('sign-out invalidates the session and clears the cookie', async () => {
  const cookie = await srv.signIn('auditor');
  const hash = sha256(cookie.slice('sy_session='.length));
  assert.equal((await withCookie(cookie, 'GET', '/api/v1/session')).status, 200);
  // Sign-out is a change: it needs Origin or the CSRF header like any other.
  assertProblem(await withCookie(cookie, 'DELETE', '/api/v1/session'), 403);
  assert.equal((await withCookie(cookie, 'GET', '/api/v1/session')).status, 200);

  const r = await browser(cookie, 'DELETE', '/api/v1/session');
  assert.equal(r.status, 204);
  const sc = r.headers.get('set-cookie') || '';
  const parts = sc.split(';').map((s) => s.trim());
  assert.equal(parts[0], 'sy_session=');
  assert.ok(parts.includes('Max-Age=0'), sc);
  assert.ok(parts.includes('Path=/'), sc);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM sessions WHERE token_hash = '${hash}';`).trim(), '0');
  assert401(await withCookie(cookie, 'GET', '/api/v1/session'));
  assertProblem(await browser(cookie, 'POST', '/api/v1/tokens', { name: unique('after-out') }), 401);
});

// ---- CSRF ------------------------------------------------------------------

test('cookie-authenticated changes need a matching Origin or the CSRF header', async () => {
  const cookie = await srv.signIn('admin');
  const created = await api(srv.base, 'POST', '/api/v1/vendors', { name: unique('CSRF Vendor'), description: 'original' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const path = `/api/v1/vendors/${id}`;

  const refuse = async (headers, label) => {
    const before = await snapVendor(id);
    const head0 = await auditHead();
    const n0 = await vendorCount();
    for (const [method, p, body] of [
      ['PATCH', path, { description: 'hacked' }],
      ['PUT', path, { name: 'Hacked', description: 'hacked' }],
      ['POST', '/api/v1/vendors', { name: unique('Forged Vendor') }],
      ['DELETE', path, undefined],
    ]) {
      const r = await withCookie(cookie, method, p, body, headers);
      assertProblem(r, 403);
      assert.equal(r.headers.get('www-authenticate'), null, `${label} ${method}`);
    }
    assert.deepEqual(await snapVendor(id), before, `${label}: the vendor is unchanged`);
    assert.equal(await vendorCount(), n0, `${label}: nothing created`);
    assert.deepEqual(await auditHead(), head0, `${label}: no audit event`);
  };
  await refuse({ Origin: 'http://evil.example' }, 'foreign origin');
  await refuse({ Origin: `http://127.0.0.1:${srv.port + 1 === 65536 ? 1 : srv.port + 1}` }, 'other port');
  await refuse({ Origin: 'null' }, 'opaque origin');
  // A foreign Origin is refused even with the CSRF header.
  await refuse({ Origin: 'http://evil.example', 'X-Switchyard-CSRF': '1' }, 'foreign origin + header');
  await refuse({}, 'no Origin, no header');

  // The matching Origin works.
  const head0 = await auditHead();
  const ok = await browser(cookie, 'PATCH', path, { description: 'same origin' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.description, 'same origin');
  assert.equal((await auditHead()).seq, head0.seq + 1);

  // No Origin, but the header: works too.
  const viaHeader = await withCookie(cookie, 'PATCH', path, { description: 'with header' }, { 'X-Switchyard-CSRF': '1' });
  assert.equal(viaHeader.status, 200, JSON.stringify(viaHeader.body));
  assert.equal(viaHeader.body.description, 'with header');
  const made = await withCookie(cookie, 'POST', '/api/v1/vendors', { name: unique('Header Vendor') }, { 'X-Switchyard-CSRF': '1' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const del = await withCookie(cookie, 'DELETE', `/api/v1/vendors/${made.body.id}`, undefined, { 'X-Switchyard-CSRF': '1' });
  assert.equal(del.status, 204);

  // Signing in from another site is refused too (no login CSRF), and audited as nothing.
  const h1 = await auditHead();
  const forged = await anonymous('POST', '/api/v1/session', { name: 'viewer', password: srv.users.viewer },
    { Origin: 'http://evil.example' });
  assertProblem(forged, 403);
  assert.equal(forged.headers.get('set-cookie'), null);
  assert.deepEqual(await auditHead(), h1);

  // Bearer tokens need neither.
  const tok = await api(srv.base, 'PATCH', path, { description: 'by token' });
  assert.equal(tok.status, 200, JSON.stringify(tok.body));
  assert.equal(tok.body.description, 'by token');
  const gone = await api(srv.base, 'DELETE', path);
  assert.equal(gone.status, 204);
});

// ---- API tokens --------------------------------------------------------------

test('a token secret is shown once, listed never, stored as a hash, and works as Bearer', async () => {
  const cookie = await srv.signIn('architect');
  const name = unique('ci');
  const c = await browser(cookie, 'POST', '/api/v1/tokens', { name });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const secret = c.body.token;
  assert.match(secret, /^sy_[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(secret.slice(3), 'base64url').length, 32);
  assert.equal(c.body.name, name);
  assert.equal(c.body.role, 'architect');
  assert.ok(secret.startsWith(c.body.prefix) && c.body.prefix.length < secret.length, c.body.prefix);
  assert.equal(c.headers.get('location'), `/api/v1/tokens/${c.body.id}`);
  const days = (Date.parse(c.body.expires_at) - Date.now()) / 86400000;
  assert.ok(days > 89 && days <= 90, `expires in ${days} days`);

  const list = await fetch(`${srv.base}/api/v1/tokens`, { headers: { Cookie: cookie } });
  const text = await list.text();
  assert.equal(list.status, 200);
  assert.ok(!text.includes(secret), 'the list shows the secret');
  assert.ok(!text.includes(sha256(secret)), 'the list shows the hash');
  const item = JSON.parse(text).items.find((t) => t.id === c.body.id);
  assert.ok(item);
  for (const k of ['name', 'prefix', 'created_at', 'last_used_at', 'expires_at']) assert.ok(k in item, k);
  assert.ok(!('token' in item) && !('secret' in item) && !('token_hash' in item), JSON.stringify(item));
  assert.equal(item.name, name);
  assert.equal(item.prefix, c.body.prefix);
  assert.equal(item.last_used_at, null);
  assert.equal(item.expires_at, c.body.expires_at);

  // Only the hash is in the database.
  const stored = sql(srv.db, `SELECT token_hash FROM api_tokens WHERE id = ${c.body.id};`).trim();
  assert.equal(stored, sha256(secret));
  const bytes = dbBytes(srv.db);
  assert.ok(bytes.includes(Buffer.from(stored)));
  assert.ok(!bytes.includes(Buffer.from(secret)), 'token secret found in the database files');

  // It works as Bearer, as the architect.
  const me = await bearer(secret, 'GET', '/api/v1/session');
  assert.equal(me.status, 200);
  assert.deepEqual(me.body, { name: 'architect', role: 'architect', auth: 'token' });
  assert.equal((await bearer(secret, 'GET', '/api/v1/workloads?limit=1')).status, 200);
  const used = (await withCookie(cookie, 'GET', '/api/v1/tokens')).body.items.find((t) => t.id === c.body.id);
  assert.match(used.last_used_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(!JSON.stringify(used).includes(secret));

  // A second token with the same name for the same user is a conflict.
  assertProblem(await browser(cookie, 'POST', '/api/v1/tokens', { name }), 409);
});

test('revoked and expired tokens get 401; bad Authorization gets 401', async () => {
  const cookie = await srv.signIn('viewer');
  const a = await browser(cookie, 'POST', '/api/v1/tokens', { name: unique('revoke-me') });
  assert.equal(a.status, 201);
  assert.equal((await bearer(a.body.token, 'GET', '/api/v1/session')).status, 200);
  const del = await browser(cookie, 'DELETE', `/api/v1/tokens/${a.body.id}`);
  assert.equal(del.status, 204);
  assert401(await bearer(a.body.token, 'GET', '/api/v1/session'));
  assert401(await bearer(a.body.token, 'GET', '/api/v1/vendors'));
  const listed = (await withCookie(cookie, 'GET', '/api/v1/tokens')).body.items.find((t) => t.id === a.body.id);
  assert.match(listed.revoked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const b = await browser(cookie, 'POST', '/api/v1/tokens', { name: unique('expire-me'), expires_in_days: 1 });
  assert.equal(b.status, 201);
  assert.equal((await bearer(b.body.token, 'GET', '/api/v1/session')).status, 200);
  sql(srv.db, `UPDATE api_tokens SET expires_at = '${new Date(Date.now() - 60000).toISOString().slice(0, 19)}Z' WHERE id = ${b.body.id};`);
  assert401(await bearer(b.body.token, 'GET', '/api/v1/session'));

  assert401(await bearer(`sy_${'x'.repeat(43)}`, 'GET', '/api/v1/session'));
  assert401(await api(srv.base, 'GET', '/api/v1/session', undefined, { Authorization: 'Basic dXNlcjpwYXNz' }));
  assert401(await bearer('not-a-token', 'GET', '/api/v1/vendors'));
  // expires_in_days is bounded.
  assertInvalid(await browser(cookie, 'POST', '/api/v1/tokens', { name: unique('long'), expires_in_days: 367 }), '/expires_in_days');
});

test('a token never carries more than its creator\'s role', async () => {
  const arch = await srv.signIn('architect');
  const aud = await srv.signIn('auditor');
  const view = await srv.signIn('viewer');
  const adm = await srv.signIn('admin');
  const head0 = await auditHead();
  assertInvalid(await browser(arch, 'POST', '/api/v1/tokens', { name: unique('x'), role: 'admin' }), '/role');
  assertInvalid(await browser(aud, 'POST', '/api/v1/tokens', { name: unique('x'), role: 'architect' }), '/role');
  assertInvalid(await browser(arch, 'POST', '/api/v1/tokens', { name: unique('x'), role: 'auditor' }), '/role');
  assertInvalid(await browser(view, 'POST', '/api/v1/tokens', { name: unique('x'), role: 'architect' }), '/role');
  assertInvalid(await browser(view, 'POST', '/api/v1/tokens', { name: unique('x'), role: 'root' }), '/role');
  assert.deepEqual(await auditHead(), head0, 'refused tokens write no audit event');

  // A lower role is fine, and is all the token can do.
  const low = await browser(arch, 'POST', '/api/v1/tokens', { name: unique('ro'), role: 'viewer' });
  assert.equal(low.status, 201, JSON.stringify(low.body));
  assert.equal(low.body.role, 'viewer');
  assert.equal((await bearer(low.body.token, 'GET', '/api/v1/session')).body.role, 'viewer');
  assertProblem(await bearer(low.body.token, 'POST', '/api/v1/scenarios',
    { name: unique('sc'), changes: [{ type: 'exit_group', vendor: 1 }] }), 403);
  // An admin may hand out any role.
  const any = await browser(adm, 'POST', '/api/v1/tokens', { name: unique('arch'), role: 'architect' });
  assert.equal(any.status, 201);
  assert.equal(any.body.role, 'architect');
  assertProblem(await bearer(any.body.token, 'GET', '/api/v1/audit'), 403);
});

test('non-admins neither see nor revoke other people\'s tokens; admins see all', async () => {
  const view = await srv.signIn('viewer');
  const arch = await srv.signIn('architect');
  const mine = await browser(arch, 'POST', '/api/v1/tokens', { name: unique('arch-own') });
  assert.equal(mine.status, 201);
  const list = await withCookie(view, 'GET', '/api/v1/tokens');
  assert.equal(list.status, 200);
  assert.ok(list.body.items.length > 0);
  assert.ok(list.body.items.every((t) => t.user === 'viewer'), JSON.stringify(list.body.items.map((t) => t.user)));
  assert.ok(!list.body.items.some((t) => t.id === mine.body.id));

  const head0 = await auditHead();
  assertProblem(await browser(view, 'DELETE', `/api/v1/tokens/${mine.body.id}`), 404);
  assertProblem(await bearer(await srv.tokenFor('auditor'), 'DELETE', `/api/v1/tokens/${mine.body.id}`), 404);
  assert.equal((await bearer(mine.body.token, 'GET', '/api/v1/session')).status, 200, 'still valid');
  const headNow = await auditHead();
  // tokenFor() above signed in and created a token: exactly those two events.
  assert.equal(headNow.seq, head0.seq + 2);

  const all = await api(srv.base, 'GET', '/api/v1/tokens');
  const users = new Set(all.body.items.map((t) => t.user));
  for (const u of ['admin', 'architect', 'viewer']) assert.ok(users.has(u), u);
  // An admin may revoke anyone's.
  assert.equal((await api(srv.base, 'DELETE', `/api/v1/tokens/${mine.body.id}`)).status, 204);
  assert401(await bearer(mine.body.token, 'GET', '/api/v1/session'));
  assertProblem(await api(srv.base, 'DELETE', '/api/v1/tokens/999999'), 404);
});

// A user's role change, reset or disabling: see tokens.test.mjs.

// ---- rate limit --------------------------------------------------------------

// The sign-in throttle per (name, address): see lockout.test.mjs.

// ---- 401, 403 and headers ------------------------------------------------------

test('401 carries WWW-Authenticate, 403 is for a role too low; both are problem+json', async () => {
  for (const path of ['/api/v1/vendors', '/api/v1/session', '/api/v1/audit', '/api/v1/users', '/api/v1/tokens']) {
    assert401(await anonymous('GET', path));
  }
  assert401(await anonymous('POST', '/api/v1/vendors', { name: 'x' }));
  const view = await srv.signIn('viewer');
  const arch = await srv.signIn('architect');
  const checks = [
    [view, 'POST', '/api/v1/vendors', { name: unique('V') }],
    [view, 'POST', '/api/v1/workloads', { name: 'x' }],
    [view, 'GET', '/api/v1/users'],
    [view, 'GET', '/api/v1/audit'],
    [arch, 'GET', '/api/v1/audit/verify'],
    [arch, 'PUT', '/api/v1/risk/model', { weights: { no_swap_layer: 1 } }],
    [arch, 'POST', '/api/v1/users', { name: unique('u'), role: 'viewer' }],
  ];
  for (const [cookie, method, path, body] of checks) {
    const r = await browser(cookie, method, path, body);
    assertProblem(r, 403);
    assert.equal(r.headers.get('www-authenticate'), null, `${method} ${path}`);
  }
  // The public routes stay public.
  assert.equal((await anonymous('GET', '/api/v1/health')).status, 200);
  assert.equal((await anonymous('GET', '/api/openapi.json')).status, 200);
});

function assertSecurityHeaders(h, label) {
  const get = (k) => (typeof h.get === 'function' ? h.get(k) : h[k]);
  const csp = get('content-security-policy') || '';
  const directives = csp.split(';').map((d) => d.trim());
  assert.ok(directives.includes("default-src 'self'"), `${label}: CSP ${csp}`);
  assert.ok(directives.includes("frame-ancestors 'none'"), `${label}: CSP ${csp}`);
  assert.equal(get('x-content-type-options'), 'nosniff', label);
  assert.equal(get('referrer-policy'), 'no-referrer', label);
  assert.ok(get('server') === null || get('server') === undefined, `${label}: Server ${get('server')}`);
}

// Parses the head of a raw HTTP response into a lower-case header map.
function rawHeaders(text) {
  const [head] = text.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const out = { status: Number(lines[0].split(' ')[1]) };
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    out[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return out;
}

test('every response carries CSP, nosniff and no-referrer, and no Server header', async () => {
  const cookie = await srv.signIn('viewer');
  const seen = new Set();
  const check = async (label, promise) => {
    const r = await promise;
    seen.add(r.status);
    assertSecurityHeaders(r.headers, `${label} (${r.status})`);
  };
  await check('health', anonymous('GET', '/api/v1/health'));
  await check('list', api(srv.base, 'GET', '/api/v1/vendors'));
  await check('401', anonymous('GET', '/api/v1/vendors'));
  await check('403', browser(cookie, 'GET', '/api/v1/users'));
  await check('404', api(srv.base, 'GET', '/api/v1/nothing-here'));
  await check('405', api(srv.base, 'PATCH', '/api/v1/vendors', {}));
  await check('400', api(srv.base, 'POST', '/api/v1/vendors', '{bad json'));
  await check('415', api(srv.base, 'POST', '/api/v1/vendors', 'x', { 'Content-Type': 'text/plain' }));
  await check('201 session', fetch(`${srv.base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'viewer', password: srv.users.viewer }),
  }));
  await check('204 sign-out', browser(await srv.signIn('viewer'), 'DELETE', '/api/v1/session'));
  await check('HEAD', fetch(`${srv.base}/api/v1/health`, { method: 'HEAD' }));
  await check('index', fetch(`${srv.base}/`));
  await check('static 404', fetch(`${srv.base}/no-such-file.js`));
  await check('static 405', fetch(`${srv.base}/`, { method: 'POST', body: 'x' }));
  for (const s of [200, 201, 204, 400, 401, 403, 404, 405, 415]) assert.ok(seen.has(s), `covered ${s}`);

  // On the wire: no Server header on API, static and HTTP-level errors.
  const wire = [
    'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    'GARBAGE\r\n\r\n',
    'GET /api/v1/health HTTP/9.9\r\nHost: x\r\n\r\n',
  ];
  for (const text of wire) {
    const out = await raw(srv.port, text, { timeoutMs: 3000 });
    assert.match(out, /^HTTP\/\S+ \d{3}/, JSON.stringify(text));
    assert.ok(!/\r\nServer:/i.test(out.split('\r\n\r\n')[0]), `Server header in ${JSON.stringify(out.slice(0, 300))}`);
    assertSecurityHeaders(rawHeaders(out), `raw ${JSON.stringify(text.split('\r\n')[0])}`);
  }
});

// ---- users -----------------------------------------------------------------

test('users API: create with a password of at least 12 characters, or a generated one shown once', async () => {
  const head0 = await auditHead();
  const short = await api(srv.base, 'POST', '/api/v1/users', { name: unique('sam'), role: 'viewer', password: '12345678901' });
  assertInvalid(short, '/password');
  assertInvalid(await api(srv.base, 'POST', '/api/v1/users', { name: unique('sam'), role: 'boss', password: 'long-enough-pass' }), '/role');
  assertInvalid(await api(srv.base, 'POST', '/api/v1/users', { name: 'bad name!', role: 'viewer' }), '/name');
  assertInvalid(await api(srv.base, 'POST', '/api/v1/users', { role: 'viewer' }), '/name');
  assertInvalid(await api(srv.base, 'POST', '/api/v1/users', { name: unique('sam'), role: 'viewer', is_admin: true }), '/is_admin');
  assertProblem(await api(srv.base, 'POST', '/api/v1/users', { name: 'viewer', role: 'viewer', password: 'long-enough-pass' }), 409);
  assert.deepEqual(await auditHead(), head0, 'refused users write no audit event');

  const name = unique('sam');
  const ok = await api(srv.base, 'POST', '/api/v1/users', { name, role: 'viewer', password: '123456789012' });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.headers.get('location'), `/api/v1/users/${ok.body.id}`);
  assert.equal(ok.body.name, name);
  assert.equal(ok.body.role, 'viewer');
  assert.equal(ok.body.disabled, false);
  assert.ok(!('password' in ok.body), 'a chosen password is not echoed');
  assert.equal((await signInRaw(srv.base, name, '123456789012')).status, 201);

  const gname = unique('gen');
  const gen = await api(srv.base, 'POST', '/api/v1/users', { name: gname, role: 'architect' });
  assert.equal(gen.status, 201, JSON.stringify(gen.body));
  assert.equal(typeof gen.body.password, 'string');
  assert.ok(gen.body.password.length >= 12, gen.body.password);
  const s = await signInRaw(srv.base, gname, gen.body.password);
  assert.equal(s.status, 201);
  assert.equal(s.body.role, 'architect');
  // Shown once: never again.
  const one = await api(srv.base, 'GET', `/api/v1/users/${gen.body.id}`);
  assert.equal(one.status, 200);
  assert.ok(!('password' in one.body));
  const list = await fetch(`${srv.base}/api/v1/users`, { headers: { Authorization: `Bearer ${srv.token}` } });
  const text = await list.text();
  assert.ok(!text.includes(gen.body.password));
  assert.ok(!text.includes('$argon2'), 'a password hash in the list');
  for (const u of JSON.parse(text).items) {
    assert.deepEqual(Object.keys(u).sort(), ['created_at', 'disabled', 'id', 'name', 'role', 'updated_at']);
  }
});

test('users API: PATCH role, password and disabled; disabling ends sessions; no disabling oneself', async () => {
  const name = unique('pat');
  const pw1 = 'first-password-01';
  const pw2 = 'second-password-02';
  const u = await api(srv.base, 'POST', '/api/v1/users', { name, role: 'viewer', password: pw1 });
  assert.equal(u.status, 201);
  const path = `/api/v1/users/${u.body.id}`;

  const r = await api(srv.base, 'PATCH', path, { role: 'architect' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.role, 'architect');
  assert.equal((await api(srv.base, 'GET', path)).body.role, 'architect');
  assertInvalid(await api(srv.base, 'PATCH', path, { role: 'superuser' }), '/role');
  assertInvalid(await api(srv.base, 'PATCH', path, { password: 'too-short' }), '/password');
  assertInvalid(await api(srv.base, 'PATCH', path, { disabled: 'yes' }), '/disabled');
  assertInvalid(await api(srv.base, 'PATCH', path, { name: 'renamed' }), '/name');
  assertProblem(await api(srv.base, 'PATCH', '/api/v1/users/999999', { role: 'viewer' }), 404);

  // A new password: the old one stops working, and so do existing sessions.
  const c1 = await srv.signIn(name, pw1);
  const p = await api(srv.base, 'PATCH', path, { password: pw2 });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.ok(!('password' in p.body));
  assert.equal((await signInRaw(srv.base, name, pw1)).status, 401);
  assert401(await withCookie(c1, 'GET', '/api/v1/session'));
  const c2 = await srv.signIn(name, pw2);
  assert.equal((await withCookie(c2, 'GET', '/api/v1/session')).status, 200);

  // Disabling ends the sessions and refuses sign-in, even with the right password.
  const d = await api(srv.base, 'PATCH', path, { disabled: true });
  assert.equal(d.status, 200);
  assert.equal(d.body.disabled, true);
  assert401(await withCookie(c2, 'GET', '/api/v1/session'));
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM sessions WHERE user_id = ${u.body.id};`).trim(), '0');
  assert.equal((await signInRaw(srv.base, name, pw2)).status, 401);
  const e = await api(srv.base, 'PATCH', path, { disabled: false });
  assert.equal(e.body.disabled, false);
  assert.equal((await signInRaw(srv.base, name, pw2)).status, 201);

  // Nobody disables themselves or gives up their own admin role.
  const adminId = await userId('admin');
  const adminCookie = await srv.signIn('admin');
  const head0 = await auditHead();
  assertProblem(await browser(adminCookie, 'PATCH', `/api/v1/users/${adminId}`, { disabled: true }), 409);
  assertProblem(await browser(adminCookie, 'PATCH', `/api/v1/users/${adminId}`, { role: 'viewer' }), 409);
  assertProblem(await api(srv.base, 'PATCH', `/api/v1/users/${adminId}`, { disabled: true }), 409);
  assert.deepEqual(await auditHead(), head0);
  const me = await api(srv.base, 'GET', `/api/v1/users/${adminId}`);
  assert.equal(me.body.disabled, false);
  assert.equal(me.body.role, 'admin');
  assert.equal((await withCookie(adminCookie, 'GET', '/api/v1/session')).status, 200);

  // Not for non-admins.
  const arch = await srv.signIn('architect');
  assertProblem(await browser(arch, 'PATCH', path, { role: 'admin' }), 403);
  assertProblem(await browser(arch, 'GET', '/api/v1/users'), 403);
});

test('CLI: switchyard user add/list/set-role/disable/enable/reset-password, each audited', async () => {
  const run = (args, input) => execFileSync(BIN, ['user', ...args, '--db', srv.db],
    { input: input ?? '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  const fails = (args, input) => {
    try {
      run(args, input);
    } catch (e) {
      assert.notEqual(e.status, 0);
      return String(e.stderr);
    }
    assert.fail(`switchyard user ${args.join(' ')} should fail`);
  };
  const name = unique('carol');
  const pw1 = 'carol-password-001';
  const pw2 = 'carol-password-002';
  const listLine = () => run(['list']).split('\n').find((l) => l.split(/\s+/)[0] === name);

  const head0 = await auditHead();
  assert.match(fails(['add', name, '--role', 'architect'], 'short\n'), /12 characters/);
  assert.match(fails(['add', name, '--role', 'chief'], `${pw1}\n`), /role/);
  fails(['add', name], `${pw1}\n`);
  assert.deepEqual(await auditHead(), head0, 'refused commands write no audit event');

  assert.match(run(['add', name, '--role', 'architect'], `${pw1}\n`), /created/);
  assert.match(fails(['add', name, '--role', 'viewer'], `${pw1}\n`), /already has this name/);
  assert.deepEqual(listLine().split(/\s+/), [name, 'architect', 'active']);
  const c = await signInRaw(srv.base, name, pw1);
  assert.equal(c.status, 201);
  assert.equal(c.body.role, 'architect');
  const cookie = c.headers.get('set-cookie').split(';')[0];
  const id = await userId(name);

  run(['set-role', name, 'auditor']);
  assert.deepEqual(listLine().split(/\s+/), [name, 'auditor', 'active']);
  assert.equal((await withCookie(cookie, 'GET', '/api/v1/session')).body.role, 'auditor');
  fails(['set-role', name, 'emperor']);

  run(['disable', name]);
  assert.deepEqual(listLine().split(/\s+/), [name, 'auditor', 'disabled']);
  assert401(await withCookie(cookie, 'GET', '/api/v1/session'));
  assert.equal((await signInRaw(srv.base, name, pw1)).status, 401);
  run(['enable', name]);
  assert.deepEqual(listLine().split(/\s+/), [name, 'auditor', 'active']);
  assert.equal((await signInRaw(srv.base, name, pw1)).status, 201);

  run(['reset-password', name], `${pw2}\n`);
  assert.equal((await signInRaw(srv.base, name, pw1)).status, 401);
  assert.equal((await signInRaw(srv.base, name, pw2)).status, 201);
  fails(['disable', unique('nobody')]);

  // Audited: one event per command, by system:cli, never with a password.
  const ev = await api(srv.base, 'GET', `/api/v1/audit?entity=user&entity_id=${id}&limit=50`);
  assert.equal(ev.status, 200);
  const cli = ev.body.items.filter((e) => e.actor === 'system:cli').reverse();
  assert.deepEqual(cli.map((e) => e.action), ['create', 'update', 'update', 'update', 'reset_password']);
  assert.equal(cli[0].before, null);
  assert.equal(cli[0].after.name, name);
  assert.equal(cli[0].after.role, 'architect');
  assert.deepEqual([cli[1].before.role, cli[1].after.role], ['architect', 'auditor']);
  assert.deepEqual([cli[2].before.disabled, cli[2].after.disabled], [false, true]);
  assert.deepEqual([cli[3].before.disabled, cli[3].after.disabled], [true, false]);
  const text = JSON.stringify(ev.body);
  assert.ok(!text.includes(pw1) && !text.includes(pw2), 'a password in the audit trail');
  assert.ok(!text.includes('$argon2'));
});
