/* dealweb map · filters.js: Filters and date playback; explore: search, expand on click, common counterparties. */

import { openEntity } from './cards.js';
import { reloadLoops } from './loops.js';
import { start } from './main.js';
import { cy, drawNetwork, setHighlight } from './map.js';
import { api, CONF_RANK, DATA, dealIdOf, dealStyle, S, showError } from './state.js';
import { pushURL } from './url.js';
import { $, bdi, clear, debounce, fmtUSD, fromDays, fullDate, h, human, nextMonthEnd, openSheet, sleep, toDays } from './util.js';
import { applyView, resetView, setViewAll, updateViewButton } from './view.js';

// ------------------------------------------------------------------ filters and date playback

export function filterParams(withAmount) {
  const f = S.filters, p = {};
  if (f.asOf && f.asOf !== S.dateRange.last) p.as_of = f.asOf;
  const same = (a, b) => a.length === b.length && a.every((x) => b.includes(x));
  if (f.kinds.length && !same(f.kinds, S.defaults.kinds)) p.kind = f.kinds.slice();
  if (f.statuses.length && !same(f.statuses, S.defaults.statuses)) p.status = f.statuses.slice();
  if (f.minConfidence) p.min_confidence = f.minConfidence;
  if (f.policy) p.amount_policy = f.policy;
  if (withAmount && f.minAmount > 0) p.min_amount = f.minAmount;
  return p;
}

/** The offline report has one projection; filter its edges here (by announcement date). */
export function offlineNetwork() {
  const f = S.filters, src = DATA.network;
  const keep = (d) => {
    if (f.asOf && fullDate(d.announced) > f.asOf) return false;
    if (!f.kinds.includes(d.kind) || !f.statuses.includes(d.status)) return false;
    if (f.minConfidence && (CONF_RANK[d.confidence] ?? 0) < (CONF_RANK[f.minConfidence] ?? 0)) return false;
    return true;
  };
  // Each arrow holds its deals (`parts`): keep those that pass and add them up again.
  const edges = [];
  for (const e of src.elements.edges || []) {
    const parts = (e.data.parts || [e.data]).filter(keep);
    if (!parts.length) continue;
    const amount = parts.reduce((s, p) => s + (Number(p.amount) || 0), 0);
    if (f.minAmount > 0 && !(amount >= f.minAmount)) continue;
    const one = parts.length === 1 ? parts[0] : {};
    edges.push({ data: Object.assign({}, e.data, {
      amount, count: parts.length, deal_ids: parts.map((p) => p.deal_id), deal_id: parts[0].deal_id, parts,
      kind: one.kind || e.data.kind, status: one.status || null, announced: one.announced || null,
      label: fmtUSD(amount) + (parts.length > 1 ? ` · ${parts.length} deals` : ''),
    }) });
  }
  return Object.assign({}, src, { elements: { nodes: src.elements.nodes, edges } });
}

export async function reloadNetwork(opts) {
  const quick = opts && opts.quick;
  const seq = ++S.seq;
  document.body.dataset.busy = '1';
  try {
    const resp = S.offline ? offlineNetwork() : await api('network', Object.assign({ bundle: true }, filterParams(true)));
    if (seq !== S.seq) return;
    drawNetwork(resp);
    showError(null);
    if (!quick) reloadLoops();
  } catch (err) {
    if (seq === S.seq) showError(err);
  } finally {
    if (seq === S.seq) delete document.body.dataset.busy;
  }
}
export const reloadSoon = debounce(() => reloadNetwork(), 200);
const pushSoon = debounce(() => pushURL(), 600);

export function readFilters() {
  const f = S.filters;
  f.kinds = [...document.querySelectorAll('#f-kinds input:checked')].map((x) => x.value);
  f.statuses = [...document.querySelectorAll('#f-status input:checked')].map((x) => x.value);
  f.minConfidence = $('f-conf').value;
  const bn = parseFloat($('f-min').value);
  f.minAmount = Number.isFinite(bn) && bn > 0 ? bn * 1e9 : 0;
  f.policy = $('f-policy').value;
}

