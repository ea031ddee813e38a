// secret.js - a secret shown once (a generated password, a new API token)
// with a Copy button, and copying text to the clipboard. Used by the users,
// tokens and reports pages (not the overview, to keep its first load small).
import { h, announce } from './dom.js';

// A secret shown once (a generated password, a new API token): a read-only
// field holding it, a Copy button, and why it will not be shown again.
// opts: {id, title, label, secret, warning, note, onDismiss}.
export function secretBox({ id, title, label: what, secret, warning, note, onDismiss }) {
  const input = h('input', { type: 'text', id, class: 'secret-value', value: secret, readonly: true,
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${id}-warning` });
  const status = h('span', { class: 'copy-status', role: 'status' });
  const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    const ok = await copyText(secret, input);
    status.textContent = ok ? 'Copied.' : 'Could not copy: select the text and press Ctrl+C.';
    if (ok) announce(`${what} copied.`);
  } }, 'Copy');
  const box = h('section', { class: 'secret-box', 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title`, class: 'secret-title' }, title),
    h('div', { class: 'field' },
      h('label', { for: id }, what),
      h('div', { class: 'secret-row' }, input, copy, status)),
    h('p', { class: 'secret-warning', id: `${id}-warning` }, warning),
    note ? h('p', { class: 'hint' }, note) : null,
    onDismiss ? h('p', null, h('button', { type: 'button', class: 'secondary small', onclick: () => { box.remove(); onDismiss(); } },
      'I have copied it: hide it')) : null);
  return box;
}

// Copies text: the Clipboard API where the page may use it (HTTPS or
// localhost), else the selected field and the older copy command.
export async function copyText(text, input) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall back below */ }
  try {
    input.focus();
    input.select();
    return document.execCommand('copy');
  } catch {
    return false;
  }
}
