// pages/reports.js - the auditor's page (#/reports): the risk model in force
// (weights, rules, levels) and, for roles allowed to export, a link to the
// JSON of each list. Formatted exports (CSV, PDF) come with the Reports issue.
import { h, link, fill, table, scroller } from '../dom.js';
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

export function render({ main, signal, setTitle }) {
  setTitle('Reports');
  const exportsPanel = panel('Data as JSON', { id: 'exports' });
  const model = panel('Risk model in force', { id: 'model', wide: true });
  main.append(pageHeader('Reports', { lead: 'For auditors: the rules the scores follow, and the data behind every page.' }),
    h('div', { class: 'grid' }, model.el, exportsPanel.el));
  fill(exportsPanel.body, () => whenSession(), () => (can('export')
    ? h('div', null,
      h('p', null, 'Each link opens the list exactly as the API answers it. Formatted exports (CSV and PDF) are coming.'),
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
