// evidence.js - a workload's evidence (GET /workloads/{id}/evidence) for
// its page: which fields an import set (source and date beside each; the
// rest are declared), the actual monthly spend from cost data beside the
// declared one with the difference, and whether usage evidence is stale.
import { h, table, scroller } from './dom.js';


// An amount with two decimals (and a currency code when given).
const amount = (v, cur = '') => `${Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${cur}`.trim();

export function evidencePart(ev) {
  const parts = [];
  if (!ev.provenance.length) {
    parts.push(h('p', { class: 'evidence-declared' }, 'Every fact of this workload is declared: none was imported.'));
  } else {
    parts.push(scroller('Where its facts came from', table({
      caption: 'Fields set by an import (the others are declared)',
      className: 'provenance-table',
      columns: [
        { label: 'Field', value: (p) => p.field },
        { label: 'Source', value: (p) => h('code', null, p.source) },
        { label: 'Observed', value: (p) => p.observed_at },
      ],
      rows: ev.provenance,
    })));
  }
  if (ev.actual_spend.length) {
    parts.push(scroller('Actual against declared monthly spend', table({
      caption: 'Actual monthly spend (cost data) against declared',
      className: 'actual-spend-table',
      columns: [
        { label: 'Month', value: (s) => s.month },
        { label: 'Actual', value: (s) => amount(s.actual, s.currency) },
        { label: 'Declared', value: (s) => amount(s.declared, ev.currency || '') },
        { label: 'Difference', value: (s) => (s.difference === null ? 'other currency' : `${s.difference > 0 ? '+' : ''}${amount(s.difference)}`) },
      ],
      rows: ev.actual_spend,
    })));
    parts.push(h('p', { class: ev.usage_stale ? 'evidence-stale' : 'evidence-fresh' },
      ev.usage_stale
        ? `Usage evidence is stale: last observed ${ev.usage_observed}, more than ${ev.stale_after_days} days ago.`
        : `Usage evidence last observed ${ev.usage_observed}.`));
  }
  return h('div', { class: 'evidence' }, parts);
}
