// keys.test.mjs - keys and files (issue 18, item 7): the database, WAL,
// SHM, backups and keys are 0600 (an older 0644 database is tightened);
// `serve` creates missing keys at start-up and audits it; a missing report
// key is an error (503) that no request repairs; `switchyard keys init |
// show | rotate` create, print (key ID and fingerprint, as GET
// /reports/signing-key) and replace keys, audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, BIN, dbArgs, onPostgres } from './harness.mjs';

let srv;
let keyDir;
before(async () => {
  srv = await startServer({ demo: false });
  keyDir = srv.dir;
});
after(async () => { await srv?.stop(); });

const mode = (p) => statSync(p).mode & 0o777;
const cli = (args) => spawnSync(BIN, [...args, ...dbArgs(srv.db), '--key-dir', keyDir], { encoding: 'utf8' });
const keyEvents = async () => (await api(srv.base, 'GET', '/api/v1/audit?entity=signing_key&limit=50')).body.items;

test('serve creates the missing keys at start-up, 0600, audited as system:serve', async () => {
  for (const name of ['report-signing', 'audit-checkpoint']) {
    assert.equal(mode(join(keyDir, `${name}.key`)), 0o600, name);
    assert.equal(mode(join(keyDir, `${name}.pub`)), 0o644, name);
  }
  const created = (await keyEvents()).filter((e) => e.action === 'create');
  assert.deepEqual(created.map((e) => e.after.key).sort(), ['audit-checkpoint', 'report-signing']);
  for (const e of created) {
    assert.equal(e.actor, 'system:serve');
    assert.match(e.after.key_id, /^[0-9A-F]{16}$/);
    assert.match(e.after.fingerprint, /^SHA256:[0-9a-f]{64}$/);
  }
});

test('database, WAL, SHM and backups are 0600; an older 0644 database is tightened', { skip: onPostgres && 'SQLite files only' }, async () => {
  await api(srv.base, 'POST', '/api/v1/vendors', { name: `Mode check ${process.pid}` });
  for (const suffix of ['', '-wal', '-shm']) {
    assert.ok(existsSync(srv.db + suffix), suffix);
    assert.equal(mode(srv.db + suffix), 0o600, `database${suffix}`);
  }
  const copy = join(srv.dir, 'backup.db');
  execFileSync(BIN, ['backup', copy, '--db', srv.db], { stdio: 'pipe' });
  assert.equal(mode(copy), 0o600);
  // A database file from before (0644) is 0600 after the next open.
  chmodSync(copy, 0o644);
  execFileSync(BIN, ['check', '--db', copy], { stdio: 'pipe' });
  assert.equal(mode(copy), 0o600);
});

