// form_rules.test.mjs - the workload form's rules in the browser, at
// 1440×900 and 390×844: owner, data classification and AI Act tier are
// decisions (the selects start at "Choose…"; left empty, each says so in
// words beside its field, with the server's messages for the rest in the
// same pass, and no "Invalid request"); a production workload with a planned
// end in the past is warned about in the live panel; a name that differs
// from another only in case and spaces is refused beside the Name field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, api, screenshot } from './browser.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const call = async (method, path, body) => (await api(env.srv.base, method, path, body)).body;
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
  test(`required decisions in words, a past planned end warned, a duplicate name refused (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.newPage({ as: 'architect', viewport });
    await open(page, env.srv.base, '/workloads/new');
    assert.equal(await page.inputValue('#f-ai_act_tier'), '');
    assert.equal(await page.inputValue('#f-data_classification'), '');
    await page.getByRole('button', { name: 'Register workload' }).click();
    const summary = page.locator('.form-summary .problem');
    await summary.waitFor();
    const text = await summary.innerText();
    assert.doesNotMatch(text, /Invalid request/);
    assert.match(text, /^Not saved: \d+ fields need attention\./);
    for (const line of ['Owner is required.', 'EU AI Act tier must be chosen.', 'Data classification must be chosen.', 'Name must not be empty.']) {
      assert.ok(text.includes(line), `${line} in ${text}`);
    }
    assert.equal(await page.locator('[data-field="ai_act_tier"] .field-error').innerText(), 'EU AI Act tier must be chosen.');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-name');
    assert.match(await page.locator('[data-field="monthly_spend"] .hint').innerText(), /Up to 1,000,000,000/);

    // A past planned end on a production workload: a warning, not a refusal.
    const existing = (await call('GET', '/api/v1/workloads?limit=1&sort=name')).items[0].name;
    await page.fill('#f-name', `  ${existing.toLowerCase()} `);
    await page.fill('#f-owner', 'Dana Whitfield');
    await page.selectOption('#f-track', 'azure');
    await page.selectOption('#f-status', 'production');
    await page.selectOption('#f-criticality', 'high');
    await page.selectOption('#f-data_classification', 'internal');
    await page.selectOption('#f-ai_act_tier', 'minimal');
    const past = day(-3);
    await page.fill('#f-planned_end', past);
    const warning = page.locator('.preview-warnings li[data-pointer="/planned_end"]');
    await warning.waitFor();
    assert.match(await warning.innerText(), new RegExp(`^Planned end: Planned end ${past} is in the past`));

    // The name differs from an existing one only in case and spaces.
    await page.getByRole('button', { name: 'Register workload' }).click();
    const nameError = page.locator('[data-field="name"] .field-error');
    await nameError.waitFor({ state: 'visible' });
    assert.match(await nameError.innerText(), /Another workload already has this name/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-name');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scroll');
    await screenshot(page, `form-rules-${viewport.width}`);
    assert.deepEqual(page.problems.filter((p) => !/status of (400|409)/.test(p)), []);
  });
}
