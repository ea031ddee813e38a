// report_verify.test.mjs - an auditor verifies a report bundle without the
// server's folder: POST /api/v1/reports/verify (the Reports page's "Verify a
// bundle") checks the signature with the server's key, every file against
// the manifest and the audit head against the server's trail, with a verdict
// per check; `switchyard report verify` works from any folder with the key
// the bundle carries, and says so. Tampered, re-signed, foreign and
// oversized files are each refused for the right reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { startServer, api, BIN, dbArgs } from './harness.mjs';

const ENV = { SWITCHYARD_TODAY: '2026-05-04' };
let srv;
let work;
let bundle;          // {file, dir, top, bytes} of one export
let publishedId;     // the key ID the server publishes

// These tests run the command line synchronously (spawnSync), which blocks
// the event loop past the server's 5 s keep-alive timeout; a turn of the
// loop before each request lets the client see the idle connections the
// server closed meanwhile, instead of reusing one ("other side closed").
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
const req = async (method, path, body, headers) => { await turn(); return api(srv.base, method, path, body, headers); };

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...ENV }, ...opts });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

let n = 0;
function extract(bytes) {
  const into = join(work, `x-${++n}`);
  const file = join(work, `b-${n}.tar.gz`);
  writeFileSync(file, bytes);
  mkdirSync(into);
  execFileSync('tar', ['-xzf', file, '-C', into]);
  const [top] = readdirSync(into);
  return { file, dir: join(into, top), top, bytes };
}

