// reports.test.mjs - the governance report: its JSON model against the
// dashboard's own answers and hand-computed figures; the CSV files through
// a real CSV parser (csv-parse), with every formula prefix neutralised; the
// signed bundle checked by Debian's sha256sum and minisign and by
// `switchyard report verify`, and each failing after one byte changes; two
// exports of unchanged data differing only in report-info.txt's time and the
// signature; the command line writing the API's bytes; roles and the audit
// trail. The data is made here, so every expected value is known by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { startServer, api, BIN, sql, freshDb, dbArgs, DECIDED, clockFile } from './harness.mjs';

const TODAY = '2026-05-04';
// The servers' and the command line's wall clock (SWITCHYARD_NOW=@FILE):
// the instant in CLOCK, which a test moves on instead of sleeping.
const CLOCK = clockFile();
const setClock = (instant) => writeFileSync(CLOCK, `${instant}\n`);
setClock(`${TODAY}T10:00:00Z`);
const ENV = { SWITCHYARD_TODAY: TODAY, SWITCHYARD_NOW: `@${CLOCK}` };
let srv;
let work;            // scratch directory for bundles
let vendorName;
const W = {};        // workload ids by key

// Cell values chosen to need quoting, to be non-ASCII, or to look like formulas.
const VENDOR = 'Acme, "Cloud" Ltd — Zürich ✓';
const NAMES = {
  plain: 'Claims, "triage" — 東京 ✓',
  eq: '=HYPERLINK("http://evil.example","click")',
  plus: '+SUM(1,2)',
  minus: '-2+3',
  at: '@cmd',
  tab: 'Tab purpose',
  cr: 'CR purpose',
};
const PURPOSE = 'Line 1\nLine 2, with "quotes"\nZeile 3: Grüße';
const ORG = 'Zürich Rück, "AG"';

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
// These tests run the command line synchronously (spawnSync), which blocks
// the event loop past the server's 5 s keep-alive timeout; a turn of the
// loop before each request lets the client see the idle connections the
// server closed meanwhile, instead of reusing one ("other side closed").
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
const req = async (method, path, body, headers) => { await turn(); return api(srv.base, method, path, body, headers); };

// Downloads raw bytes (the admin token unless another is given).
async function download(path, token = srv.token) {
  await turn();
  const res = await fetch(srv.base + path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

let bundles = 0;
// Writes a bundle to disk and extracts it; returns {file, dir} (dir holds the files).
function extract(bytes) {
  const n = ++bundles;
  const file = join(work, `bundle-${n}.tar.gz`);
  const into = join(work, `x-${n}`);
  writeFileSync(file, bytes);
  mkdirSync(into);
  execFileSync('tar', ['-xzf', file, '-C', into]);
  const [top] = readdirSync(into);
  return { file, dir: join(into, top), top };
}

// Writes a .zip to disk and extracts it with Info-ZIP's unzip; returns {dir, top}.
function extractZip(bytes) {
  const n = ++bundles;
  const file = join(work, `tables-${n}.zip`);
  const into = join(work, `z-${n}`);
  writeFileSync(file, bytes);
  execFileSync('unzip', ['-q', file, '-d', into]);
  const [top] = readdirSync(into);
  return { dir: join(into, top), top };
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...ENV }, ...opts });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const publicKeyLine = async () => (await (await fetch(`${srv.base}/api/v1/reports/public-key`)).text()).split('\n')[1];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'switchyard-reports-'));
  srv = await startServer({ demo: false, env: ENV });
  sql(srv.db, `INSERT INTO settings(key, value) VALUES ('organisation', '${ORG}') ON CONFLICT(key) DO UPDATE SET value = excluded.value;`);
  const v = await req('POST', '/api/v1/vendors', { name: VENDOR, country: 'CH' });
  assert.equal(v.status, 201, JSON.stringify(v.body));
  vendorName = v.body.name;
  const o = await req('POST', '/api/v1/offerings', {
    name: 'Acme model API', provider: v.body.id, publisher: v.body.id, host: v.body.id,
    track: 'other', category: 'model_api', interface: 'openai_compatible',
  });
  assert.equal(o.status, 201, JSON.stringify(o.body));
  const base = { ...DECIDED, track: 'other', status: 'production', criticality: 'high', swap_layer: true,
    dependencies: [{ offering: o.body.id, role: 'model' }] };
  // Monthly spend: 1,000.25 + 500 + 0 * 5 = 1,500.25 in total.
  const specs = {
    plain: { purpose: PURPOSE, monthly_spend: 1000.25 },
    eq: { monthly_spend: 500 },
    plus: {}, minus: {}, at: {},
    tab: { purpose: '\tstarts with a tab' },
    cr: { purpose: '\rstarts with a carriage return' },
  };
  for (const [key, extra] of Object.entries(specs)) {
    const r = await req('POST', '/api/v1/workloads', { ...base, name: NAMES[key], monthly_spend: 0, ...extra });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    W[key] = r.body.id;
  }
});

