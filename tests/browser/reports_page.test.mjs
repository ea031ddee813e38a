// reports_page.test.mjs - the auditor's Reports page: choose a format and a
// "changes since" date (the download link follows), preview the HTML report
// in a sandboxed frame, read the public key and the verify commands; a
// viewer is told exports need another role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open } from './browser.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

test('an auditor chooses a format and date, previews and gets the public key', async () => {
  const page = await env.newPage({ as: 'auditor' });
  await open(page, env.srv.base, '/reports');
  const download = page.getByRole('link', { name: 'Download' });
  assert.match(await download.getAttribute('href'), /format=bundle$/);
  await page.selectOption('#report-format', 'html');
  await page.fill('#report-since', '2026-01-01');
  await page.dispatchEvent('#report-since', 'change');
  assert.equal(await download.getAttribute('href'), '/api/v1/reports/governance?format=html&since=2026-01-01');

  await page.getByRole('button', { name: 'Preview the HTML' }).click();
  const frame = page.frameLocator('iframe.report-frame');
  await frame.locator('text=Executive summary').first().waitFor({ timeout: 15000 });

  const key = await page.locator('#verify pre').first().textContent();
  assert.match(key, /^untrusted comment: minisign public key/);
  const commands = await page.locator('#verify pre').nth(1).textContent();
  assert.match(commands, /sha256sum -c manifest-sha256\.txt/);
  assert.match(commands, /minisign -Vm manifest-sha256\.txt -P RW/);
  assert.deepEqual(page.problems, []);

  // The preview and the download are exports: both reach the audit trail.
  const events = await env.srv.signIn('auditor').then((cookie) => fetch(
    `${env.srv.base}/api/v1/audit?entity=report&action=export`, { headers: { Cookie: cookie } }))
    .then((r) => r.json());
  assert.ok(events.total >= 1);
});

test('a viewer is not offered exports', async () => {
  const page = await env.newPage({ as: 'viewer' });
  await open(page, env.srv.base, '/reports');
  assert.equal(await page.getByRole('link', { name: 'Download' }).count(), 0);
  assert.match(await page.locator('#report').textContent(), /need the auditor or admin role/);
});
