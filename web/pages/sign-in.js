// pages/sign-in.js - the sign-in page (#/sign-in?next=/workloads): name and
// password, the server's messages (wrong name or password; too many attempts
// with the wait from Retry-After; field errors beside their fields), then
// back to the page that was wanted. Signed-in visitors go straight there.
// When the server has single sign-on (GET /api/v1/sso), a "Sign in with
// <provider>" link above the form goes through the identity provider and
// comes back signed in, to the same page.
import { h, errorBox, replace, announce } from '../dom.js';
import { ApiError, get } from '../api.js';
import { signIn, session, roleLabel } from '../session.js';
import { redirect, nextFromHash } from '../route.js';
import { field, setFieldError, clearErrors, showErrors, summaryBox } from '../forms.js';

export function render({ main, setTitle }) {
  const next = nextFromHash();
  if (session().state === 'signed-in') {
    // Already signed in (a bookmark, the back button): go on.
    redirect(`#${next}`);
    return;
  }
  setTitle('Sign in');
  const reason = session().reason;
  const name = h('input', { type: 'text', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', 'data-autofocus': '' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const show = h('input', { type: 'checkbox', onchange: () => { password.type = show.checked ? 'text' : 'password'; } });
  const summary = h('div', { class: 'form-summary', tabindex: '-1' });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'sign-in-form', novalidate: true, 'aria-labelledby': 'sign-in-h', onsubmit: (e) => { e.preventDefault(); send(); } },
    h('h2', { id: 'sign-in-h', class: 'visually-hidden' }, 'Your account'),
    field('signin-name', 'User name', name, { required: true }),
    field('signin-password', 'Password', password, { required: true }),
    field('signin-show', 'Show the password', show, { check: true }),
    summary,
    h('div', { class: 'form-actions' }, submit));

  // Filled in once GET /api/v1/sso answers (nothing when it is off).
  const sso = h('div', { class: 'sso' });
  main.append(
    h('header', { class: 'page-header' }, h('div', null,
      h('h1', { tabindex: '-1' }, 'Sign in to Switchyard'),
      h('p', { class: 'lead' }, 'Use the name and password an administrator gave you.'))),
    h('div', { class: 'sign-in' },
      reason === 'expired'
        ? h('p', { class: 'notice', role: 'status' }, 'Your session has ended. Sign in again to go on where you were.')
        : null,
      reason === 'signed-out' ? h('p', { class: 'notice', role: 'status' }, 'You have signed out.') : null,
      sso,
      h('section', { class: 'panel' }, form),
      h('p', { class: 'hint' }, 'Scripts use API tokens instead of a password; create one under “API tokens” once signed in.')));

  get('/sso').then((info) => {
    if (!info || !info.enabled || !/^\/api\//.test(info.login)) return;
    const href = `${info.login}?next=${encodeURIComponent(next)}`;
    replace(sso,
      h('a', { class: 'button sso-button', href }, `Sign in with ${info.provider}`),
      h('p', { class: 'hint' }, info.password_sign_in === 'admins'
        ? 'Passwords below are for administrators only.'
        : 'Or sign in below with a Switchyard name and password.'));
  }).catch(() => { /* no single sign-on offered: the form alone */ });

  let busy = false;
  async function send() {
    if (busy) return;
    clearErrors(form, summary);
    const n = name.value.trim();
    let missing = false;
    if (!n) { setFieldError(name, 'Enter your user name.'); missing = true; }
    if (!password.value) { setFieldError(password, 'Enter your password.'); missing = true; }
    if (missing) {
      (n ? password : name).focus();
      return;
    }
    busy = true;
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const s = await signIn(n, password.value);
      announce(`Signed in as ${s.name}, ${roleLabel(s.role).toLowerCase()}.`);
      redirect(`#${next}`);
    } catch (err) {
      busy = false;
      submit.disabled = false;
      submit.textContent = 'Sign in';
      if (!(err instanceof ApiError)) { replace(summary, errorBox(err)); summary.focus(); return; }
      if (err.status === 401) {
        password.value = '';
        replace(summary, errorBox({ title: 'Not signed in', detail: err.detail || 'The name or password is not right.' }));
        password.focus();
        return;
      }
      if (err.status === 429) {
        const minutes = Math.max(1, Math.ceil((err.retryAfter || 60) / 60));
        replace(summary, errorBox({ title: `Too many attempts, try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`,
          detail: 'Sign-in is paused after repeated wrong passwords for this name or from this address.' }));
        summary.focus();
        return;
      }
      const rest = showErrors(err, { name, password });
      if (rest.length || !err.errors.length) {
        replace(summary, summaryBox(err, 'Not signed in', rest));
        if (!err.errors.length) summary.focus();
      }
    }
  }
}
