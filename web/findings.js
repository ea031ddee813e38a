// findings.js - the human side of a finding, shared by the overview's
// "Act on these" and the track pages: its status, owner and due date in one
// line, and for the roles that may change them (leadership and admin, as
// PATCH /api/v1/findings/{key} allows) an inline form that checks what the
// server checks, names the field that is wrong and keeps what was typed.
import { h, replace, link, announce } from './dom.js';
import { patch } from './api.js';
import { date, inDays, number, trackName } from './format.js';
import { can } from './session.js';
import { field, setFieldError, showErrors, clearErrors, summaryBox } from './forms.js';
import { severityBadge } from './widgets.js';

export const STATUS_LABELS = { open: 'Open', in_progress: 'In progress', done: 'Done', wont_do: 'Won’t do' };
const SEVERITY_ORDER = { high: 0, medium: 1, low: 2, info: 3 };

// A real calendar day written YYYY-MM-DD.
function realDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return false;
  const t = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return t.getUTCFullYear() === +m[1] && t.getUTCMonth() === +m[2] - 1 && t.getUTCDate() === +m[3];
}

// Most severe first, the rest as given (a stable sort).
export function bySeverity(items) {
  return items.map((f, i) => [f, i])
    .sort(([a, i], [b, j]) => (SEVERITY_ORDER[a.severity] ?? 4) - (SEVERITY_ORDER[b.severity] ?? 4) || i - j)
    .map(([f]) => f);
}

// "In progress · Owner: CIO · Due 15 Jan 2027 (in 41 days)"; nothing set
// reads "Open · no owner yet · no due date".
export function stateLine(a) {
  const status = a ? a.status : 'open';
  const parts = [h('span', { class: `finding-status status-${status}` }, STATUS_LABELS[status] || status)];
  parts.push(' · ', a && a.owner ? `Owner: ${a.owner}` : 'no owner yet');
  if (a && a.due) {
    const late = a.days_left < 0 && status !== 'done' && status !== 'wont_do';
    parts.push(' · ', h('span', { class: late ? 'overdue' : null }, `Due ${date(a.due)} (${late ? 'overdue, ' : ''}${inDays(a.days_left)})`));
  } else {
    parts.push(' · no due date');
  }
  if (a && a.status === 'wont_do' && a.note) parts.push(' · Reason: ', a.note);
  else if (a && a.note) parts.push(' · Note: ', a.note);
  return parts;
}

