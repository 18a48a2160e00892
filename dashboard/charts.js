/**
 * @module dashboard/charts: live time-series charts on uPlot (served by the mqs server from node_modules). A chart
 * keeps its series and takes new columns every second; its container says how many samples it shows
 * (`data-points`) and each series' maximum (`data-max`), which the browser tests read.
 */
import uPlot from '/_admin/ui/vendor/uplot.esm.js';

/** Series colours by meaning, shared by every chart. */
export const COLORS = {
  visible: '#2563eb',
  inFlight: '#f59e0b',
  delayed: '#8b5cf6',
  sent: '#16a34a',
  received: '#2563eb',
  deleted: '#0d9488',
  invocations: '#2563eb',
  errors: '#dc2626',
  throttles: '#ea580c',
  avgDurationMs: '#2563eb',
  p99DurationMs: '#db2777',
  concurrency: '#7c3aed',
  instances: '#94a3b8',
};

const HEIGHT = 190;
/** The x axis spans at least this many seconds, so the first minute fills in from the right instead of stretching. */
const MIN_SPAN_S = 60;

/**
 * A chart of `series` ({ key, label }) from columns `{ t: [ms…], <key>: [...] }`.
 * `unit` labels the y axis values (e.g. '/s', ' ms').
 */
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
/** Seconds since the epoch → 14:03:07. */
const clockTime = (seconds) => new Date(seconds * 1000).toLocaleTimeString('en-GB', { hour12: false });

export class LiveChart {
  constructor(container, { title, series, unit = '', isStepped = false }) {
    this.container = container;
    this.keys = series.map((s) => s.key);
    container.classList.add('chart');
    container.dataset.points = '0';
    const fmt = (v) => (v === null || v === undefined ? '–' : `${Math.round(v * 10) / 10}${unit}`);
    const opts = {
      title,
      width: Math.max(240, container.clientWidth || 480),
      height: HEIGHT,
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { live: true },
      scales: { x: { time: true, range: (_u, min, max) => [Math.min(min ?? 0, (max ?? 0) - MIN_SPAN_S), max ?? 0] }, y: { range: (_u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        // 24-hour clock times, as everywhere else on the page.
        { stroke: '#64748b', grid: { stroke: '#e2e8f0', width: 1 }, ticks: { stroke: '#e2e8f0' }, values: (_u, vals) => vals.map((v) => clockTime(v)) },
        // Compact (100k, 1.2M), so large counts fit the axis.
        { stroke: '#64748b', grid: { stroke: '#e2e8f0', width: 1 }, ticks: { stroke: '#e2e8f0' }, size: 56, values: (_u, vals) => vals.map((v) => `${compact.format(v)}${unit}`) },
      ],
      series: [
        { label: 'time', value: (_u, v) => (v === null || v === undefined ? '–' : clockTime(v)) },
        ...series.map((s) => ({
          label: s.label,
          stroke: COLORS[s.key] ?? '#334155',
          width: 2,
          fill: s.isFilled ? `${COLORS[s.key] ?? '#334155'}1a` : undefined,
          value: (_u, v) => fmt(v),
          points: { show: false },
          ...(isStepped ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
        })),
      ],
    };
    this.plot = new uPlot(opts, [[], ...series.map(() => [])], container);
    this.resizer = new ResizeObserver(() => {
      const width = container.clientWidth;
      if (width > 0 && Math.abs(width - this.plot.width) > 2) this.plot.setSize({ width, height: HEIGHT });
    });
    this.resizer.observe(container);
  }

  /** Shows `columns` (times in ms). */
  update(columns) {
    const t = (columns?.t ?? []).map((ms) => ms / 1000);
    const data = [t, ...this.keys.map((key) => columns?.[key] ?? [])];
    this.plot.setData(data);
    // With the pointer away, the legend shows the newest values instead of dashes.
    if (t.length > 0 && !(this.plot.cursor.left >= 0)) this.plot.setLegend({ idx: t.length - 1 });
    this.container.dataset.points = String(t.length);
    const max = {};
    for (const key of this.keys) max[key] = (columns?.[key] ?? []).reduce((m, v) => Math.max(m, v ?? 0), 0);
    this.container.dataset.max = JSON.stringify(max);
  }

  destroy() {
    this.resizer.disconnect();
    this.plot.destroy();
  }
}
