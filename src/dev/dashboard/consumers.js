// The downstream consumers the dev host runs: per partition, newest offset, committed offset and the lag between.
import { $, el, fillRows, number } from './dom.js';

function health(consumer) {
  if (consumer.failing > 0) return ['failing', 'failing'];
  if (consumer.parked > 0) return ['parked', 'streams parked'];
  return consumer.lag > 0 ? ['catching-up', 'catching up'] : ['caught-up', 'caught up'];
}

/** Redraws the consumers section; hidden when the host runs none (file sink, `tributary dashboard`). */
export function renderConsumers(status) {
  const consumers = status.consumers ?? [];
  $('consumers-section').hidden = consumers.length === 0;
  const rows = [];
  for (const consumer of consumers) {
    const [state, text] = health(consumer);
    const partitions = consumer.partitions.length ? consumer.partitions : [{}];
    partitions.forEach((partition, i) => {
      const first = i === 0;
      rows.push(
        el(
          'tr',
          { 'data-consumer': consumer.name, 'data-partition': partition.partition },
          el('td', {}, first ? consumer.name : ''),
          el('td', {}, first ? consumer.topic : ''),
          el('td', { class: `health-${state}` }, first ? text : ''),
          el('td', { class: 'num' }, partition.partition ?? '–'),
          el('td', { class: 'num', 'data-testid': 'consumer-newest' }, partition.newest ?? '–'),
          el('td', { class: 'num', 'data-testid': 'consumer-committed' }, partition.committed ?? '–'),
          el('td', { class: 'num', 'data-testid': 'consumer-lag' }, number(partition.lag)),
          el('td', { class: 'num' }, number(partition.inFlight)),
          el('td', { class: 'num', 'data-testid': 'consumer-handled' }, first ? number(consumer.handled) : ''),
          el('td', { class: 'num' }, first ? number(consumer.stale) : ''),
          el('td', { class: 'num' }, first ? number(consumer.unreadable) : ''),
          el('td', { class: 'num', 'data-testid': 'consumer-parked' }, first ? number(consumer.parked) : ''),
        ),
      );
    });
  }
  fillRows($('consumers'), rows, 12, 'No consumers.');
}
