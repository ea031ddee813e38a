// enums.test.mjs - the front end's one copy of the API's enumerations
// (web/enums.js) against the OpenAPI document the server publishes, and the
// server serving that module, so a value added on one side cannot go
// missing from the pickers, filters and charts on the other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from '../../web/enums.js';
import { startServer } from './harness.mjs';

const ENUMS_JS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'enums.js');

let srv;
before(async () => { srv = await startServer({ demo: false }); });
after(async () => { await srv?.stop(); });

test('web/enums.js lists what the API accepts, in the API\'s order', async () => {
  const res = await fetch(`${srv.base}/api/openapi.json`);
  assert.equal(res.status, 200);
  const schemas = (await res.json()).components.schemas;
  const enumOf = (schema, prop) => schemas[schema].properties[prop].enum;
  const pairs = [
    [E.TRACKS, 'Workload', 'track'],
    [E.TRACKS, 'Offering', 'track'],
    [E.STATUSES, 'Workload', 'status'],
    [E.CRITICALITIES, 'Workload', 'criticality'],
    [E.CLASSIFICATIONS, 'Workload', 'data_classification'],
    [E.AI_ACT_TIERS, 'Workload', 'ai_act_tier'],
    [E.ANNEX_III_AREAS, 'Workload', 'annex_iii_area'],
    [E.FRIA_STATUSES, 'Workload', 'fria_status'],
    [E.LEVELS, 'Risk', 'level'],
    [E.CONTRACT_KINDS, 'Contract', 'kind'],
    [E.DEPENDENCY_ROLES, 'Dependency', 'role'],
  ];
  for (const [list, schema, prop] of pairs) assert.deepEqual(list, enumOf(schema, prop), `${schema}.${prop}`);
});

test('the server serves web/enums.js as it is in the source tree', async () => {
  const res = await fetch(`${srv.base}/enums.js`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/javascript/);
  assert.equal(await res.text(), readFileSync(ENUMS_JS, 'utf8'));
});
