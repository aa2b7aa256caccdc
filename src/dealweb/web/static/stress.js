/* dealweb map · stress.js: Stress panel: run a scenario, recolour the map round by round, the story and the loss table; the legend. */

import { dl, entityButton, selectTab } from './cards.js';
import { companies, cy } from './map.js';
import { api, ApiError, DATA, DEAL_STYLES, dealStyle, ENTITY_ORDER, entityColor, LOSS_STOPS, lossColor, S, showError } from './state.js';
import { pushURL } from './url.js';
import { $, bdi, clear, fmtPct, fmtUSD, h, human, sleep } from './util.js';

// ------------------------------------------------------------------ stress

export function setupStress(meta) {
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
  $('s-clear').addEventListener('click', () => { clearStress(); pushURL(); });
  $('s-prev').addEventListener('click', () => stepRound(-1));
  $('s-next').addEventListener('click', () => stepRound(1));
  $('s-animate').addEventListener('click', animateRounds);
  if (S.offline) {
    document.querySelectorAll('input[name=s-mode], #s-entity-box input, #s-entity-box select').forEach((x) => { x.disabled = true; });
    $('s-run').textContent = 'Show the report’s stress test';
    $('stress-fields').append(h('p', { class: 'note', text: 'New stress runs are not available in the offline report; it holds one precomputed scenario.' }));
  }
}

export function stressBody() {
  const mode = document.querySelector('input[name=s-mode]:checked').value;
  if (mode === 'scenario') return { scenario: $('s-scenario').value };
  const shock = document.querySelector('input[name=s-shock]:checked').value;
  const pays = shock === 'pays' ? Math.max(0, Math.min(100, Number($('s-pays').value) || 0)) / 100 : null;
  const body = { entity: $('s-entity').value, pays, horizon: $('s-horizon').value };
  if ($('s-model').value) body.model = $('s-model').value;
  return body;
}

export function stressCompany(id) {
  selectTab('stress');
  document.querySelector('input[name=s-mode][value=entity]').checked = true;
  document.querySelector('input[name=s-mode][value=entity]').dispatchEvent(new Event('change'));
  document.querySelector('input[name=s-shock][value=fails]').checked = true;
  $('s-entity').value = id;
  runStress();
}

/** Run a shipped scenario by name (story mode and links). */
export async function runScenario(name) {
  if (S.offline) {
    // The report holds one run: another scenario cannot be shown from it.
    const held = DATA.stress && DATA.stress.scenario && DATA.stress.scenario.name;
    if (held !== name) { clearStress(); return false; }
  } else {
    document.querySelector('input[name=s-mode][value=scenario]').checked = true;
    document.querySelector('input[name=s-mode][value=scenario]').dispatchEvent(new Event('change'));
    $('s-scenario').value = name;
    $('s-scenario').dispatchEvent(new Event('change'));
  }
  await runStress({ push: false });
  return !!S.stress;
}

export async function runStress(opts) {
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
  S.stressScenario = (res.scenario && res.scenario.name) || (res.headline && res.headline.scenario) || null;
  const nodes = stressNodes(res);
  const rounds = Array.isArray(res.rounds) ? res.rounds.map((r) => Number(r.round) || 0) : [];
  S.maxRound = Math.max(0, ...rounds, ...nodes.map((n) => (n.failed ? Number(n.failure_round) : 0)).filter((x) => Number.isFinite(x)));
  S.round = S.maxRound;
  applyStress();
  renderStress();
  if (!opts || opts.push !== false) pushURL();
  document.body.dataset.stressVersion = String((Number(document.body.dataset.stressVersion) || 0) + 1);
}

/** Per-node results: the API's "nodes" list, else the loss rows. */
export function stressNodes(res) {
  if (Array.isArray(res.nodes)) return res.nodes;
  return (res.rows || []).map((r) => ({ id: r.id, loss: r.loss, relative_loss: r.relative_loss, failed: r.failed,
    failure_round: r.failure_round, status: r.status, via: r.via, shocked: r.shocked }));
}

/** Loss and relative loss of node i after the current round (the API's per-round state),
 * else the final ones (older results and the offline report's embedded run have no rounds). */
