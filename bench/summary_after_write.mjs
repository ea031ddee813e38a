// summary_after_write.mjs - the uncached portfolio summary after a
// one-workload write, through HTTP against a running server (not a test).
// Each round PATCHes one workload's monthly spend (no If-Match), then GETs
// /api/v1/portfolio/summary, which derives the next snapshot and computes
// the summary afresh (the write moved the generation: no cached answer).
// Reports the median wall time of the GET and the server's CPU time for it:
// the sum of every server thread's run time (/proc/PID/task/*/schedstat,
// nanoseconds) before and after the GET, noise-robust beside wall time
// when other work shares the machine. Also the same for the Azure strategy
// view and GET /portfolio/concentration?connected=true.
//
//   node bench/summary_after_write.mjs BASE TOKEN SERVER_PID [ROUNDS]
import { readdirSync, readFileSync } from 'node:fs';

const [base, token, pid, roundsArg] = process.argv.slice(2);
if (!base || !token || !pid) {
  console.error('usage: node bench/summary_after_write.mjs BASE TOKEN SERVER_PID [ROUNDS]');
  process.exit(2);
}
const rounds = Number(roundsArg || 30);
const auth = { Authorization: `Bearer ${token}` };

function cpuNs() {
  let sum = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      sum += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return sum;
}

async function get(path) {
  const res = await fetch(base + path, { headers: auth });
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return res.text();
}

async function patch(id, spend) {
  const res = await fetch(`${base}/api/v1/workloads/${id}`, {
    method: 'PATCH',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ monthly_spend: spend }),
  });
  if (res.status !== 200) throw new Error(`PATCH ${id}: ${res.status} ${await res.text()}`);
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

const page = JSON.parse(await get('/api/v1/workloads?limit=100'));
const ids = page.items.map((w) => w.id);
const paths = ['/api/v1/portfolio/summary', '/api/v1/strategies/azure',
  '/api/v1/portfolio/concentration?connected=true'];
for (const path of paths) await get(path); // warm: the first full build
for (const path of paths) {
  const wall = [];
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    await patch(ids[r % ids.length], 1000 + ((r * 7919) % 500000));
    const c0 = cpuNs();
    const t0 = performance.now();
    await get(path);
    wall.push(performance.now() - t0);
    cpu.push((cpuNs() - c0) / 1e6);
  }
  console.log(`| ${path} after a one-workload write | ${median(wall).toFixed(2)} | ${median(cpu).toFixed(2)} |`);
}
