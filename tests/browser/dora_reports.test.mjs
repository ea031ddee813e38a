// dora_reports.test.mjs - the DORA register of information from the Reports
// page (issue 17): an auditor downloads each of its three formats (the CSV
// templates, the xBRL-CSV package, the validation report) by clicking its
// link; a viewer is told exports need another role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setup, open } from './browser.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

async function download(page, name) {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#dora').getByRole('link', { name }).click(),
  ]);
  return { file: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

test('an auditor downloads the register as CSV templates, xBRL-CSV and its validation report', async () => {
  const page = await env.newPage({ as: 'auditor' });
  await open(page, env.srv.base, '/reports');
  const zip = await download(page, /^CSV templates/);
  assert.match(zip.file, /^dora-register-\d{4}-\d{2}-\d{2}\.zip$/);
  assert.equal(zip.bytes.subarray(0, 2).toString('latin1'), 'PK');
  assert.ok(zip.bytes.includes(Buffer.from('b_05.02.csv')));
  const xbrl = await download(page, /^xBRL-CSV report package/);
  assert.match(xbrl.file, /^dora-register-\d{4}-\d{2}-\d{2}-xbrl\.zip$/);
  assert.ok(xbrl.bytes.includes(Buffer.from('META-INF/reportPackage.json')));
  const v = await download(page, /^Validation report/);
  assert.match(v.file, /^dora-validation-\d{4}-\d{2}-\d{2}\.json$/);
  const report = JSON.parse(v.bytes.toString('utf8'));
  assert.equal(report.total, report.issues.length);
  assert.ok(report.issues.some((i) => i.template === 'B_01.01' && i.column === 'c0010'));
  assert.deepEqual(page.problems, []);
});

test('a viewer is not offered the register', async () => {
  const page = await env.newPage({ as: 'viewer' });
  await open(page, env.srv.base, '/reports');
  assert.equal(await page.locator('#dora a').count(), 0);
  assert.match(await page.locator('#dora').textContent(), /need the auditor or admin role/);
});
