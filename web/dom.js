// dom.js - text-only element helpers. Every value reaches the page through
// textContent, text nodes or setAttribute: this file (and the whole front end)
// never parses HTML, so data such as "<img src=x onerror=...>" shows as text.

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'multiple', 'open', 'required']);

// h('a', {href: '#/x', class: 'y', onclick: fn}, 'text', child, [more]) builds
// an element. Attributes: on* adds a listener, style takes an object, dataset
// an object, booleans in PROPS set the property; anything else setAttribute.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, val] of Object.entries(attrs)) {
      if (val === undefined || val === null || val === false) continue;
      if (key.startsWith('on') && typeof val === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), val);
      } else if (key === 'style' && typeof val === 'object') {
        Object.assign(el.style, val);
      } else if (key === 'dataset') {
        Object.assign(el.dataset, val);
      } else if (PROPS.has(key)) {
        el[key] = val;
      } else if (key === 'text') {
        el.textContent = String(val);
      } else if (key === 'html' || key.toLowerCase().includes('innerhtml')) {
        throw new Error('dom.h: HTML strings are not supported');
      } else {
        el.setAttribute(key, val === true ? '' : String(val));
      }
    }
  }
  append(el, children);
  return el;
}

// Appends children: strings and numbers become text nodes; null, undefined
// and false are skipped; arrays are flattened.
export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.append(c);
    else el.append(document.createTextNode(String(c)));
  }
  return el;
}

// Removes every child, then appends the given ones.
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// A link that only accepts in-app (#/...), same-origin (/...) or http(s) URLs.
export function link(href, ...children) {
  const safe = /^(#|\/(?!\/)|https?:\/\/)/i.test(String(href)) ? String(href) : '#/';
  const external = /^https?:/i.test(safe);
  return h('a', { href: safe, rel: external ? 'noopener noreferrer' : null }, ...children);
}

// Loading placeholder for a panel (announced politely by screen readers).
export function loading(what = 'Loading') {
  return h('p', { class: 'loading', role: 'status' }, `${what}…`);
}

// Error box for a failed request: the problem's title and detail, plus any
// field or parameter errors.
export function errorBox(err, context) {
  const title = (err && err.title) || (err && err.message) || 'Something went wrong';
  const detail = err && err.detail !== undefined ? err.detail : '';
  const list = err && Array.isArray(err.errors) && err.errors.length
    ? h('ul', null, err.errors.map((e) => h('li', null, `${e.pointer || e.parameter || ''} ${e.detail || ''}`.trim())))
    : null;
  return h('div', { class: 'problem', role: 'alert' },
    h('p', { class: 'problem-title' }, context ? `${context}: ${title}` : title),
    detail ? h('p', { class: 'problem-detail' }, detail) : null,
    err && err.status ? h('p', { class: 'problem-status' }, `HTTP status ${err.status}`) : null,
    list);
}

// Runs load() and shows its result in container: a loading line first, then
// what render(data) returns, or the error box. Returns the data (or undefined).
export async function fill(container, load, render, what) {
  replace(container, loading(what));
  container.setAttribute('aria-busy', 'true');
  try {
    const data = await load();
    const focused = document.activeElement;
    replace(container, render(data));
    // If rendering removed the focused element (a placeholder heading), keep
    // keyboard users on the page: focus the new heading instead.
    if (focused && focused !== document.body && !focused.isConnected) {
      const h1 = container.closest('main') ? container.closest('main').querySelector('h1') : null;
      if (h1) h1.focus({ preventScroll: true });
    }
    return data;
  } catch (err) {
    if (err && err.name === 'AbortError') return undefined;
    replace(container, errorBox(err));
    return undefined;
  } finally {
    container.removeAttribute('aria-busy');
  }
}

// A table. columns: [{label, value(row) -> node|string, num: bool, nowrap: bool}]
// rows: array. Optional caption (visually shown) and empty text.
export function table({ columns, rows, caption, empty = 'Nothing to show.', className }) {
  const cls = (c) => [c.num ? 'num' : '', c.nowrap ? 'nowrap' : ''].join(' ').trim() || null;
  const head = h('tr', null, columns.map((c) => h('th', { scope: 'col', class: cls(c) }, c.label)));
  const body = rows.length
    ? rows.map((r) => h('tr', null, columns.map((c, i) => {
      const v = c.value(r);
      const attrs = { class: cls(c) };
      return i === 0 && c.rowHeader !== false ? h('th', { ...attrs, scope: 'row' }, v) : h('td', attrs, v);
    })))
    : [h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, empty))];
  return h('table', { class: className || null },
    caption ? h('caption', null, caption) : null,
    h('thead', null, head), h('tbody', null, body));
}

// Wraps a wide table so it scrolls horizontally and stays keyboard reachable.
// When it is wider than its box (a phone), it says so ("more columns") and
// style.css keeps its first column in view. It offers the table as a CSV
// file: the rows as shown, or what csvRows(box, fn) says (a paged list: every
// row its filters match).
export function scroller(label, ...children) {
  const box = h('div', { class: 'scroll', role: 'region', 'aria-label': label, tabindex: '0' });
  const button = h('button', { type: 'button', class: 'secondary small csv-button', onclick: async () => {
    button.disabled = true;
    try {
      const csv = await import('./csv.js');
      const table = box.querySelector('table');
      const rows = box.csvRows ? await box.csvRows() : (table ? csv.tableRows(table) : []);
      csv.download(csv.csvName(label), csv.toCsv(rows));
      announce(`${label}: CSV file of ${rows.length - 1} rows downloaded.`);
    } catch (err) {
      announce(`The CSV file could not be made: ${err.message}`);
    } finally {
      button.disabled = false;
    }
  } }, 'Download CSV');
  append(box, [h('div', { class: 'table-tools' },
    h('p', { class: 'scroll-hint', 'aria-hidden': 'true' }, 'Scroll sideways for more columns →'), button), ...children]);
  requestAnimationFrame(() => markOverflow(box));
  return box;
}

// Makes a scroller's CSV come from fn() (async, rows with the header first)
// instead of the rows on screen.
export function csvRows(box, fn) {
  box.csvRows = fn;
  return box;
}
function markOverflow(box) {
  const table = box.querySelector('table');
  if (table) box.classList.toggle('overflows', table.scrollWidth > box.clientWidth + 1);
}
if (typeof window !== 'undefined') {
  let pending = false;
  window.addEventListener('resize', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; document.querySelectorAll('.scroll').forEach(markOverflow); });
  });
}

// A definition list from [label, value] pairs (pairs with undefined values skipped).
export function dl(pairs, className = 'fields') {
  return h('dl', { class: className }, pairs.filter((p) => p && p[1] !== undefined)
    .map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v === null || v === '' ? '—' : v))));
}

// Polite announcement for screen readers (e.g. "Saved").
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => { region.textContent = message; }, 30);
}

// Loads a classic script once, by adding an async script element to the head.
// src is the address in <meta name="NAME" data-src> (index.html's
// fingerprinted URL), else fallback. Resolves true once it has run, false if
// it failed to load.
const scripts = new Map();
export function loadScript(name, fallback) {
  const meta = document.querySelector(`meta[name="${name}"]`);
  const src = (meta && meta.getAttribute('data-src')) || fallback;
  if (!scripts.has(src)) {
    scripts.set(src, new Promise((resolve) => {
      document.head.append(h('script', { src, async: true, onload: () => resolve(true), onerror: () => resolve(false) }));
    }));
  }
  return scripts.get(src);
}
