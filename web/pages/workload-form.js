// pages/workload-form.js - register (#/workloads/new) or edit
// (#/workloads/{id}/edit) a workload. The API does the validating: its
// problem details are shown beside the fields their JSON Pointers name
// (/name, /dependencies/0/offering, /alternatives/0/offering). Alternatives
// are named per dependency: first the dependency, then the offering that
// could replace it (exit drills, on the workload's page, prove them). While the architect types, the risk score
// is recomputed by POST /api/v1/workloads/preview (writes nothing). Saving an
// edit sends If-Match; a 412 (someone else saved first) is explained, with a
// choice to keep one's own edits or load the other version.
import { h, link, fill, replace, errorBox, announce } from '../dom.js';
import { request, loadCatalogue, ApiError } from '../api.js';
import { label, trackName, money, date, timestamp } from '../format.js';
import { go } from '../route.js';
import { whenSession, can, session } from '../session.js';
import { pageHeader, levelBadge } from '../widgets.js';
import { TRACKS, STATUSES, CRITICALITIES, CLASSIFICATIONS, AI_ACT_TIERS, DEPENDENCY_ROLES, ANNEX_III_AREAS, FRIA_STATUSES } from '../enums.js';

const ENUMS = {
  track: TRACKS,
  status: STATUSES,
  criticality: CRITICALITIES,
  data_classification: CLASSIFICATIONS,
  ai_act_tier: AI_ACT_TIERS,
  function_critical: ['yes', 'no', 'not_assessed'],
  annex_iii_area: ANNEX_III_AREAS,
  fria_status: FRIA_STATUSES,
};
const ROLES = DEPENDENCY_ROLES;
const ROLE_FOR_CATEGORY = { model_api: 'model', assistant: 'assistant', platform: 'hosting', data_store: 'data', identity: 'identity', tooling: 'tooling' };

// The form's fields, in fieldsets. kind: text, textarea, select, number, date, check, lines, list (comma-separated).
const SECTIONS = [
  ['What it is', [
    { name: 'name', label: 'Name', kind: 'text', required: true },
    { name: 'purpose', label: 'Purpose', kind: 'textarea' },
    { name: 'owner', label: 'Owner', kind: 'text', required: true },
    { name: 'team', label: 'Team', kind: 'text' },
  ]],
  ['How it is governed', [
    { name: 'track', label: 'Strategy track', kind: 'select', required: true },
    { name: 'status', label: 'Status', kind: 'select', required: true },
    { name: 'criticality', label: 'Business criticality', kind: 'select', required: true },
    { name: 'data_classification', label: 'Data classification', kind: 'select', required: true },
    { name: 'ai_act_tier', label: 'EU AI Act tier', kind: 'select', required: true },
  ]],
  ['Scale and plan', [
    { name: 'users', label: 'Users', kind: 'number', step: '1', hint: 'A whole number up to 10,000,000. Leave empty if not known (unknown is not 0).' },
    { name: 'monthly_spend', label: 'Monthly spend (USD)', kind: 'number', step: '0.01', hint: 'Up to 1,000,000,000, in dollars and cents.' },
    { name: 'planned_end', label: 'Planned end', kind: 'date', hint: 'Leave empty if it has no planned end.' },
  ]],
  ['Compliance', [
    { name: 'allowed_regions', label: 'Allowed data regions', kind: 'list', hint: 'Where its data may be processed, separated by commas (for example: EU, UK). Empty: anywhere.' },
    { name: 'oversight_owner', label: 'Human-oversight owner', kind: 'text', hint: 'EU AI Act: the person who oversees it.' },
    { name: 'impact_assessment', label: 'Impact assessment on file', kind: 'date', hint: 'EU AI Act: day of the fundamental-rights impact assessment. Empty: none.' },
    // The EU AI Act deployer register (Art. 26, 27, Annex III).
    { name: 'annex_iii_area', label: 'Annex III area', kind: 'select', none: 'None', hint: 'EU AI Act Annex III: required when the tier is high.' },
    { name: 'ai_system_provider', label: 'Provider of the AI system', kind: 'vendor', hint: 'EU AI Act: the vendor that provides the AI system; your own organisation when built in-house.' },
    { name: 'intended_purpose', label: 'Intended purpose', kind: 'textarea', hint: 'EU AI Act: what it is used for, as the provider\'s instructions for use state it.' },
    { name: 'log_retention_months', label: 'Log retention (months)', kind: 'number', step: '1', hint: 'EU AI Act Art. 26(6): at least 6 for a high-risk system. 0 or empty: not recorded.' },
    { name: 'fria_status', label: 'Impact assessment status', kind: 'select', none: 'Not assessed', hint: 'EU AI Act Art. 27: done needs its day above.' },
    { name: 'affected_persons_informed', label: 'Affected persons informed on', kind: 'date', hint: 'EU AI Act Art. 26(11). Empty: not yet.' },
    { name: 'incident_contact', label: 'Incident contact', kind: 'text', hint: 'EU AI Act Art. 26(5): who reports serious incidents (name, role, mailbox).' },
  ]],
  ['DORA register of information', [
    { name: 'function_id', label: 'Function identifier', kind: 'text', hint: 'The business function it supports, as the register names it (for example F1).' },
    { name: 'function_name', label: 'Function name', kind: 'text' },
    { name: 'function_critical', label: 'Critical or important function', kind: 'select' },
    { name: 'rto_hours', label: 'Recovery time objective (hours)', kind: 'number', step: '1', hint: 'Empty: not set.' },
    { name: 'rpo_hours', label: 'Recovery point objective (hours)', kind: 'number', step: '1', hint: 'Empty: not set.' },
  ]],
  ['Portability', [
    { name: 'swap_layer', label: 'Has a swap layer (an agent layer or gateway that can change model and cloud without a rebuild)', kind: 'check' },
    { name: 'proprietary_features', label: 'Proprietary features it relies on', kind: 'lines', hint: 'One per line.' },
    { name: 'notes', label: 'Notes', kind: 'textarea' },
  ]],
];
const FIELDS = SECTIONS.flatMap(([, f]) => f);
const FIELD_LABEL = Object.fromEntries([...FIELDS.map((f) => [f.name, f.label]), ['dependencies', 'Dependencies'], ['alternatives', 'Alternatives']]);

