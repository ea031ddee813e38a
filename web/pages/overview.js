// pages/overview.js - the leadership overview (#/): headline figures, each
// with a 30-day sparkline, "Act on these" (the most urgent deadlines and
// P1/P2 workloads with their next step), lock-in distribution, spend by
// track and by vendor group, concentration per layer with its HHI band, the flagged workloads with their top reason, and
// the contract notice deadlines of the next six months, the compliance
// findings (most severe first, each with what to do and the workloads
// concerned) and the accepted risks with owner and expiry, both from the
// summary (a server without them leaves their panels out), and how many
// catalogue facts are stale. All requests start at
// once (no waterfall), and only what the page shows is fetched: the summary
// (which carries the flagged list and the deadlines with counterparty names),
// the concentration (twice) and 30 days of history, not the vendor, offering
// and contract lists.
import { h, link, fill, table, scroller } from '../dom.js';
import { get } from '../api.js';
import { money, moneyCompact, number, percent, trackName, label, bandName, decimal, date } from '../format.js';
import { chartFigure, timelineFigure, hhiBands, TRACKS, TRACK_COLORS, LEVELS, LEVEL_COLORS, NEUTRAL } from '../charts.js';
import { pageHeader, panel, figures, figureSpark, levelBadge, trackTag, bandBadge, severityBadge, priorityBadge, complianceFindings, whenWanted } from '../widgets.js';
import { findingItem } from '../findings.js';

const LAYERS = ['provider', 'publisher', 'host'];