export function setDate(s, fromRange) {
  const { first, last } = S.dateRange;
  if (!first) return;
  let d = s || last;
  if (d < first) d = first;
  if (d > last) d = last;
  S.filters.asOf = d === last ? null : d;
  $('f-date').value = d;
  if (!fromRange) $('f-date-range').value = String(toDays(d) - toDays(first));
  $('f-date-range').setAttribute('aria-valuetext', d);
}

export function setupFilters(meta, net) {
  const kinds = meta.deal_kinds || [];
  const params = (net && net.params) || {};
  S.defaults.kinds = Array.isArray(params.kinds) && params.kinds.length ? params.kinds.slice() : kinds.slice();
  S.defaults.statuses = Array.isArray(params.statuses) && params.statuses.length ? params.statuses.slice()
    : (meta.statuses || []).filter((s) => ['announced', 'signed', 'closed'].includes(s));
  const kbox = clear($('f-kinds'));
  for (const k of kinds) {
    const [color, line] = dealStyle(k);
    const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.borderTopColor = color;
    sw.style.borderTopStyle = line;
    kbox.append(h('label', null, h('input', { type: 'checkbox', value: k, checked: S.defaults.kinds.includes(k) }), sw, human(k)));
  }
  const sbox = clear($('f-status'));
  for (const s of meta.statuses || []) {
    sbox.append(h('label', null, h('input', { type: 'checkbox', value: s, checked: S.defaults.statuses.includes(s) }), human(s)));
  }
  const conf = $('f-conf');
  for (const c of meta.confidences || []) conf.append(h('option', { value: c, text: `${c} or better` }));
  const dr = meta.date_range || {};
  const today = new Date().toISOString().slice(0, 10);
  S.dateRange.first = dr.first ? fullDate(dr.first) : '2019-01-01';
  S.dateRange.last = dr.last ? fullDate(dr.last) : today;
  const range = $('f-date-range');
  range.max = String(toDays(S.dateRange.last) - toDays(S.dateRange.first));
  $('f-date').min = S.dateRange.first;
  $('f-date').max = S.dateRange.last;
  setDate(S.dateRange.last);
  readFilters();

  range.addEventListener('input', () => {
    setDate(fromDays(toDays(S.dateRange.first) + Number(range.value)), true);
    reloadSoon();
    pushSoon();
  });
  $('f-date').addEventListener('change', () => { if ($('f-date').value) { setDate($('f-date').value); reloadNetwork(); pushURL(); } });
  $('f-play').addEventListener('click', togglePlay);
  $('filter-form').addEventListener('change', (e) => {
    if (e.target.id === 'f-date' || e.target.id === 'f-date-range') return;
    readFilters();
    reloadSoon();
  });
  $('filter-form').addEventListener('submit', (e) => e.preventDefault());
  $('f-kinds-all').addEventListener('click', () => { setChecks('#f-kinds', () => true); readFilters(); reloadNetwork(); });
  $('f-kinds-none').addEventListener('click', () => { setChecks('#f-kinds', () => false); readFilters(); reloadNetwork(); });
  $('f-reset').addEventListener('click', () => {
    setChecks('#f-kinds', (v) => S.defaults.kinds.includes(v));
    setChecks('#f-status', (v) => S.defaults.statuses.includes(v));
    $('f-conf').value = ''; $('f-min').value = ''; $('f-policy').value = '';
    setDate(S.dateRange.last);
    readFilters();
    reloadNetwork();
  });
  if (S.offline) {
    // Only the embedded projection exists: kinds/statuses outside it and other amount policies cannot be drawn.
    document.querySelectorAll('#f-kinds input, #f-status input').forEach((x) => {
      const ok = x.closest('#f-kinds') ? S.defaults.kinds.includes(x.value) : S.defaults.statuses.includes(x.value);
      if (!ok) { x.disabled = true; x.parentElement.title = 'not available in the offline report'; }
    });
    $('f-policy').disabled = true;
    $('f-policy').title = 'not available in the offline report';
  }
}

export function setChecks(sel, pred) {
  document.querySelectorAll(sel + ' input[type=checkbox]').forEach((x) => { if (!x.disabled) x.checked = !!pred(x.value); });
}

