// calendar.test.mjs - the deadlines as an RFC 5545 feed (issue 19 item 4):
// a viewer's secret feed URL (shown once, audited, revocable), parsed by an
// independent iCalendar parser (npm ical.js); its events, counted by kind
// and dated, equal what the demo's data says when worked out here from the
// API's own answers; the track filter, folding, DTSTAMP from the pinned
// clock, and 404 for a revoked feed, a disabled user's feed or an unknown
// secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startServer, api } from './harness.mjs';

const TODAY = '2026-12-05';
const NOW = '2026-12-05T09:30:00Z';
let srv;
let viewerAuth;

before(async () => {
  srv = await startServer({ demo: true, env: { SWITCHYARD_TODAY: TODAY, SWITCHYARD_NOW: NOW } });
  viewerAuth = { Authorization: `Bearer ${await srv.tokenFor('viewer')}` };
});
after(async () => { await srv?.stop(); });

const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
const ACTIVE = new Set(['pilot', 'production']);
const addMonths = (day, n) => {
  const [y, m, d] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + n, Math.min(d, last))).toISOString().slice(0, 10);
};
// The current term's end (auto-renewal rolled forward), or null: open-ended.
function currentEnd(c) {
  let end = c.end_date;
  while (end && end < TODAY && c.auto_renew && c.renewal_months > 0) end = addMonths(end, c.renewal_months);
  return end;
}

async function get(path, headers) {
  const res = await api(srv.base, 'GET', path, undefined, headers);
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}

// The events the demo's data implies, as "kind date" strings, from the API.
async function expectedEvents(track) {
  const contracts = (await get('/api/v1/contracts?limit=500')).items;
  const workloads = (await get('/api/v1/workloads?limit=500')).items.filter((w) => ACTIVE.has(w.status));
  const offerings = (await get('/api/v1/offerings?limit=500')).items;
  const acceptances = (await get('/api/v1/acceptances?in_force=true')).items;
  const inTrack = (w) => !track || w.track === track;
  const out = [];
  for (const c of contracts) {
    const end = currentEnd(c);
    if (end && end < TODAY) continue; // ended: not in force
    const covered = workloads.filter((w) => w.dependencies.some((d) => ['model', 'hosting', 'assistant', 'data'].includes(d.role) && c.offerings.includes(d.offering)));
    if (track && !covered.some(inTrack)) continue;
    if (c.kind === 'customer') {
      if (end) out.push(`notice ${addDays(end, -c.notice_days)}`, `end ${end}`);
    }
    if (c.committed_until) out.push(`committed ${c.committed_until}`);
    if (c.exclusive_until) out.push(`exclusive ${c.exclusive_until}`);
    for (const t of c.terms || []) if (t.until) out.push(`term ${t.until}`);
  }
  for (const o of offerings) {
    if (!o.retires) continue;
    const users = workloads.filter((w) => w.dependencies.some((d) => d.offering === o.id));
    if (users.length && users.some(inTrack)) out.push(`retires ${o.retires}`);
  }
  for (const a of acceptances) {
    const w = workloads.find((x) => x.id === a.workload);
    if (w && inTrack(w)) out.push(`acceptance ${a.expires_on}`);
  }
  for (const w of workloads) {
    if (!inTrack(w) || !w.alternatives.length) continue;
    const drills = (await get(`/api/v1/workloads/${w.id}/drills`)).items;
    for (const alt of w.alternatives) {
      // Newest first: the first drill of this pair on or before today is its latest.
      const last = drills.find((d) => d.dependency === alt.dependency && d.offering === alt.offering && d.drilled_on <= TODAY);
      if (last && last.result === 'passed') out.push(`drill ${addDays(last.drilled_on, 180)}`);
    }
  }
  return out.sort();
}

