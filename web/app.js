// app.js - the front end's entry point: the hash router (every page has its
// own bookmarkable URL such as #/azure or #/workloads/12), the session
// (nobody sees a page before signing in; the navigation shows only what the
// role may use) and page switching.
import { h, replace, errorBox, announce, loadScript } from './dom.js';
import { onUnauthorized, onForbidden } from './api.js';
import { whenSession, session, can, onSessionChange, forget, signOut, refresh, roleLabel } from './session.js';
import { currentRoute, currentHashPath, setTitle, setRouter, redirect, signInHash, leavePage } from './route.js';
import { TRACKS } from './enums.js';

// Pages load when first shown (import() relative to this module, so under
// the same fingerprinted URL): the sign-in page does not fetch the
// dashboard's twenty modules, and a page fetches only its own.
const lazy = (load) => { let p = null; return () => { p = p || load().catch((e) => { p = null; throw e; }); return p; }; };
const signIn = lazy(() => import('./pages/sign-in.js'));
const overview = lazy(() => import('./pages/overview.js'));
const strategy = lazy(() => import('./pages/strategy.js'));
const workloads = lazy(() => import('./pages/workloads.js'));
const workload = lazy(() => import('./pages/workload.js'));
const workloadForm = lazy(() => import('./pages/workload-form.js'));
const contracts = lazy(() => import('./pages/contracts.js'));
const vendors = lazy(() => import('./pages/vendors.js'));
const scenarios = lazy(() => import('./pages/scenarios.js'));
const reports = lazy(() => import('./pages/reports.js'));
const audit = lazy(() => import('./pages/audit.js'));
const users = lazy(() => import('./pages/users.js'));
const tokens = lazy(() => import('./pages/tokens.js'));
const imports = lazy(() => import('./pages/imports.js'));
const changes = lazy(() => import('./pages/changes.js'));
const webhooks = lazy(() => import('./pages/webhooks.js'));

// [pattern, section (nav entry), page module loader, named params, ability needed]
// ('public': no sign-in needed; every other page needs a session).
const ROUTES = [
  [/^\/sign-in$/, 'sign-in', signIn, null, 'public'],
  [/^\/(overview)?$/, 'overview', overview],
  [new RegExp(`^/(${TRACKS.join('|')})$`), (m) => m[1], strategy, ['track']],
  [/^\/workloads$/, 'workloads', workloads],
  [/^\/workloads\/new$/, 'workloads', workloadForm, null, 'edit_workloads'],
  [/^\/workloads\/(\d+)$/, 'workloads', workload, ['id']],
  [/^\/workloads\/(\d+)\/edit$/, 'workloads', workloadForm, ['id'], 'edit_workloads'],
  [/^\/contracts$/, 'contracts', contracts],
  [/^\/contracts\/(\d+)$/, 'contracts', contracts, ['id']],
  [/^\/vendors$/, 'vendors', vendors],
  [/^\/vendors\/(\d+)$/, 'vendors', vendors, ['vendor']],
  [/^\/offerings\/(\d+)$/, 'vendors', vendors, ['offering']],
  [/^\/scenarios$/, 'scenarios', scenarios],
  [/^\/scenarios\/(\d+)$/, 'scenarios', scenarios, ['id']],
  [/^\/changes$/, 'changes', changes],
  [/^\/reports$/, 'reports', reports],
  [/^\/imports$/, 'imports', imports, null, 'edit_workloads'],
  [/^\/audit$/, 'audit', audit, null, 'audit'],
  [/^\/users$/, 'users', users, null, 'manage_users'],
  [/^\/webhooks$/, 'webhooks', webhooks, null, 'manage_webhooks'],
  [/^\/webhooks\/(\d+)$/, 'webhooks', webhooks, ['id'], 'manage_webhooks'],
  [/^\/tokens$/, 'tokens', tokens, null, 'tokens'],
];

// The navigation: [href, section, label, ability needed, class].
const NAV = [
  ['#/', 'overview', 'Overview'],
  ['#/copilot', 'copilot', 'Copilot', null, 'nav-track track-copilot'],
  ['#/azure', 'azure', 'Azure', null, 'nav-track track-azure'],
  ['#/openai', 'openai', 'OpenAI', null, 'nav-track track-openai'],
  ['#/workloads', 'workloads', 'Workloads'],
  ['#/contracts', 'contracts', 'Contracts'],
  ['#/vendors', 'vendors', 'Vendors'],
  ['#/scenarios', 'scenarios', 'Scenarios'],
  ['#/changes', 'changes', 'Changes since review'],
  ['#/reports', 'reports', 'Reports'],
  ['#/imports', 'imports', 'Import', 'edit_workloads'],
  ['#/audit', 'audit', 'Audit', 'audit'],
  ['#/users', 'users', 'Users', 'manage_users'],
  ['#/webhooks', 'webhooks', 'Webhooks', 'manage_webhooks'],
  ['#/tokens', 'tokens', 'API tokens', 'tokens'],
];

