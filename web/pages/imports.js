// pages/imports.js - the Import page (#/imports): choose what the file is
// (a workload inventory or FinOps FOCUS cost data), upload it for a dry
// run, read the plan (records to create, field-by-field changes, records
// left alone, rows that cannot be used with row, column and reason, and
// for cost data what no workload was allocated), then apply exactly that
// file. Uploads show their progress (XMLHttpRequest's upload events:
// fetch() reports none). Architects and admins; the server checks again.
import { h, table, scroller, replace, announce } from '../dom.js';
import { field } from '../forms.js';
import { get } from '../api.js';
import { number } from '../format.js';
import { pageHeader, panel } from '../widgets.js';

const KINDS = [
  ['workloads', 'Workload inventory (CSV, the columns of the workload export)'],
  ['focus', 'Cost and usage: FinOps FOCUS 1.0–1.2 (CSV)'],
  ['litellm', 'Gateway configuration: LiteLLM proxy config.yaml'],
  ['lifecycle', 'Model lifecycle: a vendor’s model list (JSON; admins)'],
  ['litellm-spend', 'Gateway spend logs: LiteLLM SpendLogs (CSV or the JSON of /spend/logs)'],
];
// An amount with two decimals and its currency code.
const amount = (v, cur) => `${Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${cur}`;
const ACTION_TEXT = { create: 'Create', change: 'Change', unchanged: 'Leave alone', rejected: 'Cannot use' };

