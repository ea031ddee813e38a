// webhook_import.test.mjs - import.applied (issue 19 item 5): a webhook
// subscribed to it receives exactly one signed delivery per applied import
// (through the API and the command line), carrying the import's id, kind,
// file name, SHA-256, counts and who applied it; a dry run and an import
// refused for a rejected row raise none. A real local receiver checks each
// signature with node's crypto (webhook_receiver.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, api, BIN, dbArgs } from './harness.mjs';
import { deliveries, receiver, until } from './webhook_receiver.mjs';

const FIX = join(import.meta.dirname, 'fixtures', 'imports');
const file = (name) => readFileSync(join(FIX, name));

async function upload(srv, kind, name, { dry }) {
  const res = await fetch(`${srv.base}/api/v1/imports?kind=${kind}&dry_run=${dry}&file_name=${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${srv.token}` },
    body: file(name),
  });
  return { status: res.status, body: await res.json() };
}

test('import.applied: one signed delivery per applied import, none for a dry run or a refused one', async () => {
  const rec = await receiver();
  const srv = await startServer({ env: { SWITCHYARD_WEBHOOK_TICK_MS: '100' } });
  try {
    let r = await api(srv.base, 'POST', '/api/v1/webhooks', { url: rec.url, events: ['import.applied'] });
    assert.equal(r.status, 201);
    const hook = r.body.webhook.id;
    rec.secrets.push(r.body.secret);

    // A dry run: the plan, no import, no event (queued in the request's own
    // transaction, so none can come later).
    const dry = await upload(srv, 'workloads', 'workloads.csv', { dry: true });
    assert.equal(dry.status, 200);
    assert.equal(dry.body.import, null);
    assert.equal((await deliveries(srv, hook)).length, 0, 'no delivery for a dry run');
    // A file with a rejected row changes nothing and raises nothing.
    const refused = await upload(srv, 'focus', 'focus_bad_row.csv', { dry: false });
    assert.equal(refused.status, 422);
    assert.equal((await deliveries(srv, hook)).length, 0, 'no delivery for a refused import');

    // Applied: one event; the same file again is a second applied import
    // (nothing changed by it) and a second event.
    const first = await upload(srv, 'workloads', 'workloads.csv', { dry: false });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.ok(first.body.import > 0);
    assert.equal((await deliveries(srv, hook)).length, 1, 'queued with the import');
    const again = await upload(srv, 'workloads', 'workloads.csv', { dry: false });
    assert.equal(again.status, 200);
    assert.equal(again.body.import, first.body.import + 1);
    assert.deepEqual(again.body.counts, { create: 0, change: 0, unchanged: 2, rejected: 0 });

    // The command line applies a third (its dry run raises nothing).
    const cli = (args) => spawnSync(BIN, ['import', 'workloads', join(FIX, 'workloads.csv'), ...args, ...dbArgs(srv.db)], { encoding: 'utf8' });
    const cliDry = cli(['--dry-run']);
    assert.equal(cliDry.status, 0, cliDry.stderr);
    assert.equal((await deliveries(srv, hook)).length, 2);
    const cliRun = cli([]);
    assert.equal(cliRun.status, 0, cliRun.stderr);
    const applied = JSON.parse(cliRun.stdout).import;
    assert.equal(applied, first.body.import + 2);

    const done = await until(async () => {
      const d = await deliveries(srv, hook);
      return d.length === 3 && d.every((x) => x.status === 'delivered') && d;
    }, 'three deliveries delivered');
    assert.deepEqual(done.map((d) => d.type), ['import.applied', 'import.applied', 'import.applied']);
    await until(() => rec.log.length >= 3, 'three deliveries received');
    assert.equal(rec.log.length, 3);
    assert.deepEqual([...rec.seen.values()], [1, 1, 1], 'each event exactly once');
    for (const got of rec.log) {
      assert.equal(got.valid, true, 'signed with the secret');
      assert.equal(got.body.type, 'import.applied');
      assert.equal(got.headers['switchyard-event-id'], got.body.id);
    }
    const byId = new Map(rec.log.map((x) => [x.body.data.import.id, x.body.data.import]));
    assert.deepEqual([...byId.keys()].sort((a, b) => a - b), [first.body.import, first.body.import + 1, applied]);
    const one = byId.get(first.body.import);
    assert.equal(one.kind, 'workloads');
    assert.equal(one.file_name, 'workloads.csv');
    assert.equal(one.sha256, first.body.sha256);
    assert.equal(one.rows, 2);
    assert.deepEqual(one.counts, { created: 1, changed: 1, unchanged: 0, rejected: 0 });
    assert.match(one.by, /^token:\d+:admin$/, 'who: the audit trail\'s actor');
    assert.match(one.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(byId.get(first.body.import + 1).counts, { created: 0, changed: 0, unchanged: 2, rejected: 0 });
    assert.equal(byId.get(applied).sha256, first.body.sha256, 'the same file');
    assert.equal(byId.get(applied).by, 'system:import', 'the command line');
    // The imports list agrees, field by field.
    r = await api(srv.base, 'GET', '/api/v1/imports');
    assert.equal(r.status, 200);
    assert.equal(r.body.items.filter((i) => i.kind === 'workloads').length, 3);
    for (const item of r.body.items) {
      const sent = byId.get(item.id);
      assert.ok(sent, `import ${item.id} was announced`);
      assert.deepEqual([sent.kind, sent.file_name, sent.sha256, sent.rows, sent.by, sent.at],
        [item.kind, item.file_name, item.sha256, item.rows, item.by, item.at]);
      assert.deepEqual([sent.counts.created, sent.counts.changed, sent.counts.unchanged], [item.created, item.changed, item.unchanged]);
    }
  } finally {
    await srv.stop();
    rec.server.close();
  }
});