after(async () => {
  await srv?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  rmSync(dirname(CLOCK), { recursive: true, force: true });
});

test('JSON: the complete model, in a stable order, with the dashboard\'s figures', async () => {
  const head = (await req('GET', '/api/v1/audit/head')).body;
  const r = await download('/api/v1/reports/governance?format=json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('content-disposition'), `attachment; filename="governance-report-${TODAY}.json"`);
  const text = r.bytes.toString('utf8');
  const m = JSON.parse(text);
  assert.deepEqual(Object.keys(m), ['report', 'format_version', 'cover', 'summary', 'tracks', 'flagged', 'findings',
    'concentration', 'deadlines', 'upstream_terms', 'changes', 'since_review', 'ai_act', 'appendices', 'evidence']);
  assert.deepEqual(Object.keys(m.cover), ['title', 'organisation', 'classification', 'currency', 'as_of',
    'generated_at', 'generated_by', 'software', 'since', 'audit_head', 'risk_model']);
  assert.equal(m.cover.organisation, ORG);
  // No classification or currency setting here: the default mark, no currency.
  assert.equal(m.cover.classification, 'Internal');
  assert.equal(m.cover.currency, null);
  assert.equal(m.cover.as_of, TODAY);
  assert.match(m.cover.generated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(m.cover.generated_by, /^token:\d+:tester$/);
  // The data's last change is the last workload created: the trail's head.
  assert.deepEqual({ seq: m.cover.audit_head.seq, hash: m.cover.audit_head.hash }, head);
  assert.deepEqual(m.cover.risk_model.weights, { single_group_stack: 25, no_swap_layer: 20,
    proprietary_interface: 15, contract_lock: 15, no_proven_alternative: 10, horizon: 10, data_gravity: 5 });
  assert.equal(m.changes, null);

  // The executive summary and the track sections are what the dashboard shows.
  assert.deepEqual(m.summary, (await req('GET', '/api/v1/portfolio/summary')).body);
  assert.deepEqual(m.tracks.map((t) => t.track), ['copilot', 'azure', 'openai', 'other']);
  for (const t of m.tracks) assert.deepEqual(t, (await req('GET', `/api/v1/strategies/${t.track}`)).body);

  // By hand: 7 active workloads; spend 1,000.25 + 500 = 1,500.25, all of it
  // with one provider group, so HHI = (100 x 1)^2 = 10,000, one effective provider.
  assert.equal(m.summary.counts.active, 7);
  assert.equal(m.summary.spend.monthly_total, 1500.25);
  assert.deepEqual(m.concentration.map((c) => [c.basis, c.connected]),
    [['spend', false], ['spend', true], ['workloads', false], ['workloads', true]]);
  const provider = m.concentration[0].layers.provider;
  assert.equal(provider.hhi, 10000);
  assert.equal(provider.band, 'high');
  assert.equal(provider.effective_providers, 1);
  assert.deepEqual(provider.shares.map((s) => [s.group, s.share, s.amount]), [[VENDOR, 1, 1500.25]]);
  // Workloads with risk; every vendor, offering and contract of the catalogue too.
  assert.equal(m.appendices.workloads.length, 7);
  const plain = m.appendices.workloads.find((w) => w.id === W.plain);
  assert.equal(plain.name, NAMES.plain);
  assert.equal(plain.purpose, PURPOSE);
  assert.equal(plain.monthly_spend, 1000.25);
  assert.deepEqual(plain.dependencies.map((d) => d.offering_name), ['Acme model API']);
  assert.equal(typeof plain.risk.score, 'number');
  const vendors = (await req('GET', '/api/v1/vendors?limit=500')).body;
  assert.equal(m.appendices.vendors.length, vendors.total);
  const contracts = (await req('GET', '/api/v1/contracts?limit=500')).body;
  assert.equal(m.appendices.contracts.length, contracts.total);

  // The export is in the audit trail with its format, query and hash.
  const ev = (await req('GET', '/api/v1/audit?entity=report&action=export&limit=1')).body.items[0];
  assert.equal(ev.actor, m.cover.generated_by);
  assert.equal(ev.after.format, 'json');
  assert.equal(ev.after.query, 'format=json');
  assert.equal(ev.after.document_sha256, sha256(r.bytes));
  assert.deepEqual(ev.after.audit_head, { seq: head.seq, hash: head.hash });
  assert.ok(ev.seq > head.seq, 'written after the snapshot');
});

test('CSV: one RFC 4180 file per table in a .zip, round-tripped through csv-parse, formulas neutralised', async () => {
  const r = await download('/api/v1/reports/governance?format=csv&since=2026-01-01');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/zip');
  assert.equal(r.headers.get('content-disposition'), `attachment; filename="governance-report-${TODAY}.csv.zip"`);
  const { dir, top } = extractZip(r.bytes);
  assert.equal(top, `governance-report-${TODAY}-csv`);
  // The entity tables carry every field of the entity (the descriptor that
  // also makes the OpenAPI schema), in its order: so the CSV header is the
  // schema's properties, the risk spelled out as score, level, priority,
  // flagged and factors.
  const doc = (await req('GET', '/api/openapi.json')).body;
  const fields = (schema) => Object.keys(doc.components.schemas[schema].properties)
    .flatMap((k) => (k === 'risk' ? ['risk_score', 'risk_level', 'priority', 'flagged', 'risk_factors'] : [k]));
  // Report-only computed columns of contracts (as of the report's day).
  const contractCols = fields('Contract').flatMap((k) => (k === 'notice_deadline'
    ? [k, 'active', 'current_end', 'current_notice_deadline'] : [k]));
  const headers = {
    'workloads.csv': fields('Workload'),
    'contracts.csv': contractCols,
    'offerings.csv': fields('Offering'),
    'vendors.csv': fields('Vendor'),
    'concentration.csv': ['basis', 'connected', 'layer', 'hhi', 'band', 'effective_providers',
      'layer_total', 'group', 'share', 'amount'],
    'findings.csv': ['track', 'code', 'severity', 'text', 'workload_ids', 'workloads'],
    'audit.csv': ['seq', 'at', 'actor', 'action', 'entity', 'entity_id', 'before', 'after',
      'prev_hash', 'hash'],
  };
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['README.txt', 'audit.csv', 'concentration.csv', 'contracts.csv', 'findings.csv',
    'offerings.csv', 'vendors.csv', 'workloads.csv']);
  const tables = {};
  for (const [name, header] of Object.entries(headers)) {
    const text = readFileSync(join(dir, name), 'utf8');
    assert.ok(text.endsWith('\r\n'), `${name} ends with CRLF`);
    assert.ok(!text.startsWith('\ufeff'), `${name} has no byte-order mark`);
    // A strict parser that only accepts CRLF between records.
    const rows = parse(text, { record_delimiter: '\r\n', relax_quotes: false, relax_column_count: false });
    assert.deepEqual(rows[0], header, `${name} header row`);
    tables[name] = rows.slice(1).map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]])));
  }
  // Values with commas, quotes, newlines and non-ASCII come back exactly.
  const wl = (key) => tables['workloads.csv'].find((row) => row.id === String(W[key]));
  assert.equal(wl('plain').name, NAMES.plain);
  assert.equal(wl('plain').purpose, PURPOSE);
  assert.equal(wl('plain').monthly_spend, '1000.25');
  assert.equal(wl('plain').dependencies, 'Acme model API (model)');
  assert.equal(wl('plain').swap_layer, 'true');
  // Every formula prefix (=, +, -, @, tab, CR) gets a single quote in front.
  assert.equal(wl('eq').name, `'${NAMES.eq}`);
  assert.equal(wl('plus').name, `'${NAMES.plus}`);
  assert.equal(wl('minus').name, `'${NAMES.minus}`);
  assert.equal(wl('at').name, `'${NAMES.at}`);
  assert.equal(wl('tab').purpose, "'\tstarts with a tab");
  assert.equal(wl('cr').purpose, "'\rstarts with a carriage return");
  for (const rows of Object.values(tables)) {
    for (const row of rows) {
      for (const cell of Object.values(row)) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `cell ${JSON.stringify(cell)}`);
    }
  }
  // Concentration by hand: one group with all 1,500.25 of spend, HHI 10,000.
  const prov = tables['concentration.csv'].find((row) => row.basis === 'spend' && row.connected === 'false' && row.layer === 'provider');
  assert.deepEqual(prov, { basis: 'spend', connected: 'false', layer: 'provider', hhi: '10000', band: 'high',
    effective_providers: '1', layer_total: '1500.25', group: vendorName, share: '1', amount: '1500.25' });
  const vendorRow = tables['vendors.csv'].find((row) => row.name === VENDOR);
  assert.equal(vendorRow.country, 'CH');
  // since=: the workload creations are among the changes, oldest first.
  const created = tables['audit.csv'].filter((row) => row.entity === 'workload' && row.action === 'create');
  assert.deepEqual(created.map((row) => Number(row.entity_id)), Object.values(W));
  assert.equal(JSON.parse(created[0].after).name, NAMES.plain);
  // The bundle carries the same tables, and its JSON is the same model (its
  // time is in report-info.txt).
  const b = extract((await download('/api/v1/reports/governance?format=bundle&since=2026-01-01')).bytes);
  assert.equal(readFileSync(join(b.dir, 'workloads.csv'), 'utf8'), readFileSync(join(dir, 'workloads.csv'), 'utf8'));
  const model = JSON.parse(readFileSync(join(b.dir, 'governance-report.json'), 'utf8'));
  assert.equal(model.cover.generated_at, null);
  assert.equal(model.cover.since, '2026-01-01');
  assert.equal(model.changes.count, tables['audit.csv'].length);
  assert.equal(model.appendices.workloads.length, tables['workloads.csv'].length);
});

