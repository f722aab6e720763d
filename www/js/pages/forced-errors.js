// Settings › Forced errors: deliveries answered with a chosen SMTP reply instead of being sent (REST v1 /v1/errors),
// reported as if the remote server had said it.

import { describeSelection, fromText, mountPanel, request, sameSelection, selectionFields, selectionOf, toText } from '../settings-ui.js';

export function render(view) {
  const panel = mountPanel(view, {
    noun: 'forced error',
    intro: 'Matching deliveries get this SMTP error instead of being sent, as if the receiving server had answered it.',
    searchPlaceholder: 'Search on this page for MTA IP, domain, IP, tag or code',
    createLabel: 'Create forced error',
    emptyText: 'No forced errors.',
    audit: ['error'],
    columns: [
      { title: 'Code', value: (e) => [e.code, e.extended].filter(Boolean).join(' '), class: 'mono' },
      { title: 'Description', value: (e) => e.description ?? '' },
      { title: 'From', value: fromText },
      { title: 'To', value: toText },
      { title: 'Tag', value: (e) => e.tag ?? '*' },
      { title: 'Scope', value: (e) => (e.cluster ? 'Cluster' : 'Instance') },
    ],
    load: () => request('GET', '/v1/errors'),
    fields: [
      {
        type: 'group', label: 'SMTP reply',
        fields: [
          { name: 'code', type: 'number', label: 'SMTP code', placeholder: '451', min: 200, required: true, help: '4xx: tried again later; 5xx: fails for good.' },
          { name: 'extended', label: 'Extended code', placeholder: '4.7.1' },
        ],
      },
      { name: 'description', label: 'Description', placeholder: 'Temporarily blocked by the operator' },
      ...selectionFields(),
      { name: 'cluster', type: 'checkbox', label: 'Apply across the cluster' },
    ],
    toForm: (e) => ({ ...e }),
    describe: (e) => `${e.code} ${describeSelection(e)}`,
    save: async (values, old) => {
      const body = { code: values.code, extended: values.extended, description: values.description, ...selectionOf(values), cluster: values.cluster };
      const stored = await request('POST', '/v1/errors', body);
      if (old && !sameSelection(old, values)) await request('DELETE', '/v1/errors', selectionOf(old));
      return stored;
    },
    remove: (e) => request('DELETE', '/v1/errors', selectionOf(e)),
  });
  return panel.cleanup;
}
