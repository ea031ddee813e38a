// pages/reports.js - the auditor's page (#/reports): the governance report
// (choose format and "changes since", preview the HTML, download), the public
// key (copy, download, key ID) and the commands that verify a signed bundle,
// "Verify a bundle" (upload, checked by the server), the standard exports
// (CycloneDX AI-BOM, EU AI Act register: reports-standard.js), the risk model in force,
// and the JSON of each list.
import { h, link, fill, table, scroller, replace, announce } from '../dom.js';
import { field } from '../forms.js';
import { get } from '../api.js';
import { number, label } from '../format.js';
import { whenSession, can, session } from '../session.js';
import { pageHeader, panel } from '../widgets.js';
import { copyText } from '../secret.js';
import { standardExports } from './reports-standard.js';

const EXPORTS = [
  ['Workloads, with risk and its factors', '/api/v1/workloads?limit=500&sort=-risk'],
  ['Flagged workloads', '/api/v1/workloads?limit=500&flagged=true&sort=-risk'],
  ['Vendors', '/api/v1/vendors?limit=500'],
  ['Offerings', '/api/v1/offerings?limit=500'],
  ['Contracts, with notice deadlines and terms', '/api/v1/contracts?limit=500'],
  ['Saved scenarios', '/api/v1/scenarios?limit=500'],
  ['Portfolio summary', '/api/v1/portfolio/summary'],
  ['Concentration by spend', '/api/v1/portfolio/concentration?basis=spend&connected=false'],
  ['Concentration by spend, closely connected groups merged', '/api/v1/portfolio/concentration?basis=spend&connected=true'],
  ['Concentration by criticality-weighted workloads', '/api/v1/portfolio/concentration?basis=workloads&connected=false'],
  ['Copilot strategy', '/api/v1/strategies/copilot'],
  ['Azure strategy', '/api/v1/strategies/azure'],
  ['OpenAI strategy', '/api/v1/strategies/openai'],
  ['Other vendors', '/api/v1/strategies/other'],
  ['Risk model', '/api/v1/risk/model'],
  ['API description (OpenAPI 3.1)', '/api/openapi.json'],
];

const FORMATS = [
  ['bundle', 'Signed bundle (.tar.gz: HTML, JSON, CSV, manifest, signature)'],
  ['html', 'HTML, print-ready on A4'],
  ['json', 'JSON, the complete model'],
  ['csv', 'CSV tables (.zip, one file per table, not signed)'],
];

const REPORT = '/api/v1/reports/governance';

function reportUrl(format, since, extra = '') {
  const q = new URLSearchParams({ format });
  if (since) q.set('since', since);
  return `${REPORT}?${q.toString()}${extra}`;
}

// The governance report: format, "changes since", preview and download.
function reportForm() {
  const format = h('select', null, FORMATS.map(([v, text]) => h('option', { value: v }, text)));
  const since = h('input', { type: 'date' });
  const download = h('a', { class: 'button', href: reportUrl('bundle', '') }, 'Download');
  const preview = h('button', { type: 'button', class: 'secondary' }, 'Preview the HTML');
  const frameHolder = h('div', { class: 'report-preview' });
  const update = () => { download.href = reportUrl(format.value, since.value); };
  format.addEventListener('change', update);
  since.addEventListener('change', update);
  preview.addEventListener('click', () => {
    replace(frameHolder, h('iframe', {
      title: 'Preview of the governance report',
      src: reportUrl('html', since.value, '&inline=true'),
      sandbox: '',
      class: 'report-frame',
    }));
  });
  return h('div', null,
    h('p', null, 'One report, one consistent snapshot of the data: the cover names the audit head it ',
      'reflects; every export is itself recorded in the audit trail.'),
    h('div', { class: 'filters' },
      field('report-format', 'Format', format),
      field('report-since', 'Changes since (optional)', since,
        { hint: 'Adds the audit trail’s changes from this date on.' })),
    h('div', { class: 'form-actions' }, download, preview),
    frameHolder);
}

