/* dealweb map · util.js: Helpers: building DOM elements safely (text only, never HTML), links, number and date formatting. */



// ------------------------------------------------------------------ helpers and formatting

export const $ = (id) => document.getElementById(id);

/** Build an element. attrs: class, text, on<event> handlers, dataset, plain attributes. */
export function h(tag, attrs, ...children) {
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

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

/** A string the user (or the data) supplied, isolated for bidirectional text. */
export function bdi(text) { return h('bdi', { class: 'name', text: text == null ? '' : String(text) }); }

/** Only http(s) URLs become links; anything else is returned as null. */
export function safeUrl(u) {
  if (typeof u !== 'string' || !u) return null;
  try {
    const url = new URL(u);
    return (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
  } catch (_) { return null; }
}

export function extLink(url, text) {
  const href = safeUrl(url);
  const label = text || (href ? new URL(href).hostname : String(url || ''));
  if (!href) return h('span', { text: label });
  return h('a', { href, rel: 'noopener noreferrer', target: '_blank', text: label });
}

export function fmtUSD(v) {
  if (v == null || v === '' || Number.isNaN(Number(v))) return 'undisclosed';
  const x = Number(v), a = Math.abs(x), sign = x < 0 ? '−' : '';
  const f = (n) => (n >= 100 ? Math.round(n).toString() : (Math.round(n * 10) / 10).toString());
  if (a >= 1e12) return sign + '$' + f(a / 1e12) + 'T';
  if (a >= 1e9) return sign + '$' + f(a / 1e9) + 'B';
  if (a >= 1e6) return sign + '$' + f(a / 1e6) + 'M';
  if (a >= 1e3) return sign + '$' + f(a / 1e3) + 'K';
  return sign + '$' + Math.round(a).toString();
}
export function fmtPct(v, digits) {
  if (v == null || Number.isNaN(Number(v))) return '—';
  return (Number(v) * 100).toFixed(digits == null ? 1 : digits) + '%';
}
export function fmtNum(v, digits) {
  if (v == null || Number.isNaN(Number(v))) return '—';
  return Number(v).toFixed(digits == null ? 2 : digits);
}
export const human = (s) => (s == null ? '' : String(s).replace(/_/g, ' '));
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function debounce(fn, ms) {
  let t = null;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

// Dates as 'YYYY-MM-DD' strings; arithmetic in UTC days.
export const DAY = 86400000;
export const toDays = (s) => Math.floor(Date.parse(s + 'T00:00:00Z') / DAY);
export const fromDays = (d) => new Date(d * DAY).toISOString().slice(0, 10);
export function nextMonthEnd(s) {
  const d = new Date(s + 'T00:00:00Z');
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
  if (end.toISOString().slice(0, 10) > s) return end.toISOString().slice(0, 10);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 0)).toISOString().slice(0, 10);
}
/** Partial dates ('2025', '2025-03') sort as their first day. */
export function fullDate(s) {
  if (!s) return '';
  const t = String(s);
  if (/^\d{4}$/.test(t)) return t + '-01-01';
  if (/^\d{4}-\d{2}$/.test(t)) return t + '-01';
  return t.slice(0, 10);
}

// Phone layout: the side panel opens as a sheet over the lower part of the map.
export const isNarrow = () => window.matchMedia('(max-width: 900px)').matches;
export function openSheet() { if (isNarrow()) document.body.classList.add('sheet-open'); }
export function closeSheet() { document.body.classList.remove('sheet-open'); }
