// pages/actions.js - "Act on these", the top of the leadership overview: the
// few things to do first, across every track, each with what is concerned,
// the next step, what it changes, an owner and a date where the data knows
// them. Built from answers the overview already has or cheaply asks for:
// the summary's notice deadlines, and the flagged workloads with their risk
// factors (GET /workloads?flagged=true&sort=priority). Order: deadlines within
// 30 days, then P1 workloads, then deadlines within 90 days, then P2.
import { h, link } from '../dom.js';
import { number, date, label } from '../format.js';
import { severityBadge } from '../widgets.js';

export const SHOWN = 5;

// The next step for each factor: what removes its points.
const STEPS = {
  no_swap_layer: 'Put it behind an agent layer or gateway that can swap model and cloud',
  single_group_stack: 'Add a model, hosting, assistant or data dependency from another vendor group',
  proprietary_interface: 'Move to an OpenAI-compatible or open-standard interface and drop proprietary features',
  contract_lock: 'Renegotiate the covering contract: exit clause, data portability, no exclusivity or commitment',
  no_validated_alternative: 'Name an alternative model from another group and drill the switch',
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
export function actions(summary, flagged) {
  const list = [
    ...(summary.deadlines || []).filter((d) => d.days_left <= 90).map(deadlineAction),
    ...flagged.map(workloadAction),
  ];
  return list.sort((a, b) => a.rank - b.rank
    || (a.when && b.when ? a.when.localeCompare(b.when) : 0)
    || (b.score || 0) - (a.score || 0));
}

export function actionsView([summary, flagged]) {
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
      link('#/contracts', 'the contracts'), '.') : null);
}
