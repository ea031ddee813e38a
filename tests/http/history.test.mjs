// history.test.mjs - the portfolio's daily figures (issue 19 item 1): the
// first request of a day stores a row per scope whose figures equal the
// summary, the concentration and the strategy views of that moment; the
// next day gets its own; `switchyard snapshot` (cron) upserts today's row
// (idempotent, once per day and scope); the answer names observed and
// missing days; days=N counts back from to; bad ranges and unknown tracks
// are 400 naming the parameter.
// The wall clock is pinned (SWITCHYARD_NOW=@FILE) and moved by rewriting
// the file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startServer, api, BIN, clockFile } from './harness.mjs';

const CLOCK = clockFile();
const DAY1 = '2026-12-05';
const DAY2 = '2026-12-06';
let srv;

before(async () => {
  writeFileSync(CLOCK, `${DAY1}T08:00:00Z`);
  srv = await startServer({ demo: true, env: { SWITCHYARD_NOW: `@${CLOCK}` } });
});
after(async () => { await srv?.stop(); });

async function get(path) {
  const res = await api(srv.base, 'GET', path);
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 0.5, `${what}: ${a} vs ${b}`);

test('the first request of the day stores figures equal to the live answers', async () => {
  const h = await get(`/api/v1/portfolio/history?from=${DAY1}&to=${DAY1}`);
  assert.equal(h.track, 'all');
  assert.equal(h.days.length, 1);
  assert.equal(h.days[0].day, DAY1);
  assert.equal(h.days[0].source, 'observed');
  const f = h.days[0].figures;
  const s = await get('/api/v1/portfolio/summary');
  assert.equal(f.active, s.counts.active);
  assert.equal(f.flagged, s.counts.flagged);
  assert.deepEqual(f.priority, ['P1', 'P2', 'P3', 'P4'].map((p) => s.counts.priority[p]));
  assert.deepEqual(f.levels, ['low', 'medium', 'high', 'critical'].map((l) => s.counts.level[l]));
  assert.equal(f.spend, s.spend.monthly_total);
  assert.equal(f.accepted, s.accepted.length);
  assert.deepEqual(f.findings, ['high', 'medium', 'low'].map((k) => s.compliance.by_severity[k]));
  for (const [basis, key] of [['spend', 'spend'], ['workloads', 'workloads']]) {
    const c = await get(`/api/v1/portfolio/concentration?basis=${basis}`);
    ['provider', 'publisher', 'host'].forEach((layer, i) => near(f.hhi[key][i], c.layers[layer].hhi, `${basis} ${layer}`));
  }
  // The demo: 40 active workloads, 22 flagged (README's overview figures).
  assert.equal(f.active, 40);
  assert.equal(f.flagged, 22);
  // Each track's row equals its strategy view.
  for (const track of ['copilot', 'azure', 'openai', 'other']) {
    const t = (await get(`/api/v1/portfolio/history?from=${DAY1}&to=${DAY1}&track=${track}`)).days[0].figures;
    const v = await get(`/api/v1/strategies/${track}`);
    assert.equal(t.active, v.figures.workloads, track);
    assert.equal(t.flagged, v.figures.flagged, track);
    assert.equal(t.spend, v.figures.monthly_spend, track);
    assert.deepEqual(t.priority, ['P1', 'P2', 'P3', 'P4'].map((p) => v.priority_distribution[p]), track);
    ['provider', 'publisher', 'host'].forEach((layer, i) => near(t.hhi.spend[i], v.concentration.layers[layer].hhi, `${track} ${layer}`));
  }
});