export function render({ main, params, signal, setTitle }) {
  const editing = Boolean(params.id);
  setTitle(editing ? 'Edit workload' : 'Register a workload');
  const slot = h('div', null);
  const interim = pageHeader(editing ? `Edit workload ${params.id}` : 'Register a workload');
  main.append(interim, slot);
  const cat = loadCatalogue();
  const current = editing ? request('GET', `/workloads/${params.id}`, { signal }) : Promise.resolve(null);
  for (const p of [cat, current]) p.catch(() => {});
  fill(slot, () => Promise.all([whenSession(), cat, current]), ([, c, cur]) => {
    if (!can('edit_workloads')) {
      return h('div', null,
        errorBox({ title: 'Not allowed', detail: `Your role (${session().role}) can read workloads but not register or edit them.` }));
    }
    if (cur) setTitle(`Edit ${cur.data.name}`);
    interim.remove();
    return new WorkloadForm({ editing, id: params.id, cat: c, base: cur ? cur.data : null, etag: cur ? cur.etag : null, signal }).el;
  }, 'Loading the form');
}

class WorkloadForm {
  constructor({ editing, id, cat, base, etag, signal }) {
    this.editing = editing;
    this.id = id;
    this.cat = cat;
    this.base = base;
    this.etag = etag;
    this.signal = signal;
    this.controls = {};
    this.errors = {};
    this.deps = base ? base.dependencies.map((d) => ({ ...d })) : [];
    this.alts = base ? (base.alternatives || []).map((a) => ({ ...a })) : [];
    this.previewUnavailable = false;
    this.build();
    if (base) this.fillFrom(base);
    else this.renderDeps();
    if (editing) this.preview();
  }