// POSTs the file with upload progress; resolves {status, body}.
function send(file, params, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/imports?${new URLSearchParams(params)}`);
    xhr.setRequestHeader('Content-Type', file.type === 'text/csv' ? 'text/csv' : 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('X-Switchyard-CSRF', '1');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('The upload did not reach the server.'));
    xhr.send(file);
  });
}

function changesCell(item) {
  if (item.action === 'rejected') {
    return h('span', { class: 'field-error' },
      item.column ? `Column ${item.column} (${item.column_name}): ${item.reason}` : item.reason);
  }
  if (!item.changes || !item.changes.length) return '';
  return h('ul', { class: 'plan-changes' }, item.changes.map((c) => h('li', null,
    h('strong', null, c.field), ': ',
    c.old === null || c.old === undefined ? '' : h('del', null, c.old || '(empty)'),
    c.old === null || c.old === undefined ? '' : ' → ',
    h('ins', null, c.new || '(empty)'))));
}

function planView(plan) {
  const c = plan.counts;
  const parts = [
    h('p', { class: 'plan-counts', role: 'status' },
      `${number(plan.rows)} rows read: ${number(c.create)} to create, ${number(c.change)} to change, `
      + `${number(c.unchanged)} unchanged, ${number(c.rejected)} that cannot be used.`),
  ];
  if (plan.unlisted_rejected) parts.push(h('p', null, `${number(plan.unlisted_rejected)} more unusable rows are counted but not listed.`));
  const shown = plan.items.filter((i) => i.action !== 'unchanged');
  parts.push(scroller('The plan', table({
    caption: plan.dry_run ? 'What the import would do (dry run)' : 'What the import did',
    className: 'plan-table',
    columns: [
      { label: 'Row', value: (i) => (i.row ? String(i.row) : '') },
      { label: 'Action', value: (i) => h('span', { class: `plan-${i.action}` }, ACTION_TEXT[i.action]) },
      { label: 'Record', value: (i) => i.name || '' },
      { label: 'Changes or reason', value: changesCell },
    ],
    rows: shown,
    empty: 'Nothing to create or change: the data already says what the file says.',
  })));
  const un = plan.summary && plan.summary.unallocated;
  if (un && un.length && plan.kind === 'litellm-spend') {
    parts.push(scroller('Gateway spend no workload was allocated', table({
      caption: 'Gateway spend no workload was allocated',
      className: 'unallocated-table',
      columns: [
        { label: 'Month', value: (u) => u.month },
        { label: 'Model group or tag', value: (u) => u.key || '(none)' },
        { label: 'Why', value: (u) => u.reason },
        { label: 'Requests', value: (u) => number(u.requests) },
        { label: 'Spend', value: (u) => amount(u.spend, plan.summary.currency) },
      ],
      rows: un,
    })));
  } else if (un && un.length) {
    parts.push(scroller('Cost no workload was allocated', table({
      caption: `Cost no workload was allocated (tag “${plan.summary.tag_key}”)`,
      className: 'unallocated-table',
      columns: [
        { label: 'Month', value: (u) => u.month },
        { label: 'Tag value', value: (u) => u.tag || '(no tag)' },
        { label: 'Rows', value: (u) => number(u.rows) },
        { label: 'Effective cost', value: (u) => amount(u.effective_cost, u.currency) },
      ],
      rows: un,
    })));
  }
  const sm = plan.summary || {};
  if (sm.unknown_providers && sm.unknown_providers.length) {
    parts.push(h('p', { class: 'plan-unknown' }, `Deployments of providers the catalogue does not have (not imported): ${sm.unknown_providers.map((u) => `${u.group} (${u.model})`).join(', ')}.`));
  }
  if (sm.unmatched && sm.unmatched.length) {
    parts.push(scroller('Models the catalogue does not have', table({
      caption: `Models the catalogue does not have (${number(sm.unmatched_total)} of ${number(sm.models)}; not created)`,
      className: 'unmatched-table',
      columns: [
        { label: 'Record', value: (u) => String(u.row) },
        { label: 'Model', value: (u) => u.model },
        { label: 'Provider', value: (u) => u.provider || '' },
        { label: 'Why', value: (u) => u.reason },
      ],
      rows: sm.unmatched,
    })));
  }
  if (sm.successors_unmatched) {
    parts.push(h('p', { class: 'plan-unknown' }, `${number(sm.successors_unmatched)} replacement models the list names are not in the catalogue; those successors were left as they are.`));
  }
  if (sm.unknown_models && sm.unknown_models.length) {
    parts.push(h('p', { class: 'plan-unknown' }, `Models the catalogue does not have (spend kept, no drill): ${sm.unknown_models.map((u) => `${u.model} (${number(u.requests)})`).join(', ')}.`));
  }
  if (sm.unmapped_groups && sm.unmapped_groups.length) {
    parts.push(h('p', { class: 'plan-unmapped' }, `Model groups no workload claims yet (tag a deployment "workload:NAME" once): ${sm.unmapped_groups.join(', ')}.`));
  }
  return h('div', { class: 'import-plan' }, parts);
}

function recentView(items) {
  return table({
    caption: 'The latest imports',
    columns: [
      { label: 'Import', value: (i) => `#${i.id} ${i.kind}` },
      { label: 'File', value: (i) => i.file_name },
      { label: 'Created / changed / unchanged', value: (i) => `${i.created} / ${i.changed} / ${i.unchanged}` },
      { label: 'By', value: (i) => i.by },
      { label: 'At', value: (i) => i.at },
    ],
    rows: items,
    empty: 'No import yet.',
  });
}

