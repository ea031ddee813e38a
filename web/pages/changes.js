// pages/changes.js - "Changes since review" (#/changes): what changed per
// workload and contract since the latest leadership review or a chosen
// day (GET /portfolio/changes), with the portfolio's figures before and
// after; leadership and admins mark a review here (POST /reviews).
import { h, replace, fill, table, scroller, errorBox, announce, link } from '../dom.js';
import { get, post } from '../api.js';
import { money, number, date, label, trackName } from '../format.js';
import { can } from '../session.js';
import { pageHeader, panel } from '../widgets.js';

const KIND_TEXT = {
  new: () => 'New',
  retired: () => 'Retired',
  level: (c) => `Lock-in level ${label(c.from)} → ${label(c.to)}`,
  factor: (c) => `Factor ${label(c.code)}: ${number(c.from)} → ${number(c.to)} points`,
  priority: (c) => `Priority ${c.from} → ${c.to}`,
  flagged: () => 'Now flagged',
  unflagged: () => 'No longer flagged',
  acceptance_granted: (c) => `Risk accepted until ${date(c.expires_on)}`,
  acceptance_expired: (c) => `Risk acceptance ${c.state === 'revoked' ? 'revoked' : 'expired'} (until ${date(c.expires_on)})`,
  drill: (c) => `Exit drill ${c.result} on ${date(c.drilled_on)}${c.alternative ? ` (${c.alternative})` : ''}`,
  ended: () => 'Ended',
  renewed: (c) => `Renewed: term end ${date(c.from)} → ${date(c.to)}`,
  ending: (c) => `${c.what === 'notice_deadline' ? 'Notice deadline' : 'Ends'} on ${date(c.on)}`,
};
export const changeText = (c) => (KIND_TEXT[c.kind] || (() => label(c.kind)))(c);

export function render({ main, signal, setTitle }) {
  setTitle('Changes since review');
  const pick = panel('Compare with', { id: 'changes-since' });
  const figs = panel('Figures before and after', { id: 'changes-figures', full: true });
  const wl = panel('Workloads', { id: 'changes-workloads', full: true });
  const ct = panel('Contracts', { id: 'changes-contracts', full: true });
  const mark = can('accept_risk') ? panel('Mark a review', { id: 'mark-review' }) : null;
  main.append(pageHeader('Changes since review', {
    lead: 'What changed per workload and contract since the last leadership review: new and retired workloads, risk and priority moves with the factor that moved them, acceptances, drills and contracts.',
  }), h('div', { class: 'grid' }, pick.el, mark?.el, figs.el, wl.el, ct.el));

  const since = h('select', { id: 'since-kind' },
    h('option', { value: 'review' }, 'The latest review'), h('option', { value: 'date' }, 'A day'));
  const day = h('input', { type: 'date', id: 'since-day', disabled: true });
  since.addEventListener('change', () => { day.disabled = since.value !== 'date'; });
  const status = h('p', { class: 'muted', id: 'since-status' });
  const form = h('form', { class: 'stack-form', onsubmit: (e) => { e.preventDefault(); load(); } },
    h('label', { for: 'since-kind' }, 'Since'), since,
    h('label', { for: 'since-day' }, 'Day'), day,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, 'Show changes')), status);
  replace(pick.body, form);

  async function load() {
    const value = since.value === 'date' ? day.value : 'review';
    if (!value) { replace(status, 'Choose a day.'); return; }
    if (value === 'review') {
      // With no review yet there is nothing to compare with: say so.
      const reviews = await get('/reviews', { signal }).catch(() => null);
      if (reviews && !reviews.total) {
        const none = 'No review has been recorded yet: choose a day, or mark a review.';
        replace(status, none);
        for (const b of [figs.body, wl.body, ct.body]) replace(b, h('p', { class: 'muted' }, none));
        return;
      }
    }
    const data = get(`/portfolio/changes?since=${encodeURIComponent(value)}`, { signal });
    data.catch(() => {});
    fill(status, () => data, (c) => (c.review
      ? `Since the review “${c.review.name}” held on ${date(c.review.held_on)}: changes from ${date(c.since)} to ${date(c.today)}.`
      : `Changes from ${date(c.since)} to ${date(c.today)}.`));
    fill(figs.body, () => data, figuresTable);
    fill(wl.body, () => data, (c) => changeList(c.workloads, 'workloads', 'No workload changed.'));
    fill(ct.body, () => data, (c) => changeList(c.contracts, 'contracts', 'No contract changed.'));
  }
  load();

  if (mark) {
    const name = h('input', { type: 'text', id: 'review-name', maxlength: '120' });
    const held = h('input', { type: 'date', id: 'review-held' });
    const msg = h('div', { 'aria-live': 'polite' });
    replace(mark.body, h('form', { class: 'stack-form', onsubmit: async (e) => {
      e.preventDefault();
      replace(msg);
      try {
        const { data } = await post('/reviews', { name: name.value.trim(), held_on: held.value || null });
        announce(`Review “${data.name}” marked for ${date(data.held_on)}.`);
        replace(msg, h('p', null, `Review “${data.name}” marked for ${date(data.held_on)}.`));
        since.value = 'review';
        day.disabled = true;
        load();
      } catch (err) {
        replace(msg, errorBox(err, 'The review was not marked'));
      }
    } },
    h('label', { for: 'review-name' }, 'Name'), name,
    h('label', { for: 'review-held' }, 'Held on (default today)'), held,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, 'Mark review')), msg));
  }
}

function figuresTable(c) {
  const b = c.figures.before, a = c.figures.after;
  const row = (what, fn) => [what, fn(b.figures), fn(a.figures)];
  const rows = [
    row('Active workloads', (f) => number(f.active)),
    row('Monthly spend (declared)', (f) => money(f.spend)),
    row('Flagged', (f) => number(f.flagged)),
    row('P1 / P2 / P3 / P4', (f) => f.priority.map(number).join(' / ')),
    row('Accepted risks', (f) => number(f.accepted)),
    row('Compliance findings (high / medium / low)', (f) => f.findings.map(number).join(' / ')),
    row('HHI provider / publisher / host (spend)', (f) => f.hhi.spend.map((v) => number(Math.round(v))).join(' / ')),
  ];
  return scroller('Figures before and after', table({
    caption: `Before: ${date(b.day)} (${b.source}); after: ${date(a.day)} (today)`,
    columns: [{ label: 'Figure', value: (r) => r[0] }, { label: `Before (${date(b.day)})`, value: (r) => r[1] }, { label: 'Now', value: (r) => r[2] }],
    rows,
  }));
}

function changeList(items, kind, empty) {
  if (!items.length) return h('p', { class: 'muted' }, empty);
  return h('ul', { class: 'change-list' }, items.map((x) => h('li', { dataset: { id: String(x.id) } },
    h('p', null, h('strong', null, link(`#/${kind}/${x.id}`, x.name)), x.track ? ` · ${trackName(x.track)}` : ''),
    h('ul', null, x.changes.map((c) => h('li', { class: `change change-${c.kind}` }, changeText(c)))))));
}
