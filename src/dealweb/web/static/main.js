/* dealweb map: ES modules, no build step, over the JSON API in /api. This is the entry
 * (<script type="module" src="static/main.js">): start-up and the test hooks.
 *
 * Modules, one per panel: util (DOM and formatting helpers) · state (shared state, API access
 * or the offline report's embedded data, palettes) · map (Cytoscape styles, layouts) · filters
 * (filters, date playback, explore) · cards · loops · stress (and the legend) · deals · export
 * (and the toolbar) · usernet (your own network). The report bundles them into one inline
 * module (dealweb.web.report.bundle_modules): keep imports on one line, `export` only before a
 * top-level declaration, and top-level names distinct across modules.
 *
 * Safety: nothing from the data is ever parsed as HTML. The DOM is built with
 * createElement/textContent, and only http(s) URLs become link targets.
 * Tests reach the map as window.dealwebMap (the Cytoscape core) and window.dealweb.
 */

import { openDeal, openEntity, selectTab, setupTabs } from './cards.js';
import { loadDeals, setupDeals } from './deals.js';
import { mapSVG, setupToolbar } from './export.js';
import { fillEntityLists, focusOn, offlineNetwork, reloadNetwork, setDate, setupExplore, setupFilters } from './filters.js';
import { reloadLoops } from './loops.js';
import { companies, cy, drawNetwork, initMap, isLarge } from './map.js';
import { api, DATA, S, showError } from './state.js';
import { renderLegend, runStress, setupStress, uncolour } from './stress.js';
import { setupStory, showStep } from './story.js';
import { pushURL, readURL, restoreURL, setupURL } from './url.js';
import { backToLedger, drawUser, setupUser } from './usernet.js';
import { $, clear, closeSheet, fmtPct, fmtUSD, fullDate, h } from './util.js';
import { applyView, resetView, setViewAll, updateViewButton } from './view.js';

S.boot = readURL();

// ------------------------------------------------------------------ start-up

/** The sentence above the map, from the network's own headline (the same projection as the map). */
export function renderHeadline() {
  const hp = clear($('headline'));
  const hd = S.network && S.network.headline;
  if (!hd) { hp.textContent = `${companies().length} companies, ${cy.edges().length} arrows on the map.`; return; }
  const loop = hd.largest_loop;
  const loopBtn = loop ? h('button', { type: 'button', class: 'linkish', onclick: () => showLoop(0) }, loop.path) : null;
  hp.append(h('strong', { text: `Circularity index ${fmtPct(hd.circularity_index)}` }),
    `: ${fmtUSD(hd.circular_volume)} of the ${fmtUSD(hd.total)} in ${hd.deals} deals could be netted round loops ` +
    `(counted ${hd.basis_text}${hd.basis !== 'face' && hd.face_total != null ? `; ${fmtUSD(hd.face_total)} at face value` : ''}` +
    `${hd.as_of ? ', as of ' + hd.as_of : ''}). `,
    ...(loop ? ['Largest loop: ', loopBtn, `, ${fmtUSD(loop.bottleneck)} round.`] : ['No loops.']));
  if (S.meta && S.meta.read_only === false && !S.offline) hp.append(h('span', { class: 'tag', text: 'writable' }));
  const note = $('v-note');
  const shown = companies().not('.hidden');
  const bases = (S.network.size_bases || []).map((b) => [b, shown.filter((n) => n.data('size_basis') === b.basis).length])
    .filter(([, k]) => k > 0).map(([b, k]) => `${b.text} (${k})`);
  note.textContent = bases.length ? 'Circle size: ' + bases.join('; ') + '.' : '';
}

function showLoop(i) {
  resetView();
  S.loop = i;
  updateViewButton();
  applyView();
  selectTab('loops');
  pushURL();
}

export async function start() {
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
      $('print-note').textContent = 'Report' + (gen.date ? ` of ${gen.date}` : '') + (gen.dealweb ? `, dealweb ${gen.dealweb}` : '') +
        '. The map shows the circular core: the companies on loops of deals. Every deal in the table lists its sources.';
    }
    let net;
    if (S.offline) net = DATA.network;
    else [S.meta, net] = await Promise.all([api('meta'), api('network', Object.assign({ bundle: true }, S.boot.as_of ? { as_of: S.boot.as_of } : {}))]);
    // A server started with --network opens on that network: ask for it now, while the deal web
    // (which stays one click away) is set up, rather than after.
    const userNet = !S.offline && S.meta.user_network ? api('user-network') : null;
    if (userNet) userNet.catch(() => {});  // awaited (and its error shown) below
    initMap(isLarge(net));
    setupToolbar();
    setupExplore();
    setupFilters(S.meta, net);
    setupStress(S.meta);
    setupDeals(S.meta);
    setupUser();
    setupStory();
    setupURL();
    $('v-toggle').addEventListener('click', () => { setViewAll(!(S.view === 'all' && !S.focus && S.loop == null && !S.custom)); pushURL(); });
    $('sheet-close').addEventListener('click', closeSheet);
    if (S.boot.as_of) setDate(fullDate(S.boot.as_of));
    drawNetwork(S.offline ? offlineNetwork() : net);
    fillEntityLists();
    renderLegend();
    if (userNet) {
      // A server started with --network opens on it: draw it first; the deal web's loops are
      // loaded when the reader goes back to it, its deals table now (hidden meanwhile).
      drawUser(await userNet);
      await loadDeals();
    } else {
      await Promise.all([reloadLoops(), loadDeals()]);
      await restoreURL();
      history.replaceState({ dealweb: location.search }, '', location.href);
    }
    performance.mark('dealweb:ready');
    document.body.dataset.ready = 'true';
  } catch (err) {
    showError(err);
    $('headline').textContent = 'The map could not be loaded.';
  }
}

window.dealweb = {
  get cy() { return cy; },
  state: S,
  openEntity, openDeal, runStress, reloadNetwork, focusOn, showStep, restoreURL, setViewAll, setDate: (d) => { setDate(d); return reloadNetwork(); },
  drawUser, backToLedger,
  /** Every deal in one table (the PDF report prints them all). */
  allDeals: async () => { S.deals.offset = 0; S.deals.limit = Math.max(S.deals.total, 1); await loadDeals(); },
  mapSVG,
  /** For the printed report: the embedded stress run's story and losses beside the loops, the map uncoloured. */
  forPrint: async () => {
    if (S.offline && DATA.stress) {
      await runStress({ push: false });
      uncolour();
      const run = S.stress;  // the map's legend is the plain one; the stress scale stays beside the story
      S.stress = null; renderLegend(); S.stress = run;
    }
    S.deals.offset = 0; S.deals.limit = Math.max(S.deals.total, 1); await loadDeals();
  },
};

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
