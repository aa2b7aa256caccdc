/* dealweb map · map.js: The Cytoscape map: styles (normal and large-web), node and edge sizing, layouts, highlight, visibility. */

import { openPair } from './cards.js';
import { focusOn } from './filters.js';
import { dealIdOf, dealStyle, ENTITY_ORDER, entityColor, S } from './state.js';
import { applyStress } from './stress.js';
import { describeUser, openUserEdge, openUserNode, userLayout } from './usernet.js';
import { AMOUNT_FONT, applyView, watchZoom } from './view.js';
import { $, fmtUSD, human, openSheet } from './util.js';

// ------------------------------------------------------------------ the map

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';
export const STYLE = [
  { selector: 'node', style: {
    width: 'data(_size)', height: 'data(_size)', 'background-color': 'data(_color)',
    label: 'data(_lbl)', 'font-size': 'data(_fs)', color: '#1b1b1b', 'text-valign': 'bottom', 'text-margin-y': 3,
    'text-wrap': 'ellipsis', 'text-max-width': '200px', 'text-outline-color': '#ffffff', 'text-outline-width': 2,
    'border-width': 1, 'border-color': '#333333', 'min-zoomed-font-size': 7, 'font-family': FONT,
  } },
  { selector: 'node.noval', style: { 'border-style': 'dashed', 'border-width': 1.5 } },
  // Ring views: names outside the ring, wrapped, at their true size.
  { selector: 'node.ring', style: { 'text-wrap': 'wrap', 'text-max-width': 'data(_tw)', 'min-zoomed-font-size': 0, 'font-weight': 600 } },
  { selector: 'node.lbl-r', style: { 'text-halign': 'right', 'text-valign': 'center', 'text-margin-x': 5, 'text-margin-y': 0 } },
  { selector: 'node.lbl-l', style: { 'text-halign': 'left', 'text-valign': 'center', 'text-margin-x': -5, 'text-margin-y': 0 } },
  { selector: 'node.lbl-t', style: { 'text-valign': 'top', 'text-margin-y': -4 } },
  { selector: 'node.lbl-b', style: { 'text-valign': 'bottom', 'text-margin-y': 4 } },
  { selector: 'node.isolated', style: { opacity: 0.35 } },
  { selector: 'edge', style: {
    'curve-style': 'bezier', 'control-point-step-size': 36, width: 'data(_width)',
    'line-color': 'data(_color)', 'target-arrow-color': 'data(_color)', 'target-arrow-shape': 'triangle',
    'line-style': 'data(_style)', 'arrow-scale': 1.1, opacity: 0.85,
    // Amounts upright, at the spot view.js placeLabels() found free (an offset from the midpoint).
    label: 'data(label)', 'font-size': 'data(_afs)', 'font-weight': 600, color: '#1b1b1b', 'text-rotation': 'none',
    'font-family': FONT, 'text-background-color': '#ffffff', 'text-background-opacity': 0.92, 'text-background-padding': 2,
    'text-background-shape': 'roundrectangle', 'min-zoomed-font-size': 0,
  } },
  // Amounts are drawn by label nodes (above every arrow, where placeLabels() found room), not by the edges.
  { selector: 'edge.placed', style: { label: '' } },
  { selector: 'node.amt', style: {
    width: 1, height: 1, 'background-opacity': 0, 'border-width': 0, events: 'no', label: 'data(_amt)', 'font-size': 'data(_afs)', 'text-wrap': 'none',
    'font-weight': 600, color: '#1b1b1b', 'text-valign': 'center', 'text-halign': 'center', 'font-family': FONT, 'z-index': 30,
    'text-background-color': '#ffffff', 'text-background-opacity': 0.95, 'text-background-padding': 2,
    'text-background-shape': 'roundrectangle', 'min-zoomed-font-size': 0,
  } },
  { selector: 'node.amt.unpaid', style: { color: '#C00000' } },
  { selector: 'edge.hop', style: { opacity: 1, 'z-index': 15, 'control-point-step-size': 64 } },
  { selector: 'edge.amt-off', style: { label: '' } },
  { selector: 'edge.nolabel', style: { label: '' } },
  // (For big webs LARGE_STYLE replaces everything above; the state styles below apply to both.)
  { selector: 'node.stressed', style: { 'background-color': 'data(_scolor)', label: 'data(_slbl)' } },
  { selector: 'node.shocked', style: { shape: 'diamond' } },
  { selector: 'node.failed', style: { 'border-width': 6, 'border-color': '#000000', 'border-style': 'solid' } },
  { selector: 'node.failing', style: { 'border-width': 7, 'border-color': '#D00000', 'border-style': 'solid' } },
  { selector: 'node.partial', style: { 'border-width': 5, 'border-color': '#E66100', 'border-style': 'dashed' } },
  { selector: 'edge.unpaid', style: { 'line-color': '#C00000', 'target-arrow-color': '#C00000', 'line-style': 'dashed', opacity: 1 } },
  { selector: 'edge.part-unpaid', style: { 'line-color': '#E66100', 'target-arrow-color': '#E66100', 'line-style': 'dashed', opacity: 1 } },
  { selector: 'node.match', style: { 'border-width': 4, 'border-color': '#E05D00' } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#0B5CAD', 'border-style': 'solid' } },
  { selector: 'edge:selected', style: { opacity: 1, 'underlay-color': '#0B5CAD', 'underlay-opacity': 0.35, 'underlay-padding': 4 } },
  { selector: 'node.highlight', style: { 'border-width': 4, 'border-color': '#000000', opacity: 1, 'z-index': 20, 'font-size': 20, 'min-zoomed-font-size': 0 } },
  { selector: 'edge.highlight', style: { opacity: 1, 'z-index': 20, 'underlay-color': '#000000', 'underlay-opacity': 0.18, 'underlay-padding': 3,
    'font-size': 22, 'min-zoomed-font-size': 0 } },
  { selector: '.faded', style: { opacity: 0.12, 'text-opacity': 0 } },
  { selector: 'node.faded', style: { opacity: 0.25, 'text-opacity': 0.5 } },
  { selector: '.hidden', style: { display: 'none' } },
];

// A web with thousands of elements: straight (haystack) edges without arrows or labels, no
// node outlines, labels only on the largest companies (class `lbl`; the rest on hover), edges
// hidden and the rest drawn from a cached texture while the view moves (initMap), so panning and
// zooming stay interactive on a canvas without a GPU. Semi-transparent and dashed lines are the
// slowest things a canvas draws: solid, opaque lines only at this size. This is a stylesheet of
// its own rather than overrides on STYLE: Cytoscape applies every property of every matching
// rule to each of the 15,000 elements, so the fewer there are, the sooner the first frame.
export const LARGE = 2500;
export const LARGE_STYLE = [
  { selector: 'node', style: { width: 'data(_size)', height: 'data(_size)', 'background-color': 'data(_color)', 'border-width': 0 } },
  { selector: 'node.lbl', style: {
    label: 'data(_lbl)', 'font-size': 'data(_fs)', color: '#1b1b1b', 'text-valign': 'bottom', 'text-margin-y': 3,
    'text-wrap': 'ellipsis', 'text-max-width': '200px', 'text-outline-color': '#ffffff', 'text-outline-width': 1, 'min-zoomed-font-size': 7,
  } },
  { selector: 'node.isolated', style: { opacity: 0.35 } },
  { selector: 'edge', style: { 'curve-style': 'haystack', 'haystack-radius': 0, width: 'data(_width)', 'line-color': 'data(_color)' } },
  { selector: 'edge:selected, edge.highlight', style: {
    'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'target-arrow-color': 'data(_color)', 'arrow-scale': 0.9,
    label: 'data(label)', 'font-size': 9, color: '#222222', 'text-rotation': 'autorotate',
    'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': 1, 'min-zoomed-font-size': 7,
  } },
];
export function styleFor(large) {
  const at = STYLE.findIndex((x) => x.selector === 'edge.nolabel') + 1;
  return large ? LARGE_STYLE.concat(STYLE.slice(at)) : STYLE;
}
export const isLarge = (resp) => {
  const els = (resp && resp.elements) || {};
  return ((els.nodes || []).length + (els.edges || []).length) > LARGE;
};

export let cy = null;
/** The companies on the map (amount labels are small nodes of class `amt`, see view.js). */
export const companies = () => cy.nodes().not('.amt');

/** Switch between the normal and the large-web renderer (its viewport options are fixed
 * when it is created, so the map is made anew with no elements). */
export function setLarge(large) {
  if (!!large === S.large) return;
  const view = cy.elements().length ? null : { zoom: cy.zoom(), pan: cy.pan() };
  cy.destroy();
  initMap(large);
  if (view) cy.viewport(view);
}

export function initMap(large) {
  S.large = !!large;
  cy = window.cytoscape({
    container: $('cy'),
    style: styleFor(S.large),
    elements: [],
    minZoom: 0.02,
    maxZoom: 6,
    boxSelectionEnabled: false,
    selectionType: 'single',
    hideEdgesOnViewport: S.large,
    textureOnViewport: S.large,
    pixelRatio: S.large ? 1 : 'auto',
  });
  window.dealwebMap = cy;
  watchZoom();
  const tip = $('tip');
  const showTip = (evt, text) => {
    const p = evt.renderedPosition || evt.target.renderedPosition();
    tip.textContent = text;
    tip.hidden = false;
    const w = $('cy').clientWidth;
    tip.style.left = Math.min(p.x + 12, Math.max(0, w - 240)) + 'px';
    tip.style.top = (p.y + 12) + 'px';
  };
  cy.on('mouseover', 'node', (e) => {
    const d = e.target.data();
    if (S.user) { showTip(e, `${d.label} · in ${fmtUSD(d.inflow)} · out ${fmtUSD(d.outflow)} · ${d.degree} edges`); return; }
    showTip(e, `${d.label} · ${human(d.kind)} · valuation ${d.valuation_usd == null ? 'unknown' : fmtUSD(d.valuation_usd)}`);
  });
  cy.on('mouseover', 'edge', (e) => showTip(e, edgeText(e.target.data())));
  cy.on('mouseout', 'node, edge', () => { tip.hidden = true; });
  cy.on('tap', 'node', (e) => {
    const id = e.target.id();
    if (S.user) { openUserNode(id); return; }
    focusOn(id);
  });
  cy.on('tap', 'edge', (e) => { if (S.user) openUserEdge(e.target); else { openPair(e.target); openSheet(); } });
}

export function edgeText(d) {
  if (S.user) return `${d.id}: ${S.names.get(d.source) || d.source} → ${S.names.get(d.target) || d.target} · ${fmtUSD(d.amount)}`;
  const q = d.qualifier && d.qualifier !== 'exact' ? ` (${human(d.qualifier)})` : '';
  return `${d.deal_id || d.id}: ${S.names.get(d.source) || d.source} → ${S.names.get(d.target) || d.target} · ${human(d.kind)} · ${fmtUSD(d.amount)}${q} · ${human(d.status)}`;
}

/** Size nodes by valuation (sqrt scale) and edges by amount (log scale) over what is drawn. */
export function styleData(nodes, edges) {
  const vals = nodes.map((n) => n.data.size_usd).filter((v) => v != null && v > 0);
  const vmax = vals.length ? Math.max(...vals) : 1;
  // Level of detail: the companies with the most money through them get larger labels,
  // which stay readable when the whole web is in view; the rest appear on zooming in.
  const flow = (n) => (Number(n.data.inflow) || 0) + (Number(n.data.outflow) || 0);
  const big = new Set(nodes.slice().sort((a, b) => flow(b) - flow(a)).slice(0, 16).filter((n) => flow(n) > 0).map((n) => n.data.id));
  for (const n of nodes) {
    const v = n.data.size_usd;
    n.data._tw = 150;
    n.data._size = v != null && v > 0 ? 14 + 50 * Math.sqrt(v / vmax) : 20;
    n.data._fs = big.has(n.data.id) ? 22 : 12;
    n.data._lbl = !S.large || big.has(n.data.id) ? (n.data.label == null ? n.data.id : n.data.label) : '';
    n.data._color = entityColor(n.data.kind);
    if (n.data.label == null) n.data.label = n.data.id;
    n.classes = (n.data.size_basis && n.data.size_basis !== 'deal_volume' ? '' : 'noval') + (n.data._lbl ? ' lbl' : '');
  }
  const amts = edges.map((e) => e.data.amount).filter((a) => a != null && a > 0);
  const lo = amts.length ? Math.log(Math.min(...amts)) : 0, hi = amts.length ? Math.log(Math.max(...amts)) : 1;
  for (const e of edges) {
    const a = e.data.amount;
    const t = a != null && a > 0 && hi > lo ? (Math.log(a) - lo) / (hi - lo) : 0;
    const [color, line] = dealStyle(e.data.kind);
    e.data._width = 1 + 8 * t;
    e.data._color = color;
    e.data._style = line;
    if (e.data.label == null) e.data.label = a != null ? fmtUSD(a) : '';
    Object.assign(e.data, { _mx: 0, _my: 0, _afs: AMOUNT_FONT });
  }
}

/** Replace what is drawn; keep node positions when the node set is unchanged. */
export function drawNetwork(resp) {
  const els = resp.elements || { nodes: [], edges: [] };
  const nodes = (els.nodes || []).map((n) => ({ group: 'nodes', data: Object.assign({}, n.data) }));
  let edges = (els.edges || []).map((e) => ({ group: 'edges', data: Object.assign({}, e.data) }));
  if (!S.filters.kinds.length || !S.filters.statuses.length) edges = [];
  setLarge(isLarge(resp));
  styleData(nodes, edges);
  for (const n of nodes) S.names.set(n.data.id, n.data.label);
  const before = new Set(companies().map((n) => n.id()));
  const after = new Set(nodes.map((n) => n.data.id));
  const sameNodes = before.size === after.size && [...after].every((id) => before.has(id)) && !S.large;
  const keep = new Map(sameNodes ? companies().map((n) => [n.id(), n.position()]) : []);
  cy.batch(() => {
    // Replacing everything at once is much faster than patching thousands of elements;
    // positions are kept when the companies are the same.
    cy.elements().remove();
    const drawn = edges.filter((e) => after.has(e.data.source) && after.has(e.data.target));
    const linked = new Set(drawn.flatMap((e) => [e.data.source, e.data.target]));
    for (const n of nodes) {
      if (keep.has(n.data.id)) n.position = Object.assign({}, keep.get(n.data.id));
      if (!linked.has(n.data.id)) n.classes = (n.classes ? n.classes + ' ' : '') + 'isolated';
    }
    if (!S.showLabels) for (const e of drawn) e.classes = 'nolabel';
    cy.add(nodes.concat(drawn));
  });
  S.network = resp;
  applyHighlight();
  if (S.stress) applyStress();
  applyView();
  S.mapVersion += 1;
  document.body.dataset.mapVersion = String(S.mapVersion);
  describeMap();
}

export function describeMap() {
  if (S.user) { describeUser(); return; }
  const n = companies().length, e = cy.edges().length;
  const active = companies().filter((x) => x.degree(false) > 0).length;
  const gross = cy.edges().reduce((s, x) => s + (Number(x.data('amount')) || 0), 0);
  const resp = S.network || {};
  const undisclosed = Array.isArray(resp.undisclosed) ? resp.undisclosed.length : 0;
  const parts = [`Drawn: ${n} companies (${active} with deals), ${e} deals, ${fmtUSD(gross)} in all`];
  if (S.filters.asOf) parts.push(`as of ${S.filters.asOf}`);
  if (undisclosed) parts.push(`${undisclosed} deals with undisclosed amounts not drawn`);
  const shown = companies().not('.hidden').length;
  if (shown < n) parts.push(`showing ${shown} of them (${document.body.dataset.view === 'core' ? 'the circular core: companies on loops' : 'this view'})`);
  $('map-status').textContent = parts.join(' · ') + '.';
  $('cy').setAttribute('aria-label', `Map of the deal web: ${n} companies and ${e} deals. Use the tables and search for the same data.`);
}

export function layoutOptions(name) {
  const base = { animate: false, fit: true, padding: 30 };
  if (name === 'concentric') {
    const pots = cy.nodes().map((n) => n.data('potential')).filter((v) => v != null).sort((a, b) => a - b);
    const LEVELS = 6;
    return Object.assign(base, {
      name: 'concentric', minNodeSpacing: 8, startAngle: 1.5 * Math.PI,
      // Money sources (high potential) in the middle; where money ends up on the outer rings.
      concentric: (n) => {
        const p = n.data('potential');
        if (p == null || !pots.length) return 0;
        let i = 0;
        while (i < pots.length && pots[i] < p) i++;
        return 1 + Math.floor((i / pots.length) * LEVELS);
      },
      levelWidth: () => 1,
      sort: (a, b) => (b.data('potential') || 0) - (a.data('potential') || 0),
    });
  }
  if (name === 'cose') {
    return Object.assign(base, {
      name: 'cose', randomize: false, nodeRepulsion: () => 600000, idealEdgeLength: () => 90,
      edgeElasticity: () => 80, gravity: 0.6, numIter: 1200, componentSpacing: 60, nodeOverlap: 8,
    });
  }
  const rank = (n) => { const i = ENTITY_ORDER.indexOf(n.data('kind')); return i < 0 ? ENTITY_ORDER.length : i; };
  const n = companies().not('.hidden').length;
  return Object.assign(base, {
    name: 'circle', startAngle: -Math.PI / 2, avoidOverlap: false, radius: Math.max(160, n * 7.5),
    // By kind, then by name: the large companies of a kind spread round its arc.
    sort: (a, b) => rank(a) - rank(b) || String(a.data('label')).localeCompare(String(b.data('label'))),
  });
}

export function runLayout(name) {
  if (S.user) { userLayout(name); return; }
  S.layout = name;
  let eles = cy.elements().not('.hidden');
  if (eles.empty()) return;
  const opts = layoutOptions(name);
  // Cytoscape's circle layout places nodes in collection order (its `sort` option is not
  // applied to the positions), so hand it the nodes already sorted.
  if (opts.sort && name === 'circle') { eles = eles.nodes().sort(opts.sort); delete opts.sort; }
  eles.layout(opts).run();
}

/** Centre the view on some elements, zoomed to fit them but not closer than 1.4×. */
export function showEles(eles) {
  if (!eles || eles.empty()) return;
  const bb = eles.boundingBox();
  const zoom = Math.max(cy.minZoom(), Math.min(1.4, cy.width() / (bb.w + 120), cy.height() / (bb.h + 120)));
  cy.stop();
  cy.animate({ zoom, center: { eles } }, { duration: 250 });
}

export function applyHighlight() {
  cy.batch(() => {
    cy.elements().removeClass('highlight faded');
    const hl = S.highlight;
    if (!hl) return;
    const on = cy.elements().filter((x) => (x.isNode() ? hl.nodes.has(x.id()) : hl.edges.has(dealIdOf(x))));
    on.addClass('highlight');
    cy.elements().not(on).addClass('faded');
  });
}

export function setHighlight(nodes, edges) {
  S.highlight = nodes ? { nodes: new Set(nodes), edges: new Set(edges || []) } : null;
  applyHighlight();
  if (!nodes) document.querySelectorAll('.loops li.active').forEach((li) => li.classList.remove('active'));
}

