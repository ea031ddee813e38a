// harness.mjs - starts the real switchyard binary on an ephemeral port with a
// temporary database, and offers small request helpers for the HTTP tests.
//
// The database is an SQLite file, or, when SWITCHYARD_TEST_PG holds the URL
// of a PostgreSQL server whose role may create databases (e.g. from
// `tests/pg/cluster.sh url`), a PostgreSQL database of its own per server:
// created with psql, passed as --db postgres://..., dropped by stop(). Tests
// that need a database outside startServer take one from freshDb(), run SQL
// on it with sql() (the sqlite3 shell or psql), and read everything it holds
// with dbBytes(); `onPostgres` tells them which engine they are on.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import net from 'node:net';

export const BIN = process.env.SWITCHYARD_BIN || 'build/switchyard';

// ---- the database engine ---------------------------------------------------

const PG_ADMIN = process.env.SWITCHYARD_TEST_PG || '';
export const onPostgres = PG_ADMIN !== '';
export const ENGINE = onPostgres ? 'postgres' : 'sqlite';

// The admin URL with its database name replaced (query string kept).
function pgUrl(dbname) {
  const u = new URL(PG_ADMIN);
  u.pathname = `/${dbname}`;
  return u.toString();
}

function psql(url, text, extra = []) {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...extra, '-d', url],
    { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

// PostgreSQL databases this process created, dropped at the latest on exit.
const created = new Set();
// The directory a database "lives in": where the server keeps the report
// signing key (for an SQLite file, the file's own directory).
const homes = new Map();
let serial = 0;

function dropDatabase(url) {
  if (!created.delete(url)) return;
  const name = new URL(url).pathname.slice(1);
  psql(PG_ADMIN, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE);`);
}
process.on('exit', () => {
  for (const url of [...created]) {
    try { dropDatabase(url); } catch { /* the cluster may be gone already */ }
  }
});

// A new, empty database: on SQLite the path `name` in dir (not created yet),
// on PostgreSQL a new database with a unique name, whose key directory is
// dir. Dropped when the process exits (or by dropDb).
export function freshDb(dir, name = 'test.db') {
  if (!onPostgres) return join(dir, name);
  const url = freshName(dir);
  // C.UTF-8, not C: the store must not depend on the database's locale
  // (its tables compare text byte by byte whatever the locale; a parameter
  // or literal takes the database's).
  psql(PG_ADMIN, `CREATE DATABASE "${new URL(url).pathname.slice(1)}" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8';`);
  created.add(url);
  return url;
}

// The URL of a database name unique to this process, homed in dir.
function freshName(dir) {
  const url = pgUrl(`sy_${process.pid}_${++serial}_${Date.now() % 100000000}`);
  homes.set(url, dir);
  return url;
}

// A copy of a database nobody is using: on SQLite the files copied to
// `name` in dir, on PostgreSQL a new database made from it as a template.
export function copyDb(from, dir, name = 'copy.db') {
  if (!onPostgres) {
    const to = join(dir, name);
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
    }
    return to;
  }
  const url = freshName(dir);
  const source = new URL(from).pathname.slice(1);
  psql(PG_ADMIN, `CREATE DATABASE "${new URL(url).pathname.slice(1)}" TEMPLATE "${source}";`);
  created.add(url);
  return url;
}

// Drops a database made by freshDb (PostgreSQL; an SQLite file goes with
// its directory).
export function dropDb(db) {
  if (onPostgres) dropDatabase(db);
}