export function render({ main, signal, setTitle }) {
  setTitle('Overview');
  const head = pageHeader('Portfolio overview', {
    lead: 'Lock-in risk, spend and vendor concentration across the Copilot, Azure and OpenAI strategies.',
  });
  const figs = h('div', { class: 'figures-slot' });
  const lockin = panel('Lock-in distribution', { id: 'lockin' });
  const byTrack = panel('Monthly spend by track', { id: 'spend-track' });
  const byGroup = panel('Monthly spend by vendor group', { id: 'spend-group' });
  const conc = panel('Concentration per layer', { id: 'concentration', full: true,
    note: 'Herfindahl–Hirschman index over vendor groups, by share of monthly spend. Above 1,800 is highly concentrated, 1,000–1,800 moderately.' });
  const act = panel('Act on these', { id: 'act', full: true,
    note: 'Notice deadlines within 90 days and the P1 and P2 workloads, most urgent first, with the step that removes the most lock-in points; then the most severe findings of every track and of compliance, with their owner, due date and status.' });
  const flagged = panel('Flagged workloads', { id: 'flagged', full: true });
  const compliance = panel('Compliance findings', { id: 'compliance', full: true,
    note: 'Separate from the lock-in score: data residency, model retirement, EU AI Act oversight and untested exit plans.' });
  const accepted = panel('Accepted risks', { id: 'accepted', full: true,
    note: 'Workloads whose lock-in a named owner has accepted until a date: not flagged while the acceptance is in force.' });
  const deadlines = panel('Contract notice deadlines in the next six months', { id: 'deadlines', full: true });
  const declared = panel('Declared, not observed', { id: 'declared-only', full: true,
    note: 'Active workloads whose swap layer or alternatives only someone’s word says: no imported gateway configuration or traffic shows them.' });
  const basis = panel('Concentration by basis', { id: 'concentration-basis', full: true,
    note: 'HHI per layer on the basis you choose. Actual counts only workloads with observed monthly spend (imported cost data or gateway spend logs); the others are listed as not counted, never weighed by what was declared.' });
  const trends = panel('Trends', { id: 'trends', full: true,
    note: 'The daily figures of the active set: HHI per layer, flagged and P1 workloads, declared monthly spend.' });
  // The headline figures first, each with its 30-day sparkline, so that
  // both are in view on a laptop and a phone without scrolling.
  main.append(head, figs, h('div', { class: 'grid' }, act.el, compliance.el),
    h('div', { class: 'grid' }, lockin.el, byTrack.el, byGroup.el, conc.el, deadlines.el, flagged.el, accepted.el, declared.el, trends.el, basis.el));

  const opts = { signal };
  const summary = get('/portfolio/summary', opts);
  const separate = get('/portfolio/concentration?basis=spend&connected=false', opts);
  const merged = get('/portfolio/concentration?basis=spend&connected=true', opts);
  // The sparklines' 30 days (a few KiB; drawn as inline SVG, no chart
  // library), asked for beside the summary; without them the cards stand alone.
  const spark = get('/portfolio/history?days=30', opts).catch(() => null);
  // The most urgent flagged workloads, whole (their owner and every factor's
  // points). A notice deadline within 30 days comes first in "Act on these",
  // so one workload fewer than the list shows is usually enough; the last
  // one is asked for only when no such deadline is there (a workload is
  // some 3 KB: the overview's first load stays small).
  const firstFew = get(`/workloads?flagged=true&sort=priority&limit=${SHOWN - 1}`, opts);
  const urgent = Promise.all([summary, firstFew]).then(async ([s, few]) => {
    const soon = (s.deadlines || []).some((d) => d.days_left <= 30);
    if (soon || few.total <= few.items.length) return few;
    const rest = await get(`/workloads?flagged=true&sort=priority&limit=1&offset=${few.items.length}`, opts);
    return { ...few, items: [...few.items, ...rest.items] };
  });
  // The most severe findings still to act on (strategy and compliance),
  // with their owner, due date and status; an older server without the
  // route shows none.
  const top = get(`/findings?limit=${FINDINGS_SHOWN}`, opts).catch(() => null);
  // Avoid "unhandled rejection" noise: every promise is awaited by fill().
  for (const p of [summary, separate, merged, firstFew, urgent]) p.catch(() => {});

  fill(figs, () => Promise.all([summary, spark]), ([s, hist]) => headline(s, hist), 'Loading headline figures');
  fill(act.body, () => Promise.all([summary, urgent, top]), actionsView);
  fill(lockin.body, () => summary, lockinChart);
  fill(byTrack.body, () => summary, trackChart);
  fill(byGroup.body, () => summary, groupChart);
  fill(conc.body, () => Promise.all([summary, separate, merged]), concentration);
  fill(flagged.body, () => summary, flaggedTable);
  fill(deadlines.body, () => summary, deadlineChart);
  // The trend charts are not part of the first load (its byte budget):
  // their module and history come on the first scroll or when the trends
  // panel shows.
  summary.then((s) => whenWanted(trends.el, signal, () => import('../trends.js').then((t) => {
    if (signal.aborted) return;
    t.trendsPanel(trends.body, { today: s.as_of, signal });
  }))).catch(() => {});
  // A server without compliance findings or accepted risks in its summary
  // leaves their panels out.
  fill(accepted.body, () => summary, (s) => {
    if (!Array.isArray(s.accepted)) { accepted.el.remove(); return null; }
    return acceptedList(s.accepted, s.as_of);
  });
  fill(compliance.body, () => summary, (s) => {
    if (!s.compliance) { compliance.el.remove(); return null; }
    return complianceFindings(s.compliance);
  }, 'Loading compliance findings');
  fill(declared.body, () => summary, (s) => {
    if (!s.declared_only) { declared.el.remove(); return null; }
    return declaredOnly(s.declared_only);
  });
  // Not part of the first load: fetched when the panel shows.
  whenWanted(basis.el, signal, () => basisPicker(basis.body, signal));
}

// The declared-only workloads: how many, the first few, the whole list.
function declaredOnly(d) {
  if (!d.count) return h('p', { class: 'muted' }, 'Every active workload’s swap layer and alternatives are backed by imported evidence.');
  const what = (x) => [x.swap_layer ? 'swap layer' : null, x.alternatives ? 'alternatives' : null].filter(Boolean).join(' and ');
  return h('div', null,
    h('p', null, `${number(d.count)} active ${d.count === 1 ? 'workload' : 'workloads'} with a swap layer or alternatives declared only. `,
      link(d.link || '#/imports', `All ${number(d.count)} on the Import page`)),
    h('ul', { class: 'declared-list' }, d.workloads.map((x) => h('li', null, link(`#/workloads/${x.id}`, x.name), `: ${what(x)}`))));
}

const BASES = [['spend', 'Declared monthly spend'], ['actual', 'Actual (observed) monthly spend'], ['workloads', 'Criticality-weighted workloads']];

