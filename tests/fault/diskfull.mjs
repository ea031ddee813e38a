#!/usr/bin/env node
// diskfull.mjs - the database on a small, real filesystem that fills up:
// a tmpfs (mount needs root; without it the test is skipped with a
// message). The free space is taken by a filler file, then 8 clients write
// workloads with large texts until the disk is full, and on for a few
// seconds more, while a reader keeps reading. Then:
//   - writes answer 507 (or 503) as application/problem+json, never another
//     5xx, and the server stays up;
//   - reads answer 200 throughout;
//   - with space freed, writes succeed again;
//   - it stops cleanly, `switchyard check` is ok, and after a restart every
//     acknowledged write is there and no refused one.
// Usage (root): SWITCHYARD_BIN=build/switchyard node tests/fault/diskfull.mjs [SECONDS]
import { mkdtempSync, rmSync, openSync, writeSync, closeSync, statfsSync, unlinkSync, truncateSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BIN, Failure, Ledger, adminToken, check, createDatabase, expect, expectNoSanitizerReport, log, reader, sleep, startServer, writer,
} from './lib.mjs';

const SECONDS = Number(process.argv[2] || 10);
const SIZE = '8m';
const WRITERS = 8;

function mount(dir) {
  if (process.getuid && process.getuid() !== 0) return 'not root';
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr || `mount exited ${r.status}`).trim();
}

function umount(dir) {
  spawnSync('umount', [dir]);
}

// Fills the filesystem to the last block (ENOSPC ends it).
function fill(file) {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (e) {
    if (e.code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return written;
}

async function main() {
  const mnt = mkdtempSync(join(tmpdir(), 'switchyard-diskfull-'));
  const why = mount(mnt);
  if (why) {
    console.log(`diskfull: SKIP: cannot mount a small tmpfs (${why}); run as root to test a full disk`);
    rmSync(mnt, { recursive: true, force: true });
    process.exit(0);
  }
  const db = join(mnt, 'd.db');
  let srv = null;
  const started = Date.now();
  try {
    createDatabase(db);
    srv = await startServer(db);
    const token = await adminToken(srv.base);
    const ledger = new Ledger('df');
    const padding = 'p'.repeat(2000);
    // Something to PATCH before the disk fills.
    await Promise.all(Array.from({ length: WRITERS }, (_, c) => writer(srv.base, token, ledger, c, {
      stop: () => ledger.owned(c).length >= 3, padding,
    })));
    expect(ledger.errors.length === 0, `before the disk filled:\n  ${ledger.errors.join('\n  ')}`);

    const filler = join(mnt, 'filler');
    // Full to the last block, then 512 KiB back: the disk fills under load.
    const filled = fill(filler);
    truncateSync(filler, Math.max(0, filled - 512 * 1024));
    const free = statfsSync(mnt);
    log(`diskfull: ${BIN} on a ${SIZE} tmpfs; filler ${(filled / 1048576).toFixed(1)} MiB, ${free.bavail * free.bsize} bytes left`);

    // Write until refused, then SECONDS more.
    let fullAt = 0;
    const deadline = () => (fullAt ? fullAt + SECONDS * 1000 : Date.now() + 60000);
    const hardStop = Date.now() + 120000;
    const stop = () => {
      if (!fullAt && ledger.counts.refused > 0) fullAt = Date.now();
      return Date.now() > deadline() || Date.now() > hardStop || !srv.alive();
    };
    const readErrors = [];
    const [reads] = await Promise.all([
      reader(srv.base, token, { stop, errors: readErrors }),
      ...Array.from({ length: WRITERS }, (_, c) => writer(srv.base, token, ledger, c, { stop, allowed: [507, 503], padding })),
    ]);
    expect(srv.alive(), `the server died on a full disk: ${JSON.stringify(srv.exit())}\n${srv.log().slice(-4000)}`);
    log(`diskfull: ${ledger.counts.created} creates and ${ledger.counts.patched} patches acknowledged, ` +
      `${ledger.counts.refused} refused (${JSON.stringify(ledger.statuses)}), ${reads} reads`);
    expect(fullAt > 0, 'the disk never filled: no write was refused');
    expect(ledger.errors.length === 0, `wrong answers on a full disk:\n  ${ledger.errors.slice(0, 20).join('\n  ')}`);
    expect(readErrors.length === 0, `reads failed on a full disk:\n  ${readErrors.slice(0, 20).join('\n  ')}`);

    // Space again: writes work.
    unlinkSync(filler);
    let writes = 0;
    await writer(srv.base, token, ledger, 0, { stop: () => writes++ >= 5, padding });
    expect(ledger.errors.length === 0, `writes fail after space was freed:\n  ${ledger.errors.join('\n  ')}`);
    const exit = await srv.stop();
    expectNoSanitizerReport(srv, 'the run with full disk');
    srv = null;
    expect(exit.code === 0, `the server did not stop cleanly: ${JSON.stringify(exit)}`);
    const c = check(db);
    expect(c.ok, `switchyard check after a full disk failed:\n${c.out}`);
    log(`diskfull: ${c.out.split('\n').join('; ')}`);

    srv = await startServer(db);
    const problems = await ledger.verify(srv.base, token);
    expect(problems.length === 0, `after restart:\n  ${problems.slice(0, 20).join('\n  ')}`);
    await srv.stop();
    expectNoSanitizerReport(srv, 'the restart');
    srv = null;
    log(`diskfull: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    if (srv) await srv.kill9();
    await sleep(100);
    umount(mnt);
    rmSync(mnt, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Failure ? `diskfull: FAIL: ${e.message}` : e);
  process.exit(1);
});
