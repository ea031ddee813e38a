// lists.test.mjs - the list endpoints of vendors, offerings, contracts and
// workloads, one parameterised suite (as permissions.test.mjs is over the
// route table): the default page, the paging window and its bounds, every
// advertised sort key in both directions, and the sort keys refused. Each
// ENTITIES row names what differs: the demo's least count, a paging window,
// the sort keys with how to read each from an item, the keys refused, and
// the checks only that entity has. The entity files keep what is theirs
// alone (CRUD, filters, q= with records of their kind, validation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import { assertParam, assertSorted, byteOrder, resourceClient } from './assertions.mjs';
import { CRITICALITIES, STATUSES } from '../../web/enums.js';

const VENDORS = '/api/v1/vendors';
let srv;
before(async () => { srv = await startServer({ demo: true, env: { SWITCHYARD_TODAY: new Date().toISOString().slice(0, 10) } }); });
after(async () => { await srv?.stop(); });

const { req, listAll, idOf } = resourceClient(() => srv, VENDORS);
const common = { id: (x) => x.id, name: (x) => x.name, created_at: (x) => x.created_at, updated_at: (x) => x.updated_at };

const ENTITIES = [
  {
    name: 'vendors', coll: VENDORS, least: 12, page: { limit: 3, offset: 2 },
    sorts: common,
    refused: ['colour', 'track', 'NAME', '--name', ''],
    async firstPage(body) {
      const ms = body.items.find((v) => v.name === 'Microsoft');
      const gh = body.items.find((v) => v.name === 'GitHub');
      assert.ok(ms && gh);
      assert.equal(gh.parent, ms.id);
      assert.deepEqual(gh.group, { id: ms.id, name: 'Microsoft' });
    },
  },
  {
    name: 'offerings', coll: '/api/v1/offerings', least: 24, page: { limit: 5, offset: 3 },
    sorts: { ...common, track: (o) => o.track },
    refused: ['colour', 'category', 'criticality'],
    async firstPage(body) {
      const aoai = body.items.find((o) => o.name === 'Azure OpenAI in Microsoft Foundry Models');
      assert.ok(aoai);
      const ms = await idOf(VENDORS, 'Microsoft');
      const openai = await idOf(VENDORS, 'OpenAI');
      // FOCUS roles kept apart: provider Microsoft, publisher OpenAI, host Microsoft.
      assert.equal(aoai.provider, ms);
      assert.equal(aoai.publisher, openai);
      assert.equal(aoai.host, ms);
      assert.equal(aoai.track, 'azure');
    },
    async sorted(coll) {
      const byTrack = (await req('GET', `${coll}?sort=track&limit=500`)).body.items.map((o) => o.track);
      assert.deepEqual(byTrack, [...byTrack].sort(byteOrder));
    },
  },
  {
    name: 'contracts', coll: '/api/v1/contracts', least: 12, page: { limit: 4, offset: 5 },
    sorts: { ...common, end_date: (c) => c.end_date || '9999-12-31', start_date: (c) => c.start_date,
      annual_value: (c) => c.annual_value },
    refused: ['colour', 'kind', 'notice_deadline'],
    async firstPage(body) {
      for (const c of body.items) {
        assert.ok(['customer', 'upstream'].includes(c.kind));
        assert.ok(Array.isArray(c.offerings) && Array.isArray(c.terms));
      }
    },
    async sorted(coll) {
      const ends = (await req('GET', `${coll}?sort=end_date&limit=500`)).body.items.map((c) => c.end_date || '9999-12-31');
      assert.deepEqual(ends, [...ends].sort());
    },
  },
  {
    // Paging past 50 workloads is workloads.test.mjs's (it adds records).
    name: 'workloads', coll: '/api/v1/workloads', least: 40, page: null,
    sorts: { ...common, monthly_spend: (w) => w.monthly_spend, criticality: (w) => CRITICALITIES.indexOf(w.criticality),
      status: (w) => STATUSES.indexOf(w.status), risk: (w) => w.risk.score },
    refused: ['colour', 'track', 'RISK', 'name,id'],
    async firstPage(body) {
      const w = body.items[0];
      for (const k of ['id', 'name', 'track', 'status', 'criticality', 'monthly_spend', 'dependencies', 'proprietary_features', 'created_at', 'updated_at'])
        assert.ok(k in w, k);
    },
    async sorted(coll) {
      const spend = (await listAll(coll, 'sort=-monthly_spend')).map((w) => w.monthly_spend);
      assert.deepEqual(spend, [...spend].sort((a, b) => b - a));
      const rank = (await listAll(coll, 'sort=criticality')).map((w) => CRITICALITIES.indexOf(w.criticality));
      assert.deepEqual(rank, [...rank].sort((a, b) => a - b));
      const rankDown = (await listAll(coll, 'sort=-criticality')).map((w) => CRITICALITIES.indexOf(w.criticality));
      assert.deepEqual(rankDown, [...rankDown].sort((a, b) => b - a));
    },
  },
];

