// pages/overview.js - the leadership overview (#/): "Act on these" (the
// most urgent deadlines and P1/P2 workloads with their next step), headline figures,
// lock-in distribution, spend by track and by vendor group, concentration per
// layer with its HHI band, the flagged workloads with their top reason, and
// the contract notice deadlines of the next six months. All requests start at
// once (no waterfall), and only what the page shows is fetched: the summary
// (which carries the flagged list and the deadlines with counterparty names)
// and the concentration (twice), not the vendor, offering and contract lists.
import { h, link, fill, table, scroller } from '../dom.js';
import { get } from '../api.js';
import { money, moneyCompact, number, percent, trackName, label, bandName, decimal, date } from '../format.js';
import { chartFigure, timelineFigure, hhiBands, TRACKS, TRACK_COLORS, LEVELS, LEVEL_COLORS, NEUTRAL } from '../charts.js';
import { pageHeader, panel, figures, levelBadge, trackTag, bandBadge } from '../widgets.js';
import { actionsView, SHOWN } from './actions.js';

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
    note: 'Notice deadlines within 90 days and the P1 and P2 workloads, most urgent first, with the step that removes the most lock-in points.' });
  const flagged = panel('Flagged workloads', { id: 'flagged', full: true });
  const deadlines = panel('Contract notice deadlines in the next six months', { id: 'deadlines', full: true });
  main.append(head, h('div', { class: 'grid' }, act.el), figs, h('div', { class: 'grid' }, lockin.el, byTrack.el, byGroup.el, conc.el, deadlines.el, flagged.el));

  const opts = { signal };
  const summary = get('/portfolio/summary', opts);
  const separate = get('/portfolio/concentration?basis=spend&connected=false', opts);
  const merged = get('/portfolio/concentration?basis=spend&connected=true', opts);
  const urgent = get(`/workloads?flagged=true&sort=priority&limit=${SHOWN}`, opts);
  // Avoid "unhandled rejection" noise: every promise is awaited by fill().
  for (const p of [summary, separate, merged, urgent]) p.catch(() => {});

  fill(figs, () => summary, headline, 'Loading headline figures');
  fill(act.body, () => Promise.all([summary, urgent]), actionsView);
  fill(lockin.body, () => summary, lockinChart);
  fill(byTrack.body, () => summary, trackChart);
  fill(byGroup.body, () => summary, groupChart);
  fill(conc.body, () => Promise.all([summary, separate, merged]), concentration);
  fill(flagged.body, () => summary, flaggedTable);
  fill(deadlines.body, () => summary, deadlineChart);
}

function headline(s) {
  const c = s.counts;
  const layers = LAYERS.map((l) => ({ l, ...s.concentration[l] })).sort((a, b) => b.hhi - a.hhi);
  return h('div', null,
    h('p', { class: 'as-of' }, `Figures as of ${date(s.as_of)}.`),
    figures([
      { label: 'Workloads in production', value: number(c.status.production), note: `${number(c.status.pilot)} in pilot, ${number(c.status.proposed)} proposed` },
      { label: 'Monthly AI spend', value: money(s.spend.monthly_total), note: `${number(c.active)} active workloads` },
      { label: 'Flagged workloads', value: number(c.flagged), note: `${number(c.priority.P1)} P1 and ${number(c.priority.P2)} P2 (priority: lock-in against criticality)`, tone: c.flagged ? 'alert' : null },
      { label: 'Highest concentration band', value: bandName(s.concentration.highest_band),
        note: `${label(layers[0].l)} layer HHI ${number(layers[0].hhi)}`, tone: s.concentration.highest_band === 'high' ? 'alert' : null },
    ]));
}

function lockinChart(s) {
  const counts = LEVELS.map((l) => s.counts.level[l] || 0);
  return chartFigure({
    title: 'Active workloads by lock-in level',
    config: {
      type: 'bar',
      data: { labels: LEVELS.map(label), datasets: [{ label: 'Workloads', data: counts, backgroundColor: LEVELS.map((l) => LEVEL_COLORS[l]), borderColor: '#5b4a2a', borderWidth: 1 }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Workloads' } } } },
    },
    columns: ['Level', 'Workloads'],
    rows: LEVELS.map((l, i) => [label(l), number(counts[i])]),
  });
}

function trackChart(s) {
  const amounts = TRACKS.map((t) => s.spend.by_track[t] || 0);
  const total = s.spend.monthly_total || 1;
  return chartFigure({
    title: 'Monthly spend by strategy track',
    config: {
      type: 'bar',
      data: { labels: TRACKS.map(trackName), datasets: [{ label: 'Monthly spend', data: amounts, backgroundColor: TRACKS.map((t) => TRACK_COLORS[t]) }] },
      options: { plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => money(c.raw) } } },
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => moneyCompact(v) } } } },
    },
    columns: ['Track', 'Monthly spend', 'Share', 'Workloads'],
    rows: TRACKS.map((t, i) => [trackName(t), money(amounts[i]), percent(amounts[i] / total), number(s.counts.track[t] || 0)]),
  });
}

function groupChart(s) {
  const groups = s.spend.by_group;
  const total = s.spend.monthly_total || 1;
  return chartFigure({
    title: 'Monthly spend by vendor group (provider)',
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
    title: 'Notice deadlines in the next six months',
    items, today: s.as_of,
    note: 'Light bar: time left to give notice. Dark bar: the notice period, up to the end date.',
  });
}
