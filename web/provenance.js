// provenance.js - where a catalogue fact comes from and how fresh it is
// (domain.md: every catalogue fact carries a source and an as-of date; one
// older than the review interval is shown as stale). Used by the vendor,
// offering and contract pages (not the overview, to keep its first load small).
import { h, link } from './dom.js';
import { date } from './format.js';

// A catalogue fact's provenance: its source (a link when it is a URL) and
// its as-of date, marked stale when older than the review interval (or
// missing). reviewDays from GET /risk/model (review_days), default 180.
export function isStale(asOf, reviewDays = 180, today = new Date().toISOString().slice(0, 10)) {
  if (!asOf) return true;
  const a = Date.parse(`${asOf}T00:00:00Z`);
  const t = Date.parse(`${today}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(t)) return true;
  return (t - a) / 86400000 > reviewDays;
}
export function staleMark(asOf, reviewDays = 180) {
  if (!isStale(asOf, reviewDays)) return null;
  return h('span', { class: 'badge stale', title: asOf ? `Not checked for more than ${reviewDays} days` : 'Never checked against a source' },
    asOf ? 'Stale' : 'Stale: no date');
}
export function sourceLink(source) {
  if (!source) return h('span', { class: 'muted' }, 'No source recorded');
  return /^https?:\/\//i.test(source) ? link(source, source.replace(/^https?:\/\//i, '').replace(/\/$/, '')) : h('span', null, source);
}
// "Source: docs.example.com/x · as of 5 Dec 2026 [Stale]" on one line.
export function provenance(item, reviewDays = 180) {
  return h('span', { class: 'provenance' }, sourceLink(item.source), ' · ',
    item.as_of ? `as of ${date(item.as_of)}` : h('span', { class: 'muted' }, 'no as-of date'), ' ', staleMark(item.as_of, reviewDays));
}
