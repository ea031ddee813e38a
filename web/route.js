// route.js - reading and writing the hash URL (#/path?query) and the
// document title; shared by the router (app.js) and the pages.

// "#/workloads?track=azure" -> {path: '/workloads', query: URLSearchParams}
export function currentRoute() {
  let raw = location.hash.replace(/^#/, '');
  try { raw = decodeURI(raw); } catch { /* keep it as it is */ }
  const [path, search = ''] = (raw || '/').split('?');
  return { path: path || '/', query: new URLSearchParams(search) };
}

// Changes the query part of the current URL without re-rendering the page
// (lists keep their filters, sort and page in the URL so it can be shared).
export function setQuery(params) {
  const { path } = currentRoute();
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== '' && v !== null && v !== undefined && v !== false) s.set(k, v);
  }
  const q = s.toString();
  history.replaceState(null, '', `#${path}${q ? `?${q}` : ''}`);
}

// Navigates to another page (a new history entry).
export function go(hash) {
  location.hash = hash;
}

// Sets the document title (shown in tabs, bookmarks and history).
export function setTitle(title) {
  document.title = title ? `${title} · Switchyard` : 'Switchyard';
}

// The router registers itself here so pages can replace the current URL
// and render the result at once (sign-in returning to the page wanted, a
// 401 sending to the sign-in page) without a history entry in between.
let router = null;
export function setRouter(fn) { router = fn; }
export function redirect(hash) {
  history.replaceState(null, '', hash);
  if (router) router();
}

// The path (and query) of the current URL, e.g. "/workloads?track=azure".
export function currentHashPath() {
  return location.hash.replace(/^#/, '') || '/';
}

// A "next" target from the sign-in page's query, if it is an in-app path.
export function safeNext(next) {
  const s = String(next || '');
  if (!/^\/(?!\/)[^\s\\]*$/.test(s) || /^\/sign-in(\?|$)/.test(s)) return '/';
  return s;
}

// The sign-in page's "next" (read from the raw hash, so that a query in it
// keeps its own percent-encoding).
export function nextFromHash() {
  const raw = location.hash.replace(/^#/, '');
  const i = raw.indexOf('?');
  return safeNext(i >= 0 ? new URLSearchParams(raw.slice(i + 1)).get('next') : '');
}

// The sign-in page's URL for a page one wanted ("/" needs no "next").
export function signInHash(next) {
  const n = safeNext(next);
  return n === '/' ? '#/sign-in' : `#/sign-in?next=${encodeURIComponent(n)}`;
}

// Hooks run when the router leaves a page (charts.js destroys its charts),
// so the router need not import every module that keeps per-page state.
const leaving = new Set();
export function onLeave(fn) { leaving.add(fn); }
export function leavePage() {
  for (const fn of leaving) {
    try { fn(); } catch { /* one hook's failure does not stop the others */ }
  }
}
