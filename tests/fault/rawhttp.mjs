// rawhttp.mjs - one HTTP/1.1 exchange over a raw socket, for requests that
// fetch() will not send (bad framing, junk methods, conflicting headers).
// Loopback only.
import net from 'node:net';

// Sends `bytes` to 127.0.0.1:port and reads one response. Options:
//   timeoutMs  give up after this long (resolves with timedOut: true)
//   halfClose  end our side after sending (for bodies shorter than declared)
//   headOnly   the request was HEAD: the response has no body
// Resolves { status, headers, body, raw, closed, timedOut, error, sent }:
// status is 0 when no status line arrived before the socket closed or the
// time ran out; sent is false when the server closed (EPIPE/ECONNRESET)
// before the whole request was written, e.g. after answering early without
// reading a large body: TCP may then drop that answer.
export function exchange(port, bytes, { timeoutMs = 15000, halfClose = false, headOnly = false } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    let done = false;
    let headerEnd = -1;
    let status = 0;
    let headers = {};
    let need = -1;
    let sent = false;
    const finish = (extra) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const raw = buf.toString('latin1');
      const body = headerEnd >= 0 ? buf.subarray(headerEnd + 4).toString('utf8') : '';
      resolve({ status, headers, body, raw, closed: false, timedOut: false, error: null, sent, ...extra });
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    const parseHead = () => {
      headerEnd = buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const lines = buf.subarray(0, headerEnd).toString('latin1').split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
      status = m ? Number(m[1]) : -1;
      headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const noBody = headOnly || status === 204 || status === 304 || (status >= 100 && status < 200);
      need = noBody ? 0 : headers['content-length'] !== undefined ? Number(headers['content-length']) : -1;
    };
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (headerEnd < 0) parseHead();
      // A complete response (by Content-Length) ends the exchange; without
      // one, wait for the server to close.
      if (headerEnd >= 0 && need >= 0 && buf.length >= headerEnd + 4 + need) finish({});
    });
    sock.on('end', () => finish({ closed: true }));
    sock.on('close', () => finish({ closed: true }));
    sock.on('error', (e) => finish({ closed: true, error: e.code || String(e) }));
    sock.on('connect', () => {
      sock.write(bytes, (err) => {
        if (err) return;
        sent = true;
        if (halfClose) sock.end();
      });
    });
  });
}

// A well-formed request as bytes.
export function request(method, target, headers = {}, body = undefined) {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1'];
  const b = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (b && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) {
    lines.push(`Content-Length: ${b.length}`);
  }
  lines.push('Connection: close', '', '');
  const head = Buffer.from(lines.join('\r\n'), 'latin1');
  return b ? Buffer.concat([head, b]) : head;
}
