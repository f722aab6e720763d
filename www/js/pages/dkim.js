// Settings › DKIM keys (/api/dkim): list with the DNS TXT record to publish (copy buttons), generate RSA 2048-bit or
// Ed25519, upload a PEM, edit extra headers, expiry, priority and sign patterns (PATCH), delete with confirmation.
// Private keys only cross HTTPS: on plain HTTP every DKIM route answers 403 and this panel explains why and where to
// go instead.

import { api, h } from '../core.js';
import { copyButton, mountPanel, request, showSecretDialog, showTime, useStyles } from '../settings-ui.js';

const PATTERN_TYPES = [['exact', 'Exact'], ['fnmatch', 'Wildcard'], ['substr', 'Substring'], ['regex', 'Regular expression'], ['global', 'Every From domain']];
const typeName = (t) => PATTERN_TYPES.find(([v]) => v === t)?.[1] ?? t;
const keyPath = (k) => `/api/dkim/${encodeURIComponent(k.domain)}/${encodeURIComponent(k.selector)}`;

function keyKind(k) {
  if (k.keyType === 'rsa') return `RSA ${k.bits}`;
  if (k.keyType === 'ed25519') return 'Ed25519';
  return `unreadable: ${k.error ?? 'unknown key'}`;
}

function signsText(k) {
  if (k.patterns.length === 0) return `From domain ${k.domain}`;
  return k.patterns.map((p) => (p.type === 'global' ? 'every From domain' : `${typeName(p.type).toLowerCase()} ${p.pattern}`)).join('; ');
}

/** A zone-file line: the record cut into ≤ 255-byte strings (RFC 1035 §3.3), as BIND and most DNS hosts take it. */
const zoneLine = (k) => `${k.dns.name}. IN TXT ${k.dns.strings.map((s) => `"${s}"`).join(' ')}`;

function dnsCell(k) {
  if (!k.dns) return h('span', { class: 'muted' }, '–');
  return h('div', { class: 'dns-record' },
    h('code', {}, k.dns.name),
    h('details', {}, h('summary', {}, 'Show TXT record'), h('code', {}, k.dns.text)),
    h('div', {},
      copyButton('Copy TXT record', () => k.dns.text, { 'aria-label': `Copy TXT record of ${k.dns.name}` }),
      ' ',
      copyButton('Copy zone line', () => zoneLine(k), { 'aria-label': `Copy zone file line of ${k.dns.name}` })));
}

/** The explanation shown on plain HTTP, with a link to the HTTPS console when there is one. */
function httpsOnly(https) {
  useStyles();
  return h('section', { class: 'notice-card', 'aria-labelledby': 'dkim-https-title' },
    h('h2', { id: 'dkim-https-title' }, 'DKIM keys are only managed over HTTPS'),
    h('p', {}, 'Private keys must not cross the network in clear text, so this console lists, creates and deletes DKIM keys only on an HTTPS connection. Keys already stored keep signing mail.'),
    https
      ? h('p', {}, h('a', { href: `${https.replace(/\/+$/, '')}/#/settings/dkim` }, 'Open DKIM keys over HTTPS'))
      : h('p', {}, 'HTTPS is off on this instance. Set www-secure-port, www-certificate and www-privatekey in the configuration, restart, and open the console over HTTPS.'));
}