// The public key with its key ID and fingerprint (to compare with what the
// operator published from `switchyard keys show`), to copy or download, and
// how to check a bundle on another machine.
function verifyHelp(signing) {
  const key = signing.public_key;
  const keyLine = key.trim().split('\n').pop();
  const keyId = signing.key_id || 'unknown';
  const status = h('span', { class: 'copy-status', role: 'status' });
  const holder = h('input', { type: 'text', id: 'key-line', value: keyLine, readonly: true, class: 'key-line', spellcheck: 'false' });
  const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    const ok = await copyText(keyLine, holder);
    status.textContent = ok ? 'Copied.' : 'Could not copy: select the key and press Ctrl+C.';
    if (ok) announce('Public key copied.');
  } }, 'Copy the key');
  return h('div', null,
    h('p', null, 'Bundles are signed with this Ed25519 key in minisign’s format. Its key ID, ',
      h('strong', { class: 'key-id' }, keyId),
      ', is the one to compare with a bundle’s report-info.txt.'),
    h('p', null, 'Fingerprint: ', h('code', { class: 'key-fingerprint' }, signing.fingerprint),
      '. Compare it with the one your operator published (', h('code', null, 'switchyard keys show'),
      '); a match means this page shows the real key.'),
    h('pre', { class: 'json key-text' }, key),
    field('key-line', 'The key as minisign -P takes it', holder),
    h('div', { class: 'form-actions' }, copy,
      h('a', { class: 'button secondary', href: '/api/v1/reports/public-key', download: 'switchyard-report.pub' }, 'Save the key as a file'),
      status),
    h('p', null, 'To verify a downloaded bundle without Switchyard:'),
    h('pre', { class: 'json' }, [
      'tar xzf governance-report-*.tar.gz && cd governance-report-*/',
      'sha256sum -c manifest-sha256.txt',
      `minisign -Vm manifest-sha256.txt -P ${keyLine}`,
      '# or, where Switchyard is installed, from any folder:',
      'switchyard report verify governance-report-*.tar.gz --public-key switchyard-report.pub',
    ].join('\n')));
}

const CHECK_TEXT = { ok: 'Passed', failed: 'Failed', skipped: 'Not checked' };

// The server's verdict on an uploaded bundle: a headline, then each check.
function verdictView(v, fileName) {
  const headline = v.verified
    ? `Verified: ${fileName} is as signed with this server’s key ${v.key_id}, and its audit head is part of the trail.`
    : `Not verified: ${fileName} failed ${v.checks.filter((c) => c.state === 'failed').length} of ${v.checks.length} checks.`;
  return h('div', { class: 'bundle-verdict' },
    h('p', { class: `verdict ${v.verified ? 'verdict-ok' : 'verdict-broken'}`, role: 'status' }, headline),
    scroller('Checks of the bundle', table({
      caption: 'Each check of the bundle',
      columns: [
        { label: 'Check', value: (c) => c.name },
        { label: 'Result', value: (c) => h('span', { class: `check-${c.state}` }, CHECK_TEXT[c.state] || c.state) },
        { label: 'Detail', value: (c) => c.detail || '' },
      ],
      rows: v.checks,
    })));
}

// Upload a bundle; the server checks signature, manifest and audit head.
function verifyForm() {
  const file = h('input', { type: 'file', accept: '.tar.gz,.tgz,application/gzip' });
  const result = h('div', { class: 'verify-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit' }, 'Verify');
  const form = h('form', { class: 'verify-form', onsubmit: async (ev) => {
    ev.preventDefault();
    const chosen = file.files && file.files[0];
    if (!chosen) {
      replace(result, h('p', { class: 'field-error', role: 'alert' }, 'Choose a bundle (.tar.gz) first.'));
      file.focus();
      return;
    }
    button.disabled = true;
    replace(result, h('p', null, `Checking ${chosen.name}…`));
    try {
      const res = await fetch('/api/v1/reports/verify', {
        method: 'POST', body: chosen, cache: 'no-store',
        headers: { 'Content-Type': 'application/gzip', Accept: 'application/json, application/problem+json', 'X-Switchyard-CSRF': '1' },
      });
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new Error((body && body.detail) || `The server answered ${res.status}.`);
      replace(result, verdictView(body, chosen.name));
    } catch (err) {
      replace(result, h('p', { class: 'field-error', role: 'alert' }, `Not checked: ${err.message}`));
    } finally {
      button.disabled = false;
    }
  } },
  field('verify-file', 'Bundle to verify', file, { hint: 'A governance report bundle (.tar.gz) downloaded from this server, at most 8 MiB.' }),
  h('div', { class: 'form-actions' }, button));
  return h('div', null,
    h('p', null, 'The server checks the signature with its own key, every file against the manifest, and that the audit head the bundle names is part of its intact audit trail.'),
    form, result);
}

