// pages/strategy.js - one strategy view per track (#/copilot, #/azure,
// #/openai, and #/other), the same skeleton filled from one request,
// GET /api/v1/strategies/{track}: headline figures, findings in plain words
// (linking to the workloads they name), charts in the track's colour, the
// track's contracts and the upstream terms that bear on it, and the
// workloads that cross into other tracks.
import { h, link, fill, table, scroller } from '../dom.js';
import { get } from '../api.js';
import { money, moneyCompact, number, percent, trackName, label, bandName, decimal, date, inDays, yesNo } from '../format.js';
import { chartFigure, timelineFigure, hhiBands, short, LEVELS, TRACK_COLORS } from '../charts.js';
import { pageHeader, panel, figures, figureSpark, levelBadge, trackTag, bandBadge, flaggedMark, priorityBadge, complianceFindings, whenWanted } from '../widgets.js';
import { findingItem, actionMap, bySeverity } from '../findings.js';

const LEADS = {
  copilot: 'Assistants bought per seat from Microsoft: Microsoft 365 Copilot, Copilot Studio and GitHub Copilot.',
  azure: 'Models and data services run on Microsoft Azure: Azure OpenAI in Microsoft Foundry Models, AI Search, Cosmos DB.',
  openai: 'OpenAI bought directly: the OpenAI API, ChatGPT Enterprise and Codex, on any cloud since April 2026.',
  other: 'Every other vendor: Anthropic, Google, AWS, Mistral AI, DeepSeek and open-weight models.',
};
const LAYERS = ['provider', 'publisher', 'host'];

export function render({ main, params, signal, setTitle }) {
  const { track } = params;
  const name = `${trackName(track)} strategy`;
  setTitle(name);
  const colour = TRACK_COLORS[track];
  const figs = h('div', { class: 'figures-slot' });
  const findings = panel('Findings', { id: 'findings', full: true });
  const compliance = panel('Compliance findings', { id: 'compliance', full: true,
    note: 'Separate from the lock-in score: data residency, model retirement, EU AI Act oversight and untested exit plans, for this track\'s workloads.' });
  const lockin = panel('Lock-in distribution', { id: 'lockin' });
  const spend = panel('Spend by workload', { id: 'spend' });
  const conc = panel('Concentration inside the track', { id: 'concentration' });
  const contracts = panel('Contracts and deadlines', { id: 'contracts', full: true });
  const upstream = panel('Upstream terms that bear on this track', { id: 'upstream', half: true });
  const cross = panel('Workloads that cross into other tracks', { id: 'cross', half: true });
  const list = panel('Workloads on this track', { id: 'workloads', full: true });
  const trends = panel('Trends', { id: 'trends', full: true,
    note: 'The daily figures of this track\'s active workloads: HHI per layer, flagged and P1 workloads, declared monthly spend.' });
  main.append(
    pageHeader(name, { lead: LEADS[track], track }),
    figs,
    h('div', { class: 'grid' }, findings.el, compliance.el, lockin.el, spend.el, conc.el, contracts.el, upstream.el, cross.el, list.el, trends.el));

  const data = get(`/strategies/${track}`, { signal });
  // Each finding's owner, due date and status, by key (an older server
  // without the route leaves them out).
  const actions = get(`/findings?track=${track}`, { signal }).then(actionMap, () => new Map());
  data.catch(() => {});
  // The sparklines' 30 days, beside the view (inline SVG, no chart library).
  const hist = get(`/portfolio/history?days=30&track=${track}`, { signal }).catch(() => null);
  const spark = (hi, name, pick, fmt) => figureSpark(hi, { name, pick, fmt });
  fill(figs, () => Promise.all([data, hist]), ([s, hi]) => h('div', null, h('p', { class: 'as-of' }, `${s.title}, as of ${date(s.as_of)}.`), figures([
    { label: 'Workloads', value: number(s.figures.workloads), href: `#/workloads?track=${track}`, note: `${number(s.figures.production)} in production`,
      spark: spark(hi, 'Active workloads (pilot and production)', (f) => f.active) },
    { label: 'Monthly spend', value: money(s.figures.monthly_spend), spark: spark(hi, 'Monthly spend', (f) => f.spend, money) },
    { label: 'Flagged workloads', value: number(s.figures.flagged), href: `#/workloads?track=${track}&flagged=true&sort=priority`, tone: s.figures.flagged ? 'alert' : null,
      spark: spark(hi, 'Flagged workloads', (f) => f.flagged) },
    { label: 'Without a swap layer', value: number(s.figures.without_swap_layer), note: 'cannot change model or cloud without a rebuild' },
    { label: 'Provider concentration', value: bandName(s.concentration.layers.provider.band), note: `HHI ${number(s.concentration.layers.provider.hhi)}`,
      spark: spark(hi, 'Provider HHI', (f) => f.hhi.spend[0]) },
  ])), 'Loading headline figures');
  // The trend charts come on the first scroll or when their panel shows.
  data.then((s) => whenWanted(trends.el, signal, () => import('../trends.js').then((t) => {
    if (signal.aborted) return;
    t.trendsPanel(trends.body, { track, today: s.as_of, signal, colour });
  }))).catch(() => {});
  fill(findings.body, () => Promise.all([data, actions]), ([s, acts]) => findingsPart(s.findings, acts,
    'No findings for this track.', '', Infinity));
  // A server without compliance findings in its views leaves the panel out.
  fill(compliance.body, () => Promise.all([data, actions]), ([s, acts]) => {
    if (!s.compliance) { compliance.el.remove(); return null; }
    return findingsPart(s.compliance.items, acts, 'No compliance finding for this track.', 'compliance-findings', 4);
  });
  fill(lockin.body, () => data, (s) => lockinChart(s, colour));
  fill(spend.body, () => data, (s) => spendChart(s, colour));
  fill(conc.body, () => data, (s) => concentration(s, colour));
  fill(contracts.body, () => data, contractsPart);
  fill(upstream.body, () => data, upstreamPart);
  fill(cross.body, () => data, crossPart);
  fill(list.body, () => data, workloadsPart);
}

