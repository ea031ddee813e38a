#!/usr/bin/env node
// http_fuzz.mjs - black-box HTTP fuzzing of the real server, meant for the
// ASan + UBSan build (cmake -DSWITCHYARD_SANITIZE=ON).
//
// For a bounded time it sends random methods, paths (the route table's
// patterns with mutated segments, encoded junk, long strings, random bytes),
// headers (Content-Type, Content-Length mismatches, Transfer-Encoding, huge
// and many headers, If-Match) and bodies (mutated documents the API itself
// returned, random bytes, deep nesting, oversized), over raw sockets, mostly
// with an admin token. It fails when:
//   - any answer is 5xx (none is allowed without injected faults; the one
//     exception is 505 to a request whose HTTP version is not 1.0/1.1),
//   - an API error is not application/problem+json,
//   - a well-formed request gets no answer (time-out or a bare close),
//   - the health check stops answering 200 within 5 s, or the server exits,
//   - the server log shows a sanitizer report, or it does not stop cleanly.
//
// Environment: SWITCHYARD_BIN (default build/switchyard),
//   SWITCHYARD_HTTP_FUZZ_SECONDS (default 120), SWITCHYARD_HTTP_FUZZ_SEED
//   (default: fixed, so runs repeat), SWITCHYARD_HTTP_FUZZ_WORKERS (4).
// Loopback only: the server listens on 127.0.0.1 on an ephemeral port.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, api } from '../http/harness.mjs';
import { exchange, request } from './rawhttp.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.SWITCHYARD_HTTP_FUZZ_SECONDS || 120);
const SEED = Number(process.env.SWITCHYARD_HTTP_FUZZ_SEED || 20260501);
const WORKERS = Number(process.env.SWITCHYARD_HTTP_FUZZ_WORKERS || 4);
const SANITIZER = /ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer/;

// ---- a seeded PRNG (mulberry32), so a seed names a run -------------------
let state = SEED >>> 0;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rnd() * n);
const pick = (a) => a[int(a.length)];
const chance = (p) => rnd() < p;
function weighted(pairs) {
  const total = pairs.reduce((s, [w]) => s + w, 0);
  let r = rnd() * total;
  for (const [w, v] of pairs) { if ((r -= w) < 0) return typeof v === 'function' ? v() : v; }
  return pairs[pairs.length - 1][1];
}
const randomBytes = (n, lo = 0, hi = 256) => Buffer.from(Array.from({ length: n }, () => lo + int(hi - lo)));