// A select of the basis and the HHI per layer on it.
function basisPicker(body, signal) {
  const select = h('select', { id: 'concentration-basis-select' }, BASES.map(([v, t]) => h('option', { value: v }, t)));
  const out = h('div', { 'aria-live': 'polite' });
  const show = () => get(`/portfolio/concentration?basis=${select.value}&connected=false`, { signal }).then((c) => {
    const rows = LAYERS.map((l) => ({ layer: l, x: c.layers[l] }));
    const nc = c.not_counted;
    out.replaceChildren(table({
      caption: `Concentration per layer: ${BASES.find(([v]) => v === c.basis)[1].toLowerCase()}`,
      columns: [
        { label: 'Layer', value: (r) => label(r.layer) },
        { label: 'HHI', num: true, value: (r) => number(r.x.hhi) },
        { label: 'Band', value: (r) => bandBadge(r.x.band) },
        { label: 'Largest group', value: (r) => (r.x.shares[0] ? `${r.x.shares[0].group} ${percent(r.x.shares[0].share)}` : '—') },
      ],
      rows,
    }), nc ? h('p', { class: 'not-counted' }, `${number(c.counted)} counted; ${number(nc.count)} active ${nc.count === 1 ? 'workload' : 'workloads'} not counted (no observed monthly spend)`,
      nc.workloads.length ? `: ${nc.workloads.slice(0, 8).map((x) => x.name).join(', ')}${nc.count > 8 ? ', …' : ''}.` : '.') : '');
  }).catch(() => out.replaceChildren(h('p', { class: 'muted' }, 'The concentration could not be loaded.')));
  select.addEventListener('change', show);
  body.append(h('label', { for: 'concentration-basis-select' }, 'Basis '), select, out);
  show();
}

// The active workloads whose risk is accepted, soonest expiry first.
function acceptedList(rows, today) {
  if (!rows.length) return h('p', { class: 'muted' }, 'No risk acceptance is in force.');
  return h('ul', { class: 'accepted-list' }, rows.map((a) => h('li', null,
    h('p', { class: 'accepted-title' }, link(`#/workloads/${a.id}`, a.name),
      ' ', priorityBadge(a.priority), ' ', levelBadge(a.level)),
    h('p', { class: 'action-meta' }, `Accepted by ${a.owner} until ${date(a.expires_on)} (${daysLeftText(a.expires_on, today)}).`),
    h('p', { class: 'accepted-reason' }, a.reason))));
}

function daysLeftText(day, today) {
  const t = Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today || new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const n = Math.round(t / 86400000);
  return n <= 0 ? 'expires today' : `${number(n)} ${n === 1 ? 'day' : 'days'} left`;
}


function headline(s, hist) {
  const c = s.counts;
  const layers = LAYERS.map((l) => ({ l, ...s.concentration[l] })).sort((a, b) => b.hhi - a.hhi);
  const spark = (name, pick, fmt) => figureSpark(hist, { name, pick, fmt });
  return h('div', null,
    h('p', { class: 'as-of' }, `Figures as of ${date(s.as_of)}.`, s.catalogue ? freshness(s.catalogue) : null),
    figures([
      { label: 'Workloads in production', value: number(c.status.production), href: '#/workloads?status=production', note: `${number(c.status.pilot)} in pilot, ${number(c.status.proposed)} proposed`,
        spark: spark('Active workloads (pilot and production)', (f) => f.active) },
      { label: 'Monthly AI spend', value: money(s.spend.monthly_total), href: '#/workloads?sort=-monthly_spend', note: `${number(c.active)} active workloads`,
        spark: spark('Monthly AI spend', (f) => f.spend, money) },
      { label: 'Flagged workloads', value: number(c.flagged), href: '#/workloads?flagged=true&sort=priority', note: flaggedNote(s), tone: c.flagged ? 'alert' : null,
        spark: spark('Flagged workloads', (f) => f.flagged) },
      { label: 'Highest concentration band', value: bandName(s.concentration.highest_band),
        note: `${label(layers[0].l)} layer HHI ${number(layers[0].hhi)}`, tone: s.concentration.highest_band === 'high' ? 'alert' : null,
        spark: spark('Highest HHI of a layer', (f) => Math.max(...f.hhi.spend)) },
    ]));
}

