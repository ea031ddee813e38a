// governance.test.mjs - risk acceptances and exit drills in the browser, at
// 1440×900 and 390×844. Leadership accepts a flagged workload's risk on its
// page: a bad expiry is an error beside the field (focus there, nothing
// typed is lost), a good one is saved, shows as "Accepted until … by …",
// and the workload stops being flagged (API, register, overview); revoking
// brings the flag back. An architect records an exit drill: it appears in
// the drills and as the alternative's last drill; a drill dated in the
// future, or one whose alternative was removed meanwhile (the server's 400
// naming /offering), shows the error beside its field and keeps the input.
// Who sees which form follows the role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open, api, screenshot } from './browser.mjs';

let env;
let base;
const call = (method, path, body, headers) => api(base, method, path, body, headers);
before(async () => { env = await setup(); base = env.srv.base; });
after(async () => { await env?.close(); });

const iso = (t) => new Date(t).toISOString().slice(0, 10);
const today = () => iso(Date.now());
const daysAhead = (n) => iso(Date.now() + n * 86400000);
const show = (d) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);
const noOverflow = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

const VIEWPORTS = [{ width: 1440, height: 900 }, { width: 390, height: 844 }];

VIEWPORTS.forEach((viewport, n) => {
  test(`leadership accepts a flagged workload's risk, and revoking brings the flag back (${viewport.width}×${viewport.height})`, async () => {
    const flagged = (await call('GET', '/api/v1/workloads?flagged=true&sort=priority&limit=10')).body.items;
    const w = flagged[n];
    assert.ok(w && w.risk.flagged, 'a flagged workload');
    const page = await env.newPage({ as: 'leadership', viewport });
    await open(page, base, `/workloads/${w.id}`);
    assert.equal(await page.locator('.badge.priority').first().innerText(), w.risk.priority);
    assert.match(await page.locator('.figure', { hasText: 'Flagged' }).innerText(), /Yes/);
    assert.match(await page.locator('#acceptances .acceptance-line').innerText(), new RegExp(`as ${w.risk.priority} it is flagged`));
    // Leadership may accept, not record drills.
    assert.equal(await page.locator('.drill-form').count(), 0);

    const owner = `Dana Whitfield (CIO) ${viewport.width}`;
    const reason = 'Accepted until the platform review; the gateway project starts in Q2.';
    await page.fill('#accept-owner', owner);
    await page.fill('#accept-reason', reason);
    await page.fill('#accept-expires', daysAhead(400));
    await page.getByRole('button', { name: 'Accept this risk' }).click();
    const err = page.locator('#accept-expires-error');
    await err.waitFor({ state: 'visible' });
    assert.match(await err.innerText(), /^⚠?\s*Expires on must be at most one year ahead/);
    assert.equal(await page.getAttribute('#accept-expires', 'aria-invalid'), 'true');
    assert.equal(await focusedId(page), 'accept-expires', 'focus moves to the bad field');
    assert.equal(await page.inputValue('#accept-owner'), owner, 'the input is kept');
    assert.equal(await page.inputValue('#accept-reason'), reason);
    assert.equal((await call('GET', `/api/v1/workloads/${w.id}/acceptances`)).body.items.filter((a) => a.in_force).length, 0, 'nothing was saved');

    // What the server says about a date in the past, beside the field too
    // (the page checks it first, in the same words as the field's label).
    await page.fill('#accept-expires', daysAhead(-1));
    assert.equal(await page.getAttribute('#accept-expires', 'aria-invalid'), null, 'typing clears the old message');
    await page.getByRole('button', { name: 'Accept this risk' }).click();
    await page.locator('#accept-expires-error', { hasText: 'must not be in the past' }).waitFor();

    const until = daysAhead(120);
    await page.fill('#accept-expires', until);
    await page.getByRole('button', { name: 'Accept this risk' }).click();
    await page.locator('.accepted-callout').waitFor();
    assert.equal(await page.locator('.accepted-callout strong').innerText(), `Accepted until ${show(until)} by ${owner}.`);
    assert.match(await page.locator('.figure', { hasText: 'Flagged' }).innerText(), /Accepted/);
    const row = page.locator('.acceptances-table tbody tr', { hasText: owner });
    assert.match(await row.innerText(), /In force/);
    assert.equal(await page.inputValue('#accept-owner'), '', 'the form is emptied once saved');
    const after = (await call('GET', `/api/v1/workloads/${w.id}`)).body;
    assert.equal(after.risk.flagged, false, 'the workload is no longer flagged');
    const inForce = (await call('GET', '/api/v1/acceptances?in_force=true')).body.items;
    const mine = inForce.find((a) => a.workload === w.id);
    assert.ok(mine && mine.owner === owner && mine.created_by === 'user:leadership', JSON.stringify(mine));
    assert.ok(await noOverflow(page), 'no sideways scrolling');
    await screenshot(page, `workload-accepted-${viewport.width}`);

    // The register marks it accepted and no longer lists it as flagged.
    await open(page, base, `/workloads?q=${encodeURIComponent(w.name)}`);
    const reg = page.locator('.workloads-table tbody tr', { hasText: w.name }).first();
    assert.match(await reg.innerText(), new RegExp(`Accepted until ${show(until)}`));
    await open(page, base, '/workloads?flagged=true');
    assert.equal(await page.locator('.workloads-table tbody tr', { hasText: w.name }).count(), 0);
    // The overview lists it among the accepted risks, with owner and expiry.
    await open(page, base, '/');
    const acc = page.locator('#accepted li', { hasText: w.name });
    assert.ok((await acc.innerText()).includes(`Accepted by ${owner} until ${show(until)}`), await acc.innerText());
    assert.equal(await acc.getByRole('link', { name: w.name }).getAttribute('href'), `#/workloads/${w.id}`);

    // Revoking brings the flag back.
    await open(page, base, `/workloads/${w.id}`);
    await page.getByRole('button', { name: `Revoke the acceptance by ${owner} until ${show(until)}` }).click();
    await page.locator('.accepted-callout').waitFor({ state: 'detached' });
    await page.locator('.acceptances-table tbody tr', { hasText: owner }).filter({ hasText: 'Revoked' }).waitFor();
    assert.match(await page.locator('.figure', { hasText: 'Flagged' }).innerText(), /Yes/);
    assert.equal((await call('GET', `/api/v1/workloads/${w.id}`)).body.risk.flagged, true);
    assert.deepEqual(page.problems, []);
  });

  test(`an architect records an exit drill; bad ones keep the input and name the field (${viewport.width}×${viewport.height})`, async () => {
    const all = (await call('GET', '/api/v1/workloads?limit=500&sort=name')).body.items;
    const withAlts = all.filter((w) => w.alternatives.length);
    const w = withAlts[n];
    assert.ok(w, 'a workload with a named alternative');
    const alt = w.alternatives[0];
    const offerings = new Map((await call('GET', '/api/v1/offerings?limit=500')).body.items.map((o) => [o.id, o]));
    const page = await env.newPage({ as: 'architect', viewport });
    await open(page, base, `/workloads/${w.id}`);
    assert.equal(await page.locator('.accept-form').count(), 0, 'architects do not accept risks');
    assert.equal(await page.locator('.alternatives-table tbody tr').count(), w.alternatives.length);
    const before = (await call('GET', `/api/v1/workloads/${w.id}/drills`)).body.total;

    // The alternatives follow the dependency chosen.
    assert.equal(await page.isDisabled('#drill-offering'), true);
    await page.selectOption('#drill-dependency', String(alt.dependency));
    const choices = await page.locator('#drill-offering option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(choices, w.alternatives.filter((a) => a.dependency === alt.dependency).map((a) => String(a.offering)));
    await page.selectOption('#drill-offering', String(alt.offering));
    const evidence = `Gateway switched for a day (${viewport.width}); 500 requests, same answers within tolerance.`;
    await page.fill('#drill-evidence', evidence);
    await page.selectOption('#drill-result', 'passed');

    // In the future: the page says so beside the date, and keeps the rest.
    await page.fill('#drill-date', daysAhead(3));
    await page.getByRole('button', { name: 'Record the drill' }).click();
    await page.locator('#drill-date-error', { hasText: 'Drilled on must not be in the future' }).waitFor();
    assert.equal(await focusedId(page), 'drill-date');
    assert.equal(await page.inputValue('#drill-offering'), String(alt.offering));
    assert.equal(await page.inputValue('#drill-evidence'), evidence);
    assert.equal(await page.inputValue('#drill-result'), 'passed');

    // The alternative is removed meanwhile (another session): the server's
    // 400 names /offering, shown beside that field; the input stays.
    const cur = await call('GET', `/api/v1/workloads/${w.id}`);
    const without = cur.body.alternatives.filter((a) => !(a.dependency === alt.dependency && a.offering === alt.offering));
    const patched = await call('PATCH', `/api/v1/workloads/${w.id}`, { alternatives: without }, { 'If-Match': cur.headers.get('etag') });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    await page.fill('#drill-date', today());
    await page.getByRole('button', { name: 'Record the drill' }).click();
    const offErr = page.locator('#drill-offering-error');
    await offErr.waitFor({ state: 'visible' });
    assert.match(await offErr.innerText(), /Alternative it ran on must be an alternative named for this dependency/);
    assert.equal(await focusedId(page), 'drill-offering');
    assert.equal(await page.inputValue('#drill-evidence'), evidence);
    assert.equal(await page.inputValue('#drill-date'), today());
    assert.equal((await call('GET', `/api/v1/workloads/${w.id}/drills`)).body.total, before, 'nothing was saved');

    // Named again, the same input is recorded.
    const cur2 = await call('GET', `/api/v1/workloads/${w.id}`);
    await call('PATCH', `/api/v1/workloads/${w.id}`, { alternatives: cur.body.alternatives }, { 'If-Match': cur2.headers.get('etag') });
    await page.getByRole('button', { name: 'Record the drill' }).click();
    const row = page.locator('.drills-table tbody tr', { hasText: evidence });
    await row.waitFor();
    assert.match(await row.innerText(), /Passed/);
    assert.ok((await row.innerText()).includes(show(today())));
    assert.ok((await row.innerText()).includes(offerings.get(alt.offering).name));
    const altRow = page.locator('.alternatives-table tbody tr', { hasText: offerings.get(alt.offering).name }).first();
    assert.ok((await altRow.innerText()).includes(show(today())), await altRow.innerText());
    assert.equal(await page.inputValue('#drill-evidence'), '', 'emptied once saved');
    const drills = (await call('GET', `/api/v1/workloads/${w.id}/drills`)).body;
    assert.equal(drills.total, before + 1);
    const saved = drills.items.find((d) => d.evidence === evidence);
    assert.ok(saved && saved.recorded_by === 'user:architect' && saved.result === 'passed' && saved.drilled_on === today());
    assert.ok(await noOverflow(page), 'no sideways scrolling');
    await screenshot(page, `workload-drill-${viewport.width}`);
    assert.deepEqual(page.problems.filter((p) => !/status of 400/.test(p)), []);
  });
});

test('a viewer sees acceptances and drills but neither form', async () => {
  const w = (await call('GET', '/api/v1/workloads?limit=500')).body.items.find((x) => x.alternatives.length);
  const page = await env.newPage({ as: 'viewer' });
  await open(page, base, `/workloads/${w.id}`);
  assert.equal(await page.locator('.accept-form, .drill-form').count(), 0);
  assert.ok(await page.locator('.alternatives-table').isVisible());
  assert.ok(await page.locator('.acceptances-table').isVisible());
  assert.equal(await page.getByRole('button', { name: /^Revoke/ }).count(), 0);
  assert.deepEqual(page.problems, []);
});

test('the overview lists compliance findings, most severe first, with what to do and the workloads concerned', async () => {
  const summary = (await call('GET', '/api/v1/portfolio/summary')).body;
  const findings = (await call('GET', '/api/v1/compliance')).body;
  assert.equal(summary.compliance.total, findings.total);
  const page = await env.newPage({ as: 'leadership' });
  await open(page, base, '/');
  const items = page.locator('#compliance ol.compliance-findings > li');
  assert.equal(await items.count(), findings.total);
  // The first four show; the rest are one click away.
  if (findings.total > 4) {
    assert.equal(await page.locator('#compliance details.more-findings ol > li').count(), findings.total - 4);
    assert.equal(await page.locator('#compliance details.more-findings').getAttribute('open'), null);
    await page.locator('#compliance details.more-findings summary').click();
  }
  const order = { high: 0, medium: 1, low: 2 };
  const sev = await items.evaluateAll((lis) => lis.map((li) => li.className.replace(/.*finding-/, '')));
  for (let i = 1; i < sev.length; i++) assert.ok(order[sev[i - 1]] <= order[sev[i]], sev.join(','));
  const f = findings.items.find((x) => x.severity === 'high') || findings.items[0];
  const li = items.filter({ hasText: f.detail }).first();
  const text = await li.innerText();
  assert.ok(text.includes(f.title) && text.includes(`What to do: ${f.action}`), text);
  assert.equal(await li.getByRole('link', { name: f.workloads[0].name }).getAttribute('href'), `#/workloads/${f.workloads[0].id}`);
  // The accepted risks, with owner and expiry, soonest first.
  const acc = await page.locator('#accepted li').allInnerTexts();
  assert.equal(acc.length, summary.accepted.length);
  summary.accepted.forEach((a, i) => assert.ok(acc[i].includes(a.name) && acc[i].includes(`Accepted by ${a.owner} until ${show(a.expires_on)}`), acc[i]));
  // Catalogue freshness, as the summary counts it.
  const c = summary.catalogue;
  if (c.stale + c.undated) assert.match(await page.locator('.as-of').innerText(), new RegExp(`${c.stale + c.undated} of ${c.records} records stale`));
  assert.deepEqual(page.problems, []);
});

test('catalogue facts show their source and as-of date; old or undated ones are marked stale', async () => {
  const vendors = (await call('GET', '/api/v1/vendors?limit=500')).body.items;
  const fresh = vendors.find((v) => v.name === 'Anthropic');
  const old = vendors.find((v) => v.name === 'Mistral AI');
  const undated = vendors.find((v) => v.name === 'OpenAI');
  const patch = async (v, body) => {
    const cur = await call('GET', `/api/v1/vendors/${v.id}`);
    const r = await call('PATCH', `/api/v1/vendors/${v.id}`, body, { 'If-Match': cur.headers.get('etag') });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };
  await patch(fresh, { source: 'https://www.anthropic.com/company', as_of: daysAhead(-10) });
  await patch(old, { source: 'Mistral AI annual report 2025', as_of: daysAhead(-400) });
  await patch(undated, { source: '', as_of: null });
  const page = await env.newPage({ as: 'viewer' });
  await open(page, base, `/vendors/${fresh.id}`);
  const details = page.locator('#v-h + dl');
  assert.equal(await details.getByRole('link', { name: 'www.anthropic.com/company' }).getAttribute('href'), 'https://www.anthropic.com/company');
  assert.ok((await details.innerText()).includes(show(daysAhead(-10))));
  assert.equal(await details.locator('.badge.stale').count(), 0, 'checked 10 days ago: not stale');
  await open(page, base, `/vendors/${old.id}`);
  assert.ok((await page.locator('#v-h + dl').innerText()).includes('Mistral AI annual report 2025'), 'a document is named, not linked');
  assert.equal(await page.locator('#v-h + dl .badge.stale').innerText(), 'Stale');
  await open(page, base, `/vendors/${undated.id}`);
  assert.equal(await page.locator('#v-h + dl .badge.stale').innerText(), 'Stale: no date');
  // The catalogue page counts them and marks each vendor and offering.
  await open(page, base, '/vendors');
  assert.match(await page.locator('.freshness').innerText(), /\d+ of \d+ catalogue records are stale/);
  const line = page.locator('article.vendor-group', { has: page.locator('h3 a', { hasText: /^Anthropic$/ }) }).locator('.member .fact-line').first();
  const flat = async (l) => (await l.textContent()).replace(/\s+/g, ' ').trim();
  assert.equal(await flat(line), `Source: www.anthropic.com/company · as of ${show(daysAhead(-10))}`);
  assert.equal(await line.locator('.badge.stale').count(), 0);
  const openai = page.locator('article.vendor-group', { has: page.locator('h3 a', { hasText: /^OpenAI$/ }) }).locator('.member .fact-line').first();
  assert.equal(await flat(openai), 'Source: No source recorded · no as-of date Stale: no date');
  assert.ok(await page.locator('#offerings table thead th', { hasText: 'As of' }).count() === 1);
  // An upstream agreement shows its provenance and the scope of each term.
  await open(page, base, '/contracts');
  const agreement = page.locator('article.agreement').first();
  assert.match(await agreement.locator('.fact-line').innerText(), /Source:/);
  assert.ok(await agreement.locator('thead th', { hasText: 'Bears on' }).count() === 1);
  assert.ok(await noOverflow(page));
  assert.deepEqual(page.problems, []);
});

test('each strategy view shows its own compliance findings and each workload\'s priority', async () => {
  const page = await env.newPage({ as: 'viewer', viewport: { width: 390, height: 844 } });
  for (const track of ['copilot', 'azure', 'openai']) {
    const s = (await call('GET', `/api/v1/strategies/${track}`)).body;
    await open(page, base, `/${track}`);
    assert.equal(await page.locator('#compliance ol.compliance-findings > li').count(), s.compliance.total, track);
    if (!s.compliance.total) assert.match(await page.locator('#compliance').innerText(), /No compliance finding for this track/);
    const top = [...s.workloads].sort((a, b) => b.score - a.score)[0];
    const row = page.locator('#workloads tbody tr', { has: page.locator('th', { hasText: top.name }) }).first();
    assert.ok((await row.innerText()).includes(top.priority), await row.innerText());
    assert.ok(await noOverflow(page), track);
  }
  assert.deepEqual(page.problems, []);
});

test('a Microsoft exit says, for each affected workload, why it is stranded or how it moves', async () => {
  const vendors = (await call('GET', '/api/v1/vendors?limit=500')).body.items;
  const microsoft = vendors.find((v) => v.name === 'Microsoft').id;
  const r = (await call('POST', '/api/v1/scenarios/evaluate', { changes: [{ type: 'exit_group', vendor: microsoft }] })).body;
  assert.ok(r.summary.stranded > 0 && r.summary.movable > 0, 'the demo strands some workloads and moves others');
  const page = await env.newPage({ as: 'leadership', viewport: { width: 390, height: 844 } });
  await open(page, base, '/scenarios');
  await page.selectOption('#sc-group', String(microsoft));
  await page.locator('.picker', { has: page.locator('#sc-group') }).getByRole('button', { name: 'Add' }).click();
  await page.getByRole('button', { name: 'Evaluate' }).click();
  await page.locator('#results .scenario-table').waitFor();
  for (const w of r.workloads) {
    const row = page.locator('#results .scenario-table tbody tr', { has: page.locator('th', { hasText: w.name }) }).first();
    const text = (await row.textContent()).replace(/\s+/g, ' ');
    if (w.reason) assert.ok(text.includes(w.reason.replace(/\s+/g, ' ')), `${w.name}: ${text}`);
    for (const l of w.lost) {
      if (l.replacement) assert.ok(text.includes(`→ ${l.replacement.name}`), `${w.name}: ${text}`);
      else assert.ok(text.includes(`${l.offering.name}`) && text.includes('no replacement'), `${w.name}: ${text}`);
    }
  }
  assert.deepEqual(page.problems, []);
});
