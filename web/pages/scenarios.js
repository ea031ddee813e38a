// pages/scenarios.js - what-if scenarios (#/scenarios, #/scenarios/{id}):
// build a list of changes from pickers (a vendor group exits, an offering is
// withdrawn, a contract ends on a date, a swap layer is added to workloads),
// evaluate it (POST /scenarios/evaluate, writes nothing), see the before and
// after charts (HHI per layer, lock-in distribution) and the stranded/movable
// table; save it, reopen it later.
import { h, link, fill, table, scroller, replace, errorBox, announce } from '../dom.js';
import { request, get, getAll, loadCatalogue, ApiError } from '../api.js';
import { money, number, label, trackName, date, timestamp } from '../format.js';
import { chartFigure, hhiBands, LEVELS, NEUTRAL } from '../charts.js';
import { TRACKS } from '../enums.js';
import { go } from '../route.js';
import { whenSession, can } from '../session.js';
import { pageHeader, panel, figures, trackTag, outcomeBadge } from '../widgets.js';

const LAYERS = ['provider', 'publisher', 'host'];
const OUTCOME_ORDER = { stranded: 0, movable: 1, unaffected: 2 };

export function render({ main, params, signal, setTitle }) {
  setTitle(params.id ? `Scenario ${params.id}` : 'Scenarios');
  const builder = panel('Build a scenario', { id: 'builder', wide: true });
  const saved = panel('Saved scenarios', { id: 'saved' });
  const results = panel('Result', { id: 'results', full: true });
  results.el.hidden = true;
  main.append(pageHeader('What-if scenarios', { lead: 'Apply changes to a copy of the portfolio and see which workloads are stranded, which can move, and how concentration shifts.' }),
    h('div', { class: 'grid' }, builder.el, saved.el, results.el));

  const opts = { signal };
  const cat = loadCatalogue();
  const workloads = getAll('/workloads', { sort: 'name' }, opts);
  const list = get('/scenarios?limit=100&sort=-updated_at', opts);
  const one = params.id ? request('GET', `/scenarios/${params.id}`, opts) : Promise.resolve(null);
  for (const p of [cat, workloads, list, one]) p.catch(() => {});

  const refreshSaved = (promise) => fill(saved.body, () => Promise.all([promise, whenSession()]), ([l]) => savedTable(l.items, signal, refreshSaved), 'Loading saved scenarios');
  refreshSaved(list);
  fill(builder.body, () => Promise.all([cat, workloads, one, whenSession()]), ([c, w, s]) => {
    const b = new Builder({ cat: c, workloads: w, saved: s, results, signal, refreshSaved });
    if (s) {
      setTitle(s.data.name);
      b.evaluate();
    }
    return b.el;
  }, 'Loading the catalogue');
}

function savedTable(items, signal, refresh) {
  return scroller('Saved scenarios', table({
    caption: `${items.length} saved`,
    columns: [
      { label: 'Scenario', value: (s) => link(`#/scenarios/${s.id}`, s.name) },
      { label: 'Owner', value: (s) => s.owner || '—' },
      { label: 'Changes', num: true, value: (s) => number((s.changes || []).length) },
      { label: 'Updated', value: (s) => timestamp(s.updated_at) },
      can('edit_scenarios') ? { label: 'Actions', value: (s) => h('button', {
        type: 'button', class: 'secondary small', 'aria-label': `Delete scenario ${s.name}`, onclick: async (e) => {
          if (!window.confirm(`Delete the scenario “${s.name}”?`)) return;
          e.target.disabled = true;
          try {
            await request('DELETE', `/scenarios/${s.id}`);
            announce('Scenario deleted.');
            refresh(get('/scenarios?limit=100&sort=-updated_at', { signal }));
          } catch (err) {
            e.target.replaceWith(errorBox(err));
          }
        },
      }, 'Delete') } : null,
    ].filter(Boolean),
    rows: items,
    empty: 'No scenario saved yet.',
  }));
}

class Builder {
  constructor({ cat, workloads, saved, results, signal, refreshSaved }) {
    this.cat = cat;
    this.workloads = workloads;
    this.wlById = new Map(workloads.map((w) => [w.id, w]));
    this.results = results;
    this.signal = signal;
    this.refreshSaved = refreshSaved;
    this.saved = saved ? { ...saved.data, etag: saved.etag } : null;
    this.changes = saved ? saved.data.changes.map((c) => ({ ...c })) : [];
    this.build();
    this.renderChanges();
  }

