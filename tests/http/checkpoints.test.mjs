// checkpoints.test.mjs - an audit trail trusted to its last entry (issue
// 18, item 5): `serve` signs the chain's head with the audit-checkpoint key
// (outside the database) into the key directory's append-only
// audit-checkpoints.log after N events, after M minutes (the injected
// clock), and at shutdown; `audit verify`, `check` and GET /audit/verify
// fail when the chain lost its last events, or was edited and re-hashed
// throughout (which the unkeyed chain alone accepts), or a checkpoint is
// forged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, BIN, freshDb, copyDb, sql, dbArgs, onPostgres } from './harness.mjs';

const GENESIS = '0'.repeat(64);
let dir;
let db;
let srv;
let clockFile;
const log = () => join(dir, 'audit-checkpoints.log');
const lines = () => (existsSync(log()) ? readFileSync(log(), 'utf8').split('\n').filter(Boolean) : []);
const lastSeq = () => Math.max(0, ...lines().map((l) => Number(l.split(' ')[1])));
const setClock = (iso) => writeFileSync(clockFile, `${iso}\n`);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-checkpoints-'));
  db = freshDb(dir, 'audit.db');
  clockFile = join(dir, 'now');
  setClock('2026-06-15T09:00:00Z');
  srv = await startServer({ demo: false, args: ['--db', db, '--checkpoint-events', '5', '--checkpoint-minutes', '10'],
    env: { SWITCHYARD_NOW: `@${clockFile}` } });
});
after(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const head = async (base = srv.base) => (await api(base, 'GET', '/api/v1/audit/head')).body;
let serial = 0;
const change = () => api(srv.base, 'POST', '/api/v1/vendors', { name: `Checkpoint vendor ${process.pid}-${++serial}` });

// Waits (up to 5 s) for the checkpointer, which works beside the requests.
async function until(cond, what) {
  for (let i = 0; i < 100; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}; log:\n${lines().join('\n')}`);
}

function run(args, extra = []) {
  const r = spawnSync(BIN, [...args, ...dbArgs(db), '--key-dir', dir, ...extra], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr, json: (() => { try { return JSON.parse(r.stdout); } catch { return null; } })() };
}

// The audit-checkpoint public key as node's crypto takes it.
function publicKey() {
  const raw = Buffer.from(readFileSync(join(dir, 'audit-checkpoint.pub'), 'utf8').split('\n')[1], 'base64');
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw.subarray(10)]);
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

test('checkpoints after N events and after M minutes, each signed as documented', async () => {
  assert.equal(lines().length, 1, 'at start-up: the events written before (user, keys)');
  const start = lastSeq();
  for (let i = 0; i < 5; i++) assert.equal((await change()).status, 201);
  const h = await head();
  assert.ok(h.seq >= start + 5);
  // Never 5 events or more without a checkpoint.
  await until(() => lastSeq() > start && h.seq - lastSeq() < 5, `a checkpoint within 5 events of ${h.seq}`);
  assert.equal(statSync(log()).mode & 0o777, 0o600);
  // Ten minutes on (the injected clock): whatever is new gets one. When
  // the count's checkpoint already took the last event (its writes may
  // commit together), one more makes something new for the timed one, so
  // that the minutes count from 09:10:01 either way.
  let hc = h;
  if (lastSeq() === h.seq) {
    assert.equal((await change()).status, 201);
    hc = await head();
  }
  setClock('2026-06-15T09:10:01Z');
  await until(() => lastSeq() === hc.seq, `a timed checkpoint of seq ${hc.seq}`);

  // One more event is not enough within the minutes; ten minutes later it is.
  assert.equal((await change()).status, 201);
  const h2 = await head();
  await new Promise((r) => setTimeout(r, 1200)); // two ticks of the checkpointer
  assert.equal(lastSeq(), hc.seq, 'no checkpoint for one event within the minutes');
  setClock('2026-06-15T09:20:02Z');
  await until(() => lastSeq() === h2.seq, `a timed checkpoint of seq ${h2.seq}`);

  // Every line: v1 SEQ HASH AT KEYID SIG, the signature over the message.
  const pub = publicKey();
  const keyId = readFileSync(join(dir, 'audit-checkpoint.pub'), 'utf8').match(/public key ([0-9A-F]{16})/)[1];
  for (const line of lines()) {
    const [v, seq, hash, at, id, sig] = line.split(' ');
    assert.equal(v, 'v1');
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.match(at, /^2026-06-15T09:[012]0:0\dZ$/);
    assert.equal(id, keyId);
    const msg = Buffer.from(`switchyard audit checkpoint v1 ${seq} ${hash} ${at}`);
    assert.ok(edVerify(null, msg, pub, Buffer.from(sig, 'base64')), line);
  }
  assert.equal(lines().at(-1).split(' ')[2], h2.hash);
  const v = await api(srv.base, 'GET', '/api/v1/audit/verify');
  assert.equal(v.body.ok, true);
  assert.equal(v.body.checkpoints.last_seq, h2.seq);
});

test('shutdown writes the head; verify and check agree with the checkpoints', async () => {
  assert.equal((await change()).status, 201);
  const h = await head();
  await srv.stop();
  srv = null;
  assert.equal(lastSeq(), h.seq);
  assert.equal(lines().at(-1).split(' ')[2], h.hash);
  const v = run(['audit', 'verify']);
  assert.equal(v.code, 0, v.out);
  assert.equal(v.json.ok, true);
  assert.equal(v.json.checkpoints.last_seq, h.seq);
  assert.ok(v.json.checkpoints.count >= 4);
  const c = run(['check']);
  assert.equal(c.code, 0, c.out);
  assert.match(c.out, /signed checkpoints agree/);
});

test('deleting the last events is found: the chain is shorter than a checkpoint', () => {
  const copy = copyDb(db, dir, 'cut.db');
  const h = lastSeq();
  const drop = onPostgres ? 'DROP TRIGGER audit_no_delete ON audit_events;' : 'DROP TRIGGER audit_no_delete;';
  sql(copy, `${drop}\nDELETE FROM audit_events WHERE seq > ${h - 2};`);
  const r = spawnSync(BIN, ['audit', 'verify', ...dbArgs(copy), '--key-dir', dir], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, false);
  assert.match(out.problem, /shorter than a signed checkpoint/);
  assert.equal(out.first_broken, h - 1);
  const check = spawnSync(BIN, ['check', ...dbArgs(copy), '--key-dir', dir], { encoding: 'utf8' });
  assert.equal(check.status, 1);
  assert.match(check.stdout, /broken at sequence/);
});

test('an edited event with every hash recomputed is found by the checkpoints (the chain alone accepts it)', async () => {
  // The events as stored (the API of a server on a copy that has not moved).
  const copy = copyDb(db, dir, 'forged.db');
  const reader = await startServer({ demo: false, args: ['--db', copyDb(db, dir, 'reader.db'), '--key-dir', mkdtempSync(join(tmpdir(), 'sy-keys-'))] });
  let events;
  try {
    events = (await api(reader.base, 'GET', '/api/v1/audit?limit=500')).body.items.reverse();
  } finally {
    await reader.stop();
  }
  events = events.filter((e) => e.seq <= lastSeq());
  const k = events.find((e) => e.entity === 'vendor').seq;
  const q = (s) => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);
  const stmts = [onPostgres ? 'DROP TRIGGER audit_no_update ON audit_events;' : 'DROP TRIGGER audit_no_update;'];
  let prev = GENESIS;
  for (const e of events) {
    if (e.seq === k) e.after = { ...e.after, name: 'Forged vendor' };
    e.prev_hash = prev;
    const canonical = JSON.stringify({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, entity: e.entity, entity_id: e.entity_id, before: e.before, after: e.after });
    e.hash = createHash('sha256').update(prev + canonical).digest('hex');
    prev = e.hash;
    if (e.seq >= k) stmts.push(`UPDATE audit_events SET after = ${q(JSON.stringify(e.after))}, prev_hash = '${e.prev_hash}', hash = '${e.hash}' WHERE seq = ${e.seq};`);
  }
  sql(copy, stmts.join('\n'));
  // Without the checkpoints the forgery verifies...
  const blind = spawnSync(BIN, ['audit', 'verify', ...dbArgs(copy), '--key-dir', mkdtempSync(join(tmpdir(), 'sy-none-'))], { encoding: 'utf8' });
  assert.equal(blind.status, 0, blind.stdout);
  assert.equal(JSON.parse(blind.stdout).checkpoints.count, 0);
  // ... with them it does not.
  const r = spawnSync(BIN, ['audit', 'verify', ...dbArgs(copy), '--key-dir', dir], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout);
  const out = JSON.parse(r.stdout);
  assert.match(out.problem, /disagrees with a signed checkpoint/);
  assert.ok(out.first_broken >= k);
  // And the server's API says the same (its key directory a copy: a server
  // on the forged chain goes on writing checkpoints of it).
  const keys2 = mkdtempSync(join(tmpdir(), 'sy-keys2-'));
  for (const f of ['audit-checkpoint.key', 'audit-checkpoint.pub', 'report-signing.key', 'report-signing.pub', 'audit-checkpoints.log']) {
    copyFileSync(join(dir, f), join(keys2, f));
  }
  const again = await startServer({ demo: false, args: ['--db', copy, '--key-dir', keys2] });
  try {
    const v = await api(again.base, 'GET', '/api/v1/audit/verify');
    assert.equal(v.body.ok, false);
    assert.match(v.body.problem, /disagrees with a signed checkpoint/);
  } finally {
    await again.stop();
  }
});

test('a forged or damaged checkpoint line fails verification', () => {
  const saved = readFileSync(log(), 'utf8');
  try {
    const [v, seq, hash, at, id, sig] = lines().at(-1).split(' ');
    const other = Buffer.from(sig, 'base64');
    other[0] ^= 1;
    appendFileSync(log(), `${v} ${Number(seq) + 1} ${hash} ${at} ${id} ${other.toString('base64')}\n`);
    let r = run(['audit', 'verify']);
    assert.equal(r.code, 1);
    assert.match(r.json.problem, /signature does not verify/);
    writeFileSync(log(), `${saved}v1 12 nonsense\n`);
    r = run(['audit', 'verify']);
    assert.equal(r.code, 1);
    assert.match(r.json.problem, /damaged/);
  } finally {
    writeFileSync(log(), saved);
  }
  assert.equal(run(['audit', 'verify']).code, 0);
});

test('--audit-syslog serves and checkpoints as usual (each line also goes to syslog)', async () => {
  const other = await startServer({ demo: false, args: ['--audit-syslog', '--checkpoint-events', '1'] });
  const keys = other.dir; // the key directory on either engine
  try {
    assert.equal((await api(other.base, 'POST', '/api/v1/vendors', { name: `Syslog vendor ${process.pid}` })).status, 201);
    const v = await api(other.base, 'GET', '/api/v1/audit/verify');
    assert.equal(v.body.ok, true);
    assert.ok(v.body.checkpoints.count >= 1);
    assert.ok(readFileSync(join(keys, 'audit-checkpoints.log'), 'utf8').startsWith('v1 '));
  } finally {
    await other.stop();
  }
});

test('keys rotate audit: later checkpoints use the new key, earlier ones still verify', async () => {
  const other = await startServer({ demo: false, args: ['--checkpoint-events', '1'] });
  try {
    const keys = other.dir;
    const cpLines = () => readFileSync(join(keys, 'audit-checkpoints.log'), 'utf8').split('\n').filter(Boolean);
    const oldId = cpLines()[0].split(' ')[4];
    const rotated = spawnSync(BIN, ['keys', 'rotate', 'audit', ...dbArgs(other.db), '--key-dir', keys], { encoding: 'utf8' });
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.ok(existsSync(join(keys, `audit-checkpoint.${oldId}.pub`)), 'the old public key kept');
    assert.equal((await api(other.base, 'POST', '/api/v1/vendors', { name: `Rotation vendor ${process.pid}` })).status, 201);
    const h = await head(other.base);
    await until(() => cpLines().some((l) => Number(l.split(' ')[1]) === h.seq), `a checkpoint of ${h.seq}`);
    const newId = cpLines().at(-1).split(' ')[4];
    assert.notEqual(newId, oldId);
    const v = await api(other.base, 'GET', '/api/v1/audit/verify');
    assert.equal(v.body.ok, true, JSON.stringify(v.body));
    assert.ok(v.body.checkpoints.count >= 2);
  } finally {
    await other.stop();
  }
});
