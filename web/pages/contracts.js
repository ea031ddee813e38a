// pages/contracts.js - contracts (#/contracts): a timeline of notice
// deadlines and end dates, the list (filterable by kind and name through the
// API, sortable by every column and paged here, with the days left to give
// notice, under 30 and under 90 days highlighted), the upstream agreements
// with their dated terms; and one
// contract (#/contracts/{id}) with every field, the offerings it covers, its
// terms and the workloads that rely on those offerings. Upstream agreements
// are catalogue facts: each shows its source and as-of date, marked stale
// when older than the review interval (or never dated); each term says
// which offerings it bears on (its scope).
import { h, link, fill, table, scroller, dl, replace } from '../dom.js';
import { get, getAll, qs, request, loadCatalogue } from '../api.js';
import { money, number, label, date, inDays, yesNo, timestamp, daysBetween } from '../format.js';
import { timelineFigure } from '../charts.js';
import { CONTRACT_KINDS } from '../enums.js';
import { setQuery } from '../route.js';
import { pageHeader, panel, figures, levelBadge, trackTag, pager } from '../widgets.js';
import { provenance, sourceLink, staleMark } from '../provenance.js';
import { sortableTable, sortRows } from '../tables.js';

const LIMIT = 25;
const today = () => new Date().toISOString().slice(0, 10);
// The review interval in days (the server's setting), 180 if it does not say.
const reviewDays = () => get('/risk/model').then((m) => (m && m.review_days) || 180).catch(() => 180);

export function render(ctx) {
  if (ctx.params.id) detail(ctx);
  else list(ctx);
}

function list({ main, query, signal, setTitle }) {
  setTitle('Contracts');
  const timeline = panel('Notice deadlines and end dates', { id: 'timeline', full: true });
  const listing = panel('All contracts', { id: 'list', full: true });
  const upstream = panel('Upstream agreements and their dated terms', { id: 'upstream', full: true,
    note: 'Agreements between vendors that shape which routes to a model exist, and for how long.' });
  main.append(pageHeader('Contracts', { lead: 'Customer contracts with their notice deadlines, and the upstream agreements between vendors.' }),
    h('div', { class: 'grid' }, timeline.el, listing.el, upstream.el));
  const cat = loadCatalogue();
  cat.catch(() => {});
  fill(timeline.body, () => cat, (c) => timelineFigure({
    title: 'Customer contracts: notice deadlines and end dates',
    items: c.contracts.filter((k) => k.kind === 'customer' && (!k.end_date || k.end_date >= today()))
      .map((k) => ({ name: k.name, notice: k.notice_deadline, end: k.end_date, autoRenew: k.auto_renew, counterparty: c.vendorName(k.counterparty) })),
    today: today(),
    note: 'Light bar: time left to give notice. Dark bar: the notice period, up to the end date.',
  }));
  fill(upstream.body, () => Promise.all([cat, reviewDays()]), ([c, days]) => upstreamPart(c.contracts.filter((k) => k.kind === 'upstream'), c, days));

  const state = { kind: query.get('kind') || '', q: query.get('q') || '', sort: query.get('sort') || 'name', offset: Math.max(0, Number(query.get('offset')) || 0) };
  const results = h('div', null);
  const kind = h('select', { id: 'contracts-kind', onchange: () => { state.kind = kind.value; state.offset = 0; load(); } },
    h('option', { value: '' }, 'Any'), CONTRACT_KINDS.map((k) => h('option', { value: k, selected: state.kind === k }, label(k))));
  const search = h('input', { type: 'search', id: 'contracts-q', value: state.q });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter contracts',
    onsubmit: (e) => { e.preventDefault(); state.q = search.value; state.offset = 0; load(); } },
  h('div', { class: 'field grow' }, h('label', { for: 'contracts-q' }, 'Search by name'), search),
  h('div', { class: 'field' }, h('label', { for: 'contracts-kind' }, 'Kind'), kind),
  h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, 'Search')));
  replace(listing.body, form, results);
  let current = null;
  function load() {
    if (current) current.abort();
    current = new AbortController();
    const mine = current;
    signal.addEventListener('abort', () => mine.abort(), { once: true });
    setQuery({ kind: state.kind, q: state.q, sort: state.sort === 'name' ? '' : state.sort, offset: state.offset || '' });
    // Every matching contract (a company has tens, not thousands), sorted and paged here.
    const all = getAll('/contracts', { kind: state.kind, q: state.q.trim(), sort: 'name' }, { signal: mine.signal });
    all.catch(() => {});
    fill(results, () => Promise.all([all, cat]), ([items, c]) => {
      const columns = contractColumns(c);
      const sorted = sortRows(items, columns, state.sort);
      return h('div', null,
        scroller('Contracts', sortableTable({
          columns, rows: sorted.slice(state.offset, state.offset + LIMIT), sort: state.sort, caption: 'Contracts', className: 'contracts-table',
          empty: 'No contract matches.', rowClass: (k) => dueClass(daysLeft(k)),
          onSort: (sort) => { state.sort = sort; state.offset = 0; load(); },
        })),
        pager({ total: sorted.length, limit: LIMIT, offset: state.offset, label: 'contracts', onPage: (o) => { state.offset = o; load(); } }));
    }, 'Loading contracts');
  }
  load();
}

