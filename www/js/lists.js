// Shared by the Domains, MTA IPs and Tags pages: the live list (a table refreshed every few seconds) and
// the pieces of an item's page (effective throttle, routes with remote IPs).

import { EMPTY, getJson, h, numberFormat } from './core.js';
import { runningToggle } from './selection.js';

export const LIST_REFRESH_MS = 3000;
export const ITEM_REFRESH_MS = 2000;

export const format = (n) => (typeof n === 'number' ? numberFormat.format(n) : EMPTY);

const SIX = [
  ['connects', 'Connects'],
  ['attempts', 'Attempts'],
  ['deliveries', 'Deliveries'],
  ['errors', 'Errors'],
  ['strange', 'Strange'],
  ['notTried', 'Not tried'],
];

/** '#/domains/' + the item, encoded so any character survives the address bar. */
export function itemHref(base, name) {
  return `#/${base}/${encodeURIComponent(name)}`;
}

/**
 * A live table: `endpoint` answers an array; `columns` are [header, item => text|Node] after the name.
 * The name links to the item's page. A search box filters rows by name as the operator types.
 */
export function renderListPage(view, { base, endpoint, lead, nameOf, labelOf = nameOf, columns = [], empty }) {
  view.append(h('p', { class: 'lead' }, lead));
  const search = h('input', { type: 'search', id: 'list-search', placeholder: 'Search', 'aria-label': 'Search', autocomplete: 'off' });
  const updated = h('span', { class: 'muted', 'aria-live': 'off' });
  view.append(h('div', { class: 'list-tools' }, search, updated));
  const headers = ['Name', ...SIX.map(([, title]) => title), ...columns.map(([title]) => title)];
  const body = h('tbody');
  const table = h('table', { class: 'data live-list' },
    h('caption', { class: 'visually-hidden' }, `${lead} Numbers are for the last 60 seconds.`),
    h('thead', {}, h('tr', {}, headers.map((title, i) => h('th', { scope: 'col', class: i > 0 && i <= SIX.length ? 'num' : null }, title)))),
    body);
  const emptyRow = h('p', { class: 'placeholder' }, empty);
  view.append(h('div', { class: 'table-wrap' }, table), emptyRow);
  let items = [];
  let active = true;
  let timer = 0;

  function draw() {
    const needle = search.value.trim().toLowerCase();
    const rows = [];
    for (const item of items) {
      const name = nameOf(item);
      const label = labelOf(item);
      if (needle && !name.toLowerCase().includes(needle) && !String(label).toLowerCase().includes(needle)) continue;
      rows.push(h('tr', { 'data-name': name },
        h('th', { scope: 'row' }, h('a', { href: itemHref(base, name) }, label)),
        SIX.map(([key]) => h('td', { class: 'num' }, format(item.last?.[key]))),
        columns.map(([, cell]) => h('td', {}, cell(item)))));
    }
    body.replaceChildren(...rows);
    emptyRow.hidden = rows.length > 0;
    table.hidden = rows.length === 0;
  }

  async function refresh() {
    const answer = await getJson(endpoint);
    if (!active) return;
    if (Array.isArray(answer)) {
      // Busiest first (last minute's attempts and deliveries), then by name: what needs attention is on top.
      const weight = (x) => (x.last?.attempts ?? 0) + (x.last?.deliveries ?? 0) + (x.handling ?? 0);
      items = answer.sort((a, b) => weight(b) - weight(a) || nameOf(a).localeCompare(nameOf(b)));
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      draw();
    }
    timer = setTimeout(refresh, LIST_REFRESH_MS);
  }

  search.addEventListener('input', draw);
  refresh();
  return () => {
    active = false;
    clearTimeout(timer);
  };
}

/** A page title for an item: "Domains › example.org" with a link back to the list. */
export function itemHeading(view, base, title, name) {
  const heading = view.querySelector('h1');
  heading.replaceChildren(h('a', { href: `#/${base}`, class: 'crumb' }, title), ' › ', h('span', { class: 'item-name' }, name));
  document.title = `${name} · ${title} · MailerQ`;
}

export function pauseState(answer) {
  return { pause: answer?.pause ?? null, pausedBy: answer?.pausedBy ?? null };
}

const LIMITS = [
  ['domainMessagesPerMinute', 'Messages per minute (domain)', (u) => u.attempts],
  ['domainConnectsPerMinute', 'New connections per minute (domain)', (u) => u.connects],
  ['domainMaxActive', 'Open connections (domain)', (u) => u.open],
  ['domainMaxIdle', 'Idle connections (domain)', (u) => u.idle],
  ['ipMessagesPerMinute', 'Messages per minute (remote IP)', null],
  ['ipConnectsPerMinute', 'New connections per minute (remote IP)', null],
  ['ipMaxActive', 'Open connections (remote IP)', (u) => u.maxRemoteOpen],
  ['ipMaxIdle', 'Idle connections (remote IP)', null],
  ['connectionMaxMessages', 'Messages per connection', null],
  ['connectionIdleSeconds', 'Idle seconds before a connection closes', null],
];

