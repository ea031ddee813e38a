// snapshot.test.mjs - the shared scored snapshot stays exact while it is
// derived write by write: after creates, patches (risk-changing ones
// included) and deletes, each followed by a read, the running server's
// answers equal those of a second server that builds everything afresh
// from the same database. Writes by that other process are seen at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DECIDED } from './harness.mjs';

const TODAY = new Date().toISOString().slice(0, 10);
let srv;

before(async () => { srv = await startServer({ demo: true, env: { SWITCHYARD_TODAY: TODAY } }); });
after(async () => { await srv?.stop(); });

const READS = ['/api/v1/workloads?limit=500&sort=id', '/api/v1/portfolio/summary',
  '/api/v1/strategies/azure', '/api/v1/strategies/openai', '/api/v1/strategies/copilot',
  '/api/v1/portfolio/concentration'];

async function read(base, path) {
  const res = await api(base, 'GET', path);
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function offeringId(name) {
  const res = await api(srv.base, 'GET', `/api/v1/offerings?q=${encodeURIComponent(name)}&limit=5`);
  const hit = res.body.items.find((o) => o.name === name);
  assert.ok(hit, `offering ${name}`);
  return hit.id;
}

// Every answer of `other` (a fresh build) equals the running server's.
async function assertSameAs(other) {
  for (const path of READS) {
    assert.deepEqual(await read(srv.base, path), await read(other.base, path), path);
  }
}

test('a snapshot derived write by write equals a fresh build', async () => {
  const openai = await offeringId('OpenAI API');
  const aoai = await offeringId('Azure OpenAI in Microsoft Foundry Models');
  await read(srv.base, READS[0]); // the first full build
  const created = [];
  for (let i = 0; i < 4; i++) {
    const res = await api(srv.base, 'POST', '/api/v1/workloads', {
      ...DECIDED, name: `snapshot probe ${i}`, track: i % 2 ? 'openai' : 'azure', status: 'production',
      criticality: i % 2 ? 'critical' : 'medium', monthly_spend: 1000 * (i + 1),
      dependencies: [{ offering: i % 2 ? openai : aoai, role: 'model' }],
      proprietary_features: i === 3 ? ['Assistants API threads'] : [],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    created.push(res.body);
    await read(srv.base, READS[0]);
  }
  // Risk-changing patches, one read after each.
  const patches = [
    [created[0].id, { swap_layer: true, oversight_owner: 'Snapshot Owner' }],
    [created[1].id, { dependencies: [{ offering: openai, role: 'model' }, { offering: aoai, role: 'model' }] }],
    [created[2].id, { criticality: 'critical', status: 'pilot' }],
    [created[0].id, { swap_layer: false }],
  ];
  for (const [id, body] of patches) {
    const res = await api(srv.base, 'PATCH', `/api/v1/workloads/${id}`, body,
      { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const list = await read(srv.base, READS[0]);
    const item = list.items.find((w) => w.id === id);
    assert.deepEqual(item.risk, res.body.risk, 'the list shows the risk the write answered');
  }
  const del = await api(srv.base, 'DELETE', `/api/v1/workloads/${created[3].id}`);
  assert.equal(del.status, 204);
  const list = await read(srv.base, READS[0]);
  assert.ok(!list.items.some((w) => w.id === created[3].id), 'a deleted workload leaves the list');

  // A second process on the same database builds from scratch.
  const other = await startServer({ demo: false, args: ['--db', srv.db], env: { SWITCHYARD_TODAY: TODAY } });
  try {
    await assertSameAs(other);
    // Its write is seen by the first server at once (another process's
    // change: a full rebuild, not a derivation).
    const res = await api(other.base, 'PATCH', `/api/v1/workloads/${created[1].id}`,
      { criticality: 'low' }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const seen = (await read(srv.base, READS[0])).items.find((w) => w.id === created[1].id);
    assert.equal(seen.criticality, 'low');
    assert.deepEqual(seen.risk, res.body.risk);
    await assertSameAs(other);
  } finally {
    await other.stop();
  }
});

test('many writes between reads still give the exact snapshot', async () => {
  const list = await read(srv.base, READS[0]);
  const ids = list.items.slice(0, 20).map((w) => w.id);
  // The version is in the ETag ("<id>-<version>").
  const version = async (id) => {
    const res = await api(srv.base, 'GET', `/api/v1/workloads/${id}`);
    return Number(res.headers.get('etag').replace(/"/g, '').split('-')[1]);
  };
  const before = new Map();
  for (const id of ids) before.set(id, await version(id));
  // Concurrent patches without If-Match: every one applies (re-applied on
  // a lost race), none is lost.
  const results = await Promise.all(ids.flatMap((id) => [1, 2, 3].map((n) =>
    api(srv.base, 'PATCH', `/api/v1/workloads/${id}`, { users: n * 10 + 1 },
      { 'Content-Type': 'application/merge-patch+json' }))));
  for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
  for (const id of ids) {
    assert.equal(await version(id), before.get(id) + 3, `workload ${id} took all three patches`);
  }
  const other = await startServer({ demo: false, args: ['--db', srv.db], env: { SWITCHYARD_TODAY: TODAY } });
  try {
    await assertSameAs(other);
  } finally {
    await other.stop();
  }
});

// The snapshot builds so far, by kind, from /metrics.
async function builds() {
  const text = (await api(srv.base, 'GET', '/metrics')).body;
  const count = (kind) => Number(new RegExp(`switchyard_snapshot_builds_total\\{kind="${kind}"\\} (\\d+)`)
    .exec(text)[1]);
  return { full: count('full'), derived: count('derived') };
}

test('contract and offering edits rescore what they bear on, derived, and equal a fresh build', async () => {
  const contracts = (await read(srv.base, '/api/v1/contracts?limit=500')).items;
  const customer = contracts.find((c) => c.kind === 'customer' && c.offerings.length > 0);
  const upstream = contracts.find((c) => c.kind === 'upstream' && c.terms.length > 0);
  assert.ok(customer && upstream, 'the demo has a customer and an upstream contract');
  const aoai = await offeringId('Azure OpenAI in Microsoft Foundry Models');
  const before = (await read(srv.base, READS[0])).items;
  const start = await builds();
  const patch = async (path, body) => {
    const res = await api(srv.base, 'PATCH', path, body, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    await read(srv.base, READS[0]);
  };
  // A locking customer contract: its workloads gain contract_lock.
  await patch(`/api/v1/contracts/${customer.id}`, { exclusive: !customer.exclusive, exit_clause: 'none' });
  // An upstream term ending soon: workloads in its scope gain horizon.
  const soon = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
  await patch(`/api/v1/contracts/${upstream.id}`,
    { terms: upstream.terms.map((t, i) => (i === 0 ? { ...t, until: soon } : t)) });
  // An offering turning proprietary, then retiring.
  await patch(`/api/v1/offerings/${aoai}`, { interface: 'proprietary' });
  await patch(`/api/v1/offerings/${aoai}`, { retires: soon });
  const end = await builds();
  assert.equal(end.full, start.full, 'no full rebuild for contract and offering edits');
  assert.equal(end.derived - start.derived, 4, 'one derived snapshot per edit');
  const after = (await read(srv.base, READS[0])).items;
  const changed = after.filter((w) => {
    const was = before.find((x) => x.id === w.id);
    return JSON.stringify(was.risk) !== JSON.stringify(w.risk);
  });
  assert.ok(changed.length > 0, 'the edits changed some workloads\' risk');
  const other = await startServer({ demo: false, args: ['--db', srv.db], env: { SWITCHYARD_TODAY: TODAY } });
  try {
    await assertSameAs(other);
  } finally {
    await other.stop();
  }
});
