// table.mjs - turns http_bench.sh's JSON lines into the README's markdown
// table: the median run (by throughput) of each endpoint and connection
// count, memory under load and a fresh request's latency.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const [file, rssReadKb, rssKb, workloads, freshSeconds] = process.argv.slice(2);
const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const groups = new Map();
for (const r of rows) {
  const key = `${r.name}\u0000${r.conns}`;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(r.result);
}
const median = (runs) => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
const fmt = (n, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const ceiling = {};
for (const [key, runs] of groups) {
  const [name, conns] = key.split('\u0000');
  if (name.startsWith('static')) ceiling[conns] = median(runs).rps;
}
const store = process.env.BENCH_STORE === 'postgres'
  ? 'PostgreSQL 15 (local cluster, fsync on, synchronous_commit on)'
  : 'SQLite (WAL, synchronous=FULL)';
console.log(`Machine: ${cpus().length} × ${cpus()[0].model}, loopback, wrk on the same box. Store: ${store}.\n`);
console.log('| endpoint | conns | req/s | p50 ms | p99 ms | p99.9 ms | errors | of ceiling |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [key, runs] of groups) {
  const [name, conns] = key.split('\u0000');
  const m = median(runs);
  const share = ceiling[conns] ? `${fmt((100 * m.rps) / ceiling[conns], 0)}%` : '';
  console.log(`| ${name} | ${conns} | ${fmt(m.rps, 0)} | ${fmt(m.p50, 2)} | ${fmt(m.p99, 2)} | ` +
    `${fmt(m.p999, 2)} | ${m.errors} | ${share} |`);
}
const mb = (kb) => fmt(Number(kb) / 1024, 1);
console.log(`\nResident memory, peak: ${mb(rssReadKb)} MB during the read phases (10,000 workloads, ` +
  `up to 64 connections); ${mb(rssKb)} MB over the whole run (${fmt(Number(workloads), 0)} workloads ` +
  `after the writes). Fresh request (summary) while 64 connections are busy, after the writes: ` +
  `${fmt(Number(freshSeconds) * 1000, 0)} ms (worst of 5).`);