// The DORA register of information (issue 17): three downloads, each an
// audited export.
const DORA = [
  ['csv-zip', 'CSV templates (.zip: one file per template, column codes c0010…, validation report)'],
  ['xbrl-csv', 'xBRL-CSV report package (.zip, EBA DORA 4.0 structure)'],
  ['validation', 'Validation report (JSON): every required field still missing'],
];
function doraLinks() {
  return h('div', null,
    h('p', null, 'The register of ICT third-party arrangements (Implementing Regulation (EU) 2024/2956) built from the same data; empty required cells are listed, never filled with a guess.'),
    h('ul', { class: 'exports' }, DORA.map(([format, title]) => h('li', null,
      h('a', { href: `/api/v1/reports/dora?format=${format}`, download: '' }, title)))));
}

export function render({ main, signal, setTitle }) {
  setTitle('Reports');
  const reportPanel = panel('Governance report', { id: 'report', wide: true });
  const keyPanel = panel('Public key', { id: 'verify' });
  const checkPanel = panel('Verify a bundle', { id: 'check-bundle' });
  const exportsPanel = panel('Data as JSON', { id: 'exports' });
  const doraPanel = panel('DORA register of information', { id: 'dora' });
  const standardPanel = panel('Standard exports', { id: 'standard-exports' });
  const model = panel('Risk model in force', { id: 'model', wide: true });
  main.append(pageHeader('Reports', { lead: 'For auditors: the governance report, its signature, the rules the scores follow, and the data behind every page.' }),
    h('div', { class: 'grid' }, reportPanel.el, standardPanel.el, checkPanel.el, keyPanel.el, doraPanel.el, model.el, exportsPanel.el));
  fill(doraPanel.body, () => whenSession(), () => (can('export')
    ? doraLinks()
    : h('p', null, `Exports need the auditor or admin role; yours is ${session().role}.`)));
  fill(checkPanel.body, () => whenSession(), () => (can('export')
    ? verifyForm()
    : h('p', null, `Verifying bundles needs the auditor or admin role; yours is ${session().role}.`)));
  fill(reportPanel.body, () => whenSession(), () => (can('export')
    ? reportForm()
    : h('p', null, `Exports need the auditor or admin role; yours is ${session().role}.`)));
  fill(standardPanel.body, async () => (await whenSession(), can('export') ? standardExports(signal) : null),
    (el) => el || h('p', null, `Exports need the auditor or admin role; yours is ${session().role}.`));
  fill(keyPanel.body, async () => {
    const res = await fetch('/api/v1/reports/signing-key', { signal });
    if (!res.ok) throw new Error(`The public key could not be read (HTTP ${res.status}).`);
    return res.json();
  }, verifyHelp);
  fill(exportsPanel.body, () => whenSession(), () => (can('export')
    ? h('div', null,
      h('p', null, 'Each link opens the list exactly as the API answers it.'),
      h('ul', { class: 'exports' }, EXPORTS.map(([title, href]) => h('li', null, link(href, title), h('span', { class: 'sub' }, href)))))
    : h('p', null, `Exports need the auditor or admin role; yours is ${session().role}.`)));
  fill(model.body, () => get('/risk/model', { signal }), (m) => h('div', null,
    h('p', null, m.explanation),
    scroller('Risk factors', table({
      caption: 'Factors, their points and when they apply',
      columns: [
        { label: 'Factor', value: (f) => label(f.code) },
        { label: 'Points', num: true, value: (f) => number(f.points) },
        { label: 'Default', num: true, value: (f) => number(f.default) },
        { label: 'Applies when', value: (f) => f.rule },
      ],
      rows: m.factors,
    })),
    scroller('Levels', table({
      caption: 'Levels',
      columns: [
        { label: 'Level', value: (l) => label(l.level) },
        { label: 'From', num: true, value: (l) => number(l.min) },
        { label: 'To', num: true, value: (l) => number(l.max) },
      ],
      rows: m.levels,
    })),
    h('p', null, h('strong', null, 'Flagged: '), m.flagged, '.')));
}
