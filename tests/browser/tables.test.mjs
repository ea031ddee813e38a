// tables.test.mjs - tables: the register sorts by every column (Track,
// Flagged and Owner too, over every matching workload; Priority through the
// API, P1 first); the contracts list
// sorts by every column and shows the days left to give notice, highlighted
// under 30 and under 90 days; each table downloads as CSV as shown, filters
// applied, with RFC 4180 quoting and formulas neutralised (web/csv.js is
// also checked directly); dates read one way on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setup, open, api, DECIDED } from './browser.mjs';
import { csvField, toCsv, isoDate } from '../../web/csv.js';

let env;
let base;
const call = (method, path, body) => api(base, method, path, body);
before(async () => { env = await setup(); base = env.srv.base; });
after(async () => { await env?.close(); });

// A small RFC 4180 reader for the files the page writes.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && s[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function downloadCsv(page, region) {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('region', { name: region, exact: true }).getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  assert.match(dl.suggestedFilename(), /^[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync(await dl.path(), 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'UTF-8 byte-order mark');
  assert.ok(text.endsWith('\r\n'));
  return parseCsv(text);
}

const headers = (page, sel) => page.locator(`${sel} thead th`).evaluateAll((ths) => ths.map((th) => {
  const b = th.querySelector('button');
  return (b ? b.firstChild.textContent : th.textContent).trim();
}));

test('CSV fields: quotes, commas, newlines, formulas neutralised, numbers kept', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  assert.equal(csvField(' edge'), '" edge"');
  assert.equal(csvField('=1+1'), "'=1+1");
  assert.equal(csvField('+cmd'), "'+cmd");
  assert.equal(csvField('-2+3'), "'-2+3");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\t=x'), "'\t=x");
  assert.equal(csvField('=HYPERLINK("http://x","y"), z'), `"'=HYPERLINK(""http://x"",""y""), z"`);
  assert.equal(csvField('-12'), '-12');
  assert.equal(csvField('+3.5'), '+3.5');
  assert.equal(csvField(null), '');
  assert.equal(csvField(0), '0');
  assert.equal(toCsv([['a', 'b'], ['1', 'x,y']]), '\ufeffa,b\r\n1,"x,y"\r\n');
  assert.deepEqual(parseCsv(toCsv([['q"', 'n\nl', '=f']])), [['q"', 'n\nl', "'=f"]]);
  assert.equal(isoDate('5 Dec 2026'), '2026-12-05');
  assert.equal(isoDate('30 Sept 2027'), '2027-09-30');
  assert.equal(isoDate('in 5 days'), 'in 5 days');
});

test('the register sorts by Track, Flagged and Owner over every workload, and by the API keys', async () => {
  const all = (await call('GET', '/api/v1/workloads?limit=500&sort=name')).body.items;
  const page = await env.newPage();
  await open(page, base, '/workloads');
  assert.deepEqual(await headers(page, '.workloads-table'),
    ['Workload', 'Track', 'Status', 'Criticality', 'Monthly spend', 'Lock-in', 'Priority', 'Flagged', 'Owner']);
  // Every column has its sort button.
  assert.equal(await page.locator('.workloads-table thead th button.sort').count(), 9);

  const owners = all.map((w) => w.owner).filter(Boolean).sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true }));
  await page.locator('.workloads-table thead').getByRole('button', { name: /^Owner/ }).click();
  await open(page, base, '/workloads?sort=owner');
  assert.equal(await page.locator('.workloads-table th[aria-sort="ascending"] button').evaluate((b) => b.firstChild.textContent), 'Owner');
  const shown = await page.locator('.workloads-table tbody tr td:last-child').allInnerTexts();
  assert.deepEqual(shown.slice(0, 5), owners.slice(0, 5));
  assert.match(await page.locator('.pager-status').innerText(), new RegExp(`of ${all.length} workloads`));
  // Descending, and page 2 continues the order across pages.
  await page.locator('.workloads-table thead').getByRole('button', { name: /^Owner/ }).click();
  await page.waitForFunction(() => location.hash.includes('sort=-owner'));
  await open(page, base, '/workloads?sort=-owner');
  const desc = await page.locator('.workloads-table tbody tr td:last-child').allInnerTexts();
  assert.equal(desc[0], owners[owners.length - 1]);

  await open(page, base, '/workloads?sort=flagged');
  const flagged = await page.locator('.workloads-table tbody tr td:nth-child(8)').allInnerTexts();
  const nFlagged = all.filter((w) => w.risk.flagged).length;
  assert.ok(flagged.slice(0, Math.min(25, nFlagged)).every((t) => t === 'Flagged'), flagged.join(','));

  await open(page, base, '/workloads?sort=track&track=&status=');
  const tracks = await page.locator('.workloads-table tbody tr td:nth-child(2)').allInnerTexts();
  const order = ['Copilot', 'Azure', 'OpenAI', 'Other'];
  for (let i = 1; i < tracks.length; i++) assert.ok(order.indexOf(tracks[i - 1]) <= order.indexOf(tracks[i]), tracks.join(','));

  await open(page, base, '/workloads?sort=-monthly_spend');
  assert.equal(await page.locator('.workloads-table th[aria-sort="descending"] button').evaluate((b) => b.firstChild.textContent), 'Monthly spend');

  // Priority: sorted by the API (P1 first), and filtered.
  await open(page, base, '/workloads?sort=priority');
  const prios = await page.locator('.workloads-table tbody tr td:nth-child(7)').allInnerTexts();
  for (let i = 1; i < prios.length; i++) assert.ok(prios[i - 1] <= prios[i] || prios[i] === '—', prios.join(','));
  assert.equal(prios[0], 'P1');
  await page.selectOption('#filter-priority', 'P2');
  await page.waitForFunction(() => location.hash.includes('priority=P2') && !document.querySelector('main [aria-busy="true"]'));
  const p2 = (await call('GET', '/api/v1/workloads?priority=P2&limit=1')).body.total;
  assert.match(await page.locator('.pager-status').innerText(), new RegExp(`of ${p2} workloads`));
  const shownP2 = await page.locator('.workloads-table tbody tr td:nth-child(7)').allInnerTexts();
  assert.ok(shownP2.length > 0 && shownP2.every((t) => t === 'P2'), shownP2.join(','));
  assert.deepEqual(page.problems, []);
});

