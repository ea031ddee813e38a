// pages/workload.js - one workload (#/workloads/{id}): every field, its
// dependencies with provider, publisher and host, the customer contracts that
// cover them, and the risk explanation: each factor with its points and the
// reason naming the offering or contract that caused it. Also its priority,
// its named alternatives with their exit drills (and a form to record one,
// for architects and admins), and its risk acceptances (and a form to
// accept the risk, and revoke buttons, for leadership and admins). The
// forms check what the server checks before sending, show the server's
// field errors beside the fields, and keep what was typed until it is saved.
import { h, link, fill, table, scroller, dl, replace, errorBox, announce } from '../dom.js';
import { request, get, post, del, loadCatalogue } from '../api.js';
import { money, number, label, date, timestamp, yesNo, trackName, daysBetween } from '../format.js';
import { whenSession, can } from '../session.js';
import { pageHeader, panel, figures, levelBadge, trackTag, priorityBadge, acceptedMark } from '../widgets.js';
import { field, setFieldError } from '../forms.js';
import { evidencePart } from '../evidence.js';

// Today (UTC) and the last day an acceptance may run to: one year ahead,
// as the server counts it (the same day next year, or the month's last day).
const todayIso = () => new Date().toISOString().slice(0, 10);
export function yearAhead(today) {
  const [y, m, d] = today.split('-').map(Number);
  const last = new Date(Date.UTC(y + 1, m, 0)).getUTCDate();
  return `${y + 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
// A real calendar day written YYYY-MM-DD.
export function realDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return false;
  const t = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return t.getUTCFullYear() === +m[1] && t.getUTCMonth() === +m[2] - 1 && t.getUTCDate() === +m[3];
}
const PROVEN_DAYS = 180;

export function render({ main, params, signal, setTitle }) {
  setTitle(`Workload ${params.id}`);
  const top = h('div', null);
  const interim = pageHeader(`Workload ${params.id}`);
  main.append(interim, top);
  const id = params.id;
  const wl = request('GET', `/workloads/${id}`, { signal }).then((r) => r.data);
  const cat = loadCatalogue();
  const model = get('/risk/model', { signal });
  const drills = get(`/workloads/${id}/drills`, { signal });
  const accepts = get(`/workloads/${id}/acceptances`, { signal });
  for (const p of [wl, cat, model, drills, accepts]) p.catch(() => {});
  fill(top, () => Promise.all([wl, cat, model, drills, accepts, whenSession()]), ([w, c, m, d, a]) => {
    setTitle(w.name);
    interim.remove();
    return new WorkloadPage({ w, cat: c, model: m, drills: d.items, acceptances: a.items, signal }).el;
  }, 'Loading the workload');
}

// The page, in parts that are redrawn after a drill, an acceptance or a
// revocation (the forms are not redrawn: what is typed in one stays).
class WorkloadPage {
  constructor({ w, cat, model, drills, acceptances, signal }) {
    Object.assign(this, { w, cat, model, drills, acceptances, signal });
    const actions = h('div', null, link('#/workloads', 'Back to the register'));
    if (can('edit_workloads')) {
      const edit = link(`#/workloads/${w.id}/edit`, 'Edit this workload');
      edit.classList.add('button');
      actions.prepend(edit, ' ');
    }
    this.figs = h('div', null);
    this.status = h('div', { class: 'acceptance-status' });
    this.risk = panel('Why it scores this way', { id: 'risk', wide: true });
    this.deps = panel('Dependencies', { id: 'deps', full: true });
    this.fields = panel('Details', { id: 'details' });
    this.alts = panel('Alternatives and exit drills', { id: 'alternatives', full: true,
      note: `A dependency's exit is proven when an alternative from another vendor group passed an exit drill in the last ${PROVEN_DAYS} days.` });
    this.accept = panel('Risk acceptance', { id: 'acceptances', full: true,
      note: 'A named owner accepts the workload\'s lock-in until a date; while an acceptance is in force the workload is not flagged. The day after it expires it is flagged again if its priority still calls for it.' });
    this.contracts = panel('Customer contracts covering its offerings', { id: 'covering', full: true });
    this.evidence = panel('Evidence: observed and declared', { id: 'evidence', full: true });
    get(`/workloads/${w.id}/evidence`, { signal }).then((ev) => replace(this.evidence.body, evidencePart(ev))).catch(() => {});
    this.altList = h('div', null);
    this.acceptList = h('div', null);
    replace(this.alts.body, this.altList, can('edit_workloads') ? this.drillForm() : null);
    replace(this.accept.body, this.acceptList, can('accept_risk') ? this.acceptForm() : null);
    replace(this.deps.body, depsPart(w, cat));
    replace(this.contracts.body, contractsPart(w, cat));
    this.draw();
    this.el = h('div', null,
      pageHeader(w.name, { lead: w.purpose || null, actions }),
      this.status, this.figs,
      h('div', { class: 'grid' }, this.risk.el, this.fields.el, this.deps.el, this.alts.el, this.accept.el, this.contracts.el, this.evidence.el));
  }

  inForce() {
    return this.acceptances.filter((a) => a.in_force).sort((a, b) => b.expires_on.localeCompare(a.expires_on))[0] || null;
  }

  // Everything that follows the data (not the forms).
  draw() {
    const { w } = this;
    const acc = this.inForce();
    replace(this.status, acc ? h('div', { class: 'callout accepted-callout' },
      h('p', null, h('strong', null, `Accepted until ${date(acc.expires_on)} by ${acc.owner}.`), ' ', acc.reason)) : null);
    replace(this.figs, figures([
      { label: 'Lock-in risk', value: levelBadge(w.risk.level, w.risk.score), note: `score ${w.risk.score} of 100`, tone: w.risk.flagged ? 'alert' : null },
      { label: 'Priority', value: priorityBadge(w.risk.priority), note: `${label(w.risk.level)} lock-in at ${w.criticality} business criticality` },
      { label: 'Flagged', value: w.risk.flagged ? 'Yes' : (acc ? 'Accepted' : 'No'), note: flagNote(w, acc), tone: w.risk.flagged ? 'alert' : null },
      { label: 'Monthly spend', value: money(w.monthly_spend) },
      { label: 'Business criticality', value: label(w.criticality), note: `${label(w.status)} · ${trackName(w.track)} track` },
    ]));
    replace(this.risk.body, riskPart(w, this.model));
    replace(this.fields.body, detailsPart(w, this.cat));
    replace(this.altList, this.alternativesPart());
    replace(this.acceptList, this.acceptancesPart());
  }

  // Reads the workload, its drills and acceptances again, and redraws.
  async reload() {
    const [w, d, a] = await Promise.all([
      get(`/workloads/${this.w.id}`, { signal: this.signal }),
      get(`/workloads/${this.w.id}/drills`, { signal: this.signal }),
      get(`/workloads/${this.w.id}/acceptances`, { signal: this.signal }),
    ]);
    Object.assign(this, { w, drills: d.items, acceptances: a.items });
    this.draw();
  }

  offeringLabel(id) {
    const o = this.cat.offering.get(id);
    return o ? `${o.name} (${this.cat.groupName(o.provider)})` : this.cat.offeringName(id);
  }

  // The latest drill of an alternative, or null.
  lastDrill(a) {
    return this.drills.filter((d) => d.dependency === a.dependency && d.offering === a.offering)
      .sort((x, y) => y.drilled_on.localeCompare(x.drilled_on) || y.id - x.id)[0] || null;
  }

  alternativesPart() {
    const { w, cat } = this;
    const role = (off) => (w.dependencies.find((d) => d.offering === off) || {}).role;
    const group = (off) => (cat.offering.get(off) ? cat.groupName(cat.offering.get(off).provider) : null);
    const proof = (a) => {
      const d = this.lastDrill(a);
      if (group(a.offering) && group(a.offering) === group(a.dependency)) return 'Not proven: same vendor group';
      if (!d) return 'Not proven: never drilled';
      if (d.result !== 'passed') return 'Not proven: last drill failed';
      if (daysBetween(d.drilled_on, todayIso()) > PROVEN_DAYS) return `Not proven: last drill over ${PROVEN_DAYS} days ago`;
      return 'Exit proven';
    };
    const alts = scroller('Alternatives', table({
      caption: `${(w.alternatives || []).length} named alternatives, each with its last exit drill`,
      className: 'alternatives-table',
      columns: [
        { label: 'Dependency replaced', value: (a) => h('span', null, link(`#/offerings/${a.dependency}`, cat.offeringName(a.dependency)), role(a.dependency) ? ` (${label(role(a.dependency))})` : '') },
        { label: 'Alternative', value: (a) => link(`#/offerings/${a.offering}`, cat.offeringName(a.offering)) },
        { label: 'Group', value: (a) => group(a.offering) || '—' },
        { label: 'Last drill', nowrap: true, value: (a) => (this.lastDrill(a) ? date(this.lastDrill(a).drilled_on) : 'Never drilled') },
        { label: 'Result', value: (a) => (this.lastDrill(a) ? resultBadge(this.lastDrill(a).result) : '—') },
        { label: 'Exit', value: proof },
      ],
      rows: w.alternatives || [],
      empty: 'No alternative is named for any dependency.',
    }));
    const drills = scroller('Exit drills', table({
      caption: `Exit drills, newest first (${this.drills.length})`,
      className: 'drills-table',
      columns: [
        { label: 'Drilled on', nowrap: true, value: (d) => date(d.drilled_on) },
        { label: 'Replaced', value: (d) => cat.offeringName(d.dependency) },
        { label: 'Ran on', value: (d) => cat.offeringName(d.offering) },
        { label: 'Result', value: (d) => resultBadge(d.result) },
        { label: 'Evidence', value: (d) => d.evidence || '—' },
        { label: 'Recorded by', value: (d) => d.recorded_by },
      ],
      rows: [...this.drills].sort((x, y) => y.drilled_on.localeCompare(x.drilled_on) || y.id - x.id),
      empty: 'No exit drill is recorded.',
    }));
    return h('div', null, alts, drills,
      !(w.alternatives || []).length && can('edit_workloads')
        ? h('p', null, 'To drill an exit, first name an alternative for a dependency in ', link(`#/workloads/${w.id}/edit`, 'the workload\'s form'), '.') : null);
  }

  acceptancesPart() {
    const rows = this.acceptances;
    const state = (a) => {
      if (a.revoked_at) return `Revoked ${date(a.revoked_at)} by ${a.revoked_by}`;
      if (a.in_force) return 'In force';
      return 'Expired';
    };
    const columns = [
      { label: 'Owner', value: (a) => a.owner },
      { label: 'Reason', value: (a) => a.reason },
      { label: 'Expires', nowrap: true, value: (a) => date(a.expires_on) },
      { label: 'Status', value: (a) => (a.in_force ? h('span', { class: 'badge accepted' }, 'In force') : state(a)) },
      { label: 'Recorded', value: (a) => `${timestamp(a.created_at)} by ${a.created_by}` },
    ];
    if (can('accept_risk')) {
      columns.push({ label: 'Action', value: (a) => (a.in_force ? h('button', { type: 'button', class: 'secondary small',
        'aria-label': `Revoke the acceptance by ${a.owner} until ${date(a.expires_on)}`, onclick: (e) => this.revoke(a, e.currentTarget) }, 'Revoke') : '—') });
    }
    this.revokeStatus = h('div', { class: 'list-status' });
    const acc = this.inForce();
    const active = ['pilot', 'production'].includes(this.w.status);
    return h('div', null,
      h('p', { class: 'acceptance-line' }, acc
        ? `Accepted until ${date(acc.expires_on)} by ${acc.owner}.`
        : (this.w.risk.flagged ? `No acceptance in force: as ${this.w.risk.priority} it is flagged.`
          : `No acceptance in force${active ? '' : ` (it is ${this.w.status}, outside the active set)`}.`)),
      this.revokeStatus,
      scroller('Risk acceptances', table({
        caption: `Risk acceptances, newest first (${rows.length})`,
        className: 'acceptances-table',
        columns, rows, empty: 'Its risk has never been accepted.',
      })));
  }

  async revoke(a, button) {
    button.disabled = true;
    replace(this.revokeStatus);
    try {
      await del(`/acceptances/${a.id}`);
      await this.reload();
      announce(`Acceptance by ${a.owner} revoked.${this.w.risk.flagged ? ' The workload is flagged again.' : ''}`);
      const heading = document.getElementById('acceptances-h');
      if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      button.disabled = false;
      replace(this.revokeStatus, errorBox(err, 'Not revoked'));
    }
  }

  // "Accept this risk": owner, reason, expiry (today to one year ahead).
  acceptForm() {
    const today = todayIso();
    const max = yearAhead(today);
    const c = {
      owner: h('input', { type: 'text', name: 'owner', maxlength: '120', autocomplete: 'off' }),
      expires_on: h('input', { type: 'date', name: 'expires_on', min: today, max }),
      reason: h('textarea', { name: 'reason', rows: 3, maxlength: '2000' }),
    };
    const labels = { owner: 'Owner', reason: 'Reason', expires_on: 'Expires on' };
    const summary = h('div', { class: 'form-summary', tabindex: '-1' });
    const submit = h('button', { type: 'submit' }, 'Accept this risk');
    const check = () => {
      const errs = {};
      const owner = c.owner.value.trim();
      if (!owner) errs.owner = 'Owner must name the person who accepts the risk.';
      else if (owner.length > 120) errs.owner = 'Owner must be at most 120 characters.';
      const d = c.expires_on.value;
      const t = todayIso();
      if (!d) errs.expires_on = c.expires_on.validity && c.expires_on.validity.badInput
        ? 'Expires on must be a real date, for example 2027-06-30.' : 'Expires on must be a date: the last day the acceptance counts.';
      else if (!realDay(d)) errs.expires_on = 'Expires on must be a real date, for example 2027-06-30.';
      else if (d < t) errs.expires_on = `Expires on must not be in the past (today is ${date(t)}).`;
      else if (d > yearAhead(t)) errs.expires_on = `Expires on must be at most one year ahead: ${date(yearAhead(t))} at the latest.`;
      const reason = c.reason.value.trim();
      if (!reason) errs.reason = 'Reason must say why the lock-in is accepted.';
      else if (reason.length > 2000) errs.reason = 'Reason must be at most 2,000 characters.';
      return errs;
    };
    const form = h('form', { class: 'gov-form accept-form', novalidate: true, 'aria-labelledby': 'accept-form-h' },
      h('h3', { id: 'accept-form-h' }, 'Accept this risk'),
      h('p', { class: 'hint' }, `You accept the workload's lock-in, for a reason, until a date at most one year ahead (${date(max)}). It is audited.`),
      summary,
      h('div', { class: 'field-row' },
        field('accept-owner', labels.owner, c.owner, { required: true, hint: 'The named person who accepts it, for example “Dana Whitfield (CIO)”.' }),
        field('accept-expires', labels.expires_on, c.expires_on, { required: true, hint: `From today to ${date(max)}.` })),
      field('accept-reason', labels.reason, c.reason, { required: true, hint: 'Why the lock-in is accepted, and what would end it.' }),
      h('div', { class: 'form-actions' }, submit));
    form.addEventListener('input', (e) => { if (e.target.getAttribute('aria-invalid') === 'true') setFieldError(e.target, ''); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      await this.submitForm({ controls: c, labels, summary, submit, check,
        send: () => post(`/workloads/${this.w.id}/acceptances`, {
          owner: c.owner.value.trim(), reason: c.reason.value.trim(), expires_on: c.expires_on.value,
        }),
        done: (r) => {
          for (const k of Object.keys(c)) c[k].value = '';
          announce(`Risk accepted until ${date(r.data.expires_on)} by ${r.data.owner}.${this.w.risk.flagged ? '' : ' The workload is not flagged while it is in force.'}`);
        } });
    });
    return form;
  }

  // "Record a drill": the dependency, then one of its named alternatives,
  // the day (not in the future), the result and the evidence.
  drillForm() {
    const { w, cat } = this;
    const withAlts = w.dependencies.filter((d, i, all) => (w.alternatives || []).some((a) => a.dependency === d.offering)
      && all.findIndex((x) => x.offering === d.offering) === i);
    const c = {
      dependency: h('select', { name: 'dependency' }, h('option', { value: '' }, 'Choose a dependency…'),
        withAlts.map((d) => h('option', { value: String(d.offering) }, `${cat.offeringName(d.offering)} (${label(d.role)})`))),
      offering: h('select', { name: 'offering', disabled: true }, h('option', { value: '' }, 'Choose the dependency first')),
      drilled_on: h('input', { type: 'date', name: 'drilled_on', max: todayIso() }),
      result: h('select', { name: 'result' }, h('option', { value: '' }, 'Choose…'),
        h('option', { value: 'passed' }, 'Passed'), h('option', { value: 'failed' }, 'Failed')),
      evidence: h('textarea', { name: 'evidence', rows: 3, maxlength: '4000' }),
    };
    const labels = { dependency: 'Dependency replaced', offering: 'Alternative it ran on', drilled_on: 'Drilled on', result: 'Result', evidence: 'Evidence' };
    const fillAlternatives = () => {
      const dep = Number(c.dependency.value);
      const keep = c.offering.value;
      const list = (w.alternatives || []).filter((a) => a.dependency === dep);
      replace(c.offering, dep ? h('option', { value: '' }, 'Choose an alternative…') : h('option', { value: '' }, 'Choose the dependency first'),
        list.map((a) => h('option', { value: String(a.offering), selected: String(a.offering) === keep }, this.offeringLabel(a.offering))));
      c.offering.disabled = !dep;
    };
    c.dependency.addEventListener('change', fillAlternatives);
    const summary = h('div', { class: 'form-summary', tabindex: '-1' });
    const submit = h('button', { type: 'submit' }, 'Record the drill');
    const check = () => {
      const errs = {};
      const t = todayIso();
      if (!c.dependency.value) errs.dependency = 'Dependency replaced must be chosen.';
      else if (!c.offering.value) errs.offering = 'Alternative it ran on must be one named for that dependency.';
      const d = c.drilled_on.value;
      if (!d) errs.drilled_on = c.drilled_on.validity && c.drilled_on.validity.badInput
        ? 'Drilled on must be a real date, for example 2026-11-30.' : 'Drilled on must be the day of the drill.';
      else if (!realDay(d)) errs.drilled_on = 'Drilled on must be a real date, for example 2026-11-30.';
      else if (d > t) errs.drilled_on = `Drilled on must not be in the future (today is ${date(t)}).`;
      if (!c.result.value) errs.result = 'Result must be Passed or Failed.';
      if (c.evidence.value.length > 4000) errs.evidence = 'Evidence must be at most 4,000 characters.';
      return errs;
    };
    const form = h('form', { class: 'gov-form drill-form', novalidate: true, 'aria-labelledby': 'drill-form-h' },
      h('h3', { id: 'drill-form-h' }, 'Record a drill'),
      h('p', { class: 'hint' }, 'An exit drill runs the workload on a named alternative and records what happened. It is audited.'),
      summary,
      withAlts.length ? [
        h('div', { class: 'field-row' },
          field('drill-dependency', labels.dependency, c.dependency, { required: true }),
          field('drill-offering', labels.offering, c.offering, { required: true, hint: 'Only the alternatives named for that dependency.' }),
          field('drill-date', labels.drilled_on, c.drilled_on, { required: true, hint: 'Not in the future.' }),
          field('drill-result', labels.result, c.result, { required: true })),
        field('drill-evidence', labels.evidence, c.evidence, { hint: 'What was run and observed, or where the evidence is kept.' }),
        h('div', { class: 'form-actions' }, submit),
      ] : h('p', { class: 'muted' }, 'No dependency has a named alternative to drill yet.'));
    const clear = (e) => { if (e.target.getAttribute('aria-invalid') === 'true') setFieldError(e.target, ''); };
    form.addEventListener('input', clear);
    form.addEventListener('change', clear);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      await this.submitForm({ controls: c, labels, summary, submit, check,
        send: () => post(`/workloads/${w.id}/drills`, {
          dependency: Number(c.dependency.value), offering: Number(c.offering.value), drilled_on: c.drilled_on.value,
          result: c.result.value, evidence: c.evidence.value.trim(),
        }),
        done: (r) => {
          for (const k of ['drilled_on', 'result', 'evidence']) c[k].value = '';
          announce(`Drill of ${cat.offeringName(r.data.offering)} recorded: ${r.data.result}.`);
        } });
    });
    return form;
  }

  // Checks here first (the same rules as the server), then sends; field
  // errors (here or from the server's JSON Pointers) go beside their fields
  // and focus moves to the first; what was typed stays until it is saved.
  async submitForm({ controls, labels, summary, submit, check, send, done }) {
    replace(summary);
    for (const ctl of Object.values(controls)) setFieldError(ctl, '');
    const errs = check();
    if (Object.keys(errs).length) {
      this.showFieldErrors(controls, errs, summary);
      return;
    }
    submit.disabled = true;
    try {
      const r = await send();
      await this.reload();
      done(r);
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      const byField = {};
      const rest = [];
      for (const e of (err && err.errors) || []) {
        const key = (e.pointer || '').split('/')[1];
        if (controls[key]) byField[key] = `${byField[key] ? `${byField[key]} ` : ''}${labels[key]} ${e.detail || 'is invalid'}.`;
        else rest.push(e);
      }
      if (Object.keys(byField).length) this.showFieldErrors(controls, byField, summary, rest.length ? { ...err, errors: rest } : null);
      else { replace(summary, errorBox(err, 'Not saved')); summary.focus(); }
    } finally {
      submit.disabled = false;
    }
  }

  showFieldErrors(controls, errs, summary, rest) {
    const keys = Object.keys(controls).filter((k) => errs[k]);
    for (const k of keys) setFieldError(controls[k], errs[k]);
    replace(summary, h('div', { class: 'problem', role: 'alert' },
      h('p', { class: 'problem-title' }, `Not saved: ${keys.length === 1 ? 'one field needs' : `${keys.length} fields need`} attention.`),
      h('ul', null, keys.map((k) => h('li', null, h('button', { type: 'button', class: 'linklike', onclick: () => controls[k].focus() }, errs[k])))),
      rest ? errorBox(rest) : null));
    if (keys.length) controls[keys[0]].focus();
  }
}