test('with --file-group the database files, backups and the checkpoint log are 0640 of that group; keys stay 0600', { skip: onPostgres && 'SQLite files only' }, async () => {
  const gid = 1; // "daemon" on Debian; any group will do for root
  const shared = await startServer({ demo: false, args: ['--file-group', String(gid)] });
  try {
    await api(shared.base, 'POST', '/api/v1/vendors', { name: `Group check ${process.pid}` });
    for (const suffix of ['', '-wal', '-shm']) {
      assert.equal(mode(shared.db + suffix), 0o640, `database${suffix}`);
      assert.equal(statSync(shared.db + suffix).gid, gid, `database${suffix}`);
    }
    const copy = join(shared.dir, 'backup.db');
    execFileSync(BIN, ['backup', copy, '--db', shared.db, '--file-group', String(gid)], { stdio: 'pipe' });
    assert.equal(mode(copy), 0o640);
    assert.equal(statSync(copy).gid, gid);
    for (const name of ['report-signing', 'audit-checkpoint'])
      assert.equal(mode(join(shared.dir, `${name}.key`)), 0o600, name);
    // Without the group, the next open takes the group's bits away again.
    execFileSync(BIN, ['check', '--db', copy], { stdio: 'pipe' });
    assert.equal(mode(copy), 0o600);
    // A group that does not exist stops the command with a clear message.
    const bad = spawnSync(BIN, ['check', '--db', copy, '--file-group', 'no-such-group-here'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--file-group: no group named no-such-group-here/);
  } finally {
    await shared.stop();
  }
});

test('keys show prints each public key with the fingerprint GET /reports/signing-key gives', async () => {
  const shown = cli(['keys', 'show']);
  assert.equal(shown.status, 0, shown.stderr);
  const r = await api(srv.base, 'GET', '/api/v1/reports/signing-key', undefined, { Authorization: '' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.match(r.body.fingerprint, /^SHA256:[0-9a-f]{64}$/);
  // The fingerprint is the SHA-256 of the key line's bytes, checkable by anyone.
  const line = r.body.public_key.split('\n')[1];
  assert.equal(r.body.fingerprint, `SHA256:${createHash('sha256').update(Buffer.from(line, 'base64')).digest('hex')}`);
  assert.equal(r.body.public_key, await (await fetch(`${srv.base}/api/v1/reports/public-key`)).text());
  assert.ok(shown.stdout.includes(`key_id ${r.body.key_id}\nfingerprint ${r.body.fingerprint}\n${r.body.public_key}`), shown.stdout);
  assert.match(shown.stdout, /# audit key \(signs the audit trail's checkpoints\)/);
});

test('a missing report key is an error no request repairs; keys init makes it, audited', async () => {
  const secret = join(keyDir, 'report-signing.key');
  const kept = readFileSync(secret);
  unlinkSync(secret);
  unlinkSync(join(keyDir, 'report-signing.pub'));
  try {
    for (const path of ['/api/v1/reports/public-key', '/api/v1/reports/signing-key']) {
      const r = await fetch(`${srv.base}${path}`);
      assert.equal(r.status, 503, path);
      assert.match(r.headers.get('content-type'), /problem\+json/);
      assert.match((await r.json()).detail, /switchyard keys init/);
    }
    const bundle = await api(srv.base, 'GET', '/api/v1/reports/governance?format=bundle');
    assert.equal(bundle.status, 503);
    assert.ok(!existsSync(secret), 'no request made a key');
    const init = cli(['keys', 'init']);
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /report key [0-9A-F]{16} in .*: created/);
    assert.match(init.stdout, /audit key [0-9A-F]{16} in .*: already there/);
    assert.equal(mode(secret), 0o600);
    assert.equal((await fetch(`${srv.base}/api/v1/reports/public-key`)).status, 200);
    const ev = (await keyEvents())[0];
    assert.deepEqual([ev.action, ev.actor, ev.after.key], ['create', 'system:cli', 'report-signing']);
  } finally {
    if (!existsSync(secret)) writeFileSync(secret, kept, { mode: 0o600 });
  }
});

test('keys rotate replaces a key, keeps the old one aside and audits both IDs', async () => {
  const before = (await api(srv.base, 'GET', '/api/v1/reports/signing-key')).body;
  const out = cli(['keys', 'rotate', 'report']);
  assert.equal(out.status, 0, out.stderr);
  const afterKey = (await api(srv.base, 'GET', '/api/v1/reports/signing-key')).body;
  assert.notEqual(afterKey.key_id, before.key_id);
  assert.ok(existsSync(join(keyDir, `report-signing.key.${before.key_id}.retired`)));
  assert.equal(mode(join(keyDir, `report-signing.key.${before.key_id}.retired`)), 0o600);
  const ev = (await keyEvents())[0];
  assert.equal(ev.action, 'rotate');
  assert.equal(ev.before.key_id, before.key_id);
  assert.equal(ev.after.key_id, afterKey.key_id);
  assert.equal(ev.after.fingerprint, afterKey.fingerprint);
  assert.equal(cli(['keys', 'rotate', 'nonsense']).status, 2);
});

test('keys init creates a new key directory 0700', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-keys-'));
  try {
    const target = join(dir, 'keys');
    const r = spawnSync(BIN, ['keys', 'init', ...dbArgs(srv.db), '--key-dir', target], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(mode(target), 0o700);
    assert.equal(mode(join(target, 'audit-checkpoint.key')), 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
