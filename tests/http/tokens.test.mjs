// tokens.test.mjs - API tokens and roles (issue 18, item 6): a password
// reset, a role change or disabling revokes the user's tokens (API and
// command line, audited); a token creates tokens only when created with
// may_create_tokens, and those never outlive it and go with it; a token's
// role is the meet of its issued role and its user's current role, never a
// role of another branch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, BIN, dbArgs } from './harness.mjs';

let srv;
before(async () => { srv = await startServer({ demo: false }); });
after(async () => { await srv?.stop(); });

let serial = 0;
const bearer = (token, method, path, body) => api(srv.base, method, path, body, { Authorization: `Bearer ${token}` });
const browser = (cookie, method, path, body) => api(srv.base, method, path, body, { Authorization: '', Cookie: cookie, Origin: srv.base });

async function newUser(role) {
  const name = `t${process.pid}x${++serial}`;
  const password = `${name}-password-0001`;
  const r = await api(srv.base, 'POST', '/api/v1/users', { name, password, role });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: r.body.id, name, password };
}

async function tokenOf(u, body = {}) {
  const cookie = await srv.signIn(u.name, u.password);
  const r = await browser(cookie, 'POST', '/api/v1/tokens', { name: `k${++serial}`, ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

const alive = async (token) => (await bearer(token, 'GET', '/api/v1/session')).status === 200;

test('a password reset, a role change or disabling revokes the user\'s tokens (API), audited', async () => {
  for (const [change, why] of [[{ password: 'a-brand-new-password' }, 'password reset'], [{ role: 'auditor' }, 'role changed'], [{ disabled: true }, 'user disabled']]) {
    const u = await newUser('architect');
    const t1 = await tokenOf(u);
    const t2 = await tokenOf(u, { role: 'viewer' });
    assert.ok(await alive(t1.token));
    const r = await api(srv.base, 'PATCH', `/api/v1/users/${u.id}`, change);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(await alive(t1.token), false, JSON.stringify(change));
    assert.equal(await alive(t2.token), false, JSON.stringify(change));
    const list = await api(srv.base, 'GET', '/api/v1/tokens');
    for (const t of [t1, t2]) assert.ok(list.body.items.find((i) => i.id === t.id).revoked_at, 'listed as revoked');
    const ev = await api(srv.base, 'GET', `/api/v1/audit?entity=token&action=revoke&limit=10`);
    const mine = ev.body.items.filter((e) => [t1.id, t2.id].includes(e.entity_id));
    assert.equal(mine.length, 2);
    for (const e of mine) assert.equal(e.after.reason, why);
  }
  // A change of nothing that matters keeps them.
  const u = await newUser('viewer');
  const t = await tokenOf(u);
  await api(srv.base, 'PATCH', `/api/v1/users/${u.id}`, { role: 'viewer' });
  assert.ok(await alive(t.token));
});

test('the command line revokes too: reset-password, set-role, disable', async () => {
  for (const args of [['reset-password'], ['set-role', null, 'admin'], ['disable']]) {
    const u = await newUser('viewer');
    const t = await tokenOf(u);
    const argv = ['user', args[0], u.name, ...args.slice(2), ...dbArgs(srv.db)];
    execFileSync(BIN, argv, { input: 'cli-new-password-0001\n', stdio: ['pipe', 'pipe', 'pipe'] });
    assert.equal(await alive(t.token), false, args[0]);
  }
});

test('a token creates tokens only when created with may_create_tokens', async () => {
  const u = await newUser('architect');
  const plain = await tokenOf(u);
  assert.equal(plain.may_create_tokens, false);
  const refused = await bearer(plain.token, 'POST', '/api/v1/tokens', { name: 'child' });
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.match(refused.headers.get('content-type'), /problem\+json/);
  const bad = await bearer(plain.token, 'POST', '/api/v1/tokens', { name: 'child', may_create_tokens: 'yes' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].pointer, '/may_create_tokens');

  const minter = await tokenOf(u, { may_create_tokens: true, expires_in_days: 2 });
  assert.equal(minter.may_create_tokens, true);
  const child = await bearer(minter.token, 'POST', '/api/v1/tokens', { name: 'child', expires_in_days: 300 });
  assert.equal(child.status, 201, JSON.stringify(child.body));
  // It never outlives the token that made it, and makes no tokens itself.
  assert.ok(child.body.expires_at <= minter.expires_at, `${child.body.expires_at} > ${minter.expires_at}`);
  assert.equal(child.body.may_create_tokens, false);
  assert.equal((await bearer(child.body.token, 'POST', '/api/v1/tokens', { name: 'grandchild' })).status, 403);
  const heir = await bearer(minter.token, 'POST', '/api/v1/tokens', { name: 'heir', may_create_tokens: true });
  assert.equal(heir.status, 201);
  const grand = await bearer(heir.body.token, 'POST', '/api/v1/tokens', { name: 'grand' });
  assert.equal(grand.status, 201);
  // Revoking the minter revokes everything made through it, audited.
  assert.equal((await api(srv.base, 'DELETE', `/api/v1/tokens/${minter.id}`)).status, 204);
  for (const t of [minter.token, child.body.token, heir.body.token, grand.body.token]) assert.equal(await alive(t), false);
  assert.ok(await alive(plain.token), 'a sibling made by a session stays');
  const ev = await api(srv.base, 'GET', `/api/v1/audit?entity=token&action=revoke&limit=10`);
  for (const t of [child.body, heir.body, grand.body]) {
    assert.equal(ev.body.items.find((e) => e.entity_id === t.id).after.reason, 'created by a revoked token');
  }
});

test('a token\'s role is the meet of its role and its user\'s, never another branch', async () => {
  const u = await newUser('admin');
  const auditorToken = (await tokenOf(u, { role: 'auditor' })).token;
  const adminToken = (await tokenOf(u, { role: 'admin' })).token;
  // The user's role moves without the API (which would revoke): as after a
  // restore, or another instance's write.
  srv.sql(`UPDATE users SET role = 'architect' WHERE id = ${u.id};`);
  const me = await bearer(auditorToken, 'GET', '/api/v1/session');
  assert.equal(me.body.role, 'viewer', 'auditor token of an architect reads as a viewer');
  assert.equal((await bearer(auditorToken, 'GET', '/api/v1/audit?limit=1')).status, 403);
  assert.equal((await bearer(auditorToken, 'POST', '/api/v1/workloads/preview', {})).status, 403);
  assert.equal((await bearer(adminToken, 'GET', '/api/v1/session')).body.role, 'architect');
  srv.sql(`UPDATE users SET role = 'viewer' WHERE id = ${u.id};`);
  assert.equal((await bearer(adminToken, 'GET', '/api/v1/session')).body.role, 'viewer');
});