// Runs SQL on a database (stops at the first error) and returns what the
// shell prints: one line per row, columns separated by '|', NULL empty.
export function sql(db, text) {
  if (db.startsWith('postgres')) return psql(db, `${text}\n`);
  return execFileSync('sqlite3', ['-bail', db], { input: `.timeout 5000\n${text}\n`, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

// Everything the database holds, as bytes: the SQLite files (with the WAL),
// or PostgreSQL's data as pg_dump writes it.
export function dbBytes(db) {
  if (db.startsWith('postgres')) {
    const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', '-d', db],
      { maxBuffer: 256 << 20, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // Newer pg_dump fences the script with a random key: not data.
    return Buffer.from(dump.split('\n').filter((l) => !/^\\(un)?restrict /.test(l)).join('\n'));
  }
  return Buffer.concat([db, `${db}-wal`, `${db}-shm`].filter(existsSync).map((f) => readFileSync(f)));
}

// --db for a command-line run against db, with the key directory the server
// uses (PostgreSQL has no file for it to sit beside).
export function dbArgs(db) {
  const home = homes.get(db);
  return onPostgres && home ? ['--db', db, '--key-dir', home] : ['--db', db];
}

// The decisions a new workload must state (POST and PUT refuse it without
// them, issue 13: no default hides a decision): the accountable owner, the
// EU AI Act tier and the data classification. The values are the defaults
// the server used to fill in, so tests that add them score as before.
export const DECIDED = Object.freeze({ owner: 'Test owner', ai_act_tier: 'minimal', data_classification: 'internal' });
// A workload document with those decisions; fields given win.
export const workloadBody = (fields = {}) => ({ ...DECIDED, ...fields });

// A file for the server's injected clock (SWITCHYARD_NOW=@FILE), in a
// directory of its own that goes when the test process exits.
export function clockFile() {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-clock-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'now');
}

// Without the demo there are no users: the harness creates this admin.
export const TEST_ADMIN = { name: 'tester', password: 'tester-password-0123' };

// Per-server admin API tokens, so api() authenticates by default.
const tokens = new Map();

// Creates the tester admin with the command line (idempotent).
function addTester(db) {
  try {
    execFileSync(BIN, ['user', 'add', TEST_ADMIN.name, '--role', 'admin', '--db', db],
      { input: `${TEST_ADMIN.password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  } catch (e) {
    // Already there from an earlier start on the same database.
    if (!/already has this name/.test(String(e.stderr))) throw e;
  }
}

// Starts a server. opts.demo loads the demo portfolio (opts.evidence also
// imports its evidence files); opts.env adds
// environment variables; opts.args adds command-line arguments.
export async function startServer(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-test-'));
  // A caller may point at its own database with args: ['--db', db] (from
  // freshDb, or another server's srv.db); else the server gets a new one,
  // which stop() removes.
  const dbArg = opts.args ? opts.args.indexOf('--db') : -1;
  const own = dbArg < 0;
  const db = own ? freshDb(dir) : opts.args[dbArg + 1];
  if (onPostgres && !db.startsWith('postgres')) throw new Error(`--db ${db}: use freshDb() for a database of your own`);
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--quiet'];
  // The signing key sits where it would beside an SQLite file.
  if (onPostgres && !(opts.args || []).includes('--key-dir')) args.push('--key-dir', homes.get(db) || dir);
  // The demo's evidence files (seeds/evidence) stay out unless asked for,
  // so the demo answers the tests expect are the declared portfolio's.
  if (!opts.evidence) args.push('--no-demo-evidence');
  if (opts.demo !== false) args.push('--demo');
  else {
    addTester(db);
  }
  if (opts.args) args.push(...opts.args);
  const child = spawn(BIN, args, {
    env: { ...process.env, ...(opts.env || {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 15000);
    const onData = (chunk) => {
      log += chunk.toString();
      const m = log.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${log}`)); });
  });
  child.stdout.on('data', (c) => { log += c.toString(); });
  child.stderr.on('data', (c) => { log += c.toString(); });
  const base = `http://127.0.0.1:${port}`;
  // Demo users print their passwords once at first start.
  const users = {};
  for (const m of log.matchAll(/demo user (\w+)\s+password (\S+)/g)) users[m[1]] = m[2];
  if (opts.demo === false) users[TEST_ADMIN.name] = TEST_ADMIN.password;
  const adminName = opts.demo === false ? TEST_ADMIN.name : 'admin';
  const srv = {
    base, port, db, dir, child, users,
    log: () => log,
    // SQL on this server's database (see sql()).
    sql: (text) => sql(db, text),
    // Signs in as `name` and returns the session cookie ("sy_session=...").
    async signIn(name, password = users[name]) {
      const res = await fetch(`${base}/api/v1/session`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, password }),
      });
      if (res.status !== 201) throw new Error(`sign-in as ${name}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      return res.headers.get('set-cookie').split(';')[0];
    },
    // An API token for a user (default role: the user's own).
    async tokenFor(name, role) {
      const cookie = await srv.signIn(name);
      const res = await fetch(`${base}/api/v1/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: base },
        // Test tokens may create tokens (the permission matrix checks roles;
        // tokens.test.mjs checks tokens without that right).
        body: JSON.stringify(role ? { name: `t-${name}-${Date.now()}-${Math.random()}`, role, may_create_tokens: true }
          : { name: `t-${name}-${Date.now()}-${Math.random()}`, may_create_tokens: true }),
      });
      const body = await res.json();
      if (res.status !== 201) throw new Error(`token for ${name}: ${res.status} ${JSON.stringify(body)}`);
      return body.token;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      tokens.delete(base);
      // SWITCHYARD_TEST_LOGS=DIR keeps every server's log there.
      if (process.env.SWITCHYARD_TEST_LOGS) {
        writeFileSync(join(process.env.SWITCHYARD_TEST_LOGS, `${process.pid}-${port}.log`), log);
      }
      if (own) dropDb(db);
      rmSync(dir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
  try {
    let admin = adminName;
    if (!users[admin]) {
      // A demo database started again prints no passwords: add the tester.
      addTester(db);
      users[TEST_ADMIN.name] = TEST_ADMIN.password;
      admin = TEST_ADMIN.name;
    }
    srv.token = await srv.tokenFor(admin);
  } catch (e) {
    child.kill('SIGKILL');
    throw e; // an own PostgreSQL database goes when the process exits
  }
  tokens.set(base, srv.token);
  return srv;
}

// JSON request helper: returns { status, headers, body (parsed or text) }.
// Authenticates as the server's admin unless headers name Authorization
// (an empty Authorization means: no credentials at all).
export async function api(base, method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  const named = Object.keys(init.headers).find((k) => k.toLowerCase() === 'authorization');
  if (named === undefined) {
    if (tokens.has(base)) init.headers.Authorization = `Bearer ${tokens.get(base)}`;
  } else if (!init.headers[named]) {
    delete init.headers[named];
  }
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    if (!('content-type' in Object.fromEntries(Object.entries(init.headers).map(([k, v]) => [k.toLowerCase(), v])))) {
      init.headers['Content-Type'] = 'application/json';
    }
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed = text;
  const ct = res.headers.get('content-type') || '';
  if (ct.includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed };
}

// Sends raw bytes over a socket and returns the raw response text, for
// requests fetch() will not make (bad framing, conflicting headers).
export function raw(port, text, { timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    const timer = setTimeout(() => { sock.destroy(); resolve(out); }, timeoutMs);
    sock.on('data', (d) => { out += d.toString(); });
    sock.on('end', () => { clearTimeout(timer); resolve(out); });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.write(text);
  });
}

// Signs in from a chosen loopback source address (127.0.0.x), for the
// per-address sign-in limits; resolves { status, headers, body }.
export function signInFrom(port, localAddress, name, password) {
  const body = JSON.stringify({ name, password });
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path: '/api/v1/session', method: 'POST', localAddress, agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