// Packs a directory again as a bundle, as someone who changed it would.
function repack(dir, name) {
  const file = join(work, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', file, '-C', join(dir, '..'), dir.split('/').pop()]);
  return readFileSync(file);
}

async function verify(bytes, { token = srv.token, type = 'application/gzip' } = {}) {
  await turn();
  const res = await fetch(`${srv.base}/api/v1/reports/verify`, {
    method: 'POST',
    headers: { 'Content-Type': type, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: bytes,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const state = (v, name) => v.checks.find((c) => c.name === name)?.state;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'switchyard-verify-'));
  srv = await startServer({ demo: true, env: ENV });
  const res = await fetch(`${srv.base}/api/v1/reports/governance?format=bundle`,
    { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(res.status, 200);
  bundle = extract(Buffer.from(await res.arrayBuffer()));
  const pub = await (await fetch(`${srv.base}/api/v1/reports/public-key`)).text();
  publishedId = pub.match(/minisign public key ([0-9A-F]{16})/)[1];
});

after(async () => {
  await srv?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the bundle carries the public key that signed it, listed in the manifest', () => {
  const key = readFileSync(join(bundle.dir, 'report-signing.pub'), 'utf8');
  assert.match(key, new RegExp(`^untrusted comment: minisign public key ${publishedId}\nRW`));
  const listed = readFileSync(join(bundle.dir, 'manifest-sha256.txt'), 'utf8').trim().split('\n').map((l) => l.slice(66));
  assert.ok(listed.includes('report-signing.pub'));
  // The standard exports, with their SHA-256 like every other file.
  for (const name of ['ai-bom.cdx.json', 'ai-act-register.csv']) {
    assert.ok(listed.includes(name), name);
    const line = readFileSync(join(bundle.dir, 'manifest-sha256.txt'), 'utf8').split('\n').find((l) => l.endsWith(`  ${name}`));
    assert.equal(line.slice(0, 64), createHash('sha256').update(readFileSync(join(bundle.dir, name))).digest('hex'));
  }
  assert.equal(listed.length, 29); // 12 of the governance report, 2 standard exports, 15 of the DORA register
});

test('POST /reports/verify: an intact bundle passes every check, one per manifest file', async () => {
  const v = await verify(bundle.bytes);
  assert.equal(v.status, 200);
  assert.equal(v.body.verified, true);
  assert.equal(v.body.key, 'trusted');
  assert.equal(v.body.key_id, publishedId);
  assert.equal(v.body.directory, bundle.top);
  assert.match(v.body.trusted_comment, /^timestamp:\d+\tfile:manifest-sha256\.txt\thashed\treport:governance/);
  assert.equal(v.body.checks[0].name, 'signature');
  assert.equal(v.body.checks.at(-1).name, 'audit head');
  assert.match(v.body.checks.at(-1).detail, /^event \d+ is part of the verified chain of \d+ events$/);
  const files = v.body.checks.slice(1, -1);
  assert.equal(files.length, 29); // 12 of the governance report, 2 standard exports, 15 of the DORA register
  assert.deepEqual(new Set(files.map((c) => c.state)), new Set(['ok']));
  // Verifying writes nothing: the trail's head is unchanged.
  const head = (await req('GET', '/api/v1/audit/head')).body;
  assert.equal((await verify(bundle.bytes)).body.verified, true);
  assert.deepEqual((await req('GET', '/api/v1/audit/head')).body, head);
});

test('one changed byte fails that file and only that file', async () => {
  const dir = join(work, 'tampered', bundle.top);
  cpSync(bundle.dir, dir, { recursive: true });
  const csv = readFileSync(join(dir, 'workloads.csv'));
  csv[20] ^= 0x01;
  writeFileSync(join(dir, 'workloads.csv'), csv);
  const v = await verify(repack(dir, 'tampered'));
  assert.equal(v.status, 200);
  assert.equal(v.body.verified, false);
  assert.equal(state(v.body, 'signature'), 'ok');
  const failed = v.body.checks.filter((c) => c.state === 'failed');
  assert.deepEqual(failed.map((c) => [c.name, c.detail]), [['workloads.csv', 'its content differs from the manifest']]);
});

test('an added file, and a manifest re-signed with another key, are refused', async () => {
  const extra = join(work, 'extra', bundle.top);
  cpSync(bundle.dir, extra, { recursive: true });
  writeFileSync(join(extra, 'note.txt'), 'added later\n');
  const v = await verify(repack(extra, 'extra'));
  assert.equal(v.body.verified, false);
  assert.equal(state(v.body, 'note.txt'), 'failed');
  assert.equal(v.body.checks.find((c) => c.name === 'note.txt').detail, 'not in the manifest');

  // A bundle made with another key pair (someone else's --key-dir).
  const keys = join(work, 'other-keys');
  const other = join(work, 'other.tar.gz');
  assert.equal(run(BIN, ['keys', 'init', ...dbArgs(srv.db), '--key-dir', keys]).code, 0);
  assert.equal(run(BIN, ['report', '--bundle', other, ...dbArgs(srv.db), '--key-dir', keys]).code, 0);
  const o = await verify(readFileSync(other));
  assert.equal(o.body.verified, false);
  assert.equal(state(o.body, 'signature'), 'failed');
  assert.match(o.body.checks[0].detail, new RegExp(`^signed with another key: the bundle carries key [0-9A-F]{16}, the trusted key is ${publishedId}$`));
});

test('what is not a bundle gets a verdict; wrong type 415, too large 413, roles 401/403', async () => {
  const junk = await verify(Buffer.from('this is not a tar.gz'));
  assert.equal(junk.status, 200);
  assert.equal(junk.body.verified, false);
  assert.equal(junk.body.directory, null);
  assert.equal(junk.body.checks.length, 1);
  assert.equal(junk.body.checks[0].name, 'bundle');
  assert.equal(junk.body.checks[0].state, 'failed');

  const json = await verify(JSON.stringify({ bundle: 'x' }), { type: 'application/json' });
  assert.equal(json.status, 415);
  assert.match(json.body.detail, /application\/gzip/);
  const big = await verify(Buffer.alloc(8 * 1024 * 1024 + 1));
  assert.equal(big.status, 413);
  assert.match(big.body.detail, /larger than 8 MiB/);
  assert.equal((await verify(bundle.bytes, { token: null })).status, 401);
  const r = await req('POST', '/api/v1/users', { name: 'vic', role: 'viewer', password: 'vic-password-0123' });
  assert.equal(r.status, 201);
  srv.users.vic = 'vic-password-0123';
  assert.equal((await verify(bundle.bytes, { token: await srv.tokenFor('vic') })).status, 403);
});

test('`switchyard report verify` from any folder: the key the bundle carries, said as such', () => {
  const elsewhere = mkdtempSync(join(work, 'elsewhere-'));
  const copy = join(elsewhere, 'report.tar.gz');
  writeFileSync(copy, bundle.bytes);
  const r = run(BIN, ['report', 'verify', 'report.tar.gz'], { cwd: elsewhere });
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, new RegExp(`^signature: OK \\(signed with the key the bundle carries, ${publishedId}: compare it`, 'm'));
  assert.match(r.out, /^audit head: not checked \(no database to check it against\)$/m);
  assert.match(r.out, /^report\.tar\.gz: verified with the key it carries \(compare the key ID\)$/m);
  // With the published key it is plainly verified ...
  writeFileSync(join(elsewhere, 'published.pub'), readFileSync(join(bundle.dir, 'report-signing.pub')));
  const p = run(BIN, ['report', 'verify', 'report.tar.gz', '--public-key', 'published.pub'], { cwd: elsewhere });
  assert.equal(p.code, 0, p.out);
  assert.match(p.out, /^report\.tar\.gz: verified$/m);
  // ... and a tampered copy still fails there.
  const dir = join(work, 'cli-tampered', bundle.top);
  cpSync(bundle.dir, dir, { recursive: true });
  writeFileSync(join(dir, 'README.txt'), 'changed\n');
  writeFileSync(join(elsewhere, 'bad.tar.gz'), repack(dir, 'cli-tampered'));
  const bad = run(BIN, ['report', 'verify', 'bad.tar.gz'], { cwd: elsewhere });
  assert.equal(bad.code, 1, bad.out);
  assert.match(bad.out, /^README\.txt: FAILED \(its content differs from the manifest\)$/m);
  assert.match(bad.out, /^bad\.tar\.gz: NOT verified$/m);
});

test('audit.csv in a bundle without since= holds the whole trail up to the report\'s head', async () => {
  const info = readFileSync(join(bundle.dir, 'report-info.txt'), 'utf8');
  const head = Number(info.match(/^audit_head_seq: (\d+)$/m)[1]);
  const rows = parse(readFileSync(join(bundle.dir, 'audit.csv'), 'utf8'), { columns: true, record_delimiter: '\r\n' });
  // The demo's load alone writes one event per seeded record.
  const seeded = (await req('GET', '/api/v1/audit?actor=system:seed&limit=1')).body.total;
  assert.ok(seeded > 50, `seeded ${seeded}`);
  assert.ok(rows.length >= seeded, `${rows.length} rows`);
  assert.equal(Number(rows.at(-1).seq), head);
  const seqs = rows.map((r) => Number(r.seq));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  assert.equal(rows.filter((r) => r.actor === 'system:seed').length, seeded);
  // Each row carries its chain link: a row's prev_hash is the hash before it
  // wherever the sequence has no gap (exports and sign-ins are not data).
  for (let i = 1; i < rows.length; i++) {
    if (seqs[i] === seqs[i - 1] + 1) assert.equal(rows[i].prev_hash, rows[i - 1].hash);
  }
});
