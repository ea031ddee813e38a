// permissions.test.mjs - every route of the route table x every identity
// (no credentials, viewer, architect, auditor, leadership, admin) against the
// demo server.
//
// The routes and their least roles come from GET /api/openapi.json, which
// tests/unit/test_openapi.c ties to the route table in both directions. The
// CASES table below states, per route, the least role the product's role
// policy gives it (checked against the document, so a route given the wrong
// role fails here) and how to make a valid request to it; a documented route
// missing from CASES fails too.
//
// Expectations, exactly:
//   no credentials, route not public  -> 401 with WWW-Authenticate
//   a role the route does not allow   -> 403 "Your role does not allow this."
//   a role it allows (and public)     -> the case's 2xx status
// Every request is valid (real demo IDs, minimal valid bodies), so the role is
// the only reason for a refusal. Routes that change or delete a record work on
// a throwaway record made for that one call, so each allowed call really
// succeeds; after a refused call the record is checked to be unchanged.
// No case expects 404 or 409, except single sign-on's two browser steps:
// this server has no provider, so they answer 404 to everyone (public
// routes; tests/http/sso.test.mjs walks them against a real provider).
// Sign-ins here always succeed (POST /session rate-limits failures).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DECIDED } from './harness.mjs';

const IDENTITIES = ['anonymous', 'viewer', 'architect', 'auditor', 'leadership', 'admin'];
const ROLES = ['public', 'viewer', 'architect', 'auditor', 'leadership', 'admin'];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// The role policy (core/roles.c role_allows): admin may do everything; a
// route for viewers takes any signed-in role; architect, auditor and
// leadership are siblings, none includes another; public routes need no
// credentials.
function allows(identity, need) {
  if (need === 'public') return true;
  if (identity === 'anonymous') return false;
  if (identity === 'admin' || need === 'viewer') return true;
  return identity === need;
}

let srv;
const tokens = {};   // identity -> API token secret
const demo = {};     // real IDs from the demo data
let doc;
let serial = 0;
const unique = (what) => `perm-${what}-${process.pid}-${++serial}`;

function auth(who) {
  return who === 'anonymous' ? { Authorization: '' } : { Authorization: `Bearer ${tokens[who]}` };
}

// Admin helpers for fixtures; each asserts its own success.
async function adminCall(method, path, body, headers) {
  const r = await api(srv.base, method, path, body, headers);
  if (r.status < 200 || r.status > 299) {
    throw new Error(`fixture ${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return r;
}
async function make(collection, body) {
  const r = await adminCall('POST', `/api/v1/${collection}`, body);
  assert.equal(r.status, 201);
  return { record: r.body, etag: r.headers.get('etag'), path: `/api/v1/${collection}/${r.body.id}` };
}
const vendorBody = () => ({ name: unique('vendor'), country: 'DE' });
const offeringBody = () => ({
  name: unique('offering'), provider: demo.vendor, track: 'other', category: 'tooling',
  interface: 'open_standard',
});
const contractBody = () => ({
  name: unique('contract'), kind: 'customer', counterparty: demo.vendor,
  offerings: [demo.offering], start_date: '2026-01-01', end_date: '2027-12-31', notice_days: 30,
});
const workloadBody = () => ({
  ...DECIDED, name: unique('workload'), track: 'other', status: 'proposed', criticality: 'low',
  dependencies: [{ offering: demo.offering, role: 'tooling' }],
});
// A workload with a named alternative, so a drill of it is valid.
const drillWorkloadBody = () => ({
  ...workloadBody(), alternatives: [{ dependency: demo.offering, offering: demo.offering2 }],
});
const inDays = (n) => new Date(Date.parse(demo.today) + n * 86400000).toISOString().slice(0, 10);
// After a refused drill or acceptance: the workload still has none.
function noneRecorded(path) {
  return async () => {
    const r = await api(srv.base, 'GET', path);
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 0, `${path} should still be empty`);
  };
}
const scenarioBody = () => ({
  name: unique('scenario'), changes: [{ type: 'add_swap_layer', workloads: [demo.workload] }],
});

// A disabled webhook (the worker sends it nothing) and a check that it
// is still there as it was.
async function webhookFixture() {
  const r = await adminCall('POST', '/api/v1/webhooks', {
    url: 'http://127.0.0.1:9/hook', events: ['drill.failed'], enabled: false, description: unique('webhook'),
  });
  return r.body.webhook.id;
}
function webhookUnchanged(id) {
  return async () => {
    const r = await api(srv.base, 'GET', `/api/v1/webhooks/${id}`);
    assert.equal(r.status, 200, `webhook ${id} should still exist`);
    assert.notEqual(r.body.description, 'changed');
  };
}

// After a refused change: the record is still there with the same version.
function unchangedRecord(path, etag) {
  return async () => {
    const r = await api(srv.base, 'GET', path);
    assert.equal(r.status, 200, `${path} should still exist`);
    assert.equal(r.headers.get('etag'), etag, `${path} should be unchanged`);
  };
}
// After a refused create: nothing by that name was saved.
function nothingNamed(collection, name) {
  return async () => {
    const r = await api(srv.base, 'GET', `/api/v1/${collection}?q=${encodeURIComponent(name)}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 0, `no ${collection} named ${name} should exist`);
  };
}

