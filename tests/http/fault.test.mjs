// fault.test.mjs - how the API behaves when the disk fails, and inputs that
// once crashed the server (found by tests/fuzz and tests/fault/http_fuzz.mjs).
//
// I/O failures are injected with libfiu (Debian fiu-utils) exactly where
// they are switched on: the server runs with libfiu preloaded (what
// `fiu-run -x` does) and `fiu-ctrl` makes pwrite() or fdatasync() fail
// between two requests. Without libfiu those tests are skipped, and on
// PostgreSQL (the http-pg run), where the database server does the writing;
// there the server loses its database connections instead. The randomized,
// longer versions are in tests/fault/ (run.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, BIN, onPostgres, sql, DECIDED } from './harness.mjs';
import { exchange, request } from '../fault/rawhttp.mjs';

const FIU = '/usr/lib/fiu';
const fiuMissing = spawnSync('sh', ['-c', 'command -v fiu-ctrl'], { encoding: 'utf8' }).status !== 0 ||
  !existsSync(join(FIU, 'fiu_posix_preload.so'));

// An ASan binary needs its runtime ahead of libfiu's wrappers.
function preload() {
  const ldd = spawnSync('ldd', [BIN], { encoding: 'utf8' }).stdout || '';
  const asan = /libasan\.so\S*\s+=>\s+(\S+)/.exec(ldd);
  return [asan && asan[1], `${FIU}/fiu_run_preload.so`, `${FIU}/fiu_posix_preload.so`].filter(Boolean).join(' ');
}

