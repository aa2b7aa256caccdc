/* dealweb map · deals.js: Deals table: filter, sort, page, CSV/XLSX downloads (and the offline report's own query). */

import { amountText, dealButton, entityButton } from './cards.js';
import { download } from './export.js';
import { api, apiUrl, DATA, S, showError } from './state.js';
import { $, clear, debounce, extLink, fullDate, h, human } from './util.js';

// ------------------------------------------------------------------ deals table

export function offlineDeals() {
  const d = DATA.deals;
  return Array.isArray(d) ? d : (d && Array.isArray(d.items) ? d.items : []);
}

export function dealParams() {
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

export function offlineDealQuery(p) {
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

export async function loadDeals() {
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

export function updateDownloads(p) {
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
export function offlineCsv() {
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

export function setupDeals(meta) {
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