export async function togglePlay() {
  const btn = $('f-play');
  if (S.playing) { S.playing = false; return; }
  S.playing = true;
  btn.textContent = 'Pause';
  btn.setAttribute('aria-pressed', 'true');
  let d = $('f-date').value || S.dateRange.last;
  if (d >= S.dateRange.last) d = S.dateRange.first;
  setDate(d);
  try {
    while (S.playing) {
      await reloadNetwork({ quick: true });
      await sleep(300);
      if (!S.playing) break;
      if (($('f-date').value || S.dateRange.last) >= S.dateRange.last) break;
      setDate(nextMonthEnd($('f-date').value));
    }
  } finally {
    S.playing = false;
    btn.textContent = 'Play';
    btn.setAttribute('aria-pressed', 'false');
    reloadLoops();
  }
}

// ------------------------------------------------------------------ explore: search, expand, common counterparties

export function sortedEntities() {
  return [...S.names.entries()].sort((a, b) => a[1].localeCompare(b[1]));
}

export function fillEntityLists() {
  const list = clear($('company-list'));
  const ents = sortedEntities();
  for (const [, name] of ents) list.append(h('option', { value: name }));
  for (const id of ['x-a', 'x-b', 's-entity', 'd-entity']) {
    const sel = $(id), keep = sel.value;
    clear(sel);
    sel.append(h('option', { value: '', text: id === 'd-entity' ? 'any' : 'choose…' }));
    for (const [eid, name] of ents) sel.append(h('option', { value: eid, text: name }));
    sel.value = keep;
  }
}

export function findEntity(q) {
  const s = q.trim().toLowerCase();
  if (!s) return null;
  const ents = sortedEntities();
  const exact = ents.find(([id, name]) => name.toLowerCase() === s || id.toLowerCase() === s);
  if (exact) return exact[0];
  const part = ents.find(([id, name]) => name.toLowerCase().includes(s) || id.toLowerCase().includes(s));
  return part ? part[0] : null;
}

/** Bring a company forward: its neighbourhood on a ring round it, the rest hidden, its card beside the map. */
export function focusOn(id, opts) {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  resetView();
  S.focus = id;
  updateViewButton();
  applyView();
  cy.$(':selected').unselect();
  node.select();
  openEntity(id);
  openSheet();
  if (!opts || opts.push !== false) pushURL();
}
export const focusNode = (id) => focusOn(id);

export function setupExplore() {
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = findEntity($('f-search').value);
    if (!id) { $('map-status').textContent = 'No company matches that search.'; return; }
    focusOn(id);
  });
  $('x-showall').addEventListener('click', () => { setViewAll(true); pushURL(); });
  $('common-form').addEventListener('submit', (e) => { e.preventDefault(); showCommon($('x-a').value, $('x-b').value); });
}

export function showCommon(a, b) {
  const out = clear($('x-result'));
  if (!a || !b || a === b) { out.append(h('p', { text: 'Choose two different companies.' })); return; }
  const na = cy.getElementById(a), nb = cy.getElementById(b);
  const neigh = (n) => new Set(n.neighborhood().nodes().map((x) => x.id()));
  const sa = neigh(na), sb = neigh(nb);
  const common = [...sa].filter((x) => sb.has(x) && x !== a && x !== b);
  const nodes = [a, b, ...common];
  const keep = new Set(nodes);
  const edges = cy.edges().filter((e) => {
    const s = e.source().id(), t = e.target().id();
    return keep.has(s) && keep.has(t) && ([a, b].includes(s) || [a, b].includes(t));
  }).map(dealIdOf);
  setHighlight(nodes, edges);
  const head = h('p', null, `${common.length} common counterpart${common.length === 1 ? 'y' : 'ies'} of `,
    bdi(S.names.get(a) || a), ' and ', bdi(S.names.get(b) || b), ' on the map as drawn' + (common.length ? ':' : '.'));
  out.append(head);
  if (common.length) {
    out.append(h('ul', null, common.map((id) => h('li', null,
      h('button', { type: 'button', class: 'linkish', onclick: () => { focusNode(id); openEntity(id); } }, bdi(S.names.get(id) || id))))));
  }
}
