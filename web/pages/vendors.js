// pages/vendors.js - the catalogue (#/vendors): vendor groups with their
// companies, links, close connections, and each company's offerings by role
// (provider, publisher, host); the offerings table; one vendor
// (#/vendors/{id}) and one offering (#/offerings/{id}) with the contracts and
// workloads that involve it. Every catalogue fact shows its source (a link
// when it is a URL) and the day it was last checked (as of), marked stale
// when older than the review interval (review_days of GET /risk/model,
// default 180) or never dated; the organisation's own records (kind self)
// are not catalogue facts and carry no such mark.
import { h, link, fill, table, scroller, dl } from '../dom.js';
import { get, qs, loadCatalogue } from '../api.js';
import { money, label, yesNo, date, number } from '../format.js';
import { pageHeader, panel, trackTag, levelBadge, pager } from '../widgets.js';
import { provenance, sourceLink, staleMark, isStale } from '../provenance.js';

const ROLE_KEYS = [['provider', 'Sells (provider)'], ['publisher', 'Publishes the model (publisher)'], ['host', 'Hosts (cloud)']];

// The review interval in days (the server's setting), 180 if it does not say.
let reviewDays = null;
function loadReviewDays() {
  if (!reviewDays) reviewDays = get('/risk/model').then((m) => (m && m.review_days) || 180).catch(() => 180);
  return reviewDays;
}
// Both at once: the catalogue (with lookups) and the review interval.
function loadBoth() {
  return Promise.all([loadCatalogue(), loadReviewDays()]).then(([cat, days]) => ({ ...cat, reviewDays: days }));
}
const isSelf = (cat, vendorId) => (cat.vendor.get(vendorId) || {}).kind === 'self';
// A catalogue record's provenance; the organisation's own records only say whose they are.
function factLine(cat, item, selfRecord) {
  if (selfRecord) return h('span', { class: 'muted' }, 'The organisation\'s own record');
  return provenance(item, cat.reviewDays);
}

export function render(ctx) {
  if (ctx.params.vendor) vendorPage(ctx);
  else if (ctx.params.offering) offeringPage(ctx);
  else cataloguePage(ctx);
}

function offeringsBy(cat, vendorId, role) {
  return cat.offerings.filter((o) => o[role] === vendorId);
}

function offeringLinks(list) {
  return list.length ? h('span', { class: 'tags' }, list.map((o) => h('span', { class: 'offering-link' }, link(`#/offerings/${o.id}`, o.name), ' ', trackTag(o.track)))) : h('span', { class: 'muted' }, 'none');
}

