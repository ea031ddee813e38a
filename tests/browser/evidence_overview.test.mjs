// evidence_overview.test.mjs - observed against declared on the overview
// (issue 16), with the demo's evidence files imported: the "Declared, not
// observed" panel says how many active workloads have a swap layer or
// alternatives only declared, names the first and links to the whole list;
// the concentration basis picker offers actual (observed) spend and says
// how many workloads it could not count, as the API does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, api, screenshot } from './browser.mjs';

let env;
before(async () => { env = await setup({ evidence: true }); });
after(async () => { await env?.close(); });

test('the overview lists the declared-only workloads and offers the actual basis', async () => {
  const summary = (await api(env.srv.base, 'GET', '/api/v1/portfolio/summary')).body;
  const actual = (await api(env.srv.base, 'GET', '/api/v1/portfolio/concentration?basis=actual&connected=false')).body;
  assert.ok(summary.declared_only.count > 0);
  assert.ok(actual.counted >= 4);
  const page = await env.newPage({ as: 'viewer', viewport: { width: 1440, height: 900 } });
  await open(page, env.srv.base, '/');
  const declared = page.locator('#declared-only');
  await declared.locator('ul.declared-list li').first().waitFor();
  const text = await declared.innerText();
  assert.ok(text.includes(`${summary.declared_only.count} active workloads with a swap layer or alternatives declared only`), text);
  assert.equal(await declared.locator('ul.declared-list li').count(), Math.min(10, summary.declared_only.count));
  assert.ok(text.includes(summary.declared_only.workloads[0].name), text);
  assert.equal(await declared.getByRole('link', { name: /on the Import page/ }).getAttribute('href'), '#/imports');

  const panel = page.locator('#concentration-basis');
  await panel.scrollIntoViewIfNeeded();
  const select = panel.locator('select#concentration-basis-select');
  await panel.locator('table').waitFor();
  assert.deepEqual(await select.locator('option').evaluateAll((os) => os.map((o) => o.value)), ['spend', 'actual', 'workloads']);
  await select.selectOption('actual');
  await panel.locator('p.not-counted').waitFor();
  const note = await panel.locator('p.not-counted').innerText();
  assert.ok(note.startsWith(`${actual.counted} counted; ${actual.not_counted.count} active workloads not counted`), note);
  assert.match(await panel.locator('table caption').innerText(), /actual \(observed\) monthly spend/);
  await screenshot(page, 'overview-evidence');
});
