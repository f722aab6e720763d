// MTA IPs: the local IPs this instance sends from, each with its display name, EHLO name, pool and
// numbers; an IP's page (#/mta-ips/192.0.2.1) shows its chart, the routes from it, a rename form and the
// Running switch that pauses mail from it.

import { api, getJson, h } from '../core.js';
import { mountLivePanel } from '../live-panel.js';
import { runningToggle } from '../selection.js';
import { ITEM_REFRESH_MS, facts, format, itemHeading, pauseState, renderListPage, routesTable, throttleTable } from '../lists.js';

export function render(view, context) {
  if (context.item) return renderIp(view, context.item);
  return renderListPage(view, {
    base: 'mta-ips',
    endpoint: '/api/ips',
    lead: 'The local IP addresses this instance sends from, with their display names.',
    nameOf: (ip) => ip.ip,
    labelOf: (ip) => (ip.name ? `${ip.name} (${ip.ip})` : ip.ip),
    empty: 'No MTA IP yet: IPs appear when mail is sent from them, or when they are in an IP pool.',
    columns: [
      ['EHLO name', (ip) => ip.ehlo ?? 'reverse DNS'],
      ['Pool', (ip) => ip.pool ?? ''],
      ['Open', (ip) => format(ip.open)],
      ['State', (ip) => (ip.paused ? h('span', { class: 'badge paused' }, 'Paused') : 'Running')],
    ],
  });
}

function renderIp(view, ip) {
  itemHeading(view, 'mta-ips', 'MTA IPs', ip);
  const toggle = runningToggle({ mta: ip }, { onChanged: () => refresh() });
  view.append(h('div', { class: 'item-bar' }, toggle.element,
    h('a', { href: `#/overview?mta=${encodeURIComponent(ip)}` }, 'Show on the Overview')));

  const nameInput = h('input', { id: 'mta-name', name: 'name', type: 'text', maxlength: '64', autocomplete: 'off' });
  const message = h('span', { class: 'muted', role: 'status' });
  const form = h('form', { class: 'rename' },
    h('label', { for: 'mta-name' }, 'Display name'), nameInput,
    h('button', { type: 'submit', class: 'primary' }, 'Rename'), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    try {
      const response = await api('PUT', `/api/ips/${encodeURIComponent(ip)}`, { name: nameInput.value });
      const answer = await response.json().catch(() => null);
      if (!response.ok) {
        message.textContent = answer?.error ?? `HTTP ${response.status}`;
        return;
      }
      message.textContent = answer?.name ? `Saved: ${answer.name}` : 'Display name removed';
      edited = false;
      saved = true;
      showName(answer?.name);
    } catch {
      message.textContent = 'Cannot reach the server';
    }
  });
  view.append(form);
  const subtitle = h('p', { class: 'lead' });
  form.before(subtitle);
  // What the operator typed is never overwritten by the page's first load arriving late (it used to be, and a
  // quick Rename then removed the name), nor by a late first load after a save.
  let edited = false;
  let saved = false;
  nameInput.addEventListener('input', () => { edited = true; });
  function showName(name) {
    subtitle.textContent = name ? `${name}` : 'No display name';
    if (!edited) nameInput.value = name ?? '';
  }

  const panel = mountLivePanel(view, { filter: { mta: ip } });
  const numbers = h('div');
  const throttle = throttleTable();
  const routes = routesTable({ showDomain: true });
  view.append(h('div', { class: 'panels' },
    h('section', { class: 'panel', 'aria-labelledby': 'identity-title' }, h('h2', { id: 'identity-title' }, 'This IP'), numbers),
    throttle.element), routes.element);

  let active = true;
  let timer = 0;
  let first = true;
  async function refresh() {
    clearTimeout(timer);
    const [item, effective] = await Promise.all([
      getJson(`/api/ips/${encodeURIComponent(ip)}`),
      getJson(`/api/throttles/effective?mta=${encodeURIComponent(ip)}`),
    ]);
    if (!active) return;
    if (item) {
      toggle.update(pauseState(item));
      if (first && !saved) showName(item.name);
      first = false;
      numbers.replaceChildren(facts([
        ['EHLO name', item.ehlo ?? 'reverse DNS'],
        ['Pool', item.pool ?? 'none'],
        ['Messages on hand', format(item.handling)],
        ['Open connections', format(item.open)],
      ]));
      // Domain limits apply per (IP, domain) pair: this IP's sum over all domains says nothing about one of them.
      throttle.update(effective, {});
      routes.update(item.routes);
    }
    timer = setTimeout(refresh, ITEM_REFRESH_MS);
  }
  refresh();
  return () => {
    active = false;
    clearTimeout(timer);
    panel.destroy();
  };
}