// Findings most severe first, each with its owner, due date and status
// (editable inline for leadership and admins); past the first few, the rest
// one click away.
function findingsPart(list, acts, empty, cls, shown) {
  const items = bySeverity(list || []);
  if (!items.length) return h('p', { class: 'muted' }, empty);
  const counts = ['high', 'medium', 'low', 'info'].map((s) => [s, items.filter((i) => i.severity === s).length]).filter(([, n]) => n);
  const ol = (part, start) => h('ol', { class: `findings ${cls}`.trim(), start: start ? String(start) : null },
    part.map((f) => findingItem(f, acts)));
  const rest = items.slice(shown);
  return h('div', null,
    h('p', null, `${number(items.length)} ${items.length === 1 ? 'finding' : 'findings'}: `, counts.map(([s, n]) => `${number(n)} ${s}`).join(', '), '.'),
    ol(items.slice(0, shown)),
    rest.length ? h('details', { class: 'more-findings' }, h('summary', null, `${number(rest.length)} more ${rest.length === 1 ? 'finding' : 'findings'}`),
      ol(rest, shown + 1)) : null);
}

function lockinChart(s, colour) {
  const counts = LEVELS.map((l) => s.risk_distribution[l] || 0);
  return chartFigure({
    title: `${trackName(s.track)} workloads by lock-in level`,
    config: {
      type: 'bar',
      data: { labels: LEVELS.map(label), datasets: [{ label: `${trackName(s.track)} workloads`, data: counts, backgroundColor: colour }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Workloads' } } } },
    },
    columns: ['Level', 'Workloads'],
    rows: LEVELS.map((l, i) => [label(l), number(counts[i])]),
  });
}

function spendChart(s, colour) {
  const top = [...s.workloads].sort((a, b) => b.monthly_spend - a.monthly_spend).slice(0, 10);
  return chartFigure({
    title: `Monthly spend, top ${top.length} ${trackName(s.track)} workloads`,
    config: {
      type: 'bar',
      data: { labels: top.map((w) => short(w.name, 26)), datasets: [{ label: 'Monthly spend', data: top.map((w) => w.monthly_spend), backgroundColor: colour }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => money(c.raw) } } },
        scales: { x: { beginAtZero: true, ticks: { callback: (v) => moneyCompact(v) } }, y: { ticks: { autoSkip: false } } } },
    },
    columns: ['Workload', 'Monthly spend', 'Lock-in'],
    rows: top.map((w) => [w.name, money(w.monthly_spend), `${label(w.level)} ${w.score}`]),
    height: Math.max(180, 40 + top.length * 26),
  });
}

