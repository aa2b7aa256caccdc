/* dealweb map · view.js: What the map shows: the circular core as a ring (the first view), one company's
 * neighbourhood, one loop in order, a story step, or every company; and where the amounts go.
 *
 * The ring views place nodes at zoom 1 in screen pixels, so a font size here is the size on screen.
 * Amount labels are upright and placed by placeLabels(): each arrow's label slides along its curve to
 * the first spot that overlaps no other label and no company, largest amounts first. */

import { renderHeadline } from './main.js';
import { companies, cy, describeMap, runLayout } from './map.js';
import { dealIdOf, S } from './state.js';
import { $, fmtUSD } from './util.js';

export const RING_FONT = 13;     // company names in ring views, px
export const AMOUNT_FONT = 12;   // amounts on arrows, px (the first view's floor is 11 px)
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';

/** The nodes of the current view, in order, with an optional centre: null for the all-companies view. */
export function viewNodes() {
  if (S.user) return null;
  if (S.custom) return { ids: S.custom.nodes, centre: null, edges: new Set(S.custom.deals || []) };
  if (S.loop != null && S.cycles[S.loop]) {
    const c = S.cycles[S.loop];
    let ids = Array.isArray(c.nodes) ? c.nodes.slice() : [];
    if (ids.length > 1 && ids[0] === ids[ids.length - 1]) ids = ids.slice(0, -1);
    return { ids, centre: null, edges: new Set((c.deal_ids || []).flat()), loop: true };
  }
  if (S.focus && cy.getElementById(S.focus).nonempty()) {
    const me = cy.getElementById(S.focus);
    const size = (n) => Number(n.data('size_usd')) || 0;
    const ids = me.neighborhood().nodes().sort((a, b) => size(b) - size(a) || a.id().localeCompare(b.id())).map((n) => n.id());
    return { ids, centre: S.focus, edges: null };
  }
  if (S.view === 'core') {
    const core = ((S.network && S.network.headline && S.network.headline.core) || []).filter((id) => cy.getElementById(id).nonempty());
    if (core.length >= 2) return { ids: core, centre: null, edges: null };
  }
  return null;
}

/** Draw the current view: a ring (core, focus, loop, story step) or every company with the chosen layout. */
export function applyView() {
  if (S.user) return;
  cy.remove('node.amt');
  const v = viewNodes();
  document.body.dataset.view = v ? (v.loop ? 'loop' : S.custom ? 'step' : v.centre ? 'focus' : 'core') : 'all';
  if (!v) {
    cy.batch(() => {
      cy.elements().removeClass('hidden faded ring hop');
      cy.nodes().forEach((n) => n.removeClass('lbl-r lbl-l lbl-t lbl-b'));
    });
    runLayout(S.layout);
    placeLabels({ hide: true });
    describeMap();
    renderHeadline();
    return;
  }
  const keep = new Set(v.ids.concat(v.centre ? [v.centre] : []));
  cy.batch(() => {
    cy.elements().removeClass('hidden faded ring hop');
    cy.nodes().forEach((n) => { if (!keep.has(n.id())) n.addClass('hidden'); else n.addClass('ring'); });
    cy.edges().forEach((e) => {
      const s = e.source().id(), t = e.target().id();
      if (!keep.has(s) || !keep.has(t)) { e.addClass('hidden'); return; }
      const onPath = v.edges ? (e.data('deal_ids') || [dealIdOf(e)]).some((x) => v.edges.has(x))
        : (!v.centre || s === v.centre || t === v.centre);
      e.addClass(onPath ? 'hop' : 'faded');
    });
  });
  ringLayout(v.ids, v.centre);
  placeLabels({ hide: cy.width() < 600 });
  describeMap();
  renderHeadline();
}

