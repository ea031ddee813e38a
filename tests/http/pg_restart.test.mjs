// pg_restart.test.mjs - PostgreSQL going away under two running instances
// (issue 20 item 3): after a restart of the database server (pg_ctl restart
// -m fast, which ends every session) the first requests through either
// instance succeed, reads and writes alike: pooled connections the server
// closed are found and replaced before use, or once, for a read or a
// transaction's BEGIN (server/store/postgres.c); a psql UPDATE made right
// after the restart is read through both within a second (the generation is
// read per request until the listeners are back), and the listeners come
// back by themselves. The same when the pooled sessions are killed with
// pg_terminate_backend.
//
// It restarts a cluster of its own (tests/pg/cluster.sh start/restart/stop
// with a state file of its own), not the one the other http-pg tests share.
// PostgreSQL only (SWITCHYARD_TEST_PG, as CTest's http-pg run sets it); on
// SQLite every test skips with that reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, api, onPostgres, sql, DECIDED } from './harness.mjs';

const skip = !onPostgres && 'needs PostgreSQL (SWITCHYARD_TEST_PG): restarts a cluster of its own';
const CLUSTER = fileURLToPath(new URL('../pg/cluster.sh', import.meta.url));
const ENV = { SWITCHYARD_TODAY: new Date().toISOString().slice(0, 10) };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };
let dir;
let state;
let db;
let a;
let b;

