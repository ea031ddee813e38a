// a11y.test.mjs - accessibility: axe-core (npm) finds no WCAG 2.x level A or
// AA violation on any page (with the charts' data tables opened, a scenario
// evaluated and the form showing errors); keyboard navigation works and focus
// is visible. Pages are served with a strict CSP, so axe is injected in a
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
    '/scenarios', '/reports', '/workloads/999999', '/nowhere'];
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
  await settle(page);
  assert.match(page.url(), /#\/azure$/);
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1', 'focus moves to the new page heading');

  // Sort the workload table from the keyboard.
  await open(page, base, '/workloads');
  await page.locator('button.sort', { hasText: 'Monthly spend' }).focus();
  const btn = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle;
  });
  assert.notEqual(btn, 'none', 'focus is visible on buttons');
  await page.keyboard.press('Enter');
  await settle(page);
  assert.equal(await page.locator('th[aria-sort]').innerText().then((t) => t.includes('Monthly spend')), true);
  // The data-table toggle opens with the keyboard.
  await open(page, base, '/');
  await page.locator('details.chart-data summary').first().focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('details.chart-data').first().evaluate((d) => d.open), true);
  assert.deepEqual(page.problems, []);
});