for (const e of ENTITIES) {
  const { coll } = e;

  test(`${e.name}: the list answers items, total, limit 50 and offset 0 by default`, async () => {
    const r = await req('GET', coll);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.ok(Array.isArray(r.body.items));
    assert.equal(r.body.limit, 50);
    assert.equal(r.body.offset, 0);
    assert.ok(Number.isInteger(r.body.total) && r.body.total >= e.least);
    assert.equal(r.body.items.length, Math.min(50, r.body.total));
    await e.firstPage(r.body);
  });

  if (e.page) {
    test(`${e.name}: pagination: limit, offset, total and their bounds`, async () => {
      const all = await listAll(coll);
      const { limit, offset } = e.page;
      const page = await req('GET', `${coll}?limit=${limit}&offset=${offset}`);
      assert.deepEqual([page.status, page.body.limit, page.body.offset, page.body.total], [200, limit, offset, all.length]);
      assert.deepEqual(page.body.items.map((x) => x.id), all.slice(offset, offset + limit).map((x) => x.id));
      const past = await req('GET', `${coll}?offset=${all.length + 10}`);
      assert.equal(past.status, 200);
      assert.deepEqual(past.body.items, []);
      assert.equal(past.body.total, all.length);
      assert.equal((await req('GET', `${coll}?limit=500`)).status, 200);
      assert.equal((await req('GET', `${coll}?limit=1`)).body.items.length, 1);
      for (const q of ['limit=501', 'limit=0', 'limit=-1', 'limit=abc', 'limit=99999999999999999999', 'limit=', 'limit=1.5'])
        assertParam(await req('GET', `${coll}?${q}`), 'limit');
      for (const q of ['offset=-1', 'offset=-5', 'offset=abc', 'offset=99999999999999999999'])
        assertParam(await req('GET', `${coll}?${q}`), 'offset');
    });
  }

  test(`${e.name}: sorting by name both ways, every advertised key both ways; an unknown key is 400`, async () => {
    const up = (await listAll(coll, 'sort=name')).map((x) => x.name);
    assert.ok(up.length >= e.least);
    assert.deepEqual(up, [...up].sort(byteOrder));
    const down = (await listAll(coll, 'sort=-name')).map((x) => x.name);
    assert.deepEqual(down, [...up].reverse());
    const ids = (await req('GET', `${coll}?sort=-id&limit=500`)).body.items.map((x) => x.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
    if (e.sorted) await e.sorted(coll);
    // Every advertised sort key orders the whole list, both ways.
    for (const [key, value] of Object.entries(e.sorts)) {
      for (const desc of [false, true]) {
        const r = await req('GET', `${coll}?limit=500&sort=${desc ? '-' : ''}${key}`);
        assert.equal(r.status, 200, key);
        assert.equal(r.body.items.length, r.body.total);
        assertSorted(r.body.items, key, desc, value);
      }
    }
    for (const s of e.refused)
      assertParam(await req('GET', `${coll}?sort=${encodeURIComponent(s)}`), 'sort');
  });
}
