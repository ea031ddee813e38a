// webhook_events.test.mjs - webhooks against the real binary and a real
// receiver (webhook_receiver.mjs), beyond webhooks.test.mjs:
// - drill.failed, deadline.upcoming, acceptance.expired (the daily check,
//   across a day change) and audit.verify_failed, each raised once;
// - two instances on one database raise and send each event once;
// - a server killed while a receiver holds its request: the claim lapses
//   and the restarted server sends the same event ID again (at least once,
//   the duplicate detectable);
// - a month on: delivered deliveries are forgotten, and one still failing
//   a day after it was queued is marked failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, startServer, DECIDED } from './harness.mjs';
import { closedPort, deliveries, flaggedP1, receiver, until } from './webhook_receiver.mjs';

test('drill.failed, deadline.upcoming, acceptance.expired (the daily check) and audit.verify_failed, once each', async () => {
  const rec = await receiver();
  const env = { SWITCHYARD_WEBHOOK_TICK_MS: '100' };
  const first = await startServer({ env });
  let next;
  const of = (type) => rec.log.filter((x) => x.body.type === type);
  try {
    let r = await api(first.base, 'POST', '/api/v1/webhooks', {
      url: rec.url, events: ['drill.failed', 'deadline.upcoming', 'acceptance.expired', 'audit.verify_failed'],
    });
    assert.equal(r.status, 201);
    rec.secrets.push(r.body.secret);
    const today = (await api(first.base, 'GET', '/api/v1/portfolio/summary')).body.as_of;
    const inDays = (n) => new Date(Date.parse(today) + n * 86400000).toISOString().slice(0, 10);
    const offerings = (await api(first.base, 'GET', '/api/v1/offerings')).body.items;
    const vendor = (await api(first.base, 'GET', '/api/v1/vendors')).body.items[0].id;
    const [o1, o2] = [offerings[0].id, offerings[1].id];

    r = await api(first.base, 'POST', '/api/v1/workloads', {
      ...DECIDED, name: `webhook drill ${process.pid}`, track: 'other', status: 'proposed', criticality: 'low',
      dependencies: [{ offering: o1, role: 'tooling' }], alternatives: [{ dependency: o1, offering: o2 }],
    });
    assert.equal(r.status, 201);
    const wid = r.body.id;
    for (const result of ['passed', 'failed']) {
      r = await api(first.base, 'POST', `/api/v1/workloads/${wid}/drills`, {
        dependency: o1, offering: o2, drilled_on: today, result, evidence: `drill ${result}`,
      });
      assert.equal(r.status, 201);
    }
    const drill = r.body.id;
    r = await api(first.base, 'POST', '/api/v1/contracts', {
      name: `webhook contract ${process.pid}`, kind: 'customer', counterparty: vendor, offerings: [o1],
      start_date: '2026-01-01', end_date: inDays(40), notice_days: 20,
    });
    assert.equal(r.status, 201);
    const contract = r.body.id;
    r = await api(first.base, 'POST', `/api/v1/workloads/${wid}/acceptances`, {
      owner: 'Webhook Test', reason: 'expires soon', expires_on: inDays(1),
    });
    assert.equal(r.status, 201);
    const acceptance = r.body.id;

    await until(() => of('drill.failed').length === 1 &&
      of('deadline.upcoming').some((x) => x.body.data.contract.id === contract), 'drill and deadline events');
    const [d] = of('drill.failed');
    assert.equal(d.body.data.drill.id, drill);
    assert.equal(d.body.data.drill.result, 'failed');
    assert.equal(d.body.data.workload.id, wid);
    const dl = of('deadline.upcoming').find((x) => x.body.data.contract.id === contract);
    assert.equal(dl.body.data.notice_deadline, inDays(20));
    assert.equal(dl.body.data.days_left, 20);
    assert.equal(of('acceptance.expired').length, 0, 'the acceptance is still in force');

    // Two days on (a restart with the day pinned): the daily check finds the
    // acceptance expired; the drill and the deadline are not raised again.
    const stopped = new Promise((res) => first.child.once('exit', res));
    first.child.kill('SIGTERM');
    await stopped;
    next = await startServer({ args: ['--db', first.db], env: { ...env, SWITCHYARD_TODAY: inDays(2) } });
    await until(() => of('acceptance.expired').length === 1, 'the acceptance.expired event');
    const [ex] = of('acceptance.expired');
    assert.equal(ex.body.data.acceptance.id, acceptance);
    assert.equal(ex.body.data.acceptance.expires_on, inDays(1));
    assert.equal(ex.body.data.workload.id, wid);

    // A broken audit chain found by the API's verification.
    const dropGuard = next.db.startsWith('postgres') ? 'DROP TRIGGER audit_no_update ON audit_events;' : 'DROP TRIGGER audit_no_update;';
    next.sql(`${dropGuard}\nUPDATE audit_events SET actor = 'mallory' WHERE seq = 2;`);
    r = await api(next.base, 'GET', '/api/v1/audit/verify');
    assert.equal(r.status, 200);
    assert.equal(r.body.ok, false);
    await until(() => of('audit.verify_failed').length === 1, 'the audit.verify_failed event');
    const [av] = of('audit.verify_failed');
    assert.equal(av.body.data.first_broken, 2);
    assert.equal(av.body.data.source, 'api');

    assert.equal(of('drill.failed').length, 1);
    assert.equal(of('deadline.upcoming').filter((x) => x.body.data.contract.id === contract).length, 1);
    assert.ok(rec.log.every((x) => x.valid), 'every delivery signed with the secret');
    assert.ok([...rec.seen.values()].every((n) => n === 1), 'no event ID twice');
  } finally {
    if (next) await next.stop();
    await first.stop();
    rec.server.close();
  }
});