test('the register downloads as CSV with its filters, every matching row, formulas neutralised', async () => {
  const offering = (await call('GET', '/api/v1/offerings?limit=500')).body.items.find((o) => o.name === 'Azure OpenAI in Microsoft Foundry Models');
  const created = await call('POST', '/api/v1/workloads', {
    ...DECIDED, name: '@SUM(1+1) csv check, "quoted"', track: 'azure', status: 'pilot', criticality: 'low',
    purpose: 'CSV test', owner: '=HYPERLINK("http://example.invalid","x")', team: 'Line one',
    monthly_spend: 10, swap_layer: true,
    dependencies: [{ offering: offering.id, role: 'model' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const azure = (await call('GET', '/api/v1/workloads?track=azure&limit=500')).body;
  const page = await env.newPage();
  await open(page, base, '/workloads?track=azure&sort=owner');
  const rows = await downloadCsv(page, 'Workloads');
  assert.deepEqual(rows[0], ['Workload', 'Track', 'Status', 'Criticality', 'Monthly spend', 'Lock-in', 'Priority', 'Flagged', 'Owner']);
  assert.equal(rows.length - 1, azure.total, 'every Azure workload, not only the page shown');
  assert.ok(rows.slice(1).every((r) => r[1] === 'Azure' && r.length === 9));
  const mine = rows.find((r) => r[0].startsWith("'@SUM(1+1) csv check"));
  assert.ok(mine, 'the formula-like name is neutralised');
  assert.equal(mine[0], `'@SUM(1+1) csv check, "quoted" Line one`);
  assert.equal(mine[8], `'=HYPERLINK("http://example.invalid","x")`);
  assert.equal(mine[4], '$10');
  assert.match(mine[5], /^(Low|Medium|High|Critical) \d+$/);
  // The order is the one shown (owner ascending, empty owners last).
  const owners = rows.slice(1).map((r) => r[8]).filter((o) => o !== '—');
  const sorted = [...owners].sort((a, b) => a.replace(/^'/, '').localeCompare(b.replace(/^'/, ''), 'en', { sensitivity: 'base', numeric: true }));
  assert.deepEqual(owners, sorted);
  await call('DELETE', `/api/v1/workloads/${created.body.id}`);
});

test('contracts: every column sorts, days left to give notice highlighted under 30 and 90 days; CSV as shown', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const days = (d) => Math.round((Date.parse(d) - Date.parse(today)) / 86400000);
  const contracts = (await call('GET', '/api/v1/contracts?limit=500')).body.items;
  const customer = contracts.filter((k) => k.kind === 'customer' && k.notice_deadline && days(k.notice_deadline) >= 0)
    .sort((a, b) => days(a.notice_deadline) - days(b.notice_deadline));
  const page = await env.newPage();
  await open(page, base, '/contracts');
  const cols = await headers(page, '.contracts-table');
  assert.deepEqual(cols, ['Contract', 'Kind', 'Counterparty', 'Notice deadline', 'Days left to give notice', 'End date',
    'Annual value', 'Committed', 'Auto-renews', 'Exclusive', 'Substitutability']);
  assert.equal(await page.locator('.contracts-table thead th button.sort').count(), cols.length);

  await page.locator('.contracts-table thead').getByRole('button', { name: /^Days left/ }).click();
  await page.waitForFunction(() => location.hash.includes('sort=days_left'));
  await open(page, base, '/contracts?sort=days_left');
  const first = page.locator('.contracts-table tbody tr').first();
  assert.equal(await first.locator('th').innerText(), customer[0].name);
  const n = days(customer[0].notice_deadline);
  const cell = await first.locator('td:nth-child(5)').textContent();
  assert.ok(cell.startsWith(`${n} days`), cell);
  if (n < 30) assert.match(cell, /under 30$/);
  else if (n < 90) assert.match(cell, /under 90$/);
  for (const k of customer.slice(0, 6)) {
    const d = days(k.notice_deadline);
    const row = page.locator('.contracts-table tbody tr', { has: page.locator('th', { hasText: k.name }) }).first();
    const cls = (await row.getAttribute('class')) || '';
    if (d < 30) assert.match(cls, /\bdue-30\b/, k.name);
    else if (d < 90) assert.match(cls, /\bdue-90\b/, k.name);
    else assert.doesNotMatch(cls, /due-/, k.name);
  }
  // The demo's GitHub deadline (22 days) reads "under 30" in words, not only in red.
  assert.ok(customer.some((k) => days(k.notice_deadline) < 30));
  assert.ok(await page.locator('.contracts-table tbody tr.due-30 .due-note', { hasText: 'under 30' }).count() >= 1);

  // End date, descending.
  await open(page, base, '/contracts?sort=-end_date');
  const ends = await page.locator('.contracts-table tbody tr td:nth-child(6)').allInnerTexts();
  const parsed = ends.filter((e) => e !== '—').map((e) => Date.parse(`${e} UTC`));
  for (let i = 1; i < parsed.length; i++) assert.ok(parsed[i - 1] >= parsed[i], ends.join(', '));
  // Dates on screen read one way ("5 Dec 2026").
  for (const e of ends) assert.match(e, /^(\d{1,2} [A-Z][a-z]{2,3} \d{4}|—)$/);

  // CSV of the customer contracts as shown: same columns, the filter applied, dates as ISO.
  await page.selectOption('#contracts-kind', 'customer');
  await page.locator('.contracts-table').waitFor();
  await page.waitForFunction(() => location.hash.includes('kind=customer') && !document.querySelector('main [aria-busy="true"]'));
  const rows = await downloadCsv(page, 'Contracts');
  assert.deepEqual(rows[0], cols);
  assert.equal(rows.length - 1, contracts.filter((k) => k.kind === 'customer').length);
  assert.ok(rows.slice(1).every((r) => r[1] === 'Customer'));
  for (const r of rows.slice(1)) assert.match(r[5], /^(\d{4}-\d{2}-\d{2}|—)$/, r.join('|'));
  assert.deepEqual(page.problems, []);
});

test('every other table offers its CSV (rows as shown)', async () => {
  const page = await env.newPage();
  await open(page, base, '/');
  const rows = await downloadCsv(page, 'Flagged workloads');
  const summary = (await call('GET', '/api/v1/portfolio/summary')).body;
  assert.deepEqual(rows[0], ['Workload', 'Track', 'Criticality', 'Lock-in', 'Top reason']);
  assert.equal(rows.length - 1, summary.flagged.length);
  assert.equal(rows[1][0], summary.flagged[0].name);
  // A chart's data table too.
  await page.locator('#spend-track summary').click();
  const tracks = await downloadCsv(page, 'Monthly spend by strategy track (data table)');
  assert.deepEqual(tracks[0], ['Track', 'Monthly spend', 'Share', 'Workloads']);
  assert.deepEqual(tracks.slice(1).map((r) => r[0]), ['Copilot', 'Azure', 'OpenAI', 'Other']);
  assert.equal(Number(tracks[2][1].replace(/[^0-9.]/g, '')), summary.spend.by_track.azure);
  assert.deepEqual(page.problems, []);
});