export function render({ main, signal, setTitle }) {
  setTitle('Import');
  const upload = panel('Import a file', { id: 'import-file', wide: true });
  const recent = panel('Recent imports', { id: 'import-recent', wide: true });
  main.append(pageHeader('Import evidence', {
    lead: 'Bring in what your organisation already holds instead of typing it: check a file first (a dry run changes nothing), then apply it. Every imported value keeps its source and date.',
  }), h('div', { class: 'grid' }, upload.el, recent.el));

  const kind = h('select', { id: 'import-kind' }, KINDS.map(([v, t]) => h('option', { value: v }, t)));
  const tagKey = h('input', { type: 'text', id: 'import-tag-key', value: 'workload', maxlength: '128' });
  const tagField = field('import-tag-key', 'Tag that names the workload', tagKey, { hint: 'FOCUS rows are allocated by this key of their Tags.' });
  const file = h('input', { type: 'file', id: 'import-file-input', accept: '.csv,.yaml,.yml,.json,text/csv,application/yaml,application/json' });
  const progress = h('progress', { max: '100', value: '0', hidden: true, 'aria-label': 'Upload progress' });
  const status = h('p', { class: 'import-status', role: 'status', 'aria-live': 'polite' });
  const result = h('div', { class: 'import-result' });
  const check = h('button', { type: 'submit' }, 'Check (dry run)');
  const apply = h('button', { type: 'button', class: 'primary', hidden: true }, 'Apply this file');
  const showTag = () => { tagField.hidden = kind.value !== 'focus'; };
  kind.addEventListener('change', () => { showTag(); apply.hidden = true; replace(result); });
  file.addEventListener('change', () => { apply.hidden = true; replace(result); });
  showTag();

  const run = async (dry) => {
    const chosen = file.files && file.files[0];
    if (!chosen) {
      replace(status, h('span', { class: 'field-error' }, 'Choose a file first.'));
      file.focus();
      return;
    }
    const params = { kind: kind.value, dry_run: String(dry), file_name: chosen.name };
    if (kind.value === 'focus') params.tag_key = tagKey.value || 'workload';
    check.disabled = true;
    apply.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    replace(status, `Uploading ${chosen.name}…`);
    try {
      const r = await send(chosen, params, (done, total) => {
        progress.value = Math.round((100 * done) / total);
        replace(status, `Uploading ${chosen.name}: ${progress.value}%`);
      });
      progress.value = 100;
      if (r.status === 200) {
        replace(status, dry ? `Checked ${chosen.name}: nothing has changed yet.` : `Applied ${chosen.name} as import #${r.body.import}.`);
        replace(result, planView(r.body));
        apply.hidden = !dry || r.body.counts.rejected > 0 || (r.body.counts.create + r.body.counts.change === 0);
        announce(dry ? 'Dry run done.' : 'Import applied.');
        if (!dry) loadRecent();
      } else {
        const b = r.body || {};
        replace(status, h('span', { class: 'field-error', role: 'alert' }, b.detail || `The server answered ${r.status}.`));
        replace(result, b.plan ? planView(b.plan) : '');
        apply.hidden = true;
      }
    } catch (err) {
      replace(status, h('span', { class: 'field-error', role: 'alert' }, err.message));
    } finally {
      check.disabled = false;
      apply.disabled = false;
      progress.hidden = true;
    }
  };
  apply.addEventListener('click', () => run(false));
  const form = h('form', { class: 'stack-form', novalidate: true, 'aria-label': 'Import a file', onsubmit: (e) => { e.preventDefault(); run(true); } },
    field('import-kind', 'What the file is', kind),
    tagField,
    field('import-file-input', 'File', file, { hint: 'CSV, YAML or JSON in UTF-8 (a byte order mark is fine), at most 64 MiB; larger files: switchyard import.' }),
    h('div', { class: 'form-actions' }, check, apply),
    progress, status);
  replace(upload.body, form, result,
    h('p', null, 'The workload inventory’s columns are those of ', h('a', { href: '/api/v1/exports/workloads.csv', download: 'workloads.csv' }, 'the workload export'), '.'));

  const recentBody = h('div', null);
  const declaredBody = h('div', { class: 'declared-only' });
  replace(recent.body, recentBody, declaredBody);
  const declaredView = (list) => (list.length
    ? h('div', null, h('h3', null, 'Declared only: no evidence yet'),
      h('p', null, 'Active workloads whose swap layer or alternatives no import has observed; a gateway configuration would show them.'),
      h('ul', null, list.map((d) => h('li', null, h('a', { href: `#/workloads/${d.id}` }, d.name), ': ',
        [d.swap_layer ? 'swap layer' : null, d.alternatives ? 'alternatives' : null].filter(Boolean).join(' and ')))))
    : h('p', null, 'Every active workload’s swap layer and alternatives are backed by an import.'));
  const loadRecent = () => get('/imports', { signal }).then((r) => {
    replace(recentBody, recentView(r.items));
    replace(declaredBody, declaredView(r.declared_only || []));
  }).catch(() => {});
  loadRecent();
}
