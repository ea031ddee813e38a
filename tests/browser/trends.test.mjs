// trends.test.mjs - the portfolio over time in the browser (issue 19
// items 2 and 3): the overview's and a strategy view's trend charts (HHI
// per layer, flagged and P1, spend) drawn from GET /portfolio/history when
// their panel scrolls into view, each with its data table and the range
// picker (the headline figures' sparklines: sparklines.test.mjs); and the
// "Changes since review" page
// listing what changed after a review. Five earlier days are written into
// the history table so the lines have a shape.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, api, settle, canvasInk, chartTable, screenshot } from './browser.mjs';

let env;
const TODAY = new Date().toISOString().slice(0, 10);
const minus = (n) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);

before(async () => {
  env = await setup();
  const base = env.srv.base;
  // Today's row (taken on the first request), then five earlier days with
  // more flagged workloads each day back.
  const now = (await api(base, 'GET', `/api/v1/portfolio/history?from=${TODAY}&to=${TODAY}`)).body.days[0].figures;
  const azure = (await api(base, 'GET', `/api/v1/portfolio/history?from=${TODAY}&to=${TODAY}&track=azure`)).body.days[0].figures;
  const rows = [];
  for (let n = 1; n <= 5; n++) {
    for (const [scope, f] of [['all', now], ['azure', azure]]) {
      const fig = JSON.stringify({ ...f, flagged: f.flagged + n, spend: f.spend - n * 1000 }).replaceAll("'", "''");
      rows.push(`('${minus(n)}','${scope}','rebuilt','${fig}','${TODAY}T00:00:00Z')`);
    }
  }
  env.srv.sql(`INSERT INTO portfolio_history(day, scope, source, figures, taken_at) VALUES ${rows.join(',')};`);
});
after(async () => { await env?.close(); });

async function trendsShown(page) {
  await page.locator('#trends').scrollIntoViewIfNeeded();
  await page.locator('#trends canvas').nth(2).waitFor();
  await settle(page);
}

test('the overview draws its trends with data tables, a range picker and sparklines', async () => {
  const page = await env.newPage({ as: 'viewer' });
  await open(page, env.srv.base, '/');
  // The sparklines come with the headline figures; the trend charts' module
  // and history not before the page is scrolled (the first load's budget).
  assert.equal(await page.locator('.figures .sparkline').count(), 4);
  assert.equal(await page.locator('#trends canvas').count(), 0);
  assert.equal(await page.locator('.figures .sparkline').nth(2).getAttribute('aria-label'), 'Flagged workloads: down 5 in 5 days');
  await trendsShown(page);
  const inks = (await canvasInk(page)).filter((c) => /^(HHI per layer \(spend\)|Flagged and P1|Monthly spend \(declared\))/.test(c.label));
  assert.equal(inks.length, 3, JSON.stringify(inks));
  for (const c of inks) assert.ok(c.ink > 300, `"${c.label}" is drawn`);
  const flagged = await chartTable(page, 'Flagged and P1 workloads');
  assert.equal(flagged.length, 6);
  const summary = (await api(env.srv.base, 'GET', '/api/v1/portfolio/summary')).body;
  assert.equal(flagged[5][1], String(summary.counts.flagged));
  assert.equal(flagged[0][1], String(summary.counts.flagged + 5));
  assert.match(await page.locator('#trends .trend-coverage').innerText(), /90 days: 1 observed, 5 rebuilt from the audit trail, 84 without figures/);
  // The range picker: 30 days, then all ten years.
  await page.getByRole('button', { name: '30 days' }).click();
  await page.locator('#trends .trend-coverage', { hasText: '30 days:' }).waitFor();
  assert.equal(await page.getByRole('button', { name: '30 days' }).getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: 'All' }).click();
  await page.locator('#trends .trend-coverage', { hasText: '3,650 days:' }).waitFor();
  await settle(page);
  assert.equal((await chartTable(page, 'HHI per layer (spend)')).length, 6);
  assert.deepEqual(page.problems, []);
  await screenshot(page, 'overview-trends');
});

test('a strategy view draws its track\'s trends', async () => {
  const page = await env.newPage({ as: 'viewer' });
  await open(page, env.srv.base, '/azure');
  await trendsShown(page);
  await page.locator('.figures .sparkline').first().waitFor();
  const spend = await chartTable(page, 'Monthly spend (declared)');
  assert.equal(spend.length, 6);
  const view = (await api(env.srv.base, 'GET', '/api/v1/strategies/azure')).body;
  assert.equal(Number(spend[5][1].replace(/[^0-9.]/g, '')), view.figures.monthly_spend);
  assert.deepEqual(page.problems, []);
  await screenshot(page, 'azure-trends');
});

test('the changes page lists what changed since the review', async () => {
  const base = env.srv.base;
  const leader = { Authorization: `Bearer ${await env.srv.tokenFor('leadership')}` };
  assert.equal((await api(base, 'POST', '/api/v1/reviews', { name: 'Monthly review' }, leader)).status, 201);
  const w = (await api(base, 'GET', '/api/v1/workloads?status=production&sort=name&limit=1')).body.items[0];
  assert.equal((await api(base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' })).status, 200);
  const page = await env.newPage({ as: 'viewer' });
  await open(page, base, '/changes');
  try {
    await page.locator('#since-status', { hasText: 'Monthly review' }).waitFor({ timeout: 15000 });
  } catch (e) {
    throw new Error(`${e.message}\n${await page.locator('main').innerText()}\n${page.problems.join('\n')}`);
  }
  const item = page.locator(`#changes-workloads li[data-id="${w.id}"]`);
  await item.waitFor();
  assert.match(await item.innerText(), new RegExp(`${w.name}[\\s\\S]*Retired`));
  assert.match(await page.locator('#changes-figures').innerText(), /Active workloads/);
  assert.equal(await page.locator('nav a[href="#/changes"]').getAttribute('aria-current'), 'page');
  // A viewer does not get the form to mark a review.
  assert.equal(await page.locator('#mark-review').count(), 0);
  assert.deepEqual(page.problems, []);
  await screenshot(page, 'changes-since-review');
});
