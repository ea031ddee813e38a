// proxy.test.mjs - the reference nginx configuration (deploy/nginx/) in
// front of the real binary, and the slow-client target of issue 18: beside
// 300 slow-header and 300 drip-body connections from one address (reopened
// whenever they are dropped), a fresh request from another address answers
// in under 1 s through the proxy (the worst of every request over a 12 s
// window). Directly, CivetWeb gives every connection a worker thread (256)
// and cannot refuse one by address before its headers arrive, so fresh
// requests wait for a worker: there the test asserts that they are answered
// (200) and reports the times; README and bench/slow_clients.mjs have the
// figures. Engine-independent: runs on SQLite only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, onPostgres } from './harness.mjs';
import { nginxPath, startNginx, adaptedConfig } from './nginx.mjs';
import { startSlowClients, sample, freshRequest } from './slowloris.mjs';

const skip = onPostgres ? 'engine-independent (runs on SQLite)'
  : !nginxPath() ? 'nginx is not installed (.ci/setup --test installs it)' : false;

let srv;
let proxy;
before(async () => {
  if (skip) return;
  srv = await startServer();
  proxy = await startNginx(srv.port);
});
after(async () => {
  if (proxy) await proxy.stop();
  if (srv) await srv.stop();
});

test('the reference configuration adapts to a local port and buffers requests', { skip }, () => {
  const c = adaptedConfig(8080, 18080);
  for (const want of [/proxy_request_buffering on;/, /client_header_timeout 5s;/, /client_body_timeout 10s;/,
    /limit_conn switchyard_per_addr 20;/, /proxy_set_header X-Forwarded-For \$remote_addr;/,
    /proxy_set_header X-Forwarded-Proto \$scheme;/, /listen 127\.0\.0\.1:18080;/]) {
    assert.match(c, want);
  }
});

test('through the proxy: the API, signed-in requests and static files answer; smuggling is refused', { skip }, async () => {
  const health = await freshRequest(proxy.port, '/api/v1/health');
  assert.equal(health.status, 200);
  const list = await freshRequest(proxy.port, '/api/v1/workloads?limit=1', { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(list.status, 200);
  const page = await freshRequest(proxy.port, '/');
  assert.equal(page.status, 200);
  // nginx refuses ambiguous framing itself: one 400, and the smuggled
  // request behind it is never answered.
  const out = await new Promise((resolve) => {
    const sock = net.connect(proxy.port, '127.0.0.1');
    let data = '';
    sock.on('data', (d) => { data += d; });
    sock.on('error', () => {});
    sock.on('close', () => resolve(data));
    sock.write('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  assert.deepEqual([...out.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1])), [400]);
});

test('300 slow-header and 300 drip-body connections: a fresh request through the proxy answers in under 1 s', { skip }, async (t) => {
  const slow = await startSlowClients(proxy.port);
  try {
    const health = await sample(proxy.port, '/api/v1/health');
    const list = await sample(proxy.port, '/api/v1/workloads?limit=100', { headers: { Authorization: `Bearer ${srv.token}` }, min: 3, windowMs: 0 });
    t.diagnostic(`proxy: health worst ${health.worst.toFixed(0)} ms, median ${health.median.toFixed(0)} ms over ${health.n}; ` +
      `workloads worst ${list.worst.toFixed(0)} ms; slow connections opened ${slow.stats.opened}, dropped by nginx ${slow.stats.closedByServer}`);
    assert.ok(health.statuses.every((s) => s === 200), JSON.stringify(health.statuses));
    assert.ok(list.statuses.every((s) => s === 200), JSON.stringify(list.statuses));
    assert.ok(health.worst < 1000, `worst fresh request through the proxy: ${health.worst.toFixed(0)} ms`);
    assert.ok(list.worst < 1000, `worst authenticated request through the proxy: ${list.worst.toFixed(0)} ms`);
    assert.ok(slow.stats.opened >= 600);
  } finally {
    slow.stop();
  }
});

test('the same attack directly: fresh requests are answered (CivetWeb queues them behind the slow ones)', { skip }, async (t) => {
  const slow = await startSlowClients(srv.port);
  try {
    const health = await sample(srv.port, '/api/v1/health', { windowMs: 12000, min: 3 });
    t.diagnostic(`direct: health worst ${health.worst.toFixed(0)} ms, median ${health.median.toFixed(0)} ms over ${health.n}; ` +
      `slow connections opened ${slow.stats.opened}, dropped by the server ${slow.stats.closedByServer}`);
    assert.ok(health.statuses.every((s) => s === 200), JSON.stringify(health.statuses));
    // Bounded by the header deadline (request_timeout_ms, 10 s, which
    // CivetWeb checks between reads: at most twice that) and the anonymous
    // body deadline (3 s).
    assert.ok(health.worst < 25000, `worst fresh request directly: ${health.worst.toFixed(0)} ms`);
  } finally {
    slow.stop();
  }
  // Once the attack stops, the server is itself again.
  const after = await freshRequest(srv.port, '/api/v1/health');
  assert.equal(after.status, 200);
});
