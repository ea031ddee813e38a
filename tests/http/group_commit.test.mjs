// group_commit.test.mjs - 64 writes sent at once, some of them refused:
// each gets its own status (201, 400, 409, 200, 412), the refused ones
// change nothing, every acknowledged write is readable afterwards, the
// counts of workloads and audit events move by exactly the accepted writes,
// and the audit chain verifies. These writes share commits, on SQLite and
// on PostgreSQL (store/group.c): writes waiting for the writer turn join the open
// transaction, each in its own savepoint, so a refused write (a duplicate
// name, a stale If-Match found inside the transaction) rolls back alone.
// The server's closing log line counts writes and commits. A batch whose
// COMMIT fails (a deferred trigger, PostgreSQL) answers 503 to every member
// and keeps nothing of theirs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, api, onPostgres, DECIDED } from './harness.mjs';

let srv;
before(async () => {
  srv = await startServer({ demo: true });
});
after(async () => {
  await srv?.stop();
});

const workload = (name, extra = {}) => ({
  ...DECIDED, name, track: 'other', status: 'pilot', criticality: 'low', ...extra,
});
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

async function counts() {
  const w = await api(srv.base, 'GET', '/api/v1/workloads?limit=1');
  const a = await api(srv.base, 'GET', '/api/v1/audit?limit=1');
  assert.equal(w.status, 200);
  assert.equal(a.status, 200);
  return { workloads: w.body.total, events: a.body.total };
}

test('64 concurrent writes: each its own status, refused ones change nothing, chain verifies', async () => {
  const target = await api(srv.base, 'POST', '/api/v1/workloads', workload('gc-target', { users: 1 }));
  assert.equal(target.status, 201);
  const etag = target.headers.get('etag');
  const start = await counts();

  const sends = [];
  const kinds = [];
  const add = (kind, p) => { kinds.push(kind); sends.push(p); };
  for (let i = 0; i < 40; i++)
    add(`ok:gc-ok-${i}`, api(srv.base, 'POST', '/api/v1/workloads', workload(`gc-ok-${i}`, { users: i + 1 })));
  // Refused before any write: an unknown criticality.
  for (let i = 0; i < 8; i++)
    add(`bad:gc-bad-${i}`, api(srv.base, 'POST', '/api/v1/workloads', workload(`gc-bad-${i}`, { criticality: 'bogus' })));
  // Refused inside the transaction: two writes of one new name, one wins.
  for (let i = 0; i < 4; i++)
    for (let k = 0; k < 2; k++)
      add(`dup:gc-dup-${i}`, api(srv.base, 'POST', '/api/v1/workloads', workload(`gc-dup-${i}`, { users: 100 + k })));
  // Eight updates with the same If-Match: one wins, seven are stale.
  for (let i = 0; i < 8; i++)
    add('patch', api(srv.base, 'PATCH', `/api/v1/workloads/${target.body.id}`, { users: 1000 + i },
      { ...MERGE, 'If-Match': etag }));
  assert.equal(sends.length, 64);
  const res = await Promise.all(sends);

  const created = [];
  const dupWins = new Map();
  let patched = 0;
  let stale = 0;
  res.forEach((r, i) => {
    const [kind, name] = kinds[i].split(':');
    if (kind === 'ok') {
      assert.equal(r.status, 201, `${name}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.name, name);
      created.push(r.body);
    } else if (kind === 'bad') {
      assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body)}`);
      assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
    } else if (kind === 'dup') {
      assert.ok([201, 409].includes(r.status), `${name}: ${r.status} ${JSON.stringify(r.body)}`);
      if (r.status === 201) {
        assert.ok(!dupWins.has(name), `${name} created twice`);
        dupWins.set(name, r.body);
        created.push(r.body);
      }
    } else if (r.status === 200) {
      patched++;
      assert.ok(r.body.users >= 1000 && r.body.users < 1008);
    } else {
      assert.equal(r.status, 412, JSON.stringify(r.body));
      stale++;
    }
  });
  assert.equal(dupWins.size, 4, 'each duplicated name created exactly once');
  assert.equal(created.length, 44);
  assert.equal(patched, 1);
  assert.equal(stale, 7);

  // Every acknowledged write is there, as answered; the refused ones are not.
  for (const w of created) {
    const g = await api(srv.base, 'GET', `/api/v1/workloads/${w.id}`);
    assert.equal(g.status, 200);
    assert.equal(g.body.name, w.name);
    assert.equal(g.body.users, w.users);
  }
  for (let i = 0; i < 8; i++) {
    const q = await api(srv.base, 'GET', `/api/v1/workloads?q=gc-bad-${i}`);
    assert.equal(q.body.total, 0);
  }
  const t = await api(srv.base, 'GET', `/api/v1/workloads/${target.body.id}`);
  const winner = res.find((r, i) => kinds[i] === 'patch' && r.status === 200);
  assert.equal(t.body.users, winner.body.users);

  // Counts move by exactly the accepted writes: 44 workloads, 45 events.
  const end = await counts();
  assert.equal(end.workloads - start.workloads, 44);
  assert.equal(end.events - start.events, 45);
  const createdEvents = await api(srv.base, 'GET', '/api/v1/audit?entity=workload&action=create&limit=100');
  const names = new Set(createdEvents.body.items.map((e) => e.after.name));
  for (const w of created) assert.ok(names.has(w.name), `audit event for ${w.name}`);

  const v = await api(srv.base, 'GET', '/api/v1/audit/verify');
  assert.equal(v.status, 200);
  assert.equal(v.body.ok, true);
  assert.equal(v.body.events, end.events);

  // /metrics says how the writes were committed, and so does the server's
  // closing log line, with the same counts.
  const metrics = await api(srv.base, 'GET', '/metrics');
  assert.equal(metrics.status, 200);
  const counter = (name) => {
    const line = metrics.body.split('\n').find((l) => l.startsWith(`${name} `));
    assert.ok(line, `no ${name} in /metrics`);
    return Number(line.split(' ')[1]);
  };
  const gc = { writes: counter('switchyard_group_commit_writes_total'),
    batches: counter('switchyard_group_commit_batches_total'),
    failed: counter('switchyard_group_commit_failed_total'),
    largest: counter('switchyard_group_commit_largest') };
  const log = await stopAndLog();
  const m = /group commit: (\d+) writes in (\d+) commits \(largest (\d+), (\d+) failed\)/.exec(log);
  // Both engines share commits: SQLite's flush of the log is as much a
  // wait for the disk as PostgreSQL's.
  assert.ok(gc.writes >= 45, `writes ${gc.writes}`);
  assert.ok(gc.batches >= 1 && gc.batches <= gc.writes, `batches ${gc.batches}`);
  assert.ok(gc.largest >= 1 && gc.largest <= 64 && gc.largest * gc.batches >= gc.writes, `largest ${gc.largest}`);
  assert.equal(gc.failed, 0);
  assert.ok(m, `no group commit line in the log:\n${log.slice(-2000)}`);
  // The log counts at stopping: the writes after the scrape (none here) too.
  assert.deepEqual(m.slice(1).map(Number), [gc.writes, gc.batches, gc.largest, gc.failed]);
});

