// session.js - who is signed in and what their role allows.
// GET /api/v1/session answers {name, role, auth} or 401 (nobody signed in);
// POST /api/v1/session {name, password} signs in (the server sets an
// HttpOnly cookie the page never sees); DELETE /api/v1/session signs out.
// Pages ask can(action) to offer only what the role may do; the server
// checks every request again, so this is about not offering, not enforcing.
import { request, invalidateCatalogue } from './api.js';

// What each role may do. Every signed-in role reads everything except users,
// other people's tokens and the audit trail, and manages its own API tokens.
const ABILITIES = {
  viewer: ['read', 'tokens'],
  architect: ['read', 'tokens', 'edit_workloads', 'edit_scenarios'],
  auditor: ['read', 'tokens', 'export', 'audit'],
  leadership: ['read', 'tokens', 'accept_risk', 'manage_findings'],
  admin: ['*'],
};

export const ROLE_NAMES = ['viewer', 'architect', 'auditor', 'leadership', 'admin'];
const ROLE_LABELS = { viewer: 'Viewer', architect: 'Architect', auditor: 'Auditor', leadership: 'Leadership', admin: 'Admin' };
export const roleLabel = (r) => ROLE_LABELS[r] || String(r || '—');

// One line per role, for role pickers.
export const ROLE_HELP = {
  viewer: 'reads everything except users, others\' tokens and the audit trail',
  architect: 'also registers and edits workloads and saves scenarios',
  auditor: 'also reads the audit trail and exports',
  leadership: 'reads as a viewer does, accepts or revokes a workload\'s lock-in risk, and sets findings\' owner, due date and status',
  admin: 'everything: catalogue, risk weights, users and all tokens',
};

// The roles a user may give an API token (the server's role_allows): an
// admin any role; everyone else the viewer role or their own.
export function grantableRoles(role) {
  if (role === 'admin') return ROLE_NAMES.slice();
  if (role === 'architect' || role === 'auditor' || role === 'leadership') return ['viewer', role];
  return ['viewer'];
}

// state: 'unknown' (not asked yet), 'signed-in', 'signed-out' or 'error'
// (the server could not say; `problem` holds why). A signed-out session
// may say why: reason 'signed-out' (the button) or 'expired' (a 401).
let current = { state: 'unknown', name: null, role: null, auth: null, problem: null, reason: null };
const listeners = new Set();

function set(next) {
  current = { state: 'unknown', name: null, role: null, auth: null, problem: null, reason: null, ...next };
  for (const fn of listeners) {
    try { fn(current); } catch { /* a listener's failure is not the session's */ }
  }
  return current;
}

// Called with the session whenever it changes (sign-in, sign-out, expiry).
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const session = () => current;
export const signedIn = () => current.state === 'signed-in';

// Asks the server who is signed in; never rejects.
export async function loadSession() {
  try {
    const { data } = await request('GET', '/session');
    const role = data && ABILITIES[data.role] ? data.role : 'viewer';
    return set({ state: 'signed-in', name: (data && data.name) || null, role, auth: (data && data.auth) || null });
  } catch (err) {
    if (err && err.status === 401) return set({ state: 'signed-out' });
    return set({ state: 'error', problem: err });
  }
}

// The session, loaded once (the first caller starts the request); a later
// refresh() or sign-in/out replaces it.
let ready = null;
export function whenSession() {
  if (!ready) ready = loadSession();
  return ready;
}

export function refresh() {
  ready = loadSession();
  return ready;
}

// Signs in; resolves to the session, rejects with the ApiError (401 wrong
// name or password, 429 with retryAfter, 400 with field errors).
export async function signIn(name, password) {
  const { data } = await request('POST', '/session', { body: { name, password } });
  invalidateCatalogue();
  const role = data && ABILITIES[data.role] ? data.role : 'viewer';
  ready = Promise.resolve(set({ state: 'signed-in', name: data.name, role, auth: data.auth || 'session' }));
  return ready;
}

// Signs out. Even if the server cannot be reached the page forgets the
// session (the cookie then expires on its own).
export async function signOut() {
  try {
    await request('DELETE', '/session');
  } finally {
    forget('signed-out');
  }
}

// Forgets the session: signed out here, or the server said 401 (expired,
// signed out elsewhere, user disabled: reason 'expired').
export function forget(reason = null) {
  invalidateCatalogue();
  ready = Promise.resolve(set({ state: 'signed-out', reason }));
}

// can('edit_workloads'), can('edit_scenarios'), can('export'), can('audit'), can('accept_risk'),
// can('manage_users'), can('manage_webhooks') (admins), can('tokens'), can('read').
// Nothing when signed out.
export function can(action) {
  if (current.state !== 'signed-in') return false;
  const allowed = ABILITIES[current.role] || ABILITIES.viewer;
  return allowed.includes('*') || allowed.includes(action);
}
