/* dealweb map · state.js: Shared state, API access (or the offline report's embedded data), palettes and scales. */

import { $, clear, h } from './util.js';

// ------------------------------------------------------------------ state

export const DATA = (typeof window.DEALWEB_DATA === 'object' && window.DEALWEB_DATA) ? window.DEALWEB_DATA : null;
export const S = {
  offline: !!DATA,
  meta: null,
  network: null,
  names: new Map(),          // entity id -> name
  defaults: { kinds: [], statuses: [] },
  filters: { asOf: null, kinds: [], statuses: [], minConfidence: '', minAmount: 0, policy: '' },
  dateRange: { first: null, last: null },
  layout: 'circle',
  showLabels: true,
  highlight: null,           // {nodes: Set, edges: Set}
  view: 'core',              // 'core' (companies on loops, a ring) or 'all'
  focus: null,               // a company brought forward with its neighbourhood
  loop: null,                // index into cycles of the loop drawn on its own
  custom: null,              // a story step's {nodes, deals}
  step: null,                // story step (0-based) or null
  stressScenario: null,      // name of the scenario on show, for the URL
  boot: {},                  // the query string at load
  stress: null, round: 0, maxRound: 0, animating: false,
  playing: false,
  seq: 0,
  deals: { offset: 0, limit: 50, sort: 'announced', order: 'desc', total: 0 },
  cycles: [], trips: [],
  mapVersion: 0,
  user: null,                // your own network (POST/GET /api/user-network), or null for the deal web
  ledgerNames: null,
};

// ------------------------------------------------------------------ API access

export class ApiError extends Error {
  constructor(message, detail) { super(message); this.detail = detail || null; }
}

export function apiUrl(path, params) {
  const url = new URL('api/' + path, document.baseURI);
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v == null || v === '') continue;
      if (Array.isArray(v)) v.forEach((x) => url.searchParams.append(k, x));
      else url.searchParams.set(k, String(v));
    }
  }
  return url;
}

export async function api(path, params, init) {
  const res = await fetch(apiUrl(path, params), Object.assign({ headers: { Accept: 'application/json' } }, init || {}));
  let body = null;
  try { body = await res.json(); } catch (_) { body = null; }
  if (!res.ok) {
    const err = body && body.error;
    throw new ApiError(err && err.message ? err.message : `${res.status} ${res.statusText}`, err);
  }
  return body;
}

export function showError(err) {
  const box = $('error');
  if (!err) { box.hidden = true; clear(box); return; }
  clear(box);
  box.append(h('span', { text: 'Something went wrong: ' + (err.message || String(err)) }));
  const problems = err.detail && Array.isArray(err.detail.problems) ? err.detail.problems : [];
  if (problems.length) {
    box.append(h('ul', null, problems.map((p) => h('li', { text: [p.where, p.field, p.message].filter(Boolean).join(' · ') }))));
  }
  box.hidden = false;
}

// ------------------------------------------------------------------ palettes and scales

// Entity kinds: Okabe & Ito (2008), the colour-blind-safe qualitative palette.
export const ENTITY_COLORS = {
  ai_lab: '#D55E00', cloud_provider: '#0072B2', neocloud: '#56B4E9', chipmaker: '#009E73',
  data_center: '#E69F00', investor: '#CC79A7', bank: '#F0E442', government: '#000000', other: '#999999',
};
export const ENTITY_ORDER = ['ai_lab', 'cloud_provider', 'neocloud', 'chipmaker', 'data_center', 'investor', 'bank', 'government', 'other'];
// Deal kinds: Paul Tol's "muted" colour-blind-safe palette, with dashes as a second cue.
export const DEAL_STYLES = {
  equity_investment: ['#332288', 'solid'], compute_commitment: ['#CC6677', 'solid'], chip_purchase: ['#117733', 'solid'],
  debt: ['#882255', 'dashed'], jv: ['#88CCEE', 'solid'], lease: ['#999933', 'dashed'], backstop: ['#AA4499', 'dotted'],
  acquisition: ['#44AA99', 'solid'], warrant: ['#332288', 'dotted'], revenue_share: ['#DDCC77', 'dashed'],
  licensing: ['#44AA99', 'dotted'],
};
export const entityColor = (k) => ENTITY_COLORS[k] || '#BBBBBB';
export const dealStyle = (k) => DEAL_STYLES[k] || ['#777777', 'solid'];

// Stress: Tol's sequential YlOrBr scale for loss / buffer; grey where the buffer is unknown.
export const LOSS_STOPS = ['#FFFFE5', '#FFF7BC', '#FEE391', '#FEC44F', '#FB9A29', '#EC7014', '#CC4C02', '#993404', '#662506'];
export const UNKNOWN_BUFFER = '#9E9E9E';
// Log scale from 0.1% to 100% of the buffer: a hyperscaler losing 1% of a $3T market cap is
// tinted, not left pale (a linear scale drew every loss under ~5% as "no loss").
export const lossPosition = (rel) => (Number(rel) > 0 ? Math.max(0.06, Math.min(1, (Math.log10(Number(rel)) + 3) / 3)) : 0);
export function lossColor(rel) {
  const x = lossPosition(rel) * (LOSS_STOPS.length - 1);
  const i = Math.min(LOSS_STOPS.length - 2, Math.floor(x)), t = x - i;
  const a = hex(LOSS_STOPS[i]), b = hex(LOSS_STOPS[i + 1]);
  const mix = a.map((v, j) => Math.round(v + (b[j] - v) * t));
  return '#' + mix.map((v) => v.toString(16).padStart(2, '0')).join('');
}
export function hex(s) { return [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16)); }

export const CONF_RANK = { low: 0, medium: 1, high: 2 };

/** The deal behind an edge: element ids are "deal:<id>" when a deal id equals an entity id. */
export const dealIdOf = (edge) => edge.data('deal_id') || edge.id();
