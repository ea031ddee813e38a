// slowloris.mjs - slow clients for tests/http/proxy.test.mjs and
// bench/slow_clients.mjs: connections that send their headers or their
// body a byte at a time from one address, reopened when the server drops
// them, and fresh requests from another address, timed.
import net from 'node:net';
import http from 'node:http';

// Opens `headers` slow-header and `bodies` drip-body connections to
// host:port from 127.0.0.1 and keeps them at that number until stop().
// Every `dripMs` each connection sends one more byte. Resolves once all are
// connected, with { stop(), stats: { opened, closedByServer } }.
export async function startSlowClients(port, { headers = 300, bodies = 300, dripMs = 1000,
  reopenMs = 1000, host = '127.0.0.1' } = {}) {
  const stats = { opened: 0, closedByServer: 0 };
  const live = new Set();
  let stopped = false;
  const open = (kind) => new Promise((resolve) => {
    const sock = net.connect({ port, host, localAddress: '127.0.0.1' });
    sock.setNoDelay(true);
    live.add(sock);
    sock.on('data', () => {});
    sock.on('error', () => {});
    sock.once('connect', () => {
      stats.opened++;
      // A request whose header never ends, or one whose 8,000-byte body
      // (within the sign-in's 8 KiB) comes a byte at a time.
      sock.write(kind === 'header'
        ? 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: '
        : 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Content-Length: 8000\r\n\r\n{"name":"');
      resolve();
    });
    const iv = setInterval(() => { if (!sock.destroyed && sock.writable) sock.write('a'); }, dripMs);
    sock.once('close', () => {
      clearInterval(iv);
      live.delete(sock);
      resolve();
      if (stopped) return;
      stats.closedByServer++;
      // The attacker comes back.
      setTimeout(() => { if (!stopped) open(kind); }, reopenMs);
    });
  });
  const all = [];
  for (let i = 0; i < headers; i++) all.push(open('header'));
  for (let i = 0; i < bodies; i++) all.push(open('body'));
  await Promise.all(all);
  return {
    stats,
    stop() {
      stopped = true;
      for (const s of live) s.destroy();
      live.clear();
    },
  };
}

// One request on a new connection from 127.0.0.2 (another address than the
// slow clients'). Resolves { status, ms }; status 0 if it failed or took
// longer than timeoutMs.
export function freshRequest(port, path, { headers = {}, timeoutMs = 60000 } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path, localAddress: '127.0.0.2', agent: false,
      headers: { Connection: 'close', ...headers }, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end();
  });
}

// Fresh requests one after another, gapMs apart, for windowMs (at least
// `min` of them):
// returns { n, worst, median, statuses }.
export async function sample(port, path, { windowMs = 12000, min = 3, gapMs = 250, headers = {} } = {}) {
  const times = [];
  const statuses = [];
  const t0 = performance.now();
  while (times.length < min || performance.now() - t0 < windowMs) {
    const r = await freshRequest(port, path, { headers });
    times.push(r.ms);
    statuses.push(r.status);
    // Paced, so that sampling does not itself load the two cores.
    await new Promise((done) => setTimeout(done, gapMs));
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { n: times.length, worst: sorted[sorted.length - 1], median: sorted[Math.floor(sorted.length / 2)], statuses };
}
