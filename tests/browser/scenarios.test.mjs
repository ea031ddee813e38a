// scenarios.test.mjs - build a scenario from the pickers, evaluate it, see
// stranded workloads, the before/after charts whose tables hold the API's
// numbers; save it, reopen it from its own URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, settle, canvasInk, chartTable, num, api } from './browser.mjs';

let env;
let base;
const call = (method, path, body) => api(base, method, path, body);

before(async () => { env = await setup(); base = env.srv.base; });
after(async () => { await env?.close(); });

async function idByName(path, name) {
  const r = await call('GET', `${path}?limit=500`);
  const item = r.body.items.find((i) => i.name === name);
  assert.ok(item, name);
  return item.id;
}

test('a scenario evaluates, shows stranded workloads and before/after charts, saves and reopens', async () => {
  const microsoft = await idByName('/api/v1/vendors', 'Microsoft');
  const okta = await idByName('/api/v1/offerings', 'Okta Workforce Identity');
  const changes = [{ type: 'exit_group', vendor: microsoft }, { type: 'withdraw_offering', offering: okta }];
  const expected = await call('POST', '/api/v1/scenarios/evaluate', { changes });
  assert.equal(expected.status, 200, JSON.stringify(expected.body));
  const r = expected.body;
  assert.ok(r.summary.stranded > 0, 'the demo strands workloads in this scenario');

  const page = await env.newPage();
  await open(page, base, '/scenarios');
  await page.selectOption('#sc-group', String(microsoft));
  await page.locator('.picker', { has: page.locator('#sc-group') }).getByRole('button', { name: 'Add' }).click();
  await page.selectOption('#sc-offering', String(okta));
  await page.locator('.picker', { has: page.locator('#sc-offering') }).getByRole('button', { name: 'Add' }).click();
  const listed = await page.locator('ol.changes li').allInnerTexts();
  assert.equal(listed.length, 2);
  assert.match(listed[0], /Microsoft group exits/);
  assert.match(listed[1], /Okta Workforce Identity is withdrawn/);

  await page.getByRole('button', { name: 'Evaluate' }).click();
  await settle(page);
  const results = page.locator('#results');
  assert.ok(await results.isVisible());
  const figures = await results.locator('.figure').allInnerTexts();
  assert.equal(num(figures[0].split('\n')[1]), r.summary.stranded);
  assert.equal(num(figures[1].split('\n')[1]), r.summary.movable);
  assert.equal(num(figures[3].split('\n')[1]), r.summary.spend_at_risk);

  // The stranded/movable table: stranded first, one row per affected workload.
  const rows = results.locator('.scenario-table tbody tr');
  assert.equal(await rows.count(), r.workloads.length);
  assert.equal(await results.locator('.scenario-table .outcome-stranded').count(), r.summary.stranded);
  const firstStranded = r.workloads.filter((w) => w.outcome === 'stranded').sort((a, b) => b.monthly_spend - a.monthly_spend)[0];
  assert.match(await rows.first().innerText(), new RegExp(firstStranded.name.replace(/[()]/g, '.')));
  assert.match(await rows.first().innerText(), /Stranded/);

  // Before/after charts are drawn and their tables hold the API's numbers.
  const inks = await canvasInk(page);
  assert.equal(inks.length, 2);
  for (const c of inks) assert.ok(c.ink > 500, c.label);
  const hhi = await chartTable(page, 'HHI per layer, before and after');
  assert.deepEqual(hhi.map((row) => [num(row[1]), num(row[2])]), ['provider', 'publisher', 'host'].map((l) => [r.before.hhi[l], r.after.hhi[l]]));
  const levels = await chartTable(page, 'Lock-in distribution, before and after');
  assert.deepEqual(levels.map((row) => [num(row[1]), num(row[2])]), ['low', 'medium', 'high', 'critical'].map((l) => [r.before.levels[l], r.after.levels[l]]));

  // Save, then reopen from the saved scenario's own URL.
  const name = `Microsoft exit rehearsal ${Date.now()}`;
  await page.fill('#sc-name', name);
  await page.fill('#sc-owner', 'Browser test');
  await page.getByRole('button', { name: 'Save scenario' }).click();
  await page.waitForURL(/#\/scenarios\/\d+$/);
  await settle(page);
  const id = Number(page.url().match(/(\d+)$/)[1]);
  const saved = await call('GET', `/api/v1/scenarios/${id}`);
  assert.equal(saved.status, 200);
  assert.equal(saved.body.name, name);
  assert.deepEqual(saved.body.changes, changes);
  assert.equal(await page.locator('#saved tbody tr', { hasText: name }).count(), 1);

  const other = await env.newPage();
  await open(other, base, `/scenarios/${id}`);
  assert.equal(await other.locator('ol.changes li').count(), 2);
  assert.equal(await other.inputValue('#sc-name'), name);
  assert.equal(await other.locator('#results .scenario-table .outcome-stranded').count(), r.summary.stranded);

  // Delete it from the saved list (after confirming).
  other.expectDialog = true;
  await other.getByRole('button', { name: `Delete scenario ${name}` }).click();
  await other.locator('#saved tbody tr', { hasText: name }).waitFor({ state: 'detached' });
  assert.equal((await call('GET', `/api/v1/scenarios/${id}`)).status, 404);
  assert.deepEqual(page.problems, []);
  assert.deepEqual(other.problems, []);
});

test('a contract ending and a swap layer change the outcome; an invalid save names the field', async () => {
  const page = await env.newPage();
  const contract = await idByName('/api/v1/contracts', 'Azure OpenAI provisioned throughput reservation (1 year)');
  const claims = await idByName('/api/v1/workloads', 'Claims triage assistant');
  await open(page, base, '/scenarios');
  await page.selectOption('#sc-contract', String(contract));
  await page.fill('#sc-contract-on', '2027-02-11');
  await page.locator('.picker', { has: page.locator('#sc-contract') }).getByRole('button', { name: 'Add' }).click();
  await page.selectOption('#sc-workload', String(claims));
  await page.locator('.picker', { has: page.locator('#sc-workload') }).getByRole('button', { name: 'Add' }).click();
  const changes = [{ type: 'end_contract', contract, on: '2027-02-11' }, { type: 'add_swap_layer', workloads: [claims] }];
  const expected = (await call('POST', '/api/v1/scenarios/evaluate', { changes })).body;
  await page.getByRole('button', { name: 'Evaluate' }).click();
  await settle(page);
  assert.equal(await page.locator('#results .scenario-table tbody tr').count(), Math.max(1, expected.workloads.length));
  // Saving without a name: the API's message appears beside the name field.
  await page.getByRole('button', { name: 'Save scenario' }).click();
  const err = page.locator('#sc-name-error');
  await err.waitFor({ state: 'visible' });
  assert.ok((await err.innerText()).length > 0);
  assert.equal(await page.getAttribute('#sc-name', 'aria-invalid'), 'true');
  assert.deepEqual(page.problems.filter((p) => !/status of 400/.test(p)), []);
});
