// app.js - the front end's entry point: the hash router (every page has its
// own bookmarkable URL such as #/azure or #/workloads/12), the session
// (who is using the page, what their role allows) and page switching.
import { h, replace, errorBox } from './dom.js';
import { whenSession } from './session.js';
import { currentRoute, setTitle } from './route.js';
import { destroyCharts } from './charts.js';
import * as overview from './pages/overview.js';
import * as strategy from './pages/strategy.js';
import * as workloads from './pages/workloads.js';
import * as workload from './pages/workload.js';
import * as workloadForm from './pages/workload-form.js';
import * as contracts from './pages/contracts.js';
import * as vendors from './pages/vendors.js';
import * as scenarios from './pages/scenarios.js';
import * as reports from './pages/reports.js';

// [pattern, section (nav entry), page module, named params]
const ROUTES = [
  [/^\/(overview)?$/, 'overview', overview],
  [/^\/(copilot|azure|openai|other)$/, (m) => m[1], strategy, ['track']],
  [/^\/workloads$/, 'workloads', workloads],
  [/^\/workloads\/new$/, 'workloads', workloadForm],
  [/^\/workloads\/(\d+)$/, 'workloads', workload, ['id']],
  [/^\/workloads\/(\d+)\/edit$/, 'workloads', workloadForm, ['id']],
  [/^\/contracts$/, 'contracts', contracts],
  [/^\/contracts\/(\d+)$/, 'contracts', contracts, ['id']],
  [/^\/vendors$/, 'vendors', vendors],
  [/^\/vendors\/(\d+)$/, 'vendors', vendors, ['vendor']],
  [/^\/offerings\/(\d+)$/, 'vendors', vendors, ['offering']],
  [/^\/scenarios$/, 'scenarios', scenarios],
  [/^\/scenarios\/(\d+)$/, 'scenarios', scenarios, ['id']],
  [/^\/reports$/, 'reports', reports],
];

const main = document.getElementById('main');
let controller = null;
let first = true;

function markNav(section) {
  for (const a of document.querySelectorAll('.site-nav a')) {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route() {
  if (controller) controller.abort();
  controller = new AbortController();
  destroyCharts();
  const { path, query } = currentRoute();
  let found = null;
  for (const [re, section, mod, names] of ROUTES) {
    const m = re.exec(path);
    if (m) {
      const params = {};
      (names || []).forEach((n, i) => { params[n] = m[i + 1]; });
      found = { section: typeof section === 'function' ? section(m) : section, mod, params };
      break;
    }
  }
  const container = h('div', { class: 'page' });
  replace(main, container);
  document.body.dataset.page = found ? found.section : 'notfound';
  markNav(found ? found.section : null);
  if (!found) {
    setTitle('Page not found');
    replace(container,
      h('header', { class: 'page-header' }, h('h1', { tabindex: '-1' }, 'Page not found')),
      errorBox({ title: 'Not Found', detail: `There is no page at #${path}. Use the navigation above.` }));
  } else {
    try {
      const ctx = { main: container, params: found.params, query, signal: controller.signal, setTitle };
      found.mod.render(ctx);
    } catch (err) {
      replace(container, errorBox(err, 'This page failed to render'));
    }
  }
  // Move focus to the new page's heading, except on the first load.
  if (!first) {
    const h1 = container.querySelector('h1');
    if (h1) h1.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  first = false;
}

function showSession(s) {
  const el = document.getElementById('session');
  if (!el) return;
  const who = s.name ? `Signed in as ${s.name} (${s.role})` : `Role: ${s.role}`;
  if (s.signedOut) { replace(el, 'Not signed in'); return; }
  replace(el, who, s.assumed && !s.problem ? h('span', { class: 'muted' }, ' (no sign-in configured)') : null,
    s.problem ? h('span', { class: 'muted' }, ` (session unknown: ${s.problem.title}; read-only)`) : null);
}

// The session is asked for in parallel with the first page's data; pages
// that hide actions by role wait for it through whenSession().
whenSession().then(showSession);

// The skip link moves focus to the content without touching the hash
// (which is the router's).
const skip = document.querySelector('.skip-link');
if (skip) {
  skip.addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
}

window.addEventListener('hashchange', route);
route();
