// lei.test.mjs - a vendor's ISO 17442 Legal Entity Identifier, the field
// added through the descriptor (core/entities.c) as the worked example of
// the README: validated (400 naming /lei), stored, answered, patched and
// cleared, and seeded for the catalogue vendors whose LEI has a source.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api } from './harness.mjs';
import { assertInvalid } from './assertions.mjs';

const COLL = '/api/v1/vendors';
const MICROSOFT = 'INR2EJN1ERAN0W5ZP974';
let srv;

before(async () => { srv = await startServer({ demo: false }); });
after(async () => { await srv?.stop(); });

const req = (method, path, body, headers) => api(srv.base, method, path, body, headers);

test('a wrong LEI is refused with 400 naming /lei, and nothing is saved', async () => {
  for (const lei of ['INR2EJN1ERAN0W5ZP975', 'INR2EJN1ERAN0W5ZP97', 'inr2ejn1eran0w5zp974', 42, null]) {
    const r = await req('POST', COLL, { name: `Bad LEI ${JSON.stringify(lei)}`, lei });
    assertInvalid(r, '/lei');
    assert.equal(r.body.errors.length, 1, JSON.stringify(r.body));
  }
  const list = await req('GET', `${COLL}?q=Bad%20LEI`);
  assert.equal(list.body.total, 0);
});

test('a valid LEI round-trips through create, get, list, patch and put', async () => {
  const created = await req('POST', COLL, { name: 'LEI Holder', lei: MICROSOFT });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.lei, MICROSOFT);
  const id = created.body.id;
  assert.equal((await req('GET', `${COLL}/${id}`)).body.lei, MICROSOFT);
  const listed = await req('GET', `${COLL}?q=LEI%20Holder`);
  assert.equal(listed.body.items[0].lei, MICROSOFT);

  const patched = await req('PATCH', `${COLL}/${id}`, { lei: '' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.lei, '');
  const bad = await req('PATCH', `${COLL}/${id}`, { lei: 'X' });
  assertInvalid(bad, '/lei');

  const { id: _, created_at: c, updated_at: u, group: g, ...body } = patched.body;
  const put = await req('PUT', `${COLL}/${id}`, { ...body, lei: MICROSOFT });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.lei, MICROSOFT);
});

test('an absent LEI is empty', async () => {
  const r = await req('POST', COLL, { name: 'No LEI Yet' });
  assert.equal(r.status, 201);
  assert.equal(r.body.lei, '');
});

test('the catalogue carries the LEIs it has a source for', async () => {
  const r = await req('GET', `${COLL}?q=Microsoft`);
  const ms = r.body.items.find((v) => v.name === 'Microsoft');
  assert.equal(ms.lei, MICROSOFT);
});
