// settings.test.mjs - `switchyard setting`: the organisation's name, its
// reporting currency and its reports' classification mark, set from the
// command line beside a running server (either store), audited, and shown
// on the next report; bad keys and values are refused with exit 2 and
// change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, api, BIN, dbArgs } from './harness.mjs';

let srv;
before(async () => { srv = await startServer({ demo: false }); });
after(async () => { await srv?.stop(); });

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
const req = async (method, path) => { await turn(); return api(srv.base, method, path); };
function setting(...args) {
  const r = spawnSync(BIN, ['setting', ...args, ...dbArgs(srv.db)], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const events = async () => (await req('GET', '/api/v1/audit?entity=setting&limit=50')).body;

test('set, audited, and on the next report', async () => {
  assert.match(setting().out, /^currency = \(not set\)/m);
  for (const [key, value] of [['organisation', 'Zürich Rück, "AG"'], ['currency', 'EUR'],
    ['report_classification', 'Confidential: internal use']]) {
    const r = setting(key, value);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `${key} = ${value}\n`);
  }
  const cover = (await req('GET', '/api/v1/reports/governance?format=json')).body.cover;
  assert.equal(cover.organisation, 'Zürich Rück, "AG"');
  assert.equal(cover.currency, 'EUR');
  assert.equal(cover.classification, 'Confidential: internal use');
  const ev = await events();
  assert.equal(ev.total, 3);
  assert.deepEqual(ev.items.map((e) => [e.actor, e.action, e.after.key, e.after.value]).reverse(), [
    ['system:cli', 'update', 'organisation', 'Zürich Rück, "AG"'],
    ['system:cli', 'update', 'currency', 'EUR'],
    ['system:cli', 'update', 'report_classification', 'Confidential: internal use'],
  ]);
  // A change records what it replaced.
  assert.equal(setting('currency', 'CHF').code, 0);
  const last = (await events()).items[0];
  assert.deepEqual([last.before, last.after], [{ key: 'currency', value: 'EUR' }, { key: 'currency', value: 'CHF' }]);
  assert.equal(setting('currency').out.split('    ')[0], 'currency = CHF');
  assert.equal((await req('GET', '/api/v1/audit/verify')).body.ok, true);
});

test('bad keys and values: exit 2, a message, nothing changed', async () => {
  const before = (await events()).total;
  const cases = [
    [['colour', 'blue'], /unknown setting colour/],
    [['currency', 'eur'], /currency must be a three-letter ISO 4217 code/],
    [['currency', 'EURO'], /currency must be a three-letter ISO 4217 code/],
    [['organisation', ''], /organisation must be 1 to 160 characters/],
    [['organisation', 'x'.repeat(161)], /organisation must be 1 to 160 characters/],
    [['report_classification', 'two\nlines'], /must be one line/],
    [['currency', 'EUR', 'extra'], /usage: switchyard setting/],
  ];
  for (const [args, message] of cases) {
    const r = setting(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
    assert.match(r.err, message);
  }
  assert.equal((await events()).total, before);
  assert.equal((await req('GET', '/api/v1/reports/governance?format=json')).body.cover.currency, 'CHF');
});
