// The dashboard: an overview redrawn once a second, a stream browser with time travel, and a query box.
// Plain ES modules served from disk: no build step, no CDN.
import { $ } from './dom.js';
import { refreshOverview } from './overview.js';
import { setUpQuery, showDeadLetter } from './query.js';
import { setUpStreams, showStream } from './streams.js';

const tabs = ['overview', 'streams', 'query'];
const actions = { showStream, showDeadLetter };

function showTab() {
  const wanted = location.hash.slice(1);
  const tab = tabs.includes(wanted) ? wanted : 'overview';
  for (const name of tabs) {
    $(`tab-${name}`).hidden = name !== tab;
    document.querySelector(`nav a[href="#${name}"]`).setAttribute('aria-current', String(name === tab));
  }
}

async function refresh() {
  try {
    const status = await refreshOverview(actions);
    $('live').textContent = `live · updated ${new Date(status.generatedAt).toISOString().slice(11, 19)} UTC`;
  } catch (error) {
    $('live').textContent = `disconnected: ${error.message}`;
  }
}

window.addEventListener('hashchange', showTab);
showTab();
setUpQuery();
setUpStreams();
refresh();
setInterval(refresh, 1000);
