// dockerfile.test.mjs - lints the Dockerfile (it cannot be built here: no
// Docker engine) and checks the promises it must keep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
const require = createRequire(join(here, '..', 'package.json'));

test('dockerfile-utils finds no problem', () => {
  const { validate } = require('dockerfile-utils');
  const problems = validate(text);
  assert.deepEqual(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`), []);
});

test('multi-stage on bookworm-slim, non-root, volume, port, healthcheck', () => {
  const froms = text.match(/^FROM debian:bookworm-slim/gm) || [];
  assert.equal(froms.length, 2);
  assert.match(text, /^USER switchyard$/m);
  assert.match(text, /^VOLUME \["\/data"\]$/m);
  assert.match(text, /^EXPOSE 8080$/m);
  assert.match(text, /HEALTHCHECK[\s\S]*switchyard", "healthcheck"/);
});
