// pages/tokens.js - API tokens (#/tokens): for scripts and tools, sent as
// "Authorization: Bearer sy_…". Everyone manages their own; an admin sees and
// revokes everyone's. A token's role is at most its creator's (an admin any,
// an architect or auditor their own or viewer, a viewer viewer); it expires
// after 1 to 366 days. The secret is shown once, with a Copy button: the
// server keeps only its hash.
import { h, fill, replace, errorBox, announce, scroller } from '../dom.js';
import { get, post, del, ApiError } from '../api.js';
import { timestamp, date } from '../format.js';
import { session, can, grantableRoles, roleLabel, ROLE_HELP } from '../session.js';
import { pageHeader, panel } from '../widgets.js';
import { secretBox } from '../secret.js';
import { field, setFieldError, clearErrors, showErrors, summaryBox, liveHint } from '../forms.js';

const DEFAULT_DAYS = 90;

export function render({ main, signal, setTitle }) {
  setTitle('API tokens');
  const all = can('manage_users'); // admins see everyone's tokens
  const me = session();
  const list = panel(all ? 'All API tokens' : 'Your API tokens', { id: 'token-list', wide: true });
  const create = panel('Create a token', { id: 'add-token' });
  const status = h('div', { class: 'list-status' });
  const listBody = h('div', null);
  replace(list.body, status, listBody);
  main.append(
    pageHeader('API tokens', { lead: 'Tokens let scripts and tools use the API on your behalf: they send “Authorization: Bearer <token>”. A token never has more rights than you have.' }),
    h('div', { class: 'grid' }, list.el, create.el));

  const load = () => fill(listBody, () => get('/tokens', { signal }), (r) => tokensTable(r.items), 'Loading tokens');

  // ---- create ----------------------------------------------------------------
  const roles = grantableRoles(me.role);
  const name = h('input', { type: 'text', autocomplete: 'off', maxlength: '80' });
  const role = h('select', null, roles.map((r) => h('option', { value: r, selected: r === me.role }, roleLabel(r))));
  const roleHelp = (r) => `${roleLabel(r)}: ${ROLE_HELP[r]}.${roles.length > 1 ? ' Give a token the least it needs.' : ' A viewer’s tokens only read.'}`;
  const days = h('input', { type: 'number', min: '1', max: '366', step: '1', value: String(DEFAULT_DAYS), inputmode: 'numeric' });
  const summary = h('div', { class: 'form-summary', tabindex: '-1' });
  const reveal = h('div', { class: 'reveal' });
  const submit = h('button', { type: 'submit' }, 'Create token');
  const form = h('form', { class: 'stack-form', novalidate: true, 'aria-label': 'Create a token', onsubmit: (e) => { e.preventDefault(); add(); } },
    field('token-name', 'Name', name, { required: true, hint: 'What uses it, e.g. “nightly export” (1 to 80 characters).' }),
    field('token-role', 'Role', role, { required: true, hint: roleHelp(me.role) }),
    field('token-days', 'Expires after (days)', days, { required: true, hint: 'From 1 to 366 days.' }),
    summary,
    h('div', { class: 'form-actions' }, submit));
  replace(create.body, form, reveal);
  const syncRoleHint = liveHint(role, roleHelp);

  async function add() {
    clearErrors(form, summary);
    replace(reveal);
    const n = Number(days.value);
    let bad = false;
    if (!name.value.trim()) { setFieldError(name, 'Give the token a name.'); bad = true; }
    if (!Number.isInteger(n) || n < 1 || n > 366) { setFieldError(days, 'Must be a whole number of days from 1 to 366.'); bad = true; }
    if (bad) { form.querySelector('[aria-invalid="true"]').focus(); return; }
    submit.disabled = true;
    try {
      const { data } = await post('/tokens', { name: name.value.trim(), role: role.value, expires_in_days: n });
      form.reset();
      role.value = me.role;
      syncRoleHint();
      days.value = String(DEFAULT_DAYS);
      announce(`Token ${data.name} created.`);
      replace(reveal, secretBox({
        id: 'new-token', title: `Your new token “${data.name}”`, label: 'Token', secret: data.token,
        warning: 'Copy it now: it is shown only once. Switchyard stores only a hash of it, so it cannot be shown again; if it is lost, revoke it and create another.',
        note: `Role ${roleLabel(data.role).toLowerCase()}, expires on ${date(data.expires_at)}. Send it as the header “Authorization: Bearer <token>”; keep it out of source code and chat.`,
        onDismiss: () => name.focus(),
      }));
      reveal.querySelector('input').focus();
      load();
    } catch (err) {
      if (!(err instanceof ApiError)) { replace(summary, errorBox(err)); return; }
      const rest = showErrors(err, { name, role, expires_in_days: days });
      if (rest.length || !err.errors.length) {
        replace(summary, summaryBox(err, 'Not created', rest));
        if (!err.errors.length) summary.focus();
      }
    } finally {
      submit.disabled = false;
    }
  }

  // ---- list ------------------------------------------------------------------
  function state(t) {
    if (t.revoked_at) return ['revoked', `Revoked ${timestamp(t.revoked_at)}`];
    if (t.expires_at && t.expires_at < new Date().toISOString()) return ['expired', 'Expired'];
    return ['active', 'Active'];
  }

  function tokensTable(items) {
    const order = { active: 0, expired: 1, revoked: 2 };
    const rows = items.slice().sort((a, b) => (order[state(a)[0]] - order[state(b)[0]]) || String(b.created_at).localeCompare(String(a.created_at)));
    const cols = ['Name', all ? 'User' : null, 'Role', 'Starts with', 'Created', 'Last used', 'Expires', 'Status', 'Actions'].filter(Boolean);
    return scroller('API tokens', h('table', { class: 'tokens-table' },
      h('caption', null, rows.length ? `${rows.length} ${rows.length === 1 ? 'token' : 'tokens'}, active first` : 'No token yet'),
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.length ? rows.map(row)
        : h('tr', null, h('td', { colspan: cols.length, class: 'empty' }, all ? 'Nobody has created a token yet.' : 'You have not created a token yet.')))));
  }

  function row(t) {
    const [st, text] = state(t);
    const revoke = st === 'revoked' ? null : h('button', { type: 'button', class: 'secondary small', onclick: async () => {
      const whose = all && t.user !== me.name ? ` of ${t.user}` : '';
      if (!window.confirm(`Revoke the token “${t.name}”${whose}? Anything using it gets “401 Unauthorized” from now on. This cannot be undone.`)) return;
      revoke.disabled = true;
      try {
        await del(`/tokens/${t.id}`);
        replace(status, h('p', { class: 'ok', role: 'status' }, `Token “${t.name}” revoked.`));
        announce(`Token ${t.name} revoked.`);
        await load();
      } catch (err) {
        revoke.disabled = false;
        replace(status, errorBox(err, `“${t.name}” was not revoked`));
      }
    } }, 'Revoke', h('span', { class: 'visually-hidden' }, ` token ${t.name}`));
    return h('tr', { class: st !== 'active' ? 'is-disabled' : null },
      h('th', { scope: 'row' }, t.name),
      all ? h('td', null, t.user) : null,
      h('td', null, roleLabel(t.role)),
      h('td', null, h('code', null, `${t.prefix}…`)),
      h('td', { class: 'nowrap' }, timestamp(t.created_at)),
      h('td', { class: 'nowrap' }, t.last_used_at ? timestamp(t.last_used_at) : 'Never'),
      h('td', { class: 'nowrap' }, date(t.expires_at)),
      h('td', null, h('span', { class: `badge state-${st === 'active' ? 'on' : 'off'}` }, text)),
      h('td', null, revoke || '—'));
  }

  load();
}
