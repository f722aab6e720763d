// Tiles + chart for one selection (MTA IP / domain / tag), updated every second: the Overview and the
// Domains, MTA IPs and Tags item pages all show it. Polls /api/stats and /api/stats/history with the
// selection as ?mta=&domain=&tag= (the /ws stats feed carries server counters, not these filtered numbers).
//
//   const panel = mountLivePanel(parent, { filter: { domain: 'example.org' }, onStats: (stats) => … });
//   panel.setFilter({ mta: '192.0.2.1' });
//   panel.destroy();

import { EMPTY, api, h, numberFormat } from './core.js';
import { SERIES, createChart } from './chart.js';

const POLL_MS = 1000;
const CHART_SECONDS = 300;
/** Seconds re-read on every poll: a late or missed poll still leaves no hole in the chart. */
const OVERLAP_SECONDS = 5;

/** '?mta=…&domain=…' for the filter's set fields ('' when none). */
export function filterQuery(filter, extra = {}) {
  const params = new URLSearchParams(extra);
  for (const key of ['mta', 'domain', 'tag']) if (filter?.[key]) params.set(key, filter[key]);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function mountLivePanel(parent, { filter = {}, onStats = null } = {}) {
  const values = new Map();
  const chartBox = h('div', { class: 'chart-plot' });
  const chartEmpty = h('p', { class: 'chart-empty' }, 'Loading the chart…');
  const chart = createChart(chartBox, { seconds: CHART_SECONDS });
  const visible = Object.fromEntries(SERIES.map(([key]) => [key, true]));

  const tiles = h('section', { class: 'tiles', 'aria-label': 'Counters' });
  for (const [key, title] of SERIES) {
    const value = h('p', { class: 'tile-value', 'data-value': key }, EMPTY);
    values.set(key, value);
    const toggle = h('button', {
      type: 'button', class: 'tile-toggle', 'aria-pressed': 'true',
      'aria-label': `Show ${title} in the chart`, title: 'Show or hide this line in the chart',
    }, h('span', { class: 'swatch', 'aria-hidden': 'true' }));
    const tile = h('article', { class: 'tile', 'data-stat': key, 'data-shown': 'true' },
      h('div', { class: 'tile-head' }, h('h2', {}, title), toggle),
      value,
      h('p', { class: 'tile-unit' }, 'per 60 seconds'));
    const flip = () => {
      visible[key] = !visible[key];
      toggle.setAttribute('aria-pressed', String(visible[key]));
      tile.dataset.shown = String(visible[key]);
      chart.setVisible(key, visible[key]);
    };
    toggle.addEventListener('click', (event) => { event.stopPropagation(); flip(); });
    tile.addEventListener('click', flip);
    tiles.append(tile);
  }
  const chartSection = h('section', { class: 'chart live-chart', 'aria-label': 'Activity chart' },
    h('h2', { class: 'chart-title' }, 'Last 5 minutes, per second'), chartEmpty, chartBox);
  parent.append(tiles, chartSection);

  // 'mq-dashboard-ready' marks the first moment tiles have numbers and the chart is drawn (performance
  // timeline; the browser tests read it against app.js's 'mq-login').
  let tilesReady = false;
  let chartReady = false;
  const markReady = () => {
    if (tilesReady && chartReady) performance.mark('mq-dashboard-ready');
  };

  let current = { ...filter };
  let active = true;
  let timer = 0;
  let generation = 0; // a filter change makes answers to older requests stale

  async function fetchJson(path) {
    try {
      const response = await api('GET', path);
      return response.ok ? await response.json() : null;
    } catch {
      return null;
    }
  }

  async function loadHistory() {
    const mine = generation;
    const history = await fetchJson(`/api/stats/history${filterQuery(current, { seconds: CHART_SECONDS })}`);
    if (!active || mine !== generation || !history) return;
    chart.setData(history);
    chartEmpty.hidden = true;
    if (!chartReady) {
      chartReady = true;
      markReady();
    }
  }

  async function poll() {
    const mine = generation;
    const [stats, recent] = await Promise.all([
      fetchJson(`/api/stats${filterQuery(current)}`),
      fetchJson(`/api/stats/history${filterQuery(current, { seconds: OVERLAP_SECONDS })}`),
    ]);
    if (!active) return;
    if (mine === generation) {
      if (stats) {
        for (const [key, element] of values) {
          element.textContent = typeof stats[key] === 'number' ? numberFormat.format(stats[key]) : EMPTY;
        }
        if (onStats) onStats(stats);
        if (!tilesReady) {
          tilesReady = true;
          markReady();
        }
      }
      if (recent && chart.length > 0) chart.merge(recent);
    }
    timer = setTimeout(poll, POLL_MS);
  }

  loadHistory();
  poll();

  return {
    tiles,
    chart: chartSection,
    setFilter(next) {
      current = { ...next };
      generation += 1;
      for (const element of values.values()) element.textContent = EMPTY;
      loadHistory();
    },
    destroy() {
      active = false;
      clearTimeout(timer);
      chart.destroy();
    },
  };
}
