// The overview: where things are, health, charts, processors and leases, consumers, streams in trouble, recent
// summaries.
import { colorsFor, drawChart } from './chart.js';
import { renderConsumers } from './consumers.js';
import { $, age, compactJson, el, fillRows, fullTime, getJson, number, postJson, session } from './dom.js';

const hiddenLag = new Set();
const hiddenRate = new Set();
const healthText = {
  'caught-up': 'caught up',
  'catching-up': 'catching up',
  failing: 'failing',
  parked: 'streams parked',
};

function publisherText(health) {
  if (!health) return '';
  if (health.state === 'idle') return 'nothing published yet';
  if (health.state === 'connected') return `connected · last publish ${fullTime(health.lastPublishedAt)}`;
  return `retrying since ${fullTime(health.downSince)} · ${health.lastError ?? ''}`;
}

function renderWhere(status) {
  const sink = status.summarySink;
  const items = [
    ['API', status.api || '–'],
    ['Cosmos', `${status.cosmos.endpoint} (${status.cosmos.kind}, db ${status.cosmos.database})`],
    ['Summaries', `${sink.kind}: ${sink.target}`],
  ];
  $('where').replaceChildren(...items.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
  $('read-only').hidden = !status.readOnly;
}

function renderCards(status) {
  const { processors } = status;
  const healthy = processors.filter((p) => p.health === 'caught-up').length;
  $('health-summary').textContent = `${healthy} / ${processors.length}`;
  $('events-handled').replaceChildren(
    ...processors.map((p) =>
      el(
        'div',
        { class: 'per-processor' },
        el('span', {}, p.name),
        el('b', {}, p.observedOnly ? '–' : number(p.eventsHandled)),
      ),
    ),
  );
  const lag = processors.reduce((sum, p) => sum + (p.lag ?? 0), 0);
  const behind = Math.max(0, ...processors.flatMap((p) => p.leases.map((l) => l.behindMs ?? 0)));
  $('lag-total').textContent = number(lag);
  $('lag-behind').textContent = lag === 0 ? 'all caught up' : `oldest pending change ${age(behind)} old`;
  const { failing, stalled, parked } = status.streams;
  $('problem-counts').textContent = `${failing.length} / ${stalled.length} / ${parked.length}`;
  const health = status.summarySink.health;
  const publisher = $('publisher-state');
  publisher.textContent = health ? health.state : status.summarySink.kind;
  publisher.dataset.state = health?.state ?? 'idle';
  $('publisher-detail').textContent = publisherText(health);
}

function renderCharts(status) {
  const names = status.processors.map((p) => p.name);
  const colors = colorsFor(names);
  const seriesOf = (field) =>
    new Map(
      names.map((name) => [
        name,
        status.lagHistory.filter((s) => name in s[field]).map((s) => ({ at: s.at, value: s[field][name] })),
      ]),
    );
  if (status.lagHistory.length === 0) return;
  if (status.processors.every((p) => p.observedOnly)) {
    $('rate-chart').replaceChildren(
      el(
        'p',
        { class: 'note' },
        'Known only to the processes that run the handlers: this dashboard reads what they store.',
      ),
    );
  } else {
    drawChart($('rate-chart'), { series: seriesOf('rate'), yLabel: 'events handled / s', hidden: hiddenRate, colors });
  }
  drawChart($('lag-chart'), { series: seriesOf('lag'), yLabel: 'changes not yet handled', hidden: hiddenLag, colors });
}

function checkpointText(lease) {
  if (lease.caughtUp) return 'idle, caught up';
  return age(lease.checkpointAgeMs);
}

function renderProcessors(status) {
  const rows = [];
  for (const processor of status.processors) {
    const leases = processor.leases.length ? processor.leases : [{}];
    leases.forEach((lease, i) => {
      rows.push(
        el(
          'tr',
          { 'data-processor': processor.name },
          el('td', {}, i === 0 ? processor.name : ''),
          el('td', {}, i === 0 ? processor.kind : ''),
          el('td', { class: `health-${processor.health}` }, i === 0 ? (healthText[processor.health] ?? '') : ''),
          el('td', { class: 'mono' }, lease.range ?? '–'),
          el('td', { class: 'mono' }, lease.owner ?? '–'),
          el('td', { 'data-testid': 'checkpoint' }, checkpointText(lease)),
          el('td', { class: 'num' }, number(lease.lag)),
          el('td', { class: 'num' }, lease.caughtUp ? '–' : age(lease.behindMs)),
          el('td', { class: 'num' }, i === 0 && !processor.observedOnly ? number(processor.eventsHandled) : ''),
          el('td', { class: 'num' }, i === 0 && !processor.observedOnly ? number(processor.eventsPerSecond) : ''),
          el('td', { class: 'num' }, i === 0 && !processor.observedOnly ? number(processor.latencyP95Ms) : ''),
        ),
      );
    });
  }
  fillRows($('processors'), rows, 11, 'No processors yet.');
}

async function replay(processor, stream, button) {
  button.disabled = true;
  try {
    const result = await postJson('/parked/replay', { processor, stream });
    $('replay-result').textContent = result.message;
  } catch (error) {
    $('replay-result').textContent = `Replay of ${stream} failed: ${error.message}`;
    button.disabled = false;
  }
}

function renderProblems(status, actions) {
  const rows = [];
  for (const state of ['failing', 'stalled', 'parked']) {
    for (const item of status.streams[state]) {
      const buttons = [];
      if (state === 'parked') {
        buttons.push(
          el(
            'button',
            { type: 'button', class: 'secondary', onclick: () => actions.showDeadLetter(item.processor, item.stream) },
            'Dead letter',
          ),
        );
        if (!status.readOnly) {
          buttons.push(
            el(
              'button',
              {
                type: 'button',
                'data-testid': `replay-${item.stream}`,
                onclick: (e) => replay(item.processor, item.stream, e.target),
              },
              'Replay',
            ),
          );
        }
      }
      rows.push(
        el(
          'tr',
          { 'data-state': state },
          el('td', { class: `state-${state}` }, state),
          el('td', {}, item.processor),
          el(
            'td',
            { class: 'mono' },
            el('a', { href: '#streams', onclick: () => actions.showStream(item.stream) }, item.stream),
          ),
          el('td', {}, fullTime(item.since)),
          el('td', { class: 'wrap' }, item.error ?? ''),
          el('td', { class: 'actions' }, buttons),
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
      el('td', {}, fullTime(s.publishedAt)),
      el('td', {}, s.topic),
      el('td', { class: 'mono' }, s.key),
      el('td', { class: 'num' }, s.version ?? ''),
      el('td', { class: 'wrap' }, el('pre', {}, compactJson(s.value))),
    ),
  );
  fillRows($('summaries'), rows, 5, 'No summaries published yet.');
}

/** Fetches the status and redraws the overview; resolves to the status, or throws when the host is unreachable. */
export async function refreshOverview(actions) {
  const status = await getJson('/status');
  session.readOnly = status.readOnly === true;
  renderWhere(status);
  renderCards(status);
  renderCharts(status);
  renderProcessors(status);
  renderConsumers(status);
  renderProblems(status, actions);
  renderSummaries(status);
  return status;
}
