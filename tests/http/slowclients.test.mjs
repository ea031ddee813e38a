// slowclients.test.mjs - slow and idle clients must not starve the server.
// 200 connections sit on it (nothing sent, headers half sent, a body half
// sent, idle keep-alive after a request); a fresh client must still get
// GET /api/v1/health and an authenticated GET /api/v1/workloads within 1 s,
// and the server must drop the stalled connections by itself (CivetWeb's
// request_timeout_ms is 10 s, keep_alive_timeout_ms 5 s), and headers that
// trickle in are cut at the 5 s header deadline, whatever their pace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './harness.mjs';

const SLOW = 200;
let srv;
const sockets = [];

before(async () => { srv = await startServer(); });
after(async () => {
  for (const s of sockets) s.destroy();
  if (srv) await srv.stop();
});

// Opens a connection and sends `bytes` (maybe nothing); resolves once
// connected. Tracks when the server closes it.
function slow(bytes, kind) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, '127.0.0.1');
    sock.kind = kind;
    sock.closedByServer = false;
    sock.setNoDelay(true);
    sock.on('data', () => {});
    sock.on('end', () => { sock.closedByServer = true; });
    sock.on('close', () => { sock.closedByServer = true; });
    sock.on('error', () => {});
    sock.once('connect', () => {
      if (bytes) sock.write(bytes);
      resolve(sock);
    });
    sock.once('error', reject);
    sockets.push(sock);
  });
}

// One complete request over a new connection; resolves { status, ms }.
async function timed(path, headers = {}) {
  const t0 = performance.now();
  const res = await fetch(srv.base + path, { headers, signal: AbortSignal.timeout(5000) });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

test('200 slow or idle connections do not keep a fresh client waiting', async () => {
  // The first scored answer builds the portfolio snapshot (every workload
  // scored), a one-off cost that grows with the machine's load (and under
  // ASan) and is not what this test measures: it is paid here, before the
  // slow clients come, through another URL, so that the timed list below is
  // still rendered for its request, not a cached copy of this one.
  const warm = await timed('/api/v1/workloads?limit=1', { Authorization: `Bearer ${srv.token}` });
  assert.equal(warm.status, 200);

  const kinds = [
    ['idle', ''],
    ['half-sent headers', 'GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '],
    ['half-sent body', 'POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"adm'],
    ['idle keep-alive', 'GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n'],
  ];
  for (let i = 0; i < SLOW; i++) {
    const [kind, bytes] = kinds[i % kinds.length];
    await slow(bytes, kind);
  }
  // Let every worker pick its connection up.
  await new Promise((r) => setTimeout(r, 300));

  const health = await timed('/api/v1/health');
  assert.equal(health.status, 200);
  assert.ok(health.ms < 1000, `GET /api/v1/health took ${health.ms.toFixed(0)} ms behind ${SLOW} slow clients`);

  const list = await timed('/api/v1/workloads', { Authorization: `Bearer ${srv.token}` });
  assert.equal(list.status, 200);
  assert.ok(list.ms < 1000, `GET /api/v1/workloads took ${list.ms.toFixed(0)} ms behind ${SLOW} slow clients`);

  // Still true a few seconds on, with the slow clients still there.
  await new Promise((r) => setTimeout(r, 2000));
  const again = await timed('/api/v1/health');
  assert.equal(again.status, 200);
  assert.ok(again.ms < 1000, `GET /api/v1/health took ${again.ms.toFixed(0)} ms after 2 s`);
});

test('the server drops stalled connections by itself', async () => {
  // request_timeout_ms is 10 s, keep_alive_timeout_ms 5 s: all gone by 15 s.
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline && sockets.some((s) => !s.closedByServer)) {
    await new Promise((r) => setTimeout(r, 250));
  }
  const open = sockets.filter((s) => !s.closedByServer);
  const byKind = {};
  for (const s of open) byKind[s.kind] = (byKind[s.kind] || 0) + 1;
  assert.equal(open.length, 0, `still open after 15 s: ${JSON.stringify(byKind)}`);
  const health = await timed('/api/v1/health');
  assert.equal(health.status, 200);
});

// Sends head, then one more byte every everyMs; resolves { ms, status }
// when the server closes the connection (status 0: closed without answer).
function trickle(head, everyMs, limitMs = 30000) {
  return new Promise((resolve) => {
    const sock = net.connect(srv.port, '127.0.0.1');
    const t0 = performance.now();
    let data = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(iv);
      clearTimeout(timer);
      sock.destroy();
      resolve({ ms: performance.now() - t0, status: Number((data.match(/^HTTP\/1\.1 (\d{3})/) || [0, 0])[1]) });
    };
    const iv = setInterval(() => { if (!sock.destroyed) sock.write('a'); }, everyMs);
    const timer = setTimeout(finish, limitMs);
    sock.on('data', (d) => { data += d; });
    sock.on('close', finish);
    sock.on('error', finish);
    sock.write(head);
  });
}