// Who may use a page, in words (for the "not allowed" message).
const NEEDS = {
  edit_workloads: 'the architect or admin role',
  audit: 'the auditor or admin role',
  manage_users: 'the admin role',
  manage_webhooks: 'the admin role',
  tokens: 'a signed-in user',
};

const main = document.getElementById('main');
const nav = document.getElementById('site-nav');
const header = document.querySelector('.site-header');
const menuButton = document.getElementById('menu-button');
let controller = null;
let first = true;
let section = null;

function markNav() {
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// The header follows the session: the navigation the role may use, who is
// signed in, and the sign-out button.
function showSession(s) {
  const list = nav.querySelector('ul');
  const signedIn = s.state === 'signed-in';
  replace(list, signedIn ? NAV.filter(([, , , need]) => !need || can(need)).map(([href, sec, text, need, cls]) => h('li', { class: need ? 'nav-extra' : null },
    h('a', { href, class: cls || null, dataset: { section: sec } }, text))) : null);
  nav.hidden = !signedIn;
  menuButton.hidden = !signedIn;
  if (!signedIn) closeMenu(false);
  markNav();
  const el = document.getElementById('session');
  if (!signedIn) { replace(el); return; }
  replace(el,
    h('p', { class: 'session-who' }, h('span', { class: 'visually-hidden' }, 'Signed in as '), h('strong', { class: 'session-name' }, s.name || 'unknown'), ' ',
      h('span', { class: 'role-tag' }, h('span', { class: 'visually-hidden' }, 'role: '), roleLabel(s.role))),
    h('button', { type: 'button', class: 'header-button', id: 'sign-out', onclick: async (e) => {
      e.currentTarget.disabled = true;
      try {
        await signOut(); // the session listener below shows the sign-in page
      } catch {
        // Signed out in this page anyway; the cookie expires on its own.
      }
      announce('Signed out.');
    } }, 'Sign out'));
}

// On a narrow screen (a phone) the navigation and the session sit behind the
// menu button (style.css shows the button below 900px only): opening moves
// focus to the first link, Escape closes and gives focus back to the button,
// and choosing a page, clicking elsewhere or tabbing out closes it.
function menuOpen() { return header.classList.contains('menu-open'); }
function openMenu() {
  header.classList.add('menu-open');
  menuButton.setAttribute('aria-expanded', 'true');
  const first = nav.querySelector('a');
  if (first) first.focus();
}
function closeMenu(returnFocus) {
  if (!menuOpen()) return;
  header.classList.remove('menu-open');
  menuButton.setAttribute('aria-expanded', 'false');
  if (returnFocus) menuButton.focus();
}
menuButton.addEventListener('click', () => { if (menuOpen()) closeMenu(false); else openMenu(); });
header.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && menuOpen()) { e.preventDefault(); closeMenu(true); }
});
header.addEventListener('focusout', (e) => {
  if (menuOpen() && e.relatedTarget && !header.contains(e.relatedTarget)) closeMenu(false);
});
document.addEventListener('click', (e) => {
  if (menuOpen() && !header.contains(e.target)) closeMenu(false);
});
nav.addEventListener('click', (e) => { if (e.target.closest('a')) closeMenu(false); });

function notAllowed(container, need) {
  const s = session();
  setTitle('Not allowed');
  replace(container,
    h('header', { class: 'page-header' }, h('h1', { tabindex: '-1' }, 'Not allowed')),
    errorBox({ title: 'Not allowed', detail: `This page needs ${NEEDS[need] || `the “${need}” permission`}. You are signed in as ${s.name} with the ${roleLabel(s.role).toLowerCase()} role.` }),
    h('p', null, h('a', { href: '#/' }, 'Go to the overview')));
}

function sessionUnknown(container, problem) {
  setTitle('Session unknown');
  const retry = h('button', { type: 'button', onclick: () => { retry.disabled = true; refresh().then(route); } }, 'Try again');
  replace(container,
    h('header', { class: 'page-header' }, h('h1', { tabindex: '-1' }, 'Could not check who is signed in')),
    errorBox(problem, 'The server could not say who is signed in'),
    h('p', null, retry));
}

