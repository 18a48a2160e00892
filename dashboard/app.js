/**
 * @module dashboard/app: the page's entry: tabs (queues, functions, dead-letter queues) kept in the URL hash, and one
 * refresh loop that reads the admin API once a second (never overlapping: the next round starts a second after the
 * previous one ended).
 */
import { admin } from './api.js';
import { DlqView } from './dlq-view.js';
import { fmtInt, fmtTime, h } from './dom.js';
import { FunctionsView } from './functions-view.js';
import { QueuesView } from './queues-view.js';

const REFRESH_MS = 1_000;
const TABS = ['queues', 'functions', 'dlq'];

const $ = (selector) => document.querySelector(selector);

/** `text` decoded, or undefined for a malformed escape (a hand-edited URL must not stop the page). */
function decoded(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function parseHash() {
  const [tab, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { tab: TABS.includes(tab) ? tab : 'queues', item: rest.length > 0 ? decoded(rest.join('/')) : undefined };
}

const state = { ...parseHash(), info: undefined, rounds: 0 };
let timer;
let isRunning = false;

const queuesView = new QueuesView($('#view-queues'), {
  onSelect: (name) => {
    location.hash = `#queues/${encodeURIComponent(name)}`;
  },
});
const functionsView = new FunctionsView($('#view-functions'), {
  onSelect: (name) => {
    location.hash = `#functions/${encodeURIComponent(name)}`;
  },
});
const dlqView = new DlqView($('#view-dlq'), { onChanged: () => kick() });
if (state.tab === 'queues' && state.item) queuesView.selected = state.item;
if (state.tab === 'functions' && state.item) functionsView.selected = state.item;

function showTab() {
  for (const tab of TABS) {
    $(`#view-${tab}`).hidden = tab !== state.tab;
    $(`#tab-${tab}`).classList.toggle('active', tab === state.tab);
    $(`#tab-${tab}`).setAttribute('aria-selected', String(tab === state.tab));
  }
}

window.addEventListener('hashchange', () => {
  Object.assign(state, parseHash());
  if (state.tab === 'queues' && state.item) queuesView.selected = state.item;
  if (state.tab === 'functions' && state.item) functionsView.selected = state.item;
  showTab();
  kick();
});

function setStatus(isOk, text) {
  const status = $('#status');
  status.classList.toggle('down', !isOk);
  // What the page shows is from before the server went away: say so by dimming it.
  document.body.classList.toggle('stale', !isOk);
  status.replaceChildren(h('span', { class: 'dot' }), text);
}

function renderInfo(info) {
  $('#server-info').replaceChildren(
    h('span', { class: 'mono', text: info.endpoint }),
    h('span', { class: 'sep', text: '·' }),
    h('span', { text: info.storage }),
    h('span', { class: 'sep', text: '·' }),
    h('span', { text: `${info.region} / ${info.accountId}` }),
    h('span', { class: 'sep', text: '·' }),
    h('span', { text: info.hasRuntime ? 'local Lambda runtime attached' : 'queues only (no runtime)' }),
  );
  $('#tab-functions').classList.toggle('dim', !info.hasRuntime);
}

async function round() {
  if (state.info === undefined || state.rounds % 5 === 0) {
    state.info = await admin('info');
    renderInfo(state.info);
  }
  const { queues } = await admin('queues');
  const dlqMessages = queues.filter((q) => q.deadLetterSources.length > 0).reduce((n, q) => n + q.visible + q.inFlight, 0);
  const badge = $('#tab-dlq .count');
  badge.textContent = dlqMessages > 0 ? fmtInt(dlqMessages) : '';
  badge.hidden = dlqMessages === 0;
  if (state.tab === 'queues') {
    queuesView.renderList(queues);
    await queuesView.refreshDetail();
  } else if (state.tab === 'functions') {
    await functionsView.refresh();
  } else {
    await dlqView.refresh(queues);
  }
}

async function tick() {
  if (isRunning) return;
  isRunning = true;
  clearTimeout(timer);
  try {
    await round();
    state.rounds++;
    document.body.dataset.rounds = String(state.rounds);
    setStatus(true, `live · ${fmtTime(Date.now())}`);
  } catch (error) {
    // Once per outage, not once a second.
    const isNew = !document.body.classList.contains('stale');
    setStatus(false, error instanceof TypeError ? 'server unreachable, retrying…' : `error: ${error.message}`);
    if (isNew) console.error(error);
  } finally {
    isRunning = false;
    timer = setTimeout(tick, REFRESH_MS);
  }
}

/** Refreshes now (after a tab switch or an action) instead of at the next second. */
function kick() {
  if (isRunning) return;
  clearTimeout(timer);
  tick();
}

showTab();
tick();
