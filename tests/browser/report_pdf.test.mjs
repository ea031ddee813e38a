// report_pdf.test.mjs - the governance report's HTML printed to an A4 PDF by
// headless Chromium: it loads with no script and no console error; every
// section is there with its text; no table (and no cell) is wider than the
// A4 printable width when print media is emulated; in the PDF (read with
// pdftotext from poppler-utils) each section starts a page, the appendix's
// table header is repeated on every page it spans, and the figures are the
// dashboard's (GET /portfolio/summary). The PDF is kept for reviewers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setup, api, SHOTS } from './browser.mjs';

// A4 is 210 mm wide; the report's @page margins are 14 mm on each side.
const PRINTABLE_PX = Math.floor(((210 - 2 * 14) / 25.4) * 96);   // 687 CSS px
const SECTIONS = [
  ['summary', '1. Executive summary'],
  ['track-copilot', '2. Copilot strategy'],
  ['track-azure', '3. Azure strategy'],
  ['track-openai', '4. OpenAI strategy'],
  ['track-other', '5. Other vendors'],
  ['flagged', '6. Flagged workloads'],
  ['findings', '7. Findings to act on'],
  ['compliance', '8. Compliance findings'],
  ['accepted', '9. Accepted risks and catalogue freshness'],
  ['ai-act', '10. EU AI Act deployer register'],
  ['concentration', '11. Concentration per layer'],
  ['deadlines', '12. Contract notice deadlines in the next 12 months'],
  ['upstream', '13. Upstream terms and the workloads that depend on them'],
  ['changes', '14. Changes since the given date'],
  ['appendix-workloads', '15. Appendix A: Workloads'],
  ['appendix-contracts', '16. Appendix B: Contracts'],
  ['appendix-offerings', '17. Appendix C: Offerings'],
  ['appendix-vendors', '18. Appendix D: Vendors'],
];
const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;
let env;
let html;
let summary;
let page;
let pdfPath;

const money = (v) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pageText = (p) => execFileSync('pdftotext', ['-layout', '-f', String(p), '-l', String(p), pdfPath, '-'], { encoding: 'utf8' });
// The running header ("Northwind Mutual · AI governance report ... Data as
// of DATE") is every page's first line; the page's own text starts after it.
const RUNNING_HEAD = /^Northwind Mutual · AI governance report\s+Data as of \d{4}-\d{2}-\d{2}$/;
const lines = (text) => text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
const firstLine = (text) => lines(text).find((l) => !RUNNING_HEAD.test(l)) || '';

before(async () => {
  env = await setup();
  const r = await api(env.srv.base, 'GET', '/api/v1/reports/governance?format=html&since=2000-01-01');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  html = r.body;
  summary = (await api(env.srv.base, 'GET', '/api/v1/portfolio/summary')).body;
  page = await env.newPage({ viewport: { width: PRINTABLE_PX, height: 1000 } });
  // No network: the document must stand alone.
  const requests = [];
  page.on('request', (q) => requests.push(q.url()));
  await page.setContent(html, { waitUntil: 'load' });
  page.requests = requests;
  await page.emulateMedia({ media: 'print' });
  mkdirSync(SHOTS, { recursive: true });
  pdfPath = join(SHOTS, 'governance-report-a4.pdf');
  await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
});
after(async () => { await env?.close(); });

test('the HTML stands alone: no script, no request, no console error', async () => {
  assert.ok(!/<script/i.test(html));
  assert.deepEqual(page.requests.filter((u) => !u.startsWith('data:') && u !== 'about:blank'), []);
  assert.deepEqual(page.problems, []);
  assert.equal(await page.evaluate(() => document.scripts.length), 0);
});

test('every section is there with its text', async () => {
  const found = await page.evaluate(() => [...document.querySelectorAll('main > section')].map((s) => ({
    id: s.id, heading: s.querySelector('h2').textContent, text: s.innerText.length,
    breakBefore: getComputedStyle(s).breakBefore,
  })));
  assert.deepEqual(found.map((s) => [s.id, s.heading]), SECTIONS);
  for (const s of found) {
    assert.ok(s.text > 200, `${s.id} has content (${s.text} characters)`);
    assert.equal(s.breakBefore, 'page', `${s.id} starts a page`);
  }
  const cover = await page.evaluate(() => document.querySelector('#cover').innerText);
  assert.match(cover, /Northwind Mutual/);
  assert.match(cover, /Audit head/);
  assert.match(cover, /Single group stack/, 'factors by name, not code');
  assert.match(cover, /Classification\s+Confidential: internal and supervisory use/);
  assert.match(cover, /Amounts in\s+USD/);
  // Table headers repeat on every page a table spans.
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('thead')).display), 'table-header-group');
});

