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
