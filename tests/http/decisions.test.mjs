// decisions.test.mjs - issue 13's server rules for a form that hides no
// decision: POST and PUT of a workload require owner, AI Act tier and data
// classification (400 naming each, in sentences, nothing created) and a
// PATCH cannot blank them, on the API and in the CSV import; users may be
// unknown (null, not 0) through JSON and the CSV export and import; names
// are duplicates when they differ only in case beyond ASCII (Latin, Greek,
// Cyrillic); PATCH /findings/{key} honours If-Match (412); the governance
// report lists the findings to act on with owner, due date and status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { startServer, api, DECIDED } from './harness.mjs';
import { assertInvalid, assertProblem } from './assertions.mjs';

let srv;
let leader;
before(async () => {
  srv = await startServer({ demo: true });
  leader = await srv.tokenFor('leadership');
});
after(async () => { await srv?.stop(); });

const call = (method, path, body, headers) => api(srv.base, method, path, body, headers);
const total = async () => (await call('GET', '/api/v1/workloads?limit=1')).body.total;
let offering;
const body = async (extra = {}) => {
  offering ??= (await call('GET', '/api/v1/offerings?limit=1&category=model_api')).body.items[0];
  return { ...DECIDED, track: offering.track, status: 'pilot', criticality: 'low',
    dependencies: [{ offering: offering.id, role: 'model' }], ...extra };
};