// Days until a customer contract's notice deadline (negative: passed), or null.
function daysLeft(k) {
  return k.kind === 'customer' && k.notice_deadline ? daysBetween(today(), k.notice_deadline) : null;
}
function dueClass(n) {
  if (n === null || n < 0) return null;
  return n < 30 ? 'due-30' : (n < 90 ? 'due-90' : null);
}
// "22 days" with a highlight under 30 and under 90 days, in words as well as colour.
function daysLeftCell(n) {
  if (n === null) return '—';
  if (n < 0) return h('span', { class: 'muted' }, `passed ${number(-n)} days ago`);
  const text = n === 1 ? '1 day' : `${number(n)} days`;
  const cls = dueClass(n);
  if (!cls) return text;
  return h('span', { class: `badge ${cls}` }, text, h('span', { class: 'due-note' }, n < 30 ? 'under 30' : 'under 90'));
}

function contractColumns(c) {
  const customer = (k, v) => (k.kind === 'customer' ? v : null);
  return [
    { label: 'Contract', key: 'name', sortValue: (k) => k.name, value: (k) => link(`#/contracts/${k.id}`, k.name) },
    { label: 'Kind', key: 'kind', sortValue: (k) => label(k.kind), value: (k) => label(k.kind) },
    { label: 'Counterparty', key: 'counterparty', sortValue: (k) => c.vendorName(k.counterparty), value: (k) => c.vendorName(k.counterparty) },
    { label: 'Notice deadline', key: 'notice_deadline', nowrap: true, sortValue: (k) => customer(k, k.notice_deadline), value: (k) => (k.kind === 'customer' ? date(k.notice_deadline) : '—') },
    { label: 'Days left to give notice', key: 'days_left', num: true, sortValue: daysLeft, value: (k) => daysLeftCell(daysLeft(k)) },
    { label: 'End date', key: 'end_date', nowrap: true, sortValue: (k) => k.end_date, value: (k) => date(k.end_date) },
    { label: 'Annual value', key: 'annual_value', num: true, sortValue: (k) => customer(k, k.annual_value), value: (k) => (k.kind === 'customer' ? money(k.annual_value, k.currency) : '—') },
    { label: 'Committed', key: 'committed_spend', num: true, sortValue: (k) => customer(k, k.committed_spend), value: (k) => (k.kind === 'customer' ? money(k.committed_spend, k.currency) : '—') },
    { label: 'Auto-renews', key: 'auto_renew', sortValue: (k) => yesNo(k.auto_renew), value: (k) => yesNo(k.auto_renew) },
    { label: 'Exclusive', key: 'exclusive', sortValue: (k) => yesNo(k.exclusive), value: (k) => yesNo(k.exclusive) },
    { label: 'Substitutability', key: 'substitutability', sortValue: (k) => ['easy', 'medium', 'hard', 'none'].indexOf(k.substitutability) + 1 || null, value: (k) => label(k.substitutability) },
  ];
}

