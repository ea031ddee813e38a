// pages/reports-standard.js - the Reports page's panel of standard
// artefacts built from the same data: the CycloneDX 1.6 AI-BOM (the whole
// active set, or one workload) and the EU AI Act deployer register (CSV or
// JSON). Each download is an audited export on the server.
import { h } from '../dom.js';
import { field } from '../forms.js';
import { get } from '../api.js';

const BOM = '/api/v1/reports/cyclonedx';
const AI_ACT = '/api/v1/reports/ai-act';

function fileLink(href, text, id) {
  return h('a', { class: 'button secondary', href, download: '', id }, text);
}

// The panel's content; `signal` aborts the workload list's request.
export async function standardExports(signal) {
  const list = await get('/workloads?limit=500&sort=name', { signal });
  const active = list.items.filter((w) => w.status === 'pilot' || w.status === 'production');
  const pick = h('select', null, h('option', { value: '' }, 'The whole active portfolio'),
    active.map((w) => h('option', { value: String(w.id) }, w.name)));
  const bom = fileLink(BOM, 'CycloneDX AI-BOM (JSON)', 'export-cyclonedx');
  pick.addEventListener('change', () => {
    bom.href = pick.value ? `${BOM}?workload=${pick.value}` : BOM;
  });
  return h('div', null,
    h('h3', null, 'CycloneDX AI-BOM'),
    h('p', null, 'A CycloneDX 1.6 bill of materials for security tools: each workload as an application, ',
      'each model as a machine-learning model with its publisher and version, the other offerings as services, ',
      'the dependency graph, and the lock-in score, priority and last exit drill as properties.'),
    h('div', { class: 'filters' }, field('export-bom-scope', 'Scope', pick)),
    h('div', { class: 'form-actions' }, bom),
    h('h3', null, 'EU AI Act deployer register'),
    h('p', null, 'One row per active workload: risk tier and Annex III area, the provider of the AI system, ',
      'intended purpose, human oversight, log retention, impact assessment, information to affected persons, ',
      'incident contact, and the gaps the compliance checks found.'),
    h('div', { class: 'form-actions' },
      fileLink(`${AI_ACT}?format=csv`, 'AI Act register (CSV)', 'export-ai-act-csv'), ' ',
      fileLink(`${AI_ACT}?format=json`, 'AI Act register (JSON)', 'export-ai-act-json')));
}
