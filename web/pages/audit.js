// pages/audit.js - the audit trail (#/audit, auditor and admin): whether the
// hash chain is intact (GET /audit/verify) and its current head (GET
// /audit/head), shown first and prominently; then every event, filtered by
// entity, actor, action, record, and time, paged through the API. Each event
// opens to show its before and after documents as preformatted text (never
// parsed as HTML) with its hashes. Filters and page live in the URL.
import { h, link, fill, replace, scroller } from '../dom.js';
import { get, qs, ApiError } from '../api.js';
import { instant, number, label } from '../format.js';
import { setQuery } from '../route.js';
import { pageHeader, panel, pager } from '../widgets.js';
import { field, setFieldError, clearErrors, showErrors } from '../forms.js';

const LIMIT = 50;
const ENTITIES = ['workload', 'scenario', 'vendor', 'offering', 'contract', 'risk_model', 'finding', 'user', 'token', 'session', 'report', 'setting'];
const ACTIONS = ['create', 'update', 'delete', 'export', 'sign_in', 'sign_in_failed', 'sign_in_refused', 'sign_out', 'reset_password', 'revoke'];
const PAGES = { workload: 'workloads', scenario: 'scenarios', vendor: 'vendors', offering: 'offerings', contract: 'contracts' };
const KEYS = ['entity', 'actor', 'action', 'entity_id', 'since', 'until'];

export function render({ main, query, signal, setTitle }) {
  setTitle('Audit trail');
  const verify = panel('Is the trail intact?', { id: 'verify', full: true });
  const filters = panel('Filter events', { id: 'audit-filters', full: true });
  const events = panel('Events, newest first', { id: 'events', full: true });
  main.append(
    pageHeader('Audit trail', { lead: 'Every change, sign-in and sign-out, in a hash chain: each event’s hash covers its content and the event before it, so an edited or removed event breaks the chain from there on.' }),
    h('div', { class: 'grid' }, verify.el, filters.el, events.el));

  // ---- verification ----------------------------------------------------------
  const check = () => fill(verify.body, () => Promise.all([get('/audit/verify', { signal }), get('/audit/head', { signal })]),
    ([v, head]) => verdict(v, head, check), 'Recomputing the hash chain');
  check();

  // ---- filters ---------------------------------------------------------------
  const state = Object.fromEntries(KEYS.map((k) => [k, query.get(k) || '']));
  state.offset = Math.max(0, Number(query.get('offset')) || 0);
  const c = {
    entity: h('select', null, h('option', { value: '' }, 'Any'), ENTITIES.map((e) => h('option', { value: e, selected: state.entity === e }, label(e)))),
    action: h('select', null, h('option', { value: '' }, 'Any'), ACTIONS.map((a) => h('option', { value: a, selected: state.action === a }, label(a)))),
    actor: h('input', { type: 'text', value: state.actor, list: 'audit-actors', autocomplete: 'off', spellcheck: 'false' }),
    entity_id: h('input', { type: 'number', min: '1', step: '1', value: state.entity_id, inputmode: 'numeric' }),
    since: h('input', { type: 'date', value: state.since }),
    until: h('input', { type: 'date', value: state.until }),
  };
  const actors = h('datalist', { id: 'audit-actors' });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter audit events', novalidate: true,
    onsubmit: (e) => { e.preventDefault(); apply(); } },
  field('audit-entity', 'Entity', c.entity),
  field('audit-action', 'Action', c.action),
  field('audit-actor', 'Actor', c.actor, { className: 'grow' }),
  field('audit-entity_id', 'Record ID', c.entity_id),
  field('audit-since', 'From (UTC)', c.since),
  field('audit-until', 'To (UTC)', c.until),
  h('div', { class: 'field buttons' },
    h('button', { type: 'submit' }, 'Show events'),
    h('button', { type: 'button', class: 'secondary', onclick: () => {
      for (const k of KEYS) { state[k] = ''; c[k].value = ''; }
      clearErrors(form);
      state.offset = 0;
      load();
    } }, 'Clear filters')),
  actors);
  c.actor.setAttribute('aria-describedby', 'audit-actor-hint audit-actor-error');
  replace(filters.body, form, h('p', { class: 'hint', id: 'audit-actor-hint' },
    'Actor is matched exactly, as the list shows it: user:NAME for a signed-in person, token:ID:NAME for an API token, system:seed, anonymous.'));

  function apply() {
    clearErrors(form);
    for (const k of KEYS) state[k] = c[k].value.trim();
    if (state.since && state.until && state.since > state.until) {
      setFieldError(c.until, 'Must not be before the “From” date.');
      c.until.focus();
      return;
    }
    state.offset = 0;
    load();
  }

  // ---- events ----------------------------------------------------------------
  const seenActors = new Set(['system:seed', 'system:demo', 'system:cli', 'anonymous']);
  let current = null;
  function load() {
    if (current) current.abort();
    current = new AbortController();
    const mine = current;
    signal.addEventListener('abort', () => mine.abort(), { once: true });
    setQuery({ ...Object.fromEntries(KEYS.map((k) => [k, state[k]])), offset: state.offset || '' });
    const params = { ...Object.fromEntries(KEYS.map((k) => [k, state[k]])), limit: LIMIT, offset: state.offset };
    return fill(events.body, async () => {
      try {
        return await get(`/audit${qs(params)}`, { signal: mine.signal });
      } catch (err) {
        // A bad filter: its message also goes beside the field.
        if (err instanceof ApiError && err.status === 400) showErrors(err, c, { focus: false });
        throw err;
      }
    }, (page) => {
      for (const e of page.items) seenActors.add(e.actor);
      replace(actors, [...seenActors].sort().map((a) => h('option', { value: a })));
      return h('div', null,
        scroller('Audit events', eventsTable(page.items)),
        pager({ total: page.total, limit: LIMIT, offset: state.offset, label: 'events', onPage: (o) => { state.offset = o; load(); } }));
    }, 'Loading events');
  }
  load();
}