// The inline form for one finding; onSaved(merged finding) after a save.
function editForm(f, state, onSaved) {
  const id = `fa-${f.key.replace(/[^a-z0-9]/g, '-')}`;
  const a = f.action_state || {};
  const c = {
    owner: h('input', { type: 'text', name: 'owner', maxlength: '120', autocomplete: 'off', value: a.owner || '' }),
    due: h('input', { type: 'date', name: 'due', value: a.due || '' }),
    status: h('select', { name: 'status' }, Object.entries(STATUS_LABELS).map(([v, t]) =>
      h('option', { value: v, selected: v === (a.status || 'open') }, t))),
    note: h('input', { type: 'text', name: 'note', maxlength: '2000', autocomplete: 'off', value: a.note || '' }),
  };
  const summary = h('div', { class: 'form-summary', tabindex: '-1' });
  const submit = h('button', { type: 'submit' }, 'Save');
  const form = h('form', { class: 'finding-form', novalidate: true },
    summary,
    h('div', { class: 'field-row' },
      field(`${id}-owner`, 'Owner', c.owner, { hint: 'Who acts on it, up to 120 characters.' }),
      field(`${id}-due`, 'Due date', c.due, { hint: 'For example 2027-02-28.' }),
      field(`${id}-status`, 'Status', c.status),
      field(`${id}-note`, 'Note', c.note, { hint: 'Required for “Won’t do”: the reason.' })),
    h('div', { class: 'form-actions' }, submit));
  const check = () => {
    const errs = {};
    if (c.owner.value.trim().length > 120) errs.owner = 'Owner must be at most 120 characters.';
    if (c.due.validity && c.due.validity.badInput) errs.due = 'Due date must be a real date, for example 2027-02-28.';
    else if (c.due.value && !realDay(c.due.value)) errs.due = 'Due date must be a real date, for example 2027-02-28.';
    if (c.status.value === 'wont_do' && !c.note.value.trim()) errs.note = 'A reason is required when a finding is marked won’t do.';
    return errs;
  };
  form.addEventListener('input', (e) => { if (e.target.getAttribute('aria-invalid') === 'true') setFieldError(e.target, ''); });
  // Busy is marked, not disabled: a disabled button would drop the focus
  // to the body.
  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearErrors(form, summary);
    const errs = check();
    const bad = Object.keys(errs);
    if (bad.length) {
      for (const k of bad) setFieldError(c[k], errs[k]);
      c[bad[0]].focus();
      return;
    }
    busy = true;
    submit.setAttribute('aria-disabled', 'true');
    try {
      // If-Match: the version this form was filled from, so a change someone
      // else saved meanwhile answers 412 instead of being overwritten.
      const known = f.action_state && Number.isInteger(f.action_state.version) ? f.action_state.version : null;
      const r = await patch(`/findings/${encodeURIComponent(f.key)}`, {
        owner: c.owner.value.trim() || null, due: c.due.value || null,
        status: c.status.value, note: c.note.value.trim() || null,
      }, known === null ? {} : { etag: `"${known}"` });
      f.action_state = r.data;
      replace(state, ...stateLine(r.data));
      announce(`Saved: ${STATUS_LABELS[r.data.status]}${r.data.owner ? `, owner ${r.data.owner}` : ''}${r.data.due ? `, due ${date(r.data.due)}` : ''}.`);
      if (onSaved) onSaved(r.data);
    } catch (err) {
      const rest = showErrors(err, c);
      // No field named (a 412: someone else saved it meanwhile, or a
      // network failure): the summary says what happened.
      if (rest.length || !err.errors || !err.errors.length) { replace(summary, summaryBox(err, 'Not saved', rest)); summary.focus(); }
    } finally {
      busy = false;
      submit.removeAttribute('aria-disabled');
    }
  });
  return h('details', { class: 'finding-edit' }, h('summary', null, 'Owner, due date and status'), form);
}

// One finding: severity and title, what is wrong, what to do, the
// workloads concerned, its state and (for leaders) the form. f may come
// from GET /findings (with its action merged) or from a strategy view or
// the compliance list, with the action looked up by key in `actions`.
export function findingItem(f, actions, { showTrack = false, cap = Infinity } = {}) {
  const a = f.status ? f : (actions && actions.get(f.key)) || null;
  f.action_state = a;
  const title = f.title || (a && a.title) || '';
  const todo = f.action || (a && a.action) || null;
  const state = h('p', { class: 'finding-state' }, ...stateLine(a));
  const ws = f.workloads || [];
  const more = (f.count || ws.length) - Math.min(ws.length, cap);
  return h('li', { class: `finding finding-${f.severity}`, dataset: { key: f.key || '' } },
    h('p', null, severityBadge(f.severity), ' ', h('strong', { class: 'finding-title' }, title),
      showTrack && f.track ? ` (${trackName(f.track)} track)` : ''),
    h('p', { class: 'finding-text' }, f.text || f.detail),
    todo ? h('p', { class: 'finding-do' }, h('strong', null, 'What to do: '), todo) : null,
    ws.length ? h('p', { class: 'chips' }, h('span', { class: 'visually-hidden' }, 'Workloads concerned: '),
      ws.slice(0, cap).map((w) => link(`#/workloads/${w.id}`, w.name)),
      more > 0 ? h('span', { class: 'muted' }, `and ${number(more)} more`) : null) : null,
    state,
    f.key && can('manage_findings') ? editForm(f, state) : null);
}

// A map key -> action from GET /findings (for lists that carry no action).
export const actionMap = (list) => new Map((list && list.items ? list.items : []).map((f) => [f.key, f]));