export function render(view) {
  let panel = null;
  let active = true;
  (async () => {
    let response = null;
    try {
      response = await api('GET', '/api/dkim');
    } catch {
      // The panel below reports the unreachable server.
    }
    if (!active) return;
    if (response?.status === 403) {
      const data = await response.json().catch(() => null);
      if (!active) return;
      if (data?.reason === 'https-required') {
        view.append(httpsOnly(data.https));
        return;
      }
    }
    panel = mountPanel(view, {
      noun: 'DKIM key',
      intro: 'Keys that sign outgoing mail, per domain and selector. Publish each key\'s TXT record in DNS so receivers can verify the signatures. A key without sign patterns signs mail whose From domain is its own domain.',
      searchPlaceholder: 'Search on this page for a domain or selector',
      createLabel: 'Create DKIM key',
      emptyText: 'No DKIM keys: outgoing mail is not signed.',
      audit: ['dkim', 'dkimpattern'],
      columns: [
        { title: 'Domain', value: (k) => k.domain },
        { title: 'Selector', value: (k) => k.selector, class: 'mono' },
        { title: 'Key', value: keyKind },
        { title: 'Signs', value: signsText },
        { title: 'Priority', value: (k) => k.priority },
        { title: 'Expires', value: (k) => (k.expire ? showTime(k.expire) : 'Never') },
        { title: 'DNS record', value: (k) => k.dns?.name ?? '', render: dnsCell },
      ],
      load: () => request('GET', '/api/dkim'),
      fields: [
        { name: 'domain', label: 'Domain', createOnly: true, required: true, placeholder: 'example.com' },
        { name: 'selector', label: 'Selector', createOnly: true, required: true, placeholder: 'mq2025', help: 'The TXT record goes to <selector>._domainkey.<domain>.' },
        {
          name: 'source', type: 'radio', label: 'Key', createOnly: 'hide',
          options: [['rsa-2048', 'Generate RSA 2048-bit'], ['ed25519', 'Generate Ed25519'], ['upload', 'Upload PEM']],
          help: 'RSA 2048 is understood everywhere; Ed25519 (RFC 8463) is short but not yet verified by every receiver.',
        },
        { name: 'privateKey', type: 'textarea', label: 'Private key (PEM)', createOnly: 'hide', placeholder: '-----BEGIN PRIVATE KEY-----', showIf: (v) => v.source === 'upload', help: 'RSA (PKCS#1 or PKCS#8) or Ed25519, without a passphrase.' },
        { name: 'pemFile', type: 'file', label: 'Or read a PEM file', accept: '.pem,.key,.txt', into: 'privateKey', createOnly: 'hide', showIf: (v) => v.source === 'upload' },
        { name: 'headers', label: 'Extra signed headers', placeholder: 'List-Unsubscribe:List-Unsubscribe-Post', help: 'Besides the default set; separated by ":".' },
        { name: 'expire', type: 'datetime', label: 'Expires', help: 'Optional: the key stops signing at this time.' },
        { name: 'priority', type: 'number', label: 'Priority', placeholder: '0', help: 'Lower signs first when several keys sign one message.' },
        {
          name: 'patterns', type: 'rows', label: 'Sign patterns', addLabel: 'Add sign pattern', itemLabel: 'sign pattern',
          help: 'Matched against the From domain. None: the key signs mail from its own domain.',
          keep: (r) => r.pattern !== '' || r.type === 'global',
          columns: [
            { name: 'type', label: 'Match', type: 'select', options: PATTERN_TYPES },
            { name: 'pattern', label: 'From domain pattern', placeholder: '*.example.com' },
          ],
        },
      ],
      defaults: () => ({ source: 'rsa-2048', patterns: [] }),
      toForm: (k) => ({
        domain: k.domain, selector: k.selector, headers: k.headers.join(':'), expire: k.expire, priority: k.priority,
        patterns: k.patterns.map((p) => ({ id: p.id, type: p.type, pattern: p.pattern })),
      }),
      describe: (k) => `${k.selector}._domainkey.${k.domain}`,
      confirmText: () => 'Mail is no longer signed with this key. Remove its TXT record from DNS only after mail signed with it has been delivered.',
      save: async (values, old) => {
        const patterns = values.patterns.map((p) => ({ type: p.type, pattern: p.pattern }));
        if (!old) {
          const body = { domain: values.domain, selector: values.selector, headers: values.headers, expire: values.expire, priority: values.priority ?? 0, patterns };
          if (values.source === 'upload') body.privateKey = values.privateKey ?? '';
          else Object.assign(body, { generate: true, algorithm: values.source });
          return request('POST', '/api/dkim', body);
        }
        // Domain, selector and the key itself are the key's identity; the rest changes in one request (one transaction).
        return request('PATCH', keyPath(old), { headers: values.headers ?? '', expire: values.expire ?? null, priority: values.priority ?? 0, patterns });
      },
      afterSave: (key, old) => {
        if (old || !key.dns) return;
        showSecretDialog(
          `Key ${key.selector} for ${key.domain} created`,
          `Publish this TXT record at ${key.dns.name} so receivers can verify the signatures. The panel shows it again any time.`,
          key.dns.text,
          'TXT record',
        );
      },
      remove: (k) => request('DELETE', keyPath(k)),
    });
  })();
  return () => {
    active = false;
    panel?.cleanup();
  };
}