// "20 P1 and 2 P2 (priority: lock-in against criticality); 2 more accepted":
// the flagged P1 and P2 workloads add up to the figure, the accepted ones
// (P1 or P2, but with an acceptance in force) are said apart.
function flaggedNote(s) {
  const c = s.counts;
  const acc = (s.accepted || []).filter((a) => a.priority === 'P1' || a.priority === 'P2');
  const p1 = c.priority.P1 - acc.filter((a) => a.priority === 'P1').length;
  const p2 = c.priority.P2 - acc.filter((a) => a.priority === 'P2').length;
  return `${number(p1)} P1 and ${number(p2)} P2 (priority: lock-in against criticality)${acc.length ? `; ${number(acc.length)} more accepted` : ''}`;
}

// How many catalogue records are stale (older than the review interval, or
// undated), with a link to the catalogue that marks them.
function freshness(c) {
  if (!c.records) return null;
  const stale = c.stale + (c.undated || 0);
  return h('span', null, ' Catalogue: ', stale
    ? link('#/vendors', `${number(stale)} of ${number(c.records)} records stale`)
    : `all ${number(c.records)} records checked`, ` (review every ${number(c.review_days)} days).`);
}

// A bar leads to the register filtered to it (the data table under the
// chart has the same links for keyboard and screen-reader users).
function drillDown(hrefOf) {
  return {
    onClick: (evt, elements) => { if (elements.length) location.hash = hrefOf(elements[0].index); },
    onHover: (evt, elements) => { if (evt.native && evt.native.target) evt.native.target.style.cursor = elements.length ? 'pointer' : 'default'; },
  };
}

function lockinChart(s) {
  const counts = LEVELS.map((l) => s.counts.level[l] || 0);
  return chartFigure({
    title: 'Active workloads by lock-in level', hideTitle: true,
    config: {
      type: 'bar',
      data: { labels: LEVELS.map(label), datasets: [{ label: 'Workloads', data: counts, backgroundColor: LEVELS.map((l) => LEVEL_COLORS[l]), borderColor: '#5b4a2a', borderWidth: 1 }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Workloads' } } },
        ...drillDown((i) => `#/workloads?risk_level=${LEVELS[i]}`) },
    },
    columns: ['Level', 'Workloads'],
    rows: LEVELS.map((l, i) => [link(`#/workloads?risk_level=${l}`, label(l)), number(counts[i])]),
  });
}

function trackChart(s) {
  const amounts = TRACKS.map((t) => s.spend.by_track[t] || 0);
  const total = s.spend.monthly_total || 1;
  return chartFigure({
    title: 'Monthly spend by strategy track', hideTitle: true,
    config: {
      type: 'bar',
      data: { labels: TRACKS.map(trackName), datasets: [{ label: 'Monthly spend', data: amounts, backgroundColor: TRACKS.map((t) => TRACK_COLORS[t]) }] },
      options: { plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => money(c.raw) } } },
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => moneyCompact(v) } } },
        ...drillDown((i) => `#/workloads?track=${TRACKS[i]}`) },
    },
    columns: ['Track', 'Monthly spend', 'Share', 'Workloads'],
    rows: TRACKS.map((t, i) => [link(`#/workloads?track=${t}`, trackName(t)), money(amounts[i]), percent(amounts[i] / total), number(s.counts.track[t] || 0)]),
  });
}

function groupChart(s) {
  const groups = s.spend.by_group;
  const total = s.spend.monthly_total || 1;
  return chartFigure({
    title: 'Monthly spend by vendor group (provider)', hideTitle: true,
    config: {
      type: 'bar',
      data: { labels: groups.map((g) => g.group), datasets: [{ label: 'Monthly spend', data: groups.map((g) => g.amount), backgroundColor: NEUTRAL.bar }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => money(c.raw) } } },
        scales: { x: { beginAtZero: true, ticks: { callback: (v) => moneyCompact(v) } }, y: { ticks: { autoSkip: false } } } },
    },
    columns: ['Vendor group', 'Monthly spend', 'Share'],
    rows: groups.map((g) => [g.group, money(g.amount), percent(g.amount / total)]),
    height: Math.max(200, 40 + groups.length * 26),
  });
}

