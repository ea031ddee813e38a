// charts.js - Chart.js setup (window.Chart from vendor/chart.umd.js, loaded on demand), the
// colours every chart shares (one per strategy track, one per risk level),
// and chartFigure(): a canvas with role="img" and an aria-label, plus its
// text alternative, a data table behind a "Show data table" toggle.
import { h, table, scroller, loadScript } from './dom.js';
import { DAY_MS, monthLabel, parseDay, number, date } from './format.js';
import { TRACKS, LEVELS } from './enums.js';
import { onLeave } from './route.js';

export { TRACKS, LEVELS };

// One colour per track, used for that track in every chart (and the nav).
// All reach 4.5:1 against white, so they also work as text and thin lines.
export const TRACK_COLORS = { copilot: '#6b3fb3', azure: '#1760c4', openai: '#0b7a5e', other: '#5c6675' };

// Risk levels: a warm ramp that shares no hue with the tracks.
export const LEVEL_COLORS = { low: '#d9ccae', medium: '#e8b02a', high: '#d9661c', critical: '#a3201b' };

// Neutral colours for charts that are about neither a track nor a level.
export const NEUTRAL = { before: '#9aa8b8', after: '#1f3a5f', bar: '#3d5a80', light: '#b7c4d4' };

const live = new Set();

// Chart.js (71 KiB compressed) is loaded by chartLibrary() (or early by
// app.js), which adds its script element once: not by index.html, so it does
// not compete for the line with the app's own modules, and not on the sign-in
// page. Its fingerprinted URL is in index.html's <meta name="switchyard-chartjs">. A chart asked for
// before it has loaded is drawn as soon as it has (or, if it failed, gets
// the "unavailable" note). Resolves to window.Chart, or null.
let ready = null;
let configured = false;
function lib() {
  const Chart = window.Chart || null;
  if (Chart && !configured) { configure(Chart); configured = true; }
  return Chart;
}
export const CHART_JS = ['switchyard-chartjs', 'vendor/chart.umd.js'];
export function chartLibrary() {
  if (!ready) ready = window.Chart ? Promise.resolve(lib()) : loadScript(...CHART_JS).then(lib);
  return ready;
}

// Defaults: no animation (fast first paint, stable screenshots), the page font.
function configure(Chart) {
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.color = '#2b3645';
  Chart.defaults.borderColor = '#dde3ea';
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
  Chart.defaults.font.size = 12;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 12;
  // Printing scales each canvas to its column with CSS (see style.css), so
  // charts need no redraw for paper.
}

// Destroys every chart (run by the router, through onLeave, when the page changes).
let generation = 0; // pages shown so far: a late draw for a page gone is dropped
export function destroyCharts() {
  generation += 1;
  for (const c of live) c.destroy();
  live.clear();
}
onLeave(destroyCharts);

// A figure with a chart and its data table.
//   title: caption; summary: one sentence for the aria-label (defaults to the
//   table's rows); config: Chart.js config {type, data, options, plugins};
//   columns: table header labels; rows: table rows (arrays of text);
//   height: px of the drawing area; className: extra class on the figure.
// hideTitle: the panel's heading already says it; the title stays for
// screen readers, the table's caption and the chart's label.
export function chartFigure({ title, summary, config, columns, rows, height = 260, className, note, hideTitle }) {
  const text = (c) => (c instanceof Node ? c.textContent : c);
  const label = `${title}. ${summary || rows.map((r) => r.map(text).join(' ')).join('; ')}`.slice(0, 600);
  const canvas = h('canvas', { role: 'img', 'aria-label': label },
    `${title}: see the data table.`);
  const box = h('div', { class: 'chart-box', style: { height: `${height}px` } }, canvas);
  const tbl = table({
    columns: columns.map((c, i) => ({ label: c, num: i > 0, value: (r) => r[i] })),
    rows,
    caption: title,
  });
  const details = h('details', { class: 'chart-data' },
    h('summary', null, 'Show data table'),
    scroller(`${title} (data table)`, tbl));
  const fig = h('figure', { class: `chart ${className || ''}`.trim() },
    h('figcaption', null, h('span', { class: hideTitle ? 'chart-title visually-hidden' : 'chart-title' }, title), note ? h('span', { class: 'chart-note' }, note) : null),
    box, details);
  const now = lib();
  if (now) {
    draw(now, canvas, box, details, config);
  } else {
    const mine = generation;
    chartLibrary().then((Lib) => { if (mine === generation) draw(Lib, canvas, box, details, config); });
  }
  return fig;
}

