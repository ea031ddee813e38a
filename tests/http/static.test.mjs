// static.test.mjs - the front end's files: the page, content types, ETag
// revalidation, path safety and methods.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  const res = await fetch(`${srv.base}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html\b/);
  const html = await res.text();
  assert.match(html, /^<!doctype html>/i);
  assert.match(html, /<title>Switchyard<\/title>/);
  assert.match(html, /<\/html>\s*$/);
  assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(html));
  // /index.html is the same document.
  const same = await fetch(`${srv.base}/index.html`);
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
    assert.match(etag, /^"[0-9a-f]+"$/);
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
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const res = await fetch(`${srv.base}/`, { method, body: method === 'DELETE' ? undefined : 'x' });
    assert.equal(res.status, 405, method);
    const allow = new Set(res.headers.get('allow').split(',').map((s) => s.trim()));
    assert.deepEqual(allow, new Set(['GET', 'HEAD']));
    await res.arrayBuffer();
  }
  const page = await fetch(`${srv.base}/`);
  const html = await page.text();
  const out = parse(await raw(srv.port, 'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  assert.equal(out.status, 200);
  assert.equal(out.body, '');
  assert.match(out.head, new RegExp(`\r\nContent-Length: ${Buffer.byteLength(html)}(\r\n|$)`, 'i'));
});
