// slow_clients.mjs - slow-client figures (a benchmark, not a test): fresh
// requests from 127.0.0.2 while 300 slow-header and 300 drip-body
// connections from 127.0.0.1 sit on the server (reopened whenever they are
// dropped), directly with the default 256 worker threads, with a cap of 20
// requests per address, with 1,024 threads, and through the reference nginx
// configuration (deploy/nginx/).
// Prints a markdown table: worst and median of the fresh requests over the
// window, how many were made, and how many slow connections were opened.
//
//   SWITCHYARD_BIN=build/switchyard node bench/slow_clients.mjs
//   BENCH_WINDOW_MS=20000 SWITCHYARD_BIN=build/switchyard node bench/slow_clients.mjs
import { startServer } from '../tests/http/harness.mjs';
import { startNginx } from '../tests/http/nginx.mjs';
import { startSlowClients, sample } from '../tests/http/slowloris.mjs';

const WINDOW = Number(process.env.BENCH_WINDOW_MS || 15000);

async function run(name, { args, proxied }) {
  const srv = await startServer(args ? { args } : {});
  const proxy = proxied ? await startNginx(srv.port) : null;
  const port = proxy ? proxy.port : srv.port;
  try {
    const quiet = await sample(port, '/api/v1/health', { windowMs: 2000 });
    const slow = await startSlowClients(port);
    const busy = await sample(port, '/api/v1/health', { windowMs: WINDOW });
    slow.stop();
    const ok = busy.statuses.filter((s) => s === 200).length;
    return `| ${name} | ${quiet.worst.toFixed(0)} | ${busy.median.toFixed(0)} | ${busy.worst.toFixed(0)} | ` +
      `${ok}/${busy.n} | ${slow.stats.opened} |`;
  } finally {
    if (proxy) await proxy.stop();
    await srv.stop();
  }
}

console.log(`Fresh GET /api/v1/health from another address, ${WINDOW / 1000} s window, ` +
  '300 slow-header + 300 drip-body connections from one address.\n');
console.log('| setup | quiet worst ms | busy median ms | busy worst ms | answered | slow connections opened |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
console.log(await run('direct, 256 threads (default)', {}));
console.log(await run('direct, --max-per-address 20', { args: ['--max-per-address', '20'] }));
console.log(await run('direct, --threads 1024', { args: ['--threads', '1024'] }));
console.log(await run('through deploy/nginx (256 threads)', { proxied: true }));
