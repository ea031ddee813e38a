// drilldown.test.mjs - the overview's and a track page's headline cards and
// chart bars lead to the register filtered to what they count, at 1440×900
// and 390×844: the card's link carries the list's URL filters and the list
// it opens has the card's count; a bar of the lock-in chart opens the list
// of that level; the chart's data table has the same links; a track whose
// layers all have the same HHI says so in a sentence instead of three equal
// bars; the renewal Gantt draws a today line and "due in N days" labels;
// no chart title repeats its panel's heading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, api, settle } from './browser.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const call = async (path) => (await api(env.srv.base, 'GET', path)).body;

for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
  test(`cards and bars drill down to the filtered register (${viewport.width}×${viewport.height})`, async () => {
    const summary = await call('/api/v1/portfolio/summary');
    const page = await env.newPage({ as: 'viewer', viewport });
    await open(page, env.srv.base, '/');
    const flagged = page.locator('.figure', { hasText: 'Flagged workloads' }).locator('dd.value a');
    assert.equal(await flagged.getAttribute('href'), '#/workloads?flagged=true&sort=priority');
    assert.equal(await flagged.innerText(), String(summary.counts.flagged));
    assert.equal(await page.locator('.figure', { hasText: 'Workloads in production' }).locator('dd.value a').getAttribute('href'), '#/workloads?status=production');
    await flagged.click();
    await settle(page);
    assert.match(page.url(), /#\/workloads\?flagged=true&sort=priority$/);
    const list = await call('/api/v1/workloads?flagged=true&limit=1');
    assert.equal(list.total, summary.counts.flagged);

    // A bar of the lock-in chart: the list of that level.
    await open(page, env.srv.base, '/');
    const level = 'critical';
    await page.locator('#lockin canvas').scrollIntoViewIfNeeded();
    const again = await page.evaluate(() => {
      const canvas = document.querySelector('#lockin canvas');
      const chart = window.Chart.getChart(canvas);
      const bar = chart.getDatasetMeta(0).data[3];
      const r = canvas.getBoundingClientRect();
      return { x: r.left + bar.x, y: r.top + (bar.y + bar.base) / 2 };
    });
    assert.ok(again);
    await page.mouse.click(again.x, again.y);
    await page.waitForURL(/#\/workloads\?risk_level=critical$/);
    await settle(page);
    assert.equal(await page.inputValue('#filter-risk_level'), level);
    // The data table under the chart links the same way.
    await open(page, env.srv.base, '/');
    const rowLink = page.locator('#lockin details.chart-data a', { hasText: 'Critical' });
    assert.equal(await rowLink.getAttribute('href'), '#/workloads?risk_level=critical');
    assert.deepEqual(page.problems, []);
  });
}

test('a track whose layers have equal HHI says it in a sentence', async () => {
  for (const track of ['copilot', 'azure', 'openai', 'other']) {
    const s = await call(`/api/v1/strategies/${track}`);
    const hhis = ['provider', 'publisher', 'host'].map((l) => s.concentration.layers[l].hhi);
    if (!hhis.every((x) => x === hhis[0])) continue;
    const page = await env.newPage({ as: 'viewer' });
    await open(page, env.srv.base, `/${track}`);
    const text = await page.locator('#concentration .chart-sentence').innerText();
    if (hhis[0] === 10000) assert.match(text, /^Each of the three layers has one vendor group carrying all of the .* track's spend \(provider: .+, publisher: .+, host: .+\): HHI 10,000 means one group per layer\.$/);
    else assert.match(text, /same HHI/);
    assert.equal(await page.locator('#concentration canvas').count(), 0);
    const href = await page.locator('.figure', { hasText: 'Flagged workloads' }).locator('dd.value a').getAttribute('href');
    assert.equal(href, `#/workloads?track=${track}&flagged=true&sort=priority`);
    return;
  }
  assert.fail('the demo has a track with equal HHI on every layer (Copilot)');
});

for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
  test(`the renewal Gantt has a today line and "due in N days" labels (${viewport.width}×${viewport.height})`, async () => {
    const summary = await call('/api/v1/portfolio/summary');
    const soon = summary.deadlines[0];
    const page = await env.newPage({ as: 'viewer', viewport });
    await open(page, env.srv.base, '/');
    await page.locator('#deadlines canvas').scrollIntoViewIfNeeded();
    const seen = await page.evaluate(() => {
      const canvas = document.querySelector('#deadlines canvas');
      const chart = window.Chart.getChart(canvas);
      const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let red = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - 163) < 12 && Math.abs(data[i + 1] - 50) < 12 && Math.abs(data[i + 2] - 43) < 12) red++;
      }
      return { plugins: (chart.config.plugins || []).map((p) => p.id), label: canvas.getAttribute('aria-label'), red, width, height };
    });
    assert.ok(seen.plugins.includes('deadlineMarks'), JSON.stringify(seen.plugins));
    assert.match(seen.label, /^Notice deadlines in the next six months\. The dashed line is today\./);
    assert.ok(seen.label.includes(`${soon.name}: notice by`), seen.label);
    assert.ok(seen.label.includes(`(due in ${soon.days_left} days)`), seen.label);
    // The today line and the labels of deadlines within 30 days are drawn in red.
    assert.ok(seen.red > 100, `red pixels: ${seen.red}`);
    // No title drawn twice: where the panel's heading says what the chart
    // shows, the chart's own title is for screen readers only.
    for (const id of ['deadlines', 'spend-track', 'spend-group', 'lockin']) {
      const box = await page.locator(`#${id} .chart-title`).boundingBox();
      assert.ok(!box || (box.width <= 1 && box.height <= 1), `${id}: ${JSON.stringify(box)}`);
      assert.ok((await page.locator(`#${id} .chart-title`).textContent()).length > 10, id);
    }
    assert.deepEqual(page.problems, []);
  });
}