async function csvImport(text, dry) {
  const res = await fetch(`${srv.base}/api/v1/imports?kind=workloads&dry_run=${dry}&file_name=w.csv`, {
    method: 'POST', headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${srv.token}` }, body: text,
  });
  return { status: res.status, body: await res.json() };
}

test('POST without owner, AI Act tier and classification: 400 naming each in sentences, nothing created', async () => {
  const before = await total();
  const doc = await body({ name: 'Undecided workload' });
  for (const k of Object.keys(DECIDED)) delete doc[k];
  const r = await call('POST', '/api/v1/workloads', doc);
  assertInvalid(r, '/owner', '/ai_act_tier', '/data_classification');
  assert.equal(r.body.errors.length, 3, JSON.stringify(r.body.errors));
  assert.equal(r.body.title, 'The workload was not saved');
  assert.equal(r.body.detail, 'Owner is required. Data classification is required. AI Act tier is required.');
  assert.equal(r.body.errors.find((e) => e.pointer === '/owner').detail, 'is required');
  // One at a time, and a blank owner.
  for (const [k, v, pointer, sentence] of [
    ['owner', undefined, '/owner', 'Owner is required.'],
    ['owner', '  ', '/owner', 'Owner must not be blank.'],
    ['ai_act_tier', undefined, '/ai_act_tier', 'AI Act tier is required.'],
    ['ai_act_tier', null, '/ai_act_tier', 'AI Act tier must not be null.'],
    ['data_classification', undefined, '/data_classification', 'Data classification is required.'],
  ]) {
    const one = await body({ name: `Undecided ${k}` });
    if (v === undefined) delete one[k]; else one[k] = v;
    const res = await call('POST', '/api/v1/workloads', one);
    assertInvalid(res, pointer);
    assert.deepEqual(res.body.errors.map((e) => e.pointer), [pointer]);
    assert.equal(res.body.detail, sentence);
  }
  assert.equal(await total(), before, 'nothing created');
  assert.equal((await call('GET', `/api/v1/workloads?q=${encodeURIComponent('Undecided')}`)).body.total, 0);
});

test('PUT requires them too, a PATCH cannot blank them, and existing values stay', async () => {
  const c = await call('POST', '/api/v1/workloads', await body({ name: 'Decided workload', ai_act_tier: 'limited',
    data_classification: 'confidential', owner: 'Ana Lima' }));
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const path = `/api/v1/workloads/${c.body.id}`;
  const put = await body({ name: 'Decided workload' });
  delete put.owner;
  assertInvalid(await call('PUT', path, put), '/owner');
  for (const k of Object.keys(DECIDED)) {
    const r = await call('PATCH', path, { [k]: null }, { 'Content-Type': 'application/merge-patch+json' });
    assertInvalid(r, `/${k}`);
    assert.equal(r.body.title, 'The workload was not saved');
  }
  const g = (await call('GET', path)).body;
  assert.deepEqual([g.owner, g.ai_act_tier, g.data_classification], ['Ana Lima', 'limited', 'confidential']);
  const ok = await call('PATCH', path, { ai_act_tier: 'minimal' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.ai_act_tier, 'minimal');
});

test('users not known: null through POST, PATCH and PUT, never 0', async () => {
  const c = await call('POST', '/api/v1/workloads', await body({ name: 'Users unknown' }));
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(c.body.users, null);
  const path = `/api/v1/workloads/${c.body.id}`;
  assert.equal((await call('GET', path)).body.users, null);
  assert.equal((await call('PATCH', path, { users: 0 })).body.users, 0, '0 is a value of its own');
  assert.equal((await call('PATCH', path, { users: 1250 })).body.users, 1250);
  assert.equal((await call('PATCH', path, { users: null }, { 'Content-Type': 'application/merge-patch+json' })).body.users, null);
  const g = (await call('GET', path)).body;
  const put = await call('PUT', path, { ...g, users: 7 });
  assert.equal(put.body.users, 7);
  const { users, ...rest } = put.body;
  const cleared = await call('PUT', path, rest);
  assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
  assert.equal(cleared.body.users, null, 'PUT replaces: absent is unknown');
  assertInvalid(await call('PATCH', path, { users: -1 }), '/users');
  // The list says null as well.
  const listed = (await call('GET', `/api/v1/workloads?q=${encodeURIComponent('Users unknown')}`)).body.items;
  assert.deepEqual(listed.map((w) => w.users), [null]);
});

test('users in the CSV: empty is unknown, both ways, and the round trip changes nothing', async () => {
  const c = await call('POST', '/api/v1/workloads', await body({ name: 'CSV users unknown' }));
  const known = await call('POST', '/api/v1/workloads', await body({ name: 'CSV users known', users: 40 }));
  assert.equal(known.status, 201);
  const res = await fetch(`${srv.base}/api/v1/exports/workloads.csv`, { headers: { Authorization: `Bearer ${srv.token}` } });
  const csv = await res.text();
  const rows = parse(csv, { columns: true, bom: true });
  assert.equal(rows.find((r) => r.name === 'CSV users unknown').users, '');
  assert.equal(rows.find((r) => r.name === 'CSV users known').users, '40');
  const again = await csvImport(csv, true);
  assert.equal(again.status, 200, JSON.stringify(again.body).slice(0, 400));
  assert.equal(again.body.counts.change, 0);
  assert.equal(again.body.counts.rejected, 0);
  // An empty users cell clears a known number: unknown, not 0.
  const cleared = await csvImport('name,users\r\nCSV users known,\r\n', false);
  assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
  const change = cleared.body.items.find((i) => i.name === 'CSV users known').changes;
  assert.deepEqual(change.map((x) => [x.field, x.old, x.new]), [['users', '40', '']]);
  assert.equal((await call('GET', `/api/v1/workloads/${known.body.id}`)).body.users, null);
  assert.equal((await call('GET', `/api/v1/workloads/${c.body.id}`)).body.users, null);
});

test('CSV import: a new workload without owner, tier or classification is a rejected row naming row and column', async () => {
  const before = await total();
  const name = offering.name.includes(',') ? `"${offering.name}"` : offering.name;
  const header = 'name,owner,track,status,criticality,ai_act_tier,data_classification,dependencies';
  const file = `${header}\r\nFine new one,Ana Ruiz,${offering.track},pilot,low,minimal,internal,${name} (model)\r\n` +
    `No tier,Ana Ruiz,${offering.track},pilot,low,,internal,${name} (model)\r\n` +
    `No owner,,${offering.track},pilot,low,limited,internal,${name} (model)\r\n`;
  const r = await csvImport(file, false);
  assert.equal(r.status, 422, JSON.stringify(r.body));
  const rejected = r.body.plan.items.filter((i) => i.action === 'rejected');
  assert.deepEqual(rejected.map((i) => [i.row, i.column, i.column_name]), [[3, 6, 'ai_act_tier'], [4, 2, 'owner']]);
  assert.equal(rejected[0].reason, 'AI Act tier is required.');
  assert.equal(rejected[1].reason, 'Owner must not be empty.');
  // A file without the column at all: the row and the missing column, named.
  const lacking = await csvImport(`name,owner,track,status,criticality,ai_act_tier\r\nNo class,Ana Ruiz,${offering.track},pilot,low,minimal\r\n`, true);
  const bad = lacking.body.items.find((i) => i.action === 'rejected');
  assert.deepEqual([bad.row, bad.column, bad.column_name], [2, 7, 'data_classification']);
  assert.equal(bad.reason, 'Data classification is required. The file has no "data_classification" column.');
  assert.equal(await total(), before, 'nothing created');
});

test('a name differing only in case beyond ASCII is a duplicate: 409 on /name, nothing written', async () => {
  for (const [first, again] of [
    ['Ärzte-Assistent', 'ärzte-assistent '],
    ['ΟΔΗΓΟΣ ΑΠΑΙΤΗΣΕΩΝ', 'οδηγος απαιτησεων'],
    ['ПОМОЩНИК ЮРИСТА', '  помощник   юриста'],
    ['Łódź claims', 'ŁÓDŹ CLAIMS'],
  ]) {
    const c = await call('POST', '/api/v1/workloads', await body({ name: first }));
    assert.equal(c.status, 201, JSON.stringify(c.body));
    const before = await total();
    const dup = await call('POST', '/api/v1/workloads', await body({ name: again }));
    assertProblem(dup, 409);
    assert.deepEqual(dup.body.errors.map((e) => e.pointer), ['/name']);
    assert.equal(dup.body.title, 'The workload was not saved');
    assert.match(dup.body.detail, /^Another workload already has this name/);
    assert.equal(await total(), before);
  }
  // Different letters are different names.
  const other = await call('POST', '/api/v1/workloads', await body({ name: 'Arzte-Assistent' }));
  assert.equal(other.status, 201);
  // The CSV import refuses such a name as a row (422), never a 500 at apply.
  const before = await total();
  const csv = `name,owner,track,status,criticality,ai_act_tier,data_classification\r\n` +
    `ÄRZTE-ASSISTENT,Ana Ruiz,other,pilot,low,minimal,internal\r\n`;
  const r = await csvImport(csv, false);
  assert.equal(r.status, 422, JSON.stringify(r.body));
  const bad = r.body.plan.items.find((i) => i.action === 'rejected');
  assert.deepEqual([bad.row, bad.column, bad.column_name], [2, 1, 'name']);
  assert.match(bad.reason, /^Another workload already has this name/);
  assert.equal(await total(), before);
  // Two new rows of one file that differ only in case or blanks: the second
  // is rejected naming its row (a 422 before anything is written, not a
  // failed apply).
  const twice = `name,owner,track,status,criticality,ai_act_tier,data_classification\r\n` +
    `Ölschaden Triage,Ana Ruiz,other,pilot,low,minimal,internal\r\n` +
    `  ÖLSCHADEN   triage ,Ana Ruiz,other,pilot,low,minimal,internal\r\n`;
  const t = await csvImport(twice, false);
  assert.equal(t.status, 422, JSON.stringify(t.body));
  const rejected = t.body.plan.items.filter((i) => i.action === 'rejected');
  assert.equal(rejected.length, 1);
  assert.deepEqual([rejected[0].row, rejected[0].column_name, rejected[0].reason], [3, 'name', 'the name is on row 2 already']);
  assert.equal(await total(), before);
});

test('PATCH /findings/{key} honours If-Match: the version GET gives, 412 when it moved', async () => {
  const as = { Authorization: `Bearer ${leader}` };
  const list = (await call('GET', '/api/v1/findings', undefined, as)).body.items;
  const f = list.find((x) => x.status === 'open');
  assert.equal(f.version, 0, 'nothing stored yet');
  const path = `/api/v1/findings/${f.key}`;
  const first = await call('PATCH', path, { owner: 'Head of Platform' }, { ...as, 'If-Match': '"0"' });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.version, 1);
  assert.equal(first.headers.get('etag'), '"1"');
  // A stale tag changes nothing.
  const stale = await call('PATCH', path, { owner: 'Someone else' }, { ...as, 'If-Match': '"0"' });
  assertProblem(stale, 412);
  assert.equal(stale.body.title, 'The finding was not updated');
  const now = (await call('GET', '/api/v1/findings', undefined, as)).body.items.find((x) => x.key === f.key);
  assert.deepEqual([now.owner, now.version], ['Head of Platform', 1]);
  // The current tag, a list holding it, * and no header all apply.
  const second = await call('PATCH', path, { due: '2027-03-31' }, { ...as, 'If-Match': '"7", "1"' });
  assert.equal(second.status, 200);
  assert.equal(second.body.version, 2);
  assert.equal((await call('PATCH', path, { status: 'in_progress' }, { ...as, 'If-Match': '*' })).body.version, 3);
  assert.equal((await call('PATCH', path, { note: 'Started' }, as)).body.version, 4);
  assertProblem(await call('PATCH', path, { note: 'weak' }, { ...as, 'If-Match': 'W/"4"' }), 412);
  const audit = (await call('GET', '/api/v1/audit?entity=finding&limit=10')).body.items;
  assert.equal(audit.filter((e) => e.after && e.after.key === f.key).length, 4, 'the refused ones are not audited');
});

test('the governance report lists the findings to act on, by severity, with owner, due date and status', async () => {
  const as = { Authorization: `Bearer ${leader}` };
  const findings = (await call('GET', '/api/v1/findings', undefined, as)).body;
  const open = findings.items.filter((x) => x.status === 'open' || x.status === 'in_progress');
  const count = (s) => open.filter((x) => x.severity === s).length;
  const settled = findings.items.length - open.length;
  const res = await fetch(`${srv.base}/api/v1/reports/governance?format=json`, { headers: { Authorization: `Bearer ${srv.token}` } });
  const model = await res.json();
  assert.deepEqual(model.findings.items.map((x) => x.key), findings.items.map((x) => x.key));
  assert.deepEqual(model.findings.by_severity, findings.by_severity);
  const html = await (await fetch(`${srv.base}/api/v1/reports/governance?format=html`, { headers: { Authorization: `Bearer ${srv.token}` } })).text();
  const start = html.indexOf('<section id="findings"');
  assert.ok(start > 0, 'the section is there');
  const section = html.slice(start, html.indexOf('</section>', start));
  assert.match(section, /<h2 id="findings-title">\d+\. Findings to act on<\/h2>/);
  assert.ok(section.includes(`<p>${open.length} findings to act on (open or in progress): ${count('high')} high, ` +
    `${count('medium')} medium, ${count('low')} low and ${count('info')} for information; ${settled} settled`), section.slice(0, 600));
  for (const [s, title] of [['high', 'High'], ['medium', 'Medium'], ['low', 'Low'], ['info', 'Information']]) {
    assert.equal(section.includes(`<h3>${title} severity (${count(s)})</h3>`), count(s) > 0, s);
  }
  assert.equal((section.match(/<tr><td><strong>/g) || []).length, open.length, 'one row per finding to act on');
  // The finding given an owner and a due date above shows them.
  const owned = open.find((x) => x.owner === 'Head of Platform');
  assert.ok(owned);
  assert.ok(section.includes('<td>Head of Platform</td><td>2027-03-31 ('), 'owner and due date');
  assert.ok(section.includes('<td>In progress</td>'));
  assert.ok(html.includes('<li><a href="#findings">Findings to act on</a></li>'), 'in the contents');
});
