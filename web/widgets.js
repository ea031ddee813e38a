// widgets.js - small page parts shared by several pages: headline figure
// cards, panels, labelled badges (risk level, priority, track, band,
// outcome, accepted), sparklines for the cards, the findings lists (strategy findings, compliance
// findings) and a pager for lists that page through the API.
import { h, link } from './dom.js';
import { label, trackName, bandName, number, date } from './format.js';

// The page heading; tabindex -1 so the router can move focus to it.
export function pageHeader(title, { lead, actions, track } = {}) {
  return h('header', { class: `page-header${track ? ` track-band track-${track}` : ''}` },
    h('div', null,
      h('h1', { tabindex: '-1' }, title),
      lead ? h('p', { class: 'lead' }, lead) : null),
    actions ? h('div', { class: 'actions' }, actions) : null);
}

// A titled section. Returns {el, body}; body is where the content goes.
export function panel(title, { id, wide, full, half, level = 2, note } = {}) {
  const body = h('div', { class: 'panel-body' });
  const headingId = id ? `${id}-h` : null;
  const el = h('section', {
    class: `panel${wide ? ' wide' : ''}${full ? ' full' : ''}${half ? ' half' : ''}`, id, 'aria-labelledby': headingId,
  }, h(`h${level}`, { id: headingId }, title), note ? h('p', { class: 'panel-note' }, note) : null, body);
  return { el, body };
}

// Headline figures: [{label, value, note, tone, href, spark}] as cards; with
// href the value links to the list behind it (the register with its
// filters); spark is a node (a sparkline) shown under the value.
export function figures(items) {
  return h('dl', { class: 'figures' }, items.map((f) => h('div', { class: `figure${f.tone ? ` tone-${f.tone}` : ''}` },
    h('dt', null, f.label),
    h('dd', { class: 'value' }, f.href ? link(f.href, f.value) : f.value),
    f.note ? h('dd', { class: 'note' }, f.note) : null,
    f.spark ? h('dd', { class: 'spark' }, f.spark) : null)));
}

// ---- sparklines -------------------------------------------------------------
// A headline figure's last days as a small inline SVG line (no Chart.js: the
// overview shows them on its first load) with its trend in words, from the
// days of GET /portfolio/history?days=30. pick(figures) gives the value of a
// day; fmt formats a change. The words are the accessible text and are shown
// beside the line: "up 3 in 30 days", "unchanged in 30 days".
const SVG = 'http://www.w3.org/2000/svg';
const DAY = 86400000;
export function sparkline(values, label) {
  const w = 120, hgt = 28;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(hgt));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('focusable', 'false');
  const pts = values.map((v, i) => [i, v]).filter(([, v]) => v !== null && v !== undefined && Number.isFinite(v));
  if (!pts.length) return svg;
  const ys = pts.map(([, v]) => v);
  const lo = Math.min(...ys), span = Math.max(...ys) - lo || 1;
  const n = values.length - 1 || 1;
  const xy = ([i, v]) => [(i / n * (w - 6) + 3).toFixed(1), (hgt - 4 - (v - lo) / span * (hgt - 8)).toFixed(1)];
  const el = (name, attrs) => { const e = document.createElementNS(SVG, name); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; };
  if (pts.length > 1) {
    svg.append(el('path', { d: pts.map((p, k) => `${k ? 'L' : 'M'}${xy(p).join(',')}`).join(' '), fill: 'none', stroke: 'currentColor', 'stroke-width': '1.5' }));
  }
  const [x, y] = xy(pts[pts.length - 1]);
  svg.append(el('circle', { cx: x, cy: y, r: '2.5', fill: 'currentColor' }));
  return svg;
}

