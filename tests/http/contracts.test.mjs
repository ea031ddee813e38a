// contracts.test.mjs - /api/v1/contracts: customer and upstream agreements.
// CRUD, the computed notice deadline, list parameters and the kind/vendor/
// offering filters, field validation including the cross-field rules
// (customer vs upstream, end before start), and conflicts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, raw } from './harness.mjs';
import { allowSet, asciiLower, assertInvalid, assertParam, assertProblem, resourceClient } from './assertions.mjs';

const COLL = '/api/v1/contracts';
const VENDORS = '/api/v1/vendors';
const OFFERINGS = '/api/v1/offerings';
let srv;

before(async () => { srv = await startServer({ demo: true }); });
after(async () => { await srv?.stop(); });

// ---- helpers ---------------------------------------------------------------

const { req, auth, authLine, snap, listAll, idOf } = resourceClient(() => srv, COLL);

// Checks that items are ordered by value(item), ascending or descending.

// Days since the epoch <-> YYYY-MM-DD, in UTC like the server.
const dayOf = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000;
const dateOf = (d) => new Date(d * 86400000).toISOString().slice(0, 10);

let ids;  // vendor and offering IDs by name, resolved once
async function refs() {
  if (ids) return ids;
  const v = await listAll(VENDORS);
  const o = await listAll(OFFERINGS);
  const by = (list, name) => { const x = list.find((i) => i.name === name); assert.ok(x, name); return x.id; };
  ids = {
    microsoft: by(v, 'Microsoft'), openai: by(v, 'OpenAI'), anthropic: by(v, 'Anthropic'), github: by(v, 'GitHub'),
    aoai: by(o, 'Azure OpenAI in Microsoft Foundry Models'), openaiApi: by(o, 'OpenAI API'), claude: by(o, 'Claude API'),
  };
  return ids;
}

function customer(x, extra = {}) {
  return {
    name: 'Test Customer Contract', kind: 'customer', counterparty: x.anthropic, offerings: [x.claude],
    start_date: '2026-01-01', end_date: '2027-12-31', ...extra,
  };
}

function upstream(x, extra = {}) {
  return {
    name: 'Test Upstream Agreement', kind: 'upstream', counterparty: x.openai, other_party: x.microsoft,
    offerings: [x.aoai], start_date: '2026-04-27', end_date: null,
    terms: [{ kind: 'licence', text: 'Non-exclusive licence.', effective: '2026-04-27', until: '2032-12-31' }], ...extra,
  };
}

// ---- CRUD ------------------------------------------------------------------

