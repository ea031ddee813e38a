// static.test.mjs - the front end's files: the page, content types, ETag
// revalidation, path safety and methods; gzip by Accept-Encoding (with
// Vary), fingerprinted URLs with a year of immutable caching while the page
// itself is revalidated, and no page module preloaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, raw } from './harness.mjs';

const WEB = new URL('../../web/', import.meta.url);

let srv;      // serves the embedded copy of web/
let disk;     // serves web/ from disk (--web-root), where traversal would matter
before(async () => {
  srv = await startServer({ demo: false });
  disk = await startServer({ demo: false, args: ['--web-root', fileURLToPath(WEB).replace(/\/$/, '')] });
});
after(async () => {
  await srv?.stop();
  await disk?.stop();
});

function parse(out) {
  const cut = out.indexOf('\r\n\r\n');
  return { status: Number(out.slice(9, 12)), head: out.slice(0, cut), body: out.slice(cut + 4) };
}

test('GET / answers the page as text/html', async () => {
  const res = await fetch(`${srv.base}/`, { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html\b/);
  const html = await res.text();
  assert.match(html, /^<!doctype html>/i);
  assert.match(html, /<title>Switchyard<\/title>/);
  assert.match(html, /<\/html>\s*$/);
  assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(html));
  // /index.html is the same document.
  const same = await fetch(`${srv.base}/index.html`, { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(same.status, 200);
  assert.equal(await same.text(), html);
  assert.equal(same.headers.get('etag'), res.headers.get('etag'));
});

test('/favicon.svg is served as image/svg+xml; other assets by extension', async () => {
  const res = await fetch(`${srv.base}/favicon.svg`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/svg+xml');
  const svg = await res.text();
  assert.match(svg, /<svg\b/);
  assert.match(svg, /<\/svg>\s*$/);
  // Served from disk (--web-root), the page and the icon are the files in web/.
  for (const name of ['index.html', 'favicon.svg']) {
    const r = await fetch(`${disk.base}/${name}`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), readFileSync(new URL(name, WEB), 'utf8'), name);
  }
  for (const [path, type] of [['/style.css', /^text\/css\b/], ['/app.js', /^text\/javascript\b/]]) {
    const r = await fetch(srv.base + path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type'), type, path);
    await r.arrayBuffer();
  }
});

test('ETag + If-None-Match gives 304 without a body; a different tag gives 200', async () => {
  for (const path of ['/', '/favicon.svg']) {
    const first = await fetch(srv.base + path);
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]+(-gz)?"$/);
    const again = await fetch(srv.base + path, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304, path);
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(await again.text(), '');
    const out = parse(await raw(srv.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`));
    assert.equal(out.status, 304);
    assert.equal(out.body, '');
    const other = await fetch(srv.base + path, { headers: { 'If-None-Match': '"0000000000000000"' } });
    assert.equal(other.status, 200);
    await other.arrayBuffer();
  }
  // The page and the icon have different tags.
  const a = await fetch(`${srv.base}/`); await a.arrayBuffer();
  const b = await fetch(`${srv.base}/favicon.svg`); await b.arrayBuffer();
  assert.notEqual(a.headers.get('etag'), b.headers.get('etag'));
});

test('path traversal, hidden files and unknown files are 404', async () => {
  // fetch() would normalise "..", so these go over a raw socket.
  for (const s of [srv, disk]) {
    for (const path of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/..%2fetc%2fpasswd', '/static/../../etc/passwd',
      '/web/../../../etc/passwd', '/../../../../../../etc/passwd', '/../CMakeLists.txt', '/..%2fCMakeLists.txt', '/%2e%2e%2fCMakeLists.txt']) {
      const out = parse(await raw(s.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      assert.equal(out.status, 404, path);
      assert.doesNotMatch(out.body, /root:|cmake_minimum_required/);
    }
    for (const path of ['/.git/config', '/.env', '/nope.html', '/web/index.html', '/index.html~', '/node_modules/.package-lock.json']) {
      const res = await fetch(s.base + path);
      assert.equal(res.status, 404, path);
      await res.arrayBuffer();
    }
  }
  // The on-disk root still serves its files.
  const page = await fetch(`${disk.base}/`);
  assert.equal(page.status, 200);
  assert.equal(await page.text(), readFileSync(new URL('index.html', WEB), 'utf8'));
});

test('a web root that also holds data serves only front-end file types', async () => {
  // An operator pointing --web-root at a directory beside the database or
  // the report signing key must not publish them.
  const root = mkdtempSync(join(tmpdir(), 'switchyard-webroot-'));
  const files = { 'index.html': '<!doctype html><title>x</title>', 'app.js': 'export {};',
    'switchyard.db': 'SQLite format 3', 'switchyard.db-wal': 'wal', 'report-signing.key': 'secret',
    'notes.md': '# notes', 'backup.tar.gz': 'x' };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  const s = await startServer({ demo: false, args: ['--web-root', root] });
  try {
    for (const name of ['index.html', 'app.js']) {
      const res = await fetch(`${s.base}/${name}`);
      assert.equal(res.status, 200, name);
      assert.equal(await res.text(), files[name]);
    }
    for (const name of ['switchyard.db', 'switchyard.db-wal', 'report-signing.key', 'notes.md', 'backup.tar.gz']) {
      const res = await fetch(`${s.base}/${name}`);
      assert.equal(res.status, 404, name);
      assert.doesNotMatch(await res.text(), /SQLite|secret|wal|notes/);
    }
  } finally {
    await s.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('POST / is 405 with Allow: GET, HEAD; HEAD / has no body', async () => {
  // Each on a connection of its own (a pooled one may meet the server's
  // keep-alive timeout after the slower tests before).
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const body = method === 'DELETE' ? '' : 'x';
    const out = parse(await raw(srv.port, `${method} / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
    assert.equal(out.status, 405, method);
    const allow = /\r\nAllow: ([^\r]*)/i.exec(out.head);
    assert.ok(allow, out.head);
    assert.deepEqual(new Set(allow[1].split(',').map((v) => v.trim())), new Set(['GET', 'HEAD']));
  }
  const page = await fetch(`${srv.base}/`);
  const html = await page.text();
  const out = parse(await raw(srv.port, 'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  assert.equal(out.status, 200);
  assert.equal(out.body, '');
  assert.match(out.head, new RegExp(`\r\nContent-Length: ${Buffer.byteLength(html)}(\r\n|$)`, 'i'));
});

// A raw request (no automatic decompression): status, headers (lower-case
// names) and the body as a Buffer.
function rawBytes(port, path, extra = '') {
  return new Promise((resolve, reject) => {
    import('node:net').then(({ connect }) => {
      const sock = connect(port, '127.0.0.1', () => sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}Connection: close\r\n\r\n`));
      const chunks = [];
      sock.on('data', (c) => chunks.push(c));
      sock.on('error', reject);
      sock.on('end', () => {
        const all = Buffer.concat(chunks);
        const cut = all.indexOf('\r\n\r\n');
        const head = all.subarray(0, cut).toString('latin1');
        const headers = {};
        for (const line of head.split('\r\n').slice(1)) {
          const i = line.indexOf(':');
          headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
        }
        resolve({ status: Number(head.slice(9, 12)), headers, body: all.subarray(cut + 4) });
      });
    }, reject);
  });
}

test('text files are gzip-compressed when Accept-Encoding allows it, with Vary', async () => {
  const plain = await rawBytes(srv.port, '/');
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  for (const ae of ['gzip', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.8', '*', 'x-gzip', 'GZIP']) {
    const gz = await rawBytes(srv.port, '/', `Accept-Encoding: ${ae}\r\n`);
    assert.equal(gz.headers['content-encoding'], 'gzip', ae);
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.equal(Number(gz.headers['content-length']), gz.body.length);
    assert.ok(gz.body.length < plain.body.length, ae);
    assert.deepEqual(gunzipSync(gz.body), plain.body, ae);
    assert.notEqual(gz.headers.etag, plain.headers.etag, 'each representation has its own tag');
  }
  for (const ae of ['gzip;q=0', 'gzip; q=0.000', 'br', 'identity', '*;q=0', 'deflate, gzip;q=0, *']) {
    const id = await rawBytes(srv.port, '/', `Accept-Encoding: ${ae}\r\n`);
    assert.equal(id.headers['content-encoding'], undefined, ae);
    assert.deepEqual(id.body, plain.body, ae);
  }
  // Chart.js: about 200 KiB as it is, about a third of that on the wire.
  const html = plain.body.toString('utf8');
  const chart = /data-src="(v\/[0-9a-f]{12}\/vendor\/chart\.umd\.js)"/.exec(html);
  assert.ok(chart, 'index.html names Chart.js by its fingerprinted address');
  const big = await rawBytes(srv.port, `/${chart[1]}`, 'Accept-Encoding: gzip\r\n');
  assert.equal(big.status, 200);
  assert.ok(big.body.length < 90 * 1024, `chart.umd.js gzip: ${big.body.length} bytes`);
  // A 304 for either tag: the content is the same.
  for (const tag of [plain.headers.etag, big.headers.etag]) {
    const path = tag === plain.headers.etag ? '/' : `/${chart[1]}`;
    const again = await rawBytes(srv.port, path, `Accept-Encoding: gzip\r\nIf-None-Match: ${tag}\r\n`);
    assert.equal(again.status, 304, path);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.vary, 'Accept-Encoding');
  }
});

test('assets have fingerprinted addresses cached a year; the page is revalidated', async () => {
  const page = await rawBytes(srv.port, '/');
  assert.equal(page.headers['cache-control'], 'no-cache');
  const html = page.body.toString('utf8');
  const refs = [...html.matchAll(/\b(?:href|src|data-src)="([^"#][^"]*)"/g)].map((m) => m[1]);
  assert.ok(refs.length >= 5, refs.join(' '));
  const modules = new Set();
  for (const ref of refs) {
    const m = /^v\/([0-9a-f]{12})\/(.+)$/.exec(ref);
    assert.ok(m, `${ref} is fingerprinted`);
    if (m[2].endsWith('.js') && !m[2].startsWith('vendor/')) modules.add(m[1]);
    const res = await rawBytes(srv.port, `/${ref}`);
    assert.equal(res.status, 200, ref);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', ref);
    if (!m[2].startsWith('vendor/')) assert.deepEqual(res.body, readFileSync(new URL(m[2], WEB)), ref);
  }
  // The modules share one fingerprint, so their relative imports (pages
  // loaded on demand) resolve under it and are cached a year too.
  assert.equal(modules.size, 1);
  const [v] = modules;
  const lazy = await rawBytes(srv.port, `/v/${v}/pages/overview.js`);
  assert.equal(lazy.status, 200);
  assert.equal(lazy.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.deepEqual(lazy.body, readFileSync(new URL('pages/overview.js', WEB)));
  // No page module is preloaded: pages load when shown.
  assert.doesNotMatch(html, /modulepreload[^>]*pages\//);
  assert.match(html, /modulepreload[^>]*app\.js/);
  // An address from another build still works, but is revalidated.
  const stale = await rawBytes(srv.port, '/v/000000000000/app.js');
  assert.equal(stale.status, 200);
  assert.equal(stale.headers['cache-control'], 'no-cache');
  assert.deepEqual(stale.body, readFileSync(new URL('app.js', WEB)));
  for (const bad of ['/v/XYZ/app.js', '/v//app.js', '/v/0123/../../etc/passwd', '/v/0123/nope.js']) {
    const res = await rawBytes(srv.port, bad);
    assert.equal(res.status, 404, bad);
  }
  // Served from disk (--web-root, development), files are as they are and revalidated.
  const dev = await rawBytes(disk.port, `/v/${v}/app.js`);
  assert.equal(dev.status, 200);
  assert.equal(dev.headers['cache-control'], 'no-cache');
  assert.deepEqual(dev.body, readFileSync(new URL('app.js', WEB)));
});