// Which offerings a term bears on, in words: "provider Microsoft, publisher OpenAI".
function scopeText(t, cat) {
  const parts = [['provider', t.scope_provider], ['publisher', t.scope_publisher], ['host', t.scope_host]]
    .filter(([, id]) => id !== null && id !== undefined).map(([role, id]) => `${role} ${cat.groupName(id)} group`);
  if (t.scope_track) parts.push(`${label(t.scope_track)} track`);
  return parts.length ? `Offerings with ${parts.join(', ')}` : 'The agreement\'s own offerings';
}

function termsTable(terms, caption = 'Dated terms', cat = null) {
  return scroller(caption, table({
    caption,
    columns: [
      { label: 'Kind', value: (t) => label(t.kind) },
      { label: 'Term', value: (t) => t.text },
      cat ? { label: 'Bears on', value: (t) => scopeText(t, cat) } : null,
      { label: 'Effective', nowrap: true, value: (t) => date(t.effective) },
      { label: 'Until', nowrap: true, value: (t) => (t.until ? date(t.until) : 'No end date') },
    ].filter(Boolean),
    rows: terms || [],
    empty: 'No dated term recorded.',
  }));
}

function upstreamPart(list, cat, days) {
  if (!list.length) return h('p', { class: 'muted' }, 'No upstream agreement is recorded.');
  return h('div', null, list.map((k) => h('article', { class: 'agreement' },
    h('h3', null, link(`#/contracts/${k.id}`, k.name)),
    h('p', { class: 'muted' }, `Between ${cat.vendorName(k.counterparty)}${k.other_party ? ` and ${cat.vendorName(k.other_party)}` : ''}; from ${date(k.start_date)}${k.end_date ? ` to ${date(k.end_date)}` : ''}.`),
    h('p', { class: 'fact-line' }, 'Source: ', provenance(k, days)),
    termsTable(k.terms, `Terms of ${k.name}`, cat))));
}

