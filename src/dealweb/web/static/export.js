/* dealweb map · export.js: Export of the current view (PNG, SVG drawn from the geometry, JSON) and the map toolbar. */

import { cy, describeMap, edgeText, runLayout, setHighlight } from './map.js';
import { dealStyle, S } from './state.js';
import { placeLabels } from './view.js';
import { $, clear, fmtPct, fmtUSD, h, human } from './util.js';

// ------------------------------------------------------------------ export

export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** PNG at 2×: the publication SVG (title, legend, date, basis, source line) drawn onto a canvas. */
export async function exportPNG() {
  const svg = mapSVG();
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    await new Promise((ok, fail) => { img.onload = ok; img.onerror = () => fail(new Error('the map could not be drawn')); img.src = url; });
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth * 2; canvas.height = img.naturalHeight * 2;
    const ctx = canvas.getContext('2d');
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0);
    const blob = await new Promise((ok) => canvas.toBlob(ok, 'image/png'));
    download(blob, 'dealweb-map.png');
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function exportJSON() {
  const doc = cy.json();
  doc.elements.nodes = (doc.elements.nodes || []).filter((n) => !String(n.classes || '').split(' ').includes('amt'));
  const blob = new Blob([JSON.stringify(doc, null, 1)], { type: 'application/json' });
  download(blob, 'dealweb-map.cyjs.json');
}

