// pages/workloads.js - the workload register (#/workloads): a table that
// pages, sorts and filters through the API (track, status, criticality, risk
// level, priority, flagged, name search). A workload whose risk acceptance
// is in force is marked "Accepted until …" instead of flagged. Filters, sort and page live in the URL so a
// view can be bookmarked and shared. Every column sorts: by the API's sort
// keys where it has them; Track, Flagged and Owner (no API sort key yet)
// over every matching workload, fetched whole and paged here. The CSV
// download holds every matching workload, in the order shown.
import { h, link, fill, scroller, csvRows } from '../dom.js';
import { get, getAll, qs } from '../api.js';
import { money, label, trackName } from '../format.js';
import { setQuery } from '../route.js';
import { whenSession, can } from '../session.js';
import { pageHeader, levelBadge, trackTag, flaggedMark, priorityBadge, pager } from '../widgets.js';
import { TRACKS, STATUSES, CRITICALITIES, LEVELS, PRIORITIES } from '../enums.js';
import { sortableTable, sortRows } from '../tables.js';

const LIMIT = 25;
const FILTERS = {
  track: TRACKS,
  status: STATUSES,
  criticality: CRITICALITIES,
  risk_level: LEVELS,
  priority: PRIORITIES,
};
const FILTER_LABELS = { track: 'Track', status: 'Status', criticality: 'Criticality', risk_level: 'Lock-in level', priority: 'Priority' };

const TRACK_ORDER = ['copilot', 'azure', 'openai', 'other'];
// Columns: key (sort key); server: the API sorts by it; sortValue: sorting here.
const COLUMNS = [
  { label: 'Workload', key: 'name', server: true, value: (w) => h('span', null, link(`#/workloads/${w.id}`, w.name), w.team ? h('span', { class: 'sub' }, w.team) : null) },
  { label: 'Track', key: 'track', sortValue: (w) => TRACK_ORDER.indexOf(w.track), value: (w) => trackTag(w.track) },
  { label: 'Status', key: 'status', server: true, value: (w) => label(w.status) },
  { label: 'Criticality', key: 'criticality', server: true, value: (w) => label(w.criticality) },
  { label: 'Monthly spend', key: 'monthly_spend', server: true, num: true, value: (w) => money(w.monthly_spend) },
  { label: 'Lock-in', key: 'risk', server: true, value: (w) => levelBadge(w.risk.level, w.risk.score) },
  { label: 'Priority', key: 'priority', server: true, value: (w) => priorityBadge(w.risk.priority) },
  { label: 'Flagged', key: 'flagged', sortValue: (w) => (w.risk.flagged ? 0 : (accepted.has(w.id) ? 1 : 2)), value: (w) => flaggedMark(w.risk.flagged, accepted.get(w.id)) },
  { label: 'Owner', key: 'owner', sortValue: (w) => w.owner || null, value: (w) => w.owner || '—' },
];
// Workload ID -> its risk acceptance in force (read with each load).
let accepted = new Map();
const serverSort = (sort) => COLUMNS.some((c) => c.server && c.key === sort.replace(/^-/, ''));

export function render({ main, query, signal, setTitle }) {
  setTitle('Workloads');
  const state = {
    track: query.get('track') || '', status: query.get('status') || '', criticality: query.get('criticality') || '',
    risk_level: query.get('risk_level') || '', priority: query.get('priority') || '', flagged: query.get('flagged') === 'true', q: query.get('q') || '',
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
    const filters = {
      track: state.track, status: state.status, criticality: state.criticality, risk_level: state.risk_level,
      priority: state.priority, flagged: state.flagged ? 'true' : '', q: state.q.trim(),
    };
    // The acceptances in force, to mark accepted workloads (a short list).
    const acceptances = get('/acceptances?in_force=true', { signal: mine.signal }).then((r) => {
      accepted = new Map();
      for (const a of [...r.items].sort((x, y) => y.expires_on.localeCompare(x.expires_on))) accepted.set(a.workload, a);
    });
    acceptances.catch(() => {});
    // Every matching workload in the order shown (a sort the API lacks, and the CSV).
    const everything = () => Promise.all([getAll('/workloads', { ...filters, sort: serverSort(state.sort) ? state.sort : 'name' }, { signal: mine.signal }), acceptances])
      .then(([all]) => (serverSort(state.sort) ? all : sortRows(all, COLUMNS, state.sort)));
    const pageOf = serverSort(state.sort)
      ? () => get(`/workloads${qs({ ...filters, sort: state.sort, limit: LIMIT, offset: state.offset })}`, { signal: mine.signal })
      : () => everything().then((all) => ({ items: all.slice(state.offset, state.offset + LIMIT), total: all.length }));
    const pageAndMarks = () => Promise.all([pageOf(), acceptances]).then(([page]) => page);
    return fill(results, pageAndMarks, (page) => {
      const table = sortableTable({ columns: COLUMNS, rows: page.items, sort: state.sort, caption: 'Workloads', className: 'workloads-table',
        empty: 'No workload matches these filters.', onSort: (sort) => { state.sort = sort; state.offset = 0; load(); } });
      return h('div', null,
        csvRows(scroller('Workloads', table), async () => {
          const { cellText } = await import('../csv.js');
          const all = await everything();
          return [COLUMNS.map((c) => c.label), ...all.map((w) => COLUMNS.map((c) => cellText(h('span', null, c.value(w)))))];
        }),
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
