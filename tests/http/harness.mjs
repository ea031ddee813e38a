// harness.mjs - starts the real switchyard binary on an ephemeral port with a
// temporary database, and offers small request helpers for the HTTP tests.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const BIN = process.env.SWITCHYARD_BIN || 'build/switchyard';

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

// Starts a server. opts.demo loads the demo portfolio; opts.env adds
// environment variables; opts.args adds command-line arguments.
export async function startServer(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-test-'));
  // A caller may point at its own database with args: ['--db', path].
  const dbArg = opts.args ? opts.args.indexOf('--db') : -1;
  const db = dbArg >= 0 ? opts.args[dbArg + 1] : join(dir, 'test.db');
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--quiet'];
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
        body: JSON.stringify(role ? { name: `t-${name}-${Date.now()}-${Math.random()}`, role }
          : { name: `t-${name}-${Date.now()}-${Math.random()}` }),
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
    throw e;
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