function website(v) {
  return v.website ? link(v.website, v.website.replace(/^https?:\/\//, '').replace(/\/$/, '')) : '—';
}

function cataloguePage({ main, setTitle }) {
  setTitle('Vendors');
  const groups = panel('Vendor groups', { id: 'groups', full: true,
    note: 'A group is the top of a parent chain (GitHub belongs to the Microsoft group). Concentration is measured over groups.' });
  const offerings = panel('Offerings', { id: 'offerings', full: true });
  main.append(pageHeader('Vendors and offerings', { lead: 'Who sells what, whose model it is and whose cloud runs it.' }),
    h('div', { class: 'grid' }, groups.el, offerings.el));
  const cat = loadBoth();
  cat.catch(() => {});
  fill(groups.body, () => cat, (c) => h('div', null, freshnessNote(c), h('div', { class: 'cards' }, c.groups.map((g) => groupCard(g, c)))));
  fill(offerings.body, () => cat, (c) => offeringsTable(c));
}

// "12 of 35 catalogue records are stale": vendors and offerings (not the
// organisation's own) and upstream agreements, as the summary counts them.
function freshnessNote(cat) {
  const facts = [
    ...cat.vendors.filter((v) => v.kind !== 'self'),
    ...cat.offerings.filter((o) => !isSelf(cat, o.provider)),
    ...cat.contracts.filter((k) => k.kind === 'upstream'),
  ];
  const stale = facts.filter((f) => isStale(f.as_of, cat.reviewDays)).length;
  return h('p', { class: stale ? 'callout freshness' : 'muted freshness' }, stale
    ? `${number(stale)} of ${number(facts.length)} catalogue records are stale: checked more than ${number(cat.reviewDays)} days ago, or never dated. Check them against their sources.`
    : `Every catalogue record was checked against its source in the last ${number(cat.reviewDays)} days.`);
}

function groupCard(g, cat) {
  const members = cat.vendors.filter((v) => v.group && v.group.id === g.id)
    .sort((a, b) => (a.id === g.id ? -1 : b.id === g.id ? 1 : a.name.localeCompare(b.name)));
  return h('article', { class: 'card vendor-group' },
    h('h3', null, link(`#/vendors/${g.id}`, g.name)),
    (g.connections || []).map((cn) => h('p', { class: 'connection' }, h('strong', null, `Closely connected with ${cat.vendorName(cn.vendor)}: `), cn.reason)),
    members.map((v) => h('div', { class: 'member' },
      v.id !== g.id ? h('h4', null, link(`#/vendors/${v.id}`, v.name), h('span', { class: 'muted' }, ` (part of ${g.name})`)) : null,
      h('p', { class: 'muted' }, v.kind === 'self' ? 'The organisation itself · ' : '', v.country ? `${v.country} · ` : '', website(v)),
      h('p', { class: 'fact-line' }, h('span', { class: 'visually-hidden' }, 'Source: '), factLine(cat, v, v.kind === 'self')),
      h('dl', { class: 'roles' }, ROLE_KEYS.map(([role, title]) => {
        const list = offeringsBy(cat, v.id, role);
        return list.length ? h('div', null, h('dt', null, title), h('dd', null, offeringLinks(list))) : null;
      })))));
}

function offeringsTable(cat) {
  const sorted = [...cat.offerings].sort((a, b) => a.track.localeCompare(b.track) || a.name.localeCompare(b.name));
  const vendor = (id) => (id === null || id === undefined ? '—' : link(`#/vendors/${id}`, cat.vendorName(id)));
  return scroller('Offerings', table({
    caption: `${cat.offerings.length} offerings`,
    columns: [
      { label: 'Offering', value: (o) => link(`#/offerings/${o.id}`, o.name) },
      { label: 'Track', value: (o) => trackTag(o.track) },
      { label: 'Category', value: (o) => label(o.category) },
      { label: 'Interface', value: (o) => label(o.interface) },
      { label: 'Open weight', value: (o) => yesNo(o.open_weight) },
      { label: 'Provider', value: (o) => vendor(o.provider) },
      { label: 'Publisher', value: (o) => vendor(o.publisher) },
      { label: 'Host', value: (o) => vendor(o.host) },
      { label: 'Retires', nowrap: true, value: (o) => (o.retires ? date(o.retires) : '—') },
      { label: 'Source', value: (o) => (isSelf(cat, o.provider) ? 'Own record' : sourceLink(o.source)) },
      { label: 'As of', nowrap: true, value: (o) => (isSelf(cat, o.provider) ? '—' : h('span', null, o.as_of ? date(o.as_of) : '—', ' ', staleMark(o.as_of, cat.reviewDays))) },
    ],
    rows: sorted,
  }));
}

function vendorPage({ main, params, setTitle }) {
  const id = Number(params.vendor);
  setTitle(`Vendor ${id}`);
  const slot = h('div', null);
  const interim = pageHeader(`Vendor ${id}`);
  main.append(interim, slot);
  fill(slot, () => loadBoth(), (cat) => {
    const v = cat.vendor.get(id);
    if (!v) throw Object.assign(new Error('Not Found'), { title: 'Not Found', detail: `No vendor has the ID ${id}.`, status: 404 });
    setTitle(v.name);
    interim.remove();
    const children = cat.vendors.filter((x) => x.parent === id);
    const contracts = cat.contracts.filter((k) => k.counterparty === id || k.other_party === id);
    return h('div', null,
      pageHeader(v.name, { lead: v.description || null, actions: link('#/vendors', 'All vendors') }),
      h('div', { class: 'grid' },
        h('section', { class: 'panel', 'aria-labelledby': 'v-h' }, h('h2', { id: 'v-h' }, 'Details'), dl([
          ['Group', v.group && v.group.id !== v.id ? link(`#/vendors/${v.group.id}`, v.group.name) : `${v.name} (top of its group)`],
          ['Parent', v.parent ? link(`#/vendors/${v.parent}`, cat.vendorName(v.parent)) : 'None'],
          ['Subsidiaries', children.length ? h('span', { class: 'tags' }, children.map((c) => link(`#/vendors/${c.id}`, c.name))) : 'None'],
          ['Kind', v.kind === 'self' ? 'The organisation itself' : 'Company'],
          ['Country', v.country],
          ['LEI', v.lei || '—'],
          ['Website', website(v)],
          ['Source', v.kind === 'self' ? 'Own record' : sourceLink(v.source)],
          ['As of', v.kind === 'self' ? '—' : h('span', { class: 'provenance' }, v.as_of ? date(v.as_of) : 'Never dated', ' ', staleMark(v.as_of, cat.reviewDays))],
          ['Closely connected with', (v.connections || []).length
            ? h('ul', { class: 'plain' }, v.connections.map((cn) => h('li', null, link(`#/vendors/${cn.vendor}`, cat.vendorName(cn.vendor)), `: ${cn.reason}`)))
            : 'None'],
        ])),
        h('section', { class: 'panel', 'aria-labelledby': 'r-h' }, h('h2', { id: 'r-h' }, 'Offerings by role'),
          h('dl', { class: 'roles' }, ROLE_KEYS.map(([role, title]) => h('div', null, h('dt', null, title), h('dd', null, offeringLinks(offeringsBy(cat, id, role))))))),
        h('section', { class: 'panel full', 'aria-labelledby': 'c-h' }, h('h2', { id: 'c-h' }, 'Contracts with this vendor'),
          scroller('Contracts with this vendor', table({
            caption: 'Contracts where it is a party',
            columns: [
              { label: 'Contract', value: (k) => link(`#/contracts/${k.id}`, k.name) },
              { label: 'Kind', value: (k) => label(k.kind) },
              { label: 'End date', nowrap: true, value: (k) => date(k.end_date) },
              { label: 'Annual value', num: true, value: (k) => (k.kind === 'customer' ? money(k.annual_value, k.currency) : '—') },
            ],
            rows: contracts,
            empty: 'No contract with this vendor.',
          })))));
  }, 'Loading the vendor');
}

function offeringPage({ main, params, signal, setTitle }) {
  const id = Number(params.offering);
  setTitle(`Offering ${id}`);
  const slot = h('div', null);
  const interim = pageHeader(`Offering ${id}`);
  main.append(interim, slot);
  fill(slot, () => loadBoth(), (cat) => {
    const o = cat.offering.get(id);
    if (!o) throw Object.assign(new Error('Not Found'), { title: 'Not Found', detail: `No offering has the ID ${id}.`, status: 404 });
    setTitle(o.name);
    interim.remove();
    const vendor = (vid) => (vid === null || vid === undefined ? 'None' : link(`#/vendors/${vid}`, `${cat.vendorName(vid)} (${cat.groupName(vid)} group)`));
    const users = panel('Workloads that depend on it', { id: 'users', full: true });
    const contracts = cat.contracts.filter((k) => (k.offerings || []).includes(id));
    const view = h('div', null,
      pageHeader(o.name, { lead: o.description || null, actions: link('#/vendors', 'All vendors and offerings') }),
      h('div', { class: 'grid' },
        h('section', { class: 'panel', 'aria-labelledby': 'o-h' }, h('h2', { id: 'o-h' }, 'Details'), dl([
          ['Track', trackTag(o.track)],
          ['Category', label(o.category)],
          ['Interface', label(o.interface)],
          ['Open weight', yesNo(o.open_weight)],
          ['Provider (sells it)', vendor(o.provider)],
          ['Publisher (whose model)', vendor(o.publisher)],
          ['Host (whose cloud)', vendor(o.host)],
          ['Regions', (o.regions || []).length ? o.regions.join(', ') : 'Not stated'],
          ['Model version', o.model_version || '—'],
          ['Released', o.released ? date(o.released) : '—'],
          ['Deprecated', o.deprecated ? date(o.deprecated) : '—'],
          ['Retires', o.retires ? date(o.retires) : '—'],
          ['Successor', o.successor ? link(`#/offerings/${o.successor}`, cat.offeringName(o.successor)) : (o.retires ? 'None planned' : '—')],
          ['Web page', o.url ? link(o.url, o.url) : '—'],
          ['Source', isSelf(cat, o.provider) ? 'Own record' : sourceLink(o.source)],
          ['As of', isSelf(cat, o.provider) ? '—' : h('span', { class: 'provenance' }, o.as_of ? date(o.as_of) : 'Never dated', ' ', staleMark(o.as_of, cat.reviewDays))],
        ])),
        h('section', { class: 'panel', 'aria-labelledby': 'oc-h' }, h('h2', { id: 'oc-h' }, 'Contracts covering it'),
          contracts.length ? h('ul', { class: 'plain' }, contracts.map((k) => h('li', null, link(`#/contracts/${k.id}`, k.name), ` (${label(k.kind)})`)))
            : h('p', { class: 'muted' }, 'No contract covers it.')),
        users.el));
    const state = { offset: 0 };
    const load = () => fill(users.body, () => get(`/workloads${qs({ offering: id, sort: '-risk', limit: 25, offset: state.offset })}`, { signal }), (p) => h('div', null,
      scroller('Workloads depending on it', table({
        caption: `Workloads depending on ${o.name}`,
        columns: [
          { label: 'Workload', value: (w) => link(`#/workloads/${w.id}`, w.name) },
          { label: 'Track', value: (w) => trackTag(w.track) },
          { label: 'Role', value: (w) => label((w.dependencies.find((d) => d.offering === id) || {}).role) },
          { label: 'Lock-in', value: (w) => levelBadge(w.risk.level, w.risk.score) },
        ],
        rows: p.items,
        empty: 'No workload depends on it.',
      })),
      pager({ total: p.total, limit: 25, offset: state.offset, label: 'workloads', onPage: (n) => { state.offset = n; load(); } })), 'Loading workloads');
    load();
    return view;
  }, 'Loading the offering');
}