export function roundLoss(res, s, i) {
  const here = (Array.isArray(res.rounds) ? res.rounds : []).find((r) => Number(r.round) === S.round);
  if (!here || !Array.isArray(here.loss) || i < 0) return { loss: s.loss, rel: s.relative_loss };
  return { loss: here.loss[i], rel: here.relative_loss[i] };
}

/** Share paid by each shocked company (1 = pays in full, 0 = pays nothing), from the scenario's shocks. */
export function paidShare(res) {
  const out = new Map();
  const shocks = (res.scenario && Array.isArray(res.scenario.shocks)) ? res.scenario.shocks : [];
  for (const sh of shocks) if (sh && sh.entity) out.set(sh.entity, sh.pays == null ? 0 : Number(sh.pays));
  return out;
}

// Where the buffer is unknown, colour by dollar loss on a log scale: Tol's sequential purples ($100M → $100B).
export const DOLLAR_STOPS = ['#EFE4F4', '#D7BDE2', '#B98ACD', '#9257B1', '#6A2C8A', '#43145E'];
export function dollarColor(loss) {
  const x = Math.max(0, Math.min(1, (Math.log10(Math.max(Number(loss), 1)) - 8) / 3)) * (DOLLAR_STOPS.length - 1);
  return DOLLAR_STOPS[Math.round(x)];
}

export function applyStress() {
  const res = S.stress;
  if (!res) return;
  const list = stressNodes(res);
  const byId = new Map(list.map((n, i) => [n.id, [n, Array.isArray(res.nodes) ? i : -1]]));
  const shocked = new Set((res.rows || []).filter((r) => r.shocked).map((r) => r.id));
  const pays = paidShare(res);
  const state = new Map();   // id -> 'partial' | 'failed' | 'failing' (this round)
  cy.batch(() => {
    companies().forEach((node) => {
      const id = node.id();
      const [s, i] = byId.get(id) || [null, -1];
      let color = lossColor(0);
      const now = s ? roundLoss(res, s, i) : null;
      if (s && Number(now.loss) > 0) color = now.rel == null ? dollarColor(now.loss) : lossColor(now.rel);
      node.data('_scolor', color);
      node.addClass('stressed');
      const r = s ? Number(s.failure_round) : -1;
      const isShocked = shocked.has(id) || !!(s && (s.shocked || s.status === 'shocked'));
      const share = pays.has(id) ? pays.get(id) : (isShocked ? 0 : null);
      const partial = isShocked && share != null && share > 0;
      const failed = !partial && !!(s && s.failed && r >= 0 && r <= S.round);
      if (partial) state.set(id, 'partial');
      else if (failed) state.set(id, r === S.round && S.round > 0 ? 'failing' : 'failed');
      node.toggleClass('failed', failed && r < S.round || (failed && S.round === 0));
      node.toggleClass('failing', failed && r === S.round && S.round > 0);
      node.toggleClass('partial', partial);
      node.toggleClass('shocked', isShocked);
      const base = node.data('_lbl') || node.data('label');
      node.data('_slbl', partial ? `${base} · pays ${Math.round(share * 100)}%` : failed ? `${base} ✕ fails` : base);
    });
    // Obligations the shock leaves unpaid: the run's own list (what each debtor owed each creditor,
    // paid with and without the shock), else every obligation of a failed or part-paying company.
    const listed = Array.isArray(res.unpaid_edges) ? new Map() : null;
    if (listed) {
      for (const u of res.unpaid_edges) {
        if (!(Number(u.paid_shocked) < Number(u.paid_baseline) - 1)) continue;  // short anyway, not the shock's doing
        listed.set(u.debtor + '>' + u.creditor, Number(u.owed) > 0 ? Number(u.paid_shocked) / Number(u.owed) : 0);
      }
    }
    cy.edges().forEach((e) => {
      const key = e.source().id() + '>' + e.target().id();
      let none, part;
      if (listed) {
        const share = listed.get(key);
        none = share != null && share < 0.05;
        part = share != null && share >= 0.05;
      } else {
        const st = state.get(e.source().id());
        none = st === 'failed' || st === 'failing';
        part = st === 'partial';
      }
      e.toggleClass('unpaid', none);
      e.toggleClass('part-unpaid', part);
    });
  });
}

/** Take the stress colours off the map but keep the run's story and table (the printed report). */
export function uncolour() {
  companies().removeClass('stressed failed failing partial shocked');
  cy.edges().removeClass('unpaid part-unpaid');
}

