// a11y.test.mjs - accessibility: axe-core (npm) finds no WCAG 2.x level A or
// AA violation on any page (with the charts' data tables opened, a scenario
// evaluated and the form showing errors; the sign-in page, users, tokens and
// audit pages in their states); keyboard navigation works, signing in and
// out works from the keyboard, and focus is visible. Pages are served with a strict CSP, so axe is injected in a
// context that bypasses CSP (this test only).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setup, open, settle, api } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let env;
let base;
before(async () => { env = await setup(); base = env.srv.base; });
after(async () => { await env?.close(); });

async function axe(page, what) {
  await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  }, TAGS);
  assert.deepEqual(result, [], `${what}: ${JSON.stringify(result, null, 2)}`);
}

test('axe-core: no A/AA violation on any page', async () => {
  const page = await env.newPage({ bypassCSP: true });
  const wl = (await api(base, 'GET', '/api/v1/workloads?limit=1&sort=-risk')).body.items[0];
  const routes = ['/', '/copilot', '/azure', '/openai', '/other', '/workloads', `/workloads/${wl.id}`, '/workloads/new',
    `/workloads/${wl.id}/edit`, '/contracts', '/contracts/1', '/contracts/5', '/vendors', '/vendors/1', '/offerings/4',
    '/scenarios', '/reports', '/audit', '/users', '/tokens', '/workloads/999999', '/nowhere'];
  for (const route of routes) {
    await open(page, base, route);
    await axe(page, route);
  }
  // States that only appear after an action: a form with errors, an evaluated scenario.
  await open(page, base, '/workloads/new');
  await page.getByRole('button', { name: 'Add a dependency' }).click();
  await page.getByRole('button', { name: 'Register workload' }).click();
  await page.locator('.field-error:visible').first().waitFor();
  await axe(page, 'form with errors');
  await open(page, base, '/scenarios');
  await page.locator('.picker', { has: page.locator('#sc-group') }).getByRole('button', { name: 'Add' }).click();
  await page.getByRole('button', { name: 'Evaluate' }).click();
  await settle(page);
  await axe(page, 'evaluated scenario');
  // Print media: the same document must stay accessible.
  await open(page, base, '/azure');
  await page.emulateMedia({ media: 'print' });
  await axe(page, 'azure (print)');
  await page.emulateMedia({ media: 'screen' });
  // A narrow (phone) screen.
  await page.setViewportSize({ width: 390, height: 800 });
  await open(page, base, '/');
  await axe(page, 'overview (narrow)');
  await open(page, base, '/audit');
  await axe(page, 'audit (narrow)');
});

test('axe-core: the sign-in, users, tokens and audit pages in their states', async () => {
  // Signed out: the sign-in page, empty, with field errors, with a wrong password.
  const out = await env.newPage({ bypassCSP: true, as: null });
  await out.goto(`${base}/#/users`);
  await out.locator('#signin-name').waitFor();
  await axe(out, 'sign-in');
  await out.getByRole('button', { name: 'Sign in' }).click();
  await out.locator('#signin-name-error').waitFor();
  await axe(out, 'sign-in with field errors');
  await out.fill('#signin-name', 'viewer');
  await out.fill('#signin-password', 'wrong-password-here');
  await out.getByRole('button', { name: 'Sign in' }).click();
  await out.locator('.form-summary .problem').waitFor();
  await axe(out, 'sign-in with a wrong password');
  await out.setViewportSize({ width: 390, height: 800 });
  await axe(out, 'sign-in (narrow)');

  // A viewer on an admin page: "not allowed"; their tokens page.
  const viewer = await env.newPage({ bypassCSP: true, as: 'viewer' });
  await open(viewer, base, '/users');
  await axe(viewer, 'not allowed');
  await open(viewer, base, '/tokens');
  await axe(viewer, 'tokens (viewer)');

  // Admin: a user added with a generated password, a reset form open, a
  // role change waiting; a new token; the audit trail with details open and
  // a broken chain.
  const page = await env.newPage({ bypassCSP: true });
  await open(page, base, '/users');
  await page.fill('#user-name', `a11y-${Date.now()}`);
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.locator('#new-password').waitFor();
  await page.getByRole('button', { name: 'Reset password of viewer' }).click();
  // The demo's viewer (its ID depends on how many demo users come before it).
  const viewerId = (await api(base, 'GET', '/api/v1/users')).body.items.find((u) => u.name === 'viewer').id;
  await page.selectOption('#u2-role', 'auditor');
  await axe(page, 'users with a generated password and a reset form');
  await page.fill(`#u${viewerId}-password`, 'short');
  await page.getByRole('button', { name: 'Set password', exact: true }).click();
  await page.locator(`#u${viewerId}-password-error`).waitFor();
  await axe(page, 'users with a field error');
  await open(page, base, '/tokens');
  await page.fill('#token-name', 'a11y token');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.locator('#new-token').waitFor();
  await axe(page, 'tokens with a new token');
  await open(page, base, '/audit');
  await page.locator('.audit-table button[aria-expanded]').first().click();
  await page.route('**/api/v1/audit/verify', (route) => route.fulfill({
    status: 200, contentType: 'application/json',
    body: JSON.stringify({ ok: false, events: 9, first_broken: 10, problem: 'prev_hash does not match the previous event\'s hash', last_good: { seq: 9, hash: 'cd'.repeat(32) } }),
  }));
  await page.getByRole('button', { name: 'Verify again' }).click();
  await page.locator('.verdict-broken').waitFor();
  await axe(page, 'audit with details open and a broken chain');
});

