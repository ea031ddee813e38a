// webhooks.test.mjs - /api/v1/webhooks against the real binary and a real
// local receiver (a node http server) that checks every signature with
// node's own crypto and keeps an idempotency log by event ID:
// - registration: bad URLs and events are 400 naming the field, viewers
//   get 403, the secret is shown once and never listed or audited;
// - durability: with the worker holding deliveries
//   (SWITCHYARD_WEBHOOK_HOLD=1) events are queued, the server is killed
//   with SIGKILL, restarted on the same database, and each event reaches
//   the receiver exactly once, correctly signed; a replay is a duplicate
//   the log detects by ID;
// - an unreachable receiver and one answering 500 leave recorded failures
//   (attempts, error, code, next attempt) while requests go on unblocked;
// - one incremental comparison covering 130 writes (more state keys than
//   one look-up statement takes) raises one event per workload unflagged;
// (webhook_events.test.mjs: the other event types, a crash mid-delivery,
// two instances.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, startServer } from './harness.mjs';
import { closedPort, deliveries, flaggedP1, receiver, until } from './webhook_receiver.mjs';

const EVENTS = ['workload.flagged', 'workload.unflagged', 'priority.p1'];

test('registration: validation, roles, the secret shown once, audited', async () => {
  const srv = await startServer({ env: { SWITCHYARD_WEBHOOK_TICK_MS: '100' } });
  try {
    const bad = [
      ['ftp://example.com/hook', /http:\/\/ or https:\/\//],
      ['http://user:secret@example.com/hook', /user information/],
      ['https:///nohost', /host/],
      ['http://exa mple.com/', /spaces/],
      ['http://example.com:99999/', /port/],
      [`https://example.com/${'a'.repeat(2100)}`, /2048/],
      [42, /http or https URL/],
    ];
    for (const [url, why] of bad) {
      const r = await api(srv.base, 'POST', '/api/v1/webhooks', { url, events: ['workload.flagged'] });
      assert.equal(r.status, 400, `${url} should be refused`);
      assert.equal(r.body.errors[0].pointer, '/url');
      assert.match(r.body.errors[0].detail, why);
    }
    let r = await api(srv.base, 'POST', '/api/v1/webhooks', { url: 'https://example.com/h', events: ['workload.flagged', 'nope'] });
    assert.equal(r.status, 400);
    assert.equal(r.body.errors[0].pointer, '/events/1');
    r = await api(srv.base, 'POST', '/api/v1/webhooks', { url: 'https://example.com/h', events: [] });
    assert.equal(r.body.errors[0].pointer, '/events');
    r = await api(srv.base, 'POST', '/api/v1/webhooks', { url: 'https://example.com/h', events: ['drill.failed'], secret: 'mine' });
    assert.equal(r.status, 400);
    assert.equal(r.body.errors[0].pointer, '/secret');
    r = await api(srv.base, 'GET', '/api/v1/webhooks');
    assert.equal(r.body.total, 0, 'nothing was registered by refused requests');

    const viewer = await srv.tokenFor('viewer');
    const asViewer = { Authorization: `Bearer ${viewer}` };
    r = await api(srv.base, 'GET', '/api/v1/webhooks', undefined, asViewer);
    assert.equal(r.status, 403);
    r = await api(srv.base, 'POST', '/api/v1/webhooks', { url: 'https://example.com/h', events: ['drill.failed'] }, asViewer);
    assert.equal(r.status, 403);

    r = await api(srv.base, 'POST', '/api/v1/webhooks', {
      url: 'https://hooks.example.com:8443/switchyard?x=1', events: ['drill.failed', 'workload.flagged', 'drill.failed'],
      description: 'ops channel',
    });
    assert.equal(r.status, 201);
    const id = r.body.webhook.id;
    assert.equal(r.headers.get('location'), `/api/v1/webhooks/${id}`);
    assert.match(r.body.secret, /^whsec_[0-9a-f]{64}$/);
    assert.deepEqual(r.body.webhook.events, ['workload.flagged', 'drill.failed']);
    assert.equal(r.body.webhook.enabled, true);
    const secret = r.body.secret;

    r = await api(srv.base, 'GET', `/api/v1/webhooks/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.url, 'https://hooks.example.com:8443/switchyard?x=1');
    assert.equal(r.body.description, 'ops channel');
    assert.equal(r.body.secret, undefined);
    r = await api(srv.base, 'GET', '/api/v1/webhooks');
    assert.equal(r.body.total, 1);
    assert.ok(!JSON.stringify(r.body).includes(secret));

    r = await api(srv.base, 'PATCH', `/api/v1/webhooks/${id}`, { enabled: false, events: ['priority.p1'] });
    assert.equal(r.status, 200);
    assert.equal(r.body.enabled, false);
    assert.deepEqual(r.body.events, ['priority.p1']);
    assert.equal(r.body.url, 'https://hooks.example.com:8443/switchyard?x=1');
    r = await api(srv.base, 'PATCH', `/api/v1/webhooks/${id}`, { url: 'javascript:alert(1)' });
    assert.equal(r.status, 400);
    assert.equal(r.body.errors[0].pointer, '/url');

    r = await api(srv.base, 'POST', `/api/v1/webhooks/${id}/rotate-secret`);
    assert.equal(r.status, 200);
    assert.match(r.body.secret, /^whsec_[0-9a-f]{64}$/);
    assert.notEqual(r.body.secret, secret);
    const rotated = r.body.secret;

    // The secret is sealed at rest: not in the database as written.
    const stored = srv.sql(`SELECT secret_sealed FROM webhooks WHERE id = ${id};`).trim();
    assert.match(stored, /^sb1:[0-9a-f]+$/);
    assert.ok(!stored.includes(rotated.slice(6)));

    r = await api(srv.base, 'GET', '/api/v1/audit?entity=webhook&limit=50');
    assert.equal(r.status, 200);
    const actions = r.body.items.map((e) => e.action).sort();
    assert.deepEqual(actions, ['create', 'rotate_secret', 'update']);
    const trail = JSON.stringify(r.body);
    assert.ok(!trail.includes(secret) && !trail.includes(rotated), 'no secret in the audit trail');

    r = await api(srv.base, 'DELETE', `/api/v1/webhooks/${id}`);
    assert.equal(r.status, 204);
    r = await api(srv.base, 'GET', `/api/v1/webhooks/${id}`);
    assert.equal(r.status, 404);
    r = await api(srv.base, 'POST', '/api/v1/webhooks/deliveries/999999/replay');
    assert.equal(r.status, 404);
  } finally {
    await srv.stop();
  }
});

test('events survive a SIGKILL between enqueue and delivery and arrive exactly once, signed', async () => {
  const rec = await receiver();
  const held = await startServer({ env: { SWITCHYARD_WEBHOOK_HOLD: '1', SWITCHYARD_WEBHOOK_TICK_MS: '100' } });
  let again;
  try {
    let r = await api(held.base, 'POST', '/api/v1/webhooks', { url: rec.url, events: EVENTS });
    assert.equal(r.status, 201);
    const hook = r.body.webhook.id;
    rec.secrets.push(r.body.secret);
    const w = await flaggedP1(held);

    // Retired: out of the active set, so no longer flagged.
    r = await api(held.base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' });
    assert.equal(r.status, 200);
    await until(async () => (await deliveries(held, hook)).length === 1, 'the unflagged event queued');
    // Back in production: flagged and P1 again.
    r = await api(held.base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'production' });
    assert.equal(r.status, 200);
    const queued = await until(async () => {
      const d = await deliveries(held, hook);
      return d.length === 3 && d;
    }, 'three events queued');
    assert.deepEqual(queued.map((d) => d.type).sort(), ['priority.p1', 'workload.flagged', 'workload.unflagged']);
    for (const d of queued) {
      assert.equal(d.status, 'pending');
      assert.equal(d.attempts, 0);
      assert.match(d.event_id, /^evt_[0-9a-f]{32}$/);
    }
    assert.equal(rec.log.length, 0, 'nothing sent while held');

    // Killed with the deliveries queued: nothing in flight, nothing lost.
    const exited = new Promise((res) => held.child.once('exit', res));
    held.child.kill('SIGKILL');
    await exited;

    again = await startServer({ args: ['--db', held.db], env: { SWITCHYARD_WEBHOOK_TICK_MS: '100' } });
    await until(() => rec.log.length >= 3, 'three deliveries received');
    const done = await until(async () => {
      const d = await deliveries(again, hook);
      return d.every((x) => x.status === 'delivered') && d;
    }, 'every delivery recorded as delivered');
    assert.equal(done.length, 3, 'the restart raised no event twice');
    for (const d of done) {
      assert.equal(d.attempts, 1);
      assert.equal(d.response_code, 200);
      assert.equal(d.last_error, null);
      assert.equal(d.next_attempt_at, null);
    }
    assert.equal(rec.log.length, 3);
    assert.deepEqual([...rec.seen.values()], [1, 1, 1], 'each event ID exactly once');
    assert.deepEqual([...rec.seen.keys()].sort(), queued.map((d) => d.event_id).sort());
    for (const got of rec.log) {
      assert.equal(got.valid, true, 'signature verifies with the secret');
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.headers['switchyard-event-id'], got.body.id);
      assert.ok(Math.abs(got.t - Date.now() / 1000) < 300, 'timestamp is now');
      assert.equal(got.body.data.workload.id, w.id);
      assert.match(got.body.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const byType = Object.fromEntries(rec.log.map((x) => [x.body.type, x.body.data.workload]));
    assert.equal(byType['workload.unflagged'].flagged, false);
    assert.equal(byType['workload.unflagged'].status, 'retired');
    assert.equal(byType['workload.flagged'].flagged, true);
    assert.equal(byType['priority.p1'].priority, 'P1');

    // A replay sends the same event again: a duplicate the log detects.
    const first = done.find((d) => d.type === 'workload.flagged');
    r = await api(again.base, 'POST', `/api/v1/webhooks/deliveries/${first.id}/replay`);
    assert.equal(r.status, 202);
    assert.equal(r.body.event_id, first.event_id);
    await until(() => rec.seen.get(first.event_id) === 2, 'the replay received');
    assert.equal(rec.seen.size, 3, 'still three distinct events');
    r = await api(again.base, 'GET', '/api/v1/audit?entity=webhook_delivery');
    assert.equal(r.body.items.length, 1);
    assert.equal(r.body.items[0].action, 'replay');
  } finally {
    if (again) await again.stop();
    await held.stop();
    rec.server.close();
  }
});

test('unreachable and failing receivers: recorded failures, requests not blocked', async () => {
  const srv = await startServer({
    env: { SWITCHYARD_WEBHOOK_TICK_MS: '100', SWITCHYARD_WEBHOOK_RETRY_BASE: '3600' },
  });
  const failing = await receiver(500);
  try {
    const port = await closedPort();
    let r = await api(srv.base, 'POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${port}/down`, events: ['workload.unflagged'] });
    assert.equal(r.status, 201);
    const down = r.body.webhook.id;
    r = await api(srv.base, 'POST', '/api/v1/webhooks', { url: failing.url, events: ['workload.unflagged'] });
    const five = r.body.webhook.id;
    failing.secrets.push(r.body.secret);
    const w = await flaggedP1(srv);
    const t0 = Date.now();
    r = await api(srv.base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' });
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 < 5000, 'the write did not wait for any delivery');
    const [a] = await until(async () => {
      const d = await deliveries(srv, down);
      return d.length === 1 && d[0].attempts === 1 && d;
    }, 'the unreachable attempt recorded');
    assert.equal(a.status, 'pending');
    assert.equal(a.response_code, null);
    assert.match(a.last_error, /\S/);
    assert.ok(a.last_attempt_at);
    // First retry after an hour, +-20 % jitter.
    const wait = (Date.parse(a.next_attempt_at) - Date.parse(a.last_attempt_at)) / 1000;
    assert.ok(wait >= 2880 - 1 && wait <= 4320 + 1, `next attempt in ${wait} s`);
    const [b] = await until(async () => {
      const d = await deliveries(srv, five);
      return d.length === 1 && d[0].attempts === 1 && d;
    }, 'the HTTP 500 attempt recorded');
    assert.equal(b.status, 'pending');
    assert.equal(b.response_code, 500);
    assert.equal(b.last_error, 'the receiver answered HTTP 500');
    assert.equal(failing.log.length, 1);
    assert.equal(failing.log[0].valid, true);
    r = await api(srv.base, 'GET', '/api/v1/health');
    assert.equal(r.status, 200);
  } finally {
    await srv.stop();
    failing.server.close();
  }
});


