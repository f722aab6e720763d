// The overview chart: the six per-second series of /api/stats/history drawn with uPlot (www/vendor/uplot),
// coloured from the theme's CSS variables and redrawn when the theme or the size changes.
//
//   const chart = createChart(element, { visible: { connects: true, … } });
//   chart.setData(history);        // {start, connects:[…], …} as /api/stats/history answers
//   chart.merge(history);          // newer seconds replace or extend what is drawn
//   chart.setVisible('errors', false);
//   chart.destroy();

import uPlot from '../vendor/uplot/uPlot.esm.js';

export const SERIES = [
  ['connects', 'Connects'],
  ['attempts', 'Attempts'],
  ['deliveries', 'Deliveries'],
  ['errors', 'Errors'],
  ['strange', 'Strange'],
  ['notTried', 'Not tried'],
];

let cssLoaded = false;

/** uPlot's own stylesheet, added once (index.html stays the only page and need not know about vendors). */
function loadCss() {
  if (cssLoaded) return;
  cssLoaded = true;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = 'vendor/uplot/uPlot.min.css';
  document.head.append(link);
}

function cssVar(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Keeps at most `keep` seconds, oldest first: [times, connects, attempts, …]. */
function emptyColumns() {
  return [[], ...SERIES.map(() => [])];
}

export function createChart(container, { seconds = 300, visible = {} } = {}) {
  loadCss();
  let columns = emptyColumns();
  let plot = null;
  const shown = Object.fromEntries(SERIES.map(([key]) => [key, visible[key] !== false]));

  function options(width) {
    const text = cssVar('--muted', '#5c6577');
    const grid = cssVar('--border', '#d9dde4');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    return {
      width,
      height: 260,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(5, max * 1.1)] } },
      axes: [axis, { ...axis, size: 48 }],
      series: [
        { label: 'Time' },
        ...SERIES.map(([key, label]) => ({
          label,
          show: shown[key],
          stroke: cssVar(`--series-${key}`, '#888'),
          width: 2,
          points: { show: false },
        })),
      ],
    };
  }

  function build() {
    const width = Math.max(300, Math.floor(container.clientWidth) - 2);
    if (plot) plot.destroy();
    container.replaceChildren();
    plot = new uPlot(options(width), columns, container);
  }

  const resize = new ResizeObserver(() => {
    if (plot) plot.setSize({ width: Math.max(300, Math.floor(container.clientWidth) - 2), height: 260 });
  });
  resize.observe(container);
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  const onScheme = () => build();
  scheme.addEventListener('change', onScheme);

  function toColumns(history) {
    const result = emptyColumns();
    const n = history?.connects?.length ?? 0;
    for (let i = 0; i < n; i++) {
      result[0].push(history.start + i);
      SERIES.forEach(([key], s) => result[s + 1].push(history[key]?.[i] ?? 0));
    }
    return result;
  }

  function redraw() {
    if (plot) plot.setData(columns);
    else build();
  }

  return {
    setData(history) {
      columns = toColumns(history);
      build();
    },
    /** Seconds already drawn are replaced (the running second grows), newer ones appended, the oldest dropped. */
    merge(history) {
      const fresh = toColumns(history);
      if (fresh[0].length === 0) return;
      const first = fresh[0][0];
      let cut = columns[0].findIndex((t) => t >= first);
      if (cut < 0) cut = columns[0].length;
      columns = columns.map((col, i) => col.slice(0, cut).concat(fresh[i]));
      const drop = Math.max(0, columns[0].length - seconds);
      if (drop > 0) columns = columns.map((col) => col.slice(drop));
      redraw();
    },
    setVisible(key, on) {
      shown[key] = on;
      const index = SERIES.findIndex(([k]) => k === key);
      if (plot && index >= 0) plot.setSeries(index + 1, { show: on });
    },
    /** Number of seconds drawn (tests and the empty-state text). */
    get length() {
      return columns[0].length;
    },
    destroy() {
      resize.disconnect();
      scheme.removeEventListener('change', onScheme);
      if (plot) plot.destroy();
      plot = null;
    },
  };
}