test('the executive summary opens with the portfolio in words, its figures the dashboard\'s', async () => {
  const brief = await page.evaluate(() => document.querySelector('#summary .brief').innerText);
  const c = summary.counts;
  assert.ok(brief.includes(`${c.active} of ${c.workloads} registered AI workloads are active (${c.status.production} in production, ${c.status.pilot} in pilot)`), brief);
  assert.ok(brief.includes(`The active ones spend USD ${money(summary.spend.monthly_total)} a month.`));
  assert.ok(brief.includes(`${c.flagged} active workloads are flagged for action`));
  assert.ok(brief.includes(`The most exposed: ${summary.flagged[0].name} (`));
  // The decisions: the contract notice deadlines of the next 90 days, first ones named.
  const due = (await api(env.srv.base, 'GET', '/api/v1/portfolio/summary')).body;
  assert.ok(due);
  assert.match(brief, /Decisions needed: \d+ contract notice deadlines? falls? in the next 90 days/);
  assert.match(brief, /By \d{4}-\d{2}-\d{2} \(\d+ days\): GitHub Enterprise Cloud with Copilot Enterprise with GitHub renews by itself for 12 months unless notice is given/);
});

test('axe-core: the exported HTML has no violation (WCAG A/AA and best practice)', async () => {
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.length, first: v.nodes[0]?.target.join(' ') }));
  });
  assert.deepEqual(result, []);
});

test('no table is wider than the A4 printable width', async () => {
  const tables = await page.evaluate(() => [...document.querySelectorAll('table')].map((t) => ({
    caption: (t.closest('section, header')?.id || '') + ' ' + (t.caption?.textContent || t.rows[0]?.textContent || '').slice(0, 40),
    scroll: t.scrollWidth, parent: t.parentElement.clientWidth,
    cells: [...t.querySelectorAll('td, th')].filter((c) => c.scrollWidth > c.clientWidth + 1).length,
  })));
  assert.ok(tables.length > 30, `${tables.length} tables`);
  for (const t of tables) {
    assert.ok(t.scroll <= PRINTABLE_PX, `${t.caption}: ${t.scroll} px > ${PRINTABLE_PX} px`);
    assert.ok(t.scroll <= t.parent + 1, `${t.caption} overflows its container`);
    assert.equal(t.cells, 0, `${t.caption}: cells overflow`);
  }
  const svgs = await page.evaluate(() => [...document.querySelectorAll('svg')].map((s) => s.getBoundingClientRect().width));
  assert.ok(svgs.length >= 3);
  for (const w of svgs) assert.ok(w <= PRINTABLE_PX);
});

test('the A4 PDF: sections on their own pages, headers repeated, the dashboard\'s figures', { skip: !hasPoppler && 'pdftotext (poppler-utils) is not installed' }, () => {
  const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
  assert.match(info, /Page size:\s+59[56]\.\d+ x 84[12]\.\d+ pts \(A4\)/);
  const pages = Number(info.match(/Pages:\s+(\d+)/)[1]);
  assert.ok(pages > SECTIONS.length);
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  for (const [, heading] of SECTIONS) assert.ok(text.includes(heading), heading);
  // The overview's figures.
  assert.ok(text.includes('Northwind Mutual'));
  assert.ok(text.includes(money(summary.spend.monthly_total)), `total spend ${money(summary.spend.monthly_total)}`);
  assert.ok(text.includes(`${summary.counts.flagged} active workloads are flagged`));
  for (const layer of ['provider', 'publisher', 'host']) {
    assert.ok(text.includes(summary.concentration[layer].hhi.toLocaleString('en-US')), `${layer} HHI`);
  }
  // Each section begins a page; the workloads appendix repeats its header.
  const first = [];
  for (let p = 1; p <= pages; p++) first.push(firstLine(pageText(p)));
  const startPage = {};
  for (const [id, heading] of SECTIONS) {
    const p = first.findIndex((l) => l === heading);
    assert.ok(p >= 0, `a page starts with "${heading}"`);
    startPage[id] = p;
  }
  // Every page: the running header, the classification mark and "Page N of M"
  // in the footer; no page is empty or holds a stray line (each has at least
  // three lines of its own besides the header and footer).
  for (let p = 1; p <= pages; p++) {
    const t = pageText(p);
    assert.match(lines(t)[0], RUNNING_HEAD, `page ${p} header`);
    assert.match(t, new RegExp(`Confidential: internal and supervisory use\\s+Page ${p} of ${pages}`), `page ${p} footer`);
    assert.ok(lines(t).length >= 5, `page ${p} is nearly empty: ${JSON.stringify(lines(t))}`);
  }
  // The cover and the executive summary as pictures, for reviewers.
  execFileSync('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '2', pdfPath, join(SHOTS, 'governance-report-page')]);
  const from = startPage['appendix-workloads'] + 1;
  const to = startPage['appendix-contracts'];
  assert.ok(to - from >= 1, 'the workloads appendix spans several pages');
  for (let p = from; p < to; p++) assert.match(first[p], /^ID\s+Workload\s+Track\s+Status/, `page ${p + 1} repeats the header`);
});
