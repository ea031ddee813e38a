// pages/users.js - people who sign in (#/users, admin): the list, adding a
// user (role, optional password of 12 or more characters; without one the
// server generates it and answers it once), changing a role, disabling and
// enabling, resetting a password. The API's messages appear beside the
// fields they name. An admin cannot disable or demote themself here (the
// server refuses it too).
import { h, fill, replace, errorBox, announce, scroller } from '../dom.js';
import { get, post, patch, ApiError } from '../api.js';
import { timestamp } from '../format.js';
import { session, ROLE_NAMES, ROLE_HELP, roleLabel } from '../session.js';
import { pageHeader, panel } from '../widgets.js';
import { secretBox } from '../secret.js';
import { field, setFieldError, clearErrors, showErrors, summaryBox, liveHint } from '../forms.js';

export function render({ main, signal, setTitle }) {
  setTitle('Users');
  const create = panel('Add a user', { id: 'add-user' });
  const list = panel('Everyone who can sign in', { id: 'user-list', wide: true });
  const status = h('div', { class: 'list-status' });
  const listBody = h('div', null);
  replace(list.body, status, listBody);
  main.append(
    pageHeader('Users', { lead: 'Who can sign in, with which role. Passwords are stored only as Argon2id hashes; a generated one is shown once.' }),
    h('div', { class: 'grid' }, list.el, create.el));

  const load = () => fill(listBody, () => get('/users', { signal }), (r) => usersTable(r.items), 'Loading users');

  // ---- add a user ----------------------------------------------------------
  const name = h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const role = h('select', null, ROLE_NAMES.map((r) => h('option', { value: r, selected: r === 'viewer' }, roleLabel(r))));
  const roleHelp = (r) => `${roleLabel(r)}: ${ROLE_HELP[r]}.`;
  const password = h('input', { type: 'password', autocomplete: 'new-password' });
  const summary = h('div', { class: 'form-summary', tabindex: '-1' });
  const reveal = h('div', { class: 'reveal' });
  const submit = h('button', { type: 'submit' }, 'Add user');
  const form = h('form', { class: 'stack-form', novalidate: true, 'aria-label': 'Add a user', onsubmit: (e) => { e.preventDefault(); add(); } },
    field('user-name', 'Name', name, { required: true, hint: '1 to 64 letters, digits or . _ - @. It is what they type to sign in.' }),
    field('user-role', 'Role', role, { required: true, hint: roleHelp('viewer') }),
    field('user-password', 'Password', password, { hint: 'At least 12 characters. Leave it empty and Switchyard generates one, shown to you once.' }),
    summary,
    h('div', { class: 'form-actions' }, submit));
  replace(create.body, form, reveal);
  const syncRoleHint = liveHint(role, roleHelp);

  async function add() {
    clearErrors(form, summary);
    replace(reveal);
    if (password.value && password.value.length < 12) {
      setFieldError(password, 'Must be at least 12 characters, or left empty to generate one.');
      password.focus();
      return;
    }
    const body = { name: name.value.trim(), role: role.value };
    if (password.value) body.password = password.value;
    submit.disabled = true;
    try {
      const { data } = await post('/users', body);
      form.reset();
      role.value = 'viewer';
      syncRoleHint();
      announce(`User ${data.name} added.`);
      if (data.password) {
        replace(reveal, secretBox({
          id: 'new-password', title: `Password for ${data.name}`, label: 'Generated password', secret: data.password,
          warning: 'Shown only now: Switchyard keeps only a hash of it. Copy it and give it to them by a safe route.',
          onDismiss: () => name.focus(),
        }));
        reveal.querySelector('input').focus();
      } else {
        replace(reveal, h('p', { class: 'ok', role: 'status' }, `${data.name} can now sign in with the password you set.`));
      }
      load();
    } catch (err) {
      if (!(err instanceof ApiError)) { replace(summary, errorBox(err)); return; }
      const rest = showErrors(err, { name, role, password });
      if (rest.length || !err.errors.length) {
        replace(summary, summaryBox(err, 'Not added', rest));
        if (!err.errors.length) summary.focus();
      }
    } finally {
      submit.disabled = false;
    }
  }

  // ---- the list --------------------------------------------------------------
  function say(message, ok = true) {
    replace(status, ok ? h('p', { class: 'ok', role: 'status' }, message) : message);
    if (ok) announce(message);
  }

  async function change(u, body, done, control) {
    control.disabled = true;
    try {
      await patch(`/users/${u.id}`, body);
      say(done);
      await load();
    } catch (err) {
      control.disabled = false;
      say(errorBox(err, `${u.name} was not changed`), false);
    }
  }

  function usersTable(items) {
    const me = session().name;
    const rows = items.slice().sort((a, b) => a.name.localeCompare(b.name));
    return scroller('Users', h('table', { class: 'users-table' },
      h('caption', null, `${rows.length} ${rows.length === 1 ? 'user' : 'users'}`),
      h('thead', null, h('tr', null, ['Name', 'Role', 'Status', 'Created', 'Last changed', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((u) => userRow(u, u.name === me)))));
  }

  function userRow(u, self) {
    const id = `u${u.id}`;
    const roleSel = h('select', { id: `${id}-role`, 'aria-label': `Role of ${u.name}`, disabled: self },
      ROLE_NAMES.map((r) => h('option', { value: r, selected: r === u.role }, roleLabel(r))));
    const apply = h('button', { type: 'button', class: 'secondary small', disabled: true,
      onclick: () => change(u, { role: roleSel.value }, `${u.name} is now ${roleLabel(roleSel.value).toLowerCase()}.`, apply) },
    'Change role', h('span', { class: 'visually-hidden' }, ` of ${u.name}`));
    roleSel.addEventListener('change', () => { apply.disabled = roleSel.value === u.role; });
    const toggle = self ? null : h('button', { type: 'button', class: 'secondary small', onclick: () => {
      if (!u.disabled && !window.confirm(`Disable ${u.name}? They are signed out at once and their API tokens stop working until you enable them again.`)) return;
      change(u, { disabled: !u.disabled }, u.disabled ? `${u.name} is enabled again.` : `${u.name} is disabled.`, toggle);
    } }, u.disabled ? 'Enable' : 'Disable', h('span', { class: 'visually-hidden' }, ` ${u.name}`));
    const resetCell = h('td', { colspan: 6, id: `${id}-reset` });
    const resetRow = h('tr', { class: 'row-form', hidden: true }, resetCell);
    const reset = h('button', { type: 'button', class: 'secondary small', 'aria-expanded': 'false', 'aria-controls': resetCell.id,
      onclick: () => {
        const open = resetRow.hidden;
        resetRow.hidden = !open;
        reset.setAttribute('aria-expanded', String(open));
        if (open) {
          replace(resetCell, resetForm(u, id, () => {
            resetRow.hidden = true;
            reset.setAttribute('aria-expanded', 'false');
            reset.focus();
          }));
          resetCell.querySelector('input').focus();
        } else {
          replace(resetCell);
        }
      } }, 'Reset password', h('span', { class: 'visually-hidden' }, ` of ${u.name}`));
    const row = h('tr', { class: u.disabled ? 'is-disabled' : null },
      h('th', { scope: 'row' }, u.name, self ? h('span', { class: 'sub' }, 'you') : null),
      h('td', null, h('div', { class: 'inline-control' }, roleSel, self ? null : apply),
        self ? h('span', { class: 'sub' }, 'You cannot change your own role.') : null),
      h('td', null, u.disabled ? h('span', { class: 'badge state-off' }, 'Disabled') : h('span', { class: 'badge state-on' }, 'Active')),
      h('td', { class: 'nowrap' }, timestamp(u.created_at)),
      h('td', { class: 'nowrap' }, timestamp(u.updated_at)),
      h('td', null, h('div', { class: 'row-actions' }, toggle, reset)));
    return [row, resetRow];
  }

  // The inline "reset password" form: type one, or generate one here (it is
  // then shown with a Copy button, once).
  function resetForm(u, id, close) {
    const pw = h('input', { type: 'password', autocomplete: 'new-password' });
    const box = h('div', { class: 'form-summary', tabindex: '-1' });
    const out = h('div', null);
    const save = h('button', { type: 'submit', class: 'small' }, 'Set password');
    const f = h('form', { class: 'reset-form', novalidate: true, 'aria-label': `Reset the password of ${u.name}`, onsubmit: async (e) => {
      e.preventDefault();
      clearErrors(f, box);
      replace(out);
      let value = pw.value;
      let generated = false;
      if (!value) { value = randomPassword(); generated = true; }
      if (value.length < 12) { setFieldError(pw, 'Must be at least 12 characters, or left empty to generate one.'); pw.focus(); return; }
      save.disabled = true;
      try {
        await patch(`/users/${u.id}`, { password: value });
        pw.value = '';
        announce(`Password of ${u.name} reset.`);
        replace(out, generated
          ? secretBox({ id: `${id}-new-password`, title: `New password for ${u.name}`, label: 'Generated password', secret: value,
            warning: 'Shown only now. Copy it and give it to them by a safe route; their sessions have ended.' })
          : h('p', { class: 'ok', role: 'status' }, `Password of ${u.name} changed; their sessions have ended.`));
        const shown = out.querySelector('input');
        if (shown) shown.focus();
      } catch (err) {
        if (!(err instanceof ApiError)) { replace(box, errorBox(err)); return; }
        const rest = showErrors(err, { password: pw });
        if (rest.length || !err.errors.length) replace(box, summaryBox(err, 'Not changed', rest));
      } finally {
        save.disabled = false;
      }
    } },
    field(`${id}-password`, `New password for ${u.name}`, pw, { hint: 'At least 12 characters; leave it empty to generate one. Their current sessions end.' }),
    box,
    h('div', { class: 'form-actions' }, save, h('button', { type: 'button', class: 'secondary small', onclick: close }, 'Close')));
    return h('div', null, f, out);
  }

  load();
}

// 24 random characters (about 143 bits), URL-safe, from the browser's CSPRNG.
function randomPassword() {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}
