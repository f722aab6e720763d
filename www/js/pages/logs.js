// Logs: the send log (one line per delivery result and per temporary failure, docs/delivery.md
// "Send log"), newest first, filtered by text, recipient domain, MTA IP, tag and result, refreshed
// every few seconds while "Follow" is on. Reads GET /api/logs (docs/console-api.md).

import { EMPTY, api, h, numberFormat } from '../core.js';
import { useStyleSheet } from '../style-sheet.js';

const LIMIT = 500;
const REFRESH_MS = 2000;
const FILTERS = [
  { key: 'q', label: 'Search', placeholder: 'Any text in the line' },
  { key: 'domain', label: 'Domain', placeholder: 'example.com' },
  { key: 'mta', label: 'MTA IP', placeholder: '192.0.2.1' },
  { key: 'tag', label: 'Tag', placeholder: 'newsletter' },
];

const timeFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export function render(view, context) {
  useStyleSheet('css/live.css');
  const params = context?.params ?? new URLSearchParams();
  let alive = true;
  let timer = 0;
  let debounce = 0;
  let generation = 0;

  const inputs = {};
  const fields = FILTERS.map((f) => {
    const input = h('input', { id: `logs-${f.key}`, type: 'search', placeholder: f.placeholder, autocomplete: 'off', spellcheck: 'false', value: params.get(f.key) ?? '' });
    input.value = params.get(f.key) ?? '';
    inputs[f.key] = input;
    return h('div', { class: 'logs-field' }, h('label', { for: input.id }, f.label), input);
  });
  const result = h('select', { id: 'logs-result' },
    h('option', { value: '' }, 'Any'), h('option', { value: 'delivered' }, 'Delivered'), h('option', { value: 'failed' }, 'Failed'), h('option', { value: 'retry' }, 'Retry'));
  result.value = ['delivered', 'failed', 'retry'].includes(params.get('result')) ? params.get('result') : '';
  const follow = h('input', { id: 'logs-follow', type: 'checkbox', checked: true });
  const refreshButton = h('button', { type: 'submit' }, 'Refresh');
  const status = h('p', { class: 'logs-status', role: 'status' }, 'Loading…');
  const tbody = h('tbody', {});
  const table = h('table', { class: 'logs-table' },
    h('caption', { class: 'visually-hidden' }, 'Send log, newest first'),
    h('thead', {}, h('tr', {}, ['Time', 'Result', 'Recipient', 'Code', 'Status', 'MTA IP', 'Remote', 'Tags', 'Attempt', 'Description'].map((x) => h('th', { scope: 'col' }, x)))),
    tbody);

  view.append(
    h('p', { class: 'lead' }, 'The send log: every delivery result and temporary failure, newest first.'),
    h('form', { class: 'logs-filters', role: 'search', onsubmit: (e) => { e.preventDefault(); load(); } },
      fields,
      h('div', { class: 'logs-field' }, h('label', { for: 'logs-result' }, 'Result'), result),
      h('div', { class: 'logs-field logs-check' }, follow, h('label', { for: 'logs-follow' }, 'Follow')),
      refreshButton),
    status,
    h('div', { class: 'logs-scroll' }, table),
  );

  function query() {
    const q = new URLSearchParams({ limit: String(LIMIT) });
    for (const f of FILTERS) if (inputs[f.key].value.trim()) q.set(f.key, inputs[f.key].value.trim());
    if (result.value) q.set('result', result.value);
    return q;
  }

  function filtered() {
    return FILTERS.some((f) => inputs[f.key].value.trim()) || result.value !== '';
  }

  function cell(value, cls) {
    return h('td', cls ? { class: cls } : {}, value === null || value === undefined || value === '' ? EMPTY : String(value));
  }

  function row(entry) {
    const time = Date.parse(entry.time);
    return h('tr', {},
      h('td', { class: 'nowrap' }, h('time', { datetime: entry.time }, Number.isNaN(time) ? entry.time : timeFormat.format(time))),
      h('td', {}, h('span', { class: `logs-result ${entry.disposition}` }, entry.disposition)),
      cell(entry.recipient),
      cell(entry.code || null),
      cell(entry.status),
      cell(entry.mta),
      cell(entry.remote),
      cell(entry.tags?.length ? entry.tags.join(', ') : null),
      cell(entry.attempt),
      cell(entry.description, 'logs-description'));
  }

  async function load() {
    clearTimeout(timer);
    const mine = ++generation;
    let entries = null;
    let problem = null;
    try {
      const response = await api('GET', `/api/logs?${query()}`);
      if (response.ok) entries = await response.json();
      else problem = response.status === 400 ? 'The filter is not valid.' : `Cannot load the send log (HTTP ${response.status}).`;
    } catch {
      problem = 'Cannot reach the server.';
    }
    if (!alive || mine !== generation) return;
    if (entries) {
      tbody.replaceChildren(...entries.map(row));
      table.hidden = entries.length === 0;
      status.textContent = entries.length
        ? `${numberFormat.format(entries.length)} entr${entries.length === 1 ? 'y' : 'ies'}, newest first${entries.length >= LIMIT ? ` (the latest ${LIMIT})` : ''}.`
        : filtered() ? 'No send log entries match the filter.' : 'No send log entries yet. Deliveries appear here as they finish or are retried.';
    } else if (problem) {
      status.textContent = problem;
    }
    if (follow.checked) timer = setTimeout(load, REFRESH_MS);
  }

  const later = () => {
    clearTimeout(debounce);
    debounce = setTimeout(load, 250);
  };
  for (const input of Object.values(inputs)) input.addEventListener('input', later);
  result.addEventListener('change', load);
  follow.addEventListener('change', () => (follow.checked ? load() : clearTimeout(timer)));

  load();
  return () => {
    alive = false;
    clearTimeout(timer);
    clearTimeout(debounce);
  };
}
