// Settings › IP pools: named groups of MTA IPs a message can be sent from (REST v1 /v1/pools and /v1/poolips).
// An IP is in at most one pool; deleting a pool frees its IPs.

import { mountPanel, request } from '../settings-ui.js';

const lines = (text) => (text ?? '').split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

export function render(view) {
  const panel = mountPanel(view, {
    noun: 'IP pool',
    intro: 'Named groups of MTA IPs. Messages name a pool instead of single IPs; throttles, pauses and forced errors can select a pool.',
    searchPlaceholder: 'Search on this page for a pool, description or IP',
    createLabel: 'Create IP pool',
    emptyText: 'No IP pools.',
    audit: ['pool', 'poolip'],
    columns: [
      { title: 'Name', value: (p) => p.name },
      { title: 'Description', value: (p) => p.description ?? '' },
      { title: 'IPs', value: (p) => p.ips.join(', ') || '–', class: 'mono' },
    ],
    load: async () => {
      const [pools, ips] = await Promise.all([request('GET', '/v1/pools'), request('GET', '/v1/poolips')]);
      return pools.map((p) => ({ ...p, ips: ips.filter((i) => i.name === p.name).map((i) => i.ip) }));
    },
    fields: [
      { name: 'name', label: 'Name', createOnly: true, required: true, help: 'Letters, digits, "-", "_" and ".".' },
      { name: 'description', label: 'Description' },
      { name: 'ips', type: 'textarea', label: 'IP addresses in this pool', rows: 4, placeholder: '192.0.2.10\n192.0.2.11', help: 'One per line. An IP can be in one pool only.' },
    ],
    toForm: (p) => ({ name: p.name, description: p.description, ips: p.ips.join('\n') }),
    describe: (p) => p.name,
    confirmText: (p) => (p.ips.length ? `Its ${p.ips.length} IP address(es) leave the pool too.` : 'This takes effect immediately.'),
    save: async (values, old) => {
      const name = old ? old.name : values.name;
      const stored = await request('POST', '/v1/pools', { name, description: values.description ?? '' });
      const wanted = lines(values.ips);
      const had = old ? old.ips : [];
      for (const ip of had.filter((x) => !wanted.includes(x))) await request('DELETE', '/v1/poolips', { ip, name });
      for (const ip of wanted.filter((x) => !had.includes(x))) await request('POST', '/v1/poolips', { ip, name });
      return stored;
    },
    remove: (p) => request('DELETE', '/v1/pools', { name: p.name }),
  });
  return panel.cleanup;
}
