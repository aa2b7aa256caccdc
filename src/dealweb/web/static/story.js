/* dealweb map · story.js: Story mode: a guided sequence of map states, each with a short caption
 * built from the data on the map (amounts are read from the drawn arrows, never typed in). */

import { openEntity, selectTab } from './cards.js';
import { reloadNetwork, setDate } from './filters.js';
import { reloadLoops } from './loops.js';
import { cy } from './map.js';
import { S } from './state.js';
import { clearStress, runScenario } from './stress.js';
import { pushURL } from './url.js';
import { $, clear, fmtUSD, h } from './util.js';
import { applyView, resetView, updateViewButton } from './view.js';

const name = (id) => S.names.get(id) || id;
const pair = (a, b) => cy.edges().filter((e) => e.source().id() === a && e.target().id() === b);
const pairAmount = (a, b) => pair(a, b).reduce((s, e) => s + (Number(e.data('amount')) || 0), 0);

export const STORY = [
  {
    title: 'The seed deal',
    as_of: '2025-11-30',
    nodes: ['microsoft', 'nvidia', 'anthropic'],
    pairs: [['microsoft', 'anthropic'], ['nvidia', 'anthropic'], ['anthropic', 'microsoft']],
    caption: () => `November 2025: ${name('microsoft')} puts ${fmtUSD(pairAmount('microsoft', 'anthropic'))} into ` +
      `${name('anthropic')} and ${name('nvidia')} ${fmtUSD(pairAmount('nvidia', 'anthropic'))}; ${name('anthropic')} commits ` +
      `${fmtUSD(pairAmount('anthropic', 'microsoft'))} to ${name('microsoft')}’s Azure cloud. Money invested comes back as revenue.`,
  },
  {
    title: 'OpenAI’s web',
    entity: 'openai',
    caption: () => {
      const n = cy.getElementById('openai');
      if (n.empty()) return 'OpenAI is not on the map at this date.';
      return `${name('openai')} deals with ${n.neighborhood().nodes().length} companies: ${fmtUSD(n.data('inflow'))} flows in ` +
        `and ${fmtUSD(n.data('outflow'))} out. Each arrow is one counterparty, labelled with the total of its deals.`;
    },
  },
  {
    title: 'The largest loop',
    loop: 0,
    caption: () => {
      const c = S.cycles[0];
      if (!c) return 'No loops under the current filters.';
      const names = (c.nodes || []).map(name);
      return `The loop with the most money round it: ${names.concat(names.slice(0, 1)).join(' → ')}. ` +
        `${fmtUSD(c.bottleneck)} could go all the way round (its smallest hop); each arrow shows its hop’s amount.`;
    },
  },
  {
    title: 'A stress run: OpenAI fails',
    scenario: 'openai-fails',
    caption: () => stressCaption('If OpenAI fails and pays nothing for a year'),
  },
  {
    title: 'Milder: OpenAI pays 40%',
    scenario: 'openai-pays-40',
    caption: () => stressCaption('If OpenAI pays only 40% of what it owes for two years'),
  },
];

function stressCaption(lead) {
  if (!S.stress && S.offline) return `${lead}: this report holds one other stress run (see the Stress tab); open the map online for this one.`;
  const hd = (S.stress && S.stress.headline) || {};
  if (hd.total_loss == null) return lead + ': the stress test could not be run.';
  const loser = hd.largest_loser ? `; the largest loser is ${name(hd.largest_loser)} (${fmtUSD(hd.largest_loss)})` : '';
  const fails = hd.new_failures ? `, and ${hd.new_failures} more compan${hd.new_failures === 1 ? 'y fails' : 'ies fail'}` : '';
  return `${lead}, its counterparties lose ${fmtUSD(hd.total_loss)}${loser}${fails}. Colour shows each company’s loss.`;
}

/** Show step i (0-based): set the date, the view and the stress run it names, then its caption. */
export async function showStep(i, opts) {
  const step = STORY[Math.max(0, Math.min(STORY.length - 1, i))];
  S.step = STORY.indexOf(step);
  document.body.classList.add('story-on');
  $('story').hidden = false;
  const asOf = step.as_of || null;
  if ((asOf || null) !== (S.filters.asOf || null)) {
    setDate(asOf);
    await reloadNetwork({ quick: true });
    await reloadLoops();
  }
  resetView();
  S.view = 'core';
  if (step.nodes) {
    const deals = step.pairs.flatMap(([a, b]) => pair(a, b).map((e) => e.data('deal_ids') || []).flat());
    S.custom = { nodes: step.nodes.filter((id) => cy.getElementById(id).nonempty()), deals };
  }
  if (step.entity) S.focus = step.entity;
  if (step.loop != null) S.loop = step.loop;
  updateViewButton();
  applyView();
  if (step.scenario) { await runScenario(step.scenario); selectTab('stress'); } else if (S.stress) clearStress();
  if (step.entity) openEntity(step.entity);
  if (step.loop != null) selectTab('loops');
  renderStep(step);
  if (!opts || opts.push !== false) pushURL();
}

function renderStep(step) {
  const box = clear($('story-text'));
  box.append(h('strong', { text: `${S.step + 1} of ${STORY.length} · ${step.title}. ` }), step.caption());
  $('story-prev').disabled = S.step <= 0;
  $('story-next').disabled = S.step >= STORY.length - 1;
}

export function closeStory() {
  S.step = null;
  document.body.classList.remove('story-on');
  $('story').hidden = true;
  resetView();
  if (S.stress) clearStress();
  updateViewButton();
  if (S.filters.asOf) { setDate(null); reloadNetwork(); } else applyView();
  pushURL();
}

export function setupStory() {
  $('story-start').addEventListener('click', () => showStep(0));
  $('story-prev').addEventListener('click', () => showStep(S.step - 1));
  $('story-next').addEventListener('click', () => showStep(S.step + 1));
  $('story-close').addEventListener('click', closeStory);
}
