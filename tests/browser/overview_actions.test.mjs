// overview_actions.test.mjs - the leader's "Act on these" at the top of the
// overview, at 1440×900 and 390×844: the most urgent things first (notice
// deadlines within 30 days, then P1 workloads), each with what it concerns,
// the next step and the lock-in points it removes as the API's factors say,
// its owner and date; and headline counts that add up (flagged P1 + P2 =
// flagged; accepted ones said apart).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, api, screenshot } from './browser.mjs';

let env;
let summary;
before(async () => {
  env = await setup();
  summary = (await api(env.srv.base, 'GET', '/api/v1/portfolio/summary')).body;
});
after(async () => { await env?.close(); });

const call = async (path) => (await api(env.srv.base, 'GET', path)).body;

for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
  test(`act on these, most urgent first, with the points each step removes (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.newPage({ as: 'viewer', viewport });
    await open(page, env.srv.base, '/');
    const items = page.locator('#act ol.actions > li');
    await items.first().waitFor();
    // It is the first panel of the page.
    assert.equal(await page.locator('main section, main .panel').first().getAttribute('id'), 'act');
    assert.equal(await items.count(), 5);

    // First: the notice deadline within 30 days (the demo's GitHub contract).
    const soon = summary.deadlines.filter((d) => d.days_left <= 30);
    assert.ok(soon.length >= 1, 'the demo has a deadline within 30 days');
    const first = await items.nth(0).innerText();
    assert.ok(first.includes(soon[0].name), first);
    assert.ok(first.includes(`in ${soon[0].days_left} days`), first);
    assert.match(first, /renews for 12 months/);

    // Then P1 workloads: each names its best step, with the API's points.
    const flagged = await call('/api/v1/workloads?flagged=true&sort=priority&limit=5');
    const p1 = flagged.items.filter((w) => w.risk.priority === 'P1');
    const workloadsShown = 5 - soon.length;
    for (let i = 0; i < workloadsShown; i++) {
      const text = await items.nth(soon.length + i).innerText();
      const w = p1.find((x) => text.includes(x.name));
      assert.ok(w, `item ${soon.length + i + 1} is a P1 workload: ${text}`);
      const best = Math.max(...w.risk.factors.map((f) => f.points));
      assert.ok(text.includes(`−${best} points (lock-in ${w.risk.score} → `), text);
      assert.ok(text.includes(`Owner: ${w.owner}`), text);
      assert.match(text, /^High /);
    }
    const link = items.nth(soon.length).getByRole('link');
    assert.match(await link.getAttribute('href'), /^#\/workloads\/\d+$/);
    // The rest is one link away.
    const total = summary.counts.flagged + summary.deadlines.filter((d) => d.days_left <= 90).length;
    assert.match(await page.locator('#act').innerText(), new RegExp(`${total - 5} more: all ${summary.counts.flagged} flagged workloads`));

    // The headline's counts add up: the flagged P1 and P2 workloads make the
    // figure; P1 and P2 workloads whose risk is accepted are said apart.
    const c = summary.counts;
    const acc = summary.accepted.filter((a) => a.priority === 'P1' || a.priority === 'P2');
    const n1 = c.priority.P1 - acc.filter((a) => a.priority === 'P1').length;
    const n2 = c.priority.P2 - acc.filter((a) => a.priority === 'P2').length;
    assert.equal(n1 + n2, c.flagged);
    const card = await page.locator('.figure', { hasText: 'Flagged workloads' }).innerText();
    assert.ok(card.includes(`${n1} P1 and ${n2} P2`), card);
    if (acc.length) assert.ok(card.includes(`${acc.length} more accepted`), card);
    assert.deepEqual(page.problems, []);
    await screenshot(page, `overview-act-${viewport.width}`);
  });
}
