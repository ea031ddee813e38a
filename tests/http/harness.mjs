// harness.mjs - starts the real switchyard binary on an ephemeral port with a
// temporary database, and offers small request helpers for the HTTP tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const BIN = process.env.SWITCHYARD_BIN || 'build/switchyard';

// Starts a server. opts.demo loads the demo portfolio; opts.env adds
// environment variables; opts.args adds command-line arguments.
export async function startServer(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-test-'));
  const db = join(dir, 'test.db');
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--quiet'];
  if (opts.demo !== false) args.push('--demo');
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
  return {
    base, port, db, dir, child,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
}

// JSON request helper: returns { status, headers, body (parsed or text) }.
export async function api(base, method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
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