function concentration(s, colour) {
  const layers = LAYERS.map((l) => ({ layer: l, ...s.concentration.layers[l] }));
  // Bars that are all the same say nothing: a sentence instead.
  const same = layers.every((l) => l.hhi === layers[0].hhi);
  const chart = same ? h('div', { class: 'chart-sentence' }, h('p', null, layers[0].hhi === 10000
    ? `Each of the three layers has one vendor group carrying all of the ${trackName(s.track)} track's spend (${layers.map((l) => `${label(l.layer).toLowerCase()}: ${l.shares[0] ? l.shares[0].group : '—'}`).join(', ')}): HHI 10,000 means one group per layer.`
    : `All three layers have the same HHI, ${number(layers[0].hhi)} (${bandName(layers[0].band).toLowerCase()}).`))
    : chartFigure({
    title: `HHI per layer inside the ${trackName(s.track)} track`,
    config: {
      type: 'bar',
      data: { labels: LAYERS.map(label), datasets: [{ label: 'HHI by spend', data: layers.map((l) => l.hhi), backgroundColor: colour }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, max: 10000, title: { display: true, text: 'HHI (0–10,000)' } } } },
      plugins: [hhiBands],
    },
    columns: ['Layer', 'HHI', 'Band', 'Effective providers', 'Largest group'],
    rows: layers.map((l) => [label(l.layer), number(l.hhi), bandName(l.band), decimal(l.effective_providers),
      l.shares[0] ? `${l.shares[0].group} ${percent(l.shares[0].share)}` : '—']),
  });
  const shares = table({
    caption: 'Share of the track\'s monthly spend per vendor group',
    columns: [
      { label: 'Layer', value: (r) => label(r.layer) },
      { label: 'Band', value: (r) => bandBadge(r.band) },
      { label: 'Groups and shares', value: (r) => r.shares.map((g) => `${g.group} ${percent(g.share)}`).join(', ') || '—' },
    ],
    rows: layers,
  });
  return h('div', { class: 'split' }, chart, scroller('Shares per vendor group', shares));
}

