#!/usr/bin/env node
// kill9.mjs - crash consistency: kill -9 the server at random moments while
// 32 clients create and PATCH workloads, ROUNDS times (default 50). After
// each kill, `switchyard check` must report integrity_check ok and the audit
// chain ok; after each restart every acknowledged write must be there, and
// nothing answered 503/507 (none expected here). With SWITCHYARD_TEST_PG
// (an admin URL) the database is a PostgreSQL one of its own: there writes
// share commits (store/group.c), and none may be answered before its
// batch's COMMIT. Usage:
//   SWITCHYARD_BIN=build/switchyard node tests/fault/kill9.mjs [ROUNDS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BIN, Failure, Ledger, adminToken, check, createDatabase, dropPgDatabase, expect, expectNoSanitizerReport, log,
  pgDatabase, sleep, startServer, writer,
} from './lib.mjs';

const ROUNDS = Number(process.argv[2] || 50);
const CLIENTS = Number(process.env.SWITCHYARD_FAULT_CLIENTS || 32);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-kill9-'));
  const pg = pgDatabase(`sy_kill9_${process.pid}`);
  const db = pg || join(dir, 'k.db');
  // The signing keys: beside an SQLite file, in dir for PostgreSQL.
  const serve = () => startServer(db, { args: pg ? ['--key-dir', dir] : [] });
  const started = Date.now();
  let srv = null;
  try {
    createDatabase(db);
    srv = await serve();
    const token = await adminToken(srv.base);
    const ledger = new Ledger('k9');
    log(`kill9: ${BIN}, ${ROUNDS} rounds, ${CLIENTS} clients, db ${pg ? 'PostgreSQL ' : ''}${db}`);
    for (let round = 1; round <= ROUNDS; round++) {
      if (!srv) srv = await serve();
      // What survived the last kill.
      const problems = await ledger.verify(srv.base, token);
      expect(problems.length === 0, `round ${round}: after restart:\n  ${problems.slice(0, 20).join('\n  ')}`);

      let stopped = false;
      const stop = () => stopped;
      const clients = Array.from({ length: CLIENTS }, (_, c) =>
        writer(srv.base, token, ledger, c, { stop, expectAnswers: () => !stopped }));
      // Kill at a random moment: early (start-up of the load) to late.
      const delay = 50 + Math.floor(Math.random() * 1500);
      await sleep(delay);
      stopped = true;
      const exit = await srv.kill9();
      expect(exit.signal === 'SIGKILL', `round ${round}: the server exited by itself before the kill (${JSON.stringify(exit)}):\n${srv.log().slice(-3000)}`);
      await Promise.all(clients);
      expectNoSanitizerReport(srv, `round ${round}`);
      expect(ledger.errors.length === 0, `round ${round}: unexpected answers under load:\n  ${ledger.errors.slice(0, 20).join('\n  ')}`);
      srv = null;

      const c = check(db);
      expect(c.ok, `round ${round}: switchyard check after kill -9 failed:\n${c.out}`);
      log(`round ${round}: killed after ${delay} ms; ${c.out.split('\n').join('; ')}; ` +
        `so far ${ledger.counts.created} creates, ${ledger.counts.patched} patches acknowledged, ${ledger.counts.unanswered} unanswered`);
    }
    srv = await serve();
    const problems = await ledger.verify(srv.base, token);
    expect(problems.length === 0, `after the last restart:\n  ${problems.slice(0, 20).join('\n  ')}`);
    const exit = await srv.stop();
    expectNoSanitizerReport(srv, 'last run');
    srv = null;
    expect(exit.code === 0, `server did not stop cleanly: ${JSON.stringify(exit)}`);
    log(`kill9: ok: ${ROUNDS} kills, nothing acknowledged lost, integrity and audit ok every time ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    if (srv) await srv.kill9();
    dropPgDatabase(pg);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Failure ? `kill9: FAIL: ${e.message}` : e);
  process.exit(1);
});
