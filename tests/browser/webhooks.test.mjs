// webhooks.test.mjs - the Webhooks page (#/webhooks, admin only; issue 19
// item 5) against the real server and a real local receiver that checks
// every signature (tests/http/webhook_receiver.mjs): the form refuses what
// is wrong beside the field (its own checks and the server's problem+json)
// with focus on the first bad field; a registered endpoint shows its secret
// once with a Copy button and is listed with its events and status; an
// event raised by a workload write is delivered, shown with its status, and
// replayed (the receiver sees the same event ID twice); disable and delete
// work. At 390×844 neither page is wider than the screen; axe-core finds
// no A/AA violation; viewers get neither the page nor its navigation entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setup, open, settle, api, screenshot } from './browser.mjs';
import { receiver, until, flaggedP1 } from '../http/webhook_receiver.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let env;
let rec;
let retired; // the workload the first test retires, put back by the second
before(async () => {
  env = await setup({ env: { SWITCHYARD_WEBHOOK_TICK_MS: '100' } });
  rec = await receiver();
});
after(async () => {
  await env?.close();
  rec?.server.close();
});

async function axe(page, what) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  }, TAGS);
  assert.deepEqual(result, [], `${what}: ${JSON.stringify(result, null, 2)}`);
}

// Elements whose right edge passes the screen's, outside any scrolling box
// (as phone.test.mjs checks every other page).
async function overflow(page) {
  return page.evaluate(() => {
    const inScroller = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > window.innerWidth + 0.5 && !inScroller(el) && getComputedStyle(el).position !== 'absolute') {
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, offenders: out.slice(0, 8) };
  });
}

const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);
// The 400s the form provokes on purpose are not page errors.
const realProblems = (page) => page.problems.filter((p) => !/status of 400 .*\/api\/v1\/webhooks$/.test(p));

// Registers through the form; returns {id, secret}.
async function register(page, url, events) {
  await page.fill('#wh-url', url);
  for (const e of events) await page.getByRole('checkbox', { name: new RegExp(`^${e.replace('.', '\\.')}`) }).check();
  await page.getByRole('button', { name: 'Register endpoint' }).click();
  const secret = page.locator('#new-webhook-secret');
  await secret.waitFor();
  const title = await page.locator('#new-webhook-secret-title').innerText();
  return { id: Number(/webhook (\d+)/.exec(title)[1]), secret: await secret.inputValue() };
}

// Clicks Refresh until the delivery row matches.
async function deliveryRow(page, test) {
  return until(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await settle(page);
    const rows = await page.locator('#webhook-deliveries tbody tr[data-id]').evaluateAll((trs) => trs.map((tr) => ({
      id: Number(tr.dataset.id), status: tr.dataset.status, text: tr.innerText,
      attempts: Number(tr.querySelector('td.num').innerText),
    })));
    return rows.find(test);
  }, 'the delivery on the page', 20000);
}