function contractsPart(s) {
  const deadlines = s.deadlines || [];
  return h('div', null,
    deadlines.length
      ? h('div', { class: 'callout' }, h('p', { class: 'callout-title' }, 'Notice deadlines in the next 180 days'),
        h('ul', null, deadlines.map((d) => h('li', null, link(`#/contracts/${d.contract}`, d.name), ` (${d.counterparty}): give notice by ${date(d.notice_deadline)}, ${inDays(d.days_left)}${d.auto_renew ? `; otherwise it renews for ${d.renewal_months} months` : ''}.`))))
      : h('p', { class: 'muted' }, 'No notice deadline falls in the next 180 days.'),
    h('div', null,
      scroller('Contracts of this track', table({
        caption: `Customer contracts covering ${trackName(s.track)} offerings`,
        columns: [
          { label: 'Contract', value: (c) => link(`#/contracts/${c.id}`, c.name) },
          { label: 'Counterparty', value: (c) => c.counterparty },
          { label: 'Notice deadline', nowrap: true, value: (c) => date(c.notice_deadline) },
          { label: 'End date', nowrap: true, value: (c) => date(c.end_date) },
          { label: 'Annual value', num: true, value: (c) => money(c.annual_value, c.currency) },
          { label: 'Committed', num: true, value: (c) => money(c.committed_spend, c.currency) },
          { label: 'Exclusive', value: (c) => yesNo(c.exclusive) },
          { label: 'Auto-renews', value: (c) => yesNo(c.auto_renew) },
        ],
        rows: s.contracts || [],
        empty: 'No customer contract covers this track.',
      })),
      timelineFigure({
        title: `${trackName(s.track)} contracts: notice deadlines and end dates`,
        items: (s.contracts || []).map((c) => ({ name: c.name, notice: c.notice_deadline, end: c.end_date, autoRenew: c.auto_renew, counterparty: c.counterparty })),
        today: s.as_of,
      })));
}

function upstreamPart(s) {
  const terms = s.upstream_terms || [];
  if (!terms.length) return h('p', { class: 'muted' }, 'No upstream agreement term bears on this track.');
  return h('ul', { class: 'terms' }, terms.map((t) => h('li', { class: 'term' },
    h('p', { class: 'term-head' }, h('span', { class: 'badge term-kind' }, label(t.kind)), ' ',
      t.until ? h('strong', null, `Until ${date(t.until)} (${inDays(t.days_left)})`) : h('strong', null, 'No end date')),
    h('p', null, t.text),
    h('p', { class: 'muted' }, 'From ', link(`#/contracts/${t.contract}`, t.agreement), '.'),
    t.workloads && t.workloads.length
      ? h('details', null, h('summary', null, `${number(t.count)} ${t.count === 1 ? 'workload' : 'workloads'} on this track rely on it`),
        h('ul', { class: 'chips' }, t.workloads.map((w) => h('li', null, link(`#/workloads/${w.id}`, w.name),
          w.planned_end ? ` (planned end ${date(w.planned_end)})` : ' (no planned end)'))),
        t.count > t.workloads.length
          ? h('p', { class: 'muted' }, `and ${number(t.count - t.workloads.length)} more: see `, link(`#/contracts/${t.contract}`, t.agreement), '.')
          : null)
      : null)));
}

function crossPart(s) {
  return scroller('Cross-track workloads', table({
    caption: 'Workloads that depend on offerings of several tracks',
    columns: [
      { label: 'Workload', value: (w) => link(`#/workloads/${w.id}`, w.name) },
      { label: 'Home track', value: (w) => trackTag(w.track) },
      { label: 'Tracks it uses', value: (w) => h('span', { class: 'tags' }, w.tracks.map(trackTag)) },
    ],
    rows: s.cross_track || [],
    empty: 'No workload crosses into another track.',
  }));
}

function workloadsPart(s) {
  return h('div', null,
    h('p', null, link(`#/workloads?track=${s.track}`, `Open these workloads in the workload register`)),
    scroller('Workloads on this track', table({
      caption: `${trackName(s.track)} workloads, highest lock-in first`,
      columns: [
        { label: 'Workload', value: (w) => link(`#/workloads/${w.id}`, w.name) },
        { label: 'Status', value: (w) => label(w.status) },
        { label: 'Criticality', value: (w) => label(w.criticality) },
        { label: 'Monthly spend', num: true, value: (w) => money(w.monthly_spend) },
        { label: 'Swap layer', value: (w) => yesNo(w.swap_layer) },
        { label: 'Lock-in', value: (w) => levelBadge(w.level, w.score) },
        { label: 'Priority', value: (w) => priorityBadge(w.priority) },
        { label: 'Flagged', value: (w) => flaggedMark(w.flagged) },
      ],
      rows: [...s.workloads].sort((a, b) => b.score - a.score),
      empty: 'No workload on this track.',
    })));
}