test('a new day gets its own row; switchyard snapshot upserts today\'s', async () => {
  writeFileSync(CLOCK, `${DAY2}T07:00:00Z`);
  // The first request of day 2 stores day 2 as it stands before this write.
  const list = await get('/api/v1/workloads?status=production&track=azure&sort=name&limit=1');
  const w = list.items[0];
  const patched = await api(srv.base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  let h = await get(`/api/v1/portfolio/history?from=${DAY1}&to=${DAY2}`);
  assert.deepEqual(h.days.map((d) => [d.day, d.source]), [[DAY1, 'observed'], [DAY2, 'observed']]);
  assert.equal(h.days[1].figures.active, 40, 'taken before the write');
  assert.deepEqual(h.coverage, { days: 2, observed: 2, rebuilt: 0, missing: 0 });
  // cron: the figures as they are now (one retired), twice, one row.
  const env = { ...process.env, SWITCHYARD_NOW: `${DAY2}T23:00:00Z` };
  for (let i = 0; i < 2; i++) {
    const out = execFileSync(BIN, ['snapshot', '--db', srv.db], { env }).toString();
    assert.match(out, /today's figures stored/);
  }
  h = await get(`/api/v1/portfolio/history?from=${DAY1}&to=${DAY2}`);
  assert.equal(h.days.length, 2);
  assert.equal(h.days[1].figures.active, 39);
  const azure = await get(`/api/v1/portfolio/history?from=${DAY1}&to=${DAY2}&track=azure`);
  assert.deepEqual(azure.days.map((d) => d.figures.active), [14, 13]);
  const s = await get('/api/v1/portfolio/summary');
  assert.equal(h.days[1].figures.flagged, s.counts.flagged);
  if (!srv.db.startsWith('postgres')) {
    assert.equal(srv.sql(`SELECT count(*) FROM portfolio_history WHERE day = '${DAY2}'`).trim(), '5');
  }
});

test('missing days are named as ranges; defaults are the last 90 days of all', async () => {
  const h = await get(`/api/v1/portfolio/history?from=2026-11-20&to=${DAY2}`);
  assert.deepEqual(h.missing, [{ from: '2026-11-20', to: '2026-12-04', days: 15 }]);
  assert.deepEqual(h.coverage, { days: 17, observed: 2, rebuilt: 0, missing: 15 });
  assert.match(h.rebuild, /audit trail/);
  const d = await get('/api/v1/portfolio/history');
  assert.equal(d.to, DAY2);
  assert.equal(d.from, '2026-09-08');
  assert.equal(d.coverage.days, 90);
  assert.equal(d.days.length, 2);
  // days=N: the N days up to to (the sparklines ask without a date).
  const s = await get('/api/v1/portfolio/history?days=2');
  assert.deepEqual([s.from, s.to, s.coverage.days], [DAY1, DAY2, 2]);
  assert.deepEqual(s.days.map((x) => x.day), [DAY1, DAY2]);
  const one = await get(`/api/v1/portfolio/history?days=1&to=${DAY1}&track=azure`);
  assert.deepEqual([one.from, one.to, one.days.length, one.track], [DAY1, DAY1, 1, 'azure']);
});

test('switchyard snapshot rebuild fills the missing past days from the audit trail', async () => {
  const DAY3 = '2026-12-07';
  const DAY4 = '2026-12-08';
  writeFileSync(CLOCK, `${DAY4}T09:00:00Z`);
  // Today's first request (observed), then a write today that the rebuilt
  // day 3 must not see.
  const w = (await get('/api/v1/workloads?status=production&track=openai&sort=name&limit=1')).items[0];
  assert.equal((await api(srv.base, 'PATCH', `/api/v1/workloads/${w.id}`, { status: 'retired' })).status, 200);
  const env = { ...process.env, SWITCHYARD_NOW: `${DAY4}T10:00:00Z` };
  const out = execFileSync(BIN, ['snapshot', 'rebuild', '--db', srv.db], { env }).toString();
  assert.match(out, /1 past days rebuilt/);
  const h = await get(`/api/v1/portfolio/history?from=${DAY1}&to=${DAY4}`);
  assert.deepEqual(h.days.map((d) => [d.day, d.source]),
    [[DAY1, 'observed'], [DAY2, 'observed'], [DAY3, 'rebuilt'], [DAY4, 'observed']]);
  assert.deepEqual(h.coverage, { days: 4, observed: 3, rebuilt: 1, missing: 0 });
  // Day 3 as it stood at its end: day 2's retirement counted, today's undone;
  // nothing was written between the day-2 cron snapshot and then, so the
  // replayed figures equal those observed.
  assert.equal(h.days[2].figures.active, 39);
  assert.deepEqual(h.days[2].figures, h.days[1].figures);
  assert.equal(h.days[3].figures.active, 38, 'the CLI took today as it is now');
  const openai = await get(`/api/v1/portfolio/history?from=${DAY3}&to=${DAY4}&track=openai`);
  assert.deepEqual(openai.days.map((d) => d.figures.active), [9, 8]);
  // Again: nothing left to rebuild but day 3, which is recomputed the same.
  const again = execFileSync(BIN, ['snapshot', 'rebuild', '--db', srv.db], { env }).toString();
  assert.match(again, /1 past days rebuilt/);
  const h2 = await get(`/api/v1/portfolio/history?from=${DAY3}&to=${DAY3}`);
  assert.deepEqual(h2.days[0].figures, h.days[2].figures);
});

test('bad ranges and unknown tracks: 400 naming the parameter', async () => {
  const cases = [
    ['from=2026-13-01', 'from'], ['to=yesterday', 'to'], [`from=${DAY2}&to=${DAY1}`, 'from'],
    ['to=2099-01-01', 'to'], ['track=mars', 'track'], ['colour=red', 'colour'],
    ['days=0', 'days'], ['days=3661', 'days'], ['days=ten', 'days'], [`days=30&from=${DAY1}`, 'days'],
  ];
  for (const [q, param] of cases) {
    const res = await api(srv.base, 'GET', `/api/v1/portfolio/history?${q}`);
    assert.equal(res.status, 400, q);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(res.body.errors[0].parameter, param, q);
  }
  const viewer = { Authorization: `Bearer ${await srv.tokenFor('viewer')}` };
  assert.equal((await api(srv.base, 'GET', '/api/v1/portfolio/history', undefined, viewer)).status, 200);
  assert.equal((await api(srv.base, 'GET', '/api/v1/portfolio/history', undefined, { Authorization: '' })).status, 401);
});
