// exports.test.mjs - an auditor downloads the standard exports from the
// Reports page: the CycloneDX AI-BOM of the portfolio and of one chosen
// workload (valid CycloneDX 1.6 in strict mode), and the EU AI Act register
// as CSV and JSON (a row per active workload); every download is an
// audited export. A viewer is told the exports need another role. An
// architect fills the register's fields in the workload form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { setup, open, screenshot, DECIDED } from './browser.mjs';

const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
let env;
before(async () => {
  // Compile the schema before the server starts (it blocks for seconds).
  await validator.validate(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 }));
  env = await setup();
});
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

test('an architect fills the AI Act register in the workload form; the server names a missing Annex III area', async () => {
  const cookie = await env.srv.signIn('admin');
  const call = async (method, path, body) => {
    const res = await fetch(`${env.srv.base}${path}`, { method, headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: env.srv.base }, body: body && JSON.stringify(body) });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  const offering = (await call('GET', '/api/v1/offerings?limit=1&category=model_api')).body.items[0];
  const created = await call('POST', '/api/v1/workloads', {
    ...DECIDED, name: `AI Act form check ${Date.now()}`, owner: 'Hiring Lead', track: offering.track, status: 'pilot', criticality: 'medium',
    dependencies: [{ offering: offering.id, role: 'model' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const page = await env.newPage({ as: 'architect' });
  await open(page, env.srv.base, `/workloads/${id}/edit`);
  // High-risk with no Annex III area: the server's message sits beside the field.
  await page.selectOption('#f-ai_act_tier', 'high');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const areaError = page.locator('[data-field="annex_iii_area"] .field-error');
  await areaError.waitFor({ state: 'visible' });
  assert.match(await areaError.textContent(), /required when ai_act_tier is high/);

  await page.selectOption('#f-annex_iii_area', 'employment');
  await page.selectOption('#f-ai_system_provider', { label: 'Northwind Mutual' });
  await page.fill('#f-intended_purpose', 'Ranks job applications for a recruiter to review.');
  await page.fill('#f-log_retention_months', '12');
  await page.selectOption('#f-fria_status', 'planned');
  await page.fill('#f-affected_persons_informed', '2026-04-01');
  await page.fill('#f-incident_contact', '=HR desk, hr@example.test');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(new RegExp(`#/workloads/${id}$`));
  const saved = (await call('GET', `/api/v1/workloads/${id}`)).body;
  assert.equal(saved.annex_iii_area, 'employment');
  assert.equal(saved.log_retention_months, 12);
  assert.equal(saved.fria_status, 'planned');
  assert.equal(saved.affected_persons_informed, '2026-04-01');
  assert.equal(saved.incident_contact, '=HR desk, hr@example.test');
  const vendors = (await call('GET', '/api/v1/vendors?limit=500')).body.items;
  assert.equal(saved.ai_system_provider, vendors.find((v) => v.name === 'Northwind Mutual').id);
  // The workload's page shows the register's values.
  await page.locator('text=Ranks job applications for a recruiter to review.').waitFor();
  // Its register row: only the planned assessment is a gap (and no oversight owner).
  const reg = (await call('GET', '/api/v1/reports/ai-act')).body;
  assert.deepEqual(reg.rows.find((r) => r.workload_id === id).gaps.sort(), ['ai_act_fria', 'ai_act_oversight']);
  assert.deepEqual(page.problems.filter((p) => !/status of 400/.test(p)), []);
});