function draw(Lib, canvas, box, details, config) {
  if (!Lib) {
    box.replaceChildren(h('p', { class: 'problem' }, 'Charts are unavailable (Chart.js did not load); the table below holds the figures.'));
    details.open = true;
    return;
  }
  try {
    const chart = new Lib(canvas, config);
    live.add(chart);
  } catch (err) {
    box.replaceChildren(h('p', { class: 'problem' }, `This chart could not be drawn: ${err.message}`));
    details.open = true;
  }
}

// A plugin that draws the HHI band thresholds (1,000 and 1,800) across a bar chart.
export const hhiBands = {
  id: 'hhiBands',
  afterDatasetsDraw(chart) {
    const horizontal = chart.options.indexAxis === 'y';
    const scale = horizontal ? chart.scales.x : chart.scales.y;
    const { ctx, chartArea: a } = chart;
    ctx.save();
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 1.5;
    ctx.font = '11px system-ui, sans-serif';
    // The high line's label sits above it, the moderate line's below it.
    for (const [v, text, colour, above] of [[1000, 'moderate ≥ 1,000', '#6b4f00', false], [1800, 'high > 1,800', '#8f1d17', true]]) {
      const p = scale.getPixelForValue(v);
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.beginPath();
      if (horizontal) { ctx.moveTo(p, a.top); ctx.lineTo(p, a.bottom); } else { ctx.moveTo(a.left, p); ctx.lineTo(a.right, p); }
      ctx.stroke();
      ctx.textBaseline = above ? 'bottom' : 'top';
      const w = ctx.measureText(text).width;
      const x = horizontal ? p + 3 : a.right - w - 4;
      const y = horizontal ? a.top + (above ? 12 : 14) : (above ? p - 2 : p + 2);
      // A white plate keeps the label legible over bars.
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(x - 2, above ? y - 12 : y, w + 4, 12);
      ctx.fillStyle = colour;
      ctx.fillText(text, x, y);
    }
    ctx.restore();
  },
};

// Shortens a label for an axis (the data table keeps the full text).
export const short = (s, n = 34) => (String(s).length > n ? `${String(s).slice(0, n - 1)}…` : String(s));

