// api.js - fetch wrapper for /api/v1. JSON in and out; an RFC 9457 problem
// (application/problem+json) becomes an ApiError carrying its title, detail
// and field errors (JSON Pointers such as /criticality or
// /dependencies/0/offering). Also keeps a short-lived catalogue cache
// (vendors, offerings, contracts) that many pages use to name IDs.

export const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem) {
    const p = problem && typeof problem === 'object' ? problem : {};
    super(p.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = p.title || `HTTP ${status}`;
    this.detail = p.detail || '';
    this.errors = Array.isArray(p.errors) ? p.errors : [];
    this.problem = p;
    // Seconds to wait, from Retry-After (429 too many sign-in attempts).
    this.retryAfter = null;
  }

  // Field errors as a Map: JSON Pointer -> [detail, ...].
  byPointer() {
    const m = new Map();
    for (const e of this.errors) {
      const key = e.pointer ?? (e.parameter ? `?${e.parameter}` : '');
      if (!m.has(key)) m.set(key, []);
      m.get(key).push(e.detail || 'is invalid');
    }
    return m;
  }
}

// Builds "?a=1&b=2" from an object, leaving out empty values.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

// Called when the API answers 401 to anything but /session itself (whose
// answers session.js reads): the session has ended (expired, signed out in
// another tab, user disabled) and the app shows the sign-in page.
let unauthorized = null;
export function onUnauthorized(fn) { unauthorized = fn; }
// Called when the API answers 403: the role may have changed meanwhile.
let forbidden = null;
export function onForbidden(fn) { forbidden = fn; }

// One request. Resolves to {data, etag, status, location}; rejects with an
// ApiError (status 0 when the server could not be reached).
export async function request(method, path, { body, etag, signal } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (etag) headers['If-Match'] = etag;
  // Changes from a signed-in browser carry the CSRF header the server asks
  // for (a page on another site cannot set it without CORS permission).
  if (method !== 'GET' && method !== 'HEAD') headers['X-Switchyard-CSRF'] = '1';
  let res;
  try {
    res = await fetch(BASE + path, {
      method, headers, signal, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, { title: 'The server could not be reached', detail: `${method} ${BASE}${path} failed: ${err && err.message}` });
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const problem = data && typeof data === 'object' ? data
      : { title: `${res.status} ${res.statusText}`.trim(), detail: text.slice(0, 300) };
    if (!problem.detail) problem.detail = `${method} ${BASE}${path} answered ${res.status}.`;
    const err = new ApiError(res.status, problem);
    const wait = Number(res.headers.get('Retry-After'));
    if (Number.isFinite(wait) && wait > 0) err.retryAfter = wait;
    if (res.status === 401 && path !== '/session' && unauthorized) {
      try { unauthorized(err); } catch { /* the caller still gets the error */ }
    }
    if (res.status === 403 && forbidden) {
      try { forbidden(err); } catch { /* the caller still gets the error */ }
    }
    throw err;
  }
  if (text && data === null) {
    throw new ApiError(res.status, { title: 'Unreadable answer', detail: `${method} ${BASE}${path} did not answer JSON.` });
  }
  return { data, etag: res.headers.get('ETag'), status: res.status, location: res.headers.get('Location') };
}

export const get = (path, opts) => request('GET', path, opts).then((r) => r.data);
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body });
export const patch = (path, body, opts = {}) => request('PATCH', path, { ...opts, body });
export const del = (path, opts = {}) => request('DELETE', path, opts);

// Every item of a list endpoint: the first page of 500, then the rest in parallel.
export async function getAll(path, params = {}, opts = {}) {
  const limit = 500;
  const first = await get(path + qs({ ...params, limit, offset: 0 }), opts);
  const items = [...first.items];
  const rest = [];
  for (let offset = limit; offset < first.total; offset += limit) {
    rest.push(get(path + qs({ ...params, limit, offset }), opts));
  }
  for (const page of await Promise.all(rest)) items.push(...page.items);
  return items;
}

// ---- catalogue cache ---------------------------------------------------------

const CATALOGUE_TTL_MS = 30000;
let catalogue = null;
let catalogueAt = 0;

// Vendors, offerings and contracts with lookups by ID. Cached for 30 s so
// that moving between pages does not refetch; invalidate() after a change.
export function loadCatalogue() {
  if (!catalogue || Date.now() - catalogueAt > CATALOGUE_TTL_MS) {
    catalogueAt = Date.now();
    catalogue = Promise.all([getAll('/vendors'), getAll('/offerings'), getAll('/contracts')])
      .then(([vendors, offerings, contracts]) => indexCatalogue(vendors, offerings, contracts))
      .catch((err) => { catalogue = null; throw err; });
  }
  return catalogue;
}

export function invalidateCatalogue() { catalogue = null; }

function indexCatalogue(vendors, offerings, contracts) {
  const vendor = new Map(vendors.map((v) => [v.id, v]));
  const offering = new Map(offerings.map((o) => [o.id, o]));
  const contract = new Map(contracts.map((c) => [c.id, c]));
  return {
    vendors, offerings, contracts, vendor, offering, contract,
    vendorName: (id) => (vendor.get(id) ? vendor.get(id).name : (id === null || id === undefined ? '—' : `Vendor ${id}`)),
    groupName: (id) => {
      const v = vendor.get(id);
      return v && v.group ? v.group.name : (v ? v.name : '—');
    },
    offeringName: (id) => (offering.get(id) ? offering.get(id).name : `Offering ${id}`),
    groups: vendors.filter((v) => v.parent === null || v.parent === undefined),
  };
}