/** Nodes `ids` on a ring in order, clockwise from the top, largest first; `centre` in the middle. */
export function ringLayout(ids, centre) {
  const w = cy.width(), h = cy.height();
  const narrow = w < 600;
  // An ellipse that fills the box (a phone's tall map gives more room inside): names go outside it,
  // to the sides on a wide map, above and below on a narrow one.
  const mx = narrow ? 46 : Math.min(130, w * 0.24), my = 44;
  let rx = Math.max(50, w / 2 - mx), ry = Math.max(50, h / 2 - my);
  rx = Math.min(rx, 1.5 * ry); ry = Math.min(ry, 1.5 * rx);
  const R = Math.min(rx, ry);
  const n = ids.length;
  const spacing = n > 1 ? 2 * Math.PI * R / n : 2 * R;
  const sizes = cy.nodes('.ring').map((x) => Number(x.data('size_usd')) || 0);
  const vmax = Math.max(1, ...sizes);
  const maxSize = Math.max(22, Math.min(70, spacing * 0.55, R * 0.5));
  // Room above the top node and below the bottom one for the node's half and its name.
  ry = Math.max(50, Math.min(ry, h / 2 - maxSize / 2 - RING_FONT * 2 - 6));
  const pos = new Map();
  ids.forEach((id, i) => {
    const a = -Math.PI / 2 + 2 * Math.PI * i / Math.max(n, 1);
    pos.set(id, { x: w / 2 + rx * Math.cos(a), y: h / 2 + ry * Math.sin(a), a });
  });
  if (centre) pos.set(centre, { x: w / 2, y: h / 2, a: null });
  cy.batch(() => {
    for (const [id, p] of pos) {
      const node = cy.getElementById(id);
      const v = Number(node.data('size_usd')) || 0;
      node.data('_size', 16 + (maxSize - 16) * Math.sqrt(v / vmax));
      node.data('_fs', RING_FONT);
      node.data('_tw', narrow ? 90 : 130);
      node.position({ x: p.x, y: p.y });
      node.removeClass('lbl-r lbl-l lbl-t lbl-b');
      if (p.a == null) node.addClass('lbl-b');
      else {
        const c = Math.cos(p.a), s = Math.sin(p.a);
        node.addClass(narrow ? (s < -0.05 ? 'lbl-t' : 'lbl-b') : c > 0.35 ? 'lbl-r' : c < -0.35 ? 'lbl-l' : s < 0 ? 'lbl-t' : 'lbl-b');
      }
    }
  });
  cy.viewport({ zoom: 1, pan: { x: 0, y: 0 } });
}

let measureCtx = null;
function textWidth(text, px) {
  if (!measureCtx) measureCtx = document.createElement('canvas').getContext('2d');
  measureCtx.font = `600 ${px}px ${FONT_FAMILY}`;
  return measureCtx.measureText(text).width;
}

const overlap = (a, b) => Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1)) * Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));

/** Point at t along an edge's drawn curve (straight, or Cytoscape's quadratic bezier), model coordinates. */
function along(e, t) {
  const s = e.sourceEndpoint(), q = e.targetEndpoint();
  const cps = e.controlPoints && e.controlPoints();
  if (cps && cps.length === 1) {
    const c = cps[0], u = 1 - t;
    return { x: u * u * s.x + 2 * u * t * c.x + t * t * q.x, y: u * u * s.y + 2 * u * t * c.y + t * t * q.y };
  }
  return { x: s.x + (q.x - s.x) * t, y: s.y + (q.y - s.y) * t };
}

// A label's box as Cytoscape draws it: the text, its background padding and line spacing (measured in Chromium).
const PAD_X = 5, PAD_Y = 6, GAP = 1.5;
// Where along its arrow a label may sit, nearest the middle first; and how far beside the arrow (in label heights).
const STEPS = [0.5, 0.44, 0.56, 0.38, 0.62, 0.32, 0.68, 0.26, 0.74, 0.2, 0.8, 0.15, 0.85];
const SIDES = [0, 1, -1, 2, -2];

/** Place every shown amount label where it overlaps nothing: labels of larger amounts first.
 * With `hide`, a label with no free spot is hidden (it shows on hover, in the card and when highlighted). */