test('an admin registers a webhook, sees its delivery and replays it (1440×900)', async () => {
  const base = env.srv.base;
  const page = await env.newPage({ bypassCSP: true });
  await open(page, base, '/webhooks');
  assert.equal(await page.locator('nav a[href="#/webhooks"]').getAttribute('aria-current'), 'page');
  assert.match(await page.locator('#webhook-list').innerText(), /No endpoint is registered/);
  await axe(page, 'webhooks, empty');

  // Nothing filled in: both fields say what is wrong, focus on the first.
  await page.getByRole('button', { name: 'Register endpoint' }).click();
  assert.equal(await focusedId(page), 'wh-url');
  assert.equal(await page.locator('#wh-url').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#wh-url-error').innerText(), /http:\/\/ or https:\/\//);
  assert.equal(await page.locator('#wh-event-0-error').innerText(), 'Choose at least one event.');
  await axe(page, 'webhook form with errors');
  // The server's refusal (a port out of range) beside the URL, focus there.
  await page.fill('#wh-url', 'http://hooks.example.com:99999/x');
  await page.getByRole('checkbox', { name: /^workload\.unflagged/ }).check();
  await page.locator('#wh-description').focus();
  await page.getByRole('button', { name: 'Register endpoint' }).click();
  await page.locator('#wh-url-error:not([hidden])', { hasText: /port/ }).waitFor();
  assert.equal(await focusedId(page), 'wh-url');
  assert.equal(await page.locator('#wh-event-0-error').isHidden(), true);
  assert.equal((await api(base, 'GET', '/api/v1/webhooks')).body.total, 0, 'nothing registered');

  // Registered: the secret once, with a Copy button; listed with its events.
  const { id, secret } = await register(page, rec.url, []); // workload.unflagged is still ticked
  rec.secrets.push(secret);
  assert.match(secret, /^whsec_[0-9a-f]{64}$/);
  assert.equal(await focusedId(page), 'new-webhook-secret');
  assert.equal(await page.locator('#new-webhook-secret-title ~ .field button', { hasText: 'Copy' }).count(), 1);
  const row = page.locator(`#webhook-list tr[data-id="${id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`${rec.url.replace(/[.:/]/g, '\\$&')}[\\s\\S]*workload\\.unflagged[\\s\\S]*Enabled`));
  assert.equal((await api(base, 'GET', `/api/v1/webhooks/${id}`)).body.events.join(), 'workload.unflagged');
  await axe(page, 'webhooks with the secret shown');
  // Shown once: the list does not hold it.
  await open(page, base, '/webhooks');
  assert.ok(!(await page.locator('main').innerText()).includes(secret));

  // An event: a flagged workload retired (out of the active set).
  const w = await flaggedP1(env.srv);
  assert.equal((await api(base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' })).status, 200);
  retired = w;
  await page.locator(`#webhook-list tr[data-id="${id}"]`).getByRole('link', { name: /^Deliveries/ }).click();
  await settle(page);
  assert.match(await page.locator('h2', { hasText: 'Deliveries of webhook' }).innerText(), new RegExp(`webhook ${id}`));
  const delivered = await deliveryRow(page, (r) => r.status === 'delivered');
  assert.match(delivered.text, /workload\.unflagged[\s\S]*evt_[0-9a-f]{32}[\s\S]*Delivered[\s\S]*HTTP 200/);
  await until(() => rec.log.length === 1, 'the receiver has it');
  const got = rec.log[0];
  assert.equal(got.valid, true, 'signed with the secret shown');
  assert.equal(got.body.type, 'workload.unflagged');
  assert.equal(got.body.data.workload.id, w.id);
  assert.ok(delivered.text.includes(got.body.id), 'the page shows the event ID sent');
  await axe(page, 'deliveries');

  // Replay: queued again, the same event ID reaches the receiver twice.
  await page.locator(`#webhook-deliveries tr[data-id="${delivered.id}"]`).getByRole('button', { name: /^Replay/ }).click();
  await page.locator('#webhook-deliveries .ok', { hasText: 'queued again' }).waitFor();
  await until(() => rec.seen.get(got.body.id) === 2, 'the replay received');
  assert.equal(rec.log[1].valid, true);
  const again = await deliveryRow(page, (r) => r.id === delivered.id && r.status === 'delivered');
  assert.equal(again.attempts, 1, 'a replay starts its attempts afresh');
  await screenshot(page, 'webhook-deliveries-1440');

  // Disable, then delete (after confirming).
  await open(page, base, '/webhooks');
  await page.locator(`#webhook-list tr[data-id="${id}"]`).getByRole('button', { name: /^Disable/ }).click();
  await page.locator(`#webhook-list tr[data-id="${id}"] .badge`, { hasText: 'Disabled' }).waitFor();
  assert.equal((await api(base, 'GET', `/api/v1/webhooks/${id}`)).body.enabled, false);
  page.expectDialog = true;
  await page.locator(`#webhook-list tr[data-id="${id}"]`).getByRole('button', { name: /^Delete/ }).click();
  await page.locator('#webhook-list .ok', { hasText: `Webhook ${id} deleted.` }).waitFor();
  assert.equal((await api(base, 'GET', `/api/v1/webhooks/${id}`)).status, 404);
  assert.deepEqual(realProblems(page), []);
});

test('390×844: the pages fit the screen and pass axe', async () => {
  const base = env.srv.base;
  const page = await env.newPage({ bypassCSP: true, viewport: { width: 390, height: 844 } });
  await open(page, base, '/webhooks');
  // A long URL and every event, registered from the phone.
  const long = `${rec.url}?${'channel=ops-alerts-and-incident-review&'.repeat(6)}x=1`;
  const { id, secret } = await register(page, long, ['workload.flagged', 'workload.unflagged', 'priority.p1',
    'deadline.upcoming', 'acceptance.expired', 'drill.failed', 'import.applied', 'audit.verify_failed']);
  rec.secrets.push(secret);
  let o = await overflow(page);
  assert.ok(o.scrollWidth <= o.innerWidth, `list: ${o.offenders.join('; ')}`);
  assert.deepEqual(o.offenders, []);
  await axe(page, 'webhooks (390)');
  await screenshot(page, 'webhooks-390');
  // A delivery to show: the retired workload back in production (flagged, P1).
  assert.ok(retired, 'the first test retired a workload');
  assert.equal((await api(base, 'PATCH', `/api/v1/workloads/${retired.id}`, { status: 'production' })).status, 200);
  await open(page, base, `/webhooks/${id}`);
  await deliveryRow(page, (r) => r.status === 'delivered');
  o = await overflow(page);
  assert.ok(o.scrollWidth <= o.innerWidth, `deliveries: ${o.offenders.join('; ')}`);
  assert.deepEqual(o.offenders, []);
  await axe(page, 'deliveries (390)');
  await screenshot(page, 'webhook-deliveries-390');
  assert.deepEqual(realProblems(page), []);
});

test('viewers get neither the page nor its navigation entry', async () => {
  const page = await env.newPage({ as: 'viewer' });
  await open(page, env.srv.base, '/webhooks');
  assert.equal(await page.locator('nav a[href="#/webhooks"]').count(), 0);
  assert.equal(await page.locator('h1').innerText(), 'Not allowed');
  assert.match(await page.locator('main').innerText(), /needs the admin role/);
  assert.deepEqual(page.problems, []);
});