  build() {
    const c = this.cat;
    const groupSel = h('select', { id: 'sc-group' }, c.groups.slice().sort((a, b) => a.name.localeCompare(b.name)).map((g) => h('option', { value: g.id }, g.name)));
    const offSel = h('select', { id: 'sc-offering' }, TRACKS.map((t) => h('optgroup', { label: trackName(t) },
      c.offerings.filter((o) => o.track === t).sort((a, b) => a.name.localeCompare(b.name)).map((o) => h('option', { value: o.id }, o.name)))));
    const conSel = h('select', { id: 'sc-contract' }, c.contracts.slice().sort((a, b) => a.name.localeCompare(b.name))
      .map((k) => h('option', { value: k.id }, `${k.name}${k.end_date ? ` (ends ${date(k.end_date)})` : ''}`)));
    const onDate = h('input', { type: 'date', id: 'sc-contract-on', required: true });
    const setDate = () => { const k = c.contract.get(Number(conSel.value)); onDate.value = (k && k.end_date) || new Date().toISOString().slice(0, 10); };
    conSel.addEventListener('change', setDate);
    setDate();
    const active = this.workloads.filter((w) => w.status !== 'retired');
    const wlSel = h('select', { id: 'sc-workload' },
      h('optgroup', { label: 'Without a swap layer' }, active.filter((w) => !w.swap_layer).map((w) => h('option', { value: w.id }, w.name))),
      h('optgroup', { label: 'Already with a swap layer' }, active.filter((w) => w.swap_layer).map((w) => h('option', { value: w.id }, w.name))));
    const row = (id, title, controls, onAdd) => h('div', { class: 'picker' },
      h('div', { class: 'field grow' }, h('label', { for: id }, title), controls[0]),
      controls.slice(1),
      h('button', { type: 'button', class: 'secondary', onclick: onAdd }, 'Add'));
    this.changeList = h('ol', { class: 'changes' });
    this.noChange = h('p', { class: 'muted' }, 'No change yet. Add one above.');
    this.evaluateButton = h('button', { type: 'button', onclick: () => this.evaluate() }, 'Evaluate');
    this.status = h('div', { class: 'builder-status' });
    this.el = h('div', null,
      h('p', { class: 'hint' }, 'Pick changes from the lists; they apply together.'),
      h('div', { class: 'pickers' },
        row('sc-group', 'A vendor group exits', [groupSel], () => this.add({ type: 'exit_group', vendor: Number(groupSel.value) })),
        row('sc-offering', 'An offering is withdrawn', [offSel], () => this.add({ type: 'withdraw_offering', offering: Number(offSel.value) })),
        row('sc-contract', 'A contract ends', [conSel, h('div', { class: 'field' }, h('label', { for: 'sc-contract-on' }, 'on'), onDate)],
          () => this.add({ type: 'end_contract', contract: Number(conSel.value), on: onDate.value })),
        row('sc-workload', 'A swap layer is added to', [wlSel], () => this.addSwap(Number(wlSel.value)))),
      h('h3', null, 'Changes in this scenario'),
      h('div', { 'aria-live': 'polite' }, this.noChange, this.changeList),
      h('div', { class: 'form-actions' }, this.evaluateButton, ' ',
        h('button', { type: 'button', class: 'secondary', onclick: () => { this.changes = []; this.renderChanges(); } }, 'Clear all')),
      this.status,
      can('edit_scenarios') ? this.saveForm() : h('p', { class: 'muted' }, 'Your role can evaluate scenarios but not save them.'));
  }

