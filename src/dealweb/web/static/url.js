/* dealweb map · url.js: Every view is a link. The state lives in the query string
 * (?as_of=2024-12-31&entity=nvidia&loop=2&scenario=openai-fails&step=3&view=all), is written
 * with history.pushState on every change a reader makes, and is restored on load and on the
 * browser's back and forward buttons. */

import { openEntity, selectTab } from './cards.js';
import { reloadNetwork, setDate } from './filters.js';
import { reloadLoops } from './loops.js';
import { S } from './state.js';
import { showStep } from './story.js';
import { clearStress, runScenario } from './stress.js';
import { fullDate, openSheet } from './util.js';
import { applyView, resetView, updateViewButton } from './view.js';

export const URL_KEYS = ['as_of', 'view', 'entity', 'loop', 'scenario', 'step'];
let restoring = false;

/** The state as query parameters (only what differs from the first view). */
export function stateParams() {
  const p = new URLSearchParams();
  if (S.filters.asOf) p.set('as_of', S.filters.asOf);
  if (S.step != null) { p.set('step', String(S.step + 1)); return p; }
  if (S.view === 'all') p.set('view', 'all');
  if (S.focus) p.set('entity', S.focus);
  if (S.loop != null) p.set('loop', String(S.loop + 1));
  if (S.stress && S.stressScenario) p.set('scenario', S.stressScenario);
  return p;
}

/** Record the current view as a new history entry (unless it is the one shown, or we are restoring). */
export function pushURL() {
  if (restoring || S.offline || S.user) return;
  const qs = stateParams().toString();
  const url = location.pathname + (qs ? '?' + qs : '');
  if (url === location.pathname + location.search) return;
  history.pushState({ dealweb: qs }, '', url);
}

/** Read the query string into a plain object of the known keys. */
export function readURL(search) {
  const q = new URLSearchParams(search == null ? location.search : search);
  const out = {};
  for (const k of URL_KEYS) if (q.get(k)) out[k] = q.get(k);
  return out;
}

/** Show the view the query string names: date, story step, company, loop, scenario, all companies. */
export async function restoreURL(search) {
  const want = readURL(search);
  restoring = true;
  try {
    const asOf = want.as_of ? fullDate(want.as_of) : null;
    if ((asOf || null) !== (S.filters.asOf || null)) {
      setDate(asOf);
      await reloadNetwork({ quick: true });
      await reloadLoops();
    }
    if (want.step) {
      await showStep(Math.max(0, (parseInt(want.step, 10) || 1) - 1), { push: false });
      return;
    }
    S.step = null;
    document.body.classList.remove('story-on');
    resetView();
    S.view = want.view === 'all' ? 'all' : 'core';
    if (want.entity) S.focus = want.entity;
    const li = want.loop ? parseInt(want.loop, 10) - 1 : null;
    if (li != null && li >= 0) S.loop = li;
    updateViewButton();
    applyView();
    if (want.scenario) { await runScenario(want.scenario); selectTab('stress'); } else if (S.stress) clearStress();
    if (S.focus) { openEntity(S.focus); openSheet(); }
    else if (S.loop != null) selectTab('loops');
  } finally {
    restoring = false;
  }
}

export function setupURL() {
  window.addEventListener('popstate', () => { restoreURL(); });
}
