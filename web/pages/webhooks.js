// pages/webhooks.js - webhooks (#/webhooks, admin): the endpoints Switchyard
// calls when something happens, with their events and status; registering
// one (URL, events; the signing secret is shown once, with a Copy button);
// disabling, enabling and deleting; and (#/webhooks/ID) an endpoint's
// deliveries with their status, attempts and last answer, each replayable.
// Deliveries are sent by the server's background worker, so a new one shows
// as pending first: the list has a Refresh button.
import { h, fill, replace, errorBox, announce, scroller, link } from '../dom.js';
import { get, post, patch, del, ApiError } from '../api.js';
import { timestamp, number } from '../format.js';
import { pageHeader, panel } from '../widgets.js';
import { secretBox } from '../secret.js';
import { field, setFieldError, clearErrors, showErrors, summaryBox } from '../forms.js';

// The event types (core/webhook.h), in the server's order, with what raises each.
export const EVENTS = [
  ['workload.flagged', 'A workload becomes flagged'],
  ['workload.unflagged', 'A workload is no longer flagged'],
  ['priority.p1', 'An active workload becomes P1'],
  ['deadline.upcoming', 'A contract\u2019s notice deadline is 30 days away or nearer'],
  ['acceptance.expired', 'A risk acceptance expires'],
  ['drill.failed', 'An exit drill fails'],
  ['import.applied', 'An evidence import is applied'],
  ['audit.verify_failed', 'The audit trail fails its verification'],
];

const STATUS_TEXT = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' };
const STATUS_CLASS = { pending: 'sev-medium', delivered: 'state-on', failed: 'sev-high' };

