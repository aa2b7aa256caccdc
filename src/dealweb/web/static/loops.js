/* dealweb map · loops.js: Loops: the circularity index with its definition, cycles and round trips that light up on click. */

import { dl } from './cards.js';
import { filterParams } from './filters.js';
import { cy, setHighlight, showEles } from './map.js';
import { api, DATA, S } from './state.js';
import { pushURL } from './url.js';
import { $, bdi, clear, fmtPct, fmtUSD, h } from './util.js';
import { applyView, resetView, updateViewButton } from './view.js';

// ------------------------------------------------------------------ loops

export const DEFINITION = 'Circularity index: the largest circulation that fits under the deal amounts (money that could be ' +
  'settled by netting round loops without anyone paying cash), divided by the gross volume of all deals drawn.';

export async function reloadLoops() {
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

export function loopItem(label, detail, nodes, dealIds, loopIndex) {
  const li = h('li');
  const btn = h('button', { type: 'button', class: 'linkish', 'aria-pressed': 'false' }, label);
  btn.addEventListener('click', () => {
    const was = li.classList.contains('active');
    document.querySelectorAll('.loops li.active').forEach((x) => { x.classList.remove('active'); x.firstChild.setAttribute('aria-pressed', 'false'); });
    if (was) { setHighlight(null); resetView(); updateViewButton(); applyView(); pushURL(); return; }
    if (loopIndex != null) {
      // A loop: drawn on its own, in order round a ring, each hop with its amount.
      setHighlight(null);
      resetView();
      S.loop = loopIndex;
      updateViewButton();
      applyView();
      pushURL();
    } else {
      setHighlight(nodes, dealIds);
      showEles(cy.elements('.highlight'));
    }
    li.classList.add('active');
    btn.setAttribute('aria-pressed', 'true');
    $('map-status').textContent = 'Showing: ' + btn.textContent + '. Click it again, or “Show all companies”, to leave.';
  });
  li.append(btn, h('span', { class: 'help', text: ' ' + detail }));
  return li;
}

export const pathLabel = (ids) => ids.map((x) => S.names.get(x) || x).join(' → ');

export function renderLoops(cycles, trips, circ) {
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
    const hops = Array.isArray(c.hop_amounts) ? ' (' + c.hop_amounts.map((a) => fmtUSD(a)).join(', ') + ')' : '';
    const detail = `bottleneck ${fmtUSD(c.bottleneck)} · ${c.length || nodes.length} hops${hops}` +
      (c.first_date ? ` · ${c.first_date} to ${c.last_date || ''}` : '');
    const li = loopItem(label, detail, nodes, deals, i);
    if (S.loop === i) li.classList.add('active');
    li.dataset.kind = 'cycle'; li.dataset.index = String(i);
    ol.append(li);
  });
  if (S.loop != null) applyView();  // a loop on show is redrawn from the new list
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

export function flatIds(x) {
  if (x == null) return [];
  if (Array.isArray(x)) return x.flatMap((y) => flatIds(y));
  return String(x).split(/\s*[|+]\s*/).filter(Boolean);
}
