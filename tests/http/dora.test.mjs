// dora.test.mjs - the DORA register of information (issue 17) on the demo
// portfolio: the plain CSV templates (unzipped with Info-ZIP's unzip and
// read with csv-parse) carry exactly the official column codes, one row per
// contract, provider (with the subcontracting chain) and function as the
// API's own data counts them; the xBRL-CSV package's structure,
// report.json, parameters.csv and filing indicators; the validation report
// names the demo's deliberate gaps and invents nothing; formula-like text is
// neutralised; viewers get 403; each export is audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { startServer, api } from './harness.mjs';

const TODAY = '2026-05-04';
let srv, work, auditor, viewer;
let n = 0;

// The column codes of each template, written out here once more (the C
// table is server/core/dora_templates.c; tests/unit/test_dora.c checks it).
const c = (...k) => k.map((x) => `c${String(x).padStart(4, '0')}`);
const range = (to) => c(...Array.from({ length: to / 10 }, (_, i) => (i + 1) * 10));
const CODES = {
  'b_01.01': range(60), 'b_01.02': range(110), 'b_01.03': range(40), 'b_02.01': range(50),
  'b_02.02': range(180), 'b_03.01': range(30), 'b_03.02': range(30), 'b_03.03': c(10, 20, 31),
  'b_04.01': range(40), 'b_05.01': range(120), 'b_05.02': range(70), 'b_06.01': range(100),
  'b_07.01': range(120),
};

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const get = (path, token) => fetch(srv.base + path, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  .then(async (r) => ({ status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) }));

function unzip(bytes) {
  const k = ++n;
  const file = join(work, `p-${k}.zip`);
  const into = join(work, `x-${k}`);
  writeFileSync(file, bytes);
  execFileSync('unzip', ['-q', file, '-d', into]);
  const [top] = readdirSync(into);
  return { dir: join(into, top), top, all: readdirSync(into) };
}
const rows = (file) => parse(readFileSync(file), { relax_column_count: false });

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'switchyard-dora-'));
  srv = await startServer({ env: { SWITCHYARD_TODAY: TODAY } });
  auditor = await srv.tokenFor('auditor');
  viewer = await srv.tokenFor('viewer');
});
after(async () => { await srv?.stop(); rmSync(work, { recursive: true, force: true }); });

// What the register should hold, counted from the API's own answers.
async function expected() {
  const all = async (coll) => (await api(srv.base, 'GET', `/api/v1/${coll}${coll.includes('?') ? '&' : '?'}limit=500`)).body.items;
  const [contracts, offerings, vendors, workloads] = await Promise.all(
    ['contracts?kind=customer', 'offerings', 'vendors', 'workloads'].map(all));
  const vendor = new Map(vendors.map((v) => [v.id, v]));
  const offering = new Map(offerings.map((o) => [o.id, o]));
  const active = workloads.filter((w) => ['pilot', 'production'].includes(w.status));
  const providers = new Set();
  let chain = 0, specific = 0;
  for (const k of contracts) {
    providers.add(k.counterparty);
    const group = vendor.get(k.counterparty).group.id;
    const subs = new Set();
    for (const id of k.offerings) {
      const o = offering.get(id);
      for (const v of [o.publisher, o.host]) if (v && vendor.get(v).group.id !== group) subs.add(v);
    }
    subs.forEach((v) => providers.add(v));
    chain += 1 + subs.size;
    const fns = new Set(active.filter((w) => w.dependencies.some((d) => k.offerings.includes(d.offering)))
      .map((w) => w.function_id).filter(Boolean));
    specific += Math.max(1, fns.size);
  }
  const functions = new Set(active.map((w) => w.function_id).filter(Boolean));
  return { contracts, providers: providers.size, chain, specific, functions: functions.size, active };
}

