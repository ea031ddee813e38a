// format.js - numbers, money (USD), dates and enum labels as people read them.
// One date format on screen: "5 Dec 2026" (date), "5 Dec 2026 09:00 UTC"
// (timestamp); the API and CSV files keep ISO 8601.

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const usdCents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usdCompact = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 });
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dec = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const pct = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const month = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

// Money in a currency (USD unless said otherwise); whole units unless cents matter.
export function money(n, currency = 'USD') {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  if (currency && currency !== 'USD') {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(n);
  }
  return Number.isInteger(Math.round(n * 100) / 100) ? usd.format(n) : usdCents.format(n);
}
export const moneyCompact = (n) => (n === null || n === undefined ? '—' : usdCompact.format(n));
export const number = (n) => (n === null || n === undefined ? '—' : int.format(n));
export const decimal = (n) => (n === null || n === undefined ? '—' : dec.format(n));
export const percent = (share) => (share === null || share === undefined ? '—' : pct.format(share));

// Dates: the API speaks YYYY-MM-DD (UTC); timestamps are ISO 8601.
export function parseDay(s) {
  if (!s) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : null;
}
export function date(s) {
  const t = parseDay(s);
  return t === null ? '—' : day.format(t);
}
export const monthLabel = (t) => month.format(t);
export function timestamp(s) {
  if (!s) return '—';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : `${day.format(d)} ${s.slice(11, 16)} UTC`;
}
// A timestamp to the second ("28 Nov 2026 09:00:30 UTC"), for the audit trail.
export function instant(s) {
  if (!s) return '—';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : `${day.format(d)} ${s.slice(11, 19)} UTC`;
}
export const DAY_MS = 86400000;
export function daysBetween(a, b) {
  return Math.round((parseDay(b) - parseDay(a)) / DAY_MS);
}
export function inDays(n) {
  if (n === null || n === undefined) return '—';
  if (n === 0) return 'today';
  if (n < 0) return `${int.format(-n)} days ago`;
  return n === 1 ? 'in 1 day' : `in ${int.format(n)} days`;
}

// Enum labels.
const LABELS = {
  copilot: 'Copilot', azure: 'Azure', openai: 'OpenAI', other: 'Other',
  openai_compatible: 'OpenAI-compatible', open_standard: 'Open standard', proprietary: 'Proprietary',
  model_api: 'Model API', data_store: 'Data store', ai_act_tier: 'AI Act tier',
  cloud_priority: 'Cloud priority', revenue_share: 'Revenue share',
  single_group_stack: 'Single-group stack', no_swap_layer: 'No swap layer',
  proprietary_interface: 'Proprietary interface', contract_lock: 'Contract lock',
  no_proven_alternative: 'No proven alternative', horizon: 'Horizon', data_gravity: 'Data gravity',
  sign_in: 'Sign-in', sign_in_failed: 'Failed sign-in', sign_in_refused: 'Refused sign-in', sign_out: 'Sign-out', risk_model: 'Risk model',
};
export function label(s) {
  if (s === null || s === undefined || s === '') return '—';
  if (LABELS[s]) return LABELS[s];
  const t = String(s).replace(/_/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}
export const trackName = (t) => LABELS[t] || label(t);
export const yesNo = (b) => (b ? 'Yes' : 'No');

// HHI bands after the 2023 US Merger Guidelines.
const BANDS = { high: 'Highly concentrated', moderate: 'Moderately concentrated', low: 'Unconcentrated', unconcentrated: 'Unconcentrated' };
export const bandName = (b) => BANDS[b] || label(b);
