// Small DOM and formatting helpers shared by the dashboard's views.
export const api = '/dashboard/api';
/** what the last status said about this page: read-only pages offer no actions */
export const session = { readOnly: false };
export const $ = (id) => document.getElementById(id);

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : String(child ?? ''));
  return node;
}

export const number = (n) => (typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: 1 }) : '–');

export function age(ms) {
  if (typeof ms !== 'number') return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/** A full timestamp: date and time to the millisecond, in UTC as stored. */
export const fullTime = (iso) => (iso ? iso.replace('T', ' ').replace('Z', ' UTC') : '–');

export function fillRows(tbody, rows, columns, emptyText) {
  tbody.replaceChildren(
    ...(rows.length ? rows : [el('tr', {}, el('td', { class: 'empty', colspan: String(columns) }, emptyText))]),
  );
}

export async function getJson(path, init) {
  const response = await fetch(`${api}${path}`, init);
  const body = await response.json();
  if (!response.ok) throw new Error(body.message ?? `${response.status}`);
  return body;
}

export const postJson = (path, body) =>
  getJson(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const compactJson = (value) => JSON.stringify(value);
export const prettyJson = (value) => JSON.stringify(value, null, 2);
