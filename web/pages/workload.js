// pages/workload.js - one workload (#/workloads/{id}): every field, its
// dependencies with provider, publisher and host, the customer contracts that
// cover them, and the risk explanation: each factor with its points and the
// reason naming the offering or contract that caused it.
import { h, link, fill, table, scroller, dl, replace } from '../dom.js';
import { request, get, loadCatalogue } from '../api.js';
import { money, number, label, date, timestamp, yesNo, trackName } from '../format.js';
import { whenSession, can } from '../session.js';
import { pageHeader, panel, figures, levelBadge, trackTag } from '../widgets.js';

export function render({ main, params, signal, setTitle }) {
  setTitle(`Workload ${params.id}`);
  const top = h('div', null);
  const interim = pageHeader(`Workload ${params.id}`);
  main.append(interim, top);
  const wl = request('GET', `/workloads/${params.id}`, { signal }).then((r) => r.data);
  const cat = loadCatalogue();
  const model = get('/risk/model', { signal });
  for (const p of [wl, cat, model]) p.catch(() => {});
  fill(top, () => Promise.all([wl, cat, model]), ([w, c, m]) => {
    setTitle(w.name);
    interim.remove();
    return page(w, c, m);
  }, 'Loading the workload');
}

function page(w, cat, model) {
  const actions = h('div', null, link('#/workloads', 'Back to the register'));
  whenSession().then(() => {
    if (can('edit_workloads')) {
      const edit = link(`#/workloads/${w.id}/edit`, 'Edit this workload');
      edit.classList.add('button');
      actions.prepend(edit, ' ');
    }
  });
  const risk = panel('Why it scores this way', { id: 'risk', wide: true });
  const deps = panel('Dependencies', { id: 'deps', full: true });
  const fields = panel('Details', { id: 'details' });
  const contracts = panel('Customer contracts covering its offerings', { id: 'covering', full: true });
  replace(risk.body, riskPart(w, model));
  replace(deps.body, depsPart(w, cat));
  replace(fields.body, detailsPart(w));
  replace(contracts.body, contractsPart(w, cat));
  return h('div', null,
    pageHeader(w.name, { lead: w.purpose || null, actions }),
    figures([
      { label: 'Lock-in risk', value: levelBadge(w.risk.level, w.risk.score), note: `score ${w.risk.score} of 100`, tone: w.risk.flagged ? 'alert' : null },
      { label: 'Flagged', value: w.risk.flagged ? 'Yes' : 'No', note: w.risk.flagged ? flagReason(w) : 'not flagged for lock-in' },
      { label: 'Monthly spend', value: money(w.monthly_spend) },
      { label: 'Business criticality', value: label(w.criticality), note: `${label(w.status)} · ${trackName(w.track)} track` },
    ]),
    h('div', { class: 'grid' }, risk.el, fields.el, deps.el, contracts.el));
}

function flagReason(w) {
  return `priority ${w.risk.priority}: ${w.risk.level} lock-in at ${w.criticality} business criticality`;
}

function riskPart(w, model) {
  const applied = new Set(w.risk.factors.map((f) => f.code));
  const missing = (model && model.factors ? model.factors : []).filter((f) => !applied.has(f.code));
  const total = w.risk.factors.reduce((s, f) => s + f.points, 0);
  const tbl = table({
    caption: `Factors that apply: ${w.risk.factors.length}`,
    columns: [
      { label: 'Factor', value: (f) => label(f.code) },
      { label: 'Points', num: true, value: (f) => number(f.points) },
      { label: 'Reason', value: (f) => f.reason },
    ],
    rows: w.risk.factors,
    empty: 'No lock-in factor applies.',
    className: 'factors',
  });
  tbl.append(h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'Score'),
    h('td', { class: 'num' }, number(w.risk.score)),
    h('td', null, total > 100 ? `${number(total)} points, capped at 100: ` : '', levelBadge(w.risk.level)))));
  return h('div', null,
    h('p', null, `Score ${w.risk.score} of 100, level `, levelBadge(w.risk.level), w.risk.flagged ? ', flagged.' : ', not flagged.'),
    scroller('Risk factors', tbl),
    missing.length ? h('details', null, h('summary', null, `Factors that do not apply (${missing.length})`),
      h('ul', null, missing.map((f) => h('li', null, h('strong', null, `${label(f.code)} (${f.points} points): `), f.rule)))) : null,
    h('p', { class: 'muted' }, link('#/reports', 'How the score is computed (risk model)')));
}

