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

import { openDeal, openEntity, setupTabs } from './cards.js';
import { loadDeals, setupDeals } from './deals.js';
import { mapSVG, setupToolbar } from './export.js';
import { fillEntityLists, offlineNetwork, reloadNetwork, setDate, setupExplore, setupFilters } from './filters.js';
import { reloadLoops } from './loops.js';
import { cy, drawNetwork, initMap, isLarge } from './map.js';
import { api, DATA, S, showError } from './state.js';
import { renderLegend, runStress, setupStress } from './stress.js';
import { backToLedger, drawUser, setupUser } from './usernet.js';
import { $, clear, fmtUSD, h } from './util.js';

// ------------------------------------------------------------------ start-up

export function renderHeadline() {
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
    }
    let net;
    if (S.offline) net = DATA.network;
    else [S.meta, net] = await Promise.all([api('meta'), api('network')]);
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
    drawNetwork(S.offline ? offlineNetwork() : net);
    fillEntityLists();
    renderLegend();
    renderHeadline();
    await Promise.all([reloadLoops(), loadDeals()]);
    performance.mark('dealweb:ready');
    if (userNet) drawUser(await userNet);
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
