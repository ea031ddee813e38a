// metrics.test.mjs - GET /metrics (and /api/v1/metrics): the Prometheus
// text exposition format (0.0.4), checked by a strict parser written here
// (metric and label names, escapes, values, HELP/TYPE before and once per
// family, a family's samples together, histograms cumulative with +Inf ==
// _count); the counters move with requests (by route pattern and status,
// the latency histogram, cache hits, credential cache hits); who may read
// it (admin token or session, the --metrics-token-file scrape token and
// nobody else; that token opens nothing else); and --log-format json
// (every log line one JSON object, request lines with their fields).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startServer, api, onPostgres, freshDb, BIN } from './harness.mjs';

const SCRAPE = 'scrape-token-0123456789abcdef';
let srv;
let dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-metrics-'));
  writeFileSync(join(dir, 'scrape'), `${SCRAPE}\n`);
  srv = await startServer({ demo: true, args: ['--metrics-token-file', join(dir, 'scrape'), '--log-format', 'json'] });
});
after(async () => {
  await srv?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// ---- a strict parser of the text format (version 0.0.4) -------------------

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text, where) {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  assert.match(text, /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)$/, `${where}: value ${text}`);
  return Number(text);
}

function parseLabels(text, where) {
  const labels = {};
  let i = 0;
  while (i < text.length) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(text.slice(i));
    assert.ok(m, `${where}: label at ${text.slice(i)}`);
    assert.match(m[1], LABEL);
    i += m[0].length;
    let value = '';
    for (;;) {
      assert.ok(i < text.length, `${where}: unterminated label value`);
      const c = text[i++];
      if (c === '"') break;
      if (c === '\\') {
        const e = text[i++];
        assert.ok(['\\', '"', 'n'].includes(e), `${where}: bad escape \\${e}`);
        value += e === 'n' ? '\n' : e;
      } else {
        assert.notEqual(c, '\n');
        value += c;
      }
    }
    assert.ok(!(m[1] in labels), `${where}: label ${m[1]} twice`);
    labels[m[1]] = value;
    if (i < text.length) {
      assert.equal(text[i], ',', `${where}: after a label`);
      i++;
    }
  }
  return labels;
}