test('CSV templates: exactly the official column codes, rows as the data counts them', async () => {
  const r = await get('/api/v1/reports/dora?format=csv-zip', auditor);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/zip');
  assert.equal(r.headers.get('content-disposition'), `attachment; filename="dora-register-${TODAY}.zip"`);
  const { dir, top, all } = unzip(r.bytes);
  assert.deepEqual(all, [top], 'one top directory');
  assert.equal(top, `dora-register-${TODAY}`);
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, [...Object.keys(CODES).map((t) => `${t}.csv`), 'README.txt',
    'validation.csv', 'validation.json'].sort());
  const t = {};
  for (const [name, codes] of Object.entries(CODES)) {
    t[name] = rows(join(dir, `${name}.csv`));
    assert.deepEqual(t[name][0], codes, `${name} header`);
  }
  const e = await expected();
  assert.equal(e.contracts.length, 11);
  const count = (name) => t[name].length - 1;
  assert.equal(count('b_01.01'), 1);
  assert.equal(count('b_01.02'), 1);
  assert.equal(count('b_01.03'), 0);
  for (const name of ['b_02.01', 'b_03.01', 'b_03.02', 'b_04.01', 'b_07.01'])
    assert.equal(count(name), e.contracts.length, name);
  assert.equal(count('b_03.03'), 0);
  assert.equal(count('b_02.02'), e.specific);
  assert.equal(count('b_05.01'), e.providers);
  assert.equal(count('b_05.02'), e.chain);
  assert.equal(count('b_06.01'), e.functions);
  assert.equal(e.functions, 6);

  // The entity: the settings, its fictional LEI left empty.
  assert.deepEqual(t['b_01.01'][1], ['', 'Northwind Mutual', 'eba_GA:DE', 'eba_CT:x309', 'BaFin', TODAY]);
  // B_02.01 rows: reference, standalone, currency, whole units of the annual value.
  const okta = e.contracts.find((k) => k.name.startsWith('Okta'));
  const row = t['b_02.01'].find((x) => x[0] === okta.reference);
  assert.deepEqual(row, [okta.reference, 'eba_CO:x1', '', `eba_CU:${okta.currency}`, String(Math.round(okta.annual_value))]);
  // The chain: OpenAI's and Mistral's models served by Microsoft put them
  // under Microsoft (the direct provider, LEI on file), rank 2.
  const msLei = 'INR2EJN1ERAN0W5ZP974';
  const macc = e.contracts.find((k) => k.name.startsWith('Microsoft Azure Consumption'));
  const chain = t['b_05.02'].filter((x) => x[0] === macc.reference);
  assert.deepEqual(chain[0], [macc.reference, 'eba_TA:S18', msLei, 'eba_qCO:qx2000', '1', '', '']);
  assert.equal(chain.length, 3, 'OpenAI and Mistral AI under Microsoft');
  for (const x of chain.slice(1)) assert.deepEqual([x[4], x[5], x[6]], ['2', msLei, 'eba_qCO:qx2000']);
  // OpenAI models on Amazon Bedrock: OpenAI (and Anthropic) under Amazon Web
  // Services, whose own LEI is not on file: the codes stay empty.
  const aws = e.contracts.find((k) => k.name.startsWith('AWS'));
  const awsChain = t['b_05.02'].filter((x) => x[0] === aws.reference);
  assert.deepEqual(awsChain.map((x) => x[4]), ['1', '2', '2']);
  assert.deepEqual(awsChain[0].slice(2, 4), ['', '']);
  // Functions: F01..F06, claims handling critical with its RTO and RPO.
  const f01 = t['b_06.01'].find((x) => x[0] === 'F01');
  assert.deepEqual([f01[2], f01[4], f01[7], f01[8]], ['Claims handling', 'eba_BT:x28', '24', '4']);
  // B_07.01: substitutability hard with its reason; alternatives derived from workloads.
  const a = t['b_07.01'].find((x) => x[0] === macc.reference);
  assert.deepEqual(a.slice(3, 6), ['eba_TA:S18', 'eba_ZZ:x960', 'eba_ZZ:x964']);
  assert.equal(a[7], 'eba_BT:x28', 'an exit plan exists');
  assert.equal(a[10], 'eba_BT:x28', 'alternatives are named on its workloads');
  assert.ok(a[11].length > 0);
  // README cites the ITS.
  assert.match(readFileSync(join(dir, 'README.txt'), 'utf8'), /eur-lex\.europa\.eu\/eli\/reg_impl\/2024\/2956/);
});

