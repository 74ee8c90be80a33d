// Line charts with labelled axes, time ticks and a legend that hides and shows lines. Plain SVG, no library.
import { el } from './dom.js';

const ns = 'http://www.w3.org/2000/svg';
const palette = ['#0b6bcb', '#c4320a', '#107569', '#6938ef', '#b54708', '#dd2590', '#344054', '#3e7c17'];
const margin = { left: 56, right: 32, top: 10, bottom: 34 };

function svg(tag, attributes, text) {
  const node = document.createElementNS(ns, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A round upper bound for the y axis (1, 2, 5 × 10^n) so tick labels read well. */
export function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

const clock = (at) => new Date(at).toISOString().slice(11, 19);

/**
 * Draws `series` (name → [{ at, value }]) into `figure`: an <svg> and a legend. `hidden` (a Set of names) survives
 * redraws, so lines the user hid stay hidden.
 */
export function drawChart(figure, { series, yLabel, hidden, colors }) {
  const width = Math.max(320, figure.clientWidth || 800);
  const height = 220;
  const names = [...series.keys()];
  const shown = names.filter((name) => !hidden.has(name));
  const points = shown.flatMap((name) => series.get(name));
  const all = names.flatMap((name) => series.get(name));
  const first = Math.min(...all.map((p) => p.at));
  const last = Math.max(...all.map((p) => p.at));
  const span = Math.max(1000, last - first);
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const x = (at) => margin.left + ((at - first) / span) * plotW;
  const y = (value) => margin.top + plotH - (value / max) * plotH;

  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart' });
  root.append(svg('title', {}, `${yLabel} over the last ${Math.round(span / 1000)} s`));
  for (const fraction of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    const value = max * fraction;
    root.append(
      svg('line', { x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value), class: 'grid' }),
      svg(
        'text',
        { x: margin.left - 6, y: y(value) + 4, 'text-anchor': 'end', class: 'tick y-tick' },
        `${Number(value.toPrecision(3))}`,
      ),
    );
  }
  // at most one tick a second, so that two ticks never carry the same label
  const ticks = Math.max(1, Math.min(6, Math.floor(plotW / 110), Math.floor(span / 1000)));
  for (let i = 0; i <= ticks; i++) {
    const at = first + (span * i) / ticks;
    root.append(
      svg('line', { x1: x(at), x2: x(at), y1: margin.top + plotH, y2: margin.top + plotH + 4, class: 'axis' }),
      svg('text', { x: x(at), y: height - 16, 'text-anchor': 'middle', class: 'tick x-tick' }, clock(at)),
    );
  }
  root.append(
    svg('line', { x1: margin.left, x2: margin.left, y1: margin.top, y2: margin.top + plotH, class: 'axis' }),
    svg('line', {
      x1: margin.left,
      x2: width - margin.right,
      y1: margin.top + plotH,
      y2: margin.top + plotH,
      class: 'axis',
    }),
    svg(
      'text',
      {
        x: 12,
        y: margin.top + plotH / 2,
        transform: `rotate(-90 12 ${margin.top + plotH / 2})`,
        'text-anchor': 'middle',
        class: 'axis-title',
      },
      yLabel,
    ),
    svg(
      'text',
      { x: margin.left + plotW / 2, y: height - 2, 'text-anchor': 'middle', class: 'axis-title' },
      'time (UTC)',
    ),
  );
  for (const name of shown) {
    const line = series.get(name).map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`);
    root.append(
      svg('polyline', {
        points: line.join(' '),
        fill: 'none',
        stroke: colors(name),
        'stroke-width': 2,
        'data-series': name,
      }),
    );
  }
  const legend = el(
    'div',
    { class: 'legend' },
    names.map((name) =>
      el(
        'button',
        {
          type: 'button',
          class: 'legend-item',
          style: `--swatch: ${colors(name)}`,
          'aria-pressed': String(!hidden.has(name)),
          title: hidden.has(name) ? `Show ${name}` : `Hide ${name}`,
          onclick: () => {
            if (hidden.has(name)) hidden.delete(name);
            else hidden.add(name);
            drawChart(figure, { series, yLabel, hidden, colors });
          },
        },
        name,
      ),
    ),
  );
  figure.replaceChildren(root, legend);
}

/** One color per name, stable across redraws and charts. */
export function colorsFor(names) {
  const sorted = [...names].sort();
  return (name) => palette[Math.max(0, sorted.indexOf(name)) % palette.length];
}