/** An SVG of what is on screen, drawn from Cytoscape's rendered geometry (no third-party serializer). */
export function mapSVG() {
  const NS = 'http://www.w3.org/2000/svg';
  const W = cy.width(), H = cy.height(), z = cy.zoom(), pan = cy.pan();
  // Model to screen coordinates (renderedControlPoints() throws on straight edges).
  const toRendered = (q) => ({ x: q.x * z + pan.x, y: q.y * z + pan.y });
  const dash = { dashed: '6 4', dotted: '1.5 3' };
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null) e.setAttribute(k, String(v));
    if (text != null) e.textContent = String(text);
    return e;
  };
  const r2 = (x) => Math.round(x * 100) / 100;
  const TOP = 78, kinds = [...new Set(cy.edges(':visible').map((e) => e.data('kind')).filter(Boolean))];
  const BOTTOM = 58;
  const svg = el('svg', { xmlns: NS, width: W, height: H + TOP + BOTTOM, viewBox: `0 0 ${W} ${H + TOP + BOTTOM}`, 'font-family': 'sans-serif' });
  svg.append(el('title', null, 'Circular AI deals — dealweb'));
  svg.append(el('rect', { x: 0, y: 0, width: W, height: H + TOP + BOTTOM, fill: '#ffffff' }));
  // Title, the headline and its basis and date, above the map.
  const hd = (S.network && S.network.headline) || {};
  const head = el('g', { class: 'title' });
  head.append(el('text', { x: 12, y: 26, 'font-size': 20, 'font-weight': 700, fill: '#1b1b1b' }, 'Circular AI deals'));
  const line = hd.circularity_index != null
    ? `Circularity index ${fmtPct(hd.circularity_index)}: ${fmtUSD(hd.circular_volume)} of ${fmtUSD(hd.total)} in ${hd.deals} deals could be netted round loops.` : '';
  head.append(el('text', { x: 12, y: 48, 'font-size': 13, fill: '#1b1b1b' }, line));
  head.append(el('text', { x: 12, y: 66, 'font-size': 12, fill: '#555555' },
    `As of ${hd.as_of || (S.dateRange.last || '')} · amounts counted ${hd.basis_text || 'as announced'} · ${viewName()}`));
  svg.append(head);
  // Legend and source line below it.
  const foot = el('g', { class: 'legend', transform: `translate(0 ${H + TOP})` });
  let x = 12;
  for (const k of kinds) {
    const [color, dashName] = dealStyle(k);
    foot.append(el('line', { x1: x, y1: 14, x2: x + 22, y2: 14, stroke: color, 'stroke-width': 3, 'stroke-dasharray': dash[dashName] || null }));
    const label = human(k);
    foot.append(el('text', { x: x + 26, y: 18, 'font-size': 11, fill: '#333333' }, label));
    x += 34 + label.length * 6.2;
  }
  const sizes = (S.network && S.network.size_bases) || [];
  foot.append(el('text', { x: 12, y: 36, 'font-size': 11, fill: '#333333' },
    'Arrow: payer → recipient, total of its deals · circle area: ' + (sizes.map((b) => b.text).join('; ') || 'deal volume') + ' · dashed circle: no market cap or valuation'));
  foot.append(el('text', { x: 12, y: 52, 'font-size': 11, fill: '#555555' },
    `Source: dealweb ${(S.meta && S.meta.version) || ''}, from public reports of each deal (every deal carries its sources) · ${location.origin.startsWith('http') ? location.origin : 'offline report'}`));
  svg.append(foot);
  const map = el('g', { class: 'map', transform: `translate(0 ${TOP})` });
  const ge = el('g', { class: 'edges' }), gn = el('g', { class: 'nodes' }), gl = el('g', { class: 'labels' });
  cy.edges().forEach((e) => {
    if (!e.visible()) return;
    const s = e.renderedSourceEndpoint(), t = e.renderedTargetEndpoint();
    if (!s || !t) return;
    const cps = (e.controlPoints() || []).map(toRendered);
    let d = `M${r2(s.x)},${r2(s.y)}`;
    let last = s;
    if (!cps.length) d += ` L${r2(t.x)},${r2(t.y)}`;
    cps.forEach((cp, i) => {
      const end = i === cps.length - 1 ? t : { x: (cp.x + cps[i + 1].x) / 2, y: (cp.y + cps[i + 1].y) / 2 };
      d += ` Q${r2(cp.x)},${r2(cp.y)} ${r2(end.x)},${r2(end.y)}`;
      last = cp;
    });
    const color = e.style('line-color'), w = parseFloat(e.style('width')) * z, op = r2(e.effectiveOpacity());
    const title = el('title', null, edgeText(e.data()));
    const path = el('path', { d, fill: 'none', stroke: color, 'stroke-width': r2(w), opacity: op,
      'stroke-dasharray': dash[e.style('line-style')] ? dash[e.style('line-style')].split(' ').map((x) => r2(x * Math.max(1, w / 2))).join(' ') : null });
    path.append(title);
    ge.append(path);
    // Arrowhead at the target, along the last curve direction.
    const dx = t.x - last.x, dy = t.y - last.y, len = Math.hypot(dx, dy) || 1;
    const ux = dx / len, uy = dy / len, size = (5 + 1.6 * parseFloat(e.style('width'))) * z * 0.9;
    const bx = t.x - ux * size, by = t.y - uy * size;
    const pts = [[t.x, t.y], [bx - uy * size * 0.5, by + ux * size * 0.5], [bx + uy * size * 0.5, by - ux * size * 0.5]];
    ge.append(el('polygon', { points: pts.map((p) => `${r2(p[0])},${r2(p[1])}`).join(' '), fill: color, opacity: op }));
    if (S.showLabels && e.data('label') && !e.hasClass('placed') && !e.hasClass('amt-off') && 9 * z >= 7) {
      const m = e.renderedMidpoint();
      gl.append(el('text', { x: r2(m.x), y: r2(m.y), 'font-size': r2(9 * z), 'text-anchor': 'middle', 'dominant-baseline': 'middle',
        fill: '#222222', stroke: '#ffffff', 'stroke-width': r2(2.5 * z), 'paint-order': 'stroke', opacity: op }, e.data('label')));
    }
  });
  cy.nodes().forEach((n) => {
    if (!n.visible()) return;
    if (n.hasClass('amt')) {
      const p = n.renderedPosition(), fs = parseFloat(n.style('font-size')) * z;
      gl.append(el('text', { x: r2(p.x), y: r2(p.y), 'font-size': r2(fs), 'font-weight': 600, 'text-anchor': 'middle', 'dominant-baseline': 'middle',
        fill: '#1b1b1b', stroke: '#ffffff', 'stroke-width': r2(fs / 3), 'paint-order': 'stroke' }, n.data('_amt')));
      return;
    }
    const p = n.renderedPosition(), r = n.renderedWidth() / 2, op = r2(n.effectiveOpacity());
    const attrs = { fill: n.style('background-color'), stroke: n.style('border-color'),
      'stroke-width': r2(parseFloat(n.style('border-width')) * z), opacity: op };
    if (n.style('border-style') === 'dashed') attrs['stroke-dasharray'] = `${r2(4 * z)} ${r2(3 * z)}`;
    let shape;
    if (n.style('shape') === 'diamond') {
      shape = el('polygon', Object.assign({ points: [[p.x, p.y - r], [p.x + r, p.y], [p.x, p.y + r], [p.x - r, p.y]].map((q) => `${r2(q[0])},${r2(q[1])}`).join(' ') }, attrs));
    } else {
      shape = el('circle', Object.assign({ cx: r2(p.x), cy: r2(p.y), r: r2(r) }, attrs));
    }
    shape.append(el('title', null, n.data('label')));
    gn.append(shape);
    if (11 * z >= 6) {
      let label = String(n.data('label') || '');
      if (label.length > 40) label = label.slice(0, 39) + '…';
      // Where Cytoscape draws the name (beside the node on a ring, below it otherwise), at its size.
      const lb = n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
      const fs = parseFloat(n.style('font-size')) * z;
      const at = lb && lb.w > 0 && Number.isFinite(lb.x1) ? { x: (lb.x1 + lb.x2) / 2, y: (lb.y1 + lb.y2) / 2 + fs * 0.35 } : { x: p.x, y: p.y + r + 12 * z };
      gl.append(el('text', { x: r2(at.x), y: r2(at.y), 'font-size': r2(Math.max(fs, 11 * z)), 'font-weight': n.hasClass('ring') ? 600 : null, 'text-anchor': 'middle', fill: '#1b1b1b',
        stroke: '#ffffff', 'stroke-width': r2(3 * z), 'paint-order': 'stroke', opacity: op }, label));
    }
  });
  map.append(ge, gn, gl);
  svg.append(map);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
}