test('axe-core: a workload page with its acceptance and drill forms showing errors, at both sizes', async () => {
  const w = (await api(base, 'GET', '/api/v1/workloads?limit=500&sort=name')).body.items.find((x) => x.alternatives.length && x.risk.flagged)
    || (await api(base, 'GET', '/api/v1/workloads?limit=500&sort=name')).body.items.find((x) => x.alternatives.length);
  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    const page = await env.newPage({ bypassCSP: true, viewport });
    await open(page, base, `/workloads/${w.id}`);
    await page.getByRole('button', { name: 'Accept this risk' }).click();
    await page.locator('#accept-owner-error').waitFor();
    await page.getByRole('button', { name: 'Record the drill' }).click();
    await page.locator('#drill-dependency-error').waitFor();
    await axe(page, `workload forms with errors (${viewport.width})`);
    assert.deepEqual(page.problems, []);
  }
});

test('keyboard: skip link, navigation, sortable headers and focus that shows', async () => {
  const page = await env.newPage();
  await page.goto(`${base}/#/`);
  await settle(page);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  assert.ok(await page.locator('.skip-link').isVisible(), 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');

  // Tab through the header to the Azure link and follow it with Enter.
  await page.evaluate(() => document.querySelector('.brand').focus());
  let found = false;
  for (let i = 0; i < 6 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement.textContent.trim() === 'Azure');
  }
  assert.ok(found, 'the Azure link is reachable with Tab');
  const outline = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  assert.notEqual(outline.style, 'none', 'focus is visible on links');
  assert.ok(outline.width >= 2);
  await page.keyboard.press('Enter');
  // The hash changes first and the router runs in a later task: wait for
  // it, or settle() may see the old page, still settled.
  await page.waitForFunction(() => location.hash === '#/azure');
  await settle(page);
  assert.match(page.url(), /#\/azure$/);
  const moved = await page.waitForFunction(() => document.activeElement.tagName === 'H1', null,
    { timeout: 5000 }).then(() => true, () => false);
  assert.ok(moved, `focus moves to the new page heading (it is on ${await page.evaluate(() => document.activeElement.tagName)})`);

  // Sort the workload table from the keyboard.
  await open(page, base, '/workloads');
  await page.locator('button.sort', { hasText: 'Monthly spend' }).focus();
  const btn = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle;
  });
  assert.notEqual(btn, 'none', 'focus is visible on buttons');
  await page.keyboard.press('Enter');
  // Sorting fetches and renders again: wait for the sorted header.
  await page.locator('th[aria-sort]', { hasText: 'Monthly spend' }).waitFor({ timeout: 5000 });
  await settle(page);
  assert.equal(await page.locator('th[aria-sort]').innerText().then((t) => t.includes('Monthly spend')), true);
  // The data-table toggle opens with the keyboard.
  await open(page, base, '/');
  await page.locator('details.chart-data summary').first().focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('details.chart-data').first().evaluate((d) => d.open), true);
  assert.deepEqual(page.problems, []);
});

test('keyboard: sign in and out without a mouse; the header\'s focus shows', async () => {
  const page = await env.newPage({ as: null });
  await page.goto(`${base}/#/contracts`);
  await page.locator('#signin-name').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'signin-name');
  await page.keyboard.type('auditor');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'signin-password');
  await page.keyboard.type(env.srv.users.auditor);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'signin-show');
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('#signin-password', 'type'), 'text', 'the password can be shown');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Sign in');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/contracts$/);
  await settle(page);
  const landed = await page.waitForFunction(() => document.activeElement.tagName === 'H1', null,
    { timeout: 5000 }).then(() => true, () => false);
  assert.ok(landed, 'focus moves to the page wanted');
  // The sign-out button: reachable with Tab, focus visible on the dark header.
  await page.evaluate(() => document.querySelector('.site-nav a:last-of-type').focus());
  let found = false;
  for (let i = 0; i < 20 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement.id === 'sign-out');
  }
  assert.ok(found, 'Sign out is reachable with Tab');
  const outline = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
  });
  assert.notEqual(outline.style, 'none');
  assert.ok(outline.width >= 2);
  await page.keyboard.press('Enter');
  await page.locator('#signin-name').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'signin-name');
  assert.deepEqual(page.problems, []);
});