  build() {
    const title = this.editing ? `Edit: ${this.base.name}` : 'Register a workload';
    this.summary = h('div', { class: 'form-summary', tabindex: '-1' });
    this.conflict = h('div', { class: 'form-conflict' });
    this.depList = h('div', { class: 'dep-list' });
    this.depError = h('p', { class: 'field-error', id: 'f-dependencies-error', hidden: true });
    this.altList = h('div', { class: 'alt-list' });
    this.altError = h('p', { class: 'field-error', id: 'f-alternatives-error', hidden: true });
    this.saveButton = h('button', { type: 'submit' }, this.editing ? 'Save changes' : 'Register workload');
    const sections = SECTIONS.map(([legend, fields]) => h('fieldset', null, h('legend', null, legend), fields.map((f) => this.field(f))));
    const depsSet = h('fieldset', { class: 'deps', 'aria-describedby': 'f-dependencies-error' },
      h('legend', null, 'Dependencies'),
      h('p', { class: 'hint' }, 'The offerings it relies on, each with the role it plays.'),
      this.depList, this.depError,
      h('button', { type: 'button', class: 'secondary', onclick: () => { this.readDeps(); this.deps.push({ offering: '', role: '' }); this.renderDeps(true); this.changed(); } }, 'Add a dependency'));
    this.addAlt = h('button', { type: 'button', class: 'secondary', onclick: () => { this.readAlts(); this.alts.push({ dependency: '', offering: '' }); this.renderAlts(true); this.changed(); } }, 'Add an alternative');
    const altsSet = h('fieldset', { class: 'deps alts', 'aria-describedby': 'f-alternatives-error' },
      h('legend', null, 'Alternatives'),
      h('p', { class: 'hint' }, 'For a dependency, an offering that could replace it. An alternative from another vendor group that passed an exit drill in the last 180 days makes that dependency portable.'),
      this.altList, this.altError, this.addAlt);
    this.form = h('form', { class: 'workload-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); this.save(); },
      oninput: (e) => { this.clearOne(e.target); this.changed(); }, onchange: (e) => { this.clearOne(e.target); this.changed(); } },
    this.summary, this.conflict, sections.slice(0, 3), depsSet, altsSet, sections.slice(3),
    h('div', { class: 'form-actions' }, this.saveButton, ' ',
      link(this.editing ? `#/workloads/${this.id}` : '#/workloads', 'Cancel')));
    this.previewBody = h('div', { class: 'preview-body' });
    this.previewStatus = h('p', { class: 'preview-status muted', role: 'status' },
      this.editing ? '' : 'Fill in the name, track, status and criticality to see the score.');
    const aside = h('aside', { class: 'preview panel', 'aria-labelledby': 'preview-h' },
      h('h2', { id: 'preview-h' }, 'Lock-in risk if saved'),
      h('p', { class: 'hint' }, 'Recomputed by the server as you change fields; nothing is saved until you press the button.'),
      this.previewStatus, h('div', { 'aria-live': 'polite' }, this.previewBody));
    this.el = h('div', null,
      pageHeader(title, { lead: 'Fields marked “required” must be filled in. The server checks every field and says what to fix beside it.' }),
      h('div', { class: 'form-layout' }, this.form, aside));
  }

  field(f) {
    const id = `f-${f.name}`;
    const errId = `${id}-error`;
    const hintId = f.hint ? `${id}-hint` : null;
    const described = [hintId, errId].filter(Boolean).join(' ');
    let control;
    if (f.kind === 'select') {
      control = h('select', { id, name: f.name, required: f.required, 'aria-describedby': described },
        f.initial ? null : h('option', { value: '' }, f.none || 'Choose…'),
        ENUMS[f.name].map((v) => h('option', { value: v, selected: f.initial === v }, f.name === 'track' ? trackName(v) : label(v))));
    } else if (f.kind === 'vendor') {
      control = h('select', { id, name: f.name, 'aria-describedby': described },
        h('option', { value: '' }, 'Not recorded'),
        [...this.cat.vendors].sort((a, b) => a.name.localeCompare(b.name)).map((v) => h('option', { value: String(v.id) }, v.name)));
    } else if (f.kind === 'textarea' || f.kind === 'lines') {
      control = h('textarea', { id, name: f.name, rows: f.kind === 'lines' ? 3 : 3, 'aria-describedby': described });
    } else if (f.kind === 'check') {
      control = h('input', { type: 'checkbox', id, name: f.name, 'aria-describedby': described });
    } else if (f.kind === 'list') {
      control = h('input', { type: 'text', id, name: f.name, 'aria-describedby': described, autocomplete: 'off' });
    } else {
      control = h('input', {
        type: f.kind, id, name: f.name, required: f.required, 'aria-describedby': described,
        step: f.step, min: f.kind === 'number' ? '0' : null, inputmode: f.kind === 'number' ? (f.step === '1' ? 'numeric' : 'decimal') : null,
        autocomplete: 'off',
      });
    }
    this.controls[f.name] = control;
    const err = h('p', { class: 'field-error', id: errId, hidden: true });
    this.errors[f.name] = err;
    const lab = h('label', { for: id }, f.label, f.required ? h('span', { class: 'req' }, ' (required)') : null);
    if (f.kind === 'check') {
      return h('div', { class: 'field check', dataset: { field: f.name } }, control, lab, err);
    }
    return h('div', { class: 'field', dataset: { field: f.name } }, lab,
      f.hint ? h('p', { class: 'hint', id: hintId }, f.hint) : null, control, err);
  }

