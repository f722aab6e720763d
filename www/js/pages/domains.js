// Domains: every recipient domain with its numbers of the last 60 s and what the engine holds for it; a
// domain's page (#/domains/example.org) shows its chart, effective throttle, remote IPs and the Running switch.

import { getJson, h } from '../core.js';
import { mountLivePanel } from '../live-panel.js';
import { runningToggle } from '../selection.js';
import { ITEM_REFRESH_MS, facts, format, itemHeading, pauseState, renderListPage, routesTable, throttleTable } from '../lists.js';

export function render(view, context) {
  if (context.item) return renderDomain(view, context.item.toLowerCase());
  return renderListPage(view, {
    base: 'domains',
    endpoint: '/api/domains',
    lead: 'Receiving domains: deliveries of the last 60 seconds, connections and messages on hand.',
    nameOf: (d) => d.name,
    empty: 'No domain yet: domains appear when mail is delivered to them.',
    columns: [
      ['Open', (d) => format(d.open)],
      ['On hand', (d) => format(d.handling)],
      ['State', (d) => (d.paused ? h('span', { class: 'badge paused' }, 'Paused') : 'Running')],
    ],
  });
}

function renderDomain(view, domain) {
  itemHeading(view, 'domains', 'Domains', domain);
  const toggle = runningToggle({ domain }, { onChanged: () => refresh() });
  const numbers = h('div');
  view.append(h('div', { class: 'item-bar' }, toggle.element,
    h('a', { href: `#/overview?domain=${encodeURIComponent(domain)}` }, 'Show on the Overview')));
  const panel = mountLivePanel(view, { filter: { domain } });
  const throttle = throttleTable();
  const routes = routesTable();
  view.append(h('div', { class: 'panels' },
    h('section', { class: 'panel', 'aria-labelledby': 'queue-title' }, h('h2', { id: 'queue-title' }, 'Queue'), numbers),
    throttle.element), routes.element);

  let active = true;
  let timer = 0;
  async function refresh() {
    clearTimeout(timer);
    const [item, effective] = await Promise.all([
      getJson(`/api/domains/${encodeURIComponent(domain)}`),
      getJson(`/api/throttles/effective?domain=${encodeURIComponent(domain)}`),
    ]);
    if (!active) return;
    if (item) {
      toggle.update(pauseState(item));
      numbers.replaceChildren(facts([
        ['Messages on hand', format(item.handling)],
        ['Open connections', format(item.open)],
        ['Idle connections', format(item.idle)],
        ['Attempts, last 60 s', format(item.last?.attempts)],
        ['Deliveries since start', format(item.totals?.deliveries)],
      ]));
      let maxRemoteOpen = 0;
      for (const r of item.routes ?? []) for (const ip of r.remoteIps ?? []) maxRemoteOpen = Math.max(maxRemoteOpen, ip.open);
      throttle.update(effective, {
        attempts: item.last?.attempts ?? 0,
        connects: item.last?.connects ?? 0,
        open: item.open ?? 0,
        idle: item.idle ?? 0,
        maxRemoteOpen,
      });
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
