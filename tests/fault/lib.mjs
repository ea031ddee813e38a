// lib.mjs - shared pieces of the fault tests (tests/fault/*.mjs): starting
// and killing the real binary on a database that outlives it, an admin API
// token, `switchyard check`, fault injection with libfiu, and a ledger of
// acknowledged writes that is checked against the database after a restart.
// Everything listens on 127.0.0.1 only; every wait is bounded.
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const BIN = process.env.SWITCHYARD_BIN || 'build/switchyard';
// What every new workload must state (tests/http/harness.mjs has the same).
const DECIDED = Object.freeze({ owner: 'Test owner', ai_act_tier: 'minimal', data_classification: 'internal' });
export const ADMIN = { name: 'fault-admin', password: 'fault-admin-password-0123' };

export function log(...args) {
  console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...args);
}

export class Failure extends Error {}
export function expect(cond, message) {
  if (!cond) throw new Failure(message);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const SANITIZER = /ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer/;

// Fails when a server's output holds a sanitizer report.
export function expectNoSanitizerReport(srv, what) {
  const text = srv.log();
  const i = text.search(SANITIZER);
  expect(i < 0, `${what}: sanitizer report in the server log:\n${text.slice(Math.max(0, i - 200), i + 3000)}`);
}

// ---- the binary ---------------------------------------------------------------

// Runs a CLI command; returns { code, out }.
export function cli(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, signal: r.signal, out: (r.stdout || '') + (r.stderr || '') };
}

// `switchyard check`: integrity_check and the audit chain.
export function check(db) {
  const r = cli(['check', '--db', db]);
  const ok = r.code === 0 && /integrity_check: ok/.test(r.out) && /audit: ok/.test(r.out);
  return { ok, out: r.out.trim() };
}

// A PostgreSQL database of its own on the server whose admin URL is
// SWITCHYARD_TEST_PG (the fault tests' -pg runs): its URL, or null on
// SQLite. dropPgDatabase removes it.
const PG_ADMIN = process.env.SWITCHYARD_TEST_PG || '';
const psql = (url, text) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url],
  { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
export function pgDatabase(name) {
  if (!PG_ADMIN) return null;
  psql(PG_ADMIN, `CREATE DATABASE "${name}";`);
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}
export function dropPgDatabase(url) {
  if (url) psql(PG_ADMIN, `DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE);`);
}

// A fresh database with the schema, the catalogue and an admin user.
export function createDatabase(db) {
  let r = cli(['migrate', '--db', db]);
  expect(r.code === 0, `migrate failed: ${r.out}`);
  r = cli(['user', 'add', ADMIN.name, '--role', 'admin', '--db', db], `${ADMIN.password}\n`);
  expect(r.code === 0, `user add failed: ${r.out}`);
}

// The sanitizer runtime must come first when libfiu is preloaded into an
// ASan build: returns its path when BIN links it, else null.
export function asanRuntime() {
  try {
    const out = execFileSync('ldd', [BIN], { encoding: 'utf8' });
    const m = /libasan\.so[^\s]*\s+=>\s+(\S+)/.exec(out);
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

export const FIU_DIR = '/usr/lib/fiu';
export function fiuAvailable() {
  const which = spawnSync('sh', ['-c', 'command -v fiu-run && command -v fiu-ctrl'], { encoding: 'utf8' });
  return which.status === 0 && existsSync(join(FIU_DIR, 'fiu_posix_preload.so'));
}

// Starts `switchyard serve` on db. opts.fiu: run under `fiu-run -x` with
// remote control through FIFOs named opts.fiu + '-<pid>' (fiu-ctrl -f).
export async function startServer(db, opts = {}) {
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--quiet', ...(opts.args || [])];
  const env = { ...process.env, ...(opts.env || {}) };
  let cmd = BIN;
  let argv = args;
  if (opts.fiu) {
    const asan = asanRuntime();
    if (!asan) {
      cmd = 'fiu-run';
      argv = ['-x', '-f', opts.fiu, BIN, ...args];
    } else {
      // What fiu-run -x does, with the sanitizer runtime loaded first (an
      // ASan binary crashes when libfiu's wrappers come before it).
      env.LD_PRELOAD = `${asan} ${FIU_DIR}/fiu_run_preload.so ${FIU_DIR}/fiu_posix_preload.so`;
      env.FIU_CTRL_FIFO = opts.fiu;
      env.FIU_ENABLE = '';
    }
  }
  const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let exit = null;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => { exit = { code, signal }; resolve(exit); }));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Failure(`server did not start within 30 s:\n${text}`)), 30000);
    const onData = (chunk) => {
      text += chunk.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Failure(`server exited (${code ?? signal}) while starting:\n${text}`)); });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base, port, child, pid: child.pid, exited,
    log: () => text,
    exit: () => exit,
    alive: () => exit === null,
    // SIGTERM, then SIGKILL after 30 s; resolves the exit.
    async stop() {
      if (exit) return exit;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 30000);
      const e = await exited;
      clearTimeout(t);
      return e;
    },
    async kill9() {
      if (exit) return exit;
      child.kill('SIGKILL');
      return exited;
    },
  };
}

