// tables.js - sortable tables: a header with a sort button per sortable
// column (aria-sort on the sorted one) and the comparison used when rows are
// sorted in the browser. A sort is a column key, "-" in front for
// descending ("-risk"). Columns: {label, key, num, value(row) -> node|text,
// sortValue(row) -> number|string|null (for sorting here), rowHeader}.
import { h } from './dom.js';

// Numbers numerically, text by locale with numbers inside in order, empty
// values (null, undefined, '') last in either direction.
function compare(a, b) {
  const ea = a === null || a === undefined || a === '';
  const eb = b === null || b === undefined || b === '';
  if (ea || eb) return ea === eb ? 0 : (ea ? 1 : -1);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { sensitivity: 'base', numeric: true });
}

// A sorted copy of rows (stable: equal rows keep their order).
export function sortRows(rows, columns, sort) {
  const key = String(sort || '').replace(/^-/, '');
  const col = columns.find((c) => c.key === key && c.sortValue);
  if (!col) return rows.slice();
  const desc = String(sort).startsWith('-');
  return rows.map((r, i) => ({ r, i, v: col.sortValue(r) })).sort((x, y) => {
    const ex = x.v === null || x.v === undefined || x.v === '';
    const ey = y.v === null || y.v === undefined || y.v === '';
    if (ex || ey) return ex === ey ? x.i - y.i : (ex ? 1 : -1); // empty last, both ways
    const c = compare(x.v, y.v);
    return (desc ? -c : c) || x.i - y.i;
  }).map((x) => x.r);
}

// The next sort when a column's button is pressed: ascending first (numbers
// and dates too), then descending.
export function nextSort(current, key) {
  return current === key ? `-${key}` : key;
}

// A table with sortable headers. onSort(newSort) is called on a press.
export function sortableTable({ columns, rows, sort, onSort, caption, className, empty = 'Nothing to show.', rowClass }) {
  const key = String(sort || '').replace(/^-/, '');
  const desc = String(sort || '').startsWith('-');
  const head = h('tr', null, columns.map((c) => {
    const cls = c.num ? 'num' : null;
    if (!c.key) return h('th', { scope: 'col', class: cls }, c.label);
    const active = c.key === key;
    return h('th', { scope: 'col', class: cls, 'aria-sort': active ? (desc ? 'descending' : 'ascending') : null },
      h('button', { type: 'button', class: 'sort', onclick: () => onSort(nextSort(sort, c.key)) }, c.label,
        h('span', { 'aria-hidden': 'true' }, active ? (desc ? ' ↓' : ' ↑') : ''),
        h('span', { class: 'visually-hidden' }, active ? `, sorted ${desc ? 'descending' : 'ascending'}` : ', sort')));
  }));
  const body = rows.length
    ? rows.map((r) => h('tr', { class: rowClass ? rowClass(r) : null }, columns.map((c, i) => (i === 0 && c.rowHeader !== false
      ? h('th', { scope: 'row', class: c.num ? 'num' : null }, c.value(r))
      : h('td', { class: [c.num ? 'num' : '', c.nowrap ? 'nowrap' : ''].join(' ').trim() || null }, c.value(r))))))
    : [h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, empty))];
  return h('table', { class: className || null }, caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
    h('thead', null, head), h('tbody', null, body));
}