function concentration([s, sep, mer]) {
  const rows = LAYERS.map((l) => ({ layer: l, s: s.concentration[l], sep: sep.layers[l], mer: mer.layers[l] }));
  const chart = chartFigure({
    title: 'HHI per layer, by monthly spend',
    config: {
      type: 'bar',
      data: {
        labels: LAYERS.map(label),
        datasets: [
          { label: 'Vendor groups as they are', data: rows.map((r) => r.sep.hhi), backgroundColor: NEUTRAL.bar },
          { label: 'Microsoft and OpenAI as one group', data: rows.map((r) => r.mer.hhi), backgroundColor: NEUTRAL.before },
        ],
      },
      options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true, max: 10000, title: { display: true, text: 'HHI (0–10,000)' } } } },
      plugins: [hhiBands],
    },
    columns: ['Layer', 'HHI', 'Band', 'Effective providers', 'HHI, connected groups merged', 'Band, merged'],
    rows: rows.map((r) => [label(r.layer), number(r.sep.hhi), bandName(r.sep.band), decimal(r.sep.effective_providers), number(r.mer.hhi), bandName(r.mer.band)]),
  });
  const tbl = table({
    caption: 'Concentration per layer',
    columns: [
      { label: 'Layer', value: (r) => label(r.layer) },
      { label: 'HHI by spend', num: true, value: (r) => number(r.s.hhi) },
      { label: 'Band', value: (r) => bandBadge(r.s.band) },
      { label: 'Effective providers', num: true, value: (r) => decimal(r.sep.effective_providers) },
      { label: 'Largest group', value: (r) => (r.sep.shares[0] ? `${r.sep.shares[0].group} ${percent(r.sep.shares[0].share)}` : '—') },
      { label: 'HHI by workloads', value: (r) => h('span', { class: 'nowrap' }, `${number(r.s.hhi_workloads)} `, bandBadge(r.s.band_workloads)) },
    ],
    rows,
  });
  return h('div', { class: 'split table-heavy' }, chart, scroller('Concentration per layer', tbl));
}

function flaggedTable(s) {
  const list = s.flagged || [];
  const more = s.counts.flagged > list.length
    ? `Showing the ${number(list.length)} most exposed of ${number(s.counts.flagged)} flagged workloads. `
    : '';
  return h('div', null,
    h('p', null, more, link('#/workloads?flagged=true&sort=-risk', `All flagged workloads (${number(s.counts.flagged)})`)),
    scroller('Flagged workloads', table({
      caption: 'Flagged workloads and the top reason for each',
      columns: [
        { label: 'Workload', value: (w) => link(`#/workloads/${w.id}`, w.name) },
        { label: 'Track', value: (w) => trackTag(w.track) },
        { label: 'Criticality', value: (w) => label(w.criticality) },
        { label: 'Lock-in', value: (w) => levelBadge(w.level, w.score) },
        { label: 'Top reason', value: (w) => h('span', null, h('strong', null, `${label(w.top_factor)}: `), w.top_reason) },
      ],
      rows: list,
      empty: 'No workload is flagged.',
      className: 'flagged-table',
    })));
}

// The summary's deadlines: customer contracts whose notice deadline falls in
// the next 180 days, each bar drawn to its end date.
function deadlineChart(s) {
  const items = (s.deadlines || []).map((d) => ({
    name: d.name, notice: d.notice_deadline, end: d.end_date, autoRenew: d.auto_renew, counterparty: d.counterparty,
  }));
  return timelineFigure({
    title: 'Notice deadlines in the next six months', hideTitle: true,
    items, today: s.as_of,
    note: 'Light bar: time left to give notice. Dark bar: the notice period, up to the end date.',
  });
}

// "Act on these": the notice deadlines within 90 days and the P1 and P2
// workloads, each with the next step, the points it removes, its owner and
// date. Order: deadlines within 30 days, P1 workloads, deadlines within 90
// days, P2 workloads.
const SHOWN = 5;

// The next step for each factor: what removes its points.
const STEPS = {
  no_swap_layer: 'Put it behind an agent layer or gateway that can swap model and cloud',
  single_group_stack: 'Add a model, hosting, assistant or data dependency from another vendor group',
  proprietary_interface: 'Move to an OpenAI-compatible or open-standard interface and drop proprietary features',
  contract_lock: 'Renegotiate the covering contract: exit clause, data portability, no exclusivity or commitment',
  no_proven_alternative: 'Name an alternative model from another group and drill the switch',
  horizon: 'Plan for the deadline or term end it depends on before it arrives',
  data_gravity: 'Move its data store out of its model vendor’s group',
};

// The factor whose next step removes the most points.
function bestStep(w) {
  const factors = (w.risk && w.risk.factors) || [];
  return factors.filter((f) => STEPS[f.code]).sort((a, b) => b.points - a.points)[0] || null;
}