function resultBadge(r) {
  return h('span', { class: `badge result-${r}` }, label(r));
}

function flagNote(w, acc) {
  if (w.risk.flagged) return flagReason(w);
  if (acc) return `${w.risk.priority}, but its risk is accepted until ${date(acc.expires_on)}`;
  return 'not flagged for lock-in';
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

function detailsPart(w, cat) {
  return dl([
    ['Name', w.name],
    ['Purpose', w.purpose],
    ['Owner', w.owner],
    ['Team', w.team],
    ['Track', trackTag(w.track)],
    ['Status', label(w.status)],
    ['Business criticality', label(w.criticality)],
    ['Data classification', label(w.data_classification)],
    ['Users', w.users === null || w.users === undefined ? 'unknown' : number(w.users)],
    ['Monthly spend', money(w.monthly_spend)],
    ['Planned end', w.planned_end ? date(w.planned_end) : 'None set'],
    ['EU AI Act tier', label(w.ai_act_tier)],
    ['Swap layer', yesNo(w.swap_layer)],
    ['Allowed data regions', w.allowed_regions && w.allowed_regions.length ? w.allowed_regions.join(', ') : 'Anywhere (none set)'],
    ['Oversight owner', w.oversight_owner || 'None named'],
    ['Impact assessment', w.impact_assessment ? date(w.impact_assessment) : 'None on file'],
    ['Annex III area', w.annex_iii_area ? label(w.annex_iii_area) : 'None'],
    ['Provider of the AI system', w.ai_system_provider ? cat.vendorName(w.ai_system_provider) : 'Not recorded'],
    ['Intended purpose', w.intended_purpose || 'Not recorded'],
    ['Log retention', w.log_retention_months ? `${w.log_retention_months} months` : 'Not recorded'],
    ['Impact assessment status', w.fria_status ? label(w.fria_status) : 'Not assessed'],
    ['Affected persons informed', w.affected_persons_informed ? date(w.affected_persons_informed) : 'Not yet'],
    ['Incident contact', w.incident_contact || 'None named'],
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
