// Settings › Local addresses: recipients whose inbound mail goes to the local queue (rabbitmq-local) instead of
// being relayed, accepted without authentication (MailerQ's table "locals", /api/locals).

import { mountPanel, request } from '../settings-ui.js';

const TYPES = [['exact', 'Exact'], ['fnmatch', 'Wildcard'], ['substr', 'Substring'], ['regex', 'Regular expression']];
const typeName = (t) => TYPES.find(([v]) => v === t)?.[1] ?? t;

export function render(view) {
  const panel = mountPanel(view, {
    noun: 'local address',
    intro: 'Inbound mail to a matching recipient is routed to the local queue instead of being relayed, and is accepted without authentication.',
    searchPlaceholder: 'Search on this page for an address pattern',
    createLabel: 'Add local address',
    emptyText: 'No local addresses: all inbound mail is relayed.',
    audit: ['local'],
    columns: [
      { title: 'Pattern', value: (l) => l.pattern, class: 'mono' },
      { title: 'Match', value: (l) => typeName(l.type) },
    ],
    load: () => request('GET', '/api/locals'),
    fields: [
      { name: 'pattern', label: 'Address pattern', placeholder: 'postmaster@example.com', required: true, help: 'Matched against the full recipient address, ignoring case.' },
      { name: 'type', type: 'select', label: 'Match type', options: TYPES, help: 'Wildcard: * and ? as in a shell. Regular expression: searched; anchor with ^…$.' },
    ],
    toForm: (l) => ({ ...l }),
    describe: (l) => l.pattern,
    save: (values, old) => (old
      ? request('PUT', `/api/locals/${old.id}`, { pattern: values.pattern, type: values.type })
      : request('POST', '/api/locals', { pattern: values.pattern, type: values.type })),
    remove: (l) => request('DELETE', `/api/locals/${l.id}`),
  });
  return panel.cleanup;
}
