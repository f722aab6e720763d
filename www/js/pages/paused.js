// Settings › Paused deliveries: MailerQ's pauses (REST v1 /v1/pauses) — MTA IP or pool × domain or remote IP × tag,
// optional expiry, instance or cluster scope — listed with Resume, created, edited, all in force at once.

import { describeSelection, fromText, mountPanel, request, sameSelection, selectionFields, selectionOf, showTime, toText } from '../settings-ui.js';

export function render(view) {
  const panel = mountPanel(view, {
    noun: 'pause',
    intro: 'Deliveries held back until they are resumed or the pause expires. Paused messages wait in the queue; resuming sends them on.',
    searchPlaceholder: 'Search on this page for MTA IP, domain, IP or tag',
    createLabel: 'Pause deliveries',
    emptyText: 'Nothing is paused: every delivery runs.',
    audit: ['pause'],
    columns: [
      { title: 'From', value: fromText },
      { title: 'To', value: toText },
      { title: 'Tag', value: (p) => p.tag ?? '*' },
      { title: 'Scope', value: (p) => (p.cluster ? 'Cluster' : 'Instance') },
      { title: 'Expires', value: (p) => (p.expire ? showTime(p.expire) : 'Never') },
    ],
    load: () => request('GET', '/v1/pauses'),
    fields: [
      ...selectionFields(),
      { name: 'expire', type: 'datetime', label: 'Expires', help: 'Optional: the pause ends by itself at this time (your time zone).' },
      { name: 'cluster', type: 'checkbox', label: 'Apply across the cluster' },
    ],
    toForm: (p) => ({ ...p }),
    describe: describeSelection,
    deleteLabel: 'Resume',
    doneLabel: 'Resumed',
    confirmText: () => 'Paused messages are delivered again right away.',
    // Same selection: the POST updates expiry and scope. Another selection: pause the new one, then resume the old.
    save: async (values, old) => {
      const body = { ...selectionOf(values), expire: values.expire, cluster: values.cluster };
      const stored = await request('POST', '/v1/pauses', body);
      if (old && !sameSelection(old, values)) await request('DELETE', '/v1/pauses', selectionOf(old));
      return stored;
    },
    remove: (p) => request('DELETE', '/v1/pauses', selectionOf(p)),
  });
  return panel.cleanup;
}