test('headers trickling in are cut at the 5 s header deadline, whatever their pace', async () => {
  // CivetWeb alone checks its 10 s request_timeout_ms only between reads
  // (up to 20 s); the watchdog cuts at 5 s. A byte every 100 ms and one
  // every 2 s: both cut at 5 s, with an answer (400) or none.
  const [fast, slow] = await Promise.all([
    trickle('GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ', 100),
    trickle('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ', 2000),
  ]);
  for (const [name, r] of [['a byte every 100 ms', fast], ['a byte every 2 s', slow]]) {
    assert.ok(r.ms >= 4900 && r.ms < 7500, `${name}: cut after ${r.ms.toFixed(0)} ms`);
    assert.ok(r.status === 0 || r.status === 400, `${name}: answered ${r.status}`);
  }
});

test('--max-per-address: requests at once from one address over the cap get 429 before their body is read', async () => {
  const capped = await startServer({ args: ['--max-per-address', '20'] });
  const held = [];
  try {
    // 20 drip-body connections from 127.0.0.1 with their headers in: each
    // holds a worker, reading its body. They are signed-in evidence uploads,
    // whose body may take 120 s: an anonymous body is cut after 3 s, which
    // on a busy machine (ASan, tests in parallel) could drop the first held
    // connections before the last are counted.
    // What the server sent on held connections it closed (none expected):
    // said if the count below never reaches 20.
    const dropped = [];
    const open = () => new Promise((resolve) => {
      const s = net.connect({ port: capped.port, host: '127.0.0.1', localAddress: '127.0.0.1' });
      let got = '';
      s.on('data', (d) => { got += d; });
      s.on('error', () => {});
      s.on('close', () => { s.gone = true; dropped.push(got.split('\r\n')[0] || '(nothing)'); });
      s.once('connect', () => {
        s.write(`POST /api/v1/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${capped.token}\r\n`
          + 'Content-Type: text/csv\r\nContent-Length: 100\r\n\r\nname');
        resolve(s);
      });
    });
    for (let i = 0; i < 20; i++) held.push(await open());
    // A connection is up before a worker has read its headers (and counted
    // its request): on a busy machine the 21st could overtake some of the
    // 20 and be let in. So first wait until the server counts all 20, which
    // it shows by refusing a short request from the same address (one it
    // lets in ends at once and holds nothing).
    const health = (localAddress) => new Promise((resolve) => {
      const s = net.connect({ port: capped.port, host: '127.0.0.1', localAddress });
      let data = '';
      s.on('data', (d) => { data += d; });
      s.on('error', () => {});
      s.on('close', () => resolve(data));
      s.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    const counted = Date.now() + 10000;
    let probe = '';
    while (!/^HTTP\/1\.1 429 /.test(probe) && Date.now() < counted) {
      // A held connection the server let go is replaced, so 20 stay held.
      for (let i = 0; i < held.length; i++) if (held[i].gone) held[i] = await open();
      probe = await health('127.0.0.1');
    }
    assert.match(probe, /^HTTP\/1\.1 429 /,
      `the 20 held requests are counted within 10 s (held connections the server closed: ${dropped.length}, `
      + `first answers: ${JSON.stringify(dropped.slice(0, 5))})`);
    // The 21st from the same address: 429 with Retry-After, closed, at once.
    const extra = await new Promise((resolve) => {
      const s = net.connect({ port: capped.port, host: '127.0.0.1', localAddress: '127.0.0.1' });
      const t0 = performance.now();
      let data = '';
      s.on('data', (d) => { data += d; });
      s.on('error', () => {});
      s.on('close', () => resolve({ data, ms: performance.now() - t0 }));
      s.write('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    });
    assert.match(extra.data, /^HTTP\/1\.1 429 /);
    assert.match(extra.data, /\r\nRetry-After: 1\r\n/);
    assert.match(extra.data, /\r\nConnection: close\r\n/);
    assert.ok(extra.ms < 2000, `refused after ${extra.ms.toFixed(0)} ms`);
    // Another address is not affected.
    const other = await health('127.0.0.2');
    assert.match(other, /^HTTP\/1\.1 200 /);
    // Once the held connections go, the address is welcome again.
    await Promise.all(held.map((s) => new Promise((r) => {
      if (s.gone) return r();
      s.once('close', r);
      s.destroy();
    })));
    // Until the server has seen the closes (its workers notice them in
    // their own time: a bound in time, not in attempts, holds on a busy machine).
    let status = 0;
    for (const seen = Date.now() + 10000; status !== 200 && Date.now() < seen;) {
      const res = await fetch(`${capped.base}/api/v1/health`);
      await res.arrayBuffer();
      status = res.status;
    }
    assert.equal(status, 200);
  } finally {
    for (const s of held) s.destroy();
    await capped.stop();
  }
});
