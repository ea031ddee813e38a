// forms.js - labelled fields with a hint and an error line, and the API's
// problem details (errors[].pointer such as /name, errors[].parameter such as
// since) shown beside the fields they name. Used by the sign-in, users,
// tokens and audit pages.
import { h, replace, errorBox } from './dom.js';

// A field: label, control, optional hint, and a hidden error line; the
// control is described by both (aria-describedby). opts.check lays a
// checkbox out on one line.
export function field(id, text, control, { hint, required, check, className } = {}) {
  control.id = id;
  const described = [];
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) described.push(hintEl.id);
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  described.push(error.id);
  control.setAttribute('aria-describedby', described.join(' '));
  if (required) control.setAttribute('aria-required', 'true');
  const label = h('label', { for: id }, text, required ? h('span', { class: 'req' }, ' (required)') : null);
  return h('div', { class: `field${check ? ' check' : ''}${className ? ` ${className}` : ''}`, dataset: { field: id } },
    check ? [control, label] : [label, control], hintEl, error);
}

// Shows a message under a control (or clears it with an empty message).
export function setFieldError(control, message) {
  const error = document.getElementById(`${control.id}-error`);
  if (message) {
    control.setAttribute('aria-invalid', 'true');
    if (error) { error.textContent = message; error.hidden = false; }
  } else {
    control.removeAttribute('aria-invalid');
    if (error) { error.textContent = ''; error.hidden = true; }
  }
}

export function clearErrors(root, summary) {
  for (const c of root.querySelectorAll('[aria-invalid="true"]')) setFieldError(c, '');
  if (summary) replace(summary);
}

// Puts each field error of an ApiError beside its control. controls maps a
// member name ("name", from the pointer /name, or the query parameter
// "since") to its control. Returns the errors no control took, and focuses
// the first invalid control unless told not to.
export function showErrors(err, controls, { focus = true } = {}) {
  const rest = [];
  const messages = new Map();
  for (const e of (err && Array.isArray(err.errors) ? err.errors : [])) {
    const key = e.parameter || (e.pointer || '').split('/')[1] || '';
    const control = controls[key];
    if (!control) { rest.push(e); continue; }
    if (!messages.has(control)) messages.set(control, []);
    messages.get(control).push(e.detail || 'is invalid');
  }
  for (const [control, list] of messages) setFieldError(control, sentence(list.join('; ')));
  if (focus) {
    const first = Object.values(controls).find((c) => c && c.getAttribute('aria-invalid') === 'true');
    if (first) first.focus();
  }
  return rest;
}

// "must be at least 12 characters" -> "Must be at least 12 characters."
function sentence(s) {
  const t = String(s).trim();
  if (!t) return t;
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.');
}

// The summary box of a failed submission: the problem, minus the field
// errors already shown beside their fields.
export function summaryBox(err, context, rest) {
  return errorBox({ ...err, title: err.title, detail: err.detail, status: err.status, errors: rest }, context);
}

// Keeps a field's hint in step with its value (a role picker saying what
// the chosen role may do). The field must have been made with a hint.
export function liveHint(control, text) {
  const update = () => {
    const hint = document.getElementById(`${control.id}-hint`);
    if (hint) hint.textContent = text(control.value);
  };
  control.addEventListener('change', update);
  return update;
}