export function render({ main, params, signal, setTitle }) {
  const chosen = params && params.id ? Number(params.id) : null;
  setTitle(chosen ? `Webhook ${chosen}: deliveries` : 'Webhooks');
  const list = panel('Registered endpoints', { id: 'webhook-list', wide: true });
  const create = panel('Register an endpoint', { id: 'add-webhook' });
  const status = h('div', { class: 'list-status' });
  const listBody = h('div', null);
  replace(list.body, status, listBody);
  const deliveries = chosen ? panel(`Deliveries of webhook ${chosen}`, { id: 'webhook-deliveries', full: true,
    note: 'Newest first. A delivery is retried with backoff for a day; the event ID stays the same in every retry and replay.' }) : null;
  main.append(
    pageHeader('Webhooks', { lead: 'Switchyard calls these HTTP(S) endpoints when something happens, with a JSON body signed in the header “Switchyard-Signature: t=<unix seconds>,v1=<HMAC-SHA-256 of t.body>”.' }),
    h('div', { class: 'grid' }, deliveries ? deliveries.el : null, list.el, create.el));

  const say = (message, ok = true) => {
    replace(status, ok ? h('p', { class: 'ok', role: 'status' }, message) : message);
    if (ok) announce(message);
  };
  const load = () => fill(listBody, () => get('/webhooks', { signal }), (r) => hooksTable(r.items), 'Loading webhooks');

  // ---- register --------------------------------------------------------------
  const url = h('input', { type: 'url', autocomplete: 'off', spellcheck: 'false', inputmode: 'url', maxlength: '2048' });
  const description = h('input', { type: 'text', autocomplete: 'off', maxlength: '500' });
  const boxes = EVENTS.map(([name], i) => h('input', { type: 'checkbox', id: `wh-event-${i}`, value: name, 'aria-describedby': 'wh-event-0-error' }));
  const events = h('fieldset', { class: 'check-group' },
    h('legend', null, 'Events', h('span', { class: 'req' }, ' (required)')),
    EVENTS.map(([name, what], i) => h('div', { class: 'field check' }, boxes[i],
      h('label', { for: boxes[i].id }, h('code', null, name), h('span', { class: 'sub' }, what)))),
    h('p', { class: 'field-error', id: 'wh-event-0-error', hidden: true }));
  const summary = h('div', { class: 'form-summary', tabindex: '-1' });
  const reveal = h('div', { class: 'reveal' });
  const submit = h('button', { type: 'submit' }, 'Register endpoint');
  const form = h('form', { class: 'stack-form', novalidate: true, 'aria-label': 'Register an endpoint', onsubmit: (e) => { e.preventDefault(); add(); } },
    field('wh-url', 'URL', url, { required: true, hint: 'http:// or https://, with a host; no user name or password in it. Redirects are not followed.' }),
    events,
    field('wh-description', 'Description', description, { hint: 'Optional: who runs the receiver, e.g. “ops chat channel”.' }),
    summary,
    h('div', { class: 'form-actions' }, submit));
  replace(create.body, form, reveal);

  async function add() {
    clearErrors(form, summary);
    replace(reveal);
    const chosenEvents = boxes.filter((b) => b.checked).map((b) => b.value);
    if (!/^https?:\/\/[^\s/?#@]+([/?#]\S*)?$/i.test(url.value.trim())) setFieldError(url, 'Give an http:// or https:// URL with a host, without spaces.');
    if (!chosenEvents.length) setFieldError(boxes[0], 'Choose at least one event.');
    const bad = form.querySelector('[aria-invalid="true"]');
    if (bad) { bad.focus(); return; }
    const body = { url: url.value.trim(), events: chosenEvents };
    if (description.value.trim()) body.description = description.value.trim();
    submit.disabled = true;
    try {
      const { data } = await post('/webhooks', body);
      form.reset();
      announce(`Webhook ${data.webhook.id} registered.`);
      replace(reveal, secretBox({
        id: 'new-webhook-secret', title: `Signing secret of webhook ${data.webhook.id}`, label: 'Secret', secret: data.secret,
        warning: 'Copy it now: it is shown only once. The receiver checks each delivery\u2019s signature with it; if it is lost, rotate the secret through the API.',
        note: 'Check “Switchyard-Signature: t=…,v1=…”: v1 is the hex HMAC-SHA-256 of “t.body” keyed with this secret; reject old t and event IDs already handled.',
        onDismiss: () => url.focus(),
      }));
      reveal.querySelector('input').focus();
      load();
    } catch (err) {
      if (!(err instanceof ApiError)) { replace(summary, errorBox(err)); return; }
      const rest = showErrors(err, { url, events: boxes[0], description });
      if (rest.length || !err.errors.length) {
        replace(summary, summaryBox(err, 'Not registered', rest));
        if (!err.errors.length) summary.focus();
      }
    } finally {
      submit.disabled = false;
    }
  }

  // ---- the list ----------------------------------------------------------------
  async function act(control, run, done, failed) {
    control.disabled = true;
    try {
      await run();
      say(done);
      await load();
    } catch (err) {
      control.disabled = false;
      say(errorBox(err, failed), false);
    }
  }

  function hooksTable(items) {
    return scroller('Webhooks', h('table', { class: 'webhooks-table' },
      h('caption', null, items.length ? `${number(items.length)} ${items.length === 1 ? 'endpoint' : 'endpoints'}` : 'No endpoint yet'),
      h('thead', null, h('tr', null, ['Endpoint', 'Events', 'Status', 'Registered', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, items.length ? items.map(hookRow)
        : h('tr', null, h('td', { colspan: 5, class: 'empty' }, 'No endpoint is registered: Switchyard calls nobody.')))));
  }

  function hookRow(w) {
    const name = `webhook ${w.id}`;
    const toggle = h('button', { type: 'button', class: 'secondary small', onclick: () => act(toggle,
      () => patch(`/webhooks/${w.id}`, { enabled: !w.enabled }),
      w.enabled ? `Webhook ${w.id} disabled: nothing is sent to it until it is enabled.` : `Webhook ${w.id} enabled.`,
      `Webhook ${w.id} was not changed`) },
    w.enabled ? 'Disable' : 'Enable', h('span', { class: 'visually-hidden' }, ` ${name}`));
    const remove = h('button', { type: 'button', class: 'secondary small', onclick: () => {
      if (!window.confirm(`Delete webhook ${w.id} (${w.url})? Its deliveries go with it, including those still pending. This cannot be undone.`)) return;
      act(remove, () => del(`/webhooks/${w.id}`), `Webhook ${w.id} deleted.`, `Webhook ${w.id} was not deleted`);
    } }, 'Delete', h('span', { class: 'visually-hidden' }, ` ${name}`));
    return h('tr', { class: w.enabled ? null : 'is-disabled', dataset: { id: String(w.id) } },
      h('th', { scope: 'row', class: 'webhook-url' }, h('code', null, w.url), w.description ? h('span', { class: 'sub' }, w.description) : null),
      h('td', null, h('ul', { class: 'plain-list' }, w.events.map((e) => h('li', null, h('code', null, e))))),
      h('td', null, h('span', { class: `badge ${w.enabled ? 'state-on' : 'state-off'}` }, w.enabled ? 'Enabled' : 'Disabled')),
      h('td', { class: 'nowrap' }, timestamp(w.created_at)),
      h('td', null, h('div', { class: 'row-actions' },
        link(`#/webhooks/${w.id}`, 'Deliveries', h('span', { class: 'visually-hidden' }, ` of ${name}`)), toggle, remove)));
  }

  // ---- deliveries ----------------------------------------------------------------
  function showDeliveries() {
    const out = h('div', null);
    const note = h('div', { class: 'list-status' });
    const refresh = h('button', { type: 'button', class: 'secondary small', onclick: () => loadDeliveries() }, 'Refresh');
    replace(deliveries.body, h('p', null, refresh, ' ', link('#/webhooks', 'All endpoints')), note, out);
    const loadDeliveries = () => fill(out, () => get(`/webhooks/${chosen}/deliveries`, { signal }), (r) => deliveriesTable(r.items), 'Loading deliveries');

    function deliveriesTable(items) {
      return scroller('Deliveries', h('table', { class: 'deliveries-table' },
        h('caption', null, items.length ? `${number(items.length)} ${items.length === 1 ? 'delivery' : 'deliveries'}, newest first` : 'No delivery yet'),
        h('thead', null, h('tr', null, ['Event', 'Status', 'Attempts', 'Last answer', 'Last attempt', 'Next attempt', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, items.length ? items.map(deliveryRow)
          : h('tr', null, h('td', { colspan: 7, class: 'empty' }, 'Nothing was sent to this endpoint yet.')))));
    }

    function deliveryRow(d) {
      const replay = h('button', { type: 'button', class: 'secondary small', onclick: async () => {
        replay.disabled = true;
        try {
          await post(`/webhooks/deliveries/${d.id}/replay`); // no body
          replace(note, h('p', { class: 'ok', role: 'status' }, `Delivery ${d.id} (${d.type}) queued again with the same event ID.`));
          announce(`Delivery ${d.id} queued again.`);
          await loadDeliveries();
        } catch (err) {
          replay.disabled = false;
          replace(note, errorBox(err, `Delivery ${d.id} was not replayed`));
        }
      } }, 'Replay', h('span', { class: 'visually-hidden' }, ` delivery ${d.id}`));
      const answer = d.response_code ? `HTTP ${d.response_code}` : '';
      return h('tr', { dataset: { id: String(d.id), status: d.status } },
        h('th', { scope: 'row' }, h('code', null, d.type), h('span', { class: 'sub' }, d.event_id)),
        h('td', null, h('span', { class: `badge ${STATUS_CLASS[d.status] || 'state-off'}` }, STATUS_TEXT[d.status] || d.status)),
        h('td', { class: 'num' }, number(d.attempts)),
        h('td', { class: 'delivery-answer' }, [answer, d.last_error].filter(Boolean).join(': ') || '—'),
        h('td', { class: 'nowrap' }, d.last_attempt_at ? timestamp(d.last_attempt_at) : '—'),
        h('td', { class: 'nowrap' }, d.next_attempt_at ? timestamp(d.next_attempt_at) : '—'),
        h('td', null, replay));
    }

    loadDeliveries();
  }

  load();
  if (deliveries) showDeliveries();
}
