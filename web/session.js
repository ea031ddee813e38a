// session.js - who is using the page and what their role allows.
// GET /api/v1/session answers {name, role}; until authentication exists the
// route answers 404, and everyone is treated as "admin" (everything allowed).
// Pages ask can(action) to hide what the role may not do.
import { request } from './api.js';

// What each role may do. 'read' is implied for every role.
const ROLES = {
  viewer: ['read'],
  architect: ['read', 'edit_workloads', 'edit_scenarios'],
  auditor: ['read', 'export'],
  admin: ['*'],
};

let current = { name: null, role: 'admin', assumed: true };

// Loads the session once at start-up; never rejects.
export async function loadSession() {
  try {
    const { data } = await request('GET', '/session');
    const role = data && ROLES[data.role] ? data.role : 'viewer';
    current = { name: (data && data.name) || null, role, assumed: false };
  } catch (err) {
    if (err && err.status === 404) {
      current = { name: null, role: 'admin', assumed: true };
    } else if (err && err.status === 401) {
      // Authentication exists but nobody is signed in: read-only at most.
      current = { name: null, role: 'viewer', assumed: true, signedOut: true };
    } else {
      // Unknown state: the safest choice is read-only, and say so.
      current = { name: null, role: 'viewer', assumed: true, problem: err };
    }
  }
  return current;
}

export const session = () => current;

// The session, loaded once (the first caller starts the request).
let ready = null;
export function whenSession() {
  if (!ready) ready = loadSession();
  return ready;
}

// can('edit_workloads'), can('edit_scenarios'), can('export'), can('read'), can('admin').
export function can(action) {
  const allowed = ROLES[current.role] || ROLES.viewer;
  return allowed.includes('*') || allowed.includes(action);
}