function viewName() {
  const v = document.body.dataset.view;
  if (v === 'core') return 'the circular core: companies on loops';
  if (v === 'focus') return `${S.names.get(S.focus) || S.focus} and its counterparties`;
  if (v === 'loop') return 'one loop of deals';
  return 'every company';
}

export function exportSVG() {
  download(new Blob([mapSVG()], { type: 'image/svg+xml' }), 'dealweb-map.svg');
}

// ------------------------------------------------------------------ toolbar

export function setupToolbar() {
  $('m-layout').addEventListener('change', () => runLayout($('m-layout').value));
  $('m-fit').addEventListener('click', () => cy.fit(cy.elements().not('.hidden'), 30));
  const zoomBy = (f) => cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  $('m-zoom-in').addEventListener('click', () => zoomBy(1.25));
  $('m-zoom-out').addEventListener('click', () => zoomBy(0.8));
  $('m-labels').addEventListener('change', () => {
    S.showLabels = $('m-labels').checked;
    cy.edges().toggleClass('nolabel', !S.showLabels);
    placeLabels({ hide: document.body.dataset.view === 'all' });
  });
  $('m-clear').addEventListener('click', () => { setHighlight(null); cy.$(':selected').unselect(); $('x-result').textContent = ''; describeMap(); });
  // The canvas is not reachable by keyboard otherwise: arrows pan, +/- zoom, 0 fits.
  $('cy').addEventListener('keydown', (e) => {
    const step = 60, pans = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (pans[e.key]) cy.panBy({ x: pans[e.key][0], y: pans[e.key][1] });
    else if (e.key === '+' || e.key === '=') zoomBy(1.25);
    else if (e.key === '-' || e.key === '_') zoomBy(0.8);
    else if (e.key === '0') cy.fit(cy.elements().not('.hidden'), 30);
    else return;
    e.preventDefault();
  });
  $('e-png').addEventListener('click', exportPNG);
  $('e-svg').addEventListener('click', exportSVG);
  $('e-json').addEventListener('click', exportJSON);
}
