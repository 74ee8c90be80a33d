// The dev dashboard: polls /dashboard/api/status once a second and redraws. Plain DOM, no build step, no CDN.
const api = '/dashboard/api';
const palette = ['#0b6bcb', '#c4320a', '#107569', '#6938ef', '#b54708', '#dd2590', '#344054', '#3e7c17'];

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ''));
  return node;
}

const number = (n) => (typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: 1 }) : '–');

function age(ms) {
  if (typeof ms !== 'number') return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '–');

function fillRows(tbody, rows, columns, emptyText) {
  tbody.replaceChildren(
    ...(rows.length ? rows : [el('tr', {}, el('td', { class: 'empty', colspan: String(columns) }, emptyText))]),
  );
}

async function getJson(path, init) {
  const response = await fetch(`${api}${path}`, init);
  const body = await response.json();
  if (!response.ok) throw new Error(body.message ?? `${response.status}`);
  return body;
}

function renderWhere(status) {
  const items = [
    ['API', status.api],
    ['Cosmos', `${status.cosmos.endpoint} (${status.cosmos.kind}, db ${status.cosmos.database})`],
    ['Summaries', `${status.summarySink.kind}: ${status.summarySink.target}`],
  ];
  $('where').replaceChildren(...items.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

function renderCards(status) {
  $('throughput').textContent = number(status.throughput.eventsPerSecond);
  $('events-handled').textContent = number(status.throughput.eventsHandled);
  $('lag-total').textContent = number(status.processors.reduce((sum, p) => sum + (p.lag ?? 0), 0));
  const { failing, stalled, parked } = status.streams;
  $('problem-counts').textContent = `${failing.length} / ${stalled.length} / ${parked.length}`;
}

function renderProcessors(status) {
  const rows = [];
  for (const processor of status.processors) {
    const leases = processor.leases.length ? processor.leases : [{}];
    leases.forEach((lease, i) => {
      rows.push(
        el(
          'tr',
          {},
          el('td', {}, i === 0 ? `${processor.name} (${processor.kind})` : ''),
          el('td', { class: 'mono' }, lease.range ?? '–'),
          el('td', { class: 'mono' }, lease.owner ?? '–'),
          el('td', {}, age(lease.checkpointAgeMs)),
          el('td', {}, number(lease.lag)),
          el('td', {}, i === 0 ? number(processor.eventsHandled) : ''),
          el('td', {}, i === 0 ? number(processor.eventsPerSecond) : ''),
          el('td', {}, i === 0 ? number(processor.latencyP95Ms) : ''),
        ),
      );
    });
  }
  fillRows($('processors'), rows, 8, 'No processors yet.');
}

async function replay(processor, stream, button) {
  button.disabled = true;
  try {
    const result = await getJson('/parked/replay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processor, stream }),
    });
    $('replay-result').textContent = result.message;
  } catch (error) {
    $('replay-result').textContent = `Replay of ${stream} failed: ${error.message}`;
    button.disabled = false;
  }
}

function renderProblems(status) {
  const rows = [];
  for (const state of ['failing', 'stalled', 'parked']) {
    for (const item of status.streams[state]) {
      const action =
        state === 'parked'
          ? el(
              'button',
              { 'data-testid': `replay-${item.stream}`, onclick: (e) => replay(item.processor, item.stream, e.target) },
              'Replay',
            )
          : '';
      rows.push(
        el(
          'tr',
          { 'data-state': state },
          el('td', { class: `state-${state}` }, state),
          el('td', {}, item.processor),
          el('td', { class: 'mono' }, el('a', { onclick: () => showStream(item.stream) }, item.stream)),
          el('td', {}, time(item.since)),
          el('td', { class: 'wrap' }, item.error ?? ''),
          el('td', {}, action),
        ),
      );
    }
  }
  fillRows($('problems'), rows, 6, 'All streams are healthy.');
}

function renderSummaries(status) {
  const rows = status.recentSummaries.map((s) =>
    el(
      'tr',
      {},
      el('td', {}, time(s.publishedAt)),
      el('td', {}, s.topic),
      el('td', { class: 'mono' }, s.key),
      el('td', {}, s.version ?? ''),
      el('td', { class: 'wrap' }, el('pre', {}, JSON.stringify(s.value))),
    ),
  );
  fillRows($('summaries'), rows, 5, 'No summaries published yet.');
}

function renderLagChart(status) {
  const svg = $('lag-chart');
  const history = status.lagHistory;
  const series = [...new Set(history.flatMap((sample) => Object.keys(sample.lag)))].sort();
  const width = 800;
  const height = 180;
  const max = Math.max(1, ...history.flatMap((sample) => Object.values(sample.lag)));
  const first = history[0]?.at ?? 0;
  const span = Math.max(1, (history.at(-1)?.at ?? 1) - first);
  const ns = 'http://www.w3.org/2000/svg';
  const nodes = [];
  for (const fraction of [0.25, 0.5, 0.75]) {
    const line = document.createElementNS(ns, 'line');
    line.setAttribute('x1', '0');
    line.setAttribute('x2', String(width));
    line.setAttribute('y1', String(height * fraction));
    line.setAttribute('y2', String(height * fraction));
    line.setAttribute('stroke', '#e4e7ec');
    nodes.push(line);
  }
  series.forEach((name, i) => {
    const points = history
      .filter((sample) => name in sample.lag)
      .map((s) => `${((s.at - first) / span) * width},${height - 4 - (s.lag[name] / max) * (height - 12)}`);
    const path = document.createElementNS(ns, 'polyline');
    path.setAttribute('points', points.join(' '));
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', palette[i % palette.length]);
    path.setAttribute('stroke-width', '2');
    path.setAttribute('vector-effect', 'non-scaling-stroke');
    nodes.push(path);
  });
  svg.replaceChildren(...nodes);
  const seconds = Math.round(span / 1000);
  $('lag-legend').replaceChildren(
    el('span', { style: '--swatch: transparent' }, `last ${seconds} s, top = ${number(max)} changes`),
    ...series.map((name, i) => el('span', { style: `--swatch: ${palette[i % palette.length]}` }, name)),
  );
}

async function refresh() {
  try {
    const status = await getJson('/status');
    renderWhere(status);
    renderCards(status);
    renderLagChart(status);
    renderProcessors(status);
    renderProblems(status);
    renderSummaries(status);
    $('live').textContent = `live · updated ${new Date(status.generatedAt).toLocaleTimeString()}`;
  } catch (error) {
    $('live').textContent = `disconnected: ${error.message}`;
  }
}

function jsonBlock(title, value) {
  return el('div', {}, el('h3', {}, title), el('pre', {}, JSON.stringify(value, null, 2)));
}

async function showStream(name) {
  $('stream-name').value = name;
  const view = $('stream-view');
  try {
    const stream = await getJson(`/streams/${encodeURIComponent(name)}`);
    const rows = stream.events.map((e) =>
      el(
        'tr',
        {},
        el('td', {}, e.index),
        el('td', {}, e.type),
        el('td', {}, time(e.timestamp)),
        el('td', { class: 'wrap' }, el('pre', {}, JSON.stringify(e.data))),
      ),
    );
    const table = el(
      'table',
      {},
      el(
        'thead',
        {},
        el('tr', {}, el('th', {}, '#'), el('th', {}, 'Type'), el('th', {}, 'Time'), el('th', {}, 'Data')),
      ),
      el('tbody', {}, ...rows),
    );
    view.replaceChildren(
      el('div', {}, el('h3', {}, `${stream.stream} · version ${stream.version}`), table),
      el('div', {}, jsonBlock('State', stream.state ?? null), jsonBlock('Unfolds', stream.unfolds)),
    );
  } catch (error) {
    view.replaceChildren(el('p', { class: 'note' }, error.message));
  }
}

async function showCategory(category) {
  try {
    const { streams } = await getJson(`/categories/${encodeURIComponent(category)}/streams`);
    $('category-streams').replaceChildren(
      el('span', { class: 'note' }, `${category}: `),
      ...streams.map((s) => el('a', { onclick: () => showStream(s.stream) }, s.stream)),
    );
  } catch (error) {
    $('category-streams').replaceChildren(el('span', { class: 'note' }, `${category}: ${error.message}`));
  }
}

async function loadCategories() {
  try {
    const { categories } = await getJson('/categories');
    $('categories').replaceChildren(
      el('span', { class: 'note' }, 'Browse: '),
      ...categories.map((c) => el('a', { onclick: () => showCategory(c) }, c)),
    );
  } catch {
    $('categories').replaceChildren();
  }
}

$('browse').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('stream-name').value.trim();
  if (name) showStream(name);
});

loadCategories();
refresh();
setInterval(refresh, 1000);
