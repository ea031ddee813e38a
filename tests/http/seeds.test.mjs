// seeds.test.mjs - the demo portfolio has what the dashboard needs, and
// seeding is idempotent: `switchyard seed --demo` run again, or `serve --demo`
// on a database that already holds data, changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer, api, copyDb } from './harness.mjs';

const RESOURCES = ['vendors', 'offerings', 'contracts', 'workloads'];
const TRACKS = ['copilot', 'azure', 'openai', 'other'];
const CRITICALITIES = ['low', 'medium', 'high', 'critical'];

// Pin "today" for every process of this file, so that relative seed dates
// ("today+52") resolve the same way even if the run crosses midnight UTC.
const TODAY = new Date().toISOString().slice(0, 10);
const ENV = { SWITCHYARD_TODAY: TODAY };
const dayOf = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000;

let srv;
let dir;

before(async () => {
  srv = await startServer({ demo: true, env: ENV });
  dir = mkdtempSync(join(tmpdir(), 'switchyard-seeds-'));
});
after(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function listAll(base, resource, query = '') {
  const r = await api(base, 'GET', `/api/v1/${resource}?limit=500${query ? `&${query}` : ''}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.items.length, r.body.total);
  return r.body;
}

// Everything a client can see of the four collections: totals, every
// record (with updated_at) and every record's ETag (its version).
async function snapshot(s) {
  const base = s.base;
  const headers = s.token ? { Authorization: `Bearer ${s.token}` } : {};
  const out = {};
  for (const res of RESOURCES) {
    const { total, items } = await listAll(base, res);
    const etags = await Promise.all(items.map(async (i) => {
      const r = await fetch(`${base}/api/v1/${res}/${i.id}`, { headers });
      await r.arrayBuffer();
      return r.headers.get('etag');
    }));
    out[res] = { total, items, etags };
  }
  return out;
}

const totals = (s) => Object.fromEntries(RESOURCES.map((r) => [r, s[r].total]));
const stamps = (s) => Object.fromEntries(RESOURCES.map((r) => [r, s[r].items.map((i) => [i.id, i.updated_at])]));

function assertSame(after0, before0) {
  assert.deepEqual(totals(after0), totals(before0));
  assert.deepEqual(stamps(after0), stamps(before0));
  for (const r of RESOURCES) {
    assert.deepEqual(after0[r].etags, before0[r].etags, `${r} versions`);
    assert.deepEqual(after0[r].items, before0[r].items, `${r} records`);
  }
}

// Stops a harness server but keeps its database (stop() deletes it).
async function halt(s) {
  if (s.child.exitCode === null) {
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGTERM');
    await exited;
  }
  assert.equal(s.child.exitCode, 0);
}

function seed(db) {
  const r = spawnSync(BIN, ['seed', '--demo', '--db', db], { env: { ...process.env, ...ENV }, encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, `seed failed: ${r.stderr}`);
  return r.stderr + r.stdout;
}

// ---- demo content ----------------------------------------------------------------

test('at least 40 demo workloads across all four tracks and all criticalities', async () => {
  const { total, items } = await listAll(srv.base, 'workloads');
  assert.ok(total >= 40, `${total} workloads`);
  assert.deepEqual(new Set(items.map((w) => w.track)), new Set(TRACKS));
  assert.deepEqual(new Set(items.map((w) => w.criticality)), new Set(CRITICALITIES));
  for (const t of TRACKS) assert.ok((await listAll(srv.base, 'workloads', `track=${t}`)).total > 0, t);
  for (const c of CRITICALITIES) assert.ok((await listAll(srv.base, 'workloads', `criticality=${c}`)).total > 0, c);
  // Every dependency names an existing offering.
  const offerings = new Set((await listAll(srv.base, 'offerings')).items.map((o) => o.id));
  for (const w of items) for (const d of w.dependencies) assert.ok(offerings.has(d.offering), w.name);
});

test('at least 8 customer contracts, exactly one of them exclusive', async () => {
  const { total, items } = await listAll(srv.base, 'contracts', 'kind=customer');
  assert.ok(total >= 8, `${total} customer contracts`);
  for (const c of items) {
    assert.equal(c.kind, 'customer');
    assert.equal(c.other_party, null);
    assert.deepEqual(c.terms, []);
    assert.match(c.end_date, /^\d{4}-\d\d-\d\d$/);
  }
  const exclusive = items.filter((c) => c.exclusive);
  assert.equal(exclusive.length, 1, exclusive.map((c) => c.name).join(', '));
});

test('at least one customer contract has its notice deadline within 90 days of today', async () => {
  const { items } = await listAll(srv.base, 'contracts', 'kind=customer');
  const today = dayOf(TODAY);
  for (const c of items) assert.equal(dayOf(c.notice_deadline), dayOf(c.end_date) - c.notice_days, c.name);
  const soon = items.filter((c) => {
    const left = dayOf(c.notice_deadline) - today;
    return left >= 0 && left <= 90;
  });
  assert.ok(soon.length >= 1, items.map((c) => `${c.name}: ${c.notice_deadline}`).join('\n'));
});

test('the upstream OpenAI–Microsoft agreement with its 5 dated terms', async () => {
  const vendors = (await listAll(srv.base, 'vendors')).items;
  const ms = vendors.find((v) => v.name === 'Microsoft').id;
  const openai = vendors.find((v) => v.name === 'OpenAI').id;
  const { items } = await listAll(srv.base, 'contracts', 'kind=upstream');
  const deal = items.filter((c) => new Set([c.counterparty, c.other_party]).size === 2 &&
    [c.counterparty, c.other_party].includes(ms) && [c.counterparty, c.other_party].includes(openai));
  assert.equal(deal.length, 1, 'one OpenAI–Microsoft upstream contract');
  const [c] = deal;
  assert.match(c.name, /OpenAI/);
  assert.match(c.name, /Microsoft/);
  assert.equal(c.terms.length, 5);
  for (const t of c.terms) {
    assert.match(t.effective, /^\d{4}-\d\d-\d\d$/, t.text);
    assert.ok(t.text.length > 0);
    if (t.until !== null) {
      assert.match(t.until, /^\d{4}-\d\d-\d\d$/);
      assert.ok(t.until >= t.effective);
    }
  }
  const licence = c.terms.find((t) => t.kind === 'licence');
  assert.ok(licence && licence.until === '2032-12-31' && /non-exclusive/.test(licence.text));
  const share = c.terms.filter((t) => t.kind === 'revenue_share' && t.until === '2030-12-31');
  assert.equal(share.length, 1);
  assert.ok(c.terms.some((t) => t.kind === 'distribution'));
  assert.ok(c.terms.some((t) => t.kind === 'cloud_priority'));
  // The agreement covers the offerings built on OpenAI models.
  const offerings = (await listAll(srv.base, 'offerings')).items;
  const aoai = offerings.find((o) => o.name === 'Azure OpenAI in Microsoft Foundry Models').id;
  assert.ok(c.offerings.includes(aoai));
});

// ---- idempotence -------------------------------------------------------------------

test('seed --demo run twice on the demo database, then serve --demo, change nothing', async () => {
  const original = await snapshot(srv);
  assert.ok(original.workloads.total >= 40);
  await halt(srv);
  const db = copyDb(srv.db, dir, 'copy.db');

  const first = seed(db);
  const second = seed(db);
  assert.match(first, /\b0 records written\b/, first);
  assert.match(second, /\b0 records written\b/, second);

  // Serve the seeded copy without --demo and compare everything.
  let s2 = await startServer({ demo: false, env: ENV, args: ['--db', db] });
  try {
    assertSame(await snapshot(s2), original);
    // Now the database holds someone's edits: a changed workload, a deleted contract.
    const w = original.workloads.items[0];
    const p = await api(s2.base, 'PATCH', `/api/v1/workloads/${w.id}`, { notes: 'Edited by a person.', criticality: 'critical' });
    assert.equal(p.status, 200);
    const c = original.contracts.items.find((x) => x.kind === 'customer');
    assert.equal((await api(s2.base, 'DELETE', `/api/v1/contracts/${c.id}`)).status, 204);
  } finally {
    await halt(s2);
    await s2.stop();
  }

  // serve --demo on a database that already holds data leaves it as it is.
  s2 = await startServer({ demo: false, env: ENV, args: ['--db', db] });
  let edited;
  try {
    edited = await snapshot(s2);
  } finally {
    await halt(s2);
    await s2.stop();
  }
  assert.equal(edited.contracts.total, original.contracts.total - 1);
  // (--demo goes in args: the harness's demo option also means "fresh demo database".)
  const s3 = await startServer({ demo: false, env: ENV, args: ['--db', db, '--demo'] });
  try {
    assert.match(s3.log(), /already holds workloads/);
    assertSame(await snapshot(s3), edited);
  } finally {
    await halt(s3);
    await s3.stop();
  }
});