test('validation report: the deliberate gaps, per template and row; nothing invented', async () => {
  const r = await api(srv.base, 'GET', '/api/v1/reports/dora?format=validation', undefined,
    { Authorization: `Bearer ${auditor}` });
  assert.equal(r.status, 200);
  const v = r.body;
  assert.equal(v.reference_date, TODAY);
  assert.equal(v.complete, false);
  assert.equal(v.total, v.issues.length);
  assert.equal(v.templates.length, 13);
  const has = (template, column, kind, subject) => v.issues.some((i) => i.template === template &&
    i.column === column && i.kind === kind && i.subject.includes(subject));
  // 1. The demo entity is fictional: no LEI.
  assert.ok(has('B_01.01', 'c0010', 'missing', 'Northwind Mutual'));
  // 2. The Google contract has no ICT service type.
  for (const [t, col] of [['B_02.02', 'c0060'], ['B_05.02', 'c0020'], ['B_07.01', 'c0040']])
    assert.ok(has(t, col, 'missing', 'Google Cloud Commit Agreement'), `${t} ${col}`);
  // 3. The Anthropic contract serves a critical function but names no governing law.
  assert.ok(has('B_02.02', 'c0120', 'missing', 'Anthropic Commercial Agreement'));
  // 4. An active workload that names no function.
  const fn = v.issues.find((i) => i.template === 'B_06.01' && i.row === 0);
  assert.match(fn.subject, /DeepSeek V4 long-context experiment/);
  // Vendors with no LEI on file are reported, not filled.
  assert.ok(has('B_05.01', 'c0010', 'missing', 'vendor OpenAI'));
  assert.ok(!has('B_05.01', 'c0010', 'missing', 'vendor Microsoft'));
  // Columns Switchyard does not model are named as such.
  assert.ok(has('B_06.01', 'c0020', 'not_modelled', 'function F01'));
  // Every issue names a real row of its template (or 0), and every cell it names is empty.
  const z = unzip((await get('/api/v1/reports/dora', auditor)).bytes);
  const inZip = JSON.parse(readFileSync(join(z.dir, 'validation.json'), 'utf8'));
  assert.deepEqual(inZip, v, 'the zip carries the same report');
  const csv = rows(join(z.dir, 'validation.csv'));
  assert.deepEqual(csv[0], ['template', 'row', 'column', 'column_name', 'kind', 'subject', 'message']);
  assert.equal(csv.length - 1, v.total);
  for (const i of v.issues) {
    if (i.row === 0) continue;
    const t = rows(join(z.dir, `${i.template.toLowerCase()}.csv`));
    const col = t[0].indexOf(i.column);
    assert.ok(col >= 0 && i.row < t.length, JSON.stringify(i));
    assert.equal(t[i.row][col], '', `${i.template} row ${i.row} ${i.column} is empty`);
  }
});

test('xBRL-CSV package: META-INF/reportPackage.json, report.json, parameters, indicators, tables', async () => {
  const r = await get('/api/v1/reports/dora?format=xbrl-csv', auditor);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/zip');
  const { dir, top, all } = unzip(r.bytes);
  assert.deepEqual(all, [top]);
  assert.deepEqual(readdirSync(dir).sort(), ['META-INF', 'reports']);
  assert.deepEqual(readdirSync(join(dir, 'META-INF')), ['reportPackage.json']);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'META-INF', 'reportPackage.json'), 'utf8')),
    { documentInfo: { documentType: 'https://xbrl.org/report-package/2023' } });
  const rep = join(dir, 'reports');
  assert.deepEqual(JSON.parse(readFileSync(join(rep, 'report.json'), 'utf8')), {
    documentInfo: { documentType: 'https://xbrl.org/2021/xbrl-csv',
      extends: ['http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json'] } });
  assert.deepEqual(rows(join(rep, 'parameters.csv')), [['name', 'value'], ['entityID', 'rs:.IND'],
    ['refPeriod', TODAY], ['baseCurrency', 'iso4217:USD'], ['decimalsInteger', '0'], ['decimalsMonetary', '0']]);
  const ind = rows(join(rep, 'FilingIndicators.csv'));
  assert.deepEqual(ind[0], ['templateID', 'reported']);
  assert.deepEqual(ind.slice(1).map((x) => x[0]), Object.keys(CODES).map((t) => t.toUpperCase()));
  assert.deepEqual(ind.find((x) => x[0] === 'B_01.03'), ['B_01.03', 'false'], 'no branches');
  assert.deepEqual(ind.find((x) => x[0] === 'B_02.02'), ['B_02.02', 'true']);
  const plain = unzip((await get('/api/v1/reports/dora?format=csv-zip', auditor)).bytes);
  for (const name of Object.keys(CODES))
    assert.deepEqual(readFileSync(join(rep, `${name}.csv`)), readFileSync(join(plain.dir, `${name}.csv`)), name);
  assert.ok(!existsSync(join(rep, 'validation.json')), 'the package holds the filing only');
});