export function clearStress() {
  S.stress = null;
  S.animating = false;
  S.stressScenario = null;
  companies().removeClass('stressed failed failing partial shocked');
  cy.edges().removeClass('unpaid part-unpaid');
  $('s-result').hidden = true;
  renderLegend();
}

export function stepRound(delta) {
  if (!S.stress) return;
  S.round = Math.max(0, Math.min(S.maxRound, S.round + delta));
  applyStress();
  renderRound();
}

export async function animateRounds() {
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

export function renderRound() {
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

export function renderStress() {
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
  if (res.baseline && res.baseline.sentence) hb.append(h('p', { class: 'help', text: res.baseline.sentence }));
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

export function renderLegend() {
  const lg = clear($('legend'));
  if (S.stress) {
    lg.append(h('h3', { text: 'Stress: loss as a share of the company’s buffer where the buffer is known; in dollars where it is not' }));
    const scale = clear($('s-scale'));
    const bar = h('div', { class: 'bar', role: 'img', 'aria-label': 'Colour scale from no loss (pale yellow) to the whole buffer lost (dark brown)' });
    bar.style.background = `linear-gradient(to right, ${LOSS_STOPS.join(', ')})`;
    scale.append(bar, h('div', { class: 'ends' }, h('span', { text: '0.1%' }), h('span', { text: '1%' }), h('span', { text: '10%' }), h('span', { text: '100% of buffer (log scale)' })));
    const bar2 = h('div', { class: 'bar', role: 'img', 'aria-label': 'Colour scale of dollar losses where the buffer is unknown, pale to dark purple' });
    bar2.style.background = `linear-gradient(to right, ${DOLLAR_STOPS.join(', ')})`;
    scale.append(bar2, h('div', { class: 'ends' }, h('span', { text: '$100M' }), h('span', { text: '$3B' }), h('span', { text: '$100B lost, buffer unknown' })));
    const sw = (cls, text) => h('span', { class: 'item' }, h('span', { class: 'key ' + cls, 'aria-hidden': 'true' }), text);
    const item = (stops, text) => { const d = h('span', { class: 'dot', 'aria-hidden': 'true' }); d.style.background = `linear-gradient(to right, ${stops.join(', ')})`; return h('span', { class: 'item' }, d, text); };
    lg.append(item(LOSS_STOPS, 'yellow → brown: 0.1% → 100% of buffer lost (log scale)'), item(DOLLAR_STOPS, 'pale → dark purple: $100M → $100B lost, buffer unknown'),
      sw('k-failed', 'thick black ring, “✕ fails”: failed'), sw('k-failing', 'red ring: fails in this round'),
      sw('k-partial', 'orange ring, “pays 40%”: pays part of what it owes'), sw('k-unpaid', 'red dashed arrow: obligation unpaid'),
      sw('k-part', 'orange dashed arrow: paid in part'));
  } else if (S.user) {
    lg.append(h('h3', { text: 'Your network: node size by money through it (square root); edge width by amount (log scale); arrow from source to target' }));
    return;
  } else {
    lg.append(h('h3', { text: 'Companies (colour by kind; circle area by market cap or valuation; dashed outline: neither is known, sized by deal volume instead)' }));
    const present = new Set(cy ? companies().map((n) => n.data('kind')) : []);
    for (const k of ENTITY_ORDER.filter((x) => present.has(x)).concat([...present].filter((x) => !ENTITY_ORDER.includes(x)))) {
      const d = h('span', { class: 'dot', 'aria-hidden': 'true' }); d.style.background = entityColor(k);
      lg.append(h('span', { class: 'item' }, d, human(k)));
    }
  }
  lg.append(h('h3', { text: 'Deals (one arrow per pair, payer to recipient, labelled with the total and the number of deals; colour and dash by the kind with the most money; width by amount, log scale)' }));
  const kinds = new Set(cy ? cy.edges().map((e) => e.data('kind')) : []);
  for (const k of Object.keys(DEAL_STYLES).filter((x) => kinds.has(x))) {
    const [color, line] = dealStyle(k);
    const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.borderTopColor = color; sw.style.borderTopStyle = line;
    lg.append(h('span', { class: 'item' }, sw, human(k)));
  }
}
