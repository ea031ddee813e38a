// pages/reports.js - the auditor's page (#/reports): the governance report
// (choose format and "changes since", preview the HTML, download), the public
// key and the commands that verify a signed bundle, the risk model in force,
// and the JSON of each list.
import { h, link, fill, table, scroller, replace } from '../dom.js';
import { field } from '../forms.js';
import { get } from '../api.js';
import { number, label } from '../format.js';
import { whenSession, can, session } from '../session.js';
import { pageHeader, panel } from '../widgets.js';

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
  ['csv', 'CSV tables (delivered as the signed bundle)'],
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

// The public key and how to check a bundle on another machine.
function verifyHelp(key) {
  const keyLine = key.trim().split('\n').pop();
  return h('div', null,
    h('p', null, 'Bundles are signed with this Ed25519 key in minisign’s format:'),
    h('pre', { class: 'json' }, key),
    h('p', null, 'To verify a downloaded bundle:'),
    h('pre', { class: 'json' }, [
      'tar xzf governance-report-*.tar.gz && cd governance-report-*/',
      'sha256sum -c manifest-sha256.txt',
      `minisign -Vm manifest-sha256.txt -P ${keyLine}`,
      '# or, where Switchyard is installed:',
      'switchyard report verify governance-report-*.tar.gz',
    ].join('\n')));
}

export function render({ main, signal, setTitle }) {
  setTitle('Reports');
  const reportPanel = panel('Governance report', { id: 'report', wide: true });
  const keyPanel = panel('Verify a bundle', { id: 'verify' });
  const exportsPanel = panel('Data as JSON', { id: 'exports' });
  const model = panel('Risk model in force', { id: 'model', wide: true });
  main.append(pageHeader('Reports', { lead: 'For auditors: the governance report, its signature, the rules the scores follow, and the data behind every page.' }),
    h('div', { class: 'grid' }, reportPanel.el, keyPanel.el, model.el, exportsPanel.el));
  fill(reportPanel.body, () => whenSession(), () => (can('export')
    ? reportForm()
    : h('p', null, `Exports need the auditor or admin role; yours is ${session().role}.`)));
  fill(keyPanel.body, async () => {
    const res = await fetch('/api/v1/reports/public-key', { signal });
    if (!res.ok) throw new Error(`The public key could not be read (HTTP ${res.status}).`);
    return res.text();
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