test('create, get, replace, patch (both media types) and delete a customer contract', async () => {
  const x = await refs();
  const total0 = (await req('GET', COLL)).body.total;
  const input = customer(x, {
    offerings: [x.claude, x.openaiApi], notice_days: 45, auto_renew: true, renewal_months: 12,
    annual_value: 120000.5, currency: 'EUR', committed_spend: 50000.25, exclusive: true, exit_clause: 'partial',
    data_portability: true, substitutability: 'hard', exit_plan: 'Move to another provider.', notes: 'Test notes.',
  });
  const c = await req('POST', COLL, input);
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const loc = c.headers.get('location');
  assert.equal(loc, `${COLL}/${c.body.id}`);
  assert.match(c.headers.get('etag'), /^"\d+-\d+"$/);
  for (const [k, v] of Object.entries(input)) assert.deepEqual(c.body[k], v, k);
  assert.equal(c.body.other_party, null);
  assert.deepEqual(c.body.terms, []);
  // notice_deadline = end_date - notice_days.
  assert.equal(c.body.notice_deadline, dateOf(dayOf('2027-12-31') - 45));
  const g = await req('GET', loc);
  assert.equal(g.status, 200);
  assert.deepEqual(g.body, c.body);
  assert.equal(g.headers.get('etag'), c.headers.get('etag'));
  assert.equal((await req('GET', COLL)).body.total, total0 + 1);

  // PUT: a full replacement; what it omits takes the defaults.
  const p = await req('PUT', loc, customer(x, { name: 'Test Customer Contract (renewed)', end_date: '2028-06-30' }));
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.name, 'Test Customer Contract (renewed)');
  assert.deepEqual(p.body.offerings, [x.claude]);
  assert.equal(p.body.end_date, '2028-06-30');
  assert.equal(p.body.notice_days, 0);
  assert.equal(p.body.notice_deadline, '2028-06-30');
  assert.equal(p.body.auto_renew, false);
  assert.equal(p.body.annual_value, 0);
  assert.equal(p.body.currency, 'USD');
  assert.equal(p.body.exclusive, false);
  assert.equal(p.body.exit_clause, 'none');
  assert.equal(p.body.substitutability, 'medium');
  assert.equal(p.body.notes, '');
  assert.equal(p.body.created_at, c.body.created_at);
  assert.notEqual(p.headers.get('etag'), c.headers.get('etag'));
  assert.deepEqual((await req('GET', loc)).body, p.body);

  const m1 = await req('PATCH', loc, { notice_days: 30, annual_value: 99.99 });
  assert.equal(m1.status, 200, JSON.stringify(m1.body));
  assert.deepEqual(m1.body, {
    ...p.body, notice_days: 30, annual_value: 99.99, notice_deadline: dateOf(dayOf('2028-06-30') - 30),
    updated_at: m1.body.updated_at,
  });
  const m2 = await req('PATCH', loc, JSON.stringify({ offerings: [x.openaiApi, x.claude], exit_clause: 'full' }),
    { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(m2.status, 200, JSON.stringify(m2.body));
  assert.deepEqual(m2.body, { ...m1.body, offerings: [x.openaiApi, x.claude], exit_clause: 'full', updated_at: m2.body.updated_at });
  assert.notEqual(m2.headers.get('etag'), m1.headers.get('etag'));
  assert.deepEqual((await req('GET', loc)).body, m2.body);

  const d = await req('DELETE', loc);
  assert.equal(d.status, 204);
  assert.equal(d.body, '');
  assertProblem(await req('GET', loc), 404);
  assertProblem(await req('DELETE', loc), 404);
  assert.equal((await req('GET', COLL)).body.total, total0);
});

test('an upstream contract keeps its dated terms in order', async () => {
  const x = await refs();
  const input = upstream(x, {
    terms: [
      // Scoped: Microsoft's licence bears on offerings Microsoft's group
      // sells of OpenAI's group's models (domain.md rev. 2).
      { kind: 'licence', text: 'Licence, non-exclusive.', effective: '2026-04-27', until: '2032-12-31',
        scope_provider: x.microsoft, scope_publisher: x.openai, scope_host: null, scope_track: null },
      { kind: 'revenue_share', text: 'Revenue share, capped.', effective: '2026-04-27', until: '2030-12-31',
        scope_provider: null, scope_publisher: x.openai, scope_host: null, scope_track: 'openai' },
      { kind: 'distribution', text: 'Any cloud.', effective: '2026-04-27', until: null,
        scope_provider: null, scope_publisher: null, scope_host: null, scope_track: null },
    ],
  });
  const c = await req('POST', COLL, input);
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.deepEqual(c.body.terms, input.terms);
  assert.equal(c.body.other_party, x.microsoft);
  assert.equal(c.body.end_date, null);
  assert.equal(c.body.notice_deadline, null);
  const loc = c.headers.get('location');
  assert.deepEqual((await req('GET', loc)).body, c.body);
  const m = await req('PATCH', loc, { terms: [input.terms[2]] });
  assert.equal(m.status, 200);
  assert.deepEqual(m.body.terms, [input.terms[2]]);
  // Turning it into a customer contract while it has terms and another party is refused.
  assertInvalid(await req('PATCH', loc, { kind: 'customer', end_date: '2030-01-01' }), '/terms', '/other_party');
  assert.equal((await req('DELETE', loc)).status, 204);
});

// ---- list parameters -----------------------------------------------------------

test('q= is a case-insensitive substring of the name; % and _ are literal', async () => {
  const all = await listAll();
  for (const q of ['agreement', 'AGREEMENT', 'microsoft', 'Enterprise']) {
    const r = await req('GET', `${COLL}?limit=500&q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200);
    const want = all.filter((c) => asciiLower(c.name).includes(asciiLower(q))).map((c) => c.id);
    assert.ok(want.length > 0, q);
    assert.deepEqual(r.body.items.map((c) => c.id), want);
    assert.equal(r.body.total, want.length);
  }
  const x = await refs();
  const made = [];
  for (const name of ['Rebate 10% Deal', 'Rebate 10X Deal', 'Tier_1 Deal', 'TierX1 Deal', 'Zürich Rück Deal']) {
    const c = await req('POST', COLL, customer(x, { name }));
    assert.equal(c.status, 201, JSON.stringify(c.body));
    made.push(c.body.id);
  }
  assert.deepEqual((await req('GET', `${COLL}?q=${encodeURIComponent('10%')}`)).body.items.map((c) => c.name), ['Rebate 10% Deal']);
  assert.deepEqual((await req('GET', `${COLL}?q=${encodeURIComponent('r_1')}`)).body.items.map((c) => c.name), ['Tier_1 Deal']);
  // Letters fold as ASCII only, on either store and whatever the locale of
  // a PostgreSQL database: 'Ü' and 'ü' stay different.
  const named = async (q) => (await req('GET', `${COLL}?q=${encodeURIComponent(q)}`)).body.items.map((c) => c.name);
  assert.deepEqual(await named('ZüRICH rück'), ['Zürich Rück Deal']);
  assert.deepEqual(await named('ZÜRICH'), []);
  // Bytes that are not UTF-8 match nothing, on either store.
  for (const coll of [COLL, '/api/v1/vendors', '/api/v1/offerings', '/api/v1/workloads', '/api/v1/scenarios']) {
    const r = await req('GET', `${coll}?q=%FF%C3`);
    assert.equal(r.status, 200, `${coll}: ${JSON.stringify(r.body)}`);
    assert.deepEqual([r.body.items.length, r.body.total], [0, 0], coll);
  }
  for (const id of made) assert.equal((await req('DELETE', `${COLL}/${id}`)).status, 204);
});

test('filters: kind, vendor (either party) and offering', async () => {
  const x = await refs();
  const all = await listAll();
  for (const k of ['customer', 'upstream']) {
    const items = await listAll(COLL, `kind=${k}`);
    assert.ok(items.length > 0, k);
    assert.deepEqual(items.map((c) => c.id), all.filter((c) => c.kind === k).map((c) => c.id));
  }
  for (const v of [x.microsoft, x.openai, x.github]) {
    const items = await listAll(COLL, `vendor=${v}`);
    const want = all.filter((c) => c.counterparty === v || c.other_party === v).map((c) => c.id);
    assert.ok(want.length > 0);
    assert.deepEqual(items.map((c) => c.id), want);
  }
  // Microsoft is the other party of the upstream OpenAI agreement.
  assert.ok((await listAll(COLL, `vendor=${x.microsoft}&kind=upstream`)).length >= 1);
  for (const o of [x.aoai, x.openaiApi, x.claude]) {
    const items = await listAll(COLL, `offering=${o}`);
    const want = all.filter((c) => c.offerings.includes(o)).map((c) => c.id);
    assert.ok(want.length > 0);
    assert.deepEqual(items.map((c) => c.id), want);
  }
  const both = await listAll(COLL, `kind=customer&offering=${x.aoai}`);
  assert.deepEqual(both.map((c) => c.id), all.filter((c) => c.kind === 'customer' && c.offerings.includes(x.aoai)).map((c) => c.id));
});

test('unknown parameters and bad filter values are 400', async () => {
  for (const p of ['colour=red', 'track=azure', 'status=pilot', 'category=model_api', 'criticality=low'])
    assertParam(await req('GET', `${COLL}?${p}`), p.split('=')[0]);
  for (const p of ['kind=partner', 'kind=Customer', 'vendor=abc', 'vendor=0', 'offering=x', 'offering=-1'])
    assertParam(await req('GET', `${COLL}?${p}`), p.split('=')[0]);
});

// ---- validation --------------------------------------------------------------

test('400 names each invalid field, including the cross-field rules', async () => {
  const x = await refs();
  const c = (extra) => customer(x, extra);
  const u = (extra) => upstream(x, extra);
  const cases = [
    [{}, ['/name', '/kind', '/counterparty', '/start_date']],
    [c({ name: '' }), ['/name']],
    [c({ name: 'x'.repeat(161) }), ['/name']],
    [c({ colour: 'green' }), ['/colour']],
    [c({ kind: 'partner' }), ['/kind']],
    [c({ counterparty: 'Anthropic' }), ['/counterparty']],
    [c({ counterparty: 999999 }), ['/counterparty']],
    [c({ start_date: '2026-02-30' }), ['/start_date']],
    [c({ start_date: '2026/01/01' }), ['/start_date']],
    [c({ end_date: '2026-13-01' }), ['/end_date']],
    [c({ end_date: '2025-12-31' }), ['/end_date']],                      // end before start
    [c({ end_date: null }), ['/end_date']],                              // customer needs an end
    [c({ other_party: x.microsoft }), ['/other_party']],                 // customer has no other party
    [c({ terms: [{ kind: 'licence', text: 'Not for customers.' }] }), ['/terms']],
    [u({ other_party: undefined }), ['/other_party']],                   // upstream needs one
    [u({ other_party: null }), ['/other_party']],
    [u({ other_party: x.openai }), ['/other_party']],                    // not the counterparty itself
    [u({ other_party: 999999 }), ['/other_party']],
    [c({ offerings: [999999] }), ['/offerings/0']],
    [c({ offerings: [x.claude, x.claude] }), ['/offerings/1']],
    [c({ offerings: ['Claude API'] }), ['/offerings/0']],
    [c({ offerings: x.claude }), ['/offerings']],
    [c({ notice_days: 3651 }), ['/notice_days']],
    [c({ notice_days: -1 }), ['/notice_days']],
    [c({ notice_days: 1.5 }), ['/notice_days']],
    [c({ notice_days: '30' }), ['/notice_days']],
    [c({ renewal_months: 121 }), ['/renewal_months']],
    [c({ auto_renew: true }), ['/renewal_months']],
    [c({ auto_renew: 'yes' }), ['/auto_renew']],
    [c({ annual_value: -1 }), ['/annual_value']],
    [c({ annual_value: 1.001 }), ['/annual_value']],
    [c({ annual_value: '100' }), ['/annual_value']],
    [c({ annual_value: 10000000001 }), ['/annual_value']],
    [c({ committed_spend: -0.01 }), ['/committed_spend']],
    [c({ currency: 'usd' }), ['/currency']],
    [c({ currency: 'EURO' }), ['/currency']],
    [c({ exclusive: 0 }), ['/exclusive']],
    [c({ exit_clause: 'maybe' }), ['/exit_clause']],
    [c({ substitutability: 'impossible' }), ['/substitutability']],
    [u({ terms: [{ kind: 'royalty', text: 'x' }] }), ['/terms/0/kind']],
    [u({ terms: [{ kind: 'licence' }] }), ['/terms/0/text']],
    [u({ terms: [{ kind: 'licence', text: 'x', effective: '2031-01-01', until: '2030-01-01' }] }), ['/terms/0/until']],
    [u({ terms: [{ kind: 'licence', text: 'x', effective: '2026-02-29' }] }), ['/terms/0/effective']],
    [u({ terms: [{ kind: 'licence', text: 'ok' }, { kind: 'licence', text: 'x', colour: 1 }] }), ['/terms/1/colour']],
    [u({ terms: 'none' }), ['/terms']],
    // A scope naming an unknown vendor or track (domain.md rev. 2).
    [u({ terms: [{ kind: 'licence', text: 'x', scope_provider: 999999 }] }), ['/terms/0/scope_provider']],
    [u({ terms: [{ kind: 'licence', text: 'x', scope_publisher: 'OpenAI' }] }), ['/terms/0/scope_publisher']],
    [u({ terms: [{ kind: 'licence', text: 'x', scope_track: 'azure-ish' }] }), ['/terms/0/scope_track']],
    [c({ exit_plan_tested: '2026-02-30' }), ['/exit_plan_tested']],
    [c({ governing_law: 'Germany' }), ['/governing_law']],
    [c({ as_of: 'yesterday' }), ['/as_of']],
  ];
  const l0 = await snap(`${COLL}?limit=500`);
  for (const [body, ptrs] of cases) assertInvalid(await req('POST', COLL, body), ...ptrs);
  assert.deepEqual(await snap(`${COLL}?limit=500`), l0);
  // Boundaries that are fine: 160-character name, two decimals, a leap day.
  const ok = await req('POST', COLL, c({ name: 'n'.repeat(160), annual_value: 0.01, start_date: '2028-02-29', end_date: '2028-02-29' }));
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.annual_value, 0.01);
  assert.equal((await req('DELETE', `${COLL}/${ok.body.id}`)).status, 204);
});

// ---- conflicts and unchanged state ----------------------------------------------------

test('409: a second contract with an existing name; the original is untouched', async () => {
  const x = await refs();
  const all = await listAll();
  const existing = all.find((c) => c.kind === 'customer');
  const path = `${COLL}/${existing.id}`;
  const s0 = await snap(path);
  const l0 = await snap(`${COLL}?limit=500`);
  const r = await req('POST', COLL, customer(x, { name: existing.name }));
  assertProblem(r, 409);
  assert.equal(r.body.errors[0].pointer, '/name');
  const other = all.find((c) => c.id !== existing.id);
  const p = await req('PATCH', `${COLL}/${other.id}`, { name: existing.name });
  assertProblem(p, 409);
  assert.equal(p.body.errors[0].pointer, '/name');
  assert.deepEqual(await snap(path), s0);
  assert.deepEqual(await snap(`${COLL}?limit=500`), l0);
});

test('bad input to an existing contract changes nothing', async () => {
  const x = await refs();
  const upstreamOne = (await listAll(COLL, 'kind=upstream'))[0];
  const path = `${COLL}/${upstreamOne.id}`;
  const s0 = await snap(path);
  const l0 = await snap(`${COLL}?limit=500`);
  const stale = `"${upstreamOne.id}-999"`;
  const bad = [
    ['PUT', customer(x, { name: upstreamOne.name, terms: [{ kind: 'licence', text: 't' }] }), {}, 400],
    ['PATCH', { end_date: '2000-01-01' }, {}, 400],
    ['PATCH', { offerings: [999999] }, {}, 400],
    ['PATCH', { terms: [{ kind: 'licence', text: 'x' }, { kind: 'nope', text: 'y' }] }, {}, 400],
    ['PATCH', { notes: 'changed' }, { 'If-Match': stale }, 412],
    ['PUT', { ...upstreamOne, notes: 'changed' }, { 'If-Match': stale }, 412],
    ['DELETE', undefined, { 'If-Match': stale }, 412],
    ['PATCH', JSON.stringify({ notes: 'changed' }), { 'Content-Type': 'text/plain' }, 415],
    ['PATCH', JSON.stringify({ notes: 'x'.repeat(1024 * 1024) }), {}, 413],
  ];
  for (const [method, body, headers, status] of bad) assertProblem(await req(method, path, body, headers), status);
  assert.deepEqual(await snap(path), s0);
  assert.deepEqual(await snap(`${COLL}?limit=500`), l0);
});

test('malformed bodies 400, wrong media type 415, bad ids 404, wrong method 405, HEAD', async () => {
  const id = (await listAll())[0].id;
  const item = `${COLL}/${id}`;
  const s0 = await snap(item);
  for (const [method, path] of [['POST', COLL], ['PUT', item], ['PATCH', item]]) {
    assertProblem(await req(method, path, '{"kind": customer}'), 400);
    assertProblem(await req(method, path, '"contract"'), 400);
    assertProblem(await req(method, path, '{"kind":"customer","kind":"upstream"}'), 400);
    assertProblem(await req(method, path, '{}', { 'Content-Type': 'text/plain' }), 415);
  }
  for (const bad of ['abc', '0']) assertProblem(await req('GET', `${COLL}/${bad}`), 404);
  const r = await req('POST', item, {});
  assertProblem(r, 405);
  assert.deepEqual(allowSet(r), new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']));
  assert.deepEqual(await snap(item), s0);
  const out = await raw(srv.port, `HEAD ${item} HTTP/1.1\r\nHost: x\r\n${authLine()}Connection: close\r\n\r\n`);
  assert.match(out, /^HTTP\/1\.1 200 /);
  assert.ok(out.endsWith('\r\n\r\n'), 'no body after the headers');
  assert.ok(out.includes(`ETag: ${s0.etag}`));
  assert.match(out, new RegExp(`\r\nContent-Length: ${Buffer.byteLength(s0.text)}\r\n`, 'i'));
});
