// webhook_bench.mjs - what the webhook event detection costs per write at
// 10,000 workloads (issue 19 item 5). A demo server is filled by
// bench/generate.mjs (10,000 workloads, 300 offerings, 1,000 contracts),
// a webhook wants every event, then writes are made one at a time, each
// waiting for the worker's comparison of the portfolio with the recorded
// state, whose time the server counts (switchyard_webhook_compare_seconds_total
// and _compares_total in /metrics, measured inside the worker around the
// whole comparison: snapshot, facts, state rows, diff, writes, commit):
//   - workload PATCHes: incremental (only the workloads written);
//   - the same with SWITCHYARD_WEBHOOK_FULL=1: the whole portfolio compared
//     each time (the snapshot itself is derived, not rebuilt);
//   - vendor PATCHes (catalogue writes): always in full, with a full
//     rebuild of the scored snapshot: what every write cost before the
//     comparison became incremental (it built a private snapshot each time).
// Not a test: run by hand, prints a table.
//
//   SWITCHYARD_BIN=build/switchyard node bench/webhook_bench.mjs [WRITES] [WORKLOADS]
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { startServer, api } from '../tests/http/harness.mjs';

// A keep-alive connection idle through the long load may have been closed
// by the server: such a request is sent once more.
async function call(...args) {
  try {
    return await api(...args);
  } catch {
    return api(...args);
  }
}

const WRITES = Number(process.argv[2] || 40);
const WORKLOADS = process.argv[3] || '10000';

async function metrics(srv) {
  const res = await fetch(`${srv.base}/metrics`, { headers: { Authorization: `Bearer ${srv.token}`, Connection: 'close' } });
  const text = await res.text();
  const get = (name, kind) => Number(new RegExp(`^${name}\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text)?.[1] || 0);
  const out = {};
  for (const kind of ['full', 'incremental']) {
    out[kind] = { n: get('switchyard_webhook_compares_total', kind), s: get('switchyard_webhook_compare_seconds_total', kind),
      cpu: get('switchyard_webhook_compare_cpu_seconds_total', kind) };
  }
  out.derived = get('switchyard_snapshot_build_seconds_total', 'derived');
  return out;
}

// Waits until the worker has made `want` more comparisons than `before`.
async function compared(srv, before) {
  for (let i = 0; i < 600; i++) {
    const m = await metrics(srv);
    const done = m.full.n + m.incremental.n - before.full.n - before.incremental.n;
    if (done >= 1) return m;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the worker did not compare');
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, median: s[Math.floor(s.length / 2)], mean: s.reduce((a, b) => a + b, 0) / (s.length || 1), max: s[s.length - 1] };
};

// One series: `write(i)` WRITES times, each followed by its comparison.
async function series(srv, write) {
  const times = { full: [], incremental: [], cpu: { full: [], incremental: [] }, derived: [] };
  let m = await metrics(srv);
  for (let i = 0; i < WRITES; i++) {
    await write(i);
    const after = await compared(srv, m);
    for (const kind of ['full', 'incremental']) {
      const n = after[kind].n - m[kind].n;
      if (n) times[kind].push(((after[kind].s - m[kind].s) / n) * 1000);
      if (n) times.cpu[kind].push(((after[kind].cpu - m[kind].cpu) / n) * 1000);
    }
    times.derived.push((after.derived - m.derived) * 1000);
    m = after;
  }
  return times;
}

async function run(full) {
  const receiver = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const env = { SWITCHYARD_WEBHOOK_TICK_MS: '20' };
  if (full) env.SWITCHYARD_WEBHOOK_FULL = '1';
  const srv = await startServer({ demo: true, env });
  try {
    execFileSync(process.execPath, ['bench/generate.mjs', srv.base, srv.token, WORKLOADS, '300', '1000'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const url = `http://127.0.0.1:${receiver.address().port}/hook`;
    const events = ['workload.flagged', 'workload.unflagged', 'priority.p1', 'deadline.upcoming', 'acceptance.expired', 'drill.failed', 'import.applied', 'audit.verify_failed'];
    if ((await call(srv.base, 'POST', '/api/v1/webhooks', { url, events })).status !== 201) throw new Error('webhook');
    const list = (await call(srv.base, 'GET', '/api/v1/workloads?limit=200&q=Bench')).body.items;
    const summary = (await call(srv.base, 'GET', '/api/v1/portfolio/summary')).body;
    // Settle: the worker catches up with the load first (no comparison for 1 s).
    for (let last = -1, quiet = 0; quiet < 5;) {
      const m = await metrics(srv);
      const n = m.full.n + m.incremental.n;
      quiet = n === last ? quiet + 1 : 0;
      last = n;
      await new Promise((r) => setTimeout(r, 200));
    }
    // Workload writes that move flags: production <-> retired.
    const workloads = await series(srv, async (i) => {
      const w = list[i % list.length];
      const status = i % 2 ? w.status : 'retired';
      const r = await call(srv.base, 'PATCH', `/api/v1/workloads/${w.id}`, { status });
      if (r.status !== 200) throw new Error(`PATCH workload: ${r.status}`);
    });
    // Catalogue writes: a vendor's description.
    const vendors = full ? null : await series(srv, async (i) => {
      const r = await call(srv.base, 'PATCH', '/api/v1/vendors/1', { description: `Bench ${i}` });
      if (r.status !== 200) throw new Error(`PATCH vendor: ${r.status}`);
    });
    return { active: summary.counts.active, workloads, vendors };
  } finally {
    await srv.stop();
    receiver.close();
  }
}

const fmt = (s) => (s.n ? `${s.n} | ${s.median.toFixed(2)} | ${s.mean.toFixed(2)} | ${s.max.toFixed(2)}` : '0 | | |');
const inc = await run(false);
console.log(`snapshot derivations (wall ms per write, whoever derived it): median ${stats(inc.workloads.derived).median.toFixed(2)}`);
if (process.env.BENCH_ONLY_INCREMENTAL) process.exit(0);
const full = await run(true);
console.log(`${WORKLOADS} workloads (${inc.active} active), ${WRITES} writes per row; ms per comparison (wall, then the worker thread's CPU)`);
console.log('| write | comparison | n | wall median | wall mean | wall max | CPU median | CPU mean |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const row = (what, how, t, kind) => {
  const c = stats(t.cpu[kind]);
  console.log(`| ${what} | ${how} | ${fmt(stats(t[kind]))} | ${c.n ? c.median.toFixed(2) : ''} | ${c.n ? c.mean.toFixed(2) : ''} |`);
};
row('workload PATCH', 'incremental', inc.workloads, 'incremental');
row('workload PATCH (SWITCHYARD_WEBHOOK_FULL=1)', 'full, snapshot derived', full.workloads, 'full');
row('vendor PATCH (catalogue)', 'full, snapshot rebuilt (the old per-write cost)', inc.vendors, 'full');
