// imports.test.mjs - the Import page (#/imports) in the browser: an
// architect chooses the kind and a workload inventory, the dry run shows
// the plan (a create with its fields, a change old -> new) and changes
// nothing; "Apply this file" applies it, the recent imports list it, and
// the workload page shows the imported fields' source beside them. A FOCUS
// file's dry run lists the cost no workload was allocated. Viewers get no
// Import entry in the navigation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setup, open, settle, api } from './browser.mjs';

const FIX = join(import.meta.dirname, '..', 'http', 'fixtures', 'imports');
let env;
let base;

before(async () => { env = await setup(); base = env.srv.base; });
after(async () => { await env?.close(); });

test('dry run shows the diff, apply applies it, the workload shows its sources', async () => {
  const page = await env.newPage({ as: 'architect' });
  await open(page, base, '/imports');
  await page.locator('#import-kind').selectOption('workloads');
  await page.locator('#import-file-input').setInputFiles(join(FIX, 'workloads.csv'));
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  const counts = page.locator('.plan-counts');
  await counts.waitFor();
  assert.equal(await counts.textContent(), '2 rows read: 1 to create, 1 to change, 0 unchanged, 0 that cannot be used.');
  const rows = page.locator('.plan-table tbody tr');
  assert.equal(await rows.count(), 2);
  const change = rows.filter({ hasText: 'HR policy assistant' });
  assert.match(await change.textContent(), /owner: Lena Vogel → Jonas Weber/);
  assert.match(await rows.filter({ hasText: 'Claims intake, EU' }).textContent(), /Create/);
  // Nothing changed yet.
  const before = await api(base, 'GET', '/api/v1/workloads?q=Claims%20intake');
  assert.equal(before.body.total, 0);

  await page.getByRole('button', { name: 'Apply this file' }).click();
  await page.locator('.import-status', { hasText: 'Applied workloads.csv as import #' }).waitFor();
  await page.locator('#import-recent tbody tr', { hasText: 'workloads.csv' }).first().waitFor();
  const after = await api(base, 'GET', '/api/v1/workloads?q=Claims%20intake');
  assert.equal(after.body.total, 1);

  await open(page, base, `/workloads/${after.body.items[0].id}`);
  await settle(page);
  const prov = page.locator('.provenance-table tbody tr', { hasText: 'owner' });
  await prov.waitFor();
  assert.match(await prov.textContent(), /import:\d+:workloads/);
  assert.deepEqual(page.problems, []);
});

test('a FOCUS dry run lists unallocated cost; viewers have no Import entry', async () => {
  const page = await env.newPage({ as: 'architect' });
  await open(page, base, '/imports');
  await page.locator('#import-kind').selectOption('focus');
  assert.equal(await page.locator('#import-tag-key').inputValue(), 'workload');
  await page.locator('#import-file-input').setInputFiles(join(FIX, 'focus.csv'));
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  await page.locator('.plan-counts').waitFor();
  const un = page.locator('.unallocated-table tbody tr');
  assert.equal(await un.count(), 2);
  assert.match(await un.filter({ hasText: 'Shadow IT chatbot' }).textContent(), /3\.10 USD/);
  const viewer = await env.newPage({ as: 'viewer' });
  await open(viewer, base, '/');
  await settle(viewer);
  assert.equal(await viewer.locator('#site-nav a[href="#/imports"]').count(), 0);
  assert.equal(await page.locator('#site-nav a[href="#/imports"]').count(), 1);
});
