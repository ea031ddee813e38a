// webhook_receiver.mjs - what the webhook HTTP tests share: a real local
// receiver (node http) that checks each Switchyard-Signature with node's
// crypto and keeps an idempotency log by event ID, a closed port, polling,
// and small API helpers.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { api } from './harness.mjs';

// A receiver: verifies Switchyard-Signature with the secrets it is given,
// logs each delivery, and counts deliveries per event ID.
export function receiver(status = 200) {
  const rec = { secrets: [], log: [], seen: new Map(), status };
  rec.server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['switchyard-signature'] || '';
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
      const valid = !!m && rec.secrets.some((secret) => {
        const want = crypto.createHmac('sha256', secret).update(`${m[1]}.${raw}`).digest();
        return crypto.timingSafeEqual(want, Buffer.from(m[2], 'hex'));
      });
      const body = JSON.parse(raw);
      rec.log.push({ body, valid, t: m ? Number(m[1]) : 0, headers: req.headers });
      rec.seen.set(body.id, (rec.seen.get(body.id) || 0) + 1);
      // holdNext: take the delivery but never answer (the sender dies first).
      if (rec.holdNext) { rec.holdNext = false; rec.held = res; return; }
      res.writeHead(rec.status, { 'Content-Type': 'text/plain' });
      res.end('ok');
    });
  });
  return new Promise((resolve) => rec.server.listen(0, '127.0.0.1', () => {
    rec.url = `http://127.0.0.1:${rec.server.address().port}/hooks/switchyard`;
    resolve(rec);
  }));
}

// A port nothing listens on.
export function closedPort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Polls fn until it returns a truthy value (the worker ticks every 100 ms).
export async function until(fn, what, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A flagged P1 workload of the demo portfolio, active (production).
export async function flaggedP1(srv) {
  const r = await api(srv.base, 'GET', '/api/v1/workloads?limit=200&priority=P1&flagged=true');
  assert.equal(r.status, 200);
  const w = r.body.items.find((x) => x.status === 'production');
  assert.ok(w, 'the demo has a flagged P1 workload in production');
  return w;
}

export async function deliveries(srv, hook) {
  const r = await api(srv.base, 'GET', `/api/v1/webhooks/${hook}/deliveries`);
  assert.equal(r.status, 200);
  return r.body.items;
}

