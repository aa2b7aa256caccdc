/* dealweb map · cards.js: Side panel: tabs, company cards and deal cards. */

import { loadDeals, offlineDeals } from './deals.js';
import { filterParams, focusNode } from './filters.js';
import { cy, showEles } from './map.js';
import { api, ApiError, DATA, dealIdOf, dealStyle, entityColor, S } from './state.js';
import { stressCompany } from './stress.js';
import { $, bdi, clear, extLink, fmtNum, fmtPct, fmtUSD, h, human } from './util.js';

// ------------------------------------------------------------------ side panel: tabs and cards

export const TABS = ['card', 'loops', 'stress'];
export function selectTab(name, focus) {
  for (const t of TABS) {
    const on = t === name;
    const tab = $('tab-' + t);
    tab.setAttribute('aria-selected', on ? 'true' : 'false');
    tab.tabIndex = on ? 0 : -1;
    $('pane-' + t).hidden = !on;
  }
  if (focus) $('tab-' + name).focus();
}
export function setupTabs() {
  for (const t of TABS) $('tab-' + t).addEventListener('click', () => selectTab(t));
  document.querySelector('[role=tablist]').addEventListener('keydown', (e) => {
    // Only the tabs on show (your own network hides Stress).
    const tabs = TABS.filter((t) => $('tab-' + t).offsetParent !== null);
    const cur = tabs.findIndex((t) => $('tab-' + t).getAttribute('aria-selected') === 'true');
    let next = null;
    if (e.key === 'ArrowRight') next = (cur + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (cur + tabs.length - 1) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next != null) { e.preventDefault(); selectTab(tabs[next], true); }
  });
}

export const entityButton = (id) => h('button', { type: 'button', class: 'linkish', onclick: () => { focusNode(id); openEntity(id); } },
  bdi(S.names.get(id) || id));
export const dealButton = (id) => h('button', { type: 'button', class: 'linkish', onclick: () => openDeal(id) }, String(id));

export function sourceList(sources) {
  const items = (sources || []).map((s) => {
    if (typeof s === 'string') return h('li', null, extLink(s));
    const label = [s.outlet, s.title].filter(Boolean).join(': ') || null;
    return h('li', null, extLink(s.url, label), s.date ? ` (${s.date})` : '');
  });
  return items.length ? h('ul', { class: 'sources' }, items) : h('p', { class: 'help', text: 'No source recorded.' });
}

export function dl(pairs) {
  const el = h('dl');
  for (const [k, v] of pairs) {
    if (v == null || v === '' || (Array.isArray(v) && !v.length)) continue;
    el.append(h('dt', { text: k }), h('dd', null, v));
  }
  return el;
}

export function amountText(d) {
  const amt = d.amount_usd != null ? d.amount_usd : d.amount;
  let s = fmtUSD(amt);
  if (d.qualifier && d.qualifier !== 'exact' && d.qualifier !== 'undisclosed') s += ` (${human(d.qualifier)})`;
  return s;
}

export function showCard(node) {
  selectTab('card');
  const card = clear($('card'));
  card.append(node);
}

export const cardCache = new Map();
export async function getEntity(id) {
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

export async function openEntity(id) {
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

export function latestFigure(fins, metric) {
  const xs = (fins || []).filter((f) => f.metric === metric && !f.counterparty && f.value != null);
  xs.sort((a, b) => String(a.as_of).localeCompare(String(b.as_of)));
  return xs.length ? xs[xs.length - 1] : null;
}
export function figureText(f) {
  if (f.value == null) return 'undisclosed';
  if (/pct|percent|share/.test(String(f.metric))) return `${f.value}%`;
  return fmtUSD(f.value) + (f.qualifier && f.qualifier !== 'exact' ? ` (${human(f.qualifier)})` : '');
}

export async function getDeal(id) {
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

/** An arrow that bundles several deals between one pair: its total and its deals. */
export function openPair(edge) {
  const d = edge.data();
  const ids = d.deal_ids || [d.deal_id];
  if (ids.length === 1) { openDeal(ids[0]); return; }
  showCard(h('div', null, h('h3', null, entityButton(d.source), ' → ', entityButton(d.target)),
    h('p', null, `${ids.length} deals, ${fmtUSD(d.amount)} counted in all: `),
    h('ul', null, ids.map((x) => h('li', null, dealButton(x))))));
}

export async function openDeal(id) {
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
