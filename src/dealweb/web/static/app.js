/* dealweb map: one classic script (no modules, no build step) over the JSON API in /api.
 *
 * Sections: helpers and formatting · API access (or the offline report's embedded data) ·
 * the Cytoscape map (styles, scales, layouts) · filters and date playback · explore
 * (search, expand, common counterparties) · side cards · loops · stress · deals table ·
 * export (PNG, SVG, JSON) · start-up.
 *
 * Safety: nothing from the data is ever parsed as HTML. The DOM is built with
 * createElement/textContent, and only http(s) URLs become link targets.
 * Tests reach the map as window.dealwebMap (the Cytoscape core) and window.dealweb.
 */
(function () {
  'use strict';

  // ------------------------------------------------------------------ helpers and formatting

  const $ = (id) => document.getElementById(id);

  /** Build an element. attrs: class, text, on<event> handlers, dataset, plain attributes. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v == null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = String(v);
        else if (k === 'dataset') Object.assign(el.dataset, v);
        else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children.flat(Infinity)) {
      if (c == null || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

  /** A string the user (or the data) supplied, isolated for bidirectional text. */
  function bdi(text) { return h('bdi', { class: 'name', text: text == null ? '' : String(text) }); }

  /** Only http(s) URLs become links; anything else is returned as null. */
  function safeUrl(u) {
    if (typeof u !== 'string' || !u) return null;
    try {
      const url = new URL(u);
      return (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
    } catch (_) { return null; }
  }

  function extLink(url, text) {
    const href = safeUrl(url);
    const label = text || (href ? new URL(href).hostname : String(url || ''));
    if (!href) return h('span', { text: label });
    return h('a', { href, rel: 'noopener noreferrer', target: '_blank', text: label });
  }

  function fmtUSD(v) {
    if (v == null || v === '' || Number.isNaN(Number(v))) return 'undisclosed';
    const x = Number(v), a = Math.abs(x), sign = x < 0 ? '−' : '';
    const f = (n) => (n >= 100 ? Math.round(n).toString() : (Math.round(n * 10) / 10).toString());
    if (a >= 1e12) return sign + '$' + f(a / 1e12) + 'T';
    if (a >= 1e9) return sign + '$' + f(a / 1e9) + 'B';
    if (a >= 1e6) return sign + '$' + f(a / 1e6) + 'M';
    if (a >= 1e3) return sign + '$' + f(a / 1e3) + 'K';
    return sign + '$' + Math.round(a).toString();
  }
  function fmtPct(v, digits) {
    if (v == null || Number.isNaN(Number(v))) return '—';
    return (Number(v) * 100).toFixed(digits == null ? 1 : digits) + '%';
  }
  function fmtNum(v, digits) {
    if (v == null || Number.isNaN(Number(v))) return '—';
    return Number(v).toFixed(digits == null ? 2 : digits);
  }
  const human = (s) => (s == null ? '' : String(s).replace(/_/g, ' '));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  function debounce(fn, ms) {
    let t = null;
    return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  }

  // Dates as 'YYYY-MM-DD' strings; arithmetic in UTC days.
  const DAY = 86400000;
  const toDays = (s) => Math.floor(Date.parse(s + 'T00:00:00Z') / DAY);
  const fromDays = (d) => new Date(d * DAY).toISOString().slice(0, 10);
  function nextMonthEnd(s) {
    const d = new Date(s + 'T00:00:00Z');
    const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
    if (end.toISOString().slice(0, 10) > s) return end.toISOString().slice(0, 10);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 0)).toISOString().slice(0, 10);
  }
  /** Partial dates ('2025', '2025-03') sort as their first day. */
  function fullDate(s) {
    if (!s) return '';
    const t = String(s);
    if (/^\d{4}$/.test(t)) return t + '-01-01';
    if (/^\d{4}-\d{2}$/.test(t)) return t + '-01';
    return t.slice(0, 10);
  }

  // ------------------------------------------------------------------ state

  const DATA = (typeof window.DEALWEB_DATA === 'object' && window.DEALWEB_DATA) ? window.DEALWEB_DATA : null;
  const S = {
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
    expand: null,              // Set of visible node ids, or null for all
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

  class ApiError extends Error {
    constructor(message, detail) { super(message); this.detail = detail || null; }
  }

  function apiUrl(path, params) {
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

  async function api(path, params, init) {
    const res = await fetch(apiUrl(path, params), Object.assign({ headers: { Accept: 'application/json' } }, init || {}));
    let body = null;
    try { body = await res.json(); } catch (_) { body = null; }
    if (!res.ok) {
      const err = body && body.error;
      throw new ApiError(err && err.message ? err.message : `${res.status} ${res.statusText}`, err);
    }
    return body;
  }

  function showError(err) {
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
  const ENTITY_COLORS = {
    ai_lab: '#D55E00', cloud_provider: '#0072B2', neocloud: '#56B4E9', chipmaker: '#009E73',
    data_center: '#E69F00', investor: '#CC79A7', bank: '#F0E442', government: '#000000', other: '#999999',
  };
  const ENTITY_ORDER = ['ai_lab', 'cloud_provider', 'neocloud', 'chipmaker', 'data_center', 'investor', 'bank', 'government', 'other'];
  // Deal kinds: Paul Tol's "muted" colour-blind-safe palette, with dashes as a second cue.
  const DEAL_STYLES = {
    equity_investment: ['#332288', 'solid'], compute_commitment: ['#CC6677', 'solid'], chip_purchase: ['#117733', 'solid'],
    debt: ['#882255', 'dashed'], jv: ['#88CCEE', 'solid'], lease: ['#999933', 'dashed'], backstop: ['#AA4499', 'dotted'],
    acquisition: ['#44AA99', 'solid'], warrant: ['#332288', 'dotted'], revenue_share: ['#DDCC77', 'dashed'],
    licensing: ['#44AA99', 'dotted'],
  };
  const entityColor = (k) => ENTITY_COLORS[k] || '#BBBBBB';
  const dealStyle = (k) => DEAL_STYLES[k] || ['#777777', 'solid'];

  // Stress: Tol's sequential YlOrBr scale for loss / buffer; grey where the buffer is unknown.
  const LOSS_STOPS = ['#FFFFE5', '#FFF7BC', '#FEE391', '#FEC44F', '#FB9A29', '#EC7014', '#CC4C02', '#993404', '#662506'];
  const UNKNOWN_BUFFER = '#9E9E9E';
  function lossColor(rel) {
    const x = Math.max(0, Math.min(1, Number(rel))) * (LOSS_STOPS.length - 1);
    const i = Math.min(LOSS_STOPS.length - 2, Math.floor(x)), t = x - i;
    const a = hex(LOSS_STOPS[i]), b = hex(LOSS_STOPS[i + 1]);
    const mix = a.map((v, j) => Math.round(v + (b[j] - v) * t));
    return '#' + mix.map((v) => v.toString(16).padStart(2, '0')).join('');
  }
  function hex(s) { return [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16)); }

  const CONF_RANK = { low: 0, medium: 1, high: 2 };

  /** The deal behind an edge: element ids are "deal:<id>" when a deal id equals an entity id. */
  const dealIdOf = (edge) => edge.data('deal_id') || edge.id();

  // ------------------------------------------------------------------ the map

  const STYLE = [
    { selector: 'node', style: {
      width: 'data(_size)', height: 'data(_size)', 'background-color': 'data(_color)',
      label: 'data(_lbl)', 'font-size': 'data(_fs)', color: '#1b1b1b', 'text-valign': 'bottom', 'text-margin-y': 3,
      'text-wrap': 'ellipsis', 'text-max-width': '200px', 'text-outline-color': '#ffffff', 'text-outline-width': 2,
      'border-width': 1, 'border-color': '#333333', 'min-zoomed-font-size': 7,
    } },
    { selector: 'node.noval', style: { 'border-style': 'dashed', 'border-width': 1.5 } },
    { selector: 'node.isolated', style: { opacity: 0.35 } },
    { selector: 'edge', style: {
      'curve-style': 'bezier', 'control-point-step-size': 36, width: 'data(_width)',
      'line-color': 'data(_color)', 'target-arrow-color': 'data(_color)', 'target-arrow-shape': 'triangle',
      'line-style': 'data(_style)', 'arrow-scale': 0.9, opacity: 0.8,
      label: 'data(label)', 'font-size': 9, color: '#222222', 'text-rotation': 'autorotate',
      'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': 1,
      'min-zoomed-font-size': 7,
    } },
    { selector: 'edge.nolabel', style: { label: '' } },
    // (LARGE_STYLE goes here for big webs; the state styles below override both.)
    { selector: 'node.stressed', style: { 'background-color': 'data(_scolor)' } },
    { selector: 'node.shocked', style: { shape: 'diamond' } },
    { selector: 'node.failed', style: { 'border-width': 6, 'border-color': '#000000', 'border-style': 'double' } },
    { selector: 'node.match', style: { 'border-width': 4, 'border-color': '#E05D00' } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#0B5CAD', 'border-style': 'solid' } },
    { selector: 'edge:selected', style: { opacity: 1, 'underlay-color': '#0B5CAD', 'underlay-opacity': 0.35, 'underlay-padding': 4 } },
    { selector: 'node.highlight', style: { 'border-width': 4, 'border-color': '#000000', opacity: 1, 'z-index': 20, 'font-size': 20, 'min-zoomed-font-size': 0 } },
    { selector: 'edge.highlight', style: { opacity: 1, 'z-index': 20, 'underlay-color': '#000000', 'underlay-opacity': 0.18, 'underlay-padding': 3,
      'font-size': 22, 'min-zoomed-font-size': 0 } },
    { selector: '.faded', style: { opacity: 0.1, 'text-opacity': 0.25 } },
    { selector: '.hidden', style: { display: 'none' } },
  ];

  // A web with thousands of elements: straight (haystack) edges without arrows or labels, no
  // node outlines, labels only on the largest companies (the rest on hover), edges hidden and
  // the rest drawn from a cached texture while the view moves (initMap), so panning and zooming
  // stay interactive on a canvas without a GPU. Semi-transparent and dashed lines are the
  // slowest things a canvas draws: solid, opaque lines only at this size.
  const LARGE = 2500;
  const LARGE_STYLE = [
    { selector: 'edge', style: { 'curve-style': 'haystack', 'haystack-radius': 0, 'target-arrow-shape': 'none', 'line-style': 'solid',
      label: '', opacity: 1 } },
    { selector: 'node, node.noval', style: { 'border-width': 0, 'text-outline-width': 1 } },
    { selector: 'edge:selected, edge.highlight', style: { 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', label: 'data(label)' } },
  ];
  function styleFor(large) {
    const at = STYLE.findIndex((x) => x.selector === 'edge.nolabel') + 1;
    return large ? STYLE.slice(0, at).concat(LARGE_STYLE, STYLE.slice(at)) : STYLE;
  }
  const isLarge = (resp) => {
    const els = (resp && resp.elements) || {};
    return ((els.nodes || []).length + (els.edges || []).length) > LARGE;
  };

  let cy = null;

  /** Switch between the normal and the large-web renderer (its viewport options are fixed
   * when it is created, so the map is made anew with no elements). */
  function setLarge(large) {
    if (!!large === S.large) return;
    const view = cy.elements().length ? null : { zoom: cy.zoom(), pan: cy.pan() };
    cy.destroy();
    initMap(large);
    if (view) cy.viewport(view);
  }

  function initMap(large) {
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
      if ($('x-expand').checked) expandFrom(id);
      openEntity(id);
    });
    cy.on('tap', 'edge', (e) => (S.user ? openUserEdge(e.target) : openDeal(dealIdOf(e.target))));
  }

  function edgeText(d) {
    if (S.user) return `${d.id}: ${S.names.get(d.source) || d.source} → ${S.names.get(d.target) || d.target} · ${fmtUSD(d.amount)}`;
    const q = d.qualifier && d.qualifier !== 'exact' ? ` (${human(d.qualifier)})` : '';
    return `${d.deal_id || d.id}: ${S.names.get(d.source) || d.source} → ${S.names.get(d.target) || d.target} · ${human(d.kind)} · ${fmtUSD(d.amount)}${q} · ${human(d.status)}`;
  }

  /** Size nodes by valuation (sqrt scale) and edges by amount (log scale) over what is drawn. */
  function styleData(nodes, edges) {
    const vals = nodes.map((n) => n.data.valuation_usd).filter((v) => v != null && v > 0);
    const vmax = vals.length ? Math.max(...vals) : 1;
    // Level of detail: the companies with the most money through them get larger labels,
    // which stay readable when the whole web is in view; the rest appear on zooming in.
    const flow = (n) => (Number(n.data.inflow) || 0) + (Number(n.data.outflow) || 0);
    const big = new Set(nodes.slice().sort((a, b) => flow(b) - flow(a)).slice(0, 16).filter((n) => flow(n) > 0).map((n) => n.data.id));
    for (const n of nodes) {
      const v = n.data.valuation_usd;
      n.data._size = v != null && v > 0 ? 14 + 50 * Math.sqrt(v / vmax) : 20;
      n.data._fs = big.has(n.data.id) ? 22 : 12;
      n.data._lbl = !S.large || big.has(n.data.id) ? (n.data.label == null ? n.data.id : n.data.label) : '';
      n.data._color = entityColor(n.data.kind);
      if (n.data.label == null) n.data.label = n.data.id;
      n.classes = v != null && v > 0 ? '' : 'noval';
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
    }
  }

  /** Replace what is drawn; keep node positions when the node set is unchanged. */
  function drawNetwork(resp) {
    const els = resp.elements || { nodes: [], edges: [] };
    const nodes = (els.nodes || []).map((n) => ({ group: 'nodes', data: Object.assign({}, n.data) }));
    let edges = (els.edges || []).map((e) => ({ group: 'edges', data: Object.assign({}, e.data) }));
    if (!S.filters.kinds.length || !S.filters.statuses.length) edges = [];
    setLarge(isLarge(resp));
    styleData(nodes, edges);
    for (const n of nodes) S.names.set(n.data.id, n.data.label);
    const before = new Set(cy.nodes().map((n) => n.id()));
    const after = new Set(nodes.map((n) => n.data.id));
    const sameNodes = before.size === after.size && [...after].every((id) => before.has(id));
    const keep = new Map(sameNodes ? cy.nodes().map((n) => [n.id(), n.position()]) : []);
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
    applyVisibility();
    applyHighlight();
    if (S.stress) applyStress();
    if (!sameNodes) runLayout(S.layout);
    S.network = resp;
    S.mapVersion += 1;
    document.body.dataset.mapVersion = String(S.mapVersion);
    describeMap();
  }

  function describeMap() {
    if (S.user) { describeUser(); return; }
    const n = cy.nodes().length, e = cy.edges().length;
    const active = cy.nodes().filter((x) => x.degree(false) > 0).length;
    const gross = cy.edges().reduce((s, x) => s + (Number(x.data('amount')) || 0), 0);
    const resp = S.network || {};
    const undisclosed = Array.isArray(resp.undisclosed) ? resp.undisclosed.length : 0;
    const parts = [`Drawn: ${n} companies (${active} with deals), ${e} deals, ${fmtUSD(gross)} in all`];
    if (S.filters.asOf) parts.push(`as of ${S.filters.asOf}`);
    if (undisclosed) parts.push(`${undisclosed} deals with undisclosed amounts not drawn`);
    if (S.expand) parts.push(`showing ${S.expand.size} companies (expand mode)`);
    $('map-status').textContent = parts.join(' · ') + '.';
    $('cy').setAttribute('aria-label', `Map of the deal web: ${n} companies and ${e} deals. Use the tables and search for the same data.`);
  }

  function layoutOptions(name) {
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
    const n = cy.nodes().not('.hidden').length;
    return Object.assign(base, {
      name: 'circle', startAngle: -Math.PI / 2, avoidOverlap: false, radius: Math.max(160, n * 7.5),
      // By kind, then by name: the large companies of a kind spread round its arc.
      sort: (a, b) => rank(a) - rank(b) || String(a.data('label')).localeCompare(String(b.data('label'))),
    });
  }

  function runLayout(name) {
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
  function showEles(eles) {
    if (!eles || eles.empty()) return;
    const bb = eles.boundingBox();
    const zoom = Math.max(cy.minZoom(), Math.min(1.4, cy.width() / (bb.w + 120), cy.height() / (bb.h + 120)));
    cy.stop();
    cy.animate({ zoom, center: { eles } }, { duration: 250 });
  }

  function applyHighlight() {
    cy.batch(() => {
      cy.elements().removeClass('highlight faded');
      const hl = S.highlight;
      if (!hl) return;
      const on = cy.elements().filter((x) => (x.isNode() ? hl.nodes.has(x.id()) : hl.edges.has(dealIdOf(x))));
      on.addClass('highlight');
      cy.elements().not(on).addClass('faded');
    });
  }

  function setHighlight(nodes, edges) {
    S.highlight = nodes ? { nodes: new Set(nodes), edges: new Set(edges || []) } : null;
    applyHighlight();
    if (!nodes) document.querySelectorAll('.loops li.active').forEach((li) => li.classList.remove('active'));
  }

  function applyVisibility() {
    cy.batch(() => {
      cy.elements().removeClass('hidden');
      if (!S.expand) return;
      cy.nodes().forEach((n) => { if (!S.expand.has(n.id())) n.addClass('hidden'); });
      cy.edges().forEach((e) => { if (!S.expand.has(e.source().id()) || !S.expand.has(e.target().id())) e.addClass('hidden'); });
    });
  }

  // ------------------------------------------------------------------ filters and date playback

  function filterParams(withAmount) {
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
  function offlineNetwork() {
    const f = S.filters, src = DATA.network;
    const edges = (src.elements.edges || []).filter((e) => {
      const d = e.data;
      if (f.asOf && fullDate(d.announced) > f.asOf) return false;
      if (!f.kinds.includes(d.kind) || !f.statuses.includes(d.status)) return false;
      if (f.minConfidence && (CONF_RANK[d.confidence] ?? 0) < (CONF_RANK[f.minConfidence] ?? 0)) return false;
      if (f.minAmount > 0 && !(Number(d.amount) >= f.minAmount)) return false;
      return true;
    });
    return Object.assign({}, src, { elements: { nodes: src.elements.nodes, edges } });
  }

  async function reloadNetwork(opts) {
    const quick = opts && opts.quick;
    const seq = ++S.seq;
    document.body.dataset.busy = '1';
    try {
      const resp = S.offline ? offlineNetwork() : await api('network', filterParams(true));
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
  const reloadSoon = debounce(() => reloadNetwork(), 200);

  function readFilters() {
    const f = S.filters;
    f.kinds = [...document.querySelectorAll('#f-kinds input:checked')].map((x) => x.value);
    f.statuses = [...document.querySelectorAll('#f-status input:checked')].map((x) => x.value);
    f.minConfidence = $('f-conf').value;
    const bn = parseFloat($('f-min').value);
    f.minAmount = Number.isFinite(bn) && bn > 0 ? bn * 1e9 : 0;
    f.policy = $('f-policy').value;
  }

  function setDate(s, fromRange) {
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

  function setupFilters(meta, net) {
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
    });
    $('f-date').addEventListener('change', () => { if ($('f-date').value) { setDate($('f-date').value); reloadNetwork(); } });
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

  function setChecks(sel, pred) {
    document.querySelectorAll(sel + ' input[type=checkbox]').forEach((x) => { if (!x.disabled) x.checked = !!pred(x.value); });
  }

  async function togglePlay() {
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

  function sortedEntities() {
    return [...S.names.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }

  function fillEntityLists() {
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

  function findEntity(q) {
    const s = q.trim().toLowerCase();
    if (!s) return null;
    const ents = sortedEntities();
    const exact = ents.find(([id, name]) => name.toLowerCase() === s || id.toLowerCase() === s);
    if (exact) return exact[0];
    const part = ents.find(([id, name]) => name.toLowerCase().includes(s) || id.toLowerCase().includes(s));
    return part ? part[0] : null;
  }

  function focusNode(id) {
    const node = cy.getElementById(id);
    if (node.empty()) return;
    if (node.hasClass('hidden')) { S.expand = null; applyVisibility(); describeMap(); }
    cy.$(':selected').unselect();
    node.select();
    cy.stop();
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 0.9) }, { duration: 250 });
  }

  function setupExplore() {
    $('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const id = findEntity($('f-search').value);
      if (!id) { $('map-status').textContent = 'No company matches that search.'; return; }
      focusNode(id);
      openEntity(id);
    });
    $('x-showall').addEventListener('click', () => { S.expand = null; applyVisibility(); describeMap(); runLayout(S.layout); });
    $('x-expand').addEventListener('change', () => {
      if ($('x-expand').checked) {
        const sel = cy.nodes(':selected');
        if (sel.nonempty()) expandFrom(sel[0].id());
        else $('map-status').textContent = 'Expand mode: click a company to start from it.';
      }
    });
    $('common-form').addEventListener('submit', (e) => { e.preventDefault(); showCommon($('x-a').value, $('x-b').value); });
  }

  function expandFrom(id) {
    const node = cy.getElementById(id);
    if (node.empty()) return;
    const add = node.closedNeighborhood().nodes().map((n) => n.id());
    const fresh = !S.expand;
    if (fresh) S.expand = new Set();
    add.forEach((x) => S.expand.add(x));
    applyVisibility();
    describeMap();
    const shown = cy.elements().not('.hidden');
    if (fresh) {
      shown.layout(Object.assign(layoutOptions('concentric'), {
        concentric: (n) => (n.id() === id ? 2 : 1), levelWidth: () => 1, sort: undefined,
      })).run();
    } else {
      showEles(shown);
    }
  }

  function showCommon(a, b) {
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

  // ------------------------------------------------------------------ side panel: tabs and cards

  const TABS = ['card', 'loops', 'stress'];
  function selectTab(name, focus) {
    for (const t of TABS) {
      const on = t === name;
      const tab = $('tab-' + t);
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      $('pane-' + t).hidden = !on;
    }
    if (focus) $('tab-' + name).focus();
  }
  function setupTabs() {
    for (const t of TABS) $('tab-' + t).addEventListener('click', () => selectTab(t));
    document.querySelector('[role=tablist]').addEventListener('keydown', (e) => {
      const cur = TABS.findIndex((t) => $('tab-' + t).getAttribute('aria-selected') === 'true');
      let next = null;
      if (e.key === 'ArrowRight') next = (cur + 1) % TABS.length;
      else if (e.key === 'ArrowLeft') next = (cur + TABS.length - 1) % TABS.length;
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = TABS.length - 1;
      if (next != null) { e.preventDefault(); selectTab(TABS[next], true); }
    });
  }

  const entityButton = (id) => h('button', { type: 'button', class: 'linkish', onclick: () => { focusNode(id); openEntity(id); } },
    bdi(S.names.get(id) || id));
  const dealButton = (id) => h('button', { type: 'button', class: 'linkish', onclick: () => openDeal(id) }, String(id));

  function sourceList(sources) {
    const items = (sources || []).map((s) => {
      if (typeof s === 'string') return h('li', null, extLink(s));
      const label = [s.outlet, s.title].filter(Boolean).join(': ') || null;
      return h('li', null, extLink(s.url, label), s.date ? ` (${s.date})` : '');
    });
    return items.length ? h('ul', { class: 'sources' }, items) : h('p', { class: 'help', text: 'No source recorded.' });
  }

  function dl(pairs) {
    const el = h('dl');
    for (const [k, v] of pairs) {
      if (v == null || v === '' || (Array.isArray(v) && !v.length)) continue;
      el.append(h('dt', { text: k }), h('dd', null, v));
    }
    return el;
  }

  function amountText(d) {
    const amt = d.amount_usd != null ? d.amount_usd : d.amount;
    let s = fmtUSD(amt);
    if (d.qualifier && d.qualifier !== 'exact' && d.qualifier !== 'undisclosed') s += ` (${human(d.qualifier)})`;
    return s;
  }

  function showCard(node) {
    selectTab('card');
    const card = clear($('card'));
    card.append(node);
  }

  const cardCache = new Map();
  async function getEntity(id) {
    if (S.offline) {
      const e = DATA.entities && DATA.entities[id];
      if (!e) throw new ApiError('This company’s card is not in the offline report.');
      return e;
    }
    if (!cardCache.has('e:' + id)) cardCache.set('e:' + id, await api('entities/' + encodeURIComponent(id)));
    const card = cardCache.get('e:' + id);
    // The card's measures are for the default web; under other filters ask for them again.
    const p = filterParams(false);
    if (!Object.keys(p).length) return card;
    const key = 'r:' + id + ':' + JSON.stringify(p);
    if (!cardCache.has(key)) {
      cardCache.set(key, await api('company-risk/' + encodeURIComponent(id), p).catch(() => null));
    }
    return Object.assign({}, card, { risk: cardCache.get(key), filtered: true });
  }

  async function openEntity(id) {
    const card = h('div');
    showCard(h('p', { class: 'help', text: 'Loading…' }));
    let data;
    try { data = await getEntity(id); } catch (err) { showCard(h('p', { class: 'error', text: err.message })); return; }
    const ent = data.entity || (data.profile && data.profile.entity) || { id };
    const prof = data.profile || {};
    const risk = data.risk || null;
    const name = ent.name || S.names.get(id) || id;
    const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
    dot.style.background = entityColor(ent.kind);
    card.append(h('h3', null, dot, ' ', bdi(name), h('span', { class: 'tag', text: human(ent.kind) })));
    const val = ent.valuation_usd != null ? { value: ent.valuation_usd, as_of: 'latest' } : latestFigure(prof.financials, 'valuation');
    card.append(dl([
      ['ID', String(ent.id || id)],
      ['Country', ent.country || null],
      ['Listed', ent.listed ? (ent.ticker ? `yes (${ent.ticker})` : 'yes') : 'no'],
      ['Also known as', (ent.aliases || []).length ? bdi(ent.aliases.join(', ')) : null],
      ['Part of', ent.parent ? entityButton(ent.parent) : null],
      ['Valuation', val ? `${fmtUSD(val.value)} (${val.as_of})` : 'unknown'],
    ]));
    if (ent.notes) card.append(h('p', null, bdi(ent.notes)));
    card.append(h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => focusNode(id) }, 'Show on map'),
      h('button', { type: 'button', onclick: () => { $('x-expand').checked = true; S.expand = null; expandFrom(id); } }, 'Expand neighbours'),
      h('button', { type: 'button', onclick: () => { $('x-a').value = id; } }, 'Set as A'),
      h('button', { type: 'button', onclick: () => { $('x-b').value = id; } }, 'Set as B'),
      h('button', { type: 'button', disabled: S.offline, title: S.offline ? 'not available in the offline report' : null,
        onclick: () => stressCompany(id) }, 'Stress: it fails'),
      h('button', { type: 'button', onclick: () => { $('d-entity').value = id; S.deals.offset = 0; loadDeals(); $('deals').scrollIntoView(); } }, 'Its deals in the table'),
    ));

    card.append(h('h4', { text: 'Circularity' }));
    card.append(h('p', { class: 'help', text: data.filtered ? 'Under the current filters.' : (S.offline ? 'For the web as embedded in the report.' : 'For the whole web (default filters).') }));
    const rh = (risk && risk.headline) || {};
    const row = (risk && (risk.measures || (Array.isArray(risk.rows) && risk.rows[0]))) || {};
    const pick = (k) => (rh[k] !== undefined ? rh[k] : row[k]);
    if (risk) {
      card.append(dl([
        ['Money in', fmtUSD(pick('inflow'))],
        ['Money out', fmtUSD(pick('outflow'))],
        ['Circular share of inflow', fmtPct(pick('circular_share_of_inflow'))],
        ['Loops through it', pick('cycles') != null ? String(pick('cycles')) : null],
        ['Round trips', pick('round_trips') != null ? String(pick('round_trips')) : null],
        ['Vendor-financed (direct)', fmtPct(pick('vendor_financed_direct'))],
        ['Vendor-financed (within k hops)', fmtPct(pick('vendor_financed_k'))],
        ['Commitments a year', pick('commitments_annual') != null ? fmtUSD(pick('commitments_annual')) : null],
        ['Commitments / revenue', pick('commitments_to_revenue') != null ? fmtNum(pick('commitments_to_revenue'), 2) + '×' : null],
        ['Money hierarchy (potential)', pick('potential') != null ? fmtUSD(pick('potential')) : null],
        ['Figures missing', pick('missing') || null],
      ]));
      card.append(h('h4', { text: 'Concentration' }));
      card.append(dl([
        ['Top customer share', fmtPct(row.top_customer_share)],
        ['Customer HHI', fmtNum(row.customer_hhi, 2)],
        ['Top supplier share', fmtPct(row.top_supplier_share)],
        ['Supplier HHI', fmtNum(row.supplier_hhi, 2)],
      ]));
    } else {
      card.append(h('p', { class: 'help', text: 'No circularity measures for this company under the current filters.' }));
    }

    const fins = prof.financials || [];
    if (fins.length) {
      card.append(h('h4', { text: 'Financials' }));
      card.append(h('div', { class: 'tablewrap' }, h('table', { class: 'data' },
        h('thead', null, h('tr', null, ['Metric', 'As of', 'Value', 'Sources'].map((t) => h('th', { scope: 'col', text: t })))),
        h('tbody', null, fins.map((f) => h('tr', null,
          h('td', { text: human(f.metric) + (f.counterparty ? ` in ${S.names.get(f.counterparty) || f.counterparty}` : '') }),
          h('td', { text: f.as_of || '' }),
          h('td', { class: 'num', text: figureText(f) }),
          h('td', null, (f.sources || []).map((s, i) => [i ? ' ' : '', extLink(s.url || s, `[${i + 1}]`)]))))))));
    }
    for (const [title, list, other] of [['Deals out (it pays)', prof.deals_out, 'recipient'], ['Deals in (it receives)', prof.deals_in, 'payer']]) {
      const deals = list || [];
      card.append(h('h4', { text: `${title}: ${deals.length}` }));
      if (!deals.length) continue;
      card.append(h('ul', null, deals.map((d) => h('li', null,
        dealButton(d.id), ` ${d.announced || ''} · ${human(d.kind)} · `, other === 'recipient' ? 'to ' : 'from ',
        entityButton(d[other]), ` · ${amountText(d)} · ${human(d.status)}`,
        (d.sources || []).length ? [' · ', (d.sources || []).map((s, i) => [i ? ' ' : '', extLink(s.url || s, `source ${i + 1}`)])] : '',
      ))));
    }
    const cps = prof.counterparties || [];
    if (cps.length) {
      card.append(h('h4', { text: 'Counterparties' }));
      card.append(h('div', { class: 'tablewrap' }, h('table', { class: 'data' },
        h('thead', null, h('tr', null, ['Company', 'It paid', 'It received', 'Deals'].map((t, i) => h('th', { scope: 'col', class: i && i < 3 ? 'num' : null, text: t })))),
        h('tbody', null, cps.map((c) => h('tr', null,
          h('td', null, entityButton(c.entity)), h('td', { class: 'num', text: fmtUSD(c.paid_usd) }),
          h('td', { class: 'num', text: fmtUSD(c.received_usd) }), h('td', { class: 'num', text: String(c.deals) })))))));
    }
    showCard(card);
  }

  function latestFigure(fins, metric) {
    const xs = (fins || []).filter((f) => f.metric === metric && !f.counterparty && f.value != null);
    xs.sort((a, b) => String(a.as_of).localeCompare(String(b.as_of)));
    return xs.length ? xs[xs.length - 1] : null;
  }
  function figureText(f) {
    if (f.value == null) return 'undisclosed';
    if (/pct|percent|share/.test(String(f.metric))) return `${f.value}%`;
    return fmtUSD(f.value) + (f.qualifier && f.qualifier !== 'exact' ? ` (${human(f.qualifier)})` : '');
  }

  async function getDeal(id) {
    if (S.offline) {
      const all = offlineDeals();
      const deal = all.find((d) => d.id === id);
      if (!deal) throw new ApiError('This deal is not in the offline report.');
      return {
        deal, part_of: deal.part_of || null,
        parts: all.filter((d) => d.part_of === id).map((d) => d.id),
        supersedes: deal.supersedes || [],
        superseded_by: all.filter((d) => (d.supersedes || []).includes(id)).map((d) => d.id),
      };
    }
    if (!cardCache.has('d:' + id)) cardCache.set('d:' + id, await api('deals/' + encodeURIComponent(id)));
    return cardCache.get('d:' + id);
  }

  async function openDeal(id) {
    showCard(h('p', { class: 'help', text: 'Loading…' }));
    let data;
    try { data = await getDeal(id); } catch (err) { showCard(h('p', { class: 'error', text: err.message })); return; }
    const d = data.deal || {};
    if (data.payer_name && !S.names.has(d.payer)) S.names.set(d.payer, data.payer_name);
    if (data.recipient_name && !S.names.has(d.recipient)) S.names.set(d.recipient, data.recipient_name);
    const card = h('div');
    const [color, line] = dealStyle(d.kind);
    const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.borderTopColor = color; sw.style.borderTopStyle = line;
    card.append(h('h3', null, sw, ` Deal ${d.id} `, h('span', { class: 'tag', text: human(d.status) })));
    card.append(h('p', null, entityButton(d.payer), ' → ', entityButton(d.recipient)));
    const range = d.low_usd != null || d.high_usd != null ? `${fmtUSD(d.low_usd)} – ${fmtUSD(d.high_usd)}` : null;
    const ids = (xs) => (xs && xs.length ? xs.map((x, i) => [i ? ', ' : '', dealButton(x)]) : null);
    card.append(dl([
      ['Kind', human(d.kind)],
      ['Announced', d.announced || null],
      ['Amount', amountText(d)],
      ['Qualifier', human(d.qualifier)],
      ['Range', range],
      ['Counted on the map', d.counted_usd != null ? fmtUSD(d.counted_usd) : null],
      ['Original amount', d.amount_original != null ? `${d.amount_original} ${d.currency || ''}` : null],
      ['Stake', d.stake_pct != null ? `${d.stake_pct}%` : null],
      ['Horizon', d.horizon_years != null ? `${d.horizon_years} years` : null],
      ['Start', d.start || null],
      ['End', d.end || null],
      ['Status', human(d.status)],
      ['Confidence', human(d.confidence)],
      ['Part of', data.part_of ? dealButton(data.part_of) : null],
      ['Parts', ids(data.parts)],
      ['Supersedes', ids(data.supersedes)],
      ['Superseded by', ids(data.superseded_by)],
    ]));
    if (d.description) card.append(h('p', null, bdi(d.description)));
    card.append(h('h4', { text: 'Sources' }), sourceList(d.sources));
    const edge = cy.edges().filter((x) => dealIdOf(x) === d.id);
    card.append(h('div', { class: 'actions' },
      h('button', { type: 'button', disabled: edge.empty(), title: edge.empty() ? 'not drawn under the current filters' : null,
        onclick: () => { cy.$(':selected').unselect(); edge.select(); showEles(edge.connectedNodes()); } },
      'Show on map')));
    showCard(card);
  }

  // ------------------------------------------------------------------ loops

  const DEFINITION = 'Circularity index: the largest circulation that fits under the deal amounts (money that could be ' +
    'settled by netting round loops without anyone paying cash), divided by the gross volume of all deals drawn.';

  async function reloadLoops() {
    const p = filterParams(false);
    try {
      let cycles, trips, circ;
      if (S.offline) {
        cycles = DATA.cycles || {}; trips = DATA.round_trips || null; circ = DATA.circularity || {};
      } else {
        [cycles, trips, circ] = await Promise.all([
          api('cycles', Object.assign({ max_length: 6, limit: 50 }, p)),
          api('round-trips', p).catch(() => null),
          api('circularity', p).catch(() => null),
        ]);
      }
      renderLoops(cycles, trips, circ);
    } catch (err) {
      clear($('cycles')).append(h('li', { class: 'error', text: err.message }));
    }
  }

  function loopItem(label, detail, nodes, dealIds) {
    const li = h('li');
    const btn = h('button', { type: 'button', class: 'linkish', 'aria-pressed': 'false' }, label);
    btn.addEventListener('click', () => {
      const was = li.classList.contains('active');
      document.querySelectorAll('.loops li.active').forEach((x) => { x.classList.remove('active'); x.firstChild.setAttribute('aria-pressed', 'false'); });
      if (was) { setHighlight(null); return; }
      setHighlight(nodes, dealIds);
      li.classList.add('active');
      btn.setAttribute('aria-pressed', 'true');
      showEles(cy.elements('.highlight'));
      $('map-status').textContent = 'Highlighted: ' + btn.textContent + '. Clear highlight to see everything.';
    });
    li.append(btn, h('span', { class: 'help', text: ' ' + detail }));
    return li;
  }

  const pathLabel = (ids) => ids.map((x) => S.names.get(x) || x).join(' → ');

  function renderLoops(cycles, trips, circ) {
    const hb = clear($('circ-headline'));
    const hd = (circ && circ.headline) || (cycles && cycles.headline) || {};
    if (hd.circularity_index != null) {
      hb.append(h('div', null, h('span', { class: 'big', text: fmtPct(hd.circularity_index) }), ' circularity index'));
      hb.append(h('p', { class: 'help', text: (circ && (circ.definition || (circ.headline && circ.headline.definition))) || DEFINITION }));
      hb.append(dl([
        ['Circular volume', hd.circular_volume != null ? fmtUSD(hd.circular_volume) : null],
        ['Gross volume', hd.gross_volume != null ? fmtUSD(hd.gross_volume) : null],
        ['Loop share (Hodge)', hd.loop_share != null ? fmtPct(hd.loop_share) : null],
        ['Finn cycling index', hd.finn_cycling_index != null ? fmtPct(hd.finn_cycling_index) : null],
        ['Most upstream', Array.isArray(hd.most_upstream) ? hd.most_upstream.map((x, i) => [i ? ', ' : '', bdi(x)]) : null],
      ]));
    } else {
      hb.append(h('p', { class: 'help', text: DEFINITION }));
    }
    const list = (cycles && (cycles.cycles || cycles.items)) || [];
    S.cycles = list;
    const ol = clear($('cycles'));
    if (!list.length) ol.append(h('li', { class: 'help', text: 'No loops under the current filters.' }));
    list.forEach((c, i) => {
      let nodes = Array.isArray(c.nodes) ? c.nodes.slice() : String(c.path || '').split(' → ');
      if (nodes.length > 1 && nodes[0] === nodes[nodes.length - 1]) nodes = nodes.slice(0, -1);
      const deals = flatIds(c.deal_ids);
      const label = pathLabel(nodes.concat(nodes.length ? [nodes[0]] : []));
      const detail = `bottleneck ${fmtUSD(c.bottleneck)} · ${c.length || nodes.length} hops` +
        (c.first_date ? ` · ${c.first_date} to ${c.last_date || ''}` : '');
      const li = loopItem(label, detail, nodes, deals);
      li.dataset.kind = 'cycle'; li.dataset.index = String(i);
      ol.append(li);
    });
    const tl = clear($('roundtrips'));
    if (!trips) {
      tl.append(h('li', { class: 'help', text: S.offline ? 'Round trips are not available in the offline report.' : 'Round trips could not be loaded.' }));
      return;
    }
    const tlist = trips.round_trips || trips.items || [];
    S.trips = tlist;
    if (!tlist.length) tl.append(h('li', { class: 'help', text: 'No round trips under the current filters.' }));
    tlist.forEach((t, i) => {
      const nodes = Array.isArray(t.nodes) ? t.nodes : [t.funder, t.recipient].filter(Boolean);
      const deals = t.deal_ids ? flatIds(t.deal_ids) : flatIds([t.funding_ids, t.purchase_ids]);
      const label = nodes.length === 2 ? `${S.names.get(nodes[0]) || nodes[0]} ⇄ ${S.names.get(nodes[1]) || nodes[1]}` : pathLabel(nodes);
      const li = loopItem(label, `recycled ${fmtUSD(t.recycled)}` + (t.gap_days != null ? ` · ${t.gap_days} days apart` : ''), nodes, deals);
      li.dataset.kind = 'round-trip'; li.dataset.index = String(i);
      tl.append(li);
    });
  }

  function flatIds(x) {
    if (x == null) return [];
    if (Array.isArray(x)) return x.flatMap((y) => flatIds(y));
    return String(x).split(/\s*[|+]\s*/).filter(Boolean);
  }

  // ------------------------------------------------------------------ stress

  function setupStress(meta) {
    const sel = $('s-scenario');
    const scenarios = S.offline ? [DATA.stress && DATA.stress.scenario].filter(Boolean) : (meta.scenarios || []);
    for (const s of scenarios) sel.append(h('option', { value: s.name, text: s.title ? `${s.title} (${s.name})` : s.name }));
    const desc = () => {
      const s = scenarios.find((x) => x.name === sel.value);
      $('s-scenario-desc').textContent = s ? [s.description, s.model ? `Model: ${human(s.model)}.` : ''].filter(Boolean).join(' ') : '';
    };
    sel.addEventListener('change', desc);
    desc();
    for (const m of meta.models || []) {
      const name = typeof m === 'string' ? m : (m.name || m.id);
      $('s-model').append(h('option', { value: name, text: typeof m === 'string' ? human(m) : (m.title || human(name)) }));
    }
    document.querySelectorAll('input[name=s-mode]').forEach((r) => r.addEventListener('change', () => {
      const ent = document.querySelector('input[name=s-mode]:checked').value === 'entity';
      $('s-entity-box').hidden = !ent;
      $('s-scenario-box').hidden = ent;
    }));
    $('stress-form').addEventListener('submit', (e) => { e.preventDefault(); runStress(); });
    $('s-clear').addEventListener('click', clearStress);
    $('s-prev').addEventListener('click', () => stepRound(-1));
    $('s-next').addEventListener('click', () => stepRound(1));
    $('s-animate').addEventListener('click', animateRounds);
    if (S.offline) {
      document.querySelectorAll('input[name=s-mode], #s-entity-box input, #s-entity-box select').forEach((x) => { x.disabled = true; });
      $('s-run').textContent = 'Show the report’s stress test';
      $('stress-fields').append(h('p', { class: 'note', text: 'New stress runs are not available in the offline report; it holds one precomputed scenario.' }));
    }
  }

  function stressBody() {
    const mode = document.querySelector('input[name=s-mode]:checked').value;
    if (mode === 'scenario') return { scenario: $('s-scenario').value };
    const shock = document.querySelector('input[name=s-shock]:checked').value;
    const pays = shock === 'pays' ? Math.max(0, Math.min(100, Number($('s-pays').value) || 0)) / 100 : null;
    const body = { entity: $('s-entity').value, pays, horizon: $('s-horizon').value };
    if ($('s-model').value) body.model = $('s-model').value;
    return body;
  }

  function stressCompany(id) {
    selectTab('stress');
    document.querySelector('input[name=s-mode][value=entity]').checked = true;
    document.querySelector('input[name=s-mode][value=entity]').dispatchEvent(new Event('change'));
    document.querySelector('input[name=s-shock][value=fails]').checked = true;
    $('s-entity').value = id;
    runStress();
  }

  async function runStress() {
    const btn = $('s-run');
    let res;
    try {
      if (S.offline) {
        res = DATA.stress;
        if (!res) throw new ApiError('This report holds no stress test.');
      } else {
        const body = stressBody();
        if ('entity' in body && !body.entity) throw new ApiError('Choose a company to shock.');
        btn.disabled = true;
        btn.textContent = 'Running…';
        res = await api('stress', null, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
      }
      showError(null);
    } catch (err) {
      showError(err);
      return;
    } finally {
      if (!S.offline) { btn.disabled = false; btn.textContent = 'Run stress test'; }
    }
    S.stress = res;
    const nodes = stressNodes(res);
    const rounds = Array.isArray(res.rounds) ? res.rounds.map((r) => Number(r.round) || 0) : [];
    S.maxRound = Math.max(0, ...rounds, ...nodes.map((n) => (n.failed ? Number(n.failure_round) : 0)).filter((x) => Number.isFinite(x)));
    S.round = S.maxRound;
    applyStress();
    renderStress();
    document.body.dataset.stressVersion = String((Number(document.body.dataset.stressVersion) || 0) + 1);
  }

  /** Per-node results: the API's "nodes" list, else the loss rows. */
  function stressNodes(res) {
    if (Array.isArray(res.nodes)) return res.nodes;
    return (res.rows || []).map((r) => ({ id: r.id, loss: r.loss, relative_loss: r.relative_loss, failed: r.failed,
      failure_round: r.failure_round, status: r.status, via: r.via, shocked: r.shocked }));
  }

  /** Loss and relative loss of node i after the current round (the API's per-round state),
   * else the final ones (older results and the offline report's embedded run have no rounds). */
  function roundLoss(res, s, i) {
    const here = (Array.isArray(res.rounds) ? res.rounds : []).find((r) => Number(r.round) === S.round);
    if (!here || !Array.isArray(here.loss) || i < 0) return { loss: s.loss, rel: s.relative_loss };
    return { loss: here.loss[i], rel: here.relative_loss[i] };
  }

  function applyStress() {
    const res = S.stress;
    if (!res) return;
    const list = stressNodes(res);
    const byId = new Map(list.map((n, i) => [n.id, [n, Array.isArray(res.nodes) ? i : -1]]));
    const shocked = new Set((res.rows || []).filter((r) => r.shocked).map((r) => r.id));
    cy.batch(() => {
      cy.nodes().forEach((node) => {
        const [s, i] = byId.get(node.id()) || [null, -1];
        let color = lossColor(0);
        const now = s ? roundLoss(res, s, i) : null;
        if (s && Number(now.loss) > 0) color = now.rel == null ? UNKNOWN_BUFFER : lossColor(now.rel);
        else if (s && s.failed && Number(s.failure_round) <= S.round && now.rel != null) color = lossColor(now.rel);
        node.data('_scolor', color);
        node.addClass('stressed');
        const r = s ? Number(s.failure_round) : -1;
        node.toggleClass('failed', !!(s && s.failed && r >= 0 && r <= S.round));
        node.toggleClass('shocked', shocked.has(node.id()) || !!(s && (s.shocked || s.status === 'shocked')));
      });
    });
  }

  function clearStress() {
    S.stress = null;
    S.animating = false;
    cy.nodes().removeClass('stressed failed shocked');
    $('s-result').hidden = true;
    renderLegend();
  }

  function stepRound(delta) {
    if (!S.stress) return;
    S.round = Math.max(0, Math.min(S.maxRound, S.round + delta));
    applyStress();
    renderRound();
  }

  async function animateRounds() {
    const btn = $('s-animate');
    if (S.animating) { S.animating = false; return; }
    S.animating = true;
    btn.setAttribute('aria-pressed', 'true');
    btn.textContent = 'Stop';
    S.round = 0;
    applyStress(); renderRound();
    while (S.animating && S.round < S.maxRound) {
      await sleep(900);
      if (!S.animating) break;
      stepRound(1);
    }
    S.animating = false;
    btn.setAttribute('aria-pressed', 'false');
    btn.textContent = 'Animate';
  }

  function renderRound() {
    $('s-round').textContent = `Round ${S.round} of ${S.maxRound}`;
    $('s-prev').disabled = S.round <= 0;
    $('s-next').disabled = S.round >= S.maxRound;
    const res = S.stress;
    const rounds = Array.isArray(res.rounds) ? res.rounds : [];
    const now = stressNodes(res).filter((n) => n.failed && Number(n.failure_round) === S.round);
    const here = rounds.find((r) => Number(r.round) === S.round);
    // "rounds" lists failures the shock causes; companies short even without it are named apart.
    const ids = here && Array.isArray(here.failed) ? here.failed : now.filter((n) => !n.failed_before || n.shocked).map((n) => n.id);
    const before = now.filter((n) => n.failed_before && !n.shocked && !ids.includes(n.id)).map((n) => n.id);
    const names = (xs) => h('span', null, xs.map((id, i) => [i ? ', ' : '', bdi(S.names.get(id) || id)]));
    const p = clear($('s-round-text'));
    if (ids.length) p.append(`Round ${S.round}: `, names(ids), ids.length === 1 ? ' fails.' : ' fail.');
    else p.append(`Round ${S.round}: no new failures caused by the shock.`);
    if (before.length) p.append(' Short even without the shock: ', names(before), '.');
    const here2 = rounds.find((r) => Number(r.round) === S.round);
    p.append(here2 && Array.isArray(here2.loss)
      ? ' Colours show each company\'s losses so far; outlines, the failures up to this round.'
      : ' Outlines show failures up to this round; colours show the final losses.');
  }

  function renderStress() {
    const res = S.stress;
    $('s-result').hidden = false;
    renderRound();
    const hd = res.headline || {};
    const hb = clear($('s-headline'));
    hb.append(h('div', null, h('span', { class: 'big', text: fmtUSD(hd.total_loss) }), ' total loss'));
    hb.append(dl([
      ['Shock', hd.shock || null],
      ['Model', hd.model ? human(hd.model) : null],
      ['Horizon', hd.horizon_years != null ? `${hd.horizon_years} year${Number(hd.horizon_years) === 1 ? '' : 's'}` : null],
      ['New failures', hd.new_failures != null ? String(hd.new_failures) : null],
      ['Already short', hd.failed_before != null ? String(hd.failed_before) : null],
      ['Largest loser', hd.largest_loser ? bdi(S.names.get(hd.largest_loser) || hd.largest_loser) : null],
      ['Missing figures', hd.missing_figures != null ? String(hd.missing_figures) : null],
    ]));
    const story = clear($('s-story'));
    const lines = Array.isArray(res.story) ? res.story : (res.story ? [String(res.story)] : []);
    story.append(h('h4', { text: 'What happens' }), h('ol', null, lines.map((l) => h('li', null, bdi(l)))));
    const tb = clear(document.querySelector('#s-table tbody'));
    for (const r of res.rows || []) {
      const tr = h('tr', { class: r.failed ? 'failed' : null },
        h('td', null, entityButton(r.id)),
        h('td', { class: 'num', text: fmtUSD(r.loss) }),
        h('td', { class: 'num', text: r.relative_loss == null ? 'buffer unknown' : fmtPct(r.relative_loss, 0) }),
        h('td', { text: r.failed ? `yes, round ${r.failure_round}` + (r.failed_before ? ' (already short)' : '') : 'no' }),
        h('td', null, r.via ? bdi(S.names.get(r.via) || r.via) : (r.status || '')));
      tb.append(tr);
    }
    renderLegend();
  }

  // ------------------------------------------------------------------ legend

  function renderLegend() {
    const lg = clear($('legend'));
    if (S.stress) {
      lg.append(h('h3', { text: 'Stress colours: loss as a share of the company’s buffer' }));
      const scale = clear($('s-scale'));
      const bar = h('div', { class: 'bar', role: 'img', 'aria-label': 'Colour scale from no loss (pale yellow) to the whole buffer lost (dark brown)' });
      bar.style.background = `linear-gradient(to right, ${LOSS_STOPS.join(', ')})`;
      scale.append(bar, h('div', { class: 'ends' }, h('span', { text: 'no loss' }), h('span', { text: '50%' }), h('span', { text: '100% of buffer' })));
      const unk = h('span', { class: 'dot', 'aria-hidden': 'true' }); unk.style.background = UNKNOWN_BUFFER;
      scale.append(h('p', null, unk, ' loss, buffer unknown · double black outline: failed · diamond: shocked'));
      lg.append(h('span', { class: 'item' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), 'pale → dark brown: 0 → 100% of buffer lost'));
      const u2 = h('span', { class: 'dot', 'aria-hidden': 'true' }); u2.style.background = UNKNOWN_BUFFER;
      lg.append(h('span', { class: 'item' }, u2, 'loss, buffer unknown'));
      lg.append(h('span', { class: 'item', text: 'double outline: failed · diamond: shocked' }));
    } else if (S.user) {
      lg.append(h('h3', { text: 'Your network: node size by money through it (square root); edge width by amount (log scale); arrow from source to target' }));
      return;
    } else {
      lg.append(h('h3', { text: 'Companies (colour by kind; size by valuation, dashed outline when unknown)' }));
      const present = new Set(cy ? cy.nodes().map((n) => n.data('kind')) : []);
      for (const k of ENTITY_ORDER.filter((x) => present.has(x)).concat([...present].filter((x) => !ENTITY_ORDER.includes(x)))) {
        const d = h('span', { class: 'dot', 'aria-hidden': 'true' }); d.style.background = entityColor(k);
        lg.append(h('span', { class: 'item' }, d, human(k)));
      }
    }
    lg.append(h('h3', { text: 'Deals (colour and dash by kind; width by amount, log scale; arrow from payer to recipient)' }));
    const kinds = new Set(cy ? cy.edges().map((e) => e.data('kind')) : []);
    for (const k of Object.keys(DEAL_STYLES).filter((x) => kinds.has(x))) {
      const [color, line] = dealStyle(k);
      const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.borderTopColor = color; sw.style.borderTopStyle = line;
      lg.append(h('span', { class: 'item' }, sw, human(k)));
    }
  }

  // ------------------------------------------------------------------ deals table

  function offlineDeals() {
    const d = DATA.deals;
    return Array.isArray(d) ? d : (d && Array.isArray(d.items) ? d.items : []);
  }

  function dealParams() {
    const p = {};
    const q = $('d-q').value.trim();
    if (q) p.q = q;
    if ($('d-entity').value) p.entity = $('d-entity').value;
    if ($('d-kind').value) p.kind = $('d-kind').value;
    if ($('d-status').value) p.status = $('d-status').value;
    if ($('d-since').value) p.since = $('d-since').value;
    if ($('d-until').value) p.until = $('d-until').value;
    const bn = parseFloat($('d-min').value);
    if (Number.isFinite(bn) && bn > 0) p.min_amount = bn * 1e9;
    p.sort = S.deals.sort;
    p.order = S.deals.order;
    return p;
  }

  function offlineDealQuery(p) {
    const q = (p.q || '').toLowerCase();
    let rows = offlineDeals().filter((d) => {
      if (p.entity && d.payer !== p.entity && d.recipient !== p.entity) return false;
      if (p.kind && d.kind !== p.kind) return false;
      if (p.status && d.status !== p.status) return false;
      if (p.since && fullDate(d.announced) < p.since) return false;
      if (p.until && fullDate(d.announced) > p.until) return false;
      if (p.min_amount && !(Number(d.amount_usd) >= p.min_amount)) return false;
      if (q) {
        const hay = [d.id, d.description, d.payer, d.recipient, S.names.get(d.payer), S.names.get(d.recipient)].join(' ').toLowerCase();
        if (!hay.includes(q)) return false;
      }
      return true;
    });
    const key = p.sort, dir = p.order === 'asc' ? 1 : -1;
    rows = rows.slice().sort((a, b) => {
      let x = a[key], y = b[key];
      if (key === 'announced') { x = fullDate(x); y = fullDate(y); }
      if (key === 'amount_usd') { x = x == null ? -Infinity : Number(x); y = y == null ? -Infinity : Number(y); }
      return (x < y ? -1 : x > y ? 1 : 0) * dir || String(a.id).localeCompare(String(b.id));
    });
    return rows;
  }

  async function loadDeals() {
    const p = dealParams();
    let page;
    try {
      if (S.offline) {
        const rows = offlineDealQuery(p);
        page = { items: rows.slice(S.deals.offset, S.deals.offset + S.deals.limit), total: rows.length, offset: S.deals.offset };
      } else {
        page = await api('deals', Object.assign({ offset: S.deals.offset, limit: S.deals.limit }, p));
      }
    } catch (err) { showError(err); return; }
    S.deals.total = Number(page.total) || 0;
    const tb = clear(document.querySelector('#d-table tbody'));
    for (const d of page.items || []) {
      tb.append(h('tr', null,
        h('td', null, dealButton(d.id)),
        h('td', { text: d.announced || '' }),
        h('td', { text: human(d.kind) }),
        h('td', null, entityButton(d.payer)),
        h('td', null, entityButton(d.recipient)),
        h('td', { class: 'num', text: amountText(d) }),
        h('td', { text: human(d.status) }),
        h('td', { text: human(d.confidence) }),
        h('td', null, (d.sources || []).map((s, i) => [i ? ' ' : '', extLink(typeof s === 'string' ? s : s.url, `[${i + 1}]`)]))));
    }
    if (!(page.items || []).length) tb.append(h('tr', null, h('td', { colspan: '9', class: 'help', text: 'No deals match.' })));
    const from = S.deals.total ? S.deals.offset + 1 : 0;
    const to = Math.min(S.deals.total, S.deals.offset + S.deals.limit);
    $('d-count').textContent = `${from}–${to} of ${S.deals.total} deals`;
    $('d-prev').disabled = S.deals.offset <= 0;
    $('d-next').disabled = to >= S.deals.total;
    document.querySelectorAll('#d-table th[data-sort]').forEach((th) => {
      th.setAttribute('aria-sort', th.dataset.sort === S.deals.sort ? (S.deals.order === 'asc' ? 'ascending' : 'descending') : 'none');
    });
    updateDownloads(p);
  }

  function updateDownloads(p) {
    const csv = $('d-csv'), xlsx = $('d-xlsx');
    if (S.offline) {
      csv.href = '#';
      xlsx.removeAttribute('href');
      xlsx.setAttribute('aria-disabled', 'true');
      xlsx.title = 'not available in the offline report';
      return;
    }
    csv.href = apiUrl('deals', Object.assign({}, p, { format: 'csv' })).href;
    xlsx.href = apiUrl('deals', Object.assign({}, p, { format: 'xlsx' })).href;
  }

  /** CSV of the offline table; cells that a spreadsheet would run as a formula are quoted with a leading '. */
  function offlineCsv() {
    const cols = ['id', 'announced', 'kind', 'payer', 'recipient', 'amount_usd', 'qualifier', 'status', 'confidence', 'description', 'sources'];
    const cell = (v) => {
      let s = v == null ? '' : String(v);
      if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
      return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    const rows = offlineDealQuery(dealParams()).map((d) => cols.map((c) => cell(c === 'sources'
      ? (d.sources || []).map((s) => (typeof s === 'string' ? s : s.url)).join(' ') : d[c])).join(','));
    return [cols.join(',')].concat(rows).join('\r\n') + '\r\n';
  }

  function setupDeals(meta) {
    for (const k of meta.deal_kinds || []) $('d-kind').append(h('option', { value: k, text: human(k) }));
    for (const s of meta.statuses || []) $('d-status').append(h('option', { value: s, text: human(s) }));
    const again = () => { S.deals.offset = 0; loadDeals(); };
    $('d-form').addEventListener('submit', (e) => { e.preventDefault(); again(); });
    $('d-form').addEventListener('change', (e) => { if (e.target.tagName !== 'A') again(); });
    $('d-q').addEventListener('input', debounce(again, 300));
    $('d-prev').addEventListener('click', () => { S.deals.offset = Math.max(0, S.deals.offset - S.deals.limit); loadDeals(); });
    $('d-next').addEventListener('click', () => { S.deals.offset += S.deals.limit; loadDeals(); });
    document.querySelectorAll('#d-table th[data-sort] button').forEach((b) => b.addEventListener('click', () => {
      const key = b.parentElement.dataset.sort;
      if (S.deals.sort === key) S.deals.order = S.deals.order === 'asc' ? 'desc' : 'asc';
      else { S.deals.sort = key; S.deals.order = key === 'id' ? 'asc' : 'desc'; }
      again();
    }));
    if (S.offline) {
      $('d-csv').addEventListener('click', (e) => {
        e.preventDefault();
        download(new Blob([offlineCsv()], { type: 'text/csv;charset=utf-8' }), 'deals.csv');
      });
    }
  }

  // ------------------------------------------------------------------ export

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: name });
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function exportPNG() {
    const blob = cy.png({ output: 'blob', bg: '#ffffff', full: false, scale: 2 });
    download(blob, 'dealweb-map.png');
  }

  function exportJSON() {
    const blob = new Blob([JSON.stringify(cy.json(), null, 1)], { type: 'application/json' });
    download(blob, 'dealweb-map.cyjs.json');
  }

  /** An SVG of what is on screen, drawn from Cytoscape's rendered geometry (no third-party serializer). */
  function mapSVG() {
    const NS = 'http://www.w3.org/2000/svg';
    const W = cy.width(), H = cy.height(), z = cy.zoom(), pan = cy.pan();
    // Model to screen coordinates (renderedControlPoints() throws on straight edges).
    const toRendered = (q) => ({ x: q.x * z + pan.x, y: q.y * z + pan.y });
    const el = (tag, attrs, text) => {
      const e = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs || {})) if (v != null) e.setAttribute(k, String(v));
      if (text != null) e.textContent = String(text);
      return e;
    };
    const r2 = (x) => Math.round(x * 100) / 100;
    const svg = el('svg', { xmlns: NS, width: W, height: H, viewBox: `0 0 ${W} ${H}`, 'font-family': 'sans-serif' });
    svg.append(el('title', null, 'dealweb map'));
    svg.append(el('rect', { x: 0, y: 0, width: W, height: H, fill: '#ffffff' }));
    const ge = el('g', { class: 'edges' }), gn = el('g', { class: 'nodes' }), gl = el('g', { class: 'labels' });
    const dash = { dashed: '6 4', dotted: '1.5 3' };
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
      if (S.showLabels && e.data('label') && 9 * z >= 7) {
        const m = e.renderedMidpoint();
        gl.append(el('text', { x: r2(m.x), y: r2(m.y), 'font-size': r2(9 * z), 'text-anchor': 'middle', 'dominant-baseline': 'middle',
          fill: '#222222', stroke: '#ffffff', 'stroke-width': r2(2.5 * z), 'paint-order': 'stroke', opacity: op }, e.data('label')));
      }
    });
    cy.nodes().forEach((n) => {
      if (!n.visible()) return;
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
        gl.append(el('text', { x: r2(p.x), y: r2(p.y + r + 12 * z), 'font-size': r2(11 * z), 'text-anchor': 'middle', fill: '#1b1b1b',
          stroke: '#ffffff', 'stroke-width': r2(3 * z), 'paint-order': 'stroke', opacity: op }, label));
      }
    });
    svg.append(ge, gn, gl);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
  }

  function exportSVG() {
    download(new Blob([mapSVG()], { type: 'image/svg+xml' }), 'dealweb-map.svg');
  }

  // ------------------------------------------------------------------ toolbar

  function setupToolbar() {
    $('m-layout').addEventListener('change', () => runLayout($('m-layout').value));
    $('m-fit').addEventListener('click', () => cy.fit(cy.elements().not('.hidden'), 30));
    const zoomBy = (f) => cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    $('m-zoom-in').addEventListener('click', () => zoomBy(1.25));
    $('m-zoom-out').addEventListener('click', () => zoomBy(0.8));
    $('m-labels').addEventListener('change', () => {
      S.showLabels = $('m-labels').checked;
      cy.edges().toggleClass('nolabel', !S.showLabels);
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

  // ------------------------------------------------------------------ your own network

  // A plain network (no deals, sources or balance sheets) drawn at server-computed positions:
  // the browser runs no layout, which is what keeps 5,000 nodes interactive. The ledger's
  // filters, cards, stress tests and deals table do not apply (body.user-mode hides them);
  // the Loops tab shows the measures that do (circularity index, Hodge loop share, cycles).
  const USER_FORCE_MAX = 1500;

  function styleUser(nodes, edges) {
    styleData(nodes, edges);
    const flow = (n) => (Number(n.data.inflow) || 0) + (Number(n.data.outflow) || 0);
    const fmax = nodes.reduce((m, n) => Math.max(m, flow(n)), 0) || 1;
    const top = new Set(nodes.slice().sort((a, b) => flow(b) - flow(a)).slice(0, 16).map((n) => n.data.id));
    for (const n of nodes) {
      n.data._size = (S.large ? 6 : 12) + (S.large ? 24 : 40) * Math.sqrt(flow(n) / fmax);
      n.data._fs = top.has(n.data.id) ? 22 : 12;
      n.data._lbl = !S.large || top.has(n.data.id) ? n.data.label : '';
      n.classes = '';
    }
    // Without kinds every edge would be the same mid grey: lighter and thinner when there are thousands.
    if (S.large) for (const e of edges) { e.data._color = '#b8b8b8'; e.data._width = 0.5 + e.data._width / 4; }
  }

  /** Fit the view to preset positions without asking Cytoscape for bounding boxes, which on
   * thousands of elements costs more than drawing them. */
  function fitPositions(nodes) {
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

  function drawUser(resp) {
    if (!S.ledgerNames) S.ledgerNames = S.names;
    if (S.stress) clearStress();
    S.user = resp;
    S.highlight = null;
    S.expand = null;
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
    document.body.dataset.userReady = 'true';
  }

  function describeUser() {
    const u = S.user;
    const gross = u.measures && u.measures.gross;
    const parts = [`Drawn: your network ${u.name || ''}, ${cy.nodes().length} nodes, ${cy.edges().length} edges`];
    if (gross != null) parts.push(`${fmtUSD(gross)} in all`);
    if (S.large) parts.push('large-network mode: straight edges without labels, hidden while you pan or zoom; names on hover and for the 16 largest');
    $('map-status').textContent = parts.join(' · ') + '.';
    $('cy').setAttribute('aria-label', `Map of your network: ${cy.nodes().length} nodes and ${cy.edges().length} edges.`);
  }

  function userLayout(name) {
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

  function openUserNode(id) {
    const n = cy.$id(id);
    if (n.empty()) return;
    const d = n.data();
    showCard(h('div', null, h('h3', null, bdi(d.label)), dl([
      ['Id', bdi(d.id)], ['Kind', d.kind && d.kind !== 'other' ? human(d.kind) : null],
      ['Money in', fmtUSD(d.inflow)], ['Money out', fmtUSD(d.outflow)], ['Edges', String(d.degree)],
      ['Potential (Hodge)', d.potential == null ? null : fmtNum(d.potential, 3)],
    ]), h('p', { class: 'help', text: 'Higher potential: further upstream in the money hierarchy (the concentric layout puts it nearer the middle).' })));
  }

  function openUserEdge(edge) {
    const d = edge.data();
    showCard(h('div', null, h('h3', { text: `Edge ${d.id}` }), dl([
      ['From', bdi(S.names.get(d.source) || d.source)], ['To', bdi(S.names.get(d.target) || d.target)], ['Amount', fmtUSD(d.amount)],
    ])));
  }

  async function uploadNetwork(e) {
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

  async function backToLedger() {
    S.user = null;
    delete document.body.dataset.userReady;
    document.body.classList.remove('user-mode');
    if (S.ledgerNames) S.names = S.ledgerNames;
    S.ledgerNames = null;
    $('u-back').hidden = true;
    S.layout = 'circle';
    $('m-layout').value = 'circle';
    cy.elements().remove();
    await reloadNetwork();
    await reloadLoops();
    renderHeadline();
    showCard(h('p', { class: 'help', text: 'Click a company or a deal on the map, or in a table, to see its card.' }));
  }

  function setupUser() {
    if (S.offline) { $('u-box').hidden = true; return; }
    $('u-form').addEventListener('submit', uploadNetwork);
    $('u-back').addEventListener('click', backToLedger);
  }

  // ------------------------------------------------------------------ start-up

  function renderHeadline() {
    const hp = clear($('headline'));
    const ds = (S.meta && S.meta.dataset) || {};
    const parts = [];
    const n = cy.nodes().length, e = cy.edges().length;
    parts.push(`${n} companies, ${e} deals on the map`);
    if (ds.deals != null && ds.entities != null) parts.push(`ledger: ${ds.entities} companies, ${ds.deals} deals`);
    if (ds.total_volume_usd != null) parts.push(`${fmtUSD(ds.total_volume_usd)} counted in all`);
    if (ds.undisclosed_deals) parts.push(`${ds.undisclosed_deals} with undisclosed amounts`);
    if (ds.first_deal && ds.newest_deal) parts.push(`deals from ${ds.first_deal} to ${ds.newest_deal}`);
    hp.append(parts.join(' · '));
    if (S.meta && S.meta.read_only === false && !S.offline) hp.append(h('span', { class: 'tag', text: 'writable' }));
  }

  async function start() {
    if (typeof window.cytoscape !== 'function') { showError(new Error('the drawing library did not load')); return; }
    setupTabs();
    try {
      if (S.offline) {
        S.meta = DATA.meta || {};
        const note = $('mode-note');
        const gen = DATA.generated || {};
        note.textContent = 'Offline report' + (gen.date ? ` made ${gen.date}` : '') + (gen.dealweb ? ` by dealweb ${gen.dealweb}` : '') +
          ': the data is embedded in this file. Filters work on the embedded map (by announcement date); new stress runs, ' +
          'round trips, other amount policies, XLSX downloads and other server actions are not available in the offline report.';
        note.hidden = false;
      }
      let net;
      if (S.offline) net = DATA.network;
      else [S.meta, net] = await Promise.all([api('meta'), api('network')]);
      initMap(isLarge(net));
      setupToolbar();
      setupExplore();
      setupFilters(S.meta, net);
      setupStress(S.meta);
      setupDeals(S.meta);
      setupUser();
      drawNetwork(S.offline ? offlineNetwork() : net);
      fillEntityLists();
      renderLegend();
      renderHeadline();
      await Promise.all([reloadLoops(), loadDeals()]);
      // A server started with --network opens on that network (the deal web is one click away).
      performance.mark('dealweb:ready');
      if (!S.offline && S.meta.user_network) drawUser(await api('user-network'));
      document.body.dataset.ready = 'true';
    } catch (err) {
      showError(err);
      $('headline').textContent = 'The map could not be loaded.';
    }
  }

  window.dealweb = {
    get cy() { return cy; },
    state: S,
    openEntity, openDeal, runStress, reloadNetwork, setDate: (d) => { setDate(d); return reloadNetwork(); },
    drawUser, backToLedger,
    /** Every deal in one table (the PDF report prints them all). */
    allDeals: async () => { S.deals.offset = 0; S.deals.limit = Math.max(S.deals.total, 1); await loadDeals(); },
    mapSVG,
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
