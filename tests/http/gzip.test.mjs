// gzip.test.mjs - the API's JSON answers gzip-compressed for a client that
// accepts it: Content-Encoding and Vary, a strong ETag of its own ("-gz"
// before the closing quote) that revalidates with 304, the same JSON as the
// plain answer once decompressed, the cached copy compressed once and served
// byte for byte again; plain for a client that does not take gzip (or says
// q=0), for small answers and for downloads. A record's version tag
// ("id-version", what If-Match takes) is the same for both forms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startServer, api } from './harness.mjs';

let srv;
before(async () => { srv = await startServer({ demo: true }); });
after(async () => { await srv?.stop(); });

// A GET whose body is kept as the bytes on the wire (fetch would decode it).
function rawGet(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(`${srv.base}${path}`, { headers: { Authorization: `Bearer ${srv.token}`, ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a large JSON answer goes gzip-compressed, with Vary and its own ETag', async () => {
  const plain = await rawGet('/api/v1/findings');
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  assert.match(plain.headers.etag, /^"g\d+-[0-9a-f]{16}"$/);
  const gz = await rawGet('/api/v1/findings', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.vary, 'Accept-Encoding');
  assert.equal(gz.headers.etag, `${plain.headers.etag.slice(0, -1)}-gz"`);
  assert.equal(Number(gz.headers['content-length']), gz.body.length);
  assert.ok(gz.body.length * 4 < plain.body.length, `${gz.body.length} of ${plain.body.length} bytes`);
  assert.deepEqual(gunzipSync(gz.body), plain.body);
  // From the cache: the same compressed bytes.
  const again = await rawGet('/api/v1/findings', { 'Accept-Encoding': 'gzip' });
  assert.deepEqual(again.body, gz.body);
  assert.equal(again.headers.etag, gz.headers.etag);
});

test('each form revalidates with its own tag', async () => {
  const path = '/api/v1/portfolio/summary';
  const gz = await rawGet(path, { 'Accept-Encoding': 'gzip' });
  const plain = await rawGet(path);
  assert.notEqual(gz.headers.etag, plain.headers.etag);
  const r304 = await rawGet(path, { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag });
  assert.equal(r304.status, 304);
  assert.equal(r304.body.length, 0);
  assert.equal(r304.headers.vary, 'Accept-Encoding');
  assert.equal((await rawGet(path, { 'If-None-Match': plain.headers.etag })).status, 304);
  // The gzip tag does not match the plain form, nor the plain tag the gzip one.
  assert.equal((await rawGet(path, { 'If-None-Match': gz.headers.etag })).status, 200);
  assert.equal((await rawGet(path, { 'Accept-Encoding': 'gzip', 'If-None-Match': plain.headers.etag })).status, 200);
  // A write moves the data on: a new tag for both forms.
  const f = (await api(srv.base, 'GET', '/api/v1/findings?limit=1')).body.items[0];
  assert.equal((await api(srv.base, 'PATCH', `/api/v1/findings/${f.key}`, { owner: 'Gzip Test' })).status, 200);
  const after = await rawGet(path, { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag });
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.etag, gz.headers.etag);
});

test('plain when refused (q=0), for small answers and for downloads', async () => {
  const refused = await rawGet('/api/v1/findings', { 'Accept-Encoding': 'gzip;q=0, identity' });
  assert.equal(refused.headers['content-encoding'], undefined);
  JSON.parse(refused.body.toString());
  const small = await rawGet('/api/v1/health', { 'Accept-Encoding': 'gzip' });
  assert.ok(small.body.length < 1024);
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(small.headers.vary, undefined);
  const csv = await rawGet('/api/v1/reports/governance?format=csv', { 'Accept-Encoding': 'gzip' });
  assert.equal(csv.status, 200);
  assert.ok(csv.headers['content-disposition']);
  assert.equal(csv.headers['content-encoding'], undefined);
});

test('a record keeps its version tag in both forms, and If-Match works with it', async () => {
  const list = (await api(srv.base, 'GET', '/api/v1/workloads?limit=1')).body.items;
  const path = `/api/v1/workloads/${list[0].id}`;
  const gz = await rawGet(path, { 'Accept-Encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  const tag = gz.headers.etag;
  assert.equal(tag, (await rawGet(path)).headers.etag);
  assert.match(tag, /^"\d+-\d+"$/);
  assert.equal((await rawGet(path, { 'Accept-Encoding': 'gzip', 'If-None-Match': tag })).status, 304);
  const ok = await api(srv.base, 'PATCH', path, { purpose: 'Changed through the gzip tag.' }, { 'If-Match': tag });
  assert.equal(ok.status, 200);
  const stale = await api(srv.base, 'PATCH', path, { purpose: 'A stale change.' }, { 'If-Match': tag });
  assert.equal(stale.status, 412);
});