test('bundle: sha256sum -c and minisign -Vm pass, and fail after one byte changes; report verify agrees', async () => {
  const pub = await fetch(`${srv.base}/api/v1/reports/public-key`);   // no credentials
  assert.equal(pub.status, 200);
  assert.match(pub.headers.get('content-type'), /^text\/plain/);
  const pubText = await pub.text();
  assert.match(pubText, /^untrusted comment: minisign public key [0-9A-F]{16}\nRW[A-Za-z0-9+/]{54}\n$/);
  // The key pair lives beside the database, the secret readable by the owner only.
  assert.equal(readFileSync(join(srv.dir, 'report-signing.pub'), 'utf8'), pubText);
  assert.equal(statSync(join(srv.dir, 'report-signing.key')).mode & 0o777, 0o600);
  const key = pubText.split('\n')[1];

  const r = await download('/api/v1/reports/governance?format=bundle');
  assert.equal(r.status, 200);
  const { file, dir } = extract(r.bytes);
  const manifest = readFileSync(join(dir, 'manifest-sha256.txt'), 'utf8');
  // Every file but the manifest and its signature is listed, in name order.
  // The DORA register of the same data rides along (dora.test.mjs checks it).
  const dora = ['01.01', '01.02', '01.03', '02.01', '02.02', '03.01', '03.02', '03.03', '04.01',
    '05.01', '05.02', '06.01', '07.01'].map((t) => `dora-b_${t}.csv`).concat('dora-validation.csv', 'dora-validation.json');
  assert.deepEqual(manifest.trim().split('\n').map((l) => l.slice(66)), ['README.txt', 'ai-act-register.csv', 'ai-bom.cdx.json', 'audit.csv',
    'concentration.csv', 'contracts.csv', ...dora, 'findings.csv', 'governance-report.html', 'governance-report.json',
    'offerings.csv', 'report-info.txt', 'report-signing.pub', 'vendors.csv', 'workloads.csv']);
  assert.equal(run('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: dir }).code, 0);
  const ms = run('minisign', ['-Vm', 'manifest-sha256.txt', '-P', key], { cwd: dir });
  assert.equal(ms.code, 0, ms.out);
  assert.match(ms.out, /Signature and comment signature verified/);
  assert.match(ms.out, /Trusted comment: timestamp:\d+\tfile:manifest-sha256\.txt\thashed/);
  // The published .pub file works as well (minisign -p).
  writeFileSync(join(work, 'published.pub'), pubText);
  assert.equal(run('minisign', ['-Vm', 'manifest-sha256.txt', '-p', join(work, 'published.pub')], { cwd: dir }).code, 0);
  const ok = run(BIN, ['report', 'verify', file, ...dbArgs(srv.db)]);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /signature: OK/);
  assert.match(ok.out, /audit head: OK \(event \d+ is part of the verified chain/);
  assert.match(ok.out, /: verified\n$/);
  // On another machine: no database, the published key.
  const away = run(BIN, ['report', 'verify', file, '--db', join(work, 'no-such.db'), '--public-key', join(work, 'published.pub')]);
  assert.equal(away.code, 0, away.out);
  assert.match(away.out, /audit head: not checked/);

  // One byte of one CSV: the manifest no longer matches.
  const csvBroken = join(work, 'csv-broken');
  cpSync(dir, csvBroken, { recursive: true });
  const csvPath = join(csvBroken, 'workloads.csv');
  const bytes = readFileSync(csvPath);
  bytes[10] ^= 0x01;
  writeFileSync(csvPath, bytes);
  const shaBad = run('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: csvBroken });
  assert.notEqual(shaBad.code, 0);
  assert.match(shaBad.out, /workloads\.csv: FAILED/);
  const tarBad = join(work, 'csv-broken.tar.gz');
  execFileSync('tar', ['-czf', tarBad, '-C', work, 'csv-broken']);
  const verBad = run(BIN, ['report', 'verify', tarBad, ...dbArgs(srv.db)]);
  assert.equal(verBad.code, 1, verBad.out);
  assert.match(verBad.out, /workloads\.csv: FAILED/);
  assert.match(verBad.out, /NOT verified/);

  // One byte of the manifest: the signature no longer matches.
  const manBroken = join(work, 'manifest-broken');
  cpSync(dir, manBroken, { recursive: true });
  const manPath = join(manBroken, 'manifest-sha256.txt');
  const mb = readFileSync(manPath);
  mb[3] = mb[3] === 0x30 ? 0x31 : 0x30;
  writeFileSync(manPath, mb);
  assert.notEqual(run('minisign', ['-Vm', 'manifest-sha256.txt', '-P', key], { cwd: manBroken }).code, 0);
  const tarMan = join(work, 'manifest-broken.tar.gz');
  execFileSync('tar', ['-czf', tarMan, '-C', work, 'manifest-broken']);
  const verMan = run(BIN, ['report', 'verify', tarMan, ...dbArgs(srv.db)]);
  assert.equal(verMan.code, 1, verMan.out);
  assert.match(verMan.out, /signature: FAILED \(the signature does not match the file/);

  // A head that is not in this database's chain is refused.
  const fresh = freshDb(work, 'fresh.db');
  run(BIN, ['migrate', '--db', fresh]);
  const elsewhere = run(BIN, ['report', 'verify', file, '--db', fresh, '--public-key', join(work, 'published.pub')]);
  assert.equal(elsewhere.code, 1, elsewhere.out);
  assert.match(elsewhere.out, /audit head: FAILED/);
});

test('two exports of unchanged data differ only in report-info.txt\'s time and the signature', async () => {
  setClock(`${TODAY}T11:00:00Z`);
  const a = extract((await download('/api/v1/reports/governance?format=bundle&since=2026-01-01')).bytes);
  setClock(`${TODAY}T11:00:01Z`);                 // a later second
  const b = extract((await download('/api/v1/reports/governance?format=bundle&since=2026-01-01')).bytes);
  const names = readdirSync(a.dir).sort();
  assert.deepEqual(readdirSync(b.dir).sort(), names);
  const differing = names.filter((n) => !readFileSync(join(a.dir, n)).equals(readFileSync(join(b.dir, n))));
  assert.deepEqual(differing, ['manifest-sha256.txt', 'manifest-sha256.txt.minisig', 'report-info.txt']);
  const lines = (d, n) => readFileSync(join(d, n), 'utf8').split('\n');
  const changed = (n) => lines(a.dir, n).filter((l, i) => l !== lines(b.dir, n)[i]);
  assert.deepEqual(changed('report-info.txt').map((l) => l.split(':')[0]), ['generated_at']);
  assert.deepEqual(changed('manifest-sha256.txt').map((l) => l.slice(66)), ['report-info.txt']);
  const info = lines(b.dir, 'report-info.txt');
  assert.ok(info.includes('query: format=bundle&since=2026-01-01'));
  assert.ok(info.includes('software: switchyard 0.1.0'));
  assert.ok(info.includes(`organisation: ${ORG}`));
  assert.ok(info.some((l) => /^generated_by: token:\d+:tester$/.test(l)));
  assert.ok(info.some((l) => /^audit_head_hash: [0-9a-f]{64}$/.test(l)));
});

test('the command line writes the API\'s bytes (all but generated_at and generated_by)', async () => {
  const strip = (html) => html.replace(/data-field="generated_at">[^<]*</, 'data-field="generated_at"><')
    .replace(/data-field="generated_by">[^<]*</, 'data-field="generated_by"><');
  for (const format of ['json', 'html']) {
    const fromApi = (await download(`/api/v1/reports/governance?format=${format}&since=2026-01-01`)).bytes.toString('utf8');
    const out = join(work, `cli.${format}`);
    const r = run(BIN, ['report', '--format', format, '--since', '2026-01-01', '--out', out, ...dbArgs(srv.db)]);
    assert.equal(r.code, 0, r.out);
    const fromCli = readFileSync(out, 'utf8');
    if (format === 'json') {
      const x = JSON.parse(fromApi);
      const y = JSON.parse(fromCli);
      assert.equal(y.cover.generated_by, 'system:cli');
      assert.notEqual(x.cover.generated_by, y.cover.generated_by);
      // Replace the two fields by the API's values: then every byte is equal.
      const same = fromCli.replace(`"generated_at":"${y.cover.generated_at}"`, `"generated_at":"${x.cover.generated_at}"`)
        .replace('"generated_by":"system:cli"', `"generated_by":"${x.cover.generated_by}"`);
      assert.equal(same, fromApi);
    } else {
      assert.ok(fromCli.includes('data-field="generated_by">system:cli<'));
      assert.equal(strip(fromCli), strip(fromApi));
    }
  }
  // The command line's bundle verifies, and its export is audited too.
  const bundle = join(work, 'cli.tar.gz');
  assert.equal(run(BIN, ['report', '--bundle', bundle, ...dbArgs(srv.db)]).code, 0);
  const v = run(BIN, ['report', 'verify', bundle, ...dbArgs(srv.db)]);
  assert.equal(v.code, 0, v.out);
  const ev = (await req('GET', '/api/v1/audit?entity=report&action=export&limit=1')).body.items[0];
  assert.equal(ev.actor, 'system:cli');
  assert.equal(ev.after.format, 'bundle');
  const { dir } = extract(readFileSync(bundle));
  assert.equal(ev.after.manifest_sha256, sha256(readFileSync(join(dir, 'manifest-sha256.txt'))));
  // --key-dir: no key there is an error (never made on the fly); the
  // operator makes one with `keys init` (secret 0600), which then verifies.
  const keys = join(work, 'keys');
  const kb = join(work, 'keydir.tar.gz');
  const none = run(BIN, ['report', '--bundle', kb, '--db', srv.db, '--key-dir', keys]);
  assert.notEqual(none.code, 0);
  assert.match(none.out, /keys init/);
  assert.equal(run(BIN, ['keys', 'init', '--db', srv.db, '--key-dir', keys]).code, 0);
  assert.equal(run(BIN, ['report', '--bundle', kb, '--db', srv.db, '--key-dir', keys]).code, 0);
  assert.equal(statSync(join(keys, 'report-signing.key')).mode & 0o777, 0o600);
  assert.equal(run(BIN, ['report', 'verify', kb, '--db', srv.db, '--key-dir', keys]).code, 0);
  const signedElsewhere = run(BIN, ['report', 'verify', kb, ...dbArgs(srv.db)]);   // the server's key
  assert.equal(signedElsewhere.code, 1);
  assert.match(signedElsewhere.out, /another key/);
  const kx = extract(readFileSync(kb));
  const keyLine = readFileSync(join(keys, 'report-signing.pub'), 'utf8').split('\n')[1];
  assert.equal(run('minisign', ['-Vm', 'manifest-sha256.txt', '-P', keyLine], { cwd: kx.dir }).code, 0);
  // Bad input is refused with a message and nothing written.
  const bad = run(BIN, ['report', '--format', 'pdf', '--out', join(work, 'x.pdf'), ...dbArgs(srv.db)]);
  assert.equal(bad.code, 2);
  assert.match(bad.out, /must be html, json, csv or bundle/);
});

test('roles: viewers and architects get 403; auditors export, and the export is audited', async () => {
  const users = { vera: 'viewer', arno: 'architect', audrey: 'auditor' };
  for (const [name, role] of Object.entries(users)) {
    const password = `${name}-password-0123`;
    const r = await req('POST', '/api/v1/users', { name, role, password });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    srv.users[name] = password;
  }
  const token = {};
  for (const name of Object.keys(users)) token[name] = await srv.tokenFor(name);
  const count = async () => (await req('GET', '/api/v1/audit?entity=report&action=export')).body.total;
  const before = await count();
  for (const name of ['vera', 'arno']) {
    for (const format of ['json', 'html', 'csv', 'bundle']) {
      const r = await download(`/api/v1/reports/governance?format=${format}`, token[name]);
      assert.equal(r.status, 403, `${name} ${format}`);
    }
  }
  assert.equal((await download('/api/v1/reports/governance?format=json', null)).status, 401);
  assert.equal(await count(), before, 'refused exports are not recorded');
  // HEAD is a safe method: it answers the headers of an export without one.
  const head = await fetch(`${srv.base}/api/v1/reports/governance?format=csv`,
    { method: 'HEAD', headers: { Authorization: `Bearer ${token.audrey}` } });
  assert.equal(head.status, 200);
  assert.match(head.headers.get('content-disposition') || '', /^attachment; filename="governance-report-/);
  assert.equal((await head.arrayBuffer()).byteLength, 0);
  assert.equal(await count(), before, 'HEAD records no export');

  const r = await download('/api/v1/reports/governance?format=bundle&since=2026-01-01', token.audrey);
  assert.equal(r.status, 200);
  const { dir } = extract(r.bytes);
  assert.equal(await count(), before + 1);
  const ev = (await req('GET', '/api/v1/audit?entity=report&action=export&limit=1')).body.items[0];
  assert.match(ev.actor, /^token:\d+:audrey$/);
  assert.equal(ev.action, 'export');
  assert.equal(ev.entity, 'report');
  assert.equal(ev.after.format, 'bundle');
  assert.equal(ev.after.query, 'format=bundle&since=2026-01-01');
  assert.equal(ev.after.manifest_sha256, sha256(readFileSync(join(dir, 'manifest-sha256.txt'))));
  // The bundle names the head it reflects, which precedes its own export event.
  const info = readFileSync(join(dir, 'report-info.txt'), 'utf8');
  const seq = Number(info.match(/^audit_head_seq: (\d+)$/m)[1]);
  assert.ok(seq < ev.seq);
  assert.equal(ev.after.audit_head.seq, seq);
  // The auditor can also read the public key and the JSON.
  assert.equal((await download('/api/v1/reports/governance?format=json', token.audrey)).status, 200);
});

test('bad queries are refused, naming the parameter', async () => {
  for (const [query, param] of [['format=pdf', 'format'], ['since=yesterday', 'since'],
    ['since=2026-02-30', 'since'], ['since=2026-01-01T25:00:00Z', 'since'], ['limit=5', 'limit']]) {
    const r = await req('GET', `/api/v1/reports/governance?${query}`);
    assert.equal(r.status, 400, query);
    assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
    assert.equal(r.body.errors[0].parameter, param);
  }
  const t = await req('GET', '/api/v1/reports/governance?format=json&since=2026-01-01T12:30:00Z');
  assert.equal(t.status, 200);
  assert.equal(t.body.changes.since, '2026-01-01T12:30:00Z');
  const k = await req('GET', '/api/v1/reports/public-key?x=1');
  assert.equal(k.status, 400);
});

test('serve --key-dir keeps the signing key there, outside the database\'s directory', async () => {
  const keys = join(work, 'serve-keys');
  const other = await startServer({ demo: false, env: ENV, args: ['--key-dir', keys] });
  try {
    const r = await fetch(`${other.base}/api/v1/reports/public-key`);
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.equal(readFileSync(join(keys, 'report-signing.pub'), 'utf8'), text);
    assert.equal(statSync(join(keys, 'report-signing.key')).mode & 0o777, 0o600);
    assert.ok(!readdirSync(other.dir).some((n) => n.startsWith('report-signing')));
    // The same key on every call.
    assert.equal(await (await fetch(`${other.base}/api/v1/reports/public-key`)).text(), text);
  } finally {
    await other.stop();
  }
});