function depsPart(w, cat) {
  const vendor = (id) => (id === null || id === undefined ? '—' : `${cat.vendorName(id)}${cat.groupName(id) !== cat.vendorName(id) ? ` (${cat.groupName(id)})` : ''}`);
  return scroller('Dependencies', table({
    caption: `${w.dependencies.length} dependencies`,
    columns: [
      { label: 'Offering', value: (d) => link(`#/offerings/${d.offering}`, cat.offeringName(d.offering)) },
      { label: 'Role', value: (d) => label(d.role) },
      { label: 'Track', value: (d) => (cat.offering.get(d.offering) ? trackTag(cat.offering.get(d.offering).track) : '—') },
      { label: 'Interface', value: (d) => label(cat.offering.get(d.offering)?.interface) },
      { label: 'Provider', value: (d) => vendor(cat.offering.get(d.offering)?.provider) },
      { label: 'Publisher', value: (d) => vendor(cat.offering.get(d.offering)?.publisher) },
      { label: 'Host', value: (d) => vendor(cat.offering.get(d.offering)?.host) },
    ],
    rows: w.dependencies,
    empty: 'No dependency recorded.',
  }));
}

function detailsPart(w) {
  return dl([
    ['Name', w.name],
    ['Purpose', w.purpose],
    ['Owner', w.owner],
    ['Team', w.team],
    ['Track', trackTag(w.track)],
    ['Status', label(w.status)],
    ['Business criticality', label(w.criticality)],
    ['Data classification', label(w.data_classification)],
    ['Users', number(w.users)],
    ['Monthly spend', money(w.monthly_spend)],
    ['Planned end', w.planned_end ? date(w.planned_end) : 'None set'],
    ['EU AI Act tier', label(w.ai_act_tier)],
    ['Swap layer', yesNo(w.swap_layer)],
    ['Second model validated', yesNo(w.second_model_validated)],
    ['Proprietary features', w.proprietary_features && w.proprietary_features.length
      ? h('ul', { class: 'plain' }, w.proprietary_features.map((f) => h('li', null, f))) : 'None'],
    ['Notes', w.notes],
    ['Created', timestamp(w.created_at)],
    ['Updated', timestamp(w.updated_at)],
  ]);
}

function contractsPart(w, cat) {
  const mine = new Set(w.dependencies.map((d) => d.offering));
  const list = cat.contracts.filter((c) => c.kind === 'customer' && (c.offerings || []).some((o) => mine.has(o)));
  return scroller('Covering contracts', table({
    caption: 'Customer contracts that cover one of its offerings',
    columns: [
      { label: 'Contract', value: (c) => link(`#/contracts/${c.id}`, c.name) },
      { label: 'Counterparty', value: (c) => cat.vendorName(c.counterparty) },
      { label: 'Notice deadline', nowrap: true, value: (c) => date(c.notice_deadline) },
      { label: 'End date', nowrap: true, value: (c) => date(c.end_date) },
      { label: 'Exclusive', value: (c) => yesNo(c.exclusive) },
      { label: 'Exit clause', value: (c) => label(c.exit_clause) },
      { label: 'Substitutability', value: (c) => label(c.substitutability) },
    ],
    rows: list,
    empty: 'No customer contract covers its offerings.',
  }));
}