test('one comparison of many workloads written at once raises each event once', async () => {
  // A long tick: the worker looks only when 128 commits have piled up,
  // so one incremental comparison covers every write below (more keys
  // than one look-up statement takes).
  const srv = await startServer({ env: { SWITCHYARD_WEBHOOK_HOLD: '1', SWITCHYARD_WEBHOOK_TICK_MS: '60000' } });
  try {
    let r = await api(srv.base, 'GET', '/api/v1/workloads?limit=200&flagged=true');
    const flagged = r.body.items.filter((w) => w.status !== 'retired');
    assert.ok(flagged.length >= 20, `the demo has ${flagged.length} flagged active workloads`);
    r = await api(srv.base, 'POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/h', events: ['workload.unflagged'] });
    assert.equal(r.status, 201);
    const hook = r.body.webhook.id;
    const compares = async () => {
      const m = await fetch(`${srv.base}/metrics`, { headers: { Authorization: `Bearer ${await srv.tokenFor('admin')}` } });
      const line = (await m.text()).match(/^switchyard_webhook_compares_total\{kind="incremental"\} (\d+)$/m);
      return Number(line?.[1] ?? 0);
    };
    const before = await compares();
    for (const w of flagged) {
      r = await api(srv.base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' });
      assert.equal(r.status, 200);
    }
    // Edits that flag nothing, up to the worker's wake-up.
    const quiet = r.body.id;
    for (let i = 0; i < 130 - flagged.length; i++) {
      r = await api(srv.base, 'PATCH', `/api/v1/workloads/${quiet}`, { notes: `edit ${i}` });
      assert.equal(r.status, 200);
    }
    const queued = await until(async () => {
      const d = await deliveries(srv, hook);
      return d.length >= flagged.length && d;
    }, 'an unflagged event for each retired workload');
    assert.equal(queued.length, flagged.length);
    assert.equal(new Set(queued.map((d) => d.event_id)).size, flagged.length, 'one event each');
    assert.equal(queued.every((d) => d.type === 'workload.unflagged'), true);
    assert.ok(await compares() > before, 'compared incrementally');
  } finally {
    await srv.stop();
  }
});