// fiu-ctrl against a server started with opts.fiu.
export function fiuCtrl(srv, fifo, ...commands) {
  const args = ['-f', fifo];
  for (const c of commands) args.push('-c', c);
  args.push(String(srv.pid));
  const r = spawnSync('fiu-ctrl', args, { encoding: 'utf8', timeout: 10000 });
  expect(r.status === 0, `fiu-ctrl ${commands.join('; ')} failed: ${r.stderr || r.stdout}`);
}

// ---- HTTP -------------------------------------------------------------------------

// fetch with a deadline; resolves { status, body, ctype } or { error }.
export async function call(base, method, path, { token, body, timeoutMs = 15000, ctype } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = ctype || 'application/json';
  try {
    const res = await fetch(base + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed = text;
    const ct = res.headers.get('content-type') || '';
    if (ct.includes('json') && text) {
      try { parsed = JSON.parse(text); } catch { /* left as text */ }
    }
    return { status: res.status, body: parsed, ctype: ct };
  } catch (e) {
    return { error: e.cause ? e.cause.code || String(e.cause) : e.name || String(e) };
  }
}

// Signs in as the fault admin and creates an API token (kept in the database).
export async function adminToken(base) {
  const s = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: ADMIN.name, password: ADMIN.password }),
  });
  if (s.status !== 201) throw new Failure(`sign-in failed: ${s.status} ${await s.text()}`);
  await s.arrayBuffer();
  const cookie = s.headers.get('set-cookie').split(';')[0];
  const t = await fetch(`${base}/api/v1/tokens`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: base },
    body: JSON.stringify({ name: `fault-${Date.now()}` }),
  });
  const body = await t.json();
  expect(t.status === 201, `token: ${t.status} ${JSON.stringify(body)}`);
  return body.token;
}

// ---- acknowledged writes ---------------------------------------------------------
//
// Writers create workloads named <prefix>-c<client>-<n> and PATCH only their
// own, setting `users` to a per-client counter (and `notes` to match), one
// request at a time. So the database must hold exactly:
//   - every create that was answered 201 (by id and name);
//   - for every workload, the last acknowledged `users` value, or the value
//     of the one request that had no answer (the server died under it);
//   - nothing of a create or PATCH answered 503/507: the answer says the
//     change was not saved.
export class Ledger {
  constructor(prefix) {
    this.prefix = prefix;
    this.created = new Map();     // name -> id (acknowledged)
    this.refused = new Set();     // names whose create was answered 503/507
    this.unknownCreates = new Set(); // names sent without an answer
    this.values = new Map();      // id -> { acked, unknown: Set }
    this.counts = { created: 0, patched: 0, refused: 0, unanswered: 0 };
    this.statuses = {};           // refusals by status
  }

  // Compares the database (through the API) with the ledger, then adopts
  // what unanswered requests turned out to have done.
  async verify(base, token) {
    const seen = new Map();
    for (let offset = 0; ; offset += 500) {
      const r = await call(base, 'GET', `/api/v1/workloads?limit=500&offset=${offset}&q=${encodeURIComponent(this.prefix)}`, { token, timeoutMs: 60000 });
      expect(r.status === 200, `listing workloads after restart: ${r.status ?? r.error} ${JSON.stringify(r.body).slice(0, 300)}`);
      for (const w of r.body.items) seen.set(w.name, w);
      if (offset + 500 >= r.body.total) break;
    }
    const byId = new Map([...seen.values()].map((w) => [w.id, w]));
    const problems = [];
    for (const [name, id] of this.created) {
      const w = seen.get(name);
      if (!w) problems.push(`acknowledged create ${name} (id ${id}) is missing`);
      else if (w.id !== id) problems.push(`${name} has id ${w.id}, acknowledged as ${id}`);
    }
    for (const name of this.refused) {
      if (seen.has(name)) problems.push(`create ${name} was answered 503/507 but is present`);
    }
    for (const [id, v] of this.values) {
      const w = byId.get(id);
      if (!w) continue; // reported above
      if (w.users !== v.acked && !v.unknown.has(w.users)) {
        problems.push(`workload ${id} has users=${w.users}; acknowledged ${v.acked}` +
          (v.unknown.size ? `, unanswered ${[...v.unknown].join(',')}` : ''));
      } else if (w.notes !== `v${w.users}`) {
        problems.push(`workload ${id}: notes ${JSON.stringify(w.notes)} do not match users=${w.users} (torn write)`);
      }
    }
    for (const name of this.unknownCreates) {
      const w = seen.get(name);
      if (w) {
        this.created.set(name, w.id);
        this.values.set(w.id, { acked: w.users, unknown: new Set() });
      }
    }
    this.unknownCreates.clear();
    for (const [id, v] of this.values) {
      const w = byId.get(id);
      if (w && v.unknown.size) v.acked = w.users;
      v.unknown.clear();
    }
    return problems;
  }

