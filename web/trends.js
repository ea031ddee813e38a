// trends.js - the portfolio over time, for the overview and the strategy
// views (issue 19 item 2): line charts of HHI per layer, flagged and P1
// counts and spend, each with its data table and a range picker (30, 90,
// 365 days, all ten years), from GET /portfolio/history. Loaded with
// import() on the page's first scroll or when the Trends panel shows, so
// the overview's first load stays within its byte budget. (The headline
// cards' sparklines are inline SVG from widgets.js, on the first load.)
import { h, replace, fill } from './dom.js';
import { get, qs } from './api.js';
import { chartFigure } from './charts.js';
import { money, number, decimal, date } from './format.js';

export const RANGES = [[30, '30 days'], [90, '90 days'], [365, '365 days'], [3650, 'All']];
const LAYERS = ['provider', 'publisher', 'host'];
const LAYER_COLOURS = { provider: '#1f3a5f', publisher: '#d9661c', host: '#0b7a5e' };

const minusDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);

// The history of a scope (track, or null: all) over the `days` up to today.
export function loadHistory({ track, today, days, signal }) {
  return get(`/portfolio/history${qs({ from: minusDays(today, days - 1), to: today, track: track || 'all' })}`, { signal });
}

function line(labels, sets) {
  return {
    type: 'line',
    data: {
      labels,
      datasets: sets.map((s) => ({
        label: s.label, data: s.data, borderColor: s.colour, backgroundColor: s.colour,
        pointRadius: labels.length > 60 ? 0 : 2, borderWidth: 2, tension: 0, spanGaps: true,
      })),
    },
    options: { scales: { y: { beginAtZero: true } }, plugins: { legend: { position: 'bottom' } } },
  };
}

function coverageNote(hist) {
  const c = hist.coverage;
  const parts = [`${number(c.observed)} observed`];
  if (c.rebuilt) parts.push(`${number(c.rebuilt)} rebuilt from the audit trail`);
  if (c.missing) parts.push(`${number(c.missing)} without figures`);
  return `${number(c.days)} days: ${parts.join(', ')}.`;
}

// The three charts of one history answer.
export function trendCharts(hist, colour) {
  const days = hist.days;
  if (!days.length) return h('p', { class: 'muted' }, 'No daily figures in this range yet: the server takes them on the first request of each day, and `switchyard snapshot` from cron.');
  const labels = days.map((d) => d.day);
  const f = days.map((d) => d.figures);
  const hhi = chartFigure({
    title: 'HHI per layer (spend)',
    config: line(labels, LAYERS.map((l, i) => ({ label: l, colour: LAYER_COLOURS[l], data: f.map((x) => x.hhi.spend[i]) }))),
    columns: ['Day', 'Provider', 'Publisher', 'Host'],
    rows: days.map((d) => [date(d.day), ...d.figures.hhi.spend.map((v) => decimal(v))]),
    height: 220, className: 'trend-hhi',
  });
  const counts = chartFigure({
    title: 'Flagged and P1 workloads',
    config: line(labels, [
      { label: 'Flagged', colour: '#a3201b', data: f.map((x) => x.flagged) },
      { label: 'P1', colour: colour || '#3d5a80', data: f.map((x) => x.priority[0]) }]),
    columns: ['Day', 'Flagged', 'P1'],
    rows: days.map((d) => [date(d.day), number(d.figures.flagged), number(d.figures.priority[0])]),
    height: 220, className: 'trend-flagged',
  });
  const spend = chartFigure({
    title: 'Monthly spend (declared)',
    config: line(labels, [{ label: 'Monthly spend', colour: colour || '#1f3a5f', data: f.map((x) => x.spend) }]),
    columns: ['Day', 'Monthly spend'],
    rows: days.map((d) => [date(d.day), money(d.figures.spend)]),
    height: 220, className: 'trend-spend',
  });
  return h('div', { class: 'trends' }, h('p', { class: 'muted trend-coverage' }, coverageNote(hist)), hhi, counts, spend);
}

// Fills a panel body with the range picker and the charts, once the body
// scrolls into view (at once where IntersectionObserver is missing).
export function trendsPanel(body, { track, today, signal, colour }) {
  const charts = h('div', { class: 'trend-charts' });
  const picker = h('div', { class: 'range-picker', role: 'group', 'aria-label': 'Range' },
    RANGES.map(([days, text]) => h('button', {
      type: 'button', class: 'range', 'aria-pressed': days === 90 ? 'true' : 'false', dataset: { days: String(days) },
      onclick: (e) => {
        for (const b of picker.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === e.currentTarget));
        show(days);
      },
    }, text)));
  const show = (days) => fill(charts, () => loadHistory({ track, today, days, signal }), (hist) => trendCharts(hist, colour), 'Loading the trends');
  replace(body, picker, charts);
  const start = () => show(90);
  if (typeof IntersectionObserver === 'undefined') { start(); return; }
  const io = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) { io.disconnect(); start(); }
  });
  io.observe(body);
  signal?.addEventListener('abort', () => io.disconnect());
}