/**
 * The effective throttle (every limit after the cascade, with the throttle that set it) as a table. The limit
 * nearest to being reached by the current usage ({attempts, connects, open, idle, maxRemoteOpen} of the last
 * 60 s / now) is marked as the limiting one.
 */
export function throttleTable() {
  const body = h('tbody');
  const section = h('section', { class: 'panel', 'aria-labelledby': 'throttle-title' },
    h('h2', { id: 'throttle-title' }, 'Effective throttle'),
    h('table', { class: 'data throttle' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Limit'), h('th', { scope: 'col', class: 'num' }, 'Value'), h('th', { scope: 'col', class: 'num' }, 'Now'), h('th', { scope: 'col' }, 'Set by'))),
      body),
    h('p', { class: 'muted' }, '0 means unlimited. ', h('a', { href: '#/settings/throttling' }, 'Change in Email throttling')));

  function update(effective, usage) {
    if (!effective?.limits) return;
    let limiting = null;
    let best = 0;
    for (const [key, , use] of LIMITS) {
      const value = effective.limits[key]?.value ?? 0;
      if (!use || value <= 0) continue;
      const ratio = (use(usage) ?? 0) / value;
      if (ratio > best) {
        best = ratio;
        limiting = key;
      }
    }
    body.replaceChildren(...LIMITS.map(([key, label, use]) => {
      const limit = effective.limits[key] ?? {};
      const isLimiting = key === limiting;
      return h('tr', { class: isLimiting ? 'limiting' : null, 'data-limit': key },
        h('th', { scope: 'row' }, label, isLimiting ? h('span', { class: 'badge' }, 'limiting') : null),
        h('td', { class: 'num' }, limit.value > 0 ? format(limit.value) : 'unlimited'),
        h('td', { class: 'num' }, use ? format(use(usage) ?? 0) : EMPTY),
        h('td', {}, limit.source ?? 'default'));
    }));
  }

  return { element: section, update };
}

/**
 * Routes and the remote IPs they deliver to, each remote IP with a Running switch (a pause on that IP, which
 * MailerQ applies to every domain delivered there).
 */
export function routesTable({ showDomain = false } = {}) {
  const body = h('tbody');
  const empty = h('p', { class: 'muted' }, 'No deliveries on hand: routes appear while mail is being sent and stay for 10 minutes after.');
  const table = h('table', { class: 'data routes' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Remote IP'), h('th', { scope: 'col' }, 'Host'),
      showDomain ? h('th', { scope: 'col' }, 'Domain') : null,
      h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col', class: 'num' }, 'Open'),
      h('th', { scope: 'col' }, 'Delivery'))),
    body);
  const section = h('section', { class: 'panel', 'aria-labelledby': 'routes-title' },
    h('h2', { id: 'routes-title' }, 'Remote IPs'), h('div', { class: 'table-wrap' }, table), empty);
  const toggles = new Map();

  function update(routes) {
    const rows = [];
    const seen = new Set();
    for (const route of routes ?? []) {
      for (const remote of route.remoteIps ?? []) {
        const key = `${route.mta}|${route.domain}|${remote.ip}|${remote.port}`;
        seen.add(key);
        let toggle = toggles.get(key);
        if (!toggle) {
          toggle = runningToggle({ ip: remote.ip }, { label: `Running ${remote.ip}` });
          toggles.set(key, toggle);
        }
        toggle.update({ pause: remote.pause, pausedBy: remote.pause });
        rows.push(h('tr', { 'data-ip': remote.ip },
          h('th', { scope: 'row', class: 'mono' }, remote.port === 25 ? remote.ip : `${remote.ip}:${remote.port}`),
          h('td', {}, remote.host),
          showDomain ? h('td', {}, h('a', { href: itemHref('domains', route.domain) }, route.domain)) : null,
          h('td', { class: 'mono' }, route.mta || 'default'),
          h('td', { class: 'num' }, format(remote.open)),
          h('td', {}, toggle.element)));
      }
    }
    for (const key of [...toggles.keys()]) if (!seen.has(key)) toggles.delete(key);
    // Keep the focused switch in place: rebuilding would move keyboard focus away while the operator is on it.
    if (!body.contains(document.activeElement)) body.replaceChildren(...rows);
    table.hidden = rows.length === 0;
    empty.hidden = rows.length > 0;
  }

  return { element: section, update };
}

/** A small definition list of numbers: [[label, value], …]. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}