// The CRUD routes of a catalogue entity; `role` is the least role for writes.
function entityCases(collection, role, bodyOf, patch) {
  const base = `/api/v1/${collection}`;
  return {
    [`GET ${base}`]: { role: 'viewer', status: 200, prepare: () => ({ path: base }) },
    [`POST ${base}`]: {
      role, status: 201,
      prepare: () => {
        const body = bodyOf();
        return { path: base, body, unchanged: nothingNamed(collection, body.name) };
      },
      check: (r) => assert.match(r.headers.get('location'), new RegExp(`^${base}/\\d+$`)),
    },
    [`GET ${base}/{id}`]: {
      role: 'viewer', status: 200, prepare: () => ({ path: `${base}/${demo[collection]}` }),
    },
    [`PUT ${base}/{id}`]: {
      role, status: 200,
      prepare: async () => {
        const t = await make(collection, bodyOf());
        const { id, created_at, updated_at, risk, group, notice_deadline, ...rest } = t.record;
        return {
          path: t.path, body: { ...rest, ...patch }, headers: { 'If-Match': t.etag },
          unchanged: unchangedRecord(t.path, t.etag),
        };
      },
    },
    [`PATCH ${base}/{id}`]: {
      role, status: 200,
      prepare: async () => {
        const t = await make(collection, bodyOf());
        return {
          path: t.path, body: patch, headers: { 'Content-Type': 'application/merge-patch+json' },
          unchanged: unchangedRecord(t.path, t.etag),
        };
      },
    },
    [`DELETE ${base}/{id}`]: {
      role, status: 204,
      prepare: async () => {
        const t = await make(collection, bodyOf());
        return { path: t.path, unchanged: unchangedRecord(t.path, t.etag) };
      },
      check: async (r, req) => {
        assert.equal((await api(srv.base, 'GET', req.path)).status, 404);
      },
    },
  };
}