function deadlineAction(d) {
  const soon = d.days_left <= 30;
  return {
    rank: soon ? 0 : 2, when: d.notice_deadline, severity: soon ? 'high' : 'medium',
    title: link(`#/contracts?q=${encodeURIComponent(d.name)}`, d.name),
    what: d.auto_renew
      ? `Give notice to ${d.counterparty} or accept that it renews for ${number(d.renewal_months)} months (${d.currency} ${number(d.annual_value)} a year).`
      : `Renew, replace or exit: it ends on ${date(d.end_date)} (${d.currency} ${number(d.annual_value)} a year).`,
    due: `Notice due ${date(d.notice_deadline)}, in ${number(d.days_left)} days`,
    owner: null,
  };
}

// The score once a factor's points are gone (scores are capped at 100, so
// a sum above it loses less than the factor's points on screen).
function scoreWithout(w, f) {
  const sum = w.risk.factors.reduce((t, x) => t + x.points, 0);
  return Math.min(100, sum - f.points);
}

function workloadAction(w) {
  const f = bestStep(w);
  const p1 = w.risk.priority === 'P1';
  return {
    rank: p1 ? 1 : 3, when: null, score: w.risk.score, severity: p1 ? 'high' : 'medium',
    title: link(`#/workloads/${w.id}`, w.name),
    what: f ? `${STEPS[f.code]}: −${number(f.points)} points (lock-in ${number(w.risk.score)} → ${number(scoreWithout(w, f))}).`
      : 'Review its lock-in factors.',
    due: `${w.risk.priority}, ${label(w.risk.level)} lock-in, ${label(w.criticality)} business criticality`,
    owner: w.owner || null,
  };
}

// Every action, in the order to take them.
function actions(summary, flagged) {
  const list = [
    ...(summary.deadlines || []).filter((d) => d.days_left <= 90).map(deadlineAction),
    ...flagged.map(workloadAction),
  ];
  return list.sort((a, b) => a.rank - b.rank
    || (a.when && b.when ? a.when.localeCompare(b.when) : 0)
    || (b.score || 0) - (a.score || 0));
}

// The top findings under the actions: most severe first, each with its
// owner, due date and status (editable for leadership and admins).
const FINDINGS_SHOWN = 5;
function topFindings(list) {
  if (!list || !list.items) return null;
  const open = list.by_status ? list.by_status.open + list.by_status.in_progress : list.total;
  return h('section', { class: 'top-findings', 'aria-labelledby': 'top-findings-h' },
    h('h3', { id: 'top-findings-h' }, 'Most severe findings'),
    list.items.length ? h('ol', { class: 'findings top-findings-list' },
      list.items.map((f) => findingItem(f, null, { showTrack: true, cap: 4 }))) : h('p', null, 'No finding is raised.'),
    h('p', null, `${number(open)} of ${number(list.total)} ${list.total === 1 ? 'finding' : 'findings'} still to act on (high ${number(list.by_severity.high)}, medium ${number(list.by_severity.medium)}, low ${number(list.by_severity.low)}, for information ${number(list.by_severity.info)}). Each track's page lists its own: `,
      link('#/copilot', 'Copilot'), ', ', link('#/azure', 'Azure'), ', ', link('#/openai', 'OpenAI'), ', ', link('#/other', 'other'), '.'));
}

function actionsView([summary, flagged, top]) {
  const all = actions(summary, flagged.items);
  const shown = all.slice(0, SHOWN);
  const more = summary.counts.flagged + (summary.deadlines || []).filter((d) => d.days_left <= 90).length - shown.length;
  return h('div', null,
    shown.length ? h('ol', { class: 'actions' }, shown.map((a) => h('li', { class: `action action-${a.severity}` },
      h('p', { class: 'action-title' }, severityBadge(a.severity), ' ', a.title),
      h('p', { class: 'action-what' }, a.what),
      h('p', { class: 'action-meta' }, a.due, a.owner ? ` · Owner: ${a.owner}` : '')))) : h('p', null, 'Nothing needs action now.'),
    more > 0 ? h('p', null, `${number(more)} more: `,
      link('#/workloads?flagged=true&sort=priority', `all ${number(summary.counts.flagged)} flagged workloads`), ' and ',
      link('#/contracts', 'the contracts'), '.') : null,
    topFindings(top));
}
