// recompute.mjs - recomputes every lock-in, priority, flag, summary and
// concentration number of a running Switchyard from GET /api/v1/risk/model
// plus the data routes, and lists where the API disagrees. Written from the
// model alone (shared/domain.md, revision 2, and the model's plain-word
// rules), never from the server's code: an independent check (issue 15).
//
//   node tests/recompute/recompute.mjs BASE_URL TOKEN     exit 0 when all agree
//
// Quotations marked "domain:" are from domain.md, "model:" from the rule
// texts GET /api/v1/risk/model returns. Where the two leave a choice open,
// the comment says "READING:" and what this script chose.

import { pathToFileURL } from 'node:url';

const ACTIVE_DEFAULT = ['pilot', 'production'];
// domain: "A workload's weight (monthly spend, or criticality: low 1, medium 2,
// high 3, critical 4) is split evenly over its model, hosting, assistant and
// data dependencies; identity and tooling carry none."
const COUNTED = new Set(['model', 'hosting', 'assistant', 'data']);
const CRIT_WEIGHT = { low: 1, medium: 2, high: 3, critical: 4 };
const DAY = 86400000;

// Disagreements reported to the lead: where the API follows another rule than
// the model, the rule it follows is a variant here, named by its key. Every
// number is recomputed twice: by the model, and with all the variants; a
// comparison that fails the first but passes the second is listed as known,
// with the variant's reason; whatever fails the second is a disagreement.
// Remove an entry (and its variant) once the server is fixed.
// Disagreements reported and not yet settled, each with its reason: none.
// (Settled by the lead on 2026-12-05: the weight split per dependency,
// exclusivity and commitment ending on their own dates, and a signed
// contract binding from signature, before its start date.)
export const KNOWN = {};

// ---- fetching ---------------------------------------------------------------

