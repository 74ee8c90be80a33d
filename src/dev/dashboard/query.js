// The query box: read-only SQL over one container, a page at a time, with the requests each page took.
import { $, el, postJson, prettyJson, session } from './dom.js';

let last = { container: 'events', sql: '', continuation: undefined };

async function replay(processor, stream, button) {
  button.disabled = true;
  try {
    const result = await postJson('/parked/replay', { processor, stream });
    button.replaceWith(el('span', { class: 'note', 'data-testid': 'letter-replayed' }, result.message));
  } catch (error) {
    button.replaceWith(el('span', { class: 'error' }, `Replay of ${stream} failed: ${error.message}`));
  }
}

/** An item as JSON; a dead letter also gets Replay (unless the page is read-only). */
function itemView(container, item) {
  const json = el('pre', { class: 'item' }, prettyJson(item));
  const letter = container === 'dead-letters' && item.error && typeof item.processor === 'string';
  if (!letter || session.readOnly) return json;
  const button = el(
    'button',
    { type: 'button', 'data-testid': `letter-replay-${item.stream}` },
    `Replay ${item.stream} through ${item.processor}`,
  );
  button.addEventListener('click', () => replay(item.processor, item.stream, button));
  return el('div', { class: 'letter' }, json, el('div', { class: 'row' }, button));
}

async function run(continuation) {
  const container = $('query-container').value;
  const sql = $('query-sql').value;
  const out = $('query-results');
  try {
    const page = await postJson('/query', { container, sql, ...(continuation ? { continuation } : {}) });
    last = { container, sql, continuation: page.continuation };
    $('query-summary').textContent =
      `${page.items.length} item(s) · ${page.requests} request(s)` +
      (page.requestCharge ? ` · ${page.requestCharge} RU` : '') +
      (page.continuation ? ' · more pages' : '');
    $('query-next').disabled = !page.continuation;
    out.replaceChildren(...page.items.map((item) => itemView(container, item)));
    if (page.items.length === 0) out.replaceChildren(el('p', { class: 'note' }, 'No items.'));
  } catch (error) {
    $('query-summary').textContent = '';
    out.replaceChildren(el('p', { class: 'error', 'data-testid': 'query-error' }, error.message));
  }
}

/** Fills the box with a query and runs it. */
export function runQuery(container, sql) {
  location.hash = '#query';
  $('query-container').value = container;
  $('query-sql').value = sql;
  return run(undefined);
}

const quote = (text) => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

export function showDeadLetter(processor, stream) {
  return runQuery(
    'dead-letters',
    `SELECT * FROM c WHERE c.processor = ${quote(processor)} AND c.stream = ${quote(stream)}`,
  );
}

export function setUpQuery() {
  $('query').addEventListener('submit', (event) => {
    event.preventDefault();
    run(undefined);
  });
  $('query-next').addEventListener('click', () => run(last.continuation));
  for (const button of document.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => runQuery(button.dataset.container, button.dataset.preset));
  }
}
