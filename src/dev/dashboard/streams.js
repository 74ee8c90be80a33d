// The stream browser: search by prefix, page through matches, read a stream's events, state and unfolds, and step
// through its versions (time travel) with what each event changed.
import { $, compactJson, el, fillRows, fullTime, getJson, prettyJson } from './dom.js';
import { showJourney } from './journey.js';

let search = { prefix: '', page: 0 };
let current = { stream: undefined, version: 0 };

/** Leaf paths of a JSON value: { a: { b: 1 } } → [['a.b', 1]]. */
function leaves(value, path = '', out = new Map()) {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, path ? `${path}.${key}` : key, out);
  } else {
    out.set(path || '(state)', value);
  }
  return out;
}

/** What an event changed in the state: added, removed and changed leaf paths. */
export function stateChanges(before, after) {
  const was = leaves(before);
  const is = leaves(after);
  const changes = [];
  for (const [path, value] of is) {
    if (!was.has(path)) changes.push({ path, kind: 'added', after: value });
    else if (compactJson(was.get(path)) !== compactJson(value)) {
      changes.push({ path, kind: 'changed', before: was.get(path), after: value });
    }
  }
  for (const [path, value] of was) if (!is.has(path)) changes.push({ path, kind: 'removed', before: value });
  // An empty object that gained (or lost) keys shows as its keys added (or removed), not as itself.
  const within = (path, paths) => [...paths.keys()].some((other) => other.startsWith(`${path}.`));
  return changes.filter(
    (c) => !(c.kind === 'removed' && within(c.path, is)) && !(c.kind === 'added' && within(c.path, was)),
  );
}

async function runSearch() {
  const { prefix, page } = search;
  const results = $('stream-results');
  try {
    const found = await getJson(`/stream-search/${page}/${encodeURIComponent(prefix)}`);
    const rows = found.streams.map((s) =>
      el(
        'tr',
        {},
        el('td', { class: 'mono' }, el('a', { href: '#streams', onclick: () => showStream(s.stream) }, s.stream)),
        el('td', { class: 'num' }, s.version),
      ),
    );
    fillRows(results, rows, 2, prefix ? `No stream starts with ${prefix}.` : 'No streams yet.');
    const first = found.total === 0 ? 0 : found.page * found.pageSize + 1;
    const last = Math.min(found.total, (found.page + 1) * found.pageSize);
    $('search-summary').textContent =
      `${first}–${last} of ${found.total}${found.limited ? '+ (showing the first matches: type a longer prefix)' : ''}` +
      ` · ${found.requests} request(s)`;
    $('search-previous').disabled = found.page === 0;
    $('search-next').disabled = last >= found.total;
  } catch (error) {
    fillRows(results, [], 2, error.message);
  }
}

function eventRow(event) {
  const meta = {};
  if (event.correlationId) meta.correlationId = event.correlationId;
  if (event.causationId) meta.causationId = event.causationId;
  if (event.meta !== null && event.meta !== undefined) meta.meta = event.meta;
  return el(
    'tr',
    { 'data-index': event.index, class: event.index + 1 === current.version ? 'selected' : '' },
    el(
      'td',
      { class: 'num' },
      el(
        'a',
        { href: '#streams', title: 'Show the state after this event', onclick: () => step(event.index + 1) },
        event.index,
      ),
    ),
    el('td', {}, event.type),
    el('td', { class: 'mono' }, fullTime(event.timestamp)),
    el('td', { class: 'wrap' }, el('pre', {}, compactJson(event.data))),
    el('td', { class: 'wrap' }, Object.keys(meta).length ? el('pre', {}, compactJson(meta)) : ''),
    el(
      'td',
      {},
      el(
        'a',
        {
          href: '#streams',
          title: 'When it was appended, handled by each processor and published',
          'data-testid': 'journey-link',
          onclick: () => showJourney(current.stream, event.index),
        },
        'Journey',
      ),
    ),
  );
}

function changeList(changes) {
  if (changes.length === 0) return el('p', { class: 'note' }, 'This event changed nothing in the state.');
  return el(
    'ul',
    { class: 'changes', 'data-testid': 'changes' },
    changes.map((c) =>
      el(
        'li',
        { class: `change-${c.kind}` },
        el('code', {}, c.path),
        c.kind === 'added' ? ` added: ${compactJson(c.after)}` : '',
        c.kind === 'removed' ? ` removed (was ${compactJson(c.before)})` : '',
        c.kind === 'changed' ? ` ${compactJson(c.before)} → ${compactJson(c.after)}` : '',
      ),
    ),
  );
}

const step = (version) => travel(`at/${version}`);

