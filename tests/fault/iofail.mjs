#!/usr/bin/env node
// iofail.mjs - I/O failures injected with libfiu (Debian package
// fiu-utils) while 16 clients write and one reads. The server runs under
// `fiu-run -x`; once it is up, fiu-ctrl makes pwrite() fail at random
// (probability P, default 0.05) and fdatasync()/fsync() too, for SECONDS
// (default 60). Then:
//   - the server never crashes and answers every request;
//   - a write answers 2xx, or 503/507 as application/problem+json;
//   - reads (health, lists, the summary) answer 200 throughout;
//   - after the faults are switched off it stops cleanly, `switchyard
//     check` is ok, and a restart without libfiu shows every acknowledged
//     write and none of the refused ones.
// Usage: SWITCHYARD_BIN=build/switchyard node tests/fault/iofail.mjs [SECONDS] [P]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BIN, Failure, Ledger, adminToken, check, createDatabase, expect, expectNoSanitizerReport, fiuAvailable, fiuCtrl, log, reader,
  sleep, startServer, writer,
} from './lib.mjs';

const SECONDS = Number(process.argv[2] || 60);
const P = Number(process.argv[3] || 0.05);
const WRITERS = 16;
const FAILPOINTS = ['posix/io/rw/pwrite', 'posix/io/sync/fdatasync', 'posix/io/sync/fsync'];

async function main() {
  if (!fiuAvailable()) {
    console.log('iofail: SKIP: libfiu is not installed (apt-get install fiu-utils)');
    process.exit(0);
  }
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-iofail-'));
  const db = join(dir, 'f.db');
  const fifo = join(dir, 'fiu-ctrl');
  let srv = null;
  const started = Date.now();
  try {
    createDatabase(db);
    srv = await startServer(db, { fiu: fifo });
    const token = await adminToken(srv.base);
    const ledger = new Ledger('io');
    log(`iofail: ${BIN} under libfiu, ${SECONDS} s, probability ${P} on ${FAILPOINTS.join(', ')}`);

    // A few writes before the faults, so there is something to PATCH.
    let warm = false;
    await Promise.all(Array.from({ length: WRITERS }, (_, c) => writer(srv.base, token, ledger, c, {
      stop: () => warm || ledger.owned(c).length >= 3,
    })));
    warm = true;
    expect(ledger.errors.length === 0, `before the faults:\n  ${ledger.errors.join('\n  ')}`);

    fiuCtrl(srv, fifo, ...FAILPOINTS.map((f) => `enable_random name=${f},probability=${P}`));
    const deadline = Date.now() + SECONDS * 1000;
    const stop = () => Date.now() > deadline || !srv.alive();
    const readErrors = [];
    const [reads] = await Promise.all([
      reader(srv.base, token, { stop, errors: readErrors }),
      ...Array.from({ length: WRITERS }, (_, c) => writer(srv.base, token, ledger, c, { stop, allowed: [503, 507] })),
    ]);
    expect(srv.alive(), `the server died under I/O faults: ${JSON.stringify(srv.exit())}\n${srv.log().slice(-4000)}`);
    fiuCtrl(srv, fifo, ...FAILPOINTS.map((f) => `disable name=${f}`));
    log(`iofail: ${ledger.counts.created} creates and ${ledger.counts.patched} patches acknowledged, ` +
      `${ledger.counts.refused} refused (${JSON.stringify(ledger.statuses)}), ${reads} reads`);
    expect(ledger.errors.length === 0, `wrong answers under I/O faults:\n  ${ledger.errors.slice(0, 20).join('\n  ')}`);
    expect(readErrors.length === 0, `reads failed under write faults:\n  ${readErrors.slice(0, 20).join('\n  ')}`);
    expect(ledger.counts.refused > 0, 'no write was refused: the faults were not injected');
    expect(ledger.counts.created + ledger.counts.patched > 0, 'no write succeeded under faults');

    // Faults off: writes work again, then a clean stop.
    let writes = 0;
    await writer(srv.base, token, ledger, 0, { stop: () => writes++ >= 5 });
    expect(ledger.errors.length === 0, `writes fail after the faults were switched off:\n  ${ledger.errors.join('\n  ')}`);
    const exit = await srv.stop();
    expectNoSanitizerReport(srv, 'the run with I/O faults');
    srv = null;
    expect(exit.code === 0, `the server did not stop cleanly after the faults: ${JSON.stringify(exit)}`);
    const c = check(db);
    expect(c.ok, `switchyard check after I/O faults failed:\n${c.out}`);
    log(`iofail: ${c.out.split('\n').join('; ')}`);

    srv = await startServer(db);
    const problems = await ledger.verify(srv.base, token);
    expect(problems.length === 0, `after restart without faults:\n  ${problems.slice(0, 20).join('\n  ')}`);
    await srv.stop();
    expectNoSanitizerReport(srv, 'the restart');
    srv = null;
    log(`iofail: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    if (srv) await srv.kill9();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Failure ? `iofail: FAIL: ${e.message}` : e);
  process.exit(1);
});