  // Dependency rows: an offering picker (grouped by track) and a role.
  renderDeps(focusLast = false) {
    const offerings = [...this.cat.offerings].sort((a, b) => a.name.localeCompare(b.name));
    const rows = this.deps.map((d, i) => {
      const offId = `f-dep-${i}-offering`;
      const roleId = `f-dep-${i}-role`;
      const errId = `f-dep-${i}-error`;
      const off = h('select', { id: offId, 'aria-describedby': errId, dataset: { dep: i, part: 'offering' } },
        h('option', { value: '' }, 'Choose an offering…'),
        TRACKS.map((t) => h('optgroup', { label: trackName(t) },
          offerings.filter((o) => o.track === t).map((o) => h('option', { value: String(o.id), selected: Number(d.offering) === o.id },
            `${o.name} (${this.cat.vendorName(o.provider)})`)))));
      const role = h('select', { id: roleId, 'aria-describedby': errId, dataset: { dep: i, part: 'role' } },
        h('option', { value: '' }, 'Choose a role…'),
        ROLES.map((r) => h('option', { value: r, selected: d.role === r }, label(r))));
      off.addEventListener('change', () => {
        const o = this.cat.offering.get(Number(off.value));
        if (o && !role.value && ROLE_FOR_CATEGORY[o.category]) role.value = ROLE_FOR_CATEGORY[o.category];
        this.readAlts(); this.renderAlts();
      });
      role.addEventListener('change', () => { this.readAlts(); this.renderAlts(); });
      return h('div', { class: 'dep-row', role: 'group', 'aria-label': `Dependency ${i + 1}` },
        h('div', { class: 'field' }, h('label', { for: offId }, `Offering ${i + 1}`), off),
        h('div', { class: 'field' }, h('label', { for: roleId }, 'Role'), role),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove dependency ${i + 1}`,
          onclick: () => { this.readDeps(); this.deps.splice(i, 1); this.renderDeps(); this.focusAfterRemove(this.depList, i, 'Add a dependency'); this.changed(); } }, 'Remove'),
        h('p', { class: 'field-error', id: errId, hidden: true }));
    });
    replace(this.depList, rows.length ? rows : h('p', { class: 'muted' }, 'No dependency yet.'));
    if (focusLast && rows.length) rows[rows.length - 1].querySelector('select').focus();
    if (this.altList) { this.readAlts(); this.renderAlts(); }
  }

  // After a row's Remove: focus the row now in its place (its first
  // control), else the one before, else the list's Add button; never the body.
  focusAfterRemove(list, i, addLabel) {
    const rows = list.querySelectorAll('.dep-row, .alt-row');
    const row = rows[Math.min(i, rows.length - 1)];
    const target = row ? row.querySelector('select') : [...this.form.querySelectorAll('button')].find((b) => b.textContent === addLabel);
    if (target) target.focus();
  }

  // Alternative rows: the dependency it replaces (one of the dependencies
  // above), then the replacement offering (any other offering).
  renderAlts(focusLast = false) {
    const depIds = [...new Set(this.deps.map((d) => Number(d.offering)).filter(Boolean))];
    const roleOf = (id) => (this.deps.find((d) => Number(d.offering) === id) || {}).role;
    const offerings = [...this.cat.offerings].sort((a, b) => a.name.localeCompare(b.name));
    const rows = this.alts.map((a, i) => {
      const depId = `f-alt-${i}-dependency`;
      const offId = `f-alt-${i}-offering`;
      const errId = `f-alt-${i}-error`;
      const known = depIds.includes(Number(a.dependency));
      const dep = h('select', { id: depId, 'aria-describedby': errId, dataset: { alt: i, part: 'dependency' } },
        h('option', { value: '' }, depIds.length ? 'Choose a dependency…' : 'Add a dependency first'),
        depIds.map((id) => h('option', { value: String(id), selected: Number(a.dependency) === id },
          `${this.cat.offeringName(id)}${roleOf(id) ? ` (${label(roleOf(id))})` : ''}`)),
        a.dependency !== '' && a.dependency !== null && !known
          ? h('option', { value: String(a.dependency), selected: true }, `${this.cat.offeringName(Number(a.dependency))} (no longer a dependency)`) : null);
      const chosen = Number(a.dependency);
      const off = h('select', { id: offId, 'aria-describedby': errId, disabled: !a.dependency, dataset: { alt: i, part: 'offering' } },
        h('option', { value: '' }, a.dependency ? 'Choose the replacement…' : 'Choose the dependency first'),
        TRACKS.map((t) => h('optgroup', { label: trackName(t) },
          offerings.filter((o) => o.track === t && o.id !== chosen).map((o) => h('option', { value: String(o.id), selected: Number(a.offering) === o.id },
            `${o.name} (${this.cat.groupName(o.provider)})`)))));
      dep.addEventListener('change', () => {
        off.disabled = !dep.value;
        this.readAlts(); this.renderAlts();
        const again = document.getElementById(depId);
        if (again) again.focus();
      });
      return h('div', { class: 'alt-row', role: 'group', 'aria-label': `Alternative ${i + 1}` },
        h('div', { class: 'field' }, h('label', { for: depId }, `Alternative ${i + 1}: replaces`), dep),
        h('div', { class: 'field' }, h('label', { for: offId }, 'With'), off),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove alternative ${i + 1}`,
          onclick: () => { this.readAlts(); this.alts.splice(i, 1); this.renderAlts(); this.focusAfterRemove(this.altList, i, 'Add an alternative'); this.changed(); } }, 'Remove'),
        h('p', { class: 'field-error', id: errId, hidden: true }));
    });
    replace(this.altList, rows.length ? rows : h('p', { class: 'muted' }, 'No alternative named yet.'));
    this.altsDrawn = true;
    if (focusLast && rows.length) rows[rows.length - 1].querySelector('select').focus();
  }

  readAlts() {
    if (!this.altsDrawn) return; // nothing on screen yet: this.alts is what there is
    this.alts = [...this.altList.querySelectorAll('.alt-row')].map((row) => ({
      dependency: row.querySelector('[data-part="dependency"]').value,
      offering: row.querySelector('[data-part="offering"]').value,
    }));
  }

  readDeps() {
    this.deps = [...this.depList.querySelectorAll('.dep-row')].map((row) => ({
      offering: row.querySelector('[data-part="offering"]').value,
      role: row.querySelector('[data-part="role"]').value,
    }));
  }

  fillFrom(w) {
    for (const f of FIELDS) {
      const c = this.controls[f.name];
      const v = w[f.name];
      if (f.kind === 'check') c.checked = Boolean(v);
      else if (f.kind === 'lines') c.value = (v || []).join('\n');
      else if (f.kind === 'list') c.value = (v || []).join(', ');
      else c.value = v === null || v === undefined || (f.name.endsWith('_hours') && v < 0) ? '' : String(v);
    }
    this.deps = (w.dependencies || []).map((d) => ({ ...d }));
    this.alts = (w.alternatives || []).map((a) => ({ ...a }));
    this.renderAlts();
    this.renderDeps();
  }

  // The workload document, as POST /workloads and PUT take it.
  collect() {
    const doc = {};
    for (const f of FIELDS) {
      const c = this.controls[f.name];
      if (f.kind === 'check') doc[f.name] = c.checked;
      else if (f.kind === 'lines') doc[f.name] = c.value.split('\n').map((s) => s.trim()).filter(Boolean);
      else if (f.kind === 'list') doc[f.name] = c.value.split(',').map((s) => s.trim()).filter(Boolean);
      else if (f.kind === 'number') { if (c.value !== '') doc[f.name] = Number(c.value); }
      else if (f.kind === 'date') doc[f.name] = c.value || null;
      else if (f.kind === 'select') { if (c.value !== '') doc[f.name] = c.value; }
      else if (f.kind === 'vendor') doc[f.name] = c.value === '' ? null : Number(c.value);
      else if (f.name === 'name' || f.name === 'owner' || f.name === 'team') doc[f.name] = c.value.trim();
      else doc[f.name] = c.value;
    }
    this.readDeps();
    doc.dependencies = this.deps.map((d) => ({
      offering: d.offering === '' ? null : Number(d.offering), role: d.role === '' ? null : d.role,
    }));
    this.readAlts();
    doc.alternatives = this.alts.map((a) => ({
      dependency: a.dependency === '' ? null : Number(a.dependency), offering: a.offering === '' ? null : Number(a.offering),
    }));
    return doc;
  }

  changed() {
    if (this.previewUnavailable) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.preview(), 350);
  }

  async preview() {
    if (this.previewUnavailable) return;
    if (this.inflight) this.inflight.abort();
    const ctl = new AbortController();
    this.inflight = ctl;
    this.signal.addEventListener('abort', () => ctl.abort(), { once: true });
    this.previewStatus.textContent = 'Recomputing…';
    try {
      // When editing, "id" makes the server score this as an edit of that
      // workload (its own name is then no conflict).
      const body = this.editing ? { ...this.collect(), id: Number(this.id) } : this.collect();
      const { data } = await request('POST', '/workloads/preview', { body, signal: ctl.signal });
      this.previewStatus.textContent = '';
      replace(this.previewBody, this.warningsView(data.warnings), this.riskView(data.risk));
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      if (err.status === 404 || err.status === 405) {
        this.previewUnavailable = true;
        this.previewStatus.textContent = '';
        replace(this.previewBody, errorBox({
          title: 'Live scoring is not available',
          detail: `This server does not offer POST /api/v1/workloads/preview (HTTP ${err.status}). The score is computed when you save.`,
        }));
        return;
      }
      if (err.status === 400) {
        this.previewStatus.textContent = '';
        replace(this.previewBody, h('div', { class: 'preview-pending' },
          h('p', null, 'No score yet: the server needs these fields first.'),
          h('ul', null, err.errors.map((e) => h('li', null, `${pointerLabel(e.pointer)}: ${e.detail}`)))));
        return;
      }
      this.previewStatus.textContent = '';
      replace(this.previewBody, errorBox(err));
    }
  }

  // Legal but implausible values (the server's form rules): said in the
  // panel, naming the field; they never stop a save.
  warningsView(warnings) {
    if (!warnings || !warnings.length) return null;
    return h('div', { class: 'preview-warnings callout' },
      h('p', null, h('strong', null, 'Check before saving:')),
      h('ul', null, warnings.map((w) => h('li', { dataset: { pointer: w.pointer } }, `${pointerLabel(w.pointer)}: ${w.detail}`))));
  }

  riskView(risk) {
    const was = this.base ? this.base.risk : null;
    return h('div', null,
      h('p', { class: 'preview-score' }, levelBadge(risk.level, risk.score), ' ',
        h('span', null, `score ${risk.score} of 100`), risk.flagged ? h('span', { class: 'badge flagged' }, 'Flagged') : null),
      was && was.score !== risk.score ? h('p', { class: 'muted' }, `Saved score: ${was.score} (${was.level}).`) : null,
      risk.factors.length
        ? h('ul', { class: 'preview-factors' }, risk.factors.map((f) => h('li', null,
          h('strong', null, `${label(f.code)}, ${f.points} points: `), f.reason)))
        : h('p', null, 'No lock-in factor applies.'));
  }

  // Once a flagged field is changed, its old message no longer applies.
  clearOne(control) {
    if (!control || control.getAttribute('aria-invalid') !== 'true') return;
    control.removeAttribute('aria-invalid');
    const name = control.name;
    if (name && this.errors[name]) {
      this.errors[name].hidden = true;
      this.errors[name].textContent = '';
    }
    const row = control.closest('.dep-row, .alt-row');
    if (row && !row.querySelector('[aria-invalid="true"]')) {
      const err = row.querySelector('.field-error');
      err.hidden = true;
      err.textContent = '';
    }
  }

  clearErrors() {
    replace(this.summary);
    replace(this.conflict);
    for (const [name, err] of Object.entries(this.errors)) {
      err.hidden = true; err.textContent = '';
      this.controls[name].removeAttribute('aria-invalid');
    }
    for (const [list, error] of [[this.depList, this.depError], [this.altList, this.altError]]) {
      error.hidden = true; error.textContent = '';
      for (const el of list.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
      for (const el of list.querySelectorAll('.field-error')) { el.hidden = true; el.textContent = ''; }
    }
  }

  // Shows each problem beside its field, and a summary on top that links to them.
  // extra: the form's own findings (required fields), [[pointer, detail]].
  showProblem(err, extra = []) {
    const items = [];
    const all = new Map(err ? err.byPointer() : []);
    for (const [pointer, detail] of extra) all.set(pointer, [...(all.get(pointer) || []), detail]);
    for (const [pointer, details] of all) {
      const target = this.placeError(pointer, details.join('; '));
      const words = inWords(pointer, details.join('; '));
      items.push(h('li', null, target
        ? h('button', { type: 'button', class: 'linklike', onclick: () => target.focus() }, words)
        : words));
    }
    const n = items.length;
    const title = n ? `Not saved: ${n === 1 ? 'one field needs' : `${n} fields need`} attention.` : `Not saved: ${err.title}`;
    replace(this.summary, h('div', { class: 'problem', role: 'alert' },
      h('p', { class: 'problem-title' }, title),
      err && err.detail && !n ? h('p', { class: 'problem-detail' }, err.detail) : null,
      items.length ? h('ul', null, items) : null));
    const first = this.form.querySelector('[aria-invalid="true"]');
    if (first) first.focus(); else this.summary.focus();
  }

  // Puts a message beside the field a JSON Pointer names; returns the control.
  placeError(pointer, message) {
    const parts = String(pointer || '').split('/').slice(1);
    const name = parts[0];
    if (name === 'alternatives') {
      if (parts.length === 1) { this.altError.hidden = false; this.altError.textContent = message; return this.altList.querySelector('select') || this.addAlt; }
      const row = this.altList.querySelectorAll('.alt-row')[Number(parts[1])];
      if (!row) { this.altError.hidden = false; this.altError.textContent = message; return null; }
      const control = row.querySelector(`[data-part="${parts[2] === 'offering' ? 'offering' : 'dependency'}"]`);
      control.setAttribute('aria-invalid', 'true');
      const err = row.querySelector('.field-error');
      err.hidden = false;
      const text = `${parts[2] === 'offering' ? 'Replacement' : (parts[2] ? 'Dependency replaced' : 'Alternative')} ${message}`;
      err.textContent = err.textContent ? `${err.textContent}. ${text}` : text;
      return control;
    }
    if (name === 'dependencies') {
      if (parts.length === 1) { this.depError.hidden = false; this.depError.textContent = message; return this.depList.querySelector('select') || null; }
      const i = Number(parts[1]);
      const row = this.depList.querySelectorAll('.dep-row')[i];
      if (!row) { this.depError.hidden = false; this.depError.textContent = message; return null; }
      const control = row.querySelector(`[data-part="${parts[2] === 'role' ? 'role' : 'offering'}"]`);
      control.setAttribute('aria-invalid', 'true');
      const err = row.querySelector('.field-error');
      err.hidden = false;
      const text = `${parts[2] ? label(parts[2]) : 'Dependency'}: ${message}`;
      err.textContent = err.textContent ? `${err.textContent}. ${text}` : text;
      return control;
    }
    if (this.controls[name]) {
      const err = this.errors[name];
      err.hidden = false;
      err.textContent = err.textContent ? `${err.textContent}; ${message}` : message;
      this.controls[name].setAttribute('aria-invalid', 'true');
      return this.controls[name];
    }
    return null;
  }

  // Dates the browser could not read (an impossible day typed in): an
  // error beside the field, never a silent "no date".
  badDates() {
    const bad = FIELDS.filter((f) => f.kind === 'date' && this.controls[f.name].validity && this.controls[f.name].validity.badInput);
    for (const f of bad) this.placeError(`/${f.name}`, `${f.label} must be a real date, for example 2027-02-28.`);
    return bad.length;
  }

  async save() {
    this.clearErrors();
    if (this.badDates()) {
      replace(this.summary, h('div', { class: 'problem', role: 'alert' }, h('p', { class: 'problem-title' }, 'Not saved: a date is not a real day.')));
      this.form.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    const body = this.collect();
    // Required decisions (owner, data classification, AI Act tier): said
    // here in the form's words ("EU AI Act tier must be chosen."), which
    // stand in for the server's on the same fields. The server is asked
    // about the rest at the same time, so every message shows in one pass.
    const missing = this.missingRequired(body);
    if (missing.length) {
      let err = null;
      try {
        await request('POST', '/workloads/preview', { body: this.editing ? { ...body, id: Number(this.id) } : body });
      } catch (e) {
        if (e instanceof ApiError && e.status === 400) err = e;
      }
      const mine = new Set(['/owner', '/data_classification', '/ai_act_tier']);
      if (err && Array.isArray(err.errors)) err.errors = err.errors.filter((e) => !mine.has(e.pointer));
      const taken = new Set(err ? err.errors.map((e) => e.pointer) : []);
      this.showProblem(err, missing.filter(([p]) => mine.has(p) || !taken.has(p)));
      return;
    }
    this.saveButton.disabled = true;
    try {
      const r = this.editing
        ? await request('PUT', `/workloads/${this.id}`, { body, etag: this.etag })
        : await request('POST', '/workloads', { body });
      announce(this.editing ? 'Changes saved.' : 'Workload registered.');
      go(`#/workloads/${r.data.id}`);
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      if (err instanceof ApiError && err.status === 412) await this.showConflict(body);
      else if (err instanceof ApiError) this.showProblem(err);
      else replace(this.summary, errorBox(err));
    } finally {
      this.saveButton.disabled = false;
    }
  }

  // The required fields left empty, as [pointer, detail] in words.
  missingRequired(body) {
    return FIELDS.filter((f) => f.required && (body[f.name] === undefined || body[f.name] === ''))
      .map((f) => [`/${f.name}`, f.kind === 'select' ? `${f.label} must be chosen.` : `${f.label} is required.`]);
  }

  // 412: someone saved this workload after it was opened here.
  async showConflict() {
    let latest;
    try {
      latest = await request('GET', `/workloads/${this.id}`, { signal: this.signal });
    } catch (err) {
      replace(this.conflict, errorBox(err, 'Someone else changed or removed this workload, and it could not be reloaded'));
      this.conflict.focus();
      return;
    }
    const theirs = latest.data;
    const changed = [...FIELDS.map((f) => f.name), 'dependencies', 'alternatives']
      .filter((k) => JSON.stringify(this.base[k] ?? null) !== JSON.stringify(theirs[k] ?? null));
    const box = h('div', { class: 'problem conflict', role: 'alert', tabindex: '-1' },
      h('p', { class: 'problem-title' }, 'Not saved: someone else changed this workload while you were editing it.'),
      h('p', null, `It was saved at ${timestamp(theirs.updated_at)} by another session. Your edits are still in the form and nothing of yours was written.`),
      changed.length
        ? h('div', null, h('p', null, 'What they changed:'), h('ul', null, changed.map((k) => h('li', null,
          h('strong', null, `${FIELD_LABEL[k] || k}: `), `${show(k, this.base[k], this.cat)} → ${show(k, theirs[k], this.cat)}`))))
        : h('p', null, 'Their save changed no field you can edit here (only its version).'),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', onclick: () => { this.base = theirs; this.etag = latest.etag; replace(this.conflict); this.save(); } }, 'Save my version over theirs'),
        ' ',
        h('button', { type: 'button', class: 'secondary', onclick: () => {
          this.base = theirs; this.etag = latest.etag; this.fillFrom(theirs); replace(this.conflict);
          announce('Their version is loaded; your edits were discarded.'); this.preview();
        } }, 'Discard my edits and load theirs')));
    replace(this.conflict, box);
    box.focus();
  }
}