function detail({ main, params, signal, setTitle }) {
  setTitle(`Contract ${params.id}`);
  const slot = h('div', null);
  const interim = pageHeader(`Contract ${params.id}`);
  main.append(interim, slot);
  const one = request('GET', `/contracts/${params.id}`, { signal }).then((r) => r.data);
  const cat = loadCatalogue();
  const days = reviewDays();
  for (const p of [one, cat]) p.catch(() => {});
  fill(slot, () => Promise.all([one, cat, days]), ([k, c, review]) => {
    setTitle(k.name);
    interim.remove();
    const workloads = panel('Workloads that rely on its offerings', { id: 'workloads', full: true });
    const left = k.notice_deadline ? daysBetween(today(), k.notice_deadline) : null;
    const view = h('div', null,
      pageHeader(k.name, { lead: `${label(k.kind)} contract with ${c.vendorName(k.counterparty)}${k.other_party ? ` and ${c.vendorName(k.other_party)}` : ''}.`,
        actions: link('#/contracts', 'All contracts') }),
      k.kind === 'customer' ? figures([
        { label: 'Annual value', value: money(k.annual_value, k.currency) },
        { label: 'Committed spend', value: money(k.committed_spend, k.currency) },
        { label: 'Notice deadline', nowrap: true, value: date(k.notice_deadline), note: left === null ? null : inDays(left), tone: left !== null && left >= 0 && left <= 90 ? 'alert' : null },
        { label: 'End date', nowrap: true, value: date(k.end_date), note: k.auto_renew ? `renews for ${k.renewal_months} months without notice` : 'does not renew automatically' },
      ]) : null,
      h('div', { class: 'grid' },
        h('section', { class: 'panel wide', 'aria-labelledby': 'fields-h' }, h('h2', { id: 'fields-h' }, 'Details'), dl([
          ['Kind', label(k.kind)],
          ['Counterparty', link(`#/vendors/${k.counterparty}`, c.vendorName(k.counterparty))],
          k.other_party ? ['Other party', link(`#/vendors/${k.other_party}`, c.vendorName(k.other_party))] : null,
          ['Start', date(k.start_date)],
          ['End', k.end_date ? date(k.end_date) : 'Open-ended'],
          ['Notice period', `${number(k.notice_days)} days`],
          ['Notice deadline', date(k.notice_deadline)],
          ['Auto-renews', k.auto_renew ? `Yes, for ${k.renewal_months} months` : 'No'],
          ['Annual value', money(k.annual_value, k.currency)],
          ['Committed spend', money(k.committed_spend, k.currency)],
          ['Currency', k.currency],
          ['Exclusive', yesNo(k.exclusive)],
          ['Exit clause', label(k.exit_clause)],
          ['Data portability', yesNo(k.data_portability)],
          ['Substitutability', label(k.substitutability)],
          ['Exit plan', k.exit_plan],
          ['Exit plan tested', k.exit_plan_tested ? date(k.exit_plan_tested) : 'Never'],
          ['Governing law', k.governing_law || 'Not stated'],
          ['DORA reference number', k.reference || 'Not stated'],
          ['ICT service type (DORA)', k.ict_service_type || 'Not classified'],
          ['Why hard to substitute', k.substitution_reason ? label(k.substitution_reason) : 'Not stated'],
          ['Reintegration', k.reintegration ? label(k.reintegration) : 'Not assessed'],
          ['Impact of discontinuing', k.discontinuing_impact ? label(k.discontinuing_impact) : 'Not assessed'],
          ['Notes', k.notes],
          ['Source', sourceLink(k.source)],
          ['As of', h('span', { class: 'provenance' }, k.as_of ? date(k.as_of) : 'Never dated', ' ',
            k.kind === 'upstream' ? staleMark(k.as_of, review) : null)],
          ['Updated', timestamp(k.updated_at)],
        ])),
        h('section', { class: 'panel', 'aria-labelledby': 'offerings-h' }, h('h2', { id: 'offerings-h' }, 'Offerings it covers'),
          (k.offerings || []).length
            ? h('ul', { class: 'plain' }, k.offerings.map((o) => h('li', null, link(`#/offerings/${o}`, c.offeringName(o)), ' ',
              c.offering.get(o) ? trackTag(c.offering.get(o).track) : null)))
            : h('p', { class: 'muted' }, 'None recorded.')),
        k.kind === 'upstream' || (k.terms && k.terms.length)
          ? h('section', { class: 'panel full', 'aria-labelledby': 'terms-h' }, h('h2', { id: 'terms-h' }, 'Dated terms'), termsTable(k.terms, 'Dated terms', c))
          : null,
        workloads.el));
    fill(workloads.body, () => relying(k, signal), (rows) => scroller('Workloads relying on it', table({
      caption: 'Workloads with a dependency on an offering this contract covers',
      columns: [
        { label: 'Workload', value: (w) => link(`#/workloads/${w.id}`, w.name) },
        { label: 'Track', value: (w) => trackTag(w.track) },
        { label: 'Status', value: (w) => label(w.status) },
        { label: 'Monthly spend', num: true, value: (w) => money(w.monthly_spend) },
        { label: 'Lock-in', value: (w) => levelBadge(w.risk.level, w.risk.score) },
      ],
      rows,
      empty: 'No workload relies on its offerings.',
    })), 'Loading workloads');
    return view;
  }, 'Loading the contract');
}

// Workloads using any of the contract's offerings, one request per offering
// (in parallel), without duplicates, highest risk first.
async function relying(k, signal) {
  const pages = await Promise.all((k.offerings || []).map((o) => get(`/workloads${qs({ offering: o, limit: 500, sort: '-risk' })}`, { signal })));
  const seen = new Map();
  for (const p of pages) for (const w of p.items) seen.set(w.id, w);
  return [...seen.values()].sort((a, b) => b.risk.score - a.risk.score);
}
