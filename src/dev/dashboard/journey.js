// The journey of one event: when it was appended, when each processor handled it, when its summary was published
// and acknowledged, with the latency of each hop — from the spans the dev host keeps (GET streams/{s}/journey/{i}).
import { $, el, fullTime, getJson } from './dom.js';

const kindLabels = { request: 'HTTP request', append: 'Appended', handled: 'Handled', published: 'Published → acked' };
const ms = (value) => `${Math.round(value).toLocaleString('en-US')} ms`;

/** A hop's bar on the track: at least 0.5 % wide, and never past the track's end. */
function bar(hop, start, total) {
  const width = Math.max(0.5, ((hop.endMs - hop.startMs) / total) * 100);
  const left = Math.min(100 - width, ((hop.startMs - start) / total) * 100);
  return `left:${left}%;width:${width}%`;
}

function waterfall(hops) {
  const start = Math.min(...hops.map((h) => h.startMs));
  const end = Math.max(...hops.map((h) => h.endMs));
  const total = Math.max(1, end - start);
  return el(
    'div',
    { class: 'waterfall', 'data-testid': 'journey-waterfall' },
    hops.map((hop) =>
      el(
        'div',
        { class: `hop hop-${hop.kind}${hop.failed ? ' hop-failed' : ''}` },
        el(
          'span',
          { class: 'hop-label' },
          hop.kind === 'append' || hop.kind === 'request' ? hop.name : (hop.processor ?? kindLabels[hop.kind]),
        ),
        el(
          'span',
          { class: 'hop-track' },
          el('span', {
            class: 'hop-bar',
            title: `${hop.name}: ${ms(hop.endMs - hop.startMs)}`,
            style: bar(hop, start, total),
          }),
        ),
      ),
    ),
  );
}

function hopRow(hop) {
  return el(
    'tr',
    { class: `${hop.failed ? 'failed' : ''}${hop.upstream ? ' upstream' : ''}` },
    el('td', {}, kindLabels[hop.kind]),
    el(
      'td',
      { class: 'mono' },
      hop.kind === 'append' || hop.kind === 'request' ? hop.name : (hop.processor ?? hop.name),
    ),
    el('td', { class: 'mono' }, fullTime(new Date(hop.endMs).toISOString())),
    el('td', { class: 'num' }, hop.upstream || hop.kind === 'append' ? '–' : ms(hop.waitMs)),
    el('td', { class: 'num' }, ms(hop.endMs - hop.startMs)),
    el('td', { class: 'num' }, hop.upstream ? '–' : ms(hop.sinceAppendMs)),
  );
}

/** Shows the journey of event `index` of `stream` in the stream view's journey panel. */
export async function showJourney(stream, index) {
  const panel = $('journey');
  if (!panel) return;
  try {
    const journey = await getJson(`/streams/${encodeURIComponent(stream)}/journey/${index}`);
    if (!journey.tracing) {
      panel.replaceChildren(el('p', { class: 'note' }, 'Tracing is off in this dev host (TRIBUTARY_TRACING=off).'));
      return;
    }
    if (!journey.found) {
      panel.replaceChildren(
        el(
          'p',
          { class: 'note' },
          `No trace kept for event #${index}: written before the host started, or too long ago.`,
        ),
      );
      return;
    }
    panel.replaceChildren(
      el('h3', {}, `Journey of #${index} · trace ${journey.traceId}`),
      waterfall(journey.hops),
      el(
        'table',
        { 'data-testid': 'journey-hops' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ['Hop', 'Where', 'Done at', 'Waited', 'Took', 'Since append'].map((h) => el('th', {}, h)),
          ),
        ),
        el('tbody', {}, journey.hops.map(hopRow)),
      ),
      el(
        'p',
        { class: 'note' },
        'Grey rows led to this event (the request, the appends and handler calls above it in the trace). Waited: for a ' +
          'processor, from the append ending to its call starting; for a publish, from its handler call starting; for ' +
          "a consumer, from the broker's acknowledgement. Published → acked ends when the broker acknowledged the " +
          'summary.',
      ),
    );
  } catch (error) {
    panel.replaceChildren(el('p', { class: 'note' }, error.message));
  }
}