test('two instances on one database: each event raised once, each delivery sent by one', async () => {
  const rec = await receiver();
  const env = { SWITCHYARD_WEBHOOK_TICK_MS: '50' };
  const a = await startServer({ env });
  let b;
  try {
    b = await startServer({ args: ['--db', a.db], env });
    let r = await api(a.base, 'POST', '/api/v1/webhooks', { url: rec.url, events: ['workload.unflagged'] });
    assert.equal(r.status, 201);
    const hook = r.body.webhook.id;
    rec.secrets.push(r.body.secret);
    r = await api(a.base, 'GET', '/api/v1/workloads?limit=200&flagged=true');
    const flagged = r.body.items.filter((w) => w.status === 'production').slice(0, 4);
    assert.equal(flagged.length, 4, 'the demo has four flagged workloads in production');
    for (const [i, w] of flagged.entries()) {
      r = await api((i % 2 ? b : a).base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' });
      assert.equal(r.status, 200);
    }
    await until(() => rec.log.length >= 4, 'four deliveries');
    const done = await until(async () => {
      const d = await deliveries(b, hook);
      return d.length === 4 && d.every((x) => x.status === 'delivered') && d;
    }, 'four deliveries recorded');
    assert.deepEqual(done.map((d) => d.attempts), [1, 1, 1, 1], 'each sent by one instance, once');
    assert.equal(rec.log.length, 4);
    assert.deepEqual([...rec.seen.values()], [1, 1, 1, 1]);
    assert.deepEqual(rec.log.map((x) => x.body.data.workload.id).sort((x, y) => x - y),
      flagged.map((w) => w.id).sort((x, y) => x - y));
    assert.ok(rec.log.every((x) => x.valid));
  } finally {
    if (b) await b.stop();
    await a.stop();
    rec.server.close();
  }
});

test('killed mid-delivery: the claim lapses and the same event is sent again, a detectable duplicate', async () => {
  const rec = await receiver();
  const env = { SWITCHYARD_WEBHOOK_TICK_MS: '100', SWITCHYARD_WEBHOOK_LEASE: '2' };
  const first = await startServer({ env });
  let again;
  try {
    let r = await api(first.base, 'POST', '/api/v1/webhooks', { url: rec.url, events: ['workload.unflagged'] });
    assert.equal(r.status, 201);
    const hook = r.body.webhook.id;
    rec.secrets.push(r.body.secret);
    rec.holdNext = true;
    const w = await flaggedP1(first);
    r = await api(first.base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' });
    assert.equal(r.status, 200);
    await until(() => rec.held, 'the delivery in flight');
    const exited = new Promise((res) => first.child.once('exit', res));
    first.child.kill('SIGKILL');
    await exited;
    rec.held.destroy();

    again = await startServer({ args: ['--db', first.db], env });
    await until(() => rec.log.length === 2, 'the delivery sent again');
    const [a, b] = rec.log;
    assert.equal(a.body.id, b.body.id, 'the same event ID both times');
    assert.deepEqual(a.body, b.body, 'the same body both times');
    assert.equal(rec.seen.get(a.body.id), 2, 'the idempotency log sees the duplicate');
    assert.ok(a.valid && b.valid);
    const [d] = await until(async () => {
      const list = await deliveries(again, hook);
      return list.length === 1 && list[0].status === 'delivered' && list;
    }, 'the delivery recorded');
    assert.equal(d.attempts, 1, 'the attempt cut short was never recorded');
    assert.equal(d.response_code, 200);
  } finally {
    if (again) await again.stop();
    await first.stop();
    rec.server.close();
  }
});

test('a month on: delivered ones are pruned, one failing for over a day is marked failed', async () => {
  const rec = await receiver();
  const env = { SWITCHYARD_WEBHOOK_TICK_MS: '100', SWITCHYARD_WEBHOOK_RETRY_BASE: '3600' };
  const first = await startServer({ env });
  let later;
  try {
    let r = await api(first.base, 'POST', '/api/v1/webhooks', { url: rec.url, events: ['workload.unflagged'] });
    const ok = r.body.webhook.id;
    rec.secrets.push(r.body.secret);
    r = await api(first.base, 'POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${await closedPort()}/`, events: ['workload.unflagged'] });
    const down = r.body.webhook.id;
    const w = await flaggedP1(first);
    r = await api(first.base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' });
    assert.equal(r.status, 200);
    await until(async () => (await deliveries(first, ok))[0]?.status === 'delivered', 'the delivery');
    const [failing] = await until(async () => {
      const d = await deliveries(first, down);
      return d.length === 1 && d[0].attempts === 1 && d;
    }, 'the first failed attempt');
    assert.equal(failing.status, 'pending');
    // The receiver's webhook gets nothing new while disabled.
    r = await api(first.base, 'PATCH', `/api/v1/webhooks/${ok}`, { enabled: false });
    assert.equal(r.status, 200);
    const stopped = new Promise((res) => first.child.once('exit', res));
    first.child.kill('SIGTERM');
    await stopped;

    const now = new Date(Date.now() + 31 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
    later = await startServer({ args: ['--db', first.db], env: { ...env, SWITCHYARD_NOW: now } });
    assert.deepEqual(await deliveries(later, ok), [], 'the delivered one is forgotten after 30 days');
    const d = await until(async () => {
      const found = (await deliveries(later, down)).find((x) => x.id === failing.id);
      return found && found.status === 'failed' && found;
    }, 'the failing delivery given up');
    assert.equal(d.attempts, 2);
    assert.equal(d.next_attempt_at, null);
    assert.match(d.last_error, /\S/);
    assert.equal(rec.log.length, 1);
  } finally {
    if (later) await later.stop();
    await first.stop();
    rec.server.close();
  }
});
