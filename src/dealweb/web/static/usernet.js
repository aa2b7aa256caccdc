/* dealweb map · usernet.js: Your own network: upload or --network, drawn at server-computed positions in large-web mode. */

import { dl, selectTab, showCard } from './cards.js';
import { reloadNetwork } from './filters.js';
import { reloadLoops, renderLoops } from './loops.js';
import { renderHeadline } from './main.js';
import { cy, isLarge, layoutOptions, setLarge, styleData } from './map.js';
import { api, S, showError } from './state.js';
import { clearStress, renderLegend } from './stress.js';
import { pushURL } from './url.js';
import { $, bdi, fmtNum, fmtUSD, h, human } from './util.js';
import { resetView, updateViewButton } from './view.js';

// ------------------------------------------------------------------ your own network

// A plain network (no deals, sources or balance sheets) drawn at server-computed positions:
// the browser runs no layout, which is what keeps 5,000 nodes interactive. The ledger's
// filters, cards, stress tests and deals table do not apply (body.user-mode hides them);
// the Loops tab shows the measures that do (circularity index, Hodge loop share, cycles).
export const USER_FORCE_MAX = 1500;

export function styleUser(nodes, edges) {
  styleData(nodes, edges);
  const flow = (n) => (Number(n.data.inflow) || 0) + (Number(n.data.outflow) || 0);
  const fmax = nodes.reduce((m, n) => Math.max(m, flow(n)), 0) || 1;
  const top = new Set(nodes.slice().sort((a, b) => flow(b) - flow(a)).slice(0, 16).map((n) => n.data.id));
  for (const n of nodes) {
    const size = (S.large ? 6 : 12) + (S.large ? 24 : 40) * Math.sqrt(flow(n) / fmax);
    // Large: sizes in steps of 2 px, so that Cytoscape's cache of node images holds a dozen
    // sizes rather than thousands (one texture per size); a node is a few pixels across anyway.
    n.data._size = S.large ? 2 * Math.round(size / 2) : size;
    n.data._fs = top.has(n.data.id) ? 22 : 12;
    n.data._lbl = !S.large || top.has(n.data.id) ? n.data.label : '';
    n.classes = n.data._lbl ? 'lbl' : '';
  }
  // Without kinds every edge would be the same mid grey: lighter and thinner when there are thousands.
  if (S.large) for (const e of edges) { e.data._color = '#b8b8b8'; e.data._width = 0.5 + e.data._width / 4; }
}

/** Fit the view to preset positions without asking Cytoscape for bounding boxes, which on
 * thousands of elements costs more than drawing them. */
export function fitPositions(nodes) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const n of nodes) {
    const p = n.position;
    if (p.x < x0) x0 = p.x; if (p.x > x1) x1 = p.x; if (p.y < y0) y0 = p.y; if (p.y > y1) y1 = p.y;
  }
  if (!Number.isFinite(x0)) return;
  const pad = 30, w = Math.max(cy.width() - 2 * pad, 10), ht = Math.max(cy.height() - 2 * pad, 10);
  const zoom = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), 2, w / Math.max(x1 - x0 + 40, 1), ht / Math.max(y1 - y0 + 40, 1)));
  cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * (x0 + x1) / 2, y: cy.height() / 2 - zoom * (y0 + y1) / 2 } });
}

export function drawUser(resp) {
  if (!S.ledgerNames) S.ledgerNames = S.names;
  if (S.stress) clearStress();
  S.user = resp;
  S.highlight = null;
  resetView();
  S.step = null;
  document.body.classList.remove('story-on');
  $('story').hidden = true;
  document.body.classList.add('user-mode');
  selectTab('card');
  setLarge(isLarge(resp));
  const els = resp.elements || { nodes: [], edges: [] };
  const nodes = els.nodes.map((n) => ({ group: 'nodes', data: Object.assign({}, n.data), position: Object.assign({}, n.position) }));
  const edges = els.edges.map((e) => ({ group: 'edges', data: Object.assign({}, e.data), classes: S.showLabels ? '' : 'nolabel' }));
  styleUser(nodes, edges);
  S.names = new Map(nodes.map((n) => [n.data.id, n.data.label]));
  cy.batch(() => {
    cy.elements().remove();
    cy.add(nodes.concat(edges));
  });
  S.layout = 'concentric';
  $('m-layout').value = 'concentric';
  layoutNames(true);
  fitPositions(nodes);
  S.network = resp;
  S.mapVersion += 1;
  document.body.dataset.mapVersion = String(S.mapVersion);
  $('u-back').hidden = false;
  const m = resp.measures || {};
  renderLoops({ cycles: m.cycles || [] }, null, { headline: { circularity_index: m.circularity_index,
    circular_volume: m.circular_volume, gross_volume: m.gross, loop_share: m.loop_share } });
  showCard(h('p', { class: 'help', text: 'Your own network: click a node or an edge for its numbers. Company cards, ' +
    'deals, filters and stress tests need the deal ledger and are hidden; the Loops tab has the circularity measures.' }));
  describeUser();
  renderLegend();
  $('headline').textContent = `Your network ${resp.name || ''}: ${resp.n_nodes} nodes, ${resp.n_edges} edges`;
  performance.mark('dealweb:user-ready');
  // ...and drawn: the frame after next has painted the new elements (the benchmark reads this).
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('dealweb:user-drawn')));
  document.body.dataset.userReady = 'true';
}

