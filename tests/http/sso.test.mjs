// sso.test.mjs - single sign-on with OpenID Connect against a real provider
// (npm oidc-provider, oidc_idp.mjs) on this machine: the whole flow from
// GET /api/v1/sso/login through the provider's login form to the callback
// and a working session with the mapped role; roles following group changes
// at the next sign-in (up and down, the highest mapped one winning);
// refusals (no mapped group, disabled user, tampered or foreign state,
// replayed code, expired ID token on the server's clock, the provider's
// error), each a problem and audited; key rotation to a new kid and ES256;
// passwords for admins only with --password-sign-in admins; bad settings
// (a secret on the command line, a plain-http issuer, a bad role map, no
// map, no secret) stop serve at start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, api, BIN } from './harness.mjs';
import { startIdp, throughProvider, Jar, CLIENT_ID, CLIENT_SECRET } from './oidc_idp.mjs';

let srv, idp, dir, nowFile;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-sso-'));
  const secretFile = join(dir, 'client-secret');
  writeFileSync(secretFile, `${CLIENT_SECRET}\n`);
  nowFile = join(dir, 'now');
  writeFileSync(nowFile, ''); // not an instant: the real clock
  idp = await startIdp();
  srv = await startServer({
    demo: false,
    env: { SWITCHYARD_NOW: `@${nowFile}` },
    args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', CLIENT_ID,
      '--oidc-client-secret-file', secretFile, '--oidc-scopes', 'openid profile groups',
      '--oidc-role-map', 'sy-admins=admin, sy-architects=architect, sy-auditors=auditor, sy-viewers=viewer',
      '--oidc-provider-name', 'Test IdP', '--password-sign-in', 'admins'],
  });
  idp.configure(`${srv.base}/api/v1/sso/callback`);
});

after(async () => {
  await srv?.stop();
  await idp?.close();
  rmSync(dir, { recursive: true, force: true });
});

// GET /sso/login in a fresh browser: the jar (holding sy_sso) and where it
// was sent.
async function startLogin(next = '/workloads') {
  const jar = new Jar();
  const res = await fetch(`${srv.base}/api/v1/sso/login?next=${encodeURIComponent(next)}`,
    { redirect: 'manual', headers: { Cookie: jar.header() } });
  assert.equal(res.status, 302, await res.clone().text());
  jar.take(res);
  return { jar, location: res.headers.get('location') };
}

async function callback(url, jar) {
  const res = await fetch(url, { redirect: 'manual', headers: { Cookie: jar.header() } });
  jar.take(res);
  const text = await res.text();
  return { status: res.status, res, body: text ? JSON.parse(text) : null };
}

// The whole flow as `login`; the callback's answer and the browser's jar.
async function ssoSignIn(login) {
  const { jar, location } = await startLogin();
  const back = await throughProvider(location, login, `${srv.base}/api/v1/sso/callback`);
  return { ...(await callback(back, jar)), jar, back };
}

async function whoAmI(jar) {
  const res = await fetch(`${srv.base}/api/v1/session`, { headers: { Cookie: jar.header() } });
  return { status: res.status, body: await res.json() };
}

async function auditCount(action) {
  const r = await api(srv.base, 'GET', `/api/v1/audit?action=${action}&limit=200`);
  assert.equal(r.status, 200);
  return r.body.items.length;
}