function parse(text) {
  const comp = new ICAL.Component(ICAL.parse(text));
  return comp.getAllSubcomponents('vevent').map((v) => ({
    uid: v.getFirstPropertyValue('uid'),
    kind: v.getFirstPropertyValue('categories'),
    start: v.getFirstPropertyValue('dtstart'),
    stamp: v.getFirstPropertyValue('dtstamp'),
    summary: v.getFirstPropertyValue('summary'),
    description: v.getFirstPropertyValue('description'),
    url: v.getFirstPropertyValue('url'),
  }));
}

async function fetchFeed(url) {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

let feed;

test('a viewer creates a secret feed URL, shown once, audited', async () => {
  const res = await api(srv.base, 'POST', '/api/v1/calendar/feeds', { name: 'Outlook' }, viewerAuth);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.match(res.body.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/calendar\/syc_[A-Za-z0-9_-]+\.ics$/);
  assert.equal(res.body.track, null);
  assert.equal(res.body.user, 'viewer');
  feed = res.body;
  const list = await get('/api/v1/calendar/feeds', viewerAuth);
  assert.equal(list.total, 1);
  assert.equal(list.items[0].id, feed.id);
  assert.equal(list.items[0].url, undefined, 'the secret URL is never shown again');
  assert.equal(list.items[0].prefix, feed.prefix);
  const audit = await get(`/api/v1/audit?entity=calendar_feed&entity_id=${feed.id}`);
  assert.equal(audit.total, 1);
  assert.equal(audit.items[0].action, 'create');
  assert.equal(audit.items[0].actor.endsWith('viewer'), true);
  assert.ok(!JSON.stringify(audit.items[0]).includes(feed.url.split('/').pop().replace('.ics', '')), 'no secret in the audit trail');
  const bad = await api(srv.base, 'POST', '/api/v1/calendar/feeds', { name: 'x', track: 'mars' }, viewerAuth);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errors[0].pointer, '/track');
  const unknown = await api(srv.base, 'POST', '/api/v1/calendar/feeds', { name: 'x', colour: 'red' }, viewerAuth);
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.errors[0].pointer, '/colour');
});

test('the feed parses with ical.js and holds exactly the demo data\'s events', async () => {
  const res = await fetchFeed(feed.url);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.type, 'text/calendar; charset=utf-8');
  for (const line of res.text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
  assert.ok(!/[^\r]\n/.test(res.text), 'every line ends in CRLF');
  const events = parse(res.text);
  const got = events.map((e) => `${e.kind} ${e.start.toString()}`).sort();
  const want = await expectedEvents(null);
  assert.deepEqual(got, want);
  const kinds = Object.fromEntries(['notice', 'end', 'retires', 'acceptance', 'drill', 'term'].map((k) => [k, got.filter((g) => g.startsWith(`${k} `)).length]));
  // The demo: 11 customer contracts in force (each a notice deadline and an
  // end), two acceptances, models retiring that active workloads use, drills.
  assert.equal(kinds.notice, 11);
  assert.equal(kinds.end, 11);
  assert.ok(kinds.acceptance >= 1 && kinds.drill >= 1 && kinds.retires >= 1, JSON.stringify(kinds));
  for (const e of events) {
    assert.equal(e.start.isDate, true, 'all-day events');
    assert.equal(e.stamp.toString(), '2026-12-05T09:30:00Z');
    assert.match(e.url, /^http:\/\/127\.0\.0\.1:\d+\/#\/(contracts|workloads|offerings)/);
    assert.match(e.description, /Workloads concerned: |No active workload is concerned\./);
    assert.ok(e.uid.endsWith('@switchyard'));
  }
  assert.equal(new Set(events.map((e) => e.uid)).size, events.length, 'UIDs are unique');
  // Stable: the same UIDs on the next fetch.
  const again = parse((await fetchFeed(feed.url)).text).map((e) => e.uid);
  assert.deepEqual(again, events.map((e) => e.uid));
  // A notice deadline names the contract and its workloads.
  const notice = events.find((e) => e.kind === 'notice' && e.summary.includes('OpenAI Enterprise Agreement'));
  assert.ok(notice, 'the OpenAI Enterprise Agreement notice deadline');
  const oea = (await get('/api/v1/contracts?q=OpenAI%20Enterprise')).items[0];
  assert.equal(notice.start.toString(), oea.notice_deadline);
});

test('?track= keeps the events of that track\'s workloads', async () => {
  const res = await fetchFeed(`${feed.url}?track=azure`);
  assert.equal(res.status, 200);
  const events = parse(res.text);
  const want = await expectedEvents('azure');
  assert.deepEqual(events.map((e) => `${e.kind} ${e.start.toString()}`).sort(), want);
  const all = parse((await fetchFeed(feed.url)).text);
  assert.ok(events.length > 0 && events.length < all.length);
  const bad = await fetchFeed(`${feed.url}?track=mars`);
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.text).errors[0].parameter, 'track');
  const other = await fetchFeed(`${feed.url}?colour=red`);
  assert.equal(other.status, 400);
});

