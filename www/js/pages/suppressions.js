// Settings › Suppression list: addresses and domains that never receive mail (REST v1 /v1/suppressions); a message
// to one fails in the "suppression" state with the reply given here.

import { mountPanel, request } from '../settings-ui.js';

export function render(view) {
  const panel = mountPanel(view, {
    noun: 'suppression',
    intro: 'Mail to these addresses and domains is never sent; it fails with the reply given here.',
    searchPlaceholder: 'Search on this page for an address or domain',
    createLabel: 'Add to suppression list',
    emptyText: 'The suppression list is empty.',
    audit: ['suppression'],
    columns: [
      { title: 'Type', value: (s) => (s.type === 'domain' ? 'Domain' : 'Address') },
      { title: 'Value', value: (s) => s.value, class: 'mono' },
      { title: 'Reply', value: (s) => [s.code, s.extended, s.description].filter((x) => x !== undefined && x !== null && x !== '').join(' ') },
    ],
    load: () => request('GET', '/v1/suppressions'),
    fields: [
      { name: 'type', type: 'select', label: 'Type', options: [['address', 'Email address'], ['domain', 'Domain']] },
      { name: 'value', label: 'Address or domain', placeholder: 'someone@example.com', required: true },
      {
        type: 'group', label: 'Reply (optional)',
        fields: [
          { name: 'code', type: 'number', label: 'SMTP code', placeholder: '550', min: 200 },
          { name: 'extended', label: 'Extended code', placeholder: '5.7.1' },
        ],
      },
      { name: 'description', label: 'Description', placeholder: 'Unsubscribed' },
    ],
    toForm: (s) => ({ ...s }),
    describe: (s) => s.value,
    // Keyed by value: the POST replaces the entry for the same value; a changed value drops the old one.
    save: async (values, old) => {
      const stored = await request('POST', '/v1/suppressions', { type: values.type, value: values.value, code: values.code, extended: values.extended, description: values.description });
      if (old && old.value !== stored.value) await request('DELETE', '/v1/suppressions', { value: old.value });
      return stored;
    },
    remove: (s) => request('DELETE', '/v1/suppressions', { value: s.value }),
  });
  return panel.cleanup;
}
