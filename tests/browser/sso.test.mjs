// sso.test.mjs - single sign-on in the browser: with a real OpenID Connect
// provider on this machine (tests/http/oidc_idp.mjs, npm oidc-provider), the
// sign-in page offers "Sign in with Test IdP"; clicking it, filling the
// provider's login form and submitting lands back on the page that was
// wanted, signed in with the role the groups map to. A refusal (no mapped
// group) shows a page saying why, with a way back to the sign-in page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, settle, SHOTS } from './browser.mjs';
import { startIdp, CLIENT_ID, CLIENT_SECRET } from '../http/oidc_idp.mjs';

let env, idp, dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-sso-browser-'));
  const secretFile = join(dir, 'client-secret');
  writeFileSync(secretFile, CLIENT_SECRET);
  idp = await startIdp();
  env = await setup({
    args: ['--oidc-issuer', idp.issuer, '--oidc-client-id', CLIENT_ID,
      '--oidc-client-secret-file', secretFile, '--oidc-scopes', 'openid profile groups',
      '--oidc-role-map', 'sy-admins=admin,sy-architects=architect', '--oidc-provider-name', 'Test IdP'],
  });
  idp.configure(`${env.srv.base}/api/v1/sso/callback`);
});

after(async () => {
  await env?.close();
  await idp?.close();
  rmSync(dir, { recursive: true, force: true });
});

// A page not signed in whose requests never leave this machine (the
// provider's development pages ask for a web font).
async function localPage() {
  const page = await env.newPage({ as: null });
  await page.context().route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
  return page;
}

async function throughProviderForm(page, login) {
  await page.locator('input[name="login"]').waitFor();
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'any-password');
  await page.locator('button[type="submit"]').click();
}

test('"Sign in with Test IdP" goes through the provider and lands signed in on the page wanted', async () => {
  const base = env.srv.base;
  idp.accounts.sso_alice = { groups: ['sy-architects'] };
  const page = await localPage();
  await page.goto(`${base}/#/workloads`);
  const button = page.getByRole('link', { name: 'Sign in with Test IdP' });
  await button.waitFor();
  assert.equal(await button.getAttribute('href'), '/api/v1/sso/login?next=%2Fworkloads');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'sso-sign-in.png') });
  await button.click();
  await throughProviderForm(page, 'sso_alice');
  await page.waitForURL(`${base}/#/workloads`);
  await page.locator('#sign-out').waitFor();
  await settle(page);
  const who = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
  assert.deepEqual(who, { name: 'sso_alice', role: 'architect', auth: 'session' });
  // Switchyard's pages logged no error (the provider's are not ours).
  assert.deepEqual(page.problems.filter((p) => p.includes(base) && !p.includes('/favicon.ico')), []);
});

test('a refused sign-in shows a page saying why, with a way back', async () => {
  const base = env.srv.base;
  idp.accounts.sso_bob = { groups: ['finance'] };
  const page = await localPage();
  await page.goto(`${base}/#/sign-in`);
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await throughProviderForm(page, 'sso_bob');
  await page.locator('h1', { hasText: 'Sign-in refused' }).waitFor();
  assert.match(await page.locator('main').innerText(), /None of your groups at the identity provider/);
  await page.screenshot({ path: join(SHOTS, 'sso-refused.png') });
  await page.getByRole('link', { name: 'Back to sign-in' }).click();
  await page.locator('#signin-name').waitFor();
});