// "up 3 in 30 days" between the first and the last day that has a value.
export function trendWords(days, values, fmt = number) {
  const have = values.map((v, i) => [v, days[i]]).filter(([v]) => v !== null && v !== undefined && Number.isFinite(v));
  if (have.length < 2) return 'no earlier figures yet';
  const [[first, d0], [last, d1]] = [have[0], have[have.length - 1]];
  const n = Math.round((Date.parse(`${d1}T00:00:00Z`) - Date.parse(`${d0}T00:00:00Z`)) / DAY);
  const span = `in ${number(n)} ${n === 1 ? 'day' : 'days'}`;
  const change = Math.round((last - first) * 100) / 100;
  if (!change) return `unchanged ${span}`;
  return `${change > 0 ? 'up' : 'down'} ${fmt(Math.abs(change))} ${span}`;
}

// The spark of a headline card from a history answer: the line, labelled
// with what it shows and its trend, and the trend in words beside it.
export function figureSpark(hist, { pick, name, fmt }) {
  const days = (hist && hist.days) || [];
  if (!days.length) return null;
  const values = days.map((d) => { try { return pick(d.figures); } catch { return null; } });
  const words = trendWords(days.map((d) => d.day), values, fmt);
  return h('span', { class: 'spark-line' },
    sparkline(values, `${name}: ${words}`),
    h('span', { class: 'spark-words', 'aria-hidden': 'true' }, words));
}

// Risk level as a labelled badge ("High 57"); colour is never the only cue.
export function levelBadge(level, score) {
  return h('span', { class: `badge level-${level}` },
    h('span', { class: 'badge-label' }, label(level)),
    score !== undefined && score !== null ? h('span', { class: 'badge-score' }, String(score)) : null);
}

// Track as a small tag with its colour swatch and name.
export function trackTag(track) {
  return h('span', { class: `track-tag track-${track}` }, trackName(track));
}

// Concentration band ("Highly concentrated").
export function bandBadge(band) {
  return h('span', { class: `badge band-${band}` }, bandName(band));
}

// Scenario outcome (stranded, movable, unaffected) and finding severity.
export function outcomeBadge(outcome) {
  return h('span', { class: `badge outcome-${outcome}` }, label(outcome));
}
export function severityBadge(sev) {
  return h('span', { class: `badge sev-${sev}` }, label(sev));
}

export function flaggedMark(flagged, accepted) {
  if (flagged) return h('span', { class: 'badge flagged' }, 'Flagged');
  if (accepted) return acceptedMark(accepted);
  return h('span', { class: 'muted' }, 'No');
}

// Priority P1..P4 (lock-in against business criticality) as a badge whose
// text says it, colour only repeating it.
export function priorityBadge(p) {
  if (!p) return h('span', { class: 'muted' }, '—');
  return h('span', { class: `badge priority priority-${p}` }, p);
}

// A risk acceptance in force: "Accepted until 30 Jun 2027" (owner in the
// title and for screen readers).
export function acceptedMark(a) {
  return h('span', { class: 'badge accepted', title: a.owner ? `Accepted by ${a.owner}` : null },
    `Accepted until ${date(a.expires_on)}`,
    a.owner ? h('span', { class: 'visually-hidden' }, ` by ${a.owner}`) : null);
}