// The verification result: intact (events checked, verified head, current
// head) or broken (where, why, the last good event).
function verdict(v, head, again) {
  const recheck = h('button', { type: 'button', class: 'secondary', onclick: again }, 'Verify again');
  const hash = (s) => h('code', { class: 'hash' }, s || '—');
  if (v.ok) {
    const newer = head && v.head && head.seq > v.head.seq ? head.seq - v.head.seq : 0;
    return h('div', null, h('div', { class: 'verdict verdict-ok', role: 'status' },
      h('p', { class: 'verdict-title' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Intact: ', `all ${number(v.events)} events verified.`),
      h('p', null, 'Every event’s hash matches its content and links to the event before it.'),
      h('dl', { class: 'fields' },
        h('div', null, h('dt', null, 'Verified head'), h('dd', null, v.head ? [`sequence ${number(v.head.seq)}, hash `, hash(v.head.hash)] : 'No event yet')),
        h('div', null, h('dt', null, 'Current head'), h('dd', null, head ? [`sequence ${number(head.seq)}, hash `, hash(head.hash)] : '—',
          newer ? h('span', { class: 'sub' }, `${number(newer)} newer ${newer === 1 ? 'event was' : 'events were'} written after the check.`) : null)))),
    h('p', null, recheck));
  }
  return h('div', null, h('div', { class: 'verdict verdict-broken', role: 'alert' },
    h('p', { class: 'verdict-title' }, h('span', { 'aria-hidden': 'true' }, '✗ '), `BROKEN at sequence ${number(v.first_broken)}`),
    h('p', null, `Problem: ${v.problem || 'not stated'}.`),
    h('p', null, 'Events from this one on cannot be trusted: one was edited, removed or inserted outside Switchyard.'),
    h('dl', { class: 'fields' },
      h('div', null, h('dt', null, 'Events verified before it'), h('dd', null, number(v.events))),
      v.last_good ? h('div', null, h('dt', null, 'Last good event'), h('dd', null, `sequence ${number(v.last_good.seq)}, hash `, hash(v.last_good.hash))) : null,
      head ? h('div', null, h('dt', null, 'Current head'), h('dd', null, `sequence ${number(head.seq)}, hash `, hash(head.hash))) : null)),
    h('p', null, recheck));
}

function eventsTable(items) {
  const cols = ['Seq', 'Time', 'Actor', 'Action', 'Entity', 'Record', 'Details'];
  const rows = items.flatMap((e) => {
    const cell = h('td', { colspan: cols.length, id: `ev-${e.seq}-details` });
    const more = h('tr', { class: 'details-row', hidden: true }, cell);
    const toggle = h('button', { type: 'button', class: 'secondary small', 'aria-expanded': 'false', 'aria-controls': cell.id, onclick: () => {
      const open = more.hidden;
      more.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      toggle.firstChild.textContent = open ? 'Hide' : 'Show';
      if (open && !cell.firstChild) replace(cell, details(e));
    } }, h('span', null, 'Show'), h('span', { class: 'visually-hidden' }, ` details of event ${e.seq}`));
    const page = PAGES[e.entity];
    const name = recordName(e);
    const text = e.entity_id === null || e.entity_id === undefined ? (name || '—')
      : name ? `${name} (#${e.entity_id})` : `#${e.entity_id}`;
    const record = page && e.entity_id && e.action !== 'delete' ? link(`#/${page}/${e.entity_id}`, text) : text;
    return [h('tr', { class: `ev ev-${e.action}` },
      h('th', { scope: 'row', class: 'num' }, String(e.seq)),
      h('td', { class: 'nowrap' }, h('time', { datetime: e.at }, instant(e.at))),
      h('td', null, e.actor),
      h('td', null, label(e.action)),
      h('td', null, label(e.entity)),
      h('td', null, record),
      h('td', null, toggle)), more];
  });
  return h('table', { class: 'audit-table' },
    h('caption', { class: 'visually-hidden' }, 'Audit events'),
    h('thead', null, h('tr', null, cols.map((t, i) => h('th', { scope: 'col', class: i === 0 ? 'num' : null }, t)))),
    h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: cols.length, class: 'empty' }, 'No event matches these filters.'))));
}

// The record an event is about, in words: its name as the event saved it
// (after, else before), or what was exported.
function recordName(e) {
  const doc = e.after || e.before;
  if (!doc || typeof doc !== 'object') return '';
  if (e.entity === 'report') return `${label(doc.report || 'report')} report, ${doc.format || ''}`.trim();
  if (e.entity === 'setting') return `${label(doc.key || '')}: ${doc.value ?? '(not set)'}`;
  return typeof doc.name === 'string' ? doc.name : '';
}

// Before and after as indented JSON, as text in <pre>; and the event's hashes.
function details(e) {
  const doc = (title, value) => h('div', { class: 'doc' }, h('h3', null, title),
    value === null || value === undefined ? h('p', { class: 'muted' }, 'None')
      : h('pre', { class: 'json' }, JSON.stringify(value, null, 2)));
  return h('div', { class: 'event-details' },
    h('div', { class: 'docs' }, doc('Before', e.before), doc('After', e.after)),
    h('dl', { class: 'fields hashes' },
      h('div', null, h('dt', null, 'Hash'), h('dd', null, h('code', { class: 'hash' }, e.hash))),
      h('div', null, h('dt', null, 'Previous hash'), h('dd', null, h('code', { class: 'hash' }, e.prev_hash)))));
}