// The route for a path: {section, load, params, need}, or null.
function match(path) {
  for (const [re, sec, load, names, need] of ROUTES) {
    const m = re.exec(path);
    if (m) {
      const params = {};
      (names || []).forEach((n, i) => { params[n] = m[i + 1]; });
      return { section: typeof sec === 'function' ? sec(m) : sec, load, params, need: need || 'read' };
    }
  }
  return null;
}

async function route() {
  if (controller) controller.abort();
  controller = new AbortController();
  const mine = controller;
  leavePage();
  const { path, query } = currentRoute();
  const found = match(path);
  // The page shown stays until the next one is ready (its module may still
  // be loading); it is marked as on its way out meanwhile.
  const old = main.querySelector('.page');
  if (old) { old.dataset.stale = '1'; old.setAttribute('aria-busy', 'true'); }
  // The page's module loads while the session is checked (both in flight
  // at once). The first page waits for the session (one small request);
  // later pages find it known already.
  const mod = found ? found.load() : null;
  if (mod) mod.catch(() => {});
  const s = await whenSession();
  if (mine !== controller) return; // a newer navigation has started
  if (s.state === 'signed-out' && !(found && found.need === 'public')) {
    redirect(signInHash(currentHashPath()));
    return;
  }
  let page = null;
  let loadError = null;
  if (found && (found.need === 'public' || (s.state !== 'error' && can(found.need)))) {
    try { page = await mod; } catch (err) { loadError = err; }
    if (mine !== controller) return;
  }
  const container = h('div', { class: 'page' });
  replace(main, container);
  document.body.dataset.page = found ? found.section : 'notfound';
  section = found ? found.section : null;
  markNav();
  if (s.state === 'error' && !(found && found.need === 'public')) {
    sessionUnknown(container, s.problem);
  } else if (!found) {
    setTitle('Page not found');
    replace(container,
      h('header', { class: 'page-header' }, h('h1', { tabindex: '-1' }, 'Page not found')),
      errorBox({ title: 'Not Found', detail: `There is no page at #${path}. Use the navigation above.` }));
  } else if (found.need !== 'public' && !can(found.need)) {
    notAllowed(container, found.need);
  } else if (loadError) {
    setTitle('Page not loaded');
    replace(container,
      h('header', { class: 'page-header' }, h('h1', { tabindex: '-1' }, 'This page could not be loaded')),
      errorBox({ title: 'Page not loaded', detail: `${loadError.message || loadError}. Check the connection and reload.` }));
  } else {
    try {
      const ctx = { main: container, params: found.params, query, signal: controller.signal, setTitle };
      page.render(ctx);
    } catch (err) {
      replace(container, errorBox(err, 'This page failed to render'));
    }
  }
  // Move focus to the new page's heading (or the field a page asks for,
  // such as the sign-in name), except the heading on the first load.
  const auto = container.querySelector('[data-autofocus]');
  if (auto) auto.focus();
  else if (!first) {
    const h1 = container.querySelector('h1');
    if (h1) h1.focus({ preventScroll: true });
  }
  if (!first) window.scrollTo(0, 0);
  first = false;
}

// The session changes: the header follows; a session that ends while a
// page is open leads to the sign-in page (which comes back to that page,
// unless one signed out on purpose).
let was = session().state;
onSessionChange((s) => {
  showSession(s);
  const ended = was === 'signed-in' && s.state === 'signed-out';
  was = s.state;
  if (ended && currentRoute().path !== '/sign-in') {
    redirect(s.reason === 'signed-out' ? '#/sign-in' : signInHash(currentHashPath()));
  }
});

// Any 401 from the API: the session has ended (expired, signed out in
// another tab, user disabled).
onUnauthorized(() => {
  if (session().state === 'signed-in') forget('expired');
});

// A 403 may mean the role changed since the page loaded: ask again, so the
// navigation and the actions offered follow the new role.
onForbidden(() => { refresh(); });

// The skip link moves focus to the content without touching the hash
// (which is the router's).
const skip = document.querySelector('.skip-link');
if (skip) {
  skip.addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
}

// Every page but the sign-in page has charts or leads to them: Chart.js
// starts loading now, beside the session check and the page's own module.
// (charts.js, which uses it, is not a static import here, so that the first
// round of requests holds only what every page needs; the same two names
// as its CHART_JS.)
if (currentRoute().path !== '/sign-in') loadScript('switchyard-chartjs', 'vendor/chart.umd.js');

setRouter(route);
window.addEventListener('hashchange', route);
route();