test('escaping of , ; \\ and newlines, and folding at 75 octets', async () => {
  const names = (await get('/api/v1/contracts?q=OpenAI%20Enterprise')).items[0];
  const patched = await api(srv.base, 'PATCH', `/api/v1/contracts/${names.id}`,
    { name: 'OpenAI Enterprise, EU; "Zürich" \\ long name for folding — ünïcödé ünïcödé ünïcödé' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const res = await fetchFeed(feed.url);
  for (const line of res.text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
  assert.ok(res.text.includes('OpenAI Enterprise\\, EU\\; "Z'), 'escaped in the raw text');
  const e = parse(res.text).find((x) => x.kind === 'notice' && x.summary.includes('Zürich'));
  assert.equal(e.summary, `Notice deadline: ${patched.body.name}`, 'the parser gets the name back');
});

test('an unknown, revoked or disabled user\'s feed answers 404', async () => {
  assert.equal((await fetchFeed(`${srv.base}/api/v1/calendar/syc_nothing.ics`)).status, 404);
  assert.equal((await fetchFeed(`${srv.base}/api/v1/calendar/nothing.ics`)).status, 404);
  // Another viewer feed, then the viewer is disabled.
  const second = await api(srv.base, 'POST', '/api/v1/calendar/feeds', { name: 'Google', track: 'openai' }, viewerAuth);
  assert.equal(second.status, 201);
  assert.equal((await fetchFeed(second.body.url)).status, 200);
  // Others' feeds are not visible to a viewer; the admin sees all.
  const architect = { Authorization: `Bearer ${await srv.tokenFor('architect')}` };
  assert.equal((await api(srv.base, 'DELETE', `/api/v1/calendar/feeds/${feed.id}`, undefined, architect)).status, 404);
  assert.equal((await get('/api/v1/calendar/feeds')).total, 2);
  // Revoke the first: 204, audited, then 404; again: 409.
  assert.equal((await api(srv.base, 'DELETE', `/api/v1/calendar/feeds/${feed.id}`, undefined, viewerAuth)).status, 204);
  assert.equal((await fetchFeed(feed.url)).status, 404);
  assert.equal((await api(srv.base, 'DELETE', `/api/v1/calendar/feeds/${feed.id}`, undefined, viewerAuth)).status, 409);
  const audit = await get(`/api/v1/audit?entity=calendar_feed&entity_id=${feed.id}`);
  assert.deepEqual(audit.items.map((a) => a.action).sort(), ['create', 'revoke']);
  // Disable the viewer: the second feed goes dark too.
  const users = (await get('/api/v1/users')).items;
  const viewer = users.find((u) => u.name === 'viewer');
  assert.equal((await api(srv.base, 'PATCH', `/api/v1/users/${viewer.id}`, { disabled: true })).status, 200);
  assert.equal((await fetchFeed(second.body.url)).status, 404);
  assert.equal((await api(srv.base, 'PATCH', `/api/v1/users/${viewer.id}`, { disabled: false })).status, 200);
  assert.equal((await fetchFeed(second.body.url)).status, 200);
});