// A timeline of contract notice deadlines and end dates.
//   items: [{name, notice: 'YYYY-MM-DD', end: 'YYYY-MM-DD', counterparty, autoRenew}]
//   today: 'YYYY-MM-DD'; horizonDays: how far to show (default: to the last end).
export function timelineFigure({ title, items, today, horizonDays, note, hideTitle }) {
  const t0 = parseDay(today);
  const off = (d) => (d ? Math.round((parseDay(d) - t0) / DAY_MS) : null);
  const lastEnd = Math.max(30, ...items.map((i) => off(i.end) || 0));
  const span = horizonDays || Math.min(lastEnd + 15, 366 * 6);
  const shown = items.filter((i) => {
    const n = off(i.notice); const e = off(i.end);
    return (n !== null && n >= 0 && n <= span) || (e !== null && e >= 0 && e <= span);
  }).sort((a, b) => (off(a.notice) ?? 1e9) - (off(b.notice) ?? 1e9));
  // Axis labels shorten to the room there is (a phone's chart is ~300px wide).
  const labels = shown.map((i) => i.name);
  const decide = shown.map((i) => [0, Math.max(0, Math.min(off(i.notice) ?? 0, span))]);
  const notice = shown.map((i) => [Math.max(0, off(i.notice) ?? 0), Math.min(off(i.end) ?? span, span)]);
  // Ticks on month starts (every 1, 3, 6 or 12 months depending on the span).
  const step = span <= 400 ? 1 : span <= 800 ? 3 : span <= 1500 ? 6 : 12;
  const ticks = [];
  const start = new Date(t0);
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth() + 1; ; m += 1) {
    const t = Date.UTC(y, m, 1);
    const v = Math.round((t - t0) / DAY_MS);
    if (v > span) break;
    if (new Date(t).getUTCMonth() % step === 0) ticks.push(v);
  }
  const rows = shown.map((i) => [i.name, i.counterparty || '—', date(i.notice),
    off(i.notice) === null ? '—' : number(off(i.notice)), date(i.end), i.autoRenew ? 'Yes' : 'No']);
  // "due in N days" at the end of each bar of time left, and a "Today" line.
  const dueText = (n) => (n === 0 ? 'due today' : n === 1 ? 'due in 1 day' : `due in ${number(n)} days`);
  const marks = {
    id: 'deadlineMarks',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area, scales: { x, y } } = chart;
      ctx.save();
      const x0 = x.getPixelForValue(0);
      ctx.strokeStyle = '#a3322b';
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(x0, area.top);
      ctx.lineTo(x0, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = '600 11px system-ui, sans-serif';
      ctx.textBaseline = 'bottom';
      ctx.fillStyle = '#a3322b';
      ctx.fillText('Today', Math.max(0, x0 - 14), area.top - 2);
      ctx.textBaseline = 'middle';
      shown.forEach((it, i) => {
        const n = off(it.notice);
        if (n === null || n < 0 || n > span) return;
        const text = dueText(n);
        const w = ctx.measureText(text).width;
        const px = x.getPixelForValue(n);
        const tx = px + 6 + w <= area.right ? px + 6 : Math.max(area.left + 2, px - 6 - w);
        const ty = y.getPixelForValue(i);
        // A light box under the text keeps it readable over either bar.
        ctx.fillStyle = 'rgba(255,255,255,0.9)';
        ctx.fillRect(tx - 2, ty - 7, w + 4, 14);
        ctx.fillStyle = n <= 30 ? '#a3322b' : '#1f1f1f';
        ctx.fillText(text, tx, ty);
      });
      ctx.restore();
    },
  };
  const config = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'Time left to give notice', data: decide, backgroundColor: NEUTRAL.light, grouped: false, barPercentage: 0.7 },
        { label: 'Notice period (deadline to end date)', data: notice, backgroundColor: NEUTRAL.after, grouped: false, barPercentage: 0.7 },
      ],
    },
    options: {
      indexAxis: 'y',
      layout: { padding: { top: 16 } },
      scales: {
        x: {
          type: 'linear', min: 0, max: span,
          // Month ticks, thinned so that their labels (about 64px each) never overlap.
          afterBuildTicks: (axis) => {
            const room = axis.maxWidth || axis.width || 600;
            const every = Math.max(1, Math.ceil((ticks.length * 64) / Math.max(64, room)));
            axis.ticks = ticks.filter((_, i) => i % every === 0).map((value) => ({ value }));
          },
          ticks: { callback: (v) => monthLabel(t0 + v * DAY_MS), autoSkip: true, maxRotation: 0 },
        },
        y: { ticks: { autoSkip: false, callback(v) { return short(labels[v], this.chart.width < 520 ? 18 : 38); } } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { title: (items) => (items[0] ? labels[items[0].dataIndex] : ''), label: (c) => `${c.dataset.label}: ${monthLabel(t0 + c.raw[0] * DAY_MS)} – ${date(new Date(t0 + c.raw[1] * DAY_MS).toISOString())}` } },
      },
    },
    plugins: [marks],
  };
  return chartFigure({
    title, note, config, hideTitle,
    summary: shown.length
      ? `The dashed line is today. ${shown.map((i) => `${i.name}: notice by ${date(i.notice)}${off(i.notice) !== null && off(i.notice) >= 0 ? ` (${dueText(off(i.notice))})` : ''}, ends ${date(i.end)}`).join('; ')}`
      : 'No notice deadline or end date in this period.',
    columns: ['Contract', 'Counterparty', 'Notice deadline', 'Days left', 'End date', 'Auto-renews'],
    rows,
    height: Math.max(140, 60 + shown.length * 30),
  });
}