  saveForm() {
    const s = this.saved || {};
    const field = (id, text, control) => h('div', { class: 'field' }, h('label', { for: id }, text), control,
      h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
    this.nameInput = h('input', { type: 'text', id: 'sc-name', value: s.name || '', 'aria-describedby': 'sc-name-error', required: true });
    this.ownerInput = h('input', { type: 'text', id: 'sc-owner', value: s.owner || '', 'aria-describedby': 'sc-owner-error' });
    this.descInput = h('textarea', { id: 'sc-description', rows: 2, 'aria-describedby': 'sc-description-error' });
    this.descInput.value = s.description || '';
    this.saveStatus = h('div', null);
    return h('form', { class: 'save-scenario', novalidate: true, onsubmit: (e) => { e.preventDefault(); this.save(false); } },
      h('h3', null, this.saved ? `Saved as “${this.saved.name}”` : 'Save this scenario'),
      field('sc-name', 'Name (required)', this.nameInput),
      field('sc-owner', 'Owner', this.ownerInput),
      field('sc-description', 'Description', this.descInput),
      this.saveStatus,
      h('div', { class: 'form-actions' },
        this.saved ? h('button', { type: 'button', onclick: () => this.save(true) }, 'Save changes') : null, ' ',
        h('button', { type: this.saved ? 'button' : 'submit', class: this.saved ? 'secondary' : null, onclick: this.saved ? () => this.save(false) : null },
          this.saved ? 'Save as a new scenario' : 'Save scenario')));
  }

  add(change) {
    this.changes.push(change);
    this.renderChanges();
  }

  addSwap(id) {
    const existing = this.changes.find((c) => c.type === 'add_swap_layer');
    if (existing) { if (!existing.workloads.includes(id)) existing.workloads.push(id); } else this.changes.push({ type: 'add_swap_layer', workloads: [id] });
    this.renderChanges();
  }

  describe(c) {
    const cat = this.cat;
    switch (c.type) {
      case 'exit_group': return `The ${cat.vendorName(c.vendor)} group exits`;
      case 'withdraw_offering': return `${cat.offeringName(c.offering)} is withdrawn`;
      case 'end_contract': return `${cat.contract.get(c.contract) ? cat.contract.get(c.contract).name : `Contract ${c.contract}`} ends on ${date(c.on)}`;
      case 'add_swap_layer': return `A swap layer is added to ${c.workloads.map((id) => (this.wlById.get(id) ? this.wlById.get(id).name : `workload ${id}`)).join(', ')}`;
      default: return `${label(c.type)}`;
    }
  }

  renderChanges() {
    this.noChange.hidden = this.changes.length > 0;
    this.changeList.hidden = this.changes.length === 0;
    replace(this.changeList, this.changes.map((c, i) => h('li', null, h('span', null, this.describe(c)), ' ',
      h('button', { type: 'button', class: 'secondary small', 'aria-label': `Remove: ${this.describe(c)}`,
        onclick: () => { this.changes.splice(i, 1); this.renderChanges(); } }, 'Remove'))));
  }

  async evaluate() {
    this.evaluateButton.disabled = true;
    this.results.el.hidden = false;
    try {
      await fill(this.results.body, () => request('POST', '/scenarios/evaluate', { body: { changes: this.changes }, signal: this.signal }).then((r) => r.data),
        (r) => resultView(r), 'Evaluating');
      announce('Scenario evaluated.');
    } finally {
      this.evaluateButton.disabled = false;
    }
  }

  async save(update) {
    for (const el of this.el.querySelectorAll('.save-scenario .field-error')) { el.hidden = true; el.textContent = ''; }
    for (const el of this.el.querySelectorAll('.save-scenario [aria-invalid]')) el.removeAttribute('aria-invalid');
    replace(this.saveStatus);
    const body = { name: this.nameInput.value.trim(), owner: this.ownerInput.value.trim(), description: this.descInput.value, changes: this.changes };
    try {
      const r = update
        ? await request('PUT', `/scenarios/${this.saved.id}`, { body, etag: this.saved.etag })
        : await request('POST', '/scenarios', { body });
      announce('Scenario saved.');
      if (update) {
        this.saved = { ...r.data, etag: r.etag };
        replace(this.saveStatus, h('p', { class: 'ok', role: 'status' }, `Saved at ${timestamp(r.data.updated_at)}.`));
        this.refreshSaved(get('/scenarios?limit=100&sort=-updated_at', { signal: this.signal }));
      } else {
        go(`#/scenarios/${r.data.id}`);
      }
    } catch (err) {
      if (!(err instanceof ApiError)) { replace(this.saveStatus, errorBox(err)); return; }
      if (err.status === 412) {
        replace(this.saveStatus, errorBox({ title: 'Not saved: someone else changed this scenario',
          detail: 'It was saved by another session after you opened it. Reopen it to see their version, or save yours as a new scenario.' }));
        return;
      }
      const inputs = { name: this.nameInput, owner: this.ownerInput, description: this.descInput };
      const other = [];
      for (const e of err.errors) {
        const key = (e.pointer || '').split('/')[1];
        if (inputs[key]) {
          const p = document.getElementById(`${inputs[key].id}-error`);
          p.hidden = false; p.textContent = e.detail;
          inputs[key].setAttribute('aria-invalid', 'true');
        } else other.push(e);
      }
      replace(this.saveStatus, errorBox({ ...err, title: `Not saved: ${err.title}`, detail: err.detail, errors: other }));
      const first = this.el.querySelector('.save-scenario [aria-invalid="true"]');
      if (first) first.focus();
    }
  }
}

// How a lost dependency moves (the migration table's paths).
const PATHS = {
  drilled_alternative: 'a drilled alternative', swap_layer: 'the swap layer',
  openai_compatible: 'an OpenAI-compatible interface', proprietary: 'a proprietary rebuild',
};

function resultView(r) {
  const s = r.summary;
  const tte = r.time_to_exit || {};
  const hhi = chartFigure({
    title: 'HHI per layer, before and after',
    config: {
      type: 'bar',
      data: { labels: LAYERS.map(label), datasets: [
        { label: 'Before', data: LAYERS.map((l) => r.before.hhi[l]), backgroundColor: NEUTRAL.before },
        { label: 'After', data: LAYERS.map((l) => r.after.hhi[l]), backgroundColor: NEUTRAL.after },
      ] },
      options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true, max: 10000, title: { display: true, text: 'HHI (0–10,000)' } } } },
      plugins: [hhiBands],
    },
    columns: ['Layer', 'HHI before', 'HHI after', 'Band before', 'Band after'],
    rows: LAYERS.map((l) => [label(l), number(r.before.hhi[l]), number(r.after.hhi[l]), label(r.before.bands[l]), label(r.after.bands[l])]),
  });
  const levels = chartFigure({
    title: 'Lock-in distribution, before and after',
    config: {
      type: 'bar',
      data: { labels: LEVELS.map(label), datasets: [
        { label: 'Before', data: LEVELS.map((l) => r.before.levels[l] || 0), backgroundColor: NEUTRAL.before },
        { label: 'After', data: LEVELS.map((l) => r.after.levels[l] || 0), backgroundColor: NEUTRAL.after },
      ] },
      options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Workloads' } } } },
    },
    columns: ['Level', 'Before', 'After'],
    rows: LEVELS.map((l) => [label(l), number(r.before.levels[l] || 0), number(r.after.levels[l] || 0)]),
  });
  const affected = [...r.workloads].sort((a, b) => (OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]) || (b.monthly_spend - a.monthly_spend));
  return h('div', null,
    figures([
      { label: 'Stranded', value: number(s.stranded), note: 'no alternative reachable', tone: s.stranded ? 'alert' : null },
      { label: 'Movable', value: number(s.movable), note: 'a named alternative, or a swap layer and a compatible interface' },
      { label: 'Unaffected', value: number(s.unaffected) },
      { label: 'Monthly spend at risk', value: money(s.spend_at_risk), note: `${money(s.spend_stranded)} of it stranded` },
      { label: 'Users at risk', value: number(s.users_at_risk), note: s.users_unknown ? `plus ${number(s.users_unknown)} ${s.users_unknown === 1 ? 'workload' : 'workloads'} with unknown users` : 'every affected workload\'s users known' },
      { label: 'Critical workloads at risk', value: number(s.critical_at_risk) },
      { label: 'Time to exit', value: `${number(tte.days)} days`, note: `bound until ${tte.binding_until || 'today'} (notice, exclusivity, commitment) + ${number(tte.migration_days)} days' migration` },
    ]),
    h('div', { class: 'split' }, hhi, levels),
    h('h3', null, 'Affected workloads'),
    scroller('Affected workloads', table({
      caption: `${affected.length} workloads affected: ${number(s.stranded)} stranded, ${number(s.movable)} movable`,
      columns: [
        { label: 'Workload', value: (w) => link(`#/workloads/${w.id}`, w.name) },
        { label: 'Outcome', value: (w) => outcomeBadge(w.outcome) },
        { label: 'Track', value: (w) => trackTag(w.track) },
        { label: 'Criticality', value: (w) => label(w.criticality) },
        { label: 'Monthly spend', num: true, value: (w) => money(w.monthly_spend) },
        { label: 'Migration', num: true, value: (w) => (w.migration_days !== undefined ? `${number(w.migration_days)} days` : '—') },
        { label: 'What it loses, and the replacement', value: (w) => h('ul', { class: 'plain' }, (w.lost || []).map((l) => h('li', null,
          `${l.offering.name}${l.role ? ` (${label(l.role)})` : ''} → `, (l.replacement || l.alternative) ? (l.replacement || l.alternative).name : h('strong', null, 'no replacement'),
          l.path ? h('span', { class: 'muted' }, ` via ${PATHS[l.path] || label(l.path)}${l.migration_days ? `, ${number(l.migration_days)} days` : ''}`) : null))) },
        { label: 'Why', value: (w) => w.reason || '' },
      ],
      rows: affected,
      empty: 'No workload is affected.',
      className: 'scenario-table',
    })),
    r.unavailable_offerings && r.unavailable_offerings.length
      ? h('p', null, h('strong', null, 'Offerings no longer available: '), r.unavailable_offerings.map((o) => o.name).join(', '), '.')
      : null);
}
