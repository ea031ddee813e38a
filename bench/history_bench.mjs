// history_bench.mjs - ten years of daily portfolio history load in the
// overview (issue 19): 3,650 days x 5 scopes (all and each track) are
// written into a demo database, then GET /api/v1/portfolio/history for the
// whole ten years (what the overview's "all" range asks) is timed from
// the client over loopback, request sent to last byte read (an upper bound
// of the server's time; the JSON is not parsed in the timing), and as the
// server process's CPU time per request (/proc/PID/stat), which a busy
// machine does not inflate. Not a test: run by hand.
//
//   SWITCHYARD_BIN=build/switchyard node bench/history_bench.mjs [RUNS]
import { readFileSync } from 'node:fs';
import { startServer, api } from '../tests/http/harness.mjs';

// The server process's CPU time (user + system) in ms, from /proc.
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
}

const RUNS = Number(process.argv[2] || 50);
const DAYS = 3650;
const srv = await startServer({ demo: true });
try {
  const today = (await api(srv.base, 'GET', '/api/v1/portfolio/summary')).body.as_of;
  const day = (n) => new Date(Date.parse(today) - n * 86400000).toISOString().slice(0, 10);
  // Today's real row gives a realistic figures document for every day.
  const now = (await api(srv.base, 'GET', `/api/v1/portfolio/history?from=${today}&to=${today}`)).body.days[0].figures;
  const figures = JSON.stringify(now).replaceAll("'", "''");
  const rows = [];
  for (const scope of ['all', 'copilot', 'azure', 'openai', 'other']) {
    for (let n = 1; n < DAYS; n++) rows.push(`('${day(n)}','${scope}','rebuilt','${figures}','${today}T00:00:00Z')`);
  }
  let text = 'BEGIN;\n';
  for (let i = 0; i < rows.length; i += 500) {
    text += `INSERT INTO portfolio_history(day, scope, source, figures, taken_at) VALUES ${rows.slice(i, i + 500).join(',')};\n`;
  }
  srv.sql(`${text}COMMIT;`);
  const count = srv.sql('SELECT count(*) FROM portfolio_history;').trim();
  const path = `/api/v1/portfolio/history?from=${day(DAYS - 1)}&to=${today}`;
  const client = [];
  let bytes = 0;
  const check = await api(srv.base, 'GET', path);
  if (check.status !== 200 || check.body.days.length !== DAYS) throw new Error(`${check.status} ${check.body.days?.length}`);
  const headers = { Authorization: `Bearer ${srv.token}` };
  let cpu0 = 0;
  for (let i = 0; i < RUNS + 5; i++) {
    if (i === 5) cpu0 = cpuMs(srv.child.pid);
    const t0 = performance.now();
    const res = await fetch(srv.base + path, { headers });
    const body = await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(String(res.status));
    bytes = body.byteLength;
    if (i >= 5) client.push(ms); // the first few warm the caches
  }
  const cpu = (cpuMs(srv.child.pid) - cpu0) / RUNS;
  const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length * 0.95)]; };
  console.log(`rows in portfolio_history: ${count} (${DAYS} days x 5 scopes)`);
  console.log(`answer: ${DAYS} days, ${(bytes / 1024).toFixed(0)} KiB of JSON`);
  console.log(`server CPU time per request (user + system), ${RUNS} runs: ${cpu.toFixed(1)} ms`);
  console.log(`client round trip, ${client.length} runs: median ${med(client).toFixed(1)} ms, p95 ${p95(client).toFixed(1)} ms`);
} finally {
  await srv.stop();
}