function problemOf(res, statuses) {
  assert.ok(statuses.includes(res.status), `expected ${statuses.join(' or ')}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(res.body.status, res.status);
  assert.ok(res.body.detail);
}

const workload = (name, extra = {}) => ({ ...DECIDED, name, track: 'other', status: 'pilot', criticality: 'low', ...extra });

async function byName(base, name) {
  const res = await api(base, 'GET', `/api/v1/workloads?q=${encodeURIComponent(name)}`);
  assert.equal(res.status, 200);
  return res.body.items.find((w) => w.name === name) || null;
}

const fiuSkip = (onPostgres && 'libfiu fails this process\'s file I/O; on PostgreSQL the database server does the writing (see the lost-connection test)')
  || (fiuMissing && 'libfiu (fiu-utils) is not installed');

test('failed writes answer 503/507 problem+json, change nothing, and lose nothing', { skip: fiuSkip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-fault-'));
  const db = join(dir, 'f.db');
  const fifo = join(dir, 'fiu-ctrl');
  let srv = await startServer({
    demo: false, args: ['--db', db],
    env: { LD_PRELOAD: preload(), FIU_CTRL_FIFO: fifo, FIU_ENABLE: '' },
  });
  const ctl = (...cmds) => {
    const r = spawnSync('fiu-ctrl', ['-f', fifo, ...cmds.flatMap((c) => ['-c', c]), String(srv.child.pid)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `fiu-ctrl: ${r.stderr}`);
  };
  try {
    const a = await api(srv.base, 'POST', '/api/v1/workloads', workload('fault-a', { users: 1 }));
    assert.equal(a.status, 201);
    const id = a.body.id;

    for (const failpoint of ['posix/io/rw/pwrite', 'posix/io/sync/fdatasync']) {
      ctl(`enable name=${failpoint}`);
      problemOf(await api(srv.base, 'POST', '/api/v1/workloads', workload(`fault-refused-${failpoint}`)), [503, 507]);
      problemOf(await api(srv.base, 'PATCH', `/api/v1/workloads/${id}`, { users: 666 },
        { 'Content-Type': 'application/merge-patch+json' }), [503, 507]);
      problemOf(await api(srv.base, 'DELETE', `/api/v1/workloads/${id}`), [503, 507]);
      // Reads are not affected, and show the data as it was.
      const got = await api(srv.base, 'GET', `/api/v1/workloads/${id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.users, 1);
      assert.equal((await api(srv.base, 'GET', '/api/v1/workloads?limit=5')).status, 200);
      assert.equal((await api(srv.base, 'GET', '/api/v1/health')).status, 200);
      ctl(`disable name=${failpoint}`);
    }

    // Faults gone: writes work again.
    assert.equal((await api(srv.base, 'POST', '/api/v1/workloads', workload('fault-b'))).status, 201);
    assert.equal((await api(srv.base, 'PATCH', `/api/v1/workloads/${id}`, { users: 9 },
      { 'Content-Type': 'application/merge-patch+json' })).status, 200);
    assert.equal(await srv.stop(), 0, 'the server stops cleanly after I/O failures');

    const check = spawnSync(BIN, ['check', '--db', db], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /integrity_check: ok/);
    assert.match(check.stdout, /audit: ok/);

    // Restarted without libfiu: acknowledged writes are there, refused ones not.
    srv = await startServer({ demo: false, args: ['--db', db] });
    assert.equal((await byName(srv.base, 'fault-a')).users, 9);
    assert.ok(await byName(srv.base, 'fault-b'));
    assert.equal(await byName(srv.base, 'fault-refused-posix/io/rw/pwrite'), null);
    assert.equal(await byName(srv.base, 'fault-refused-posix/io/sync/fdatasync'), null);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- inputs that crashed the server ------------------------------------------

let srv;
before(async () => { srv = await startServer({ demo: false }); });
after(async () => { if (srv) await srv.stop(); });

test('a document with a full error list and bad dependencies is refused, not a crash', async () => {
  // 16 unknown fields fill the error list; the validator then took a
  // dependency without a role for valid and compared it (NULL) - SIGSEGV.
  const body = workload('full-error-list', {
    dependencies: [{ offering: 1, role: 'model' }, { offering: 0, role: 'model' }, { offering: 0 }],
  });
  for (let i = 0; i < 16; i++) body[`junk${i}`] = i;
  const res = await api(srv.base, 'POST', '/api/v1/workloads', body);
  assert.equal(res.status, 400);
  assert.ok(res.body.errors.length > 0);
  // The same through saved scenarios (their changes are validated in turn).
  const sc = { name: 'full-error-list', changes: [{ type: 'exit_group' }, { type: 'withdraw_offering', offering: 0 }] };
  for (let i = 0; i < 16; i++) sc[`junk${i}`] = i;
  assert.equal((await api(srv.base, 'POST', '/api/v1/scenarios', sc)).status, 400);
  assert.equal((await api(srv.base, 'GET', '/api/v1/health')).status, 200);
});

test('deeply nested JSON is refused before parsing, even unauthenticated', async () => {
  // jansson recurses per level; ~1000 levels overflowed a worker's stack.
  for (const depth of [1000, 3000]) {
    const res = await api(srv.base, 'POST', '/api/v1/session', '['.repeat(depth) + ']'.repeat(depth), { Authorization: '' });
    assert.equal(res.status, 400);
    assert.match(res.body.detail, /nests/);
  }
  // Anonymous bodies stop at 8 KiB before any parsing; signed-in ones get
  // 1 MiB, and the depth check.
  const big = await api(srv.base, 'POST', '/api/v1/session', '['.repeat(100000) + ']'.repeat(100000), { Authorization: '' });
  assert.equal(big.status, 413);
  const deep = await api(srv.base, 'POST', '/api/v1/workloads', '['.repeat(100000) + ']'.repeat(100000));
  assert.equal(deep.status, 400);
  assert.match(deep.body.detail, /nests/);
  const res = await api(srv.base, 'POST', '/api/v1/workloads', '{"a":'.repeat(65) + '1' + '}'.repeat(65));
  assert.equal(res.status, 400);
  // Brackets inside strings do not count; ordinary documents are unaffected.
  const ok = await api(srv.base, 'POST', '/api/v1/workloads', workload('brackets [[[[[[', { notes: '['.repeat(500) }));
  assert.equal(ok.status, 201);
  assert.equal((await api(srv.base, 'GET', '/api/v1/health')).status, 200);
});

test('a body cut short of its Content-Length is refused and not acted on', async () => {
  const send = (name, opts) => {
    const json = JSON.stringify(workload(name));
    const bytes = request('POST', '/api/v1/workloads', {
      Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json', 'Content-Length': String(json.length + 50),
    }, json);
    return exchange(srv.port, bytes, { timeoutMs: 25000, ...opts });
  };
  // The client closes its side early.
  const closed = await send('short-body-closed', { halfClose: true });
  assert.ok([400, 408].includes(closed.status), `got ${closed.status}: ${closed.raw.slice(0, 200)}`);
  // The client stalls: once the body times out (it read as complete after
  // 20 s and the workload was created), 408 within the request timeout.
  const t0 = Date.now();
  const stalled = await send('short-body-stalled', {});
  assert.equal(stalled.status, 408, stalled.raw.slice(0, 300));
  assert.ok(Date.now() - t0 < 15000, `408 after ${Date.now() - t0} ms`);
  assert.equal(await byName(srv.base, 'short-body-closed'), null);
  assert.equal(await byName(srv.base, 'short-body-stalled'), null);
});

// ---- PostgreSQL ----------------------------------------------------------------
//
// Last in the file: its seconds of idling would otherwise leave the shared
// server's keep-alive connection to be closed just as the next test uses it.
//
// The database server ends every session of this server (as
// on its restart or a failover) between two requests. A request that finds
// its connection gone answers a clean 503 or, reconnected, succeeds; none
// is a 500, nothing half-done is kept, and the server carries on.
test('lost database connections: clean answers, then reconnected', { skip: !onPostgres && 'PostgreSQL only (SWITCHYARD_TEST_PG)' }, async () => {
  const pg = await startServer({ demo: false });
  try {
    const kill = () => sql(pg.db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      + "WHERE datname = current_database() AND application_name = 'switchyard' AND pid <> pg_backend_pid();");
    const a = await api(pg.base, 'POST', '/api/v1/workloads', workload('lost-a', { users: 1 }));
    assert.equal(a.status, 201);
    const answered = new Map();
    for (let round = 0; round < 3; round++) {
      kill();
      const name = `lost-${round}`;
      const tries = [
        await api(pg.base, 'POST', '/api/v1/workloads', workload(name)),
        await api(pg.base, 'PATCH', `/api/v1/workloads/${a.body.id}`, { users: 10 + round },
          { 'Content-Type': 'application/merge-patch+json' }),
        await api(pg.base, 'GET', `/api/v1/workloads/${a.body.id}`),
        await api(pg.base, 'GET', '/api/v1/workloads?limit=5'),
      ];
      for (const r of tries) {
        assert.ok([200, 201, 503].includes(r.status), `${r.status} ${JSON.stringify(r.body)}`);
        if (r.status === 503) problemOf(r, [503]);
      }
      answered.set(name, tries[0].status);
    }
    // Every write either happened (acknowledged) or did not (refused).
    for (const [name, status] of answered) {
      assert.equal(Boolean(await byName(pg.base, name)), status === 201, name);
    }
    assert.equal((await api(pg.base, 'POST', '/api/v1/workloads', workload('lost-after'))).status, 201);
    assert.equal((await api(pg.base, 'GET', '/api/v1/audit/verify')).body.ok, true);
    const check = spawnSync(BIN, ['check', '--db', pg.db], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /audit: ok/);
    assert.equal(await pg.stop(), 0, 'the server stops cleanly after losing its connections');
  } finally {
    await pg.stop();
  }
});