export function placeLabels({ hide }) {
  cy.remove('node.amt');
  cy.edges().removeClass('placed amt-off');
  if (!S.showLabels) return;
  const edges = cy.edges().filter((e) => !e.hasClass('hidden') && !e.hasClass('faded') && e.data('label'));
  const zoom = cy.zoom();
  const narrow = cy.width() < 600;
  const px = narrow ? AMOUNT_FONT - 1 : AMOUNT_FONT;
  const fs = px / zoom;
  const boxes = [];
  companies().filter((n) => !n.hasClass('hidden')).forEach((n) => {
    const bb = n.boundingBox({ includeLabels: true, includeOverlays: false });
    boxes.push({ x1: bb.x1, y1: bb.y1, x2: bb.x2, y2: bb.y2 });
  });
  const order = edges.sort((a, b) => (Number(b.data('amount')) || 0) - (Number(a.data('amount')) || 0));
  const add = [];
  cy.batch(() => {
    order.forEach((e) => {
      // On a phone a bundle says "$40B ×3" rather than "$40B · 3 deals".
      const text = narrow && e.data('count') > 1 ? `${fmtUSD(e.data('amount'))} ×${e.data('count')}` : e.data('label');
      const w = (textWidth(text, px) + 2 * PAD_X) / zoom, h = (px + 2 * PAD_Y) / zoom;
      let best = null, bestCost = Infinity;
      search: for (const t of STEPS) {
        const p0 = along(e, t), p1 = along(e, Math.min(1, t + 0.01));
        const len = Math.hypot(p1.x - p0.x, p1.y - p0.y) || 1;
        const nx = -(p1.y - p0.y) / len, ny = (p1.x - p0.x) / len;
        for (const k of SIDES) {
          const p = { x: p0.x + nx * k * h, y: p0.y + ny * k * h };
          const box = { x1: p.x - w / 2 - GAP, y1: p.y - h / 2 - GAP, x2: p.x + w / 2 + GAP, y2: p.y + h / 2 + GAP };
          const cost = boxes.reduce((sum, b) => sum + overlap(box, b), 0) + Math.abs(k) * 0.25;
          if (cost < bestCost) { best = { p, box, text }; bestCost = cost; }
          if (cost === 0) break search;
        }
      }
      const off = hide && bestCost > 0.5;
      e.toggleClass('amt-off', off);
      if (off) return;
      boxes.push(best.box);
      e.addClass('placed');
      add.push({ group: 'nodes', data: { id: 'amt:' + e.id(), _amt: best.text, _afs: fs, _edge: e.id(), _size: 1, _color: '#ffffff', _lbl: '', _fs: fs, _tw: 400 },
        position: { x: best.p.x, y: best.p.y }, classes: 'amt' + (e.hasClass('unpaid') ? ' unpaid' : '') });
    });
  });
  if (add.length) cy.add(add);
}

/** Leave every special view: back to the core ring (or all companies if that is the chosen view). */
let zoomTimer = null;
/** Keep amounts at their size on screen as the reader zooms: place them again when the zoom settles. */
export function watchZoom() {
  cy.on('zoom', () => {
    clearTimeout(zoomTimer);
    zoomTimer = setTimeout(() => { if (!S.user) placeLabels({ hide: document.body.dataset.view === 'all' || cy.width() < 600 }); }, 180);
  });
}

export function resetView() {
  S.focus = null; S.loop = null; S.custom = null;
  document.querySelectorAll('.loops li.active').forEach((li) => li.classList.remove('active'));
}

export function setViewAll(all) {
  resetView();
  S.view = all ? 'all' : 'core';
  updateViewButton();
  applyView();
}

export function updateViewButton() {
  const btn = $('v-toggle');
  if (!btn) return;
  const all = S.view === 'all' && !S.focus && S.loop == null && !S.custom;
  btn.textContent = all ? 'Show the circular core' : 'Show all companies';
  btn.setAttribute('aria-pressed', all ? 'true' : 'false');
}