const CASES = {
  'GET /api/v1/health': { role: 'public', status: 200, prepare: () => ({ path: '/api/v1/health' }) },
  'GET /api/v1/metrics': { role: 'admin', status: 200, prepare: () => ({ path: '/api/v1/metrics' }) },
  'GET /api/openapi.json': {
    role: 'public', status: 200, prepare: () => ({ path: '/api/openapi.json' }),
    check: (r) => assert.match(r.body.openapi, /^3\.1\./),
  },

  // Catalogue: admins curate vendors, offerings and contracts.
  ...entityCases('vendors', 'admin', vendorBody, { description: 'changed by the permissions test' }),
  ...entityCases('offerings', 'admin', offeringBody, { description: 'changed by the permissions test' }),
  ...entityCases('contracts', 'admin', contractBody, { notes: 'changed by the permissions test' }),
  // Architects and admins write workloads and scenarios.
  ...entityCases('workloads', 'architect', workloadBody, { purpose: 'changed by the permissions test' }),
  'POST /api/v1/workloads/preview': {
    role: 'architect', status: 200,
    prepare: () => {
      const body = workloadBody();
      return { path: '/api/v1/workloads/preview', body, unchanged: nothingNamed('workloads', body.name) };
    },
    check: async (r, req) => {
      assert.equal(typeof r.body.risk.score, 'number');
      await nothingNamed('workloads', req.body.name)(); // a preview never saves
    },
  },

  'GET /api/v1/risk/model': { role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/risk/model' }) },
  'PUT /api/v1/risk/model': {
    role: 'admin', status: 200,
    // Sets a weight to the value it has, so the scores stay as they are.
    prepare: async () => {
      const model = (await adminCall('GET', '/api/v1/risk/model')).body;
      return { path: '/api/v1/risk/model', body: { weights: { data_gravity: model.weights.data_gravity } } };
    },
  },
  'GET /api/v1/portfolio/summary': {
    role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/portfolio/summary' }),
  },
  'GET /api/v1/portfolio/concentration': {
    role: 'viewer', status: 200,
    prepare: () => ({ path: '/api/v1/portfolio/concentration?basis=workloads&connected=true' }),
  },
  'GET /api/v1/strategies/{track}': {
    role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/strategies/azure' }),
  },
  'POST /api/v1/scenarios/evaluate': {
    role: 'viewer', status: 200,
    prepare: () => ({
      path: '/api/v1/scenarios/evaluate',
      body: { changes: [{ type: 'exit_group', vendor: demo.vendor }] },
    }),
  },
  ...entityCases('scenarios', 'architect', scenarioBody, { description: 'changed by the permissions test' }),
  'GET /api/v1/compliance': { role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/compliance' }) },
  'GET /api/v1/findings': { role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/findings' }) },
  // Leaders set who acts on a finding by when (each call sets a new note,
  // so a refused call is seen to change nothing).
  'PATCH /api/v1/findings/{key}': {
    role: 'leadership', status: 200,
    prepare: async () => {
      const key = (await adminCall('GET', '/api/v1/findings?limit=1')).body.items[0].key;
      const path = `/api/v1/findings/${key}`;
      const before = (await adminCall('GET', '/api/v1/findings?limit=1')).body.items[0].note;
      return {
        path, body: { note: unique('note') },
        unchanged: async () => {
          const now = (await api(srv.base, 'GET', '/api/v1/findings?limit=1')).body.items[0];
          assert.equal(now.note, before, `${path} should be unchanged`);
        },
      };
    },
  },

  // Exit drills: architects record them; acceptances: leadership.
  'GET /api/v1/workloads/{id}/drills': {
    role: 'viewer', status: 200, prepare: () => ({ path: `/api/v1/workloads/${demo.workload}/drills` }),
  },
  'POST /api/v1/workloads/{id}/drills': {
    role: 'architect', status: 201,
    prepare: async () => {
      const t = await make('workloads', drillWorkloadBody());
      return {
        path: `${t.path}/drills`,
        body: { dependency: demo.offering, offering: demo.offering2, drilled_on: demo.today, result: 'passed',
          evidence: 'permissions test' },
        unchanged: noneRecorded(`${t.path}/drills`),
      };
    },
  },
  'GET /api/v1/workloads/{id}/acceptances': {
    role: 'viewer', status: 200, prepare: () => ({ path: `/api/v1/workloads/${demo.workload}/acceptances` }),
  },
  'POST /api/v1/workloads/{id}/acceptances': {
    role: 'leadership', status: 201,
    prepare: async () => {
      const t = await make('workloads', workloadBody());
      return {
        path: `${t.path}/acceptances`,
        body: { owner: 'Permissions Test', reason: 'accepted by the permissions test', expires_on: inDays(30) },
        unchanged: noneRecorded(`${t.path}/acceptances`),
      };
    },
  },
  'GET /api/v1/acceptances': { role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/acceptances' }) },
  'DELETE /api/v1/acceptances/{id}': {
    role: 'leadership', status: 200,
    prepare: async () => {
      const t = await make('workloads', workloadBody());
      const a = await adminCall('POST', `${t.path}/acceptances`,
        { owner: 'Permissions Test', reason: 'to be revoked', expires_on: inDays(30) });
      const path = `/api/v1/acceptances/${a.body.id}`;
      return {
        path,
        unchanged: async () => {
          const list = (await api(srv.base, 'GET', `${t.path}/acceptances`)).body.items;
          assert.equal(list[0].revoked_at, null, `${path} should not be revoked`);
        },
      };
    },
    check: (r) => assert.equal(typeof r.body.revoked_at, 'string'),
  },

  'POST /api/v1/session': {
    role: 'public', status: 201,
    prepare: () => ({ path: '/api/v1/session', body: { name: 'viewer', password: srv.users.viewer } }),
    check: (r) => assert.match(r.headers.get('set-cookie'), /^sy_session=[^;]+;/),
  },
  'GET /api/v1/session': {
    role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/session' }),
    check: (r, req, who) => assert.equal(r.body.role, who),
  },
  // With a token there is no cookie session to end: it answers 204 and
  // clears the cookie, and the token keeps working.
  'DELETE /api/v1/session': { role: 'viewer', status: 204, prepare: () => ({ path: '/api/v1/session' }) },

  // Only admins manage users.
  'GET /api/v1/users': { role: 'admin', status: 200, prepare: () => ({ path: '/api/v1/users' }) },
  'POST /api/v1/users': {
    role: 'admin', status: 201,
    prepare: () => {
      const name = unique('user');
      return {
        path: '/api/v1/users', body: { name, role: 'viewer' },
        unchanged: async () => {
          const r = await api(srv.base, 'GET', '/api/v1/users');
          assert.ok(!r.body.items.some((u) => u.name === name), `user ${name} should not exist`);
        },
      };
    },
  },
  'GET /api/v1/users/{id}': {
    role: 'admin', status: 200, prepare: () => ({ path: `/api/v1/users/${demo.user}` }),
  },
  'PATCH /api/v1/users/{id}': {
    role: 'admin', status: 200,
    prepare: async () => {
      const u = (await adminCall('POST', '/api/v1/users', { name: unique('user'), role: 'viewer' })).body;
      return {
        path: `/api/v1/users/${u.id}`, body: { role: 'auditor' },
        unchanged: async () => {
          const r = await api(srv.base, 'GET', `/api/v1/users/${u.id}`);
          assert.equal(r.status, 200);
          assert.equal(r.body.role, 'viewer');
          assert.equal(r.body.updated_at, u.updated_at);
        },
      };
    },
    check: (r) => assert.equal(r.body.role, 'auditor'),
  },

  // Everyone signed in manages their own tokens.
  'GET /api/v1/tokens': { role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/tokens' }) },
  'POST /api/v1/tokens': {
    role: 'viewer', status: 201,
    prepare: () => {
      const name = unique('token');
      return {
        path: '/api/v1/tokens', body: { name },
        unchanged: async () => {
          const r = await api(srv.base, 'GET', '/api/v1/tokens'); // admin: everyone's
          assert.ok(!r.body.items.some((t) => t.name === name), `token ${name} should not exist`);
        },
      };
    },
    check: (r, req, who) => {
      assert.match(r.body.token, /^sy_/);
      assert.equal(r.body.role, who);
    },
  },
  'DELETE /api/v1/tokens/{id}': {
    role: 'viewer', status: 204,
    // The token revoked belongs to the caller (others' tokens answer 404 to
    // non-admins); without credentials, to the admin.
    prepare: async (who) => {
      const owner = who === 'anonymous' ? 'admin' : who;
      const r = await api(srv.base, 'POST', '/api/v1/tokens', { name: unique('token') }, auth(owner));
      assert.equal(r.status, 201);
      return {
        path: `/api/v1/tokens/${r.body.id}`,
        unchanged: async () => {
          const list = await api(srv.base, 'GET', '/api/v1/tokens');
          const t = list.body.items.find((x) => x.id === r.body.id);
          assert.equal(t.revoked_at, null);
        },
      };
    },
  },

  // Webhooks are for admins. Fixtures are disabled, so the worker sends
  // nothing; the replayed delivery is put in place with SQL.
  'GET /api/v1/webhooks': { role: 'admin', status: 200, prepare: () => ({ path: '/api/v1/webhooks' }) },
  'POST /api/v1/webhooks': {
    role: 'admin', status: 201,
    prepare: () => {
      const description = unique('webhook');
      return {
        path: '/api/v1/webhooks', body: { url: 'http://127.0.0.1:9/hook', events: ['drill.failed'], enabled: false, description },
        unchanged: async () => {
          const r = await api(srv.base, 'GET', '/api/v1/webhooks');
          assert.ok(!r.body.items.some((h) => h.description === description), `webhook ${description} should not exist`);
        },
      };
    },
    check: (r) => assert.match(r.body.secret, /^whsec_[0-9a-f]{64}$/),
  },
  'GET /api/v1/webhooks/{id}': {
    role: 'admin', status: 200, prepare: async () => ({ path: `/api/v1/webhooks/${await webhookFixture()}` }),
  },
  'PATCH /api/v1/webhooks/{id}': {
    role: 'admin', status: 200,
    prepare: async () => {
      const id = await webhookFixture();
      return { path: `/api/v1/webhooks/${id}`, body: { description: 'changed' }, unchanged: webhookUnchanged(id) };
    },
    check: (r) => assert.equal(r.body.description, 'changed'),
  },
  'DELETE /api/v1/webhooks/{id}': {
    role: 'admin', status: 204,
    prepare: async () => {
      const id = await webhookFixture();
      return { path: `/api/v1/webhooks/${id}`, unchanged: webhookUnchanged(id) };
    },
  },
  'POST /api/v1/webhooks/{id}/rotate-secret': {
    role: 'admin', status: 200,
    prepare: async () => {
      const id = await webhookFixture();
      const sealed = srv.sql(`SELECT secret_sealed FROM webhooks WHERE id = ${id};`);
      return {
        path: `/api/v1/webhooks/${id}/rotate-secret`,
        unchanged: async () => assert.equal(srv.sql(`SELECT secret_sealed FROM webhooks WHERE id = ${id};`), sealed),
      };
    },
    check: (r) => assert.match(r.body.secret, /^whsec_[0-9a-f]{64}$/),
  },
  'GET /api/v1/webhooks/{id}/deliveries': {
    role: 'admin', status: 200, prepare: async () => ({ path: `/api/v1/webhooks/${await webhookFixture()}/deliveries` }),
  },
  'POST /api/v1/webhooks/deliveries/{id}/replay': {
    role: 'admin', status: 202,
    prepare: async () => {
      const hook = await webhookFixture();
      const evt = unique('evt');
      srv.sql(`INSERT INTO webhook_events(event_id, type, created_at, body) VALUES ('${evt}', 'drill.failed', '2026-01-01T00:00:00Z', '{}');
INSERT INTO webhook_deliveries(webhook_id, event, status, attempts, first_at, next_at) SELECT ${hook}, id, 'failed', 3, 0, 0 FROM webhook_events WHERE event_id = '${evt}';`);
      const id = Number(srv.sql(`SELECT d.id FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event WHERE e.event_id = '${evt}';`).trim());
      return {
        path: `/api/v1/webhooks/deliveries/${id}/replay`,
        unchanged: async () => {
          const r = await api(srv.base, 'GET', `/api/v1/webhooks/${hook}/deliveries`);
          assert.equal(r.body.items[0].status, 'failed');
        },
      };
    },
    check: (r) => assert.equal(r.body.status, 'pending'),
  },

  // The audit trail is for auditors and admins.
  'GET /api/v1/audit': { role: 'auditor', status: 200, prepare: () => ({ path: '/api/v1/audit?limit=5' }) },
  'GET /api/v1/audit/verify': {
    role: 'auditor', status: 200, prepare: () => ({ path: '/api/v1/audit/verify' }),
    check: (r) => assert.equal(r.body.ok, true),
  },
  'GET /api/v1/audit/head': { role: 'auditor', status: 200, prepare: () => ({ path: '/api/v1/audit/head' }) },

  // Exports are for auditors and admins; the key that verifies them is public.
  'GET /api/v1/reports/governance': {
    role: 'auditor', status: 200, prepare: () => ({ path: '/api/v1/reports/governance?format=json' }),
    check: (r) => assert.equal(r.body.report, 'governance'),
  },
  'GET /api/v1/reports/dora': {
    role: 'auditor', status: 200, prepare: () => ({ path: '/api/v1/reports/dora?format=validation' }),
    check: (r) => assert.equal(typeof r.body.total, 'number'),
  },
  'GET /api/v1/sso': {
    role: 'public', status: 200, prepare: () => ({ path: '/api/v1/sso' }),
    check: (r) => assert.deepEqual(r.body, { enabled: false, password_sign_in: 'all' }),
  },
  'GET /api/v1/sso/login': {
    role: 'public', status: 404, prepare: () => ({ path: '/api/v1/sso/login' }),
    check: (r) => assert.equal(r.body.detail, 'Single sign-on is not configured on this server.'),
  },
  'GET /api/v1/sso/callback': {
    role: 'public', status: 404, prepare: () => ({ path: '/api/v1/sso/callback?state=s&code=c' }),
    check: (r) => assert.equal(r.body.detail, 'Single sign-on is not configured on this server.'),
  },
  // The portfolio over time (issue 19): history for viewers; calendar
  // feeds are each user's own; the .ics route's credential is its secret.
  'GET /api/v1/portfolio/history': {
    role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/portfolio/history' }),
    check: (r) => assert.equal(r.body.coverage.days, 90),
  },
  'GET /api/v1/portfolio/changes': {
    role: 'viewer', status: 200, prepare: () => ({ path: `/api/v1/portfolio/changes?since=${demo.today}` }),
    check: (r) => assert.ok(Array.isArray(r.body.workloads)),
  },
  'GET /api/v1/reviews': { role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/reviews' }) },
  'POST /api/v1/reviews': {
    role: 'leadership', status: 201,
    prepare: () => {
      const name = unique('review');
      return {
        path: '/api/v1/reviews', body: { name },
        unchanged: async () => {
          const r = await api(srv.base, 'GET', '/api/v1/reviews');
          assert.ok(!r.body.items.some((x) => x.name === name), `review ${name} should not exist`);
        },
      };
    },
  },
  'GET /api/v1/calendar/feeds': {
    role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/calendar/feeds' }),
  },
  'POST /api/v1/calendar/feeds': {
    role: 'viewer', status: 201,
    prepare: () => {
      const name = unique('feed');
      return {
        path: '/api/v1/calendar/feeds', body: { name },
        unchanged: async () => {
          const r = await api(srv.base, 'GET', '/api/v1/calendar/feeds'); // admin: everyone's
          assert.ok(!r.body.items.some((f) => f.name === name), `feed ${name} should not exist`);
        },
      };
    },
    check: (r, req, who) => {
      assert.match(r.body.url, /\/api\/v1\/calendar\/syc_[^/]+\.ics$/);
      assert.equal(r.body.user, who);
    },
  },
  'DELETE /api/v1/calendar/feeds/{id}': {
    role: 'viewer', status: 204,
    prepare: async (who) => {
      const owner = who === 'anonymous' ? 'admin' : who;
      const r = await api(srv.base, 'POST', '/api/v1/calendar/feeds', { name: unique('feed') }, auth(owner));
      assert.equal(r.status, 201);
      return {
        path: `/api/v1/calendar/feeds/${r.body.id}`,
        unchanged: async () => {
          const list = await api(srv.base, 'GET', '/api/v1/calendar/feeds');
          assert.equal(list.body.items.find((x) => x.id === r.body.id).revoked_at, null);
        },
      };
    },
  },
  'GET /api/v1/calendar/{secret}.ics': {
    role: 'public', status: 200,
    prepare: async () => {
      const r = await api(srv.base, 'POST', '/api/v1/calendar/feeds', { name: unique('feed') });
      assert.equal(r.status, 201);
      return { path: new URL(r.body.url).pathname };
    },
    check: (r) => assert.match(r.body, /^BEGIN:VCALENDAR\r\n/),
  },
  'GET /api/v1/reports/cyclonedx': {
    role: 'auditor', status: 200, prepare: () => ({ path: '/api/v1/reports/cyclonedx' }),
    check: (r) => assert.equal(r.body.specVersion, '1.6'),
  },
  'GET /api/v1/reports/ai-act': {
    role: 'auditor', status: 200, prepare: () => ({ path: '/api/v1/reports/ai-act' }),
    check: (r) => assert.ok(r.body.rows.length > 0),
  },
  'GET /api/v1/reports/public-key': {
    role: 'public', status: 200, prepare: () => ({ path: '/api/v1/reports/public-key' }),
    check: (r) => assert.match(r.body, /^untrusted comment: minisign public key/),
  },
  'GET /api/v1/reports/signing-key': {
    role: 'public', status: 200, prepare: () => ({ path: '/api/v1/reports/signing-key' }),
    check: (r) => assert.match(r.body.fingerprint, /^SHA256:[0-9a-f]{64}$/),
  },
  // Verifying a bundle is for auditors and admins; a file that is not one
  // gets a verdict, not an error.
  'POST /api/v1/reports/verify': {
    role: 'auditor', status: 200,
    prepare: () => ({ path: '/api/v1/reports/verify', body: 'not a bundle', headers: { 'Content-Type': 'application/gzip' } }),
    check: (r) => {
      assert.equal(r.body.verified, false);
      assert.equal(r.body.checks[0].name, 'bundle');
    },
  },
  // Evidence imports (imports.test.mjs tests them in depth): a dry run
  // writes nothing, so every permitted identity may repeat it.
  'POST /api/v1/imports': {
    role: 'architect', status: 200,
    prepare: () => ({
      path: '/api/v1/imports?kind=workloads&dry_run=true', body: 'name,owner\r\nHR policy assistant,Lena Vogel\r\n',
      headers: { 'Content-Type': 'text/csv' },
    }),
    check: (r) => { assert.equal(r.body.rows, 1); assert.equal(r.body.dry_run, true); assert.equal(r.body.import, null); },
  },
  'GET /api/v1/imports': { role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/imports' }) },
  'GET /api/v1/exports/workloads.csv': {
    role: 'viewer', status: 200, prepare: () => ({ path: '/api/v1/exports/workloads.csv' }),
  },
  'GET /api/v1/workloads/{id}/evidence': {
    role: 'viewer', status: 200, prepare: () => ({ path: `/api/v1/workloads/${demo.workloads}/evidence` }),
  },
};

// Every operation of the document as { key, method, pattern, role }.
function operations() {
  const ops = [];
  for (const [pattern, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      ops.push({ key: `${method.toUpperCase()} ${pattern}`, method: method.toUpperCase(), pattern, role: op['x-switchyard-role'] });
    }
  }
  return ops;
}

before(async () => {
  srv = await startServer();
  for (const who of IDENTITIES.slice(1)) tokens[who] = await srv.tokenFor(who);
  doc = (await api(srv.base, 'GET', '/api/openapi.json', undefined, { Authorization: '' })).body;
  const first = async (path) => {
    const r = await adminCall('GET', path);
    assert.ok(r.body.items.length > 0, `demo data has ${path}`);
    return r.body.items[0].id;
  };
  demo.vendor = demo.vendors = await first('/api/v1/vendors');
  demo.offering = demo.offerings = await first('/api/v1/offerings');
  demo.offering2 = (await adminCall('GET', '/api/v1/offerings')).body.items[1].id;
  demo.today = (await adminCall('GET', '/api/v1/portfolio/summary')).body.as_of;
  demo.contracts = await first('/api/v1/contracts');
  demo.workload = demo.workloads = await first('/api/v1/workloads');
  const users = (await adminCall('GET', '/api/v1/users')).body.items;
  demo.user = users.find((u) => u.name === 'viewer').id;
  // The demo has no saved scenario: save one to read.
  demo.scenarios = (await make('scenarios', scenarioBody())).record.id;
});

after(async () => { await srv?.stop(); });

test('CASES covers exactly the operations of the OpenAPI document', () => {
  const documented = operations().map((o) => o.key).sort();
  assert.ok(documented.length > 0);
  assert.deepEqual(documented, Object.keys(CASES).sort());
});

test('each route\'s least role in the document follows the role policy', () => {
  for (const op of operations()) {
    assert.ok(ROLES.includes(op.role), `${op.key}: x-switchyard-role ${op.role}`);
    assert.equal(op.role, CASES[op.key].role, `${op.key}: least role`);
  }
});

test('every route x every identity', async (t) => {
  for (const op of operations()) {
    const c = CASES[op.key];
    assert.ok(c, `${op.key} has a case`);
    await t.test(op.key, async (t2) => {
      for (const who of IDENTITIES) {
        await t2.test(who, async () => {
          const req = await c.prepare(who);
          const r = await api(srv.base, op.method, req.path, req.body, { ...(req.headers || {}), ...auth(who) });
          const what = `${op.method} ${req.path} as ${who}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;
          if (allows(who, op.role)) {
            assert.equal(r.status, c.status, what);
            if (c.check) await c.check(r, req, who);
          } else {
            if (who === 'anonymous') {
              assert.equal(r.status, 401, what);
              assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="switchyard"', what);
            } else {
              assert.equal(r.status, 403, what);
              assert.equal(r.body.detail, 'Your role does not allow this.', what);
            }
            assert.match(r.headers.get('content-type'), /^application\/problem\+json/, what);
            if (req.unchanged) await req.unchanged();
          }
        });
      }
    });
  }
});