  owned(client) {
    const mine = [];
    for (const [name, id] of this.created) if (name.startsWith(`${this.prefix}-c${client}-`)) mine.push(id);
    return mine;
  }
}

// One writer: POSTs and PATCHes until stop() is true. `allowed` lists the
// statuses a write may get besides 200/201 (503/507 under faults). Anything
// else, or no answer while the server is meant to be up, is recorded in
// ledger.errors. Returns when stopped.
export async function writer(base, token, ledger, client, { stop, allowed = [], expectAnswers = () => true, padding = '' }) {
  ledger.errors = ledger.errors || [];
  let n = 0;
  // users values are unique per client across rounds (at most 10,000,000).
  ledger.counters = ledger.counters || new Map();
  if (!ledger.counters.has(client)) ledger.counters.set(client, client * 200000);
  while (!stop()) {
    const mine = ledger.owned(client);
    if (mine.length < 3 || Math.random() < 0.2) {
      const name = `${ledger.prefix}-c${client}-${n++}-${Math.random().toString(36).slice(2, 8)}`;
      const r = await call(base, 'POST', '/api/v1/workloads', {
        token,
        body: { ...DECIDED, name, track: 'other', status: 'pilot', criticality: 'low', users: 0, notes: 'v0', purpose: padding },
      });
      if (r.status === 201) {
        ledger.created.set(name, r.body.id);
        ledger.values.set(r.body.id, { acked: 0, unknown: new Set() });
        ledger.counts.created++;
      } else if (allowed.includes(r.status)) {
        expectProblem(ledger, r, `POST ${name}`);
        ledger.refused.add(name);
        ledger.counts.refused++;
      } else if (r.status === undefined) {
        ledger.unknownCreates.add(name);
        ledger.counts.unanswered++;
        if (expectAnswers()) ledger.errors.push(`POST ${name}: no answer (${r.error})`);
        if (stop()) break;
        await sleep(20);
      } else {
        ledger.errors.push(`POST ${name}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      }
    } else {
      const id = mine[Math.floor(Math.random() * mine.length)];
      const value = ledger.counters.get(client) + 1;
      ledger.counters.set(client, value);
      const r = await call(base, 'PATCH', `/api/v1/workloads/${id}`, {
        token, ctype: 'application/merge-patch+json', body: { users: value, notes: `v${value}` },
      });
      const v = ledger.values.get(id);
      if (r.status === 200) {
        v.acked = value;
        v.unknown.clear();
        ledger.counts.patched++;
      } else if (allowed.includes(r.status)) {
        expectProblem(ledger, r, `PATCH ${id}`);
        ledger.counts.refused++;
      } else if (r.status === undefined) {
        v.unknown.add(value);
        ledger.counts.unanswered++;
        if (expectAnswers()) ledger.errors.push(`PATCH ${id}: no answer (${r.error})`);
        if (stop()) break;
        await sleep(20);
      } else {
        ledger.errors.push(`PATCH ${id}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      }
    }
  }
}

function expectProblem(ledger, r, what) {
  ledger.statuses[r.status] = (ledger.statuses[r.status] || 0) + 1;
  if (!/^application\/problem\+json/.test(r.ctype) || typeof r.body !== 'object' || r.body.status !== r.status) {
    ledger.errors.push(`${what}: ${r.status} is not a problem+json document: ${r.ctype} ${JSON.stringify(r.body).slice(0, 200)}`);
  }
}

// A reader: GETs that must answer 200 while writes fail.
export async function reader(base, token, { stop, errors }) {
  let reads = 0;
  while (!stop()) {
    for (const path of ['/api/v1/health', '/api/v1/workloads?limit=5', '/api/v1/vendors?limit=5', '/api/v1/portfolio/summary']) {
      const r = await call(base, 'GET', path, { token });
      reads++;
      if (r.status !== 200) errors.push(`GET ${path}: ${r.status ?? r.error} ${JSON.stringify(r.body ?? '').slice(0, 200)}`);
    }
    await sleep(50);
  }
  return reads;
}
