// findings.test.mjs - findings with an owner, a due date and a status, at
// 1440×900 and 390×844: the overview's "Act on these" shows the most severe
// findings of every track and of compliance as GET /api/v1/findings orders
// them, each with its state; a viewer sees no form; a leader sets owner, due
// date and status inline on a track page (a won't-do without a reason is
// refused beside the Note field, nothing is saved), the API and the overview
// then show it, and the page never scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, api, screenshot } from './browser.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const call = async (method, path, body) => (await api(env.srv.base, method, path, body));
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const VIEWPORTS = [{ width: 1440, height: 900 }, { width: 390, height: 844 }];

for (const viewport of VIEWPORTS) {
  test(`the overview's most severe findings, in the API's order, read-only for a viewer (${viewport.width}×${viewport.height})`, async () => {
    const top = (await call('GET', '/api/v1/findings?limit=5')).body;
    assert.equal(top.items.length, 5);
    const page = await env.newPage({ as: 'viewer', viewport });
    await open(page, env.srv.base, '/');
    const items = page.locator('#act .top-findings-list > li');
    assert.equal(await items.count(), 5);
    for (let i = 0; i < 5; i++) {
      const f = top.items[i];
      assert.equal(await items.nth(i).getAttribute('data-key'), f.key);
      assert.equal(await items.nth(i).locator('.finding-title').innerText(), f.title);
      const state = await items.nth(i).locator('.finding-state').innerText();
      assert.equal(state, 'Open · no owner yet · no due date');
      // At most four workloads named, the rest counted.
      const links = await items.nth(i).locator('.chips a').count();
      assert.equal(links, Math.min(4, f.workloads.length));
      if (f.count > 4) assert.match(await items.nth(i).locator('.chips').innerText(), new RegExp(`and ${f.count - 4} more`));
    }
    assert.equal(await page.locator('#act details.finding-edit').count(), 0, 'no form for a viewer');
    const open_ = top.by_status.open + top.by_status.in_progress;
    assert.match(await page.locator('#act .top-findings').innerText(), new RegExp(`${open_} of ${top.total} findings still to act on`));
    assert.ok(await overflow(page) <= 0, 'no sideways scroll');
    assert.deepEqual(page.problems, []);
    await screenshot(page, `findings-overview-${viewport.width}`);
  });
}

for (const viewport of VIEWPORTS) {
  test(`a leader sets a finding's owner, due date and status inline (${viewport.width}×${viewport.height})`, async () => {
    const track = 'azure';
    const findings = (await call('GET', `/api/v1/strategies/${track}`)).body.findings;
    const f = findings[viewport.width === 1440 ? 0 : 1];
    const page = await env.newPage({ as: 'leadership', viewport });
    await open(page, env.srv.base, `/${track}`);
    const item = page.locator(`#findings li.finding[data-key="${f.key}"]`);
    await item.locator('details.finding-edit > summary').click();
    const form = item.locator('form.finding-form');
    // Won't do with no reason: refused beside the Note field, nothing saved.
    await form.getByLabel('Status').selectOption('wont_do');
    await form.getByRole('button', { name: 'Save' }).click();
    const note = form.getByLabel('Note');
    assert.equal(await note.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'note');
    assert.match(await form.locator('.field-error:not([hidden])').innerText(), /A reason is required when a finding is marked won’t do/);
    let stored = (await call('GET', `/api/v1/findings?track=${track}`)).body.items.find((x) => x.key === f.key);
    assert.equal(stored.status, 'open');
    // Now a real change.
    await form.getByLabel('Status').selectOption('in_progress');
    await form.getByLabel('Owner').fill('Dana Whitfield (CIO)');
    await form.getByLabel('Due date').fill('2027-03-31');
    await form.getByRole('button', { name: 'Save' }).click();
    await item.locator('.finding-state', { hasText: 'In progress' }).waitFor();
    const state = await item.locator('.finding-state').innerText();
    assert.match(state, /^In progress · Owner: Dana Whitfield \(CIO\) · Due 31 Mar 2027 \(in [\d,]+ days\)$/);
    stored = (await call('GET', `/api/v1/findings?track=${track}`)).body.items.find((x) => x.key === f.key);
    assert.equal(stored.owner, 'Dana Whitfield (CIO)');
    assert.equal(stored.due, '2027-03-31');
    assert.equal(stored.status, 'in_progress');
    assert.match(stored.updated_by, /leadership/);
    // Focus stays in the form (never dropped to the body).
    assert.notEqual(await page.evaluate(() => document.activeElement.tagName), 'BODY');
    assert.ok(await overflow(page) <= 0, 'no sideways scroll');
    await screenshot(page, `findings-track-edit-${viewport.width}`);
    // The overview shows the same state wherever the finding is listed.
    await open(page, env.srv.base, '/');
    const there = page.locator(`#act li.finding[data-key="${f.key}"] .finding-state`);
    if (await there.count()) assert.equal(await there.innerText(), state);
    assert.deepEqual(page.problems, []);
    // Put it back for the other viewport.
    await call('PATCH', `/api/v1/findings/${f.key}`, { status: 'open', owner: null, due: null });
  });
}

test('the editor sends If-Match: a change saved elsewhere meanwhile is refused (412) and said, not overwritten', async () => {
  const track = 'azure';
  const f = (await call('GET', `/api/v1/findings?track=${track}`)).body.items[2];
  const page = await env.newPage({ as: 'leadership' });
  const sent = [];
  page.on('request', (q) => { if (q.method() === 'PATCH') sent.push(q.headers()['if-match']); });
  await open(page, env.srv.base, `/${track}`);
  const item = page.locator(`#findings li.finding[data-key="${f.key}"]`);
  await item.locator('details.finding-edit > summary').click();
  const form = item.locator('form.finding-form');
  // Someone else gives it an owner after this page read it.
  assert.equal((await call('PATCH', `/api/v1/findings/${f.key}`, { owner: 'Someone else' })).status, 200);
  await form.getByLabel('Owner').fill('Dana Whitfield (CIO)');
  await form.getByRole('button', { name: 'Save' }).click();
  const problem = form.locator('.problem');
  await problem.waitFor();
  assert.match(await problem.innerText(), /Someone changed this finding since you read it/);
  assert.deepEqual(sent, [`"${f.version}"`]);
  const stored = (await call('GET', `/api/v1/findings?track=${track}`)).body.items.find((x) => x.key === f.key);
  assert.equal(stored.owner, 'Someone else', 'not overwritten');
  assert.deepEqual(page.problems.filter((p) => !/status of 412/.test(p)), []);
  await call('PATCH', `/api/v1/findings/${f.key}`, { owner: null });
});

test('architects see findings but no form (the role that changes them is leadership)', async () => {
  const page = await env.newPage({ as: 'architect' });
  await open(page, env.srv.base, '/openai');
  assert.ok(await page.locator('#findings li.finding').count() > 0);
  assert.equal(await page.locator('details.finding-edit').count(), 0);
  assert.deepEqual(page.problems, []);
});
