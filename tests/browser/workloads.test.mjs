// workloads.test.mjs - the register/edit form in the browser: an invalid
// submission shows the API's messages beside the fields its JSON Pointers
// name; a valid one registers the workload, which then appears in the table
// with its risk; the score is recomputed while typing (POST
// /workloads/preview); a conflicting edit (412) is explained and can be
// resolved; a workload whose fields hold HTML/script payloads renders as text
// on every page; the front end's sources never parse HTML.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setup, open, settle, api, DECIDED } from './browser.mjs';

let env;
let base;
const call = (method, path, body, headers) => api(base, method, path, body, headers);
const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

before(async () => { env = await setup(); base = env.srv.base; });
after(async () => { await env?.close(); });

async function offeringId(name) {
  const r = await call('GET', '/api/v1/offerings?limit=500');
  const o = r.body.items.find((i) => i.name === name);
  assert.ok(o, name);
  return o.id;
}

test('register a workload: invalid first (messages beside the fields), then valid; it appears with its risk', async (t) => {
  const page = await env.newPage();
  const aoai = await offeringId('Azure OpenAI in Microsoft Foundry Models');
  const name = `Browser-registered claims summariser ${Date.now()}`;
  await open(page, base, '/workloads/new');

  // What the API says about the same mistakes, to compare with the page.
  const expected = await call('POST', '/api/v1/workloads', {
    name: '', track: 'azure', status: 'production', criticality: 'high',
    dependencies: [{ offering: aoai, role: 'model' }, { offering: null, role: null }],
  });
  assert.equal(expected.status, 400);
  const detail = (p) => expected.body.errors.filter((e) => e.pointer === p).map((e) => e.detail);
  assert.ok(detail('/name').length, JSON.stringify(expected.body));

  await page.selectOption('#f-track', 'azure');
  await page.selectOption('#f-status', 'production');
  await page.selectOption('#f-criticality', 'high');
  await page.fill('#f-monthly_spend', '4200');
  await page.fill('#f-users', '35');
  await page.getByRole('button', { name: 'Add a dependency' }).click();
  await page.selectOption('#f-dep-0-offering', String(aoai));
  assert.equal(await page.inputValue('#f-dep-0-role'), 'model', 'the role follows the offering\'s category');
  await page.getByRole('button', { name: 'Add a dependency' }).click(); // left empty on purpose
  await page.getByRole('button', { name: 'Register workload' }).click();

  const nameError = page.locator('[data-field="name"] .field-error');
  await nameError.waitFor({ state: 'visible' });
  assert.equal(await nameError.innerText(), detail('/name').join('; '));
  assert.equal(await page.getAttribute('#f-name', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-name', 'focus moves to the first invalid field');
  // The empty dependency's message sits in its own row.
  const depError = page.locator('.dep-row').nth(1).locator('.field-error');
  assert.ok(await depError.isVisible());
  assert.ok((await depError.innerText()).length > 0);
  assert.match(await page.locator('.form-summary .problem').innerText(), /Not saved/);

  // Live score: POST /api/v1/workloads/preview, when the server has it.
  // Owner, data classification and AI Act tier are decisions, not defaults.
  assert.equal(await page.inputValue('#f-ai_act_tier'), '');
  assert.equal(await page.inputValue('#f-data_classification'), '');
  assert.equal(await page.locator('[data-field="owner"] .field-error').innerText(), 'Owner is required.');
  await page.getByRole('button', { name: 'Remove dependency 2' }).click();
  await page.fill('#f-name', name);
  await page.fill('#f-owner', 'Dana Whitfield');
  await page.selectOption('#f-data_classification', 'internal');
  await page.selectOption('#f-ai_act_tier', 'minimal');
  const probe = await call('POST', '/api/v1/workloads/preview', {});
  if (probe.status === 404 || probe.status === 405) {
    t.diagnostic(`POST /api/v1/workloads/preview is missing on this server (HTTP ${probe.status}): live score not checked`);
  } else {
    const doc = {
      name, purpose: '', owner: 'Dana Whitfield', team: '', track: 'azure', status: 'production', criticality: 'high',
      data_classification: 'internal', ai_act_tier: 'minimal', users: 35, monthly_spend: 4200, planned_end: null,
      swap_layer: false, allowed_regions: [], oversight_owner: '', impact_assessment: null, proprietary_features: [], notes: '',
      dependencies: [{ offering: aoai, role: 'model' }], alternatives: [],
    };
    const preview = await call('POST', '/api/v1/workloads/preview', doc);
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    await page.locator('.preview-score', { hasText: `score ${preview.body.risk.score} of 100` }).waitFor();
    // Changing a field asks again: a swap layer lowers the score.
    await page.check('#f-swap_layer');
    const lower = await call('POST', '/api/v1/workloads/preview', { ...doc, swap_layer: true });
    assert.ok(lower.body.risk.score < preview.body.risk.score);
    await page.locator('.preview-score', { hasText: `score ${lower.body.risk.score} of 100` }).waitFor();
  }

  await page.getByRole('button', { name: 'Register workload' }).click();
  await page.waitForURL(/#\/workloads\/\d+$/);
  await settle(page);
  assert.equal(await page.locator('h1').innerText(), name);
  const id = Number(page.url().match(/(\d+)$/)[1]);
  const saved = await call('GET', `/api/v1/workloads/${id}`);
  assert.equal(saved.status, 200);
  assert.equal(saved.body.name, name);
  assert.deepEqual(saved.body.dependencies, [{ offering: aoai, role: 'model' }]);

  // In the register, with its risk as a labelled badge.
  await open(page, base, `/workloads?q=${encodeURIComponent(name)}`);
  const row = page.locator('.workloads-table tbody tr', { hasText: name });
  assert.equal(await row.count(), 1);
  const badge = (await row.locator('.badge').first().innerText()).replace(/\s+/g, ' ');
  assert.match(badge.toLowerCase(), new RegExp(`${saved.body.risk.level}.*${saved.body.risk.score}`));
  assert.deepEqual(page.problems.filter((p) => !/status of 400/.test(p)), []);
});

test('the form names alternatives per dependency and keeps regions, oversight owner and impact assessment', async () => {
  const aoai = await offeringId('Azure OpenAI in Microsoft Foundry Models');
  const all = (await call('GET', '/api/v1/offerings?limit=500')).body.items;
  const other = all.find((o) => o.category === 'model_api' && o.id !== aoai && o.provider !== all.find((x) => x.id === aoai).provider);
  const created = await call('POST', '/api/v1/workloads', {
    ...DECIDED, name: `Alternatives form check ${Date.now()}`, track: 'azure', status: 'pilot', criticality: 'medium', owner: 'Test Owner',
    dependencies: [{ offering: aoai, role: 'model' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const page = await env.newPage({ as: 'architect' });
  await open(page, base, `/workloads/${id}/edit`);
  assert.equal(await page.locator('#f-second_model_validated').count(), 0, 'the old declaration is gone');

  // The replacement is chosen once the dependency is.
  await page.getByRole('button', { name: 'Add an alternative' }).click();
  assert.equal(await focusedId(page), 'f-alt-0-dependency');
  assert.equal(await page.isDisabled('#f-alt-0-offering'), true);
  await page.selectOption('#f-alt-0-dependency', String(aoai));
  assert.equal(await page.isDisabled('#f-alt-0-offering'), false);
  const values = await page.locator('#f-alt-0-offering option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(!values.includes(String(aoai)), 'a dependency is not its own alternative');
  // Left empty, the server's message sits in the alternative's row; focus goes there.
  await page.getByRole('button', { name: 'Save changes' }).click();
  const rowError = page.locator('.alt-row').first().locator('.field-error');
  await rowError.waitFor({ state: 'visible' });
  assert.equal(await focusedId(page), 'f-alt-0-offering');
  assert.equal(await page.inputValue('#f-alt-0-dependency'), String(aoai), 'the choice is kept');

  await page.selectOption('#f-alt-0-offering', String(other.id));
  await page.fill('#f-allowed_regions', 'EU, UK');
  await page.fill('#f-oversight_owner', 'Head of Claims Operations');
  await page.fill('#f-impact_assessment', '2026-10-01');
  // Removing a second, empty alternative keeps focus in the form.
  await page.getByRole('button', { name: 'Add an alternative' }).click();
  await page.getByRole('button', { name: 'Remove alternative 2' }).click();
  assert.equal(await focusedId(page), 'f-alt-0-dependency', 'focus moves to the row before, not the page');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(new RegExp(`#/workloads/${id}$`));
  const saved = (await call('GET', `/api/v1/workloads/${id}`)).body;
  assert.deepEqual(saved.alternatives, [{ dependency: aoai, offering: other.id }]);
  assert.deepEqual(saved.allowed_regions, ['EU', 'UK']);
  assert.equal(saved.oversight_owner, 'Head of Claims Operations');
  assert.equal(saved.impact_assessment, '2026-10-01');
  // The page shows them.
  await settle(page);
  assert.equal(await page.locator('.alternatives-table tbody tr').count(), 1);
  assert.match(await page.locator('.alternatives-table tbody tr').innerText(), /Never drilled/);
  assert.match(await page.locator('#details').innerText(), /EU, UK/);
  await call('DELETE', `/api/v1/workloads/${id}`);
  assert.deepEqual(page.problems.filter((p) => !/status of 400/.test(p)), []);
});

test('a conflicting edit (412) is explained, and the architect chooses what wins', async () => {
  const page = await env.newPage();
  const list = await call('GET', '/api/v1/workloads?limit=1&sort=name');
  const id = list.body.items[0].id;
  await open(page, base, `/workloads/${id}/edit`);
  // Someone else saves first.
  const before = await call('GET', `/api/v1/workloads/${id}`);
  const theirs = await call('PATCH', `/api/v1/workloads/${id}`, { monthly_spend: 777 }, { 'If-Match': before.headers.get('etag') });
  assert.equal(theirs.status, 200, JSON.stringify(theirs.body));

  await page.fill('#f-notes', 'Edited in the browser after someone else saved.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const box = page.locator('.form-conflict .conflict');
  await box.waitFor();
  const text = await box.innerText();
  assert.match(text, /someone else changed this workload/);
  assert.match(text, /Monthly spend/);
  assert.match(text, /\$777/);
  assert.equal(await page.inputValue('#f-notes'), 'Edited in the browser after someone else saved.', 'my edits stay in the form');
  const unchanged = await call('GET', `/api/v1/workloads/${id}`);
  assert.equal(unchanged.body.monthly_spend, 777, 'nothing of mine was written');

  await page.getByRole('button', { name: 'Save my version over theirs' }).click();
  await page.waitForURL(new RegExp(`#/workloads/${id}$`));
  const after = await call('GET', `/api/v1/workloads/${id}`);
  assert.equal(after.body.notes, 'Edited in the browser after someone else saved.');
  assert.equal(after.body.monthly_spend, before.body.monthly_spend);
  assert.deepEqual(page.problems.filter((p) => !/status of 412/.test(p)), []);
});

test('a workload with HTML and script payloads renders as text everywhere', async () => {
  const aoai = await offeringId('Azure OpenAI in Microsoft Foundry Models');
  const search = await offeringId('Azure AI Search');
  const name = '<img src=x onerror=alert(1)>';
  const created = await call('POST', '/api/v1/workloads', {
    ...DECIDED, name, track: 'azure', status: 'production', criticality: 'critical',
    purpose: '<script>alert(2)</script><b>bold?</b>', owner: '"><svg onload=alert(3)>', team: '<iframe src="javascript:alert(4)"></iframe>',
    notes: '<a href="javascript:alert(5)">click</a>', proprietary_features: ['<img src=y onerror=alert(6)>'],
    monthly_spend: 99000, swap_layer: false,
    dependencies: [{ offering: aoai, role: 'model' }, { offering: search, role: 'data' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const summary = (await call('GET', '/api/v1/portfolio/summary')).body;

  const page = await env.newPage();
  const routes = [`/workloads?q=${encodeURIComponent('<img')}`, `/workloads/${id}`, `/workloads/${id}/edit`, '/azure', '/scenarios', '/contracts/4'];
  if (summary.flagged.some((f) => f.id === id)) routes.push('/');
  for (const route of routes) {
    await open(page, base, route);
    const injected = await page.evaluate(() => document.querySelectorAll(
      'main img, main svg[onload], main iframe, main script, main b, a[href^="javascript:"], [onerror], [onload]').length);
    assert.equal(injected, 0, `no element from the payload on ${route}`);
    if (route.endsWith('/edit')) {
      assert.equal(await page.inputValue('#f-name'), name);
      assert.equal(await page.inputValue('#f-team'), '<iframe src="javascript:alert(4)"></iframe>');
    } else if (route === '/scenarios') {
      assert.ok(await page.locator('#sc-workload option', { hasText: name }).count() === 1);
    } else {
      assert.ok(await page.getByText(name, { exact: true }).count() >= 1, `"${name}" shown as text on ${route}`);
    }
  }
  await open(page, base, `/workloads/${id}`);
  assert.equal(await page.locator('h1').innerText(), name);
  assert.ok(await page.getByText('<script>alert(2)</script><b>bold?</b>').count() >= 1);
  assert.ok(await page.getByText('<img src=y onerror=alert(6)>', { exact: true }).count() === 1);
  assert.equal(await page.title(), `${name} · Switchyard`);
  assert.deepEqual(page.problems, [], 'no dialog, no error');
});

test('users not known: null in the API, "unknown" on the page and an empty field in the form', async () => {
  const aoai = await offeringId('Azure OpenAI in Microsoft Foundry Models');
  const created = await call('POST', '/api/v1/workloads', {
    ...DECIDED, name: `Users unknown check ${Date.now()}`, track: 'azure', status: 'pilot', criticality: 'low',
    dependencies: [{ offering: aoai, role: 'model' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.users, null);
  const page = await env.newPage();
  await open(page, base, `/workloads/${created.body.id}`);
  const users = page.locator('dl.fields > div', { has: page.locator('dt', { hasText: /^Users$/ }) }).locator('dd');
  assert.equal(await users.innerText(), 'unknown');
  await open(page, base, `/workloads/${created.body.id}/edit`);
  assert.equal(await page.inputValue('#f-users'), '');
  assert.deepEqual(page.problems, [], 'no dialog, no error');
});

test('the front end never parses HTML from strings (no innerHTML, outerHTML, insertAdjacentHTML, document.write, eval)', () => {
  const web = fileURLToPath(new URL('../../web/', import.meta.url));
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'vendor') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|html)$/.test(e.name)) files.push(p);
    }
  };
  walk(web);
  assert.ok(files.length >= 10);
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const bad of [/innerHTML/, /outerHTML/, /insertAdjacentHTML/, /document\.write/, /\beval\s*\(/, /new Function\s*\(/, /<script>[^<]/, /\sstyle="/, /<style/]) {
      assert.doesNotMatch(src, bad, `${f} must not use ${bad}`);
    }
  }
});