async function stopAndLog() {
  const s = srv;
  srv = null;
  await s.stop();
  return s.log();
}

// A COMMIT that fails takes every write of its batch with it: each member
// answers 503 and none of them is there afterwards. PostgreSQL only: a
// deferred constraint trigger refuses, at COMMIT, a workload named
// gc-poison, so the batch it joined fails as a whole.
test('a batch whose COMMIT fails: its members answer 503 and nothing of theirs is kept', { skip: !onPostgres && 'needs a deferred trigger (PostgreSQL); SQLite\'s failed commits are the fault tests\' injected fsync failures' }, async () => {
  const own = await startServer({ demo: false });
  try {
    own.sql(`CREATE FUNCTION gc_poison() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name = 'gc-poison' THEN RAISE EXCEPTION 'poisoned batch'; END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER gc_poison AFTER INSERT ON workloads
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gc_poison();`);
    const before = await api(own.base, 'GET', '/api/v1/audit?limit=1');
    const names = ['gc-poison', ...Array.from({ length: 23 }, (_, i) => `gc-with-${i}`)];
    const res = await Promise.all(names.map((n) => api(own.base, 'POST', '/api/v1/workloads', workload(n))));
    const poison = res[0];
    assert.equal(poison.status, 503, JSON.stringify(poison.body));
    assert.match(poison.headers.get('content-type'), /^application\/problem\+json/);
    let ok = 0;
    for (let i = 0; i < names.length; i++) {
      assert.ok([201, 503].includes(res[i].status), `${names[i]}: ${res[i].status} ${JSON.stringify(res[i].body)}`);
      const q = await api(own.base, 'GET', `/api/v1/workloads?q=${names[i]}`);
      const found = q.body.items.filter((w) => w.name === names[i]).length;
      // Acknowledged: there; refused with its batch: not there.
      assert.equal(found, res[i].status === 201 ? 1 : 0, names[i]);
      if (res[i].status === 201) ok++;
    }
    const w = await api(own.base, 'GET', '/api/v1/workloads?limit=1');
    assert.equal(w.body.total, ok);
    const after = await api(own.base, 'GET', '/api/v1/audit?limit=1');
    assert.equal(after.body.total - before.body.total, ok);
    const v = await api(own.base, 'GET', '/api/v1/audit/verify');
    assert.equal(v.body.ok, true);
    // Writes after the failed batch go through.
    assert.equal((await api(own.base, 'POST', '/api/v1/workloads', workload('gc-after'))).status, 201);
    assert.equal((await api(own.base, 'GET', '/api/v1/audit/verify')).body.ok, true);
  } finally {
    await own.stop();
  }
});

