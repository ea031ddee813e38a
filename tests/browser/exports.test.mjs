// exports.test.mjs - an auditor downloads the standard exports from the
// Reports page: the CycloneDX AI-BOM of the portfolio and of one chosen
// workload (valid CycloneDX 1.6 in strict mode), and the EU AI Act register
// as CSV and JSON (a row per active workload); every download is an
// audited export. A viewer is told the exports need another role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { setup, open, screenshot } from './browser.mjs';

const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

async function download(page, name) {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#standard-exports').getByRole('link', { name, exact: true }).click(),
  ]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

async function asAdmin(path) {
  const cookie = await env.srv.signIn('admin');
  return (await fetch(`${env.srv.base}${path}`, { headers: { Cookie: cookie } })).json();
}

test('an auditor downloads the CycloneDX AI-BOM and the AI Act register from the Reports page', async () => {
  const active = (await asAdmin('/api/v1/workloads?limit=500')).items
    .filter((w) => w.status === 'pilot' || w.status === 'production');
  const before0 = (await asAdmin('/api/v1/audit?entity=report&action=export')).total;
  const page = await env.newPage({ as: 'auditor' });
  await open(page, env.srv.base, '/reports');
  const panel = page.locator('#standard-exports');
  await panel.getByRole('link', { name: 'CycloneDX AI-BOM (JSON)' }).waitFor();
  await screenshot(page, 'reports-standard-exports');

  const bom = await download(page, 'CycloneDX AI-BOM (JSON)');
  assert.match(bom.name, /^ai-bom-\d{4}-\d{2}-\d{2}\.cdx\.json$/);
  assert.equal(await validator.validate(bom.text), null);
  const doc = JSON.parse(bom.text);
  assert.equal(doc.components.filter((c) => c.type === 'application').length, active.length);

  // One workload's BOM: choose it, the link follows.
  const one = active.find((w) => w.name === 'Underwriting document extraction');
  await page.getByLabel('Scope').selectOption({ label: one.name });
  assert.equal(await panel.getByRole('link', { name: 'CycloneDX AI-BOM (JSON)' }).getAttribute('href'),
    `/api/v1/reports/cyclonedx?workload=${one.id}`);
  const single = await download(page, 'CycloneDX AI-BOM (JSON)');
  assert.match(single.name, new RegExp(`^ai-bom-workload-${one.id}-\\d{4}-\\d{2}-\\d{2}\\.cdx\\.json$`));
  assert.equal(await validator.validate(single.text), null);
  const apps = JSON.parse(single.text).components.filter((c) => c.type === 'application');
  assert.deepEqual(apps.map((c) => c.name), [one.name]);

  const csv = await download(page, 'AI Act register (CSV)');
  assert.match(csv.name, /^ai-act-register-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parse(csv.text, { columns: true });
  assert.equal(rows.length, active.length);
  const life = rows.find((r) => r.workload === 'Life underwriting pre-assessment');
  assert.equal(life.annex_iii_area, 'essential_services');
  assert.match(life.gaps, /ai_act_log_retention/);

  const json = await download(page, 'AI Act register (JSON)');
  assert.match(json.name, /^ai-act-register-\d{4}-\d{2}-\d{2}\.json$/);
  assert.equal(JSON.parse(json.text).rows.length, active.length);

  // Four downloads, four audited exports by the auditor.
  const events = await asAdmin('/api/v1/audit?entity=report&action=export&limit=4');
  assert.equal(events.total, before0 + 4);
  assert.deepEqual(events.items.map((e) => e.after.report), ['ai-act', 'ai-act', 'cyclonedx', 'cyclonedx']);
  assert.ok(events.items.every((e) => /auditor/.test(e.actor)));
  assert.deepEqual(page.problems, []);
});

test('a viewer is not offered the standard exports', async () => {
  const page = await env.newPage({ as: 'viewer' });
  await open(page, env.srv.base, '/reports');
  assert.match(await page.locator('#standard-exports').textContent(), /need the auditor or admin role/);
  assert.equal(await page.locator('#standard-exports a').count(), 0);
});