async function get(base, token, path) {
  const res = await fetch(base + path, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function all(base, token, path) {
  const items = [];
  for (let offset = 0; ; offset += 500) {
    const page = await get(base, token, `${path}${path.includes('?') ? '&' : '?'}limit=500&offset=${offset}`);
    items.push(...page.items);
    if (page.total === undefined || items.length >= page.total || page.items.length === 0) return items;
  }
}

export async function fetchAll(base, token) {
  const d = { model: await get(base, token, '/api/v1/risk/model') };
  for (const r of ['vendors', 'offerings', 'contracts', 'workloads']) d[r] = await all(base, token, `/api/v1/${r}`);
  d.acceptances = (await get(base, token, '/api/v1/acceptances')).items;
  d.drills = [];
  for (const w of d.workloads) d.drills.push(...await all(base, token, `/api/v1/workloads/${w.id}/drills`));
  d.summary = await get(base, token, '/api/v1/portfolio/summary');
  d.concentration = {};
  for (const basis of ['spend', 'workloads']) {
    for (const connected of [false, true]) {
      d.concentration[`${basis}/${connected}`] = await get(base, token, `/api/v1/portfolio/concentration?basis=${basis}&connected=${connected}`);
    }
  }
  // The filtered lists, which must say what the summary says.
  d.lists = {};
  for (const q of ['flagged=true', 'flagged=false', ...['P1', 'P2', 'P3', 'P4'].map((p) => `priority=${p}`),
    ...['low', 'medium', 'high', 'critical'].map((l) => `risk_level=${l}`)]) {
    d.lists[q] = (await get(base, token, `/api/v1/workloads?${q}&limit=1`)).total;
  }
  return d;
}

// ---- dates and lookups --------------------------------------------------------

const ms = (day) => Date.parse(`${day}T00:00:00Z`);
const addDays = (day, n) => new Date(ms(day) + n * DAY).toISOString().slice(0, 10);
function addMonths(day, n) {
  const d = new Date(ms(day));
  const dom = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(dom, last));
  return d.toISOString().slice(0, 10);
}

function context(d, variants) {
  const vendors = new Map(d.vendors.map((v) => [v.id, v]));
  const offerings = new Map(d.offerings.map((o) => [o.id, o]));
  // domain: "A vendor has an optional parent: the top of the chain is its group."
  const group = (id) => { let v = vendors.get(id); while (v.parent != null) v = vendors.get(v.parent); return v.id; };
  return {
    d, vendors, offerings, group, variants,
    today: d.summary.as_of, // the server's "today" (Summary.as_of)
    w: d.model.weights,
    active: new Set(d.model.active_set?.statuses ?? ACTIVE_DEFAULT),
    drillDays: d.model.drill_valid_days,
    providerGroup: (oid) => group(offerings.get(oid).provider),
  };
}

const counted = (w) => w.dependencies.filter((x) => COUNTED.has(x.role));

// domain: "A dependency is portable when an alternative from another group
// passed an exit drill in the last 180 days" (model: drill_valid_days);
// model: "(its latest drill)": the latest drill of that alternative decides.
// READING: "another group" is the alternative's provider group against the
// dependency's provider group (the model counts groups "over each
// dependency's provider"); "in the last N days" is drilled_on >= today - N;
// of two drills on one day the one recorded later (higher id) is the latest.
function portable(c, w, dep) {
  return w.alternatives.filter((a) => a.dependency === dep.offering).some((a) => {
    if (c.providerGroup(a.offering) === c.providerGroup(dep.offering)) return false;
    const drills = c.d.drills.filter((x) => x.workload === w.id && x.dependency === dep.offering && x.offering === a.offering)
      .sort((x, y) => (x.drilled_on < y.drilled_on ? -1 : x.drilled_on > y.drilled_on ? 1 : x.id - y.id));
    const last = drills.at(-1);
    return !!last && last.result === 'passed' && last.drilled_on >= addDays(c.today, -c.drillDays);
  });
}

// A contract's current end. model: "notice deadline (current end minus notice
// period)". READING: an auto-renewing contract past its end date has
// renewed by renewal_months (counted from its end date) until its current end
// is today or later.
function currentEnd(c, k) {
  let end = k.end_date;
  for (let i = 1; k.auto_renew && k.renewal_months > 0 && end < c.today; i++) end = addMonths(k.end_date, i * k.renewal_months);
  return end;
}
export const noticeDeadline = (c, k) => addDays(currentEnd(c, k), -k.notice_days);

// model: "A customer contract covering one of its model, hosting, assistant or
// data offerings (a signed contract binds from signature, before its start
// date)". So a customer contract covers until its current end has passed;
// horizon's "covering customer contract" is the same set (identity and
// tooling offerings do not make a contract cover).
const inForceContract = (c, k) => k.kind === 'customer' && currentEnd(c, k) >= c.today;
function covering(c, w) {
  const mine = new Set(counted(w).map((x) => x.offering));
  return c.d.contracts.filter((k) => inForceContract(c, k) && k.offerings.some((o) => mine.has(o)));
}

// ---- the factors, one function per rule (each returns points, 0 = not applied)

// domain: "all model, hosting, assistant and data dependencies roll up to one
// vendor group (half for two groups; none for three or more)"; model: "half
// the points rounded down ... Groups are counted over each dependency's
// provider; ... nor do portable ones".
function singleGroupStack(c, w) {
  const groups = new Set(counted(w).filter((x) => !portable(c, w, x)).map((x) => c.providerGroup(x.offering)));
  if (groups.size === 1) return c.w.single_group_stack;
  if (groups.size === 2) return Math.floor(c.w.single_group_stack / 2);
  return 0;
}

// domain: "no agent layer or gateway can swap model and cloud"
const noSwapLayer = (c, w) => (w.swap_layer ? 0 : c.w.no_swap_layer);

// model: "A model, assistant or data dependency that is not portable has a
// proprietary interface, or the workload relies on proprietary features."
function proprietaryInterface(c, w) {
  const hit = w.dependencies.some((x) => ['model', 'assistant', 'data'].includes(x.role)
    && c.offerings.get(x.offering).interface === 'proprietary' && !portable(c, w, x));
  return hit || w.proprietary_features.length > 0 ? c.w.proprietary_interface : 0;
}

// domain: "a covering customer contract is exclusive, commits spend, lacks an
// exit clause or data portability, or rates substitutability hard/none".
// READING: exclusivity and commitment count until their end dates
// (exclusive_until, committed_until; none = open-ended); "lacks an exit
// clause" is exit_clause "none".
function contractLock(c, w) {
  const until = (day) => day == null || day >= c.today;
  const locked = (k) => (k.exclusive && until(k.exclusive_until)) || (k.committed_spend > 0 && until(k.committed_until))
    || k.exit_clause === 'none' || !k.data_portability || ['hard', 'none'].includes(k.substitutability);
  return covering(c, w).some(locked) ? c.w.contract_lock : 0;
}

// domain: "a model or assistant dependency is not portable (half the points
// when each such dependency has a named alternative, but one is not drilled
// or its drill is older)"; model: "full points when one has no named
// alternative; half the points, rounded down, when each has one".
// READING: any named alternative counts as "named", whatever its group.
function noProvenAlternative(c, w) {
  const open = w.dependencies.filter((x) => ['model', 'assistant'].includes(x.role) && !portable(c, w, x));
  if (open.length === 0) return 0;
  const named = open.every((x) => w.alternatives.some((a) => a.dependency === x.offering));
  return named ? Math.floor(c.w.no_proven_alternative / 2) : c.w.no_proven_alternative;
}

// domain: "a covering contract's notice deadline falls in the next 90 days; or
// an in-scope upstream term ends before the workload's planned end; or a model
// it depends on retires before its planned end or within 180 days (a workload
// with no planned end counts as running beyond every date)". model: upstream
// "access term (licence, distribution or cloud priority) whose scope covers
// one of its model, hosting, assistant or data offerings".
// READING: "in the next 90 days" is today <= deadline <= today + 90; a term
// "ends" on its `until` (none = never ends); a scope field matches by group
// (domain: "matched by group"), an empty field matches anything, a set
// publisher never matches an offering without one; a "model it depends on"
// is any dependency whose offering has a retirement date.
const outlives = (w, day) => w.planned_end == null || day < w.planned_end;
const inScope = (c, t, o) => ['provider', 'publisher', 'host'].every((layer) => t[`scope_${layer}`] == null
    || (o[layer] != null && c.group(o[layer]) === c.group(t[`scope_${layer}`])))
  && (t.scope_track == null || t.scope_track === o.track);
// The dated access terms, each with its upstream agreement.
const accessTerms = (c) => c.d.contracts.filter((k) => k.kind === 'upstream')
  .flatMap((k) => k.terms.map((t) => ({ ...t, contract: k.id })))
  .filter((t) => ['licence', 'distribution', 'cloud_priority'].includes(t.kind) && t.until != null);
// An access term ending before the workload's planned end, in scope for one of its counted offerings.
const termOutlived = (c, w, t) => outlives(w, t.until) && counted(w).some((x) => inScope(c, t, c.offerings.get(x.offering)));

function horizon(c, w) {
  const beyond = (day) => outlives(w, day);
  const soon = addDays(c.today, 90);
  const notice = covering(c, w).some((k) => { const n = noticeDeadline(c, k); return n >= c.today && n <= soon; });
  const term = accessTerms(c).some((t) => termOutlived(c, w, t));
  const retiring = w.dependencies.map((x) => c.offerings.get(x.offering).retires).filter(Boolean)
    .some((r) => beyond(r) || r <= addDays(c.today, 180));
  return notice || term || retiring ? c.w.horizon : 0;
}

// model: "A proprietary data store that is not portable belongs to the same
// vendor group as one of its model, hosting or assistant dependencies."
// READING: a "proprietary data store" is a `data` dependency with a
// proprietary interface; "belongs to the group" is the provider group on both
// sides; the model, hosting and assistant dependencies count portable or not.
function dataGravity(c, w) {
  const stack = new Set(w.dependencies.filter((x) => ['model', 'hosting', 'assistant'].includes(x.role))
    .map((x) => c.providerGroup(x.offering)));
  const hit = w.dependencies.some((x) => x.role === 'data' && c.offerings.get(x.offering).interface === 'proprietary'
    && !portable(c, w, x) && stack.has(c.providerGroup(x.offering)));
  return hit ? c.w.data_gravity : 0;
}

export const RULES = {
  single_group_stack: singleGroupStack, no_swap_layer: noSwapLayer, proprietary_interface: proprietaryInterface,
  contract_lock: contractLock, no_proven_alternative: noProvenAlternative, horizon, data_gravity: dataGravity,
};

// ---- score, level, priority, flag --------------------------------------------

// model: "the sum of the points of the factors that apply to it, capped at 100"
// and the level bands (levels[].min/max).
const level = (c, score) => c.d.model.levels.find((l) => score >= l.min && score <= l.max).level;

// domain: "Expired acceptances no longer count"; issue 15: accepted risks
// "resurface the day after expiry". READING: in force while not revoked and
// expires_on >= today.
const inForce = (c, a) => a.revoked_at == null && a.expires_on >= c.today;
const acceptanceOf = (c, w) => c.d.acceptances.filter((a) => a.workload === w.id && inForce(c, a))
  .sort((x, y) => (x.expires_on < y.expires_on ? 1 : -1))[0];

export function riskOf(c, w) {
  const factors = Object.entries(RULES).map(([code, rule]) => ({ code, points: rule(c, w) })).filter((f) => f.points > 0);
  const score = Math.min(100, factors.reduce((s, f) => s + f.points, 0));
  const lvl = level(c, score);
  // model: "priority = matrix[level][business criticality]"
  const priority = c.d.model.priority.matrix[lvl][w.criticality];
  // model: "flagged when it is in the active set, its priority is P1 or P2,
  // and no unexpired risk acceptance covers it."
  const flagged = c.active.has(w.status) && ['P1', 'P2'].includes(priority) && !acceptanceOf(c, w);
  return { factors, score, level: lvl, priority, flagged };
}

// ---- concentration -------------------------------------------------------------

// domain: "HHI = Σ (100·sᵢ)², sᵢ a group's share ... A workload's weight ... is
// split evenly over its model, hosting, assistant and data dependencies";
// "the same with closely connected groups merged".
// READING: only the active set counts (domain, "The active set":
// concentration); in each layer the weight is split evenly over the model,
// hosting, assistant and data dependencies that have a group there (in the
// publisher layer only dependencies with a publisher take a part: an
// offering without one is no one's model); connections link groups both
// ways and transitively.
export function concentration(c, basis, connected) {
  const merged = new Map(); // group -> representative (smallest id) when connected
  const find = (g) => { while (merged.has(g) && merged.get(g) !== g) g = merged.get(g); return g; };
  if (connected) {
    for (const v of c.d.vendors) {
      for (const link of v.connections) {
        const [a, b] = [find(c.group(v.id)), find(c.group(link.vendor))].sort((x, y) => x - y);
        if (a !== b) merged.set(b, a);
      }
    }
  }
  const layers = {};
  for (const layer of ['provider', 'publisher', 'host']) {
    const amounts = new Map();
    for (const w of c.d.workloads.filter((x) => c.active.has(x.status))) {
      const weight = basis === 'spend' ? w.monthly_spend : CRIT_WEIGHT[w.criticality];
      const parts = counted(w).map((x) => c.offerings.get(x.offering)[layer]).filter((v) => v != null).map(c.group);
      for (const g of parts) amounts.set(find(g), (amounts.get(find(g)) ?? 0) + weight / parts.length);
    }
    const total = [...amounts.values()].reduce((s, a) => s + a, 0);
    const exact = total > 0 ? [...amounts.values()].reduce((s, a) => s + (100 * a / total) ** 2, 0) : 0;
    const hhi = Math.round(exact);
    const members = (g) => c.d.vendors.filter((v) => v.parent == null && find(v.id) === g).map((v) => v.name).sort();
    layers[layer] = {
      hhi, band: band(hhi), total,
      // domain: "the effective number of groups, 10,000 / HHI"; OpenAPI: 2 decimals, 0 when nothing.
      effective: hhi > 0 ? Math.round(1000000 / hhi) / 100 : 0,
      shares: new Map([...amounts].map(([g, a]) => [members(g).join(' + '), { amount: a, share: a / total }])),
    };
  }
  return layers;
}

// domain: "above 1,800 highly concentrated, 1,000–1,800 moderately, below
// 1,000 unconcentrated" (OpenAPI names: high, moderate, unconcentrated).
// READING: applied to the rounded HHI.
const band = (hhi) => (hhi > 1800 ? 'high' : hhi >= 1000 ? 'moderate' : 'unconcentrated');

// ---- comparing ------------------------------------------------------------------

// Every comparison, by the model (no variants) or with some of KNOWN's variants.
function compare(d, variants) {
  const c = context(d, variants);
  const out = [];
  const cmp = (who, field, api, mine, close = (a, b) => a === b) => {
    if (!close(api, mine)) out.push({ workload: who, field, api, recomputed: mine });
  };
  const near = (eps) => (a, b) => typeof a === 'number' && Math.abs(a - b) <= eps;

  // Groups and notice deadlines are inputs of the rules: check them first.
  for (const v of d.vendors) cmp(`vendor ${v.id}`, 'group', v.group.id, c.group(v.id));
  // OpenAPI: Contract.notice_deadline is "end_date minus notice_days" (the stored
  // end); the rules use the current end (noticeDeadline), as Summary.deadlines do.
  for (const k of d.contracts.filter((x) => x.end_date != null)) cmp(`contract ${k.id}`, 'notice_deadline', k.notice_deadline, addDays(k.end_date, -k.notice_days));
  // OpenAPI Summary.deadlines: "Notice deadlines in the next 180 days, soonest
  // first", of customer contracts in force, with their current end.
  const soon = d.contracts.filter((k) => inForceContract(c, k))
    .map((k) => ({ k, n: noticeDeadline(c, k) })).filter(({ n }) => n >= c.today && n <= addDays(c.today, 180))
    .sort((x, y) => (x.n < y.n ? -1 : x.n > y.n ? 1 : 0));
  cmp('summary', 'deadlines (contracts, in order)', d.summary.deadlines.map((x) => x.contract).join(','), soon.map(({ k }) => k.id).join(','));
  for (const x of d.summary.deadlines) {
    const m = soon.find(({ k }) => k.id === x.contract);
    if (!m) continue;
    cmp(`contract ${x.contract}`, 'deadlines.notice_deadline', x.notice_deadline, m.n);
    cmp(`contract ${x.contract}`, 'deadlines.end_date', x.end_date, currentEnd(c, m.k));
    cmp(`contract ${x.contract}`, 'deadlines.days_left', x.days_left, (ms(m.n) - ms(c.today)) / DAY);
  }

  const risks = new Map();
  for (const w of d.workloads) {
    const r = riskOf(c, w);
    risks.set(w.id, r);
    const api = new Map(w.risk.factors.map((f) => [f.code, f.points]));
    for (const code of Object.keys(RULES)) {
      cmp(w.id, `factor ${code}`, api.get(code) ?? 0, r.factors.find((f) => f.code === code)?.points ?? 0);
    }
    for (const f of ['score', 'level', 'priority', 'flagged']) cmp(w.id, f, w.risk[f], r[f]);
  }
  for (const a of d.acceptances) cmp(`acceptance ${a.id}`, 'in_force', a.in_force, inForce(c, a));

  // Summary counts. domain: "Portfolio figures ... count workloads in pilot and
  // production. proposed ones are shown as the pipeline; retired ones are history."
  const s = d.summary.counts;
  const act = d.workloads.filter((w) => c.active.has(w.status));
  const count = (list, key) => list.reduce((m, w) => ({ ...m, [key(w)]: (m[key(w)] ?? 0) + 1 }), {});
  cmp('summary', 'counts.workloads', s.workloads, d.workloads.length);
  cmp('summary', 'counts.active', s.active, act.length);
  cmp('summary', 'counts.flagged', s.flagged, act.filter((w) => risks.get(w.id).flagged).length);
  cmp('summary', 'counts.pipeline', s.pipeline, d.workloads.filter((w) => w.status === 'proposed').length);
  cmp('summary', 'counts.history', s.history, d.workloads.filter((w) => w.status === 'retired').length);
  const by = {
    status: count(d.workloads, (w) => w.status), track: count(act, (w) => w.track),
    level: count(act, (w) => risks.get(w.id).level), priority: count(act, (w) => risks.get(w.id).priority),
  };
  for (const [group, mine] of Object.entries(by)) {
    for (const key of new Set([...Object.keys(s[group]), ...Object.keys(mine)])) {
      cmp('summary', `counts.${group}.${key}`, s[group][key] ?? 0, mine[key] ?? 0);
    }
  }
  // The filtered lists say the same (domain: "a filtered list and a summary never disagree").
  cmp('list', 'flagged=true', d.lists['flagged=true'], s.flagged);
  cmp('list', 'flagged=false', d.lists['flagged=false'], act.length - act.filter((w) => risks.get(w.id).flagged).length);
  for (const p of ['P1', 'P2', 'P3', 'P4']) cmp('list', `priority=${p}`, d.lists[`priority=${p}`], by.priority[p] ?? 0);
  for (const l of ['low', 'medium', 'high', 'critical']) cmp('list', `risk_level=${l}`, d.lists[`risk_level=${l}`], by.level[l] ?? 0);

  // The flagged list: flagged workloads, priority first then exposure (score x
  // criticality weight), at most 20 (OpenAPI Summary.flagged).
  const rank = (x) => [x.priority, -x.exposure];
  const before = (x, y) => rank(x)[0] < rank(y)[0] || (rank(x)[0] === rank(y)[0] && rank(x)[1] < rank(y)[1]);
  const mineFlagged = act.filter((w) => risks.get(w.id).flagged).map((w) => ({ id: w.id, ...risks.get(w.id),
    exposure: risks.get(w.id).score * CRIT_WEIGHT[w.criticality] }));
  cmp('summary', 'flagged.length', d.summary.flagged.length, Math.min(20, mineFlagged.length));
  d.summary.flagged.forEach((f, i) => {
    const m = mineFlagged.find((x) => x.id === f.id);
    if (!m) { cmp(f.id, 'summary.flagged (listed)', true, false); return; }
    for (const k of ['score', 'level', 'priority', 'exposure']) cmp(f.id, `summary.flagged.${k}`, f[k], m[k]);
    // OpenAPI: top_factor is "The factor with most points". READING: of equal
    // points, the one first in the model's order.
    const top = m.factors.reduce((t, x) => (t == null || x.points > t.points ? x : t), null);
    cmp(f.id, 'summary.flagged.top_factor', f.top_factor, top?.code ?? null);
    if (i > 0 && before(f, d.summary.flagged[i - 1])) cmp(f.id, 'summary.flagged order', `after ${d.summary.flagged[i - 1].id}`, 'before');
  });
  const last = d.summary.flagged.at(-1);
  for (const m of mineFlagged.filter((x) => !d.summary.flagged.some((f) => f.id === x.id))) {
    if (last && before(m, last)) cmp(m.id, 'summary.flagged (left out)', false, true);
  }

  // The accepted list. domain: "Accepted workloads are listed apart, with owner
  // and expiry"; OpenAPI: "Accepted risks in force, soonest expiry first".
  // READING: only active workloads, as every portfolio figure.
  const accepted = act.map((w) => [w, acceptanceOf(c, w)]).filter(([, a]) => a)
    .sort(([, a], [, b]) => (a.expires_on < b.expires_on ? -1 : a.expires_on > b.expires_on ? 1 : 0));
  cmp('summary', 'accepted (ids, in order)', d.summary.accepted.map((x) => x.id).join(','), accepted.map(([w]) => w.id).join(','));
  for (const x of d.summary.accepted) {
    const [w, a] = accepted.find(([y]) => y.id === x.id) ?? [];
    if (!w) continue;
    cmp(x.id, 'accepted.acceptance', x.acceptance, a.id);
    cmp(x.id, 'accepted.owner', x.owner, a.owner);
    cmp(x.id, 'accepted.expires_on', x.expires_on, a.expires_on);
    cmp(x.id, 'accepted.priority', x.priority, risks.get(w.id).priority);
    cmp(x.id, 'accepted.level', x.level, risks.get(w.id).level);
  }

  // Upstream terms the active workloads outlive (Summary.upstream_terms; the
  // terms of horizon's second clause), with days left until they end.
  // READING: a term with no such workload is not listed.
  // (OpenAPI says "production workloads"; pilots count too, as the active set says.)
  const termKey = (x) => `${x.contract}: ${x.text}`;
  const outlived = accessTerms(c).map((t) => ({ key: termKey(t),
    ids: act.filter((w) => termOutlived(c, w, t)).map((w) => w.id).sort((a, b) => a - b) })).filter(({ ids }) => ids.length > 0);
  cmp('summary', 'upstream_terms (terms)', d.summary.upstream_terms.map(termKey).sort().join(' | '), outlived.map((x) => x.key).sort().join(' | '));
  for (const x of d.summary.upstream_terms) {
    const ids = outlived.find((y) => y.key === termKey(x))?.ids ?? [];
    // The summary lists the first 20 by id; count has them all.
    cmp(`term "${termKey(x)}"`, 'upstream_terms.workloads', x.workloads.map((w) => w.id).sort((a, b) => a - b).join(','), ids.slice(0, 20).join(','));
    cmp(`term "${termKey(x)}"`, 'upstream_terms.count', x.count, ids.length);
    cmp(`term "${termKey(x)}"`, 'upstream_terms.days_left', x.days_left, (ms(x.until) - ms(c.today)) / DAY);
  }

  // Spend of the active set (Summary.spend).
  const spend = act.reduce((t, w) => t + w.monthly_spend, 0);
  cmp('summary', 'spend.monthly_total', d.summary.spend.monthly_total, spend, near(0.005));
  for (const t of ['copilot', 'azure', 'openai', 'other']) {
    cmp('summary', `spend.by_track.${t}`, d.summary.spend.by_track[t],
      act.filter((w) => w.track === t).reduce((x, w) => x + w.monthly_spend, 0), near(0.005));
  }

  // Concentration: both bases, connected groups separate and merged.
  for (const basis of ['spend', 'workloads']) {
    for (const connected of [false, true]) {
      const api = d.concentration[`${basis}/${connected}`].layers;
      const mine = concentration(c, basis, connected);
      for (const layer of ['provider', 'publisher', 'host']) {
        const at = `concentration ${basis}${connected ? ' connected' : ''}`;
        const [a, m] = [api[layer], mine[layer]];
        cmp(at, `${layer}.hhi`, a.hhi, m.hhi);
        cmp(at, `${layer}.band`, a.band, m.band);
        cmp(at, `${layer}.effective_providers`, a.effective_providers, m.effective, near(0.0051));
        cmp(at, `${layer}.total`, a.total, m.total, near(0.01));
        const apiShares = new Map(a.shares.map((x) => [x.group.split(' + ').sort().join(' + '), x]));
        for (const g of new Set([...apiShares.keys(), ...m.shares.keys()])) {
          cmp(at, `${layer}.share ${g}`, apiShares.get(g)?.share ?? 0, m.shares.get(g)?.share ?? 0, near(0.00005 + 1e-9));
          cmp(at, `${layer}.amount ${g}`, apiShares.get(g)?.amount ?? 0, m.shares.get(g)?.amount ?? 0, near(0.01));
        }
        const sc = d.summary.concentration[layer];
        if (basis === 'spend' && !connected) {
          cmp('summary', `concentration.${layer}.hhi`, sc.hhi, m.hhi);
          cmp('summary', `concentration.${layer}.band`, sc.band, m.band);
          // OpenAPI: spend.by_group is "Spend split over provider groups".
          if (layer === 'provider') {
            for (const x of d.summary.spend.by_group) cmp('summary', `spend.by_group ${x.group}`, x.amount, m.shares.get(x.group)?.amount ?? 0, near(0.01));
          }
        }
        if (basis === 'workloads' && !connected) {
          cmp('summary', `concentration.${layer}.hhi_workloads`, sc.hhi_workloads, m.hhi);
          cmp('summary', `concentration.${layer}.band_workloads`, sc.band_workloads, m.band);
        }
      }
    }
  }

  const seen = new Set(d.workloads.flatMap((w) => risks.get(w.id).factors.map((f) => f.code)));
  return { out, workloads: d.workloads.length, factorsSeen: [...seen].sort() };
}

// The model's recomputation, and the same with the API's known variants.
export function check(d) {
  const key = (x) => `${x.workload}|${x.field}`;
  const byModel = compare(d, new Set());
  const withAll = compare(d, new Set(Object.keys(KNOWN)));
  const failing = new Set(withAll.out.map(key));
  // A known disagreement names the variants it needs: those without which it fails.
  const without = Object.keys(KNOWN).map((k) => [k,
    new Set(compare(d, new Set(Object.keys(KNOWN).filter((x) => x !== k))).out.map(key))]);
  const known = byModel.out.filter((x) => !failing.has(key(x))).map((x) => {
    const keys = without.filter(([, fails]) => fails.has(key(x))).map(([k]) => k);
    return { ...x, known: keys.length ? keys : Object.keys(KNOWN) };
  });
  return { disagreements: withAll.out, known, workloads: byModel.workloads, factorsSeen: byModel.factorsSeen };
}

export async function recompute(base, token) {
  return check(await fetchAll(base, token));
}

// ---- command line ----------------------------------------------------------------

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [base, token] = process.argv.slice(2);
  if (!base || !token) {
    console.error('usage: node tests/recompute/recompute.mjs BASE_URL TOKEN');
    process.exit(2);
  }
  const r = await recompute(base.replace(/\/$/, ''), token);
  const line = (x) => `${x.workload}  ${x.field}: API ${JSON.stringify(x.api)}, recomputed ${JSON.stringify(x.recomputed)}`;
  for (const [k, reason] of Object.entries(KNOWN)) {
    const xs = r.known.filter((x) => x.known.includes(k));
    if (xs.length) console.log(`known, reported (${k}, ${xs.length} comparisons): ${reason}`);
    for (const x of xs) console.log(`  ${line(x)}`);
  }
  for (const x of r.disagreements) console.log(`DISAGREES ${line(x)}`);
  console.log(`${r.workloads} workloads checked; factors seen: ${r.factorsSeen.join(', ')}; ${r.disagreements.length} disagreements, ${r.known.length} known`);
  process.exit(r.disagreements.length === 0 ? 0 : 1);
}