/** Shows the stream at `where`: `at/{version}` or `at-time/{UTC time}`. */
async function travel(where) {
  if (!current.stream) return;
  const panel = $('time-travel');
  try {
    const at = await getJson(`/streams/${encodeURIComponent(current.stream)}/${where}`);
    current.version = at.version;
    for (const row of document.querySelectorAll('#stream-events tr')) {
      row.classList.toggle('selected', Number(row.dataset.index) + 1 === at.version);
    }
    const what = at.event
      ? `after #${at.event.index} ${at.event.type} · ${fullTime(at.event.timestamp)}`
      : 'before the first event';
    panel.replaceChildren(
      el(
        'div',
        { class: 'stepper' },
        el(
          'button',
          {
            type: 'button',
            'aria-label': 'Previous version',
            disabled: at.version === 0,
            onclick: () => step(at.version - 1),
          },
          '◀',
        ),
        el('span', { 'data-testid': 'travel-version' }, `version ${at.version} of ${at.currentVersion}`),
        el(
          'button',
          {
            type: 'button',
            'aria-label': 'Next version',
            disabled: at.version >= at.currentVersion,
            onclick: () => step(at.version + 1),
          },
          '▶',
        ),
        el('input', {
          type: 'range',
          min: '0',
          max: String(at.currentVersion),
          value: String(at.version),
          'aria-label': 'Version',
          onchange: (e) => step(Number(e.target.value)),
        }),
      ),
      el(
        'form',
        {
          class: 'row',
          onsubmit: (e) => {
            e.preventDefault();
            const time = $('travel-time').value.trim();
            if (time) travel(`at-time/${encodeURIComponent(time)}`);
          },
        },
        el('input', {
          id: 'travel-time',
          'data-testid': 'travel-time',
          'aria-label': 'As of a UTC time',
          placeholder: '2026-01-31T12:00:00Z',
          value: at.event?.timestamp ?? '',
        }),
        el('button', { type: 'submit', class: 'secondary' }, 'As of this time'),
      ),
      el('p', { class: 'note' }, `${what} · ${at.origin} · ${at.requests} request(s)`),
      el('h3', {}, 'What changed'),
      at.event ? changeList(stateChanges(at.previous, at.state)) : el('p', { class: 'note' }, 'The initial state.'),
      el('h3', {}, `State at version ${at.version}`),
      el('pre', { 'data-testid': 'travel-state' }, prettyJson(at.state ?? null)),
    );
  } catch (error) {
    panel.replaceChildren(el('p', { class: 'note' }, error.message));
  }
}

/** Opens a stream in the browser, at its current version. */
export async function showStream(name) {
  location.hash = '#streams';
  $('stream-name').value = name;
  const view = $('stream-view');
  try {
    const stream = await getJson(`/streams/${encodeURIComponent(name)}`);
    current = { stream: stream.stream, version: Number(stream.version) };
    view.replaceChildren(
      el(
        'div',
        { class: 'events-pane' },
        el('h3', {}, `${stream.stream} · version ${stream.version}`),
        el(
          'div',
          { class: 'scroll' },
          el(
            'table',
            {},
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ['#', 'Type', 'Time', 'Data', 'Metadata', ''].map((h) => el('th', {}, h)),
              ),
            ),
            el('tbody', { id: 'stream-events' }, stream.events.map(eventRow)),
          ),
        ),
      ),
      el(
        'div',
        { class: 'state-pane' },
        el('section', { class: 'inner', id: 'time-travel', 'data-testid': 'time-travel' }),
        el('h3', {}, 'Current state'),
        el('pre', {}, prettyJson(stream.state ?? null)),
        el('h3', {}, 'Unfolds'),
        el('pre', {}, prettyJson(stream.unfolds)),
      ),
      el('section', { class: 'inner journey', id: 'journey', 'data-testid': 'journey' }),
    );
    await step(Number(stream.version));
  } catch (error) {
    view.replaceChildren(el('p', { class: 'note' }, error.message));
  }
}

export async function setUpStreams() {
  const categories = await getJson('/categories')
    .then((body) => body.categories)
    .catch(() => []);
  $('stream-prefix').placeholder = categories.length ? `${categories[0]}-` : 'Category-';
  $('category-chips').replaceChildren(
    ...categories.map((c) =>
      el(
        'button',
        {
          type: 'button',
          class: 'chip',
          onclick: () => {
            $('stream-prefix').value = `${c}-`;
            search = { prefix: `${c}-`, page: 0 };
            runSearch();
          },
        },
        c,
      ),
    ),
  );
  $('search').addEventListener('submit', (event) => {
    event.preventDefault();
    search = { prefix: $('stream-prefix').value.trim(), page: 0 };
    runSearch();
  });
  $('search-previous').addEventListener('click', () => {
    search = { ...search, page: Math.max(0, search.page - 1) };
    runSearch();
  });
  $('search-next').addEventListener('click', () => {
    search = { ...search, page: search.page + 1 };
    runSearch();
  });
  $('browse').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $('stream-name').value.trim();
    if (name) showStream(name);
  });
  await runSearch();
}
