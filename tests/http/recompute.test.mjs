// recompute.test.mjs - issue 15: every lock-in, priority, flag, summary and
// concentration number of the demo portfolio is recomputed from
// GET /api/v1/risk/model plus the data by tests/recompute/recompute.mjs (written
// from shared/domain.md alone) and must agree with the API. Runs on SQLite and
// on PostgreSQL.
//
// The clock is pinned (SWITCHYARD_NOW=@FILE) and moved forward after the demo
// is seeded, so that later days exercise more of the rules: an acceptance on
// its last day and the day after, auto-renewed contracts, drills growing older
// than drill_valid_days, models past their retirement.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api } from './harness.mjs';
import { recompute, KNOWN } from '../recompute/recompute.mjs';

const TODAY = '2026-12-05';
const CLOCK = join(mkdtempSync(join(tmpdir(), 'switchyard-clock-')), 'now');
const setDay = (day) => writeFileSync(CLOCK, `${day}T10:00:00Z\n`);
const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
setDay(TODAY);

let srv;
before(async () => { srv = await startServer({ demo: true, env: { SWITCHYARD_NOW: `@${CLOCK}` } }); });
after(async () => { await srv?.stop(); });

const show = (xs) => xs.map((x) => `${x.workload} ${x.field}: API ${JSON.stringify(x.api)}, recomputed ${JSON.stringify(x.recomputed)}`).join('\n');

async function agree(day) {
  setDay(day);
  // A token of the day: API tokens expire as the clock moves on.
  const r = await recompute(srv.base, day === TODAY ? srv.token : await srv.tokenFor('admin'));
  assert.deepEqual(r.disagreements, [], `on ${day}:\n${show(r.disagreements)}`);
  // Every known disagreement names a reason of the short list.
  for (const k of r.known) assert.ok(Object.values(KNOWN).includes(k.reason), k.reason);
  return r;
}

test('the demo today: every number agrees with the model', async () => {
  const r = await agree(TODAY);
  assert.ok(r.workloads >= 40, `${r.workloads} workloads checked`);
  assert.deepEqual(r.factorsSeen, ['contract_lock', 'data_gravity', 'horizon', 'no_proven_alternative',
    'no_swap_layer', 'proprietary_interface', 'single_group_stack']);
});

test('later days agree too: acceptances expire, contracts renew, drills age', async () => {
  // Acceptances in force run to their expiry day inclusive, then resurface.
  setDay(TODAY);
  const expiries = [...new Set((await api(srv.base, 'GET', '/api/v1/acceptances')).body.items.map((a) => a.expires_on))].sort();
  assert.ok(expiries.length > 0, 'the demo has accepted risks');
  const days = [addDays(TODAY, 30), ...expiries.flatMap((d) => [d, addDays(d, 1)]), addDays(TODAY, 140), addDays(TODAY, 200), addDays(TODAY, 452), addDays(TODAY, 800)];
  for (const day of days) await agree(day);
});
