// golden.test.mjs - the wire format, byte for byte: the demo's list and
// single-record answers (vendors, offerings, contracts, workloads, saved
// scenarios) and the governance report's JSON, with "today" pinned, compared
// with the copies in golden/. Only what changes from run to run is masked:
// wall-clock timestamps, audit hashes and API token names. After an intended
// change of the format, regenerate them with SWITCHYARD_UPDATE_GOLDEN=1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from './harness.mjs';

const DIR = join(import.meta.dirname, 'golden');
const UPDATE = process.env.SWITCHYARD_UPDATE_GOLDEN === '1';
const TODAY = '2026-06-15';

let srv;
before(async () => {
  srv = await startServer({ env: { SWITCHYARD_TODAY: TODAY } });
  // The demo has no saved scenario: save one (a fixed document).
  const res = await fetch(`${srv.base}/api/v1/scenarios`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Exit the first group', description: 'Golden copy', owner: 'CTO office',
      changes: [{ type: 'exit_group', vendor: 1 }] }),
  });
  assert.equal(res.status, 201, await res.text());
});
after(async () => { await srv.stop(); });

// Masks what differs between runs (and engines) but not in shape.
function mask(text) {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<timestamp>')
    .replace(/"[0-9a-f]{64}"/g, '"<hash>"')
    .replace(/"token:[^"]*"/g, '"token:<name>"');
}

async function body(path) {
  const res = await fetch(srv.base + path, { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(res.status, 200, path);
  return mask(await res.text());
}

function compare(name, text) {
  const file = join(DIR, name);
  if (UPDATE) writeFileSync(file, text);
  assert.equal(text, readFileSync(file, 'utf8'), `${name} differs from the golden copy`);
}

for (const entity of ['vendors', 'offerings', 'contracts', 'workloads', 'scenarios']) {
  test(`${entity}: list and single records as before`, async () => {
    const list = await body(`/api/v1/${entity}?limit=500`);
    compare(`${entity}.list.json`, list);
    const ids = JSON.parse(list).items.map((x) => x.id);
    // The first, one from the middle and the last record.
    for (const id of new Set([ids[0], ids[Math.floor(ids.length / 2)], ids[ids.length - 1]])) {
      if (id === undefined) continue;
      compare(`${entity}.${id}.json`, await body(`/api/v1/${entity}/${id}`));
    }
  });
}

test('governance report JSON as before', async () => {
  compare('report.governance.json', await body('/api/v1/reports/governance?format=json'));
});
