// sparklines.test.mjs - the overview's headline cards each show a 30-day
// sparkline on the first load, without scrolling, at 1440×900 and 390×844
// (issue 19 item 2): inline SVG from GET /portfolio/history?days=30, one
// request beside the summary, labelled with its trend in words ("up 3 in
// 29 days"), while the trend charts (their module, their history) still
// wait for the first scroll. Earlier days are written into the history
// table so the lines have a known shape.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, api, screenshot } from './browser.mjs';

let env;
const TODAY = new Date().toISOString().slice(0, 10);
const minus = (n) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);

before(async () => {
  env = await setup();
  // Today's row (taken on the first request), then 29 earlier days: three
  // fewer flagged from day 10 back, $1,000 more spend per day back.
  const now = (await api(env.srv.base, 'GET', `/api/v1/portfolio/history?from=${TODAY}&to=${TODAY}`)).body.days[0].figures;
  const rows = [];
  for (let n = 1; n <= 29; n++) {
    const f = { ...now, flagged: now.flagged - (n >= 10 ? 3 : 0), spend: now.spend + n * 1000 };
    rows.push(`('${minus(n)}','all','rebuilt','${JSON.stringify(f).replaceAll("'", "''")}','${TODAY}T00:00:00Z')`);
  }
  env.srv.sql(`INSERT INTO portfolio_history(day, scope, source, figures, taken_at) VALUES ${rows.join(',')};`);
});
after(async () => { await env?.close(); });

const WANT = [
  'Active workloads (pilot and production): unchanged in 29 days',
  'Monthly AI spend: down $29,000 in 29 days',
  'Flagged workloads: up 3 in 29 days',
  'Highest HHI of a layer: unchanged in 29 days',
];

for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
  test(`a sparkline in each headline card, in view on the first load (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.newPage({ as: 'viewer', viewport });
    const asked = [];
    page.on('request', (r) => asked.push(r.url().replace(env.srv.base, '')));
    await open(page, env.srv.base, '/');
    const cards = page.locator('.figures .figure');
    assert.equal(await cards.count(), 4);
    const sparks = page.locator('.figures .figure .spark svg.sparkline');
    assert.equal(await sparks.count(), 4, 'one sparkline per card');
    // Each is drawn (a line and today's dot) and says its trend.
    const labels = [];
    for (let i = 0; i < 4; i++) {
      const s = cards.nth(i).locator('svg.sparkline');
      assert.equal(await s.getAttribute('role'), 'img');
      labels.push(await s.getAttribute('aria-label'));
      assert.equal(await s.locator('path').count(), 1);
      assert.equal(await s.locator('circle').count(), 1);
      assert.equal(await cards.nth(i).locator('.spark-words').innerText(), WANT[i].replace(/^.*: /, ''));
      // In view without scrolling.
      const box = await s.boundingBox();
      assert.ok(box && box.width > 40 && box.height > 10, `sparkline ${i} has a size`);
      assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `sparkline ${i} at y=${Math.round(box.y)}..${Math.round(box.y + box.height)} is within the first ${viewport.height}px`);
      assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `sparkline ${i} within the width`);
    }
    assert.deepEqual(labels, WANT);
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
    // One history request, the sparklines' own; no trend charts before a scroll.
    const history = asked.filter((u) => u.includes('/api/v1/portfolio/history'));
    assert.deepEqual(history, ['/api/v1/portfolio/history?days=30']);
    assert.equal(asked.filter((u) => u.endsWith('/trends.js')).length, 0, 'the trends module waits');
    assert.equal(await page.locator('#trends canvas').count(), 0);
    assert.deepEqual(page.problems, []);
    await screenshot(page, `overview-sparklines-${viewport.width}`);
  });
}