// Under a long stream of shared commits the server must tell its own
// commits from others'. On SQLite a shared transaction that spilled pages
// mid-way restarted the log after a checkpoint, other connections saw the
// database move before the commit was counted, took it for another
// process's write and rebuilt everything (switchyard_outside_changes_total
// counts those). A real outside write is still noticed, and seen at once.
test('a stream of shared commits is not taken for outside writes; an outside write is', async () => {
  const own = await startServer({ demo: true });
  const outside = async (base) => {
    const res = await api(base, 'GET', '/metrics');
    const line = res.body.split('\n').find((l) => l.startsWith('switchyard_outside_changes_total '));
    assert.ok(line, 'no switchyard_outside_changes_total in /metrics');
    return Number(line.split(' ')[1]);
  };
  try {
    const start = await outside(own.base);
    const ids = [];
    const names = new Map();
    // 32 writers, 25 rounds each: creates (with a long purpose, so that the
    // log fills past a checkpoint) and reads between them.
    const purpose = 'p'.repeat(2000);
    await Promise.all(Array.from({ length: 32 }, async (_, t) => {
      for (let i = 0; i < 25; i++) {
        const res = await api(own.base, 'POST', '/api/v1/workloads',
          workload(`gc-stream-${t}-${i}`, { purpose }));
        assert.equal(res.status, 201, JSON.stringify(res.body));
        ids.push(res.body.id);
        names.set(res.body.id, res.body.name);
        if (i % 5 === 0) assert.equal((await api(own.base, 'GET', '/api/v1/portfolio/summary')).status, 200);
      }
    }));
    assert.equal(ids.length, 800);
    assert.equal(await outside(own.base), start, 'own commits taken for outside writes');
    const w = await api(own.base, 'GET', '/api/v1/workloads?q=gc-stream&limit=1');
    assert.equal(w.body.total, 800);

    // Another process writes: noticed once, and its change read at once.
    const other = await startServer({ demo: false, args: ['--db', own.db] });
    try {
      const res = await api(other.base, 'PATCH', `/api/v1/workloads/${ids[0]}`, { criticality: 'critical' },
        { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    } finally {
      await other.stop();
    }
    const seen = await api(own.base, 'GET', `/api/v1/workloads/${ids[0]}`);
    assert.equal(seen.body.criticality, 'critical');
    // And in the list, which the snapshot answers.
    const listed = await api(own.base, 'GET', `/api/v1/workloads?q=${encodeURIComponent(names.get(ids[0]))}`);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.equal(listed.body.items.find((x) => x.id === ids[0]).criticality, 'critical');
    assert.ok(await outside(own.base) > start, 'the outside write was not noticed');
  } finally {
    await own.stop();
  }
});

// The miss path inside shared transactions: on PostgreSQL a PATCH's
// savepoint, update and the event before it go out in one pipeline, and a
// miss (a stale If-Match: 412, an ID that is not there: 404) rolls back to
// the member's own savepoint. Sent at once: per workload one PATCH with
// the current ETag and one with the ETag before it, PATCHes (without
// If-Match) of IDs that do not exist, and PATCHes without If-Match. Each gets its own status, every
// good one is there as answered with its own audit event, the misses change
// nothing, the counts move by exactly the good writes, the chain verifies.
test('PATCHes with stale and current If-Match and of missing IDs, at once: each its own status', async () => {
  const own = await startServer({ demo: false });
  try {
    const N = 16;
    const items = [];
    for (let i = 0; i < N; i++) {
      const c = await api(own.base, 'POST', '/api/v1/workloads', workload(`gcm-${i}`, { users: 1 }));
      assert.equal(c.status, 201);
      const old = c.headers.get('etag');
      const p = await api(own.base, 'PATCH', `/api/v1/workloads/${c.body.id}`, { users: 2 }, { ...MERGE, 'If-Match': old });
      assert.equal(p.status, 200);
      items.push({ id: c.body.id, old, current: p.headers.get('etag') });
    }
    const free = [];
    for (let i = 0; i < N / 2; i++) {
      const c = await api(own.base, 'POST', '/api/v1/workloads', workload(`gcf-${i}`, { users: 1 }));
      assert.equal(c.status, 201);
      free.push(c.body.id);
    }
    const start = await counts2(own);
    const missing = free[N / 2 - 1] + 1000;
    const sends = [];
    const kinds = [];
    const add = (kind, p) => { kinds.push(kind); sends.push(p); };
    items.forEach((w, i) => {
      add(`stale:${i}`, api(own.base, 'PATCH', `/api/v1/workloads/${w.id}`, { users: 500 + i }, { ...MERGE, 'If-Match': w.old }));
      add(`good:${i}`, api(own.base, 'PATCH', `/api/v1/workloads/${w.id}`, { users: 100 + i }, { ...MERGE, 'If-Match': w.current }));
      if (i % 2 === 0)
        add(`gone:${i}`, api(own.base, 'PATCH', `/api/v1/workloads/${missing + i}`, { users: 9 }, MERGE));
      else
        add(`free:${i}`, api(own.base, 'PATCH', `/api/v1/workloads/${free[(i - 1) / 2]}`, { notes: `free ${i}` }, MERGE));
    });
    const res = await Promise.all(sends);
    const want = { stale: 412, good: 200, gone: 404, free: 200 };
    res.forEach((r, k) => {
      const [kind, i] = kinds[k].split(':');
      assert.equal(r.status, want[kind], `${kinds[k]}: ${r.status} ${JSON.stringify(r.body)}`);
      if (r.status >= 400) assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
      if (kind === 'good') assert.equal(r.body.users, 100 + Number(i));
      if (kind === 'free') assert.equal(r.body.notes, `free ${i}`);
    });
    // Each workload holds its good write, never the stale one's; each has
    // the set-up PATCH's event and the good one's.
    for (let i = 0; i < N; i++) {
      const g = await api(own.base, 'GET', `/api/v1/workloads/${items[i].id}`);
      assert.equal(g.body.users, 100 + i);
      const ev = await api(own.base, 'GET', `/api/v1/audit?entity=workload&entity_id=${items[i].id}&action=update&limit=10`);
      assert.equal(ev.body.total, 2, `events of gcm-${i}`);
      assert.ok(ev.body.items.some((e) => e.after.users === 100 + i), `event of the good PATCH of gcm-${i}`);
      assert.ok(!ev.body.items.some((e) => e.after.users === 500 + i), `no event of the stale PATCH of gcm-${i}`);
    }
    for (let k = 0; k < N / 2; k++) {
      const g = await api(own.base, 'GET', `/api/v1/workloads/${free[k]}`);
      assert.equal(g.body.notes, `free ${2 * k + 1}`);
      const ev = await api(own.base, 'GET', `/api/v1/audit?entity=workload&entity_id=${free[k]}&action=update&limit=10`);
      assert.equal(ev.body.total, 1, `events of gcf-${k}`);
    }
    const end = await counts2(own);
    assert.equal(end.workloads, start.workloads);
    assert.equal(end.events - start.events, N + N / 2);
    const v = await api(own.base, 'GET', '/api/v1/audit/verify');
    assert.equal(v.body.ok, true);
    assert.equal(v.body.events, end.events);
  } finally {
    await own.stop();
  }
});

async function counts2(s) {
  const w = await api(s.base, 'GET', '/api/v1/workloads?limit=1');
  const a = await api(s.base, 'GET', '/api/v1/audit?limit=1');
  return { workloads: w.body.total, events: a.body.total };
}

// An audit event that PostgreSQL refuses (a trigger stands in for a failing
// disk): queued events go out with another member's statement or the
// COMMIT, so the whole batch may fail with it. Whatever the batching, a
// write answered 2xx is there with its event, one answered 5xx is not, and
// the chain verifies. PostgreSQL only (the trigger).
test('a refused audit event inside a batch: 2xx writes are kept, 5xx ones are not', { skip: !onPostgres && 'PostgreSQL only' }, async () => {
  const own = await startServer({ demo: false });
  try {
    own.sql(`CREATE FUNCTION gc_audit_poison() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.after LIKE '%gc-audit-poison%' THEN RAISE EXCEPTION 'audit refused'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER gc_audit_poison BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION gc_audit_poison();`);
    const before = await counts2(own);
    const names = Array.from({ length: 24 }, (_, i) => (i % 8 === 3 ? `gc-audit-poison-${i}` : `gc-fine-${i}`));
    const res = await Promise.all(names.map((n) => api(own.base, 'POST', '/api/v1/workloads', workload(n))));
    let ok = 0;
    for (let i = 0; i < names.length; i++) {
      const s = res[i].status;
      // The refused event's own write fails (as the trigger's error: 409, or
      // with its batch: 503); the others are kept, or fail with the batch
      // (503, never a 4xx: their input was fine).
      if (names[i].startsWith('gc-audit-poison')) assert.ok([409, 503].includes(s), `${names[i]}: ${s}`);
      else assert.ok(s === 201 || s === 503, `${names[i]}: ${s} ${JSON.stringify(res[i].body)}`);
      const q = await api(own.base, 'GET', `/api/v1/workloads?q=${names[i]}`);
      assert.equal(q.body.items.filter((w) => w.name === names[i]).length, s === 201 ? 1 : 0, names[i]);
      if (s === 201) ok++;
    }
    const end = await counts2(own);
    assert.equal(end.workloads - before.workloads, ok);
    assert.equal(end.events - before.events, ok);
    assert.equal((await api(own.base, 'GET', '/api/v1/audit/verify')).body.ok, true);
    // Writes after go through.
    assert.equal((await api(own.base, 'POST', '/api/v1/workloads', workload('gc-audit-after'))).status, 201);
    assert.equal((await api(own.base, 'GET', '/api/v1/audit/verify')).body.ok, true);
  } finally {
    await own.stop();
  }
});

// Connections killed while pipelined batches are in flight
// (pg_terminate_backend of every session of the server, five times, each
// started with a wave of 48 writes, so that it lands among them): a write
// is answered 2xx and is there, or 503 and is not; none hangs; the counts
// move by exactly the acknowledged writes, the chain verifies and writes
// afterwards go through. PostgreSQL only.
test('sessions killed under pipelined writes: 2xx kept, 503 not, chain verifies', { skip: !onPostgres && 'PostgreSQL only' }, async () => {
  const own = await startServer({ demo: false });
  try {
    const base = [];
    for (let i = 0; i < 8; i++) {
      const c = await api(own.base, 'POST', '/api/v1/workloads', workload(`gck-base-${i}`, { users: 1 }));
      assert.equal(c.status, 201);
      base.push(c.body.id);
    }
    const before = await counts2(own);
    const kill = () => promisify(execFile)('psql', ['-X', '-q', '-A', '-t', '-d', own.db, '-c',
      `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = 'switchyard'`]);
    const posted = [];
    let acked = 0;
    for (let round = 0; round < 5; round++) {
      const sends = [];
      for (let i = 0; i < 48; i++) {
        if (i % 2 === 0) {
          const name = `gck-${round}-${i}`;
          sends.push(api(own.base, 'POST', '/api/v1/workloads', workload(name)).then((r) => ({ r, name })));
        } else {
          sends.push(api(own.base, 'PATCH', `/api/v1/workloads/${base[i % 8]}`, { users: 1000 * round + i }, MERGE).then((r) => ({ r })));
        }
      }
      const [res] = await Promise.all([Promise.all(sends), kill()]);
      for (const { r, name } of res) {
        assert.ok([200, 201, 503].includes(r.status), `${r.status} ${JSON.stringify(r.body)}`);
        if (r.status < 300) acked++;
        if (name) posted.push({ name, ok: r.status === 201 });
      }
    }
    for (const p of posted) {
      const q = await api(own.base, 'GET', `/api/v1/workloads?q=${p.name}`);
      assert.equal(q.status, 200);
      assert.equal(q.body.items.filter((w) => w.name === p.name).length, p.ok ? 1 : 0, p.name);
    }
    const end = await counts2(own);
    assert.equal(end.workloads - before.workloads, posted.filter((p) => p.ok).length);
    assert.equal(end.events - before.events, acked);
    const v = await api(own.base, 'GET', '/api/v1/audit/verify');
    assert.equal(v.body.ok, true, JSON.stringify(v.body));
    assert.equal((await api(own.base, 'POST', '/api/v1/workloads', workload('gck-after'))).status, 201);
    assert.equal((await api(own.base, 'GET', '/api/v1/audit/verify')).body.ok, true);
  } finally {
    await own.stop();
  }
});