/** The layout menu's names: a plain network has no kinds to group the circle by. */
const LAYOUT_NAMES = { circle: ['Circle, by kind', 'Circle, by money hierarchy'], concentric: ['Concentric, money hierarchy',
  'Concentric, money hierarchy'], cose: ['Force', 'Force (up to 1,500 nodes)'] };
export function layoutNames(user) {
  for (const opt of $('m-layout').options) if (LAYOUT_NAMES[opt.value]) opt.textContent = LAYOUT_NAMES[opt.value][user ? 1 : 0];
}

export function describeUser() {
  const u = S.user;
  const gross = u.measures && u.measures.gross;
  const parts = [`Drawn: your network ${u.name || ''}, ${cy.nodes().length} nodes, ${cy.edges().length} edges`];
  if (gross != null) parts.push(`${fmtUSD(gross)} in all`);
  if (S.large) parts.push('large-network mode: straight edges without labels, hidden while you pan or zoom; names on hover and for the 16 largest');
  $('map-status').textContent = parts.join(' · ') + '.';
  $('cy').setAttribute('aria-label', `Map of your network: ${cy.nodes().length} nodes and ${cy.edges().length} edges.`);
}

export function userLayout(name) {
  const u = S.user;
  const flat = u.layouts && u.layouts[name];
  if (name === 'cose') {
    if (cy.nodes().length > USER_FORCE_MAX) {
      $('m-layout').value = S.layout;
      $('map-status').textContent = `The force layout runs in the browser and is offered up to ${USER_FORCE_MAX} nodes; ` +
        'this network keeps the positions computed by the server.';
      return;
    }
    S.layout = name;
    cy.elements().layout(layoutOptions('cose')).run();
    return;
  }
  if (!flat) return;
  S.layout = name;
  const index = new Map(u.elements.nodes.map((n, i) => [n.data.id, i]));
  const at = (id) => { const i = index.get(id); return { x: flat[2 * i], y: flat[2 * i + 1] }; };
  cy.nodes().layout({ name: 'preset', animate: false, fit: false, positions: (n) => at(n.id()) }).run();
  fitPositions(cy.nodes().map((n) => ({ position: at(n.id()) })));
}

export function openUserNode(id) {
  const n = cy.$id(id);
  if (n.empty()) return;
  const d = n.data();
  showCard(h('div', null, h('h3', null, bdi(d.label)), dl([
    ['Id', bdi(d.id)], ['Kind', d.kind && d.kind !== 'other' ? human(d.kind) : null],
    ['Money in', fmtUSD(d.inflow)], ['Money out', fmtUSD(d.outflow)], ['Edges', String(d.degree)],
    ['Potential (Hodge)', d.potential == null ? null : fmtNum(d.potential, 3)],
  ]), h('p', { class: 'help', text: 'Higher potential: further upstream in the money hierarchy (the concentric layout puts it nearer the middle).' })));
}

export function openUserEdge(edge) {
  const d = edge.data();
  showCard(h('div', null, h('h3', { text: `Edge ${d.id}` }), dl([
    ['From', bdi(S.names.get(d.source) || d.source)], ['To', bdi(S.names.get(d.target) || d.target)], ['Amount', fmtUSD(d.amount)],
  ])));
}

export async function uploadNetwork(e) {
  e.preventDefault();
  const status = $('u-status');
  const file = $('u-file').files[0];
  if (!file) { status.textContent = 'Choose a file first.'; return; }
  const limit = S.meta && S.meta.max_upload_bytes;
  if (limit && file.size > limit) { status.textContent = `The file is larger than ${Math.round(limit / 1048576)} MB.`; return; }
  status.textContent = `Reading ${file.name}…`;
  document.body.dataset.busy = 'true';
  try {
    const resp = await api('user-network', { filename: file.name },
      { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' } });
    showError(null);
    drawUser(resp);
    status.textContent = `Drawn: ${file.name}, ${resp.n_nodes} nodes, ${resp.n_edges} edges.`;
  } catch (err) {
    showError(err);
    status.textContent = 'The file could not be drawn: see the message at the top of the page.';
  } finally {
    delete document.body.dataset.busy;
  }
}

export async function backToLedger() {
  // Nothing of the user's network may stay behind: its highlight, its active loop, its large-web renderer.
  S.user = null;
  S.highlight = null;
  resetView();
  S.view = 'core';
  updateViewButton();
  document.querySelectorAll('.loops li.active').forEach((li) => li.classList.remove('active'));
  cy.$(':selected').unselect();
  $('x-result').textContent = '';
  delete document.body.dataset.userReady;
  document.body.classList.remove('user-mode');
  if (S.ledgerNames) S.names = S.ledgerNames;
  S.ledgerNames = null;
  $('u-back').hidden = true;
  S.layout = 'circle';
  $('m-layout').value = 'circle';
  layoutNames(false);
  cy.elements().remove();
  await reloadNetwork();
  await reloadLoops();
  renderHeadline();
  renderLegend();
  pushURL();
  showCard(h('p', { class: 'help', text: 'Click a company or a deal on the map, or in a table, to see its card.' }));
}

export function setupUser() {
  if (S.offline) { $('u-box').hidden = true; return; }
  $('u-form').addEventListener('submit', uploadNetwork);
  $('u-back').addEventListener('click', backToLedger);
}