// ---- the route table, read from the source ---------------------------------
const ROUTES = [...readFileSync(join(here, '../../server/api/routes.c'), 'utf8')
  .matchAll(/R\("(\w+)", "([^"]+)", \w+, \w+, ([\w|]+)/g)]
  .map(([, method, pattern, flags]) => ({ method, pattern, body: flags.includes('RF_BODY') }));
if (ROUTES.length < 20) throw new Error(`could not read the route table (${ROUTES.length} routes)`);

const TRACKS = ['copilot', 'azure', 'openai', 'other'];
const QUERY_NAMES = ['limit', 'offset', 'sort', 'q', 'track', 'status', 'criticality', 'kind', 'category',
  'vendor', 'offering', 'risk_level', 'flagged', 'basis', 'connected', 'action', 'entity', 'actor', 'since', 'until'];
const JUNK_SEGMENTS = ['', '.', '..', '%2e%2e', '%2F', '%00', '%zz', '%', '0', '-1', '007', '+5', '1e3', '0x10',
  '9223372036854775807', '9223372036854775808', '99999999999999999999999', ' ', '%20', '\u00e9', '%C3%A9', '%FF',
  'null', 'undefined', '{id}', '*', ';', ',', '~', 'a'.repeat(300)];

// ---- documents to mutate, from the API itself ------------------------------
const docs = { vendors: [], offerings: [], contracts: [], workloads: [], scenarios: [], users: [], tokens: [] };
const ids = { vendors: [], offerings: [], contracts: [], workloads: [], scenarios: [], users: [], tokens: [] };
const protectedIds = { users: new Set(), tokens: new Set() };

function collection(pattern) {
  const m = /^\/api\/v1\/(\w+)/.exec(pattern);
  return m ? m[1] : null;
}

function fillPattern(pattern) {
  const coll = collection(pattern);
  return pattern.replace(/\{(\w+)\}/g, (_, name) => {
    if (name === 'track') return chance(0.8) ? pick(TRACKS) : encodeJunk(pick(JUNK_SEGMENTS));
    const known = ids[coll] || [];
    let id = weighted([
      [6, () => (known.length ? pick(known) : 1 + int(50))],
      [2, () => 1 + int(100000)],
      [2, () => encodeJunk(pick(JUNK_SEGMENTS))],
    ]);
    // Keep the fuzzer's own admin and its token usable.
    if (protectedIds[coll] && protectedIds[coll].has(id)) id = 999999;
    return String(id);
  });
}

function encodeJunk(s) {
  // Request targets may not hold raw spaces, CR or LF: percent-encode those.
  return s.replace(/[\s\x00-\x1f\x7f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function mutatePath(path) {
  return weighted([
    [30, path],
    [3, path + '/'],
    [3, path.replace('/api/v1/', '/api/v1//')],
    [3, path + '/' + encodeJunk(pick(JUNK_SEGMENTS))],
    [2, path.toUpperCase()],
    [2, path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)],
    [2, path + '/..' + '/x'],
    [2, path + ';x=1'],
    [1, path + '/' + 'x'.repeat(5000)],
    [1, '/api/v1/' + encodeJunk(randomBytes(1 + int(30), 0x21, 0x7f).toString('latin1'))],
    [1, '/api/' + [...randomBytes(1 + int(40))].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')],
    [1, '/' + 'a/'.repeat(500)],
  ]);
}

function randomQuery() {
  const n = int(4);
  const parts = [];
  for (let i = 0; i < n; i++) {
    const name = chance(0.85) ? pick(QUERY_NAMES) : encodeJunk(pick(JUNK_SEGMENTS));
    const value = weighted([
      [4, () => String(int(600) - 50)],
      [3, () => pick(['name', '-name', '-updated_at', 'risk', '-risk', 'spend', 'true', 'false', ...TRACKS, 'production', 'high', 'customer'])],
      [2, () => encodeJunk(pick(JUNK_SEGMENTS))],
      [1, () => 'x'.repeat(int(3000))],
      [1, () => [...randomBytes(int(20))].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')],
    ]);
    parts.push(chance(0.1) ? name : `${name}=${value}`);
  }
  return parts.length ? '?' + parts.join(chance(0.1) ? '&&' : '&') : '';
}

// ---- bodies ------------------------------------------------------------------
const WEIRD_VALUES = [null, true, false, 0, -1, 1.5, 1e308, -1e308, 9007199254740993, 2 ** 63, '', ' ', 'x'.repeat(5000),
  '\u0000', '\ud800', '\u202e', '=cmd|x', '<script>', '2026-02-30', '0000-01-01', '9999-12-31', [], {}, [1, 2], { a: { b: {} } },
  'https://example.org', 'javascript:alert(1)', 'US', 'usd'];

function mutateValue(v, depth = 0) {
  if (depth > 4 || chance(0.4)) return pick(WEIRD_VALUES);
  if (Array.isArray(v)) {
    const a = v.map((x) => (chance(0.3) ? mutateValue(x, depth + 1) : x));
    if (chance(0.3)) a.push(mutateValue(pick(a.length ? a : [{}]), depth + 1));
    if (chance(0.2) && a.length) a.splice(int(a.length), 1);
    if (chance(0.05)) return Array.from({ length: 40 + int(300) }, () => pick(a.length ? a : [1]));
    return a;
  }
  if (v && typeof v === 'object') return mutateDoc(v, depth + 1);
  if (typeof v === 'number') return pick([v + 1, -v, v * 1e9, 0.001, Math.floor(v / 3), String(v)]);
  if (typeof v === 'string') return pick([v + v, v.slice(1), v.toUpperCase(), '', v + '\u0301', v.repeat(50)]);
  return pick(WEIRD_VALUES);
}

function mutateDoc(doc, depth = 0) {
  const d = { ...doc };
  const keys = Object.keys(d);
  const edits = 1 + int(3);
  for (let i = 0; i < edits; i++) {
    const k = keys.length ? pick(keys) : 'x';
    weighted([
      [5, () => { d[k] = mutateValue(d[k], depth); }],
      [2, () => { delete d[k]; }],
      [1, () => { d[`junk_${int(1000)}`] = mutateValue(null, depth); }],
      [1, () => { for (let j = 0; j < 20; j++) d[`x${j}`] = j; }],
      [1, () => { d[k] = null; }],
    ]);
  }
  return d;
}

function deepNesting() {
  const n = pick([100, 1000, 2047, 2049, 5000, 20000]);
  return chance(0.5) ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n);
}

function jsonText(v) {
  let s = JSON.stringify(v);
  if (chance(0.05)) s = s.replace('{', '{"name":"dup","name":"dup",');
  if (chance(0.05)) s = s.slice(0, int(s.length));                 // truncated
  if (chance(0.03)) s = s.replace(/"([^"]*)"/, '"$1\\u0000"');     // embedded NUL
  if (chance(0.03)) s = s.replace(/"([^"]*)"/, '"$1\\ud800"');     // lone surrogate
  return s;
}

function bodyFor(route) {
  const coll = collection(route.pattern);
  const known = docs[coll] || [];
  return weighted([
    [10, () => jsonText(known.length ? mutateDoc(pick(known)) : mutateDoc({ name: 'x' }))],
    [3, () => jsonText(known.length ? pick(known) : {})],
    [2, () => jsonText(pick(WEIRD_VALUES))],
    [2, () => randomBytes(int(400))],
    [1, () => deepNesting()],
    [1, () => ''],
    [1, () => '{"name":"' + 'x'.repeat(900 * 1024) + '"}'],
    [1, () => 'x'.repeat(1024 * 1024 + 10)],                      // over the 1 MiB limit
    [2, () => jsonText({ changes: [{ type: pick(['exit_group', 'withdraw_offering', 'end_contract', 'add_swap_layer', 'x']), vendor: int(20), offering: int(30), contract: int(20), on: pick(['2026-12-31', '2026-02-30', 5]), workloads: [int(60), int(60)] }] })],
    [1, () => jsonText({ weights: { no_swap_layer: pick([25, -1, 1000, 'x', null]), [pick(['single_group', 'junk'])]: int(200) } })],
    [1, () => jsonText({ name: pick(['admin', 'x', '']), password: pick(['wrong-password-123', '', 'x'.repeat(5000)]) })],
  ]);
}

// ---- one request -------------------------------------------------------------
function buildRequest(token) {
  const r = { wellFormed: true, versionJunk: false, halfClose: false };
  const route = pick(ROUTES);
  r.route = route;
  let method = weighted([
    [12, route.method],
    [4, () => pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'])],
    [1, 'OPTIONS'],
    [1, () => pick(['BREW', 'get', 'PROPFIND', 'TRACE', 'CONNECT', 'G\u00e9T', 'X'.repeat(200)])],
  ]);
  if (/[^\x21-\x7e]/.test(method) || method.length > 20) r.wellFormed = false;
  let target = mutatePath(fillPattern(route.pattern)) + (chance(0.3) ? randomQuery() : '');
  if (chance(0.01)) { target = '*'; r.wellFormed = false; }
  if (chance(0.01)) { target = 'http://127.0.0.1' + target; r.wellFormed = false; }
  let version = 'HTTP/1.1';
  if (chance(0.02)) { version = pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1x', 'HTTX/1.1', '']); r.versionJunk = version !== 'HTTP/1.0'; }

  const headers = [['Host', '127.0.0.1']];
  if (chance(0.85)) headers.push(['Authorization', `Bearer ${token}`]);
  else if (chance(0.5)) headers.push(['Authorization', pick(['Bearer ', 'Bearer x', `Bearer ${token}x`, 'Basic YWRtaW46YWRtaW4=', 'Bearer ' + 'a'.repeat(3000)])]);
  if (chance(0.05)) headers.push(['Cookie', pick(['sy_session=x', 'sy_session=' + 'a'.repeat(500), 'a=b; sy_session=', '\u00ff=\u00ff'])]);
  if (chance(0.05)) headers.push(['Origin', pick(['http://127.0.0.1', 'http://evil.example', 'null'])]);
  if (chance(0.1)) headers.push(['If-Match', pick(['*', '"1-1"', 'W/"1-1"', '"', '"1-99999999999999999999"', '"a-b", "2-3"', 'x'.repeat(200)])]);
  if (chance(0.05)) headers.push(['If-None-Match', pick(['*', '"x"', '""'])]);

  let body = null;
  const wantsBody = route.body ? chance(0.9) : chance(0.1);
  if (wantsBody) {
    body = bodyFor(route);
    body = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const ct = weighted([
      [14, 'application/json'],
      [2, 'application/json; charset=utf-8'],
      [2, 'application/merge-patch+json'],
      [1, 'text/plain'],
      [1, 'application/JSON '],
      [1, 'application/x-www-form-urlencoded'],
      [1, 'x'.repeat(2000)],
      [1, null],
    ]);
    if (ct) headers.push(['Content-Type', ct]);
    const framing = weighted([[16, 'length'], [2, 'chunked'], [1, 'short'], [1, 'long'], [1, 'junk-length'], [1, 'both'], [1, 'te-junk'], [1, 'none']]);
    if (framing === 'length') headers.push(['Content-Length', String(body.length)]);
    else if (framing === 'chunked') {
      headers.push(['Transfer-Encoding', 'chunked']);
      const chunks = [];
      for (let i = 0; i < body.length; i += 1000) {
        const part = body.subarray(i, i + 1000);
        chunks.push(Buffer.from(part.length.toString(16) + '\r\n'), part, Buffer.from('\r\n'));
      }
      chunks.push(Buffer.from(chance(0.8) ? '0\r\n\r\n' : 'zz\r\n\r\n'));
      body = Buffer.concat(chunks);
    } else if (framing === 'short') {
      headers.push(['Content-Length', String(Math.max(0, body.length - 1 - int(10)))]);
    } else if (framing === 'long') {
      headers.push(['Content-Length', String(body.length + 1 + int(1000))]);
      r.halfClose = true;     // the server would wait for the rest
      r.wellFormed = false;
    } else if (framing === 'junk-length') {
      headers.push(['Content-Length', pick(['-1', 'abc', '99999999999999999999', '1, 2', '0x10', ''])]);
      r.wellFormed = false;
    } else if (framing === 'both') {
      headers.push(['Content-Length', String(body.length)], ['Transfer-Encoding', 'chunked']);
      r.wellFormed = false;
    } else if (framing === 'te-junk') {
      headers.push(['Transfer-Encoding', pick(['gzip', 'chunked, gzip', 'identity', 'x'.repeat(100)])]);
      r.wellFormed = false;
    } else {
      r.halfClose = true;     // no framing: the body may be read to the close
    }
  }
  if (chance(0.02)) { headers.push(['X-Huge', 'h'.repeat(pick([8000, 17000, 70000]))]); r.wellFormed = false; }
  if (chance(0.02)) { for (let i = 0; i < pick([60, 120, 300]); i++) headers.push([`X-Many-${i}`, String(i)]); r.wellFormed = false; }
  if (chance(0.01)) { headers.push(['X-Bytes', randomBytes(40, 0x80, 0x100).toString('latin1')]); }
  if (chance(0.01)) { headers.push(['Bad Header', 'x']); r.wellFormed = false; }
  headers.push(['Connection', chance(0.8) ? 'close' : 'keep-alive']);

  let head = `${method} ${target}${version ? ' ' + version : ''}\r\n` +
    headers.map(([k, v]) => `${k}: ${v}`).join('\r\n') + '\r\n\r\n';
  if (chance(0.01)) { head = randomBytes(1 + int(200)).toString('latin1') + '\r\n\r\n'; r.wellFormed = false; }
  r.method = method;
  r.target = target;
  r.bytes = body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
  r.headOnly = method === 'HEAD';
  r.api = target.startsWith('/api/');
  return r;
}

// ---- the run -------------------------------------------------------------------
const failures = [];
const statuses = new Map();
let sent = 0;
const outDir = mkdtempSync(join(tmpdir(), 'switchyard-http-fuzz-'));

function fail(kind, r, res, note = '') {
  if (failures.length >= 50) return;
  const n = failures.length;
  // The whole request, to replay it: node tests/fault/http_fuzz.mjs --replay FILE
  if (r) writeFileSync(join(outDir, `request-${n}.bin`), r.bytes);
  failures.push({ kind, note, method: r && r.method, target: r && r.target && r.target.slice(0, 300),
    bytes: r && r.bytes.length, error: res && res.error, status: res && res.status,
    response: res && res.raw && res.raw.slice(0, 400), file: r ? `request-${n}.bin` : null });
}

function judge(r, res) {
  const key = res.status || (res.timedOut ? 'timeout' : res.sent ? 'closed' : 'reset-while-sending');
  statuses.set(key, (statuses.get(key) || 0) + 1);
  if (res.status >= 500) {
    if (!(res.status === 505 && r.versionJunk)) fail('5xx', r, res);
    return;
  }
  if (res.status === -1) { fail('not an HTTP response', r, res); return; }
  if (res.status === 0) {
    // No answer: acceptable for requests that are not HTTP as we know it,
    // and when the server closed while we were still sending (it answered
    // early without reading a large body; TCP's reset may drop that answer).
    if (r.wellFormed && !r.versionJunk && res.sent) {
      fail(res.timedOut ? 'no answer (time-out)' : 'closed without an answer', r, res);
    }
    return;
  }
  if (r.api && res.status >= 400 && !/^application\/problem\+json/.test(res.headers['content-type'] || '')) {
    fail('API error without problem+json', r, res);
  }
}

async function health(port) {
  const res = await exchange(port, request('GET', '/api/v1/health'), { timeoutMs: 5000 });
  return res.status === 200;
}

async function main() {
  const env = {
    ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1:abort_on_error=1:strict_string_checks=1',
    UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'print_stacktrace=1:halt_on_error=1',
  };
  const srv = await startServer({ env });
  const { port, token } = srv;
  console.log(`http_fuzz: server on 127.0.0.1:${port}, ${SECONDS}s, seed ${SEED}, ${WORKERS} workers, ${ROUTES.length} routes`);
  for (const coll of Object.keys(docs)) {
    const res = await api(srv.base, 'GET', `/api/v1/${coll}${coll === 'users' || coll === 'tokens' ? '' : '?limit=500'}`);
    if (res.status === 200) {
      docs[coll] = res.body.items || [];
      ids[coll] = docs[coll].map((d) => d.id);
    }
  }
  for (const u of docs.users) if (u.name === 'admin') protectedIds.users.add(u.id);
  for (const t of docs.tokens) protectedIds.tokens.add(t.id);

  const deadline = Date.now() + SECONDS * 1000;
  let alive = true;
  const exited = new Promise((resolve) => srv.child.once('exit', (code, sig) => { alive = false; resolve({ code, sig }); }));

  async function worker() {
    while (alive && Date.now() < deadline && failures.length < 50) {
      const r = buildRequest(token);
      const res = await exchange(port, r.bytes, { timeoutMs: 15000, halfClose: r.halfClose, headOnly: r.headOnly });
      sent++;
      if (!alive) break;
      judge(r, res);
    }
  }
  async function watchdog() {
    while (alive && Date.now() < deadline && failures.length < 50) {
      await new Promise((res) => setTimeout(res, 2000));
      if (alive && !(await health(port))) fail('health check did not answer 200 within 5 s', null, null);
    }
  }
  await Promise.all([...Array.from({ length: WORKERS }, worker), watchdog()]);

  if (!alive) fail('server exited during the run', null, null);
  else if (!(await health(port))) fail('health check failed after the run', null, null);
  if (alive) {
    const check = await api(srv.base, 'GET', '/api/v1/session');
    if (check.status !== 200) console.log(`http_fuzz: note: the admin token no longer works (${check.status})`);
    srv.child.kill('SIGTERM');
    const t = setTimeout(() => srv.child.kill('SIGKILL'), 30000);
    const { code, sig } = await exited;
    clearTimeout(t);
    if (code !== 0) fail(`server did not stop cleanly (exit ${code}, signal ${sig})`, null, null);
  }
  const log = srv.log();
  if (SANITIZER.test(log)) {
    const i = log.search(SANITIZER);
    fail('sanitizer report in the server log', null, { raw: log.slice(Math.max(0, i - 200), i + 3000) });
  }
  // harness stop() waits for an exit that already happened when the server
  // died of a signal; only a live server is stopped through it.
  if (alive) await srv.stop();
  else rmSync(srv.dir, { recursive: true, force: true });

  const summary = [...statuses.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0])))
    .map(([k, v]) => `${k}:${v}`).join(' ');
  console.log(`http_fuzz: ${sent} requests; statuses ${summary}`);
  if (failures.length) {
    const file = join(outDir, 'failures.json');
    writeFileSync(file, JSON.stringify(failures, null, 1));
    writeFileSync(join(outDir, 'server.log'), log);
    for (const f of failures.slice(0, 10)) {
      console.error(`FAIL ${f.kind}${f.note ? ' ' + f.note : ''}: ${f.method || ''} ${f.target || ''} -> ${f.status ?? ''}`);
      if (f.response) console.error('  ' + f.response.split('\r\n').slice(0, 3).join(' | ').slice(0, 3000));
    }
    console.error(`http_fuzz: ${failures.length} failure(s) in ${file}; the requests beside it (replay: node tests/fault/http_fuzz.mjs --replay FILE...), and the server log`);
    process.exit(1);
  }
  rmSync(outDir, { recursive: true, force: true }); // kept only with failures in it
  console.log('http_fuzz: ok: no 5xx, no sanitizer report, server stayed up');
}

// --replay FILE...: sends saved requests, one by one, to a fresh server.
async function replay(files) {
  const srv = await startServer({ env: { ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=0' } });
  for (const f of files) {
    const bytes = readFileSync(f);
    const res = await exchange(srv.port, bytes, { timeoutMs: 15000 });
    console.log(`${f}: ${bytes.length} bytes -> status ${res.status}${res.timedOut ? ' (time-out)' : ''}` +
      `${res.error ? ` (${res.error})` : ''}\n  ${res.raw.split('\r\n')[0]}`);
  }
  const dead = srv.child.exitCode !== null || srv.child.signalCode;
  console.log(dead ? `server died:\n${srv.log().slice(-4000)}` : 'server still up');
  if (!dead) await srv.stop();
}

if (process.argv[2] === '--replay') replay(process.argv.slice(3)).catch((e) => { console.error(e); process.exit(1); });
else main().catch((e) => { console.error(e); process.exit(1); });
