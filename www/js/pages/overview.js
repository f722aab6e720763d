// Overview: the six tiles, the live chart, filters (MTA IP / domain / tag), the Running switch for the
// selection, a status bar (pauses, forced errors, parked mail), inbound SMTP and queue sizes.
// The filter lives in the address (#/overview?domain=…) so a domain's page can link here.

import { EMPTY, getJson, h, numberFormat } from '../core.js';
import { filterQuery, mountLivePanel } from '../live-panel.js';
import { runningToggle } from '../selection.js';

const STATUS_MS = 2000;
const LISTS_MS = 10000;
const FILTERS = [
  ['mta', 'MTA IP', '/api/ips', (item) => item.ip, (item) => (item.name ? `${item.name} (${item.ip})` : item.ip)],
  ['domain', 'Domain', '/api/domains', (item) => item.name, (item) => item.name],
  ['tag', 'Tag', '/api/tags', (item) => item.name, (item) => item.name],
];

const format = (n) => (typeof n === 'number' ? numberFormat.format(n) : EMPTY);

export function render(view, context) {
  const filter = {};
  for (const [key] of FILTERS) {
    const value = context.params.get(key);
    if (value) filter[key] = value;
  }

  view.append(h('p', { class: 'lead' }, 'Deliveries of this instance: the last 60 seconds and the last 5 minutes, per second.'));

  // ---- Filters and the Running switch ----
  const selects = new Map();
  const filterBar = h('form', { class: 'filters', 'aria-label': 'Filter', onsubmit: (e) => e.preventDefault() });
  for (const [key, label] of FILTERS) {
    const select = h('select', { id: `filter-${key}`, name: key }, h('option', { value: '' }, 'All'));
    if (filter[key]) select.append(h('option', { value: filter[key] }, filter[key]));
    select.value = filter[key] ?? '';
    select.addEventListener('change', () => applyFilter());
    selects.set(key, select);
    filterBar.append(h('div', { class: 'filter' }, h('label', { for: `filter-${key}` }, label), select));
  }
  let toggle = runningToggle({ ...filter }, { onChanged: () => refreshStatus() });
  const toggleSlot = h('div', { class: 'filter filter-switch' }, toggle.element);
  filterBar.append(toggleSlot);
  view.append(filterBar);

  // ---- Status bar ----
  const status = {
    pauses: h('strong', {}, EMPTY),
    forcedErrors: h('strong', {}, EMPTY),
    parked: h('strong', {}, EMPTY),
    connections: h('strong', {}, EMPTY),
  };
  view.append(h('p', { class: 'statusbar', role: 'status', 'aria-label': 'Status' },
    h('a', { href: '#/settings/paused' }, status.pauses, ' active pauses'), ' · ',
    h('a', { href: '#/settings/forced-errors' }, status.forcedErrors, ' forced errors'), ' · ',
    h('span', {}, status.parked, ' messages parked'), ' · ',
    h('span', {}, status.connections, ' open connections')));

  // ---- Tiles and chart ----
  const inbound = h('dl', { class: 'facts' });
  const queues = h('dl', { class: 'facts' });
  const panel = mountLivePanel(view, {
    filter,
    onStats(stats) {
      const i = stats.inbound ?? {};
      inbound.replaceChildren(
        h('dt', {}, 'Connections'), h('dd', {}, format(i.connections)),
        h('dt', {}, 'Messages'), h('dd', {}, format(i.messages)),
        h('dt', {}, 'Bytes'), h('dd', {}, format(i.bytes)));
      const entries = Object.entries(stats.queue ?? {});
      queues.replaceChildren(...(entries.length
        ? entries.flatMap(([name, count]) => [h('dt', {}, name), h('dd', { 'data-queue': name }, format(count))])
        : [h('dt', {}, 'RabbitMQ'), h('dd', {}, 'sizes are kept by the broker')]));
    },
  });
  view.append(h('div', { class: 'panels' },
    h('section', { class: 'panel', 'aria-labelledby': 'inbound-title' }, h('h2', { id: 'inbound-title' }, 'Inbound SMTP (since start)'), inbound),
    h('section', { class: 'panel', 'aria-labelledby': 'queue-title' }, h('h2', { id: 'queue-title' }, 'Queues'), queues)));

  let active = true;
  let statusTimer = 0;
  let listsTimer = 0;

  let statusSeq = 0;
  async function refreshStatus() {
    clearTimeout(statusTimer);
    const seq = ++statusSeq; // only the newest refresh schedules the next one
    const query = filterQuery(filter);
    const answer = await getJson(`/api/status${query}`);
    if (!active || seq !== statusSeq) return;
    if (answer && query === filterQuery(filter)) {
      for (const [key, element] of Object.entries(status)) element.textContent = format(answer[key]);
      toggle.update(answer.selection);
    }
    statusTimer = setTimeout(refreshStatus, STATUS_MS);
  }

  async function refreshLists() {
    const lists = await Promise.all(FILTERS.map(([, , path]) => getJson(path)));
    if (!active) return;
    FILTERS.forEach(([key, , , valueOf, textOf], i) => {
      const items = lists[i];
      if (!Array.isArray(items)) return;
      const select = selects.get(key);
      if (document.activeElement === select) return; // never rebuild a list the operator is choosing from
      const chosen = select.value;
      const options = [h('option', { value: '' }, 'All')];
      const seen = new Set();
      for (const item of items) {
        const value = valueOf(item);
        seen.add(value);
        options.push(h('option', { value }, textOf(item)));
      }
      if (chosen && !seen.has(chosen)) options.push(h('option', { value: chosen }, chosen));
      select.replaceChildren(...options);
      select.value = chosen;
    });
    listsTimer = setTimeout(refreshLists, LISTS_MS);
  }

  function applyFilter() {
    for (const [key, select] of selects) {
      if (select.value) filter[key] = select.value;
      else delete filter[key];
    }
    // The address follows the filter without a navigation (replaceState fires no hashchange).
    history.replaceState(null, '', `#/overview${filterQuery(filter)}`);
    panel.setFilter(filter);
    const next = runningToggle({ ...filter }, { onChanged: () => refreshStatus() });
    toggle.element.replaceWith(next.element);
    toggle = next;
    refreshStatus();
  }

  refreshStatus();
  refreshLists();

  return () => {
    active = false;
    clearTimeout(statusTimer);
    clearTimeout(listsTimer);
    panel.destroy();
  };
}