// Returns { families: Map(name -> { type, help, samples: [{ name, labels, value }] }) }.
export function parsePrometheus(text) {
  assert.ok(text.endsWith('\n'), 'ends with a newline');
  const families = new Map();
  const closed = new Set();
  let current = null;
  const familyOf = (name) => {
    for (const suffix of ['_bucket', '_sum', '_count']) {
      const base = name.slice(0, -suffix.length);
      if (name.endsWith(suffix) && families.get(base)?.type === 'histogram') return base;
    }
    return name;
  };
  text.slice(0, -1).split('\n').forEach((line, n) => {
    const where = `line ${n + 1}: ${line}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // a comment
      assert.match(m[2], NAME, where);
      const f = families.get(m[2]) || { samples: [] };
      if (m[1] === 'TYPE') {
        assert.ok(TYPES.has(m[3]), where);
        assert.equal(f.type, undefined, `${where}: TYPE twice`);
        assert.equal(f.samples.length, 0, `${where}: TYPE after samples`);
        f.type = m[3];
      } else {
        assert.equal(f.help, undefined, `${where}: HELP twice`);
        assert.ok(!/\\[^\\n]/.test(m[3]), `${where}: bad escape in HELP`);
        f.help = m[3];
      }
      families.set(m[2], f);
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    assert.ok(m, `${where}: not a sample`);
    const fam = familyOf(m[1]);
    const f = families.get(fam);
    assert.ok(f && f.type, `${where}: no TYPE before the first sample of ${fam}`);
    if (current !== fam) {
      assert.ok(!closed.has(fam), `${where}: samples of ${fam} not together`);
      if (current) closed.add(current);
      current = fam;
    }
    const labels = m[3] !== undefined ? parseLabels(m[3], where) : {};
    const value = parseValue(m[4], where);
    if (f.type === 'counter') assert.ok(value >= 0, `${where}: a counter below 0`);
    f.samples.push({ name: m[1], labels, value });
  });
  // Histograms: per label set, buckets cumulative, +Inf equal to _count, a _sum.
  for (const [name, f] of families) {
    if (f.type !== 'histogram') continue;
    const series = new Map();
    for (const s of f.samples) {
      const { le, ...rest } = s.labels;
      const key = JSON.stringify(rest);
      const e = series.get(key) || { buckets: [], sum: undefined, count: undefined };
      if (s.name === `${name}_bucket`) e.buckets.push([parseValue(le, name), s.value]);
      else if (s.name === `${name}_sum`) e.sum = s.value;
      else if (s.name === `${name}_count`) e.count = s.value;
      series.set(key, e);
    }
    for (const [key, e] of series) {
      assert.ok(e.buckets.length > 0 && e.sum !== undefined && e.count !== undefined, `${name}${key}`);
      for (let i = 1; i < e.buckets.length; i++) {
        assert.ok(e.buckets[i][0] > e.buckets[i - 1][0], `${name}${key}: le increasing`);
        assert.ok(e.buckets[i][1] >= e.buckets[i - 1][1], `${name}${key}: cumulative`);
      }
      assert.equal(e.buckets.at(-1)[0], Infinity, `${name}${key}: a +Inf bucket`);
      assert.equal(e.buckets.at(-1)[1], e.count, `${name}${key}: +Inf == _count`);
    }
  }
  return families;
}

function value(families, name, labels = {}) {
  const f = families.get(name.replace(/_(bucket|sum|count)$/, '')) || families.get(name);
  assert.ok(f, `no family ${name}`);
  const s = f.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s ? s.value : 0;
}

async function scrape(path = '/metrics', headers = {}) {
  const r = await api(srv.base, 'GET', path, undefined, headers);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return parsePrometheus(r.body);
}

// ---- tests --------------------------------------------------------------------

test('the answer parses strictly and names the instance and the store', async () => {
  const f = await scrape();
  const info = f.get('switchyard_info').samples;
  assert.equal(info.length, 1);
  assert.match(info[0].labels.instance_id, /^[0-9a-f]{16}$/);
  assert.equal(info[0].labels.store, onPostgres ? 'postgres' : 'sqlite');
  for (const name of ['switchyard_http_requests_total', 'switchyard_http_request_duration_seconds',
    'switchyard_db_pool_waits_total', 'switchyard_db_pool_wait_seconds_total', 'switchyard_cache_hit_ratio',
    'switchyard_cache_lookups_total', 'switchyard_snapshot_builds_total', 'switchyard_snapshot_build_seconds_total',
    'switchyard_notify_lag_seconds', 'switchyard_notify_listening']) {
    assert.ok(f.has(name), name);
    assert.ok(f.get(name).help, `${name} has HELP`);
  }
  assert.equal(value(f, 'switchyard_notify_listening'), onPostgres ? 1 : 0);
  assert.equal(value(f, 'switchyard_db_pool_connections', { state: 'size' }) >= 4, true);
  // Both paths answer the same families.
  const g = await scrape('/api/v1/metrics');
  assert.deepEqual([...g.keys()].sort(), [...f.keys()].sort());
});

test('counters move: requests by route and status, the histogram, cache hits, snapshot builds', async () => {
  const route = { method: 'GET', route: '/api/v1/workloads' };
  const before = await scrape();
  const ok0 = value(before, 'switchyard_http_requests_total', { ...route, status: '200' });
  const bad0 = value(before, 'switchyard_http_requests_total', { ...route, status: '400' });
  const get0 = value(before, 'switchyard_http_requests_total', { method: 'GET', route: '/api/v1/workloads/{id}', status: '404' });
  const n0 = value(before, 'switchyard_http_request_duration_seconds_count', route);
  const hits0 = value(before, 'switchyard_cache_lookups_total', { cache: 'response', result: 'hit' });
  const cred0 = value(before, 'switchyard_cache_lookups_total', { cache: 'credentials', result: 'hit' });
  for (let i = 0; i < 5; i++) assert.equal((await api(srv.base, 'GET', '/api/v1/workloads?limit=3')).status, 200);
  assert.equal((await api(srv.base, 'GET', '/api/v1/workloads?limit=0')).status, 400);
  assert.equal((await api(srv.base, 'GET', '/api/v1/workloads/999999')).status, 404);
  const after = await scrape();
  assert.equal(value(after, 'switchyard_http_requests_total', { ...route, status: '200' }), ok0 + 5);
  assert.equal(value(after, 'switchyard_http_requests_total', { ...route, status: '400' }), bad0 + 1);
  assert.equal(value(after, 'switchyard_http_requests_total', { method: 'GET', route: '/api/v1/workloads/{id}', status: '404' }), get0 + 1);
  assert.equal(value(after, 'switchyard_http_request_duration_seconds_count', route), n0 + 6);
  assert.ok(value(after, 'switchyard_http_request_duration_seconds_sum', route) > 0);
  // The same URL five times: at least four answered from the cache.
  assert.ok(value(after, 'switchyard_cache_lookups_total', { cache: 'response', result: 'hit' }) >= hits0 + 4);
  // The same token each time: verified once, then from the credential cache.
  assert.ok(value(after, 'switchyard_cache_lookups_total', { cache: 'credentials', result: 'hit' }) >= cred0 + 5);
  const ratio = value(after, 'switchyard_cache_hit_ratio', { cache: 'credentials' });
  assert.ok(ratio > 0 && ratio <= 1, String(ratio));
  assert.ok(value(after, 'switchyard_snapshot_builds_total', { kind: 'full' }) >= 1);
  // The snapshot's memory: what its chain holds, and what a full build would.
  assert.ok(value(after, 'switchyard_snapshot_bytes', { part: 'held' }) > 100000);
  assert.ok(value(after, 'switchyard_snapshot_bytes', { part: 'full' }) > 100000);
  // A static file and an unknown API path have rows of their own.
  assert.equal((await fetch(`${srv.base}/app.js`)).status, 200);
  assert.equal((await api(srv.base, 'GET', '/api/v1/nothing-here')).status, 404);
  const last = await scrape();
  assert.ok(value(last, 'switchyard_http_requests_total', { method: '', route: 'static', status: '200' }) >= 1);
  assert.ok(value(last, 'switchyard_http_requests_total', { method: '', route: 'unmatched', status: '404' }) >= 1);
});

// Counted before the answer is written: a scrape sent the moment a client
// has its answer already includes it (it once raced the count, under ASan).
test('a request is counted by the time its client has the answer', async () => {
  const labels = { method: 'GET', route: '/api/v1/workloads/{id}', status: '404' };
  const stat = { method: '', route: 'static', status: '200' };
  let n = value(await scrape(), 'switchyard_http_requests_total', labels);
  let s = value(await scrape(), 'switchyard_http_requests_total', stat);
  for (let i = 0; i < 25; i++) {
    assert.equal((await api(srv.base, 'GET', '/api/v1/workloads/999999')).status, 404);
    assert.equal(value(await scrape(), 'switchyard_http_requests_total', labels), ++n, `round ${i}`);
    const page = await fetch(`${srv.base}/index.html`);
    assert.equal(page.status, 200);
    await page.arrayBuffer();
    assert.equal(value(await scrape(), 'switchyard_http_requests_total', stat), ++s, `static round ${i}`);
  }
});

// PostgreSQL: this process knows what each of its own commits touched, so a
// workload write keeps the verified credentials and a token revocation
// drops them. (SQLite re-checks after any commit another pooled connection
// sees, which cannot be told from another process's.)
test('a workload write keeps verified tokens; revoking a token re-checks them', { skip: !onPostgres && 'PostgreSQL only' }, async () => {
  const token = await srv.tokenFor('admin');
  const other = await srv.tokenFor('admin');
  const as = (t) => ({ Authorization: `Bearer ${t}` });
  const misses = async () => value(await scrape(), 'switchyard_cache_lookups_total', { cache: 'credentials', result: 'miss' });
  const list = await api(srv.base, 'GET', '/api/v1/workloads?limit=1', undefined, as(token));
  assert.equal(list.status, 200);
  assert.equal((await api(srv.base, 'GET', '/api/v1/workloads?limit=1', undefined, as(other))).status, 200);
  const id = list.body.items[0].id;
  const m0 = await misses();
  for (let i = 0; i < 3; i++) {
    const w = await api(srv.base, 'PATCH', `/api/v1/workloads/${id}`, { notes: `kept ${i}` },
      { ...as(token), 'Content-Type': 'application/merge-patch+json' });
    assert.equal(w.status, 200, JSON.stringify(w.body));
    assert.equal((await api(srv.base, 'GET', `/api/v1/workloads/${id}`, undefined, as(token))).status, 200);
  }
  // Three writes, six requests with the token, three scrapes: no re-check.
  assert.equal(await misses(), m0);
  // Revoking `other` takes it away at once, and re-checks the rest.
  const mine = await api(srv.base, 'GET', '/api/v1/tokens', undefined, as(other));
  assert.equal(mine.status, 200);
  const otherId = mine.body.items.find((t) => other.startsWith(t.prefix))?.id;
  assert.ok(otherId, JSON.stringify(mine.body.items.map((t) => t.prefix)));
  assert.equal((await api(srv.base, 'DELETE', `/api/v1/tokens/${otherId}`, undefined, as(token))).status, 204);
  assert.equal((await api(srv.base, 'GET', '/api/v1/workloads?limit=1', undefined, as(other))).status, 401);
  assert.equal((await api(srv.base, 'GET', '/api/v1/workloads?limit=1', undefined, as(token))).status, 200);
  assert.ok(await misses() >= m0 + 2, 'the revocation made the cache check credentials again');
});

test('admins and the scrape token may read it; the scrape token opens nothing else', async () => {
  const scrapeAuth = { Authorization: `Bearer ${SCRAPE}` };
  await scrape('/metrics', scrapeAuth);
  await scrape('/metrics', { Authorization: '', Cookie: await srv.signIn('admin') });
  assert.equal((await api(srv.base, 'GET', '/metrics', undefined, { Authorization: '' })).status, 401);
  const viewer = await srv.tokenFor('viewer');
  assert.equal((await api(srv.base, 'GET', '/metrics', undefined, { Authorization: `Bearer ${viewer}` })).status, 403);
  assert.equal((await api(srv.base, 'GET', '/api/v1/workloads', undefined, scrapeAuth)).status, 401);
  assert.equal((await api(srv.base, 'GET', '/api/v1/session', undefined, scrapeAuth)).status, 401);
  assert.equal((await api(srv.base, 'GET', '/metrics', undefined, { Authorization: `Bearer ${SCRAPE}x` })).status, 401);
});

test('--log-format json: every log line is one JSON object; requests carry their fields', async () => {
  // The harness's servers run with --quiet: this one is started here, loud.
  const db = freshDb(dir, 'loud.db');
  const child = spawn(BIN, ['serve', '--db', db, '--key-dir', dir, '--listen', '127.0.0.1:0', '--log-format', 'json'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (c) => { log += c; });
  child.stderr.on('data', (c) => { log += c; });
  try {
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start:\n${log}`)), 15000);
      const look = () => {
        const m = log.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); } else setTimeout(look, 20);
      };
      look();
    });
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/v1/workloads?x="\\`)).status, 401);
    const t0 = Date.now();
    while (!log.includes('"status":401') && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  const lines = log.trim().split('\n').map((line) => {
    try { return JSON.parse(line); } catch { assert.fail(`not JSON: ${JSON.stringify(line)}`); }
  });
  for (const o of lines) {
    assert.match(o.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(['info', 'warn', 'error'].includes(o.level), JSON.stringify(o));
  }
  assert.ok(lines.some((o) => /^listening on http:\/\/127\.0\.0\.1:\d+$/.test(o.msg)));
  const health = lines.find((o) => o.path === '/api/v1/health');
  assert.deepEqual({ ...health, ts: 'T', ms: 0 }, { ts: 'T', level: 'info', method: 'GET', path: '/api/v1/health', status: 200, ms: 0 });
  assert.equal(typeof health.ms, 'number');
  assert.ok(lines.some((o) => o.path === '/api/v1/workloads' && o.status === 401));
  assert.ok(lines.some((o) => o.msg === 'stopped'));
});
