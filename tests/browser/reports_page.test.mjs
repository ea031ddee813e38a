// reports_page.test.mjs - the auditor's Reports page: choose a format and a
// "changes since" date (the download link follows), preview the HTML report
// in a sandboxed frame, read, copy and download the public key with its key
// ID; verify a bundle in the browser (intact: every check passes; one byte
// changed: that file fails); a viewer is told exports need another role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { setup, open, screenshot } from './browser.mjs';

// A .tar.gz of the server's bundle, and a copy with one byte of one CSV
// changed (tar's 512-byte headers are left alone; the file's bytes follow its
// header, so the byte changed is inside workloads.csv).
async function bundles(env) {
  const cookie = await env.srv.signIn('auditor');
  const res = await fetch(`${env.srv.base}/api/v1/reports/governance?format=bundle`, { headers: { Cookie: cookie } });
  assert.equal(res.status, 200);
  const good = Buffer.from(await res.arrayBuffer());
  const tar = gunzipSync(good);
  let at = 0;
  while (at < tar.length) {
    const name = tar.subarray(at, at + 100).toString('latin1').replace(/\0.*$/s, '');
    const size = parseInt(tar.subarray(at + 124, at + 136).toString('latin1').trim() || '0', 8);
    if (name.endsWith('/workloads.csv')) break;
    at += 512 + Math.ceil(size / 512) * 512;
  }
  assert.ok(at < tar.length, 'workloads.csv is in the bundle');
  const bad = Buffer.from(tar);
  bad[at + 512 + 10] ^= 0x01;
  return { good, bad: gzipSync(bad) };
}

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
  // The key ID and the fingerprint `switchyard keys show` prints are shown,
  // and the key downloads as a file.
  const keyId = key.match(/minisign public key ([0-9A-F]{16})/)[1];
  assert.equal(await page.locator('#verify .key-id').textContent(), keyId);
  const signing = await (await fetch(`${env.srv.base}/api/v1/reports/signing-key`)).json();
  assert.equal(await page.locator('#verify .key-fingerprint').textContent(), signing.fingerprint);
  const dl = page.getByRole('link', { name: 'Save the key as a file' });
  assert.equal(await dl.getAttribute('href'), '/api/v1/reports/public-key');
  assert.equal(await dl.getAttribute('download'), 'switchyard-report.pub');
  await page.getByRole('button', { name: 'Copy the key' }).click();
  await page.locator('#verify .copy-status').filter({ hasText: /Copied|Could not copy/ }).waitFor();
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

test('an auditor verifies a bundle in the browser: intact passes, one changed byte fails that file', async () => {
  const { good, bad } = await bundles(env);
  const page = await env.newPage({ as: 'auditor' });
  await open(page, env.srv.base, '/reports');
  const panel = page.locator('#check-bundle');
  // Nothing chosen: a message next to the form, nothing sent.
  await panel.getByRole('button', { name: 'Verify', exact: true }).click();
  assert.match(await panel.locator('[role=alert]').textContent(), /Choose a bundle/);

  await page.setInputFiles('#verify-file', { name: 'governance.tar.gz', mimeType: 'application/gzip', buffer: good });
  await panel.getByRole('button', { name: 'Verify', exact: true }).click();
  const ok = panel.locator('.verdict-ok');
  await ok.waitFor();
  assert.match(await ok.textContent(), /^Verified: governance\.tar\.gz is as signed with this server’s key [0-9A-F]{16}/);
  const rows = panel.locator('tbody tr');
  assert.equal(await rows.count(), 31);   // signature, 14 files + 15 of the DORA register, audit head
  assert.equal(await panel.locator('.check-ok').count(), 31);
  await screenshot(page, 'reports-verify-ok');

  await page.setInputFiles('#verify-file', { name: 'tampered.tar.gz', mimeType: 'application/gzip', buffer: bad });
  await panel.getByRole('button', { name: 'Verify', exact: true }).click();
  const broken = panel.locator('.verdict-broken');
  await broken.waitFor();
  assert.equal(await broken.textContent(), 'Not verified: tampered.tar.gz failed 1 of 31 checks.');
  const failed = panel.locator('tbody tr', { has: page.locator('.check-failed') });
  assert.equal(await failed.count(), 1);
  assert.match(await failed.textContent(), /workloads\.csv.*Failed.*its content differs from the manifest/);
  assert.deepEqual(page.problems, []);
});