// Findings in plain words, each with links to the workloads it names.
export function findingsList(findings) {
  if (!findings || !findings.length) return h('p', { class: 'muted' }, 'No findings for this track.');
  return h('ol', { class: 'findings' }, findings.map((f) => h('li', { class: `finding finding-${f.severity}` },
    h('p', null, severityBadge(f.severity), ' ', h('span', { class: 'finding-text' }, f.text)),
    f.workloads && f.workloads.length
      ? h('p', { class: 'chips' }, h('span', { class: 'visually-hidden' }, 'Workloads named: '),
        f.workloads.map((w) => link(`#/workloads/${w.id}`, w.name)))
      : null)));
}

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 };
const FINDINGS_SHOWN = 4;
// Compliance findings (GET /compliance, or the summary's and a strategy
// view's "compliance"): the most severe first, each with what to do and
// the workloads concerned; past the first few, the rest one click away.
export function complianceFindings(f, empty = 'No compliance finding.') {
  const items = [...(f.items || [])].sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3));
  if (!items.length) return h('p', { class: 'muted' }, empty);
  // The summary and strategy views carry the most severe findings only;
  // the counts (total, by_severity) always cover all of them.
  const total = f.total ?? items.length;
  const bySeverity = f.by_severity || Object.fromEntries(['high', 'medium', 'low'].map((s) => [s, items.filter((i) => i.severity === s).length]));
  const counts = ['high', 'medium', 'low'].map((s) => [s, bySeverity[s] || 0]).filter(([, n]) => n);
  const item = (i) => {
    const named = i.workloads || [];
    const unnamed = (i.n_workloads ?? named.length) - named.length;
    return h('li', { class: `finding finding-${i.severity}` },
      h('p', null, severityBadge(i.severity), ' ', h('strong', null, i.title)),
      i.detail ? h('p', { class: 'finding-text' }, i.detail) : null,
      i.action ? h('p', { class: 'finding-text' }, h('strong', null, 'What to do: '), i.action) : null,
      named.length
        ? h('p', { class: 'chips' }, h('span', { class: 'visually-hidden' }, 'Workloads concerned: '),
          named.map((w) => link(`#/workloads/${w.id}`, w.name)),
          unnamed > 0 ? h('span', { class: 'muted' }, ` and ${number(unnamed)} more`) : null)
        : null);
  };
  const first = items.slice(0, FINDINGS_SHOWN);
  const rest = items.slice(FINDINGS_SHOWN);
  const unlisted = total - items.length;
  return h('div', null,
    h('p', null, `${number(total)} ${total === 1 ? 'finding' : 'findings'}: `, counts.map(([s, n]) => `${number(n)} ${s}`).join(', '), '.'),
    h('ol', { class: 'findings compliance-findings' }, first.map(item)),
    rest.length ? h('details', { class: 'more-findings' }, h('summary', null, `${number(rest.length)} more ${rest.length === 1 ? 'finding' : 'findings'}`),
      h('ol', { class: 'findings compliance-findings', start: String(FINDINGS_SHOWN + 1) }, rest.map(item))) : null,
    unlisted > 0 ? h('p', { class: 'muted' }, `The ${number(unlisted)} least severe ${unlisted === 1 ? 'finding is' : 'findings are'} not listed here; the governance report and GET /api/v1/compliance list every one.`) : null);
}

// Prev/next pager for API lists: {total, limit, offset, onPage(offset)}.
export function pager({ total, limit, offset, onPage, label: what = 'items' }) {
  const from = total ? offset + 1 : 0;
  const to = Math.min(offset + limit, total);
  const prev = h('button', { type: 'button', class: 'secondary', disabled: offset <= 0, onclick: () => onPage(Math.max(0, offset - limit)) }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary', disabled: offset + limit >= total, onclick: () => onPage(offset + limit) }, 'Next page');
  return h('nav', { class: 'pager', 'aria-label': `Pages of ${what}` },
    prev, h('span', { class: 'pager-status', 'aria-live': 'polite' }, `${number(from)}–${number(to)} of ${number(total)} ${what}`), next);
}

// Runs start once: on the first scroll anywhere, or when el comes into view
// (what a page need not load at first, e.g. the trend charts' history).
export function whenWanted(el, signal, start) {
  let done = false;
  const io = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((es) => { if (es.some((e) => e.isIntersecting)) go(); }) : null;
  function stop() { io?.disconnect(); document.removeEventListener('scroll', go, true); }
  function go() {
    if (done || signal.aborted) return;
    done = true;
    stop();
    start();
  }
  io?.observe(el);
  document.addEventListener('scroll', go, { capture: true, passive: true });
  signal.addEventListener('abort', stop);
}