const cluster = (cmd) => execFileSync(CLUSTER, [cmd, state], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'switchyard-restart-'));
  state = join(dir, 'pg.state');
  cluster('start');
  const admin = cluster('url').trim();
  sql(admin, 'CREATE DATABASE switchyard_restart;');
  const u = new URL(admin);
  u.pathname = '/switchyard_restart';
  db = u.toString();
  a = await startServer({ demo: true, env: ENV, args: ['--db', db, '--key-dir', dir] });
  b = await startServer({ demo: false, env: ENV, args: ['--db', db, '--key-dir', dir] });
});
after(async () => {
  await b?.stop();
  await a?.stop();
  if (state) {
    try { cluster('stop'); } catch { /* already gone */ }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A turn of the event loop before each request: psql and cluster.sh run
// synchronously and may outlast the server's keep-alive timeout (see
// pg_notify.test.mjs).
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
const call = async (...args) => { await turn(); return api(...args); };

const VENDORS = '/api/v1/vendors?limit=500&sort=id';
const descriptionOf = (id) => (body) => body.items.find((v) => v.id === id)?.description;

// Reads path through srv until pick(body) equals want; the milliseconds it
// took. Fails on any 5xx, or after `limit` ms.
async function until(srv, path, pick, want, limit = 1000) {
  const t0 = performance.now();
  for (;;) {
    const r = await call(srv.base, 'GET', path);
    assert.ok(r.status < 500, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
    if (r.status === 200 && pick(r.body) === want) return performance.now() - t0;
    const took = performance.now() - t0;
    assert.ok(took < limit, `${srv.base}${path}: still ${JSON.stringify(r.status === 200 ? pick(r.body) : r.body)} after ${Math.round(took)} ms, want ${JSON.stringify(want)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const pooled = () => Number(sql(db, `SELECT count(*) FROM pg_stat_activity
  WHERE datname = current_database() AND application_name = 'switchyard';`).trim());
const listeners = () => Number(sql(db, `SELECT count(*) FROM pg_stat_activity
  WHERE datname = current_database() AND application_name = 'switchyard-listen';`).trim());

let serial = 0;
// A mixed burst through srv at once: cached and uncached reads, a PATCH and
// a POST; every answer is a success (the writes 200 and 201).
async function burst(srv, vendor) {
  const n = ++serial;
  const calls = [
    call(srv.base, 'GET', VENDORS),
    call(srv.base, 'GET', '/api/v1/workloads?limit=5'),
    call(srv.base, 'GET', '/api/v1/portfolio/summary'),
    call(srv.base, 'GET', '/api/v1/audit?limit=3'),
    call(srv.base, 'GET', '/api/v1/audit/head'),
    call(srv.base, 'GET', '/api/v1/session'),
    call(srv.base, 'GET', '/api/v1/tokens'),
    call(srv.base, 'PATCH', `/api/v1/vendors/${vendor}`, { description: `burst ${n}` }, MERGE),
    call(srv.base, 'POST', '/api/v1/workloads', {
      ...DECIDED, name: `restart burst ${n} ${srv.port}`, track: 'azure', status: 'pilot', criticality: 'low',
    }),
  ];
  const answers = await Promise.all(calls);
  const statuses = answers.map((r) => r.status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 201],
    answers.filter((r) => r.status >= 300).map((r) => JSON.stringify(r.body)).join('\n'));
}

async function someVendor() {
  const r = await call(a.base, 'GET', VENDORS);
  assert.equal(r.status, 200);
  return r.body.items[0].id;
}

test('after PostgreSQL restarts, the first requests through both instances succeed', { skip }, async () => {
  const id = await someVendor();
  // Several pooled connections on each instance, all of them idle now.
  for (const srv of [a, b]) await burst(srv, id);
  const before = pooled();
  assert.ok(before >= 4, `pooled connections before the restart: ${before}`);
  for (let round = 0; round < 2; round++) {
    cluster('restart');
    // The very first request after the restart, then a burst, through each.
    for (const srv of [a, b]) {
      const first = await call(srv.base, 'GET', '/api/v1/workloads?limit=2&sort=id');
      assert.equal(first.status, 200, JSON.stringify(first.body));
      await burst(srv, id);
    }
  }
  assert.match(a.log() + b.log(), /postgres: reconnected after losing the connection/);
});

test('after a restart, a psql UPDATE is read through both within a second, and the listeners come back', { skip }, async () => {
  const id = await someVendor();
  cluster('restart');
  // At once, while the listeners are down or coming back.
  const times = [];
  sql(db, `UPDATE vendors SET description = 'after restart' WHERE id = ${id};`);
  for (const srv of [a, b]) times.push(await until(srv, VENDORS, descriptionOf(id), 'after restart'));
  // Both listen again by themselves, and say so.
  const t0 = performance.now();
  while (listeners() < 2) {
    assert.ok(performance.now() - t0 < 5000, 'the listeners did not come back');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const srv of [a, b]) {
    const m = (await call(srv.base, 'GET', '/metrics')).body;
    assert.ok(Number(/switchyard_notify_reconnects_total (\d+)/.exec(m)[1]) >= 1, m);
  }
  // And through them again.
  sql(db, `UPDATE vendors SET description = 'listening again' WHERE id = ${id};`);
  for (const srv of [a, b]) times.push(await until(srv, VENDORS, descriptionOf(id), 'listening again'));
  // A write through one is read through the other.
  const patched = await call(b.base, 'PATCH', `/api/v1/vendors/${id}`, { description: 'through b' }, MERGE);
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  times.push(await until(a, VENDORS, descriptionOf(id), 'through b'));
  console.log(`# seen after (ms): ${times.map((t) => t.toFixed(1)).join(' ')}`);
});

test('killing the pooled sessions (pg_terminate_backend): the next requests succeed', { skip }, async () => {
  const id = await someVendor();
  for (let round = 0; round < 2; round++) {
    for (const srv of [a, b]) await burst(srv, id);
    const killed = Number(sql(db, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'switchyard';`).trim());
    assert.ok(killed >= 4, `killed: ${killed}`);
    for (const srv of [a, b]) await burst(srv, id);
  }
  // The audit chain the bursts wrote (through both, around the losses) verifies.
  const v = await call(a.base, 'GET', '/api/v1/audit/verify');
  assert.equal(v.status, 200);
  assert.equal(v.body.ok, true, JSON.stringify(v.body));
});