test('GET /api/v1/sso tells the sign-in page about the provider', async () => {
  const r = await api(srv.base, 'GET', '/api/v1/sso', undefined, { Authorization: '' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { enabled: true, provider: 'Test IdP', login: '/api/v1/sso/login', password_sign_in: 'admins' });
});

test('the login redirect carries PKCE S256, state and nonce, and binds the state to the browser', async () => {
  const { jar, location } = await startLogin();
  const u = new URL(location);
  assert.equal(u.origin, idp.issuer);
  assert.equal(u.searchParams.get('response_type'), 'code');
  assert.equal(u.searchParams.get('client_id'), CLIENT_ID);
  assert.equal(u.searchParams.get('redirect_uri'), `${srv.base}/api/v1/sso/callback`);
  assert.equal(u.searchParams.get('scope'), 'openid profile groups');
  assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
  assert.match(u.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.match(u.searchParams.get('nonce'), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(jar.get('sy_sso'), u.searchParams.get('state'));
  const bad = await fetch(`${srv.base}/api/v1/sso/login?next=//evil.example`, { redirect: 'manual' });
  assert.equal(bad.status, 400);
  // HEAD must not act: no sign-in started, no cookie.
  const head = await fetch(`${srv.base}/api/v1/sso/login`, { method: 'HEAD', redirect: 'manual' });
  assert.equal(head.status, 400);
  assert.equal(head.headers.get('set-cookie'), null);
});

test('a mapped group signs in with its role; the session works; no password is usable', async () => {
  idp.accounts.alice = { groups: ['sy-architects', 'unrelated'] };
  const before = await auditCount('sign_in');
  const r = await ssoSignIn('alice');
  assert.equal(r.status, 303, JSON.stringify(r.body));
  assert.equal(r.res.headers.get('location'), '/#/workloads');
  assert.deepEqual(r.body, { name: 'alice', role: 'architect', auth: 'session' });
  assert.ok(r.jar.get('sy_session'));
  assert.deepEqual((await whoAmI(r.jar)).body, { name: 'alice', role: 'architect', auth: 'session' });
  assert.equal(await auditCount('sign_in'), before + 1);
  const users = (await api(srv.base, 'GET', '/api/v1/users')).body;
  const alice = (users.items || users).find((u) => u.name === 'alice');
  assert.equal(alice.role, 'architect');
  // Provisioned users have no password: not even the marker works.
  const pw = await api(srv.base, 'POST', '/api/v1/session', { name: 'alice', password: '!sso' }, { Authorization: '' });
  assert.equal(pw.status, 401);
});

test('group changes take effect at the next sign-in: highest mapped role wins, demotion too', async () => {
  idp.accounts.alice = { groups: ['sy-viewers', 'sy-admins', 'sy-architects'] };
  const up = await ssoSignIn('alice');
  assert.equal(up.status, 303);
  assert.equal(up.body.role, 'admin');
  assert.equal((await whoAmI(up.jar)).body.role, 'admin');
  idp.accounts.alice = { groups: 'sy-viewers' }; // a single string is a group too
  const down = await ssoSignIn('alice');
  assert.equal(down.body.role, 'viewer');
  // The role lives on the user: the earlier admin session is a viewer now.
  assert.equal((await whoAmI(up.jar)).body.role, 'viewer');
  const users = (await api(srv.base, 'GET', '/api/v1/users')).body;
  assert.equal((users.items || users).filter((u) => u.name === 'alice').length, 1);
});

test('no mapped group: refused with a 403 problem, audited, no user created', async () => {
  idp.accounts.bob = { groups: ['finance', 'sy-admins-old'] };
  const before = await auditCount('sign_in_refused');
  const r = await ssoSignIn('bob');
  assert.equal(r.status, 403);
  assert.equal(r.res.headers.get('content-type'), 'application/problem+json');
  assert.equal(r.body.title, 'Sign-in refused');
  assert.match(r.body.detail, /None of your groups/);
  assert.equal(r.jar.get('sy_session'), undefined);
  assert.equal(await auditCount('sign_in_refused'), before + 1);
  const users = (await api(srv.base, 'GET', '/api/v1/users')).body;
  assert.equal((users.items || users).some((u) => u.name === 'bob'), false);
});

test('losing every mapped group at the provider disables the local user: sessions end, tokens revoked', async () => {
  idp.accounts.gina = { groups: ['sy-architects'] };
  const first = await ssoSignIn('gina');
  assert.equal(first.status, 303);
  assert.equal((await whoAmI(first.jar)).status, 200);
  const before = await auditCount('update');
  idp.accounts.gina = { groups: ['finance'] };
  const r = await ssoSignIn('gina');
  assert.equal(r.status, 403);
  assert.match(r.body.detail, /None of your groups/);
  // The session opened before is over, and the user is disabled, audited.
  assert.equal((await whoAmI(first.jar)).status, 401);
  const users = (await api(srv.base, 'GET', '/api/v1/users')).body;
  const gina = (users.items || users).find((u) => u.name === 'gina');
  assert.equal(gina.disabled, true);
  assert.equal(await auditCount('update'), before + 1);
  // A second refusal changes nothing more; a mapped group again still meets
  // the local disable, which only an administrator lifts.
  assert.equal((await ssoSignIn('gina')).status, 403);
  assert.equal(await auditCount('update'), before + 1);
  idp.accounts.gina = { groups: ['sy-architects'] };
  const back = await ssoSignIn('gina');
  assert.equal(back.status, 403);
  assert.match(back.body.detail, /disabled/);
});

test('a tampered, foreign or reused state is refused (400)', async () => {
  idp.accounts.carol = { groups: ['sy-auditors'] };
  const { jar, location } = await startLogin();
  const back = await throughProvider(location, 'carol', `${srv.base}/api/v1/sso/callback`);
  const u = new URL(back);
  const state = u.searchParams.get('state');
  u.searchParams.set('state', state.slice(0, -1) + (state.endsWith('A') ? 'B' : 'A'));
  const tampered = await callback(u.toString(), jar);
  assert.equal(tampered.status, 400);
  assert.match(tampered.body.detail, /state does not match/);
  // The right state from a browser without the cookie (login CSRF).
  const foreign = await callback(back, new Jar());
  assert.equal(foreign.status, 400);
  // The genuine one still works once, then never again.
  const ok = await callback(back, jar);
  assert.equal(ok.status, 303);
  assert.equal(ok.body.role, 'auditor');
  const again = await callback(back, jar);
  assert.equal(again.status, 400);
  assert.match(again.body.detail, /unknown, used or older/);
});

test('a replayed code is refused by the provider, in a fresh sign-in of the same browser', async () => {
  idp.accounts.dave = { groups: ['sy-architects'] };
  const first = await ssoSignIn('dave');
  assert.equal(first.status, 303);
  const oldCode = new URL(first.back).searchParams.get('code');
  const { jar, location } = await startLogin();
  const state = new URL(location).searchParams.get('state');
  const replay = await callback(`${srv.base}/api/v1/sso/callback?code=${encodeURIComponent(oldCode)}&state=${state}`, jar);
  assert.equal(replay.status, 403);
  assert.match(replay.body.detail, /refused the sign-in code \(invalid_grant\)/);
  assert.equal(jar.get('sy_session'), undefined);
});

test("the provider's error comes back as a refusal", async () => {
  const { jar, location } = await startLogin();
  const state = new URL(location).searchParams.get('state');
  const r = await callback(`${srv.base}/api/v1/sso/callback?error=access_denied&state=${state}`, jar);
  assert.equal(r.status, 403);
  assert.match(r.body.detail, /access_denied/);
  // A browser (Accept: text/html) gets a page with the reason and a way back.
  const page = await fetch(`${srv.base}/api/v1/sso/callback?error=<b>x</b>&state=${state}`,
    { redirect: 'manual', headers: { Cookie: jar.header(), Accept: 'text/html,application/xhtml+xml' } });
  assert.equal(page.status, 403);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  const html = await page.text();
  assert.match(html, /<h1>Sign-in refused<\/h1>/);
  assert.match(html, /The identity provider did not sign you in \(error\)\./);
  assert.match(html, /<a href="\/#\/sign-in">Back to sign-in<\/a>/);
});

test('a disabled user is refused', async () => {
  idp.accounts.erin = { groups: ['sy-viewers'] };
  assert.equal((await ssoSignIn('erin')).status, 303);
  const users = (await api(srv.base, 'GET', '/api/v1/users')).body;
  const erin = (users.items || users).find((u) => u.name === 'erin');
  const patch = await api(srv.base, 'PATCH', `/api/v1/users/${erin.id}`, { disabled: true });
  assert.equal(patch.status, 200, JSON.stringify(patch.body));
  const r = await ssoSignIn('erin');
  assert.equal(r.status, 403);
  assert.match(r.body.detail, /disabled/);
});

test('key rotation: a new kid (and ES256) is fetched and accepted', async () => {
  idp.accounts.frank = { groups: ['sy-architects'] };
  idp.rotate('ES256');
  const r = await ssoSignIn('frank');
  assert.equal(r.status, 303, JSON.stringify(r.body));
  assert.equal(r.body.role, 'architect');
  idp.rotate('RS256');
  const again = await ssoSignIn('frank');
  assert.equal(again.status, 303, JSON.stringify(again.body));
});

test('passwords are for administrators only with --password-sign-in admins', async () => {
  const made = await api(srv.base, 'POST', '/api/v1/users', { name: 'local-viewer', role: 'viewer', password: 'local-viewer-password-1' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const viewer = await api(srv.base, 'POST', '/api/v1/session', { name: 'local-viewer', password: 'local-viewer-password-1' }, { Authorization: '' });
  assert.equal(viewer.status, 403);
  assert.match(viewer.body.detail, /administrators only/);
  await srv.signIn('tester'); // the break-glass admin still signs in
});

test("an ID token expired on the server's clock is refused", async () => {
  idp.accounts.gina = { groups: ['sy-viewers'] };
  const { jar, location } = await startLogin();
  const back = await throughProvider(location, 'gina', `${srv.base}/api/v1/sso/callback`);
  // Three hours on: past the provider's one-hour ID token and the leeway.
  writeFileSync(nowFile, new Date(Date.now() + 3 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'));
  try {
    const r = await callback(back, jar);
    assert.equal(r.status, 403);
    assert.match(r.body.detail, /expired/);
  } finally {
    writeFileSync(nowFile, '');
  }
});

test('bad single sign-on settings stop serve at start, saying why', () => {
  const run = (args, env = {}) => spawnSync(BIN, ['serve', '--db', join(dir, 'never.db'), '--listen', '127.0.0.1:0', ...args],
    { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 10000 });
  const base = ['--oidc-issuer', 'https://idp.example.com', '--oidc-client-id', 'c'];
  const cases = [
    [['--oidc-client-secret', 'visible-in-ps'], {}, /not taken on the command line/],
    [['--oidc-issuer', 'http://idp.example.com', '--oidc-client-id', 'c', '--oidc-role-map', 'g=admin'], { SWITCHYARD_OIDC_CLIENT_SECRET: 's' }, /must be an https:\/\/ URL/],
    [[...base, '--oidc-role-map', 'g=root'], { SWITCHYARD_OIDC_CLIENT_SECRET: 's' }, /root is not a role/],
    [[...base], { SWITCHYARD_OIDC_CLIENT_SECRET: 's' }, /--oidc-role-map \(or --oidc-default-role\) is needed/],
    [[...base, '--oidc-role-map', 'g=admin'], {}, /a client secret is needed/],
    [['--password-sign-in', 'admins'], {}, /needs single sign-on configured/],
    [['--oidc-client-id', 'c'], {}, /--oidc-issuer is needed/],
  ];
  for (const [args, env, why] of cases) {
    const r = run(args, env);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, why);
  }
});

test('a provider that takes the client secret only in the form body (client_secret_post)', async () => {
  const postIdp = await startIdp({ authMethod: 'client_secret_post' });
  const secretFile = join(dir, 'client-secret-post');
  writeFileSync(secretFile, CLIENT_SECRET);
  const other = await startServer({
    demo: false,
    args: ['--oidc-issuer', postIdp.issuer, '--oidc-client-id', CLIENT_ID,
      '--oidc-client-secret-file', secretFile, '--oidc-scopes', 'openid profile groups',
      '--oidc-role-map', 'sy-auditors=auditor'],
  });
  try {
    postIdp.configure(`${other.base}/api/v1/sso/callback`);
    postIdp.accounts.hana = { groups: ['sy-auditors'] };
    const { jar, location } = await (async () => {
      const j = new Jar();
      const res = await fetch(`${other.base}/api/v1/sso/login`, { redirect: 'manual' });
      j.take(res);
      return { jar: j, location: res.headers.get('location') };
    })();
    const back = await throughProvider(location, 'hana', `${other.base}/api/v1/sso/callback`);
    const r = await callback(back, jar);
    assert.equal(r.status, 303, JSON.stringify(r.body));
    assert.deepEqual(r.body, { name: 'hana', role: 'auditor', auth: 'session' });
    assert.equal(r.res.headers.get('location'), '/#/');
  } finally {
    await other.stop();
    await postIdp.close();
  }
});
