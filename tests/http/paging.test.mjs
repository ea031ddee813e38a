// paging.test.mjs - keyset paging (issue 20): GET /workloads' cursor and
// GET /audit's before=. Walking every page by cursor, in every sort order,
// returns exactly the rows offset paging returns, in the same order; a
// row deleted or added between pages neither repeats nor hides another;
// a cursor refuses offset, another sort and garbage (400, naming the
// parameter). The audit trail pages by seq the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DECIDED } from './harness.mjs';
import { assertParam } from './assertions.mjs';

let srv;
before(async () => {
  srv = await startServer({ demo: true, env: { SWITCHYARD_TODAY: new Date().toISOString().slice(0, 10) } });
});
after(async () => { await srv?.stop(); });

async function get(path) {
  const res = await api(srv.base, 'GET', path);
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}

// Every page of a list by cursor: the ids in order and the number of pages.
async function walk(query, limit) {
  const ids = [];
  let next = null;
  let pages = 0;
  do {
    const body = await get(`/api/v1/workloads?${query}&limit=${limit}${next ? `&cursor=${next}` : ''}`);
    assert.ok(body.items.length <= limit);
    ids.push(...body.items.map((w) => w.id));
    pages++;
    next = body.next;
    assert.ok(pages < 100, 'the walk ends');
  } while (next);
  return { ids, pages };
}

test('a cursor walk equals offset paging in every order', async () => {
  const all = await get('/api/v1/workloads?limit=500');
  assert.ok(all.total >= 40, `the demo has ${all.total} workloads`);
  assert.equal(all.next, null, 'one page holds them all: no next');
  for (const sort of ['name', '-name', 'id', '-risk', 'priority', 'monthly_spend', '-criticality',
    'status', '-updated_at']) {
    const want = (await get(`/api/v1/workloads?sort=${sort}&limit=500`)).items.map((w) => w.id);
    const { ids, pages } = await walk(`sort=${sort}`, 7);
    assert.deepEqual(ids, want, `sort=${sort}`);
    assert.equal(pages, Math.ceil(want.length / 7), `sort=${sort}: no empty last page`);
  }
  // Filters stay with the cursor; total counts every match.
  const flagged = await get('/api/v1/workloads?flagged=true&sort=priority&limit=2');
  const rest = await get(`/api/v1/workloads?flagged=true&sort=priority&limit=500&cursor=${flagged.next}`);
  assert.equal(rest.total, flagged.total);
  assert.equal(flagged.items.length + rest.items.length, flagged.total);
});

test('writes between pages neither repeat nor hide rows', async () => {
  const first = await get('/api/v1/workloads?sort=name&limit=10');
  // Delete the last row of the page: its cursor still names a place.
  const gone = first.items[first.items.length - 1];
  assert.equal((await api(srv.base, 'DELETE', `/api/v1/workloads/${gone.id}`)).status, 204);
  // A new workload sorting before the cursor does not shift the next page.
  const offering = (await get('/api/v1/offerings?limit=1')).items[0].id;
  const made = await api(srv.base, 'POST', '/api/v1/workloads', {
    ...DECIDED, name: '0 paging probe', track: 'other', status: 'pilot', criticality: 'low',
    dependencies: [{ offering, role: 'model' }],
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const second = await get(`/api/v1/workloads?sort=name&limit=10&cursor=${first.next}`);
  const all = (await get('/api/v1/workloads?sort=name&limit=500')).items;
  const after = all.filter((w) => w.name > gone.name || (w.name === gone.name && w.id > gone.id));
  assert.deepEqual(second.items.map((w) => w.id), after.slice(0, 10).map((w) => w.id));
  assert.ok(!second.items.some((w) => first.items.some((x) => x.id === w.id)), 'no repeats');
});

test('a cursor is refused with offset, another sort or garbage', async () => {
  const first = await get('/api/v1/workloads?sort=-risk&limit=5');
  assert.ok(first.next);
  assertParam(await api(srv.base, 'GET', `/api/v1/workloads?sort=-risk&offset=5&cursor=${first.next}`), 'cursor');
  assertParam(await api(srv.base, 'GET', `/api/v1/workloads?sort=name&cursor=${first.next}`), 'cursor');
  assertParam(await api(srv.base, 'GET', '/api/v1/workloads?cursor=bm90IGEgY3Vyc29y'), 'cursor');
  assertParam(await api(srv.base, 'GET', '/api/v1/workloads?cursor=%21%21'), 'cursor');
  // Only the workload list pages by cursor.
  assertParam(await api(srv.base, 'GET', `/api/v1/vendors?cursor=${first.next}`), 'cursor');
});

test('the audit trail pages by seq', async () => {
  const all = await get('/api/v1/audit?limit=500');
  assert.ok(all.total > 10, `${all.total} audit events`);
  const seqs = [];
  let next = null;
  do {
    const body = await get(`/api/v1/audit?limit=45${next ? `&before=${next}` : ''}`);
    assert.equal(body.total, all.total);
    seqs.push(...body.items.map((e) => e.seq));
    next = body.next;
  } while (next);
  assert.equal(seqs.length, all.total, 'every event once');
  assert.deepEqual(seqs.slice(0, all.items.length), all.items.map((e) => e.seq));
  assertParam(await api(srv.base, 'GET', '/api/v1/audit?before=3&offset=1'), 'before');
  assertParam(await api(srv.base, 'GET', '/api/v1/audit?before=x'), 'before');
});