test('roles: viewers get 403, bad formats 400; each export is audited with its SHA-256', async () => {
  const count = async () => (await api(srv.base, 'GET', '/api/v1/audit?entity=report&action=export')).body.total;
  const start = await count();
  assert.equal((await get('/api/v1/reports/dora?format=csv-zip', viewer)).status, 403);
  assert.equal((await get('/api/v1/reports/dora', null)).status, 401);
  const bad = await api(srv.base, 'GET', '/api/v1/reports/dora?format=xlsx');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].parameter, 'format');
  assert.equal((await api(srv.base, 'GET', '/api/v1/reports/dora?since=2026-01-01')).status, 400);
  assert.equal(await count(), start, 'refused exports are not recorded');
  const r = await get('/api/v1/reports/dora?format=xbrl-csv', auditor);
  assert.equal(r.status, 200);
  assert.equal(await count(), start + 1);
  const ev = (await api(srv.base, 'GET', '/api/v1/audit?entity=report&action=export&limit=1')).body.items[0];
  assert.match(ev.actor, /auditor$/);
  assert.equal(ev.after.report, 'dora');
  assert.equal(ev.after.format, 'xbrl-csv');
  assert.equal(ev.after.document_sha256, sha256(r.bytes));
});

test('formula-like text and quotes are neutralised and survive the CSV round trip', async () => {
  const list = (await api(srv.base, 'GET', '/api/v1/contracts?kind=customer&limit=500')).body.items;
  const k = list.find((x) => x.name.startsWith('Mistral'));
  const ref = '=HYPERLINK("http://evil.example","x"), 東京';
  const p = await api(srv.base, 'PATCH', `/api/v1/contracts/${k.id}`, { reference: ref },
    { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  const w = (await api(srv.base, 'GET', '/api/v1/workloads?limit=500')).body.items
    .find((x) => x.function_id === 'F05');
  const q = await api(srv.base, 'PATCH', `/api/v1/workloads/${w.id}`, { function_name: '@SUM(1,2) "quoted"' },
    { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(q.status, 200, JSON.stringify(q.body));
  const { dir } = unzip((await get('/api/v1/reports/dora', auditor)).bytes);
  for (const name of ['b_02.01', 'b_02.02', 'b_03.01', 'b_05.02', 'b_07.01'])
    assert.ok(rows(join(dir, `${name}.csv`)).some((x) => x[0] === `'${ref}`), name);
  assert.ok(!readFileSync(join(dir, 'b_02.01.csv'), 'utf8').includes(`\n${ref}`));
  const f05 = rows(join(dir, 'b_06.01.csv')).find((x) => x[0] === 'F05');
  assert.equal(f05[2], '\'@SUM(1,2) "quoted"');
});

test('the signed governance bundle carries the register, each file in the manifest', async () => {
  const r = await get('/api/v1/reports/governance?format=bundle', auditor);
  assert.equal(r.status, 200);
  const k = ++n;
  const file = join(work, `bundle-${k}.tar.gz`);
  const into = join(work, `b-${k}`);
  writeFileSync(file, r.bytes);
  execFileSync('mkdir', ['-p', into]);
  execFileSync('tar', ['-xzf', file, '-C', into]);
  const [top] = readdirSync(into);
  const dir = join(into, top);
  const manifest = new Map(readFileSync(join(dir, 'manifest-sha256.txt'), 'utf8').trim().split('\n')
    .map((l) => l.split('  ').reverse()));
  const plain = unzip((await get('/api/v1/reports/dora', auditor)).bytes);
  for (const name of Object.keys(CODES)) {
    const bytes = readFileSync(join(dir, `dora-${name}.csv`));
    assert.equal(manifest.get(`dora-${name}.csv`), sha256(bytes), name);
    assert.deepEqual(bytes, readFileSync(join(plain.dir, `${name}.csv`)), name);
  }
  for (const name of ['dora-validation.json', 'dora-validation.csv'])
    assert.equal(manifest.get(name), sha256(readFileSync(join(dir, name))), name);
  // The bundle still verifies, DORA files included.
  const v = await fetch(`${srv.base}/api/v1/reports/verify`, { method: 'POST', body: r.bytes,
    headers: { Authorization: `Bearer ${auditor}`, 'Content-Type': 'application/gzip' } });
  assert.equal(v.status, 200);
  assert.equal((await v.json()).verified, true);
});
