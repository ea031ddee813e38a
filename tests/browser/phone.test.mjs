// phone.test.mjs - a phone (390×844) signed in as the demo admin: no page is
// wider than the screen (document.documentElement.scrollWidth <= innerWidth)
// and no element sticks out of it; the navigation sits behind a menu button
// (aria-expanded, focus into the menu, Escape closes it and gives focus back,
// choosing a page closes it); tables keep their first column in view while
// they scroll. At 1440×900 the navigation is shown as before, with no menu
// button. Screenshots at both sizes go to build/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setup, open, screenshot, api } from './browser.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1440, height: 900 };
let env;
let base;
let routes;
before(async () => {
  env = await setup();
  base = env.srv.base;
  const wl = (await api(base, 'GET', '/api/v1/workloads?limit=1&sort=-risk')).body.items[0];
  routes = ['/', '/copilot', '/azure', '/openai', '/other', '/workloads', `/workloads/${wl.id}`, '/workloads/new',
    `/workloads/${wl.id}/edit`, '/contracts', '/contracts/1', '/contracts/5', '/vendors', '/vendors/1', '/offerings/4',
    '/scenarios', '/reports', '/audit', '/users', '/tokens', '/nowhere'];
});
after(async () => { await env?.close(); });

// Elements whose right edge passes the screen's (outside any scrolling box).
async function overflow(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const out = [];
    const inScroller = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > window.innerWidth + 0.5 && !inScroller(el) && getComputedStyle(el).position !== 'absolute') {
        out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, offenders: out.slice(0, 8) };
  });
}

const SHOTS = { '/': 'overview', '/azure': 'azure', '/workloads': 'workloads', '/contracts': 'contracts', '/vendors': 'vendors', '/reports': 'reports' };

test('390×844: no page is wider than the screen', async () => {
  const page = await env.newPage({ viewport: PHONE });
  for (const route of routes) {
    await open(page, base, route);
    const o = await overflow(page);
    assert.ok(o.scrollWidth <= o.innerWidth, `${route}: page ${o.scrollWidth}px wide on a ${o.innerWidth}px screen: ${o.offenders.join('; ')}`);
    assert.deepEqual(o.offenders, [], route);
    if (SHOTS[route]) await screenshot(page, `phone-${SHOTS[route]}`);
  }
  // The form with its errors showing.
  await open(page, base, '/workloads/new');
  await page.getByRole('button', { name: 'Register workload' }).click();
  await page.locator('.field-error:visible').first().waitFor();
  const o = await overflow(page);
  assert.ok(o.scrollWidth <= o.innerWidth, `form with errors: ${o.offenders.join('; ')}`);
  await screenshot(page, 'phone-workload-form-errors');
  // (The refused save's 400 is the form's own doing.)
  assert.deepEqual(page.problems.filter((p) => !/status of 400 .*\/api\/v1\/workloads(\/preview)?$/.test(p)), []);
});

test('390×844: the navigation opens and closes behind a menu button', async () => {
  const page = await env.newPage({ viewport: PHONE, bypassCSP: true });
  await open(page, base, '/');
  const button = page.locator('#menu-button');
  const nav = page.locator('#site-nav');
  assert.ok(await button.isVisible(), 'menu button shown');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await button.getAttribute('aria-controls'), 'site-nav');
  assert.equal(await nav.locator('a').first().isVisible(), false, 'links hidden while closed');
  // The header is one short row.
  const header = await page.locator('.site-header').boundingBox();
  assert.ok(header.height < 80, `header ${header.height}px tall`);

  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  assert.ok(await nav.getByRole('link', { name: 'Contracts' }).isVisible());
  assert.equal(await page.evaluate(() => document.activeElement.closest('#site-nav') !== null), true, 'focus moves into the menu');
  await screenshot(page, 'phone-menu-open');
  // axe (WCAG A/AA) with the menu open.
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'],
  })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, []);
  await page.keyboard.press('Escape');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await nav.locator('a').first().isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'menu-button', 'focus returns to the button');

  // Keyboard: Enter opens, choosing a page navigates and closes the menu.
  await page.keyboard.press('Enter');
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await nav.getByRole('link', { name: 'Contracts' }).click();
  await page.waitForFunction(() => location.hash === '#/contracts');
  await open(page, base, '/contracts');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await nav.locator('a').first().isVisible(), false);
  // Tab away from an open menu does not trap focus; a click outside closes it.
  await button.click();
  await page.locator('main h1').click();
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.deepEqual(page.problems, []);
});

test('390×844: wide tables scroll with their first column kept in view', async () => {
  const page = await env.newPage({ viewport: PHONE });
  for (const [route, sel] of [['/workloads', '.workloads-table'], ['/', '.flagged-table'], ['/contracts', '#list table']]) {
    await open(page, base, route);
    const res = await page.evaluate((s) => {
      const t = document.querySelector(s);
      const box = t.closest('.scroll');
      const first = t.querySelector('tbody tr > :first-child');
      const before = first.getBoundingClientRect().left;
      box.scrollLeft = 400;
      const after = first.getBoundingClientRect().left;
      return { scrolls: box.scrollWidth > box.clientWidth, moved: Math.abs(after - before), sticky: getComputedStyle(first).position };
    }, sel);
    assert.ok(res.scrolls, `${route}: ${sel} is wider than the screen and scrolls`);
    assert.equal(res.sticky, 'sticky', `${route}: first column is sticky`);
    assert.ok(res.moved < 1, `${route}: first column stays in view (moved ${res.moved}px)`);
  }
});

test('1440×900: navigation as before, no menu button; screenshots', async () => {
  const page = await env.newPage({ viewport: DESK });
  await open(page, base, '/');
  assert.equal(await page.locator('#menu-button').isVisible(), false);
  assert.ok(await page.locator('#site-nav').getByRole('link', { name: 'Contracts' }).isVisible());
  for (const route of ['/', '/workloads', '/contracts', '/vendors']) {
    await open(page, base, route);
    const o = await overflow(page);
    assert.ok(o.scrollWidth <= o.innerWidth, `${route}: ${o.offenders.join('; ')}`);
  }
  for (const [route, name] of [['/contracts', 'contracts'], ['/workloads', 'workloads'], ['/vendors', 'vendors'], ['/reports', 'reports'], ['/azure', 'azure']]) {
    await open(page, base, route);
    await screenshot(page, `desktop-${name}`);
  }
  await open(page, base, '/workloads/new');
  await page.getByRole('button', { name: 'Register workload' }).click();
  await page.locator('.field-error:visible').first().waitFor();
  await screenshot(page, 'desktop-workload-form-errors');
  assert.deepEqual(page.problems.filter((p) => !/status of 400 .*\/api\/v1\/workloads(\/preview)?$/.test(p)), []);
});
