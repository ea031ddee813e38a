// pages/workloads.js - the workload register (#/workloads): a table that
// pages, sorts and filters through the API (track, status, criticality, risk
// level, flagged, name search). Filters, sort and page live in the URL so a
// view can be bookmarked and shared.
import { h, link, fill, scroller } from '../dom.js';
import { get, qs } from '../api.js';
import { money, label, trackName } from '../format.js';
import { setQuery } from '../route.js';
import { whenSession, can } from '../session.js';
import { pageHeader, levelBadge, trackTag, flaggedMark, pager } from '../widgets.js';
import { TRACKS, STATUSES, CRITICALITIES, LEVELS } from '../enums.js';

const LIMIT = 25;
const FILTERS = {
  track: TRACKS,
  status: STATUSES,
  criticality: CRITICALITIES,
  risk_level: LEVELS,
};
const FILTER_LABELS = { track: 'Track', status: 'Status', criticality: 'Criticality', risk_level: 'Lock-in level' };

// Sortable columns: API sort key per column.
const COLUMNS = [
  { label: 'Workload', sort: 'name', value: (w) => h('span', null, link(`#/workloads/${w.id}`, w.name), w.team ? h('span', { class: 'sub' }, w.team) : null) },
  { label: 'Track', value: (w) => trackTag(w.track) },
  { label: 'Status', sort: 'status', value: (w) => label(w.status) },
  { label: 'Criticality', sort: 'criticality', value: (w) => label(w.criticality) },
  { label: 'Monthly spend', sort: 'monthly_spend', num: true, value: (w) => money(w.monthly_spend) },
  { label: 'Lock-in', sort: 'risk', value: (w) => levelBadge(w.risk.level, w.risk.score) },
  { label: 'Flagged', value: (w) => flaggedMark(w.risk.flagged) },
  { label: 'Owner', value: (w) => w.owner || '—' },
];

export function render({ main, query, signal, setTitle }) {
  setTitle('Workloads');
  const state = {
    track: query.get('track') || '', status: query.get('status') || '', criticality: query.get('criticality') || '',
    risk_level: query.get('risk_level') || '', flagged: query.get('flagged') === 'true', q: query.get('q') || '',
    sort: query.get('sort') || '-risk', offset: Math.max(0, Number(query.get('offset')) || 0),
  };
  const actions = h('div', null);
  const results = h('div', { class: 'results' });
  const form = filterForm(state, () => { state.offset = 0; load(); });
  main.append(
    pageHeader('Workloads', { lead: 'Every AI use case with its lock-in risk. Filter, sort and open one to see why it scores as it does.', actions }),
    h('section', { class: 'panel full', 'aria-labelledby': 'filters-h' }, h('h2', { id: 'filters-h', class: 'visually-hidden' }, 'Filters'), form),
    h('section', { class: 'panel full', 'aria-labelledby': 'list-h' }, h('h2', { id: 'list-h', class: 'visually-hidden' }, 'Workload list'), results));

  whenSession().then(() => {
    if (can('edit_workloads')) actions.append(link('#/workloads/new', 'Register a workload'));
    const a = actions.querySelector('a');
    if (a) a.classList.add('button');
  });

  let current = null;
  function load() {
    // A newer request replaces an older one still on its way.
    if (current) current.abort();
    current = new AbortController();
    const mine = current;
    signal.addEventListener('abort', () => mine.abort(), { once: true });
    setQuery({ ...state, flagged: state.flagged ? 'true' : '', sort: state.sort === '-risk' ? '' : state.sort, offset: state.offset || '' });
    const params = {
      track: state.track, status: state.status, criticality: state.criticality, risk_level: state.risk_level,
      flagged: state.flagged ? 'true' : '', q: state.q.trim(), sort: state.sort, limit: LIMIT, offset: state.offset,
    };
    return fill(results, () => get(`/workloads${qs(params)}`, { signal: mine.signal }), (page) => {
      return h('div', null,
        scroller('Workloads', listTable(page.items, state, (sort) => { state.sort = sort; state.offset = 0; load(); })),
        pager({ total: page.total, limit: LIMIT, offset: state.offset, label: 'workloads', onPage: (o) => { state.offset = o; load(); } }));
    }, 'Loading workloads');
  }
  load();
}

function filterForm(state, changed) {
  const selects = Object.entries(FILTERS).map(([key, values]) => {
    const id = `filter-${key}`;
    const sel = h('select', { id, name: key, onchange: () => { state[key] = sel.value; changed(); } },
      h('option', { value: '' }, 'Any'),
      values.map((v) => h('option', { value: v, selected: state[key] === v }, key === 'track' ? trackName(v) : label(v))));
    return h('div', { class: 'field' }, h('label', { for: id }, FILTER_LABELS[key]), sel);
  });
  const flagged = h('input', { type: 'checkbox', id: 'filter-flagged', checked: state.flagged, onchange: () => { state.flagged = flagged.checked; changed(); } });
  let timer = null;
  const search = h('input', { type: 'search', id: 'filter-q', value: state.q, autocomplete: 'off',
    oninput: () => { clearTimeout(timer); timer = setTimeout(() => { state.q = search.value; changed(); }, 300); } });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter workloads',
    onsubmit: (e) => { e.preventDefault(); clearTimeout(timer); state.q = search.value; changed(); } },
  h('div', { class: 'field grow' }, h('label', { for: 'filter-q' }, 'Search by name'), search),
  selects,
  h('div', { class: 'field check' }, flagged, h('label', { for: 'filter-flagged' }, 'Flagged only')),
  h('div', { class: 'field buttons' },
    h('button', { type: 'submit' }, 'Search'),
    h('button', { type: 'button', class: 'secondary', onclick: () => {
      for (const k of Object.keys(FILTERS)) state[k] = '';
      state.flagged = false; state.q = ''; search.value = ''; flagged.checked = false;
      for (const s of form.querySelectorAll('select')) s.value = '';
      changed();
    } }, 'Clear filters')));
  return form;
}

// The table with sortable headers: a button in each sortable header, and
// aria-sort on the column the list is sorted by.
function listTable(items, state, onSort) {
  const key = state.sort.replace(/^-/, '');
  const desc = state.sort.startsWith('-');
  const head = h('tr', null, COLUMNS.map((c) => {
    if (!c.sort) return h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label);
    const active = c.sort === key;
    const next = active && !desc ? `-${c.sort}` : c.sort;
    const arrow = active ? (desc ? ' ↓' : ' ↑') : '';
    return h('th', { scope: 'col', class: c.num ? 'num' : null, 'aria-sort': active ? (desc ? 'descending' : 'ascending') : null },
      h('button', { type: 'button', class: 'sort', onclick: () => onSort(next) }, c.label,
        h('span', { 'aria-hidden': 'true' }, arrow),
        h('span', { class: 'visually-hidden' }, active ? `, sorted ${desc ? 'descending' : 'ascending'}` : ', sort')));
  }));
  const rows = items.length
    ? items.map((w) => h('tr', null, COLUMNS.map((c, i) => (i === 0
      ? h('th', { scope: 'row' }, c.value(w))
      : h('td', { class: c.num ? 'num' : null }, c.value(w))))))
    : [h('tr', null, h('td', { colspan: COLUMNS.length, class: 'empty' }, 'No workload matches these filters.'))];
  return h('table', { class: 'workloads-table' }, h('caption', { class: 'visually-hidden' }, 'Workloads'),
    h('thead', null, head), h('tbody', null, rows));
}