// "Owner is required." stays as it is; a fragment ("must not be empty")
// reads after the field's name: "Name must not be empty."
function inWords(pointer, detail) {
  const d = String(detail || '').trim();
  const whole = /^[A-Z]/.test(d) ? d : `${pointerLabel(pointer)} ${d}`;
  return /[.!?]$/.test(whole) ? whole : `${whole}.`;
}

function pointerLabel(pointer) {
  if (!pointer) return 'Request';
  const parts = pointer.split('/').slice(1);
  if (parts[0] === 'alternatives' && parts.length > 1) return `Alternative ${Number(parts[1]) + 1}${parts[2] === 'offering' ? ' replacement' : (parts[2] ? ' dependency' : '')}`;
  if (parts[0] === 'allowed_regions' && parts.length > 1) return `Allowed region ${Number(parts[1]) + 1}`;
  if (parts[0] === 'dependencies' && parts.length > 1) return `Dependency ${Number(parts[1]) + 1}${parts[2] ? ` ${label(parts[2]).toLowerCase()}` : ''}`;
  if (parts[0] === 'proprietary_features' && parts.length > 1) return `Proprietary feature ${Number(parts[1]) + 1}`;
  return FIELD_LABEL[parts[0]] || label(parts[0]);
}

function show(key, v, cat) {
  if (v === null || v === undefined || v === '') return '(empty)';
  if (key === 'monthly_spend') return money(v);
  if (key === 'planned_end') return date(v);
  if (key === 'dependencies') return v.map((d) => `${cat.offeringName(d.offering)} as ${d.role}`).join(', ') || '(none)';
  if (key === 'alternatives') return v.map((a) => `${cat.offeringName(a.offering)} for ${cat.offeringName(a.dependency)}`).join(', ') || '(none)';
  if (key === 'impact_assessment' || key === 'affected_persons_informed') return date(v);
  if (key === 'ai_system_provider') return cat.vendorName(v);
  if (Array.isArray(v)) return v.join(', ') || '(none)';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}
