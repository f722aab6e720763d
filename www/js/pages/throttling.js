// Settings › Email throttling: throttles (/api/throttles) with MailerQ's editor sections — name, patterns
// "from MTA IP or pool to domain", priority, limits per domain, per remote IP and per connection. An empty limit
// is "Not set (fallback to base setting)": a lower-priority throttle or the built-in default decides. 0 = unlimited.

import { mountPanel, request } from '../settings-ui.js';

const NOT_SET = 'Not set (fallback to base setting)';

const DELIVERY_LIMITS = [
  ['messagesPerMinute', 'Messages per minute', 'msgs/min'],
  ['connectsPerMinute', 'New connections per minute', 'new conns/min'],
  ['maxActive', 'Max active connections', 'active'],
  ['maxIdle', 'Max idle connections', 'idle'],
];
const CONNECTION_LIMITS = [
  ['maxMessages', 'Max messages per connection', 'msgs/conn'],
  ['idleSeconds', 'Idle timeout (seconds)', 's idle timeout'],
];
const SECTIONS = [
  ['domain', 'Per domain', DELIVERY_LIMITS],
  ['ip', 'Per remote IP', DELIVERY_LIMITS],
  ['connection', 'Connection limits', CONNECTION_LIMITS],
];

function summary(section, limits) {
  const parts = limits.map(([key, , short]) => {
    const v = section?.[key];
    if (v === null || v === undefined) return null;
    return `${v === 0 ? 'unlimited' : v} ${short}`;
  }).filter(Boolean);
  return parts.length ? parts.join(' · ') : 'cascade';
}

const patternText = (t) => (t.patterns.length === 0 ? 'from * to *' : t.patterns.map((p) => `from ${p.mta} to ${p.domain}`).join('; '));

export function render(view) {
  const panel = mountPanel(view, {
    noun: 'throttle',
    intro: 'Limits on messages and connections, applied to running deliveries without a restart. Where several throttles match, the higher priority sets each limit; a limit left empty falls back to the next.',
    searchPlaceholder: 'Search on this page for MTA IP, domain, or name',
    createLabel: 'Create throttle',
    submitLabel: 'Store throttle',
    emptyText: 'No throttles: the built-in defaults apply.',
    audit: ['throttle'],
    columns: [
      { title: 'Name', value: (t) => t.name },
      { title: 'Patterns', value: patternText, class: 'mono' },
      { title: 'Priority', value: (t) => t.priority },
      { title: 'Per domain', value: (t) => summary(t.domain, DELIVERY_LIMITS) },
      { title: 'Per IP', value: (t) => summary(t.ip, DELIVERY_LIMITS) },
      { title: 'Connection', value: (t) => summary(t.connection, CONNECTION_LIMITS) },
    ],
    load: () => request('GET', '/api/throttles'),
    fields: [
      { name: 'name', label: 'Throttle name', required: true },
      {
        name: 'patterns', type: 'rows', label: 'Throttle pattern', addLabel: 'Add pattern', itemLabel: 'pattern',
        help: 'Where it applies: from an MTA IP or IP pool to a domain; empty or * matches all. No pattern: everywhere.',
        columns: [
          { name: 'mta', label: 'MTA IP or pool', placeholder: '*' },
          { name: 'domain', label: 'Domain', placeholder: '*' },
        ],
      },
      { name: 'priority', type: 'number', label: 'Priority', placeholder: '0', help: 'Higher wins, limit by limit, where throttles overlap.' },
      ...SECTIONS.map(([key, label, limits]) => ({
        type: 'group', label, help: key === 'connection' ? null : '0 = unlimited; empty = not set.',
        fields: limits.map(([field, fieldLabel]) => ({ name: `${key}.${field}`, type: 'number', min: 0, label: fieldLabel, placeholder: NOT_SET })),
      })),
    ],
    defaults: () => ({ patterns: [{ mta: '*', domain: '' }] }),
    toForm: (t) => {
      const values = { name: t.name, priority: t.priority, patterns: t.patterns };
      for (const [key, , limits] of SECTIONS) for (const [field] of limits) values[`${key}.${field}`] = t[key]?.[field] ?? '';
      return values;
    },
    describe: (t) => t.name,
    save: (values, old) => {
      const body = {
        name: values.name,
        priority: values.priority ?? 0,
        patterns: values.patterns.map((p) => ({ mta: p.mta || '*', domain: p.domain || '*' })),
      };
      for (const [key, , limits] of SECTIONS) {
        body[key] = {};
        for (const [field] of limits) body[key][field] = values[`${key}.${field}`];
      }
      return old ? request('PUT', `/api/throttles/${old.id}`, body) : request('POST', '/api/throttles', body);
    },
    remove: (t) => request('DELETE', `/api/throttles/${t.id}`),
  });
  return panel.cleanup;
}
