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
