// Settings › REST API tokens: Bearer tokens for MailerQ's REST API v1 (/api/tokens). A new token is shown once,
// with a copy button; only its hash is stored. Revoking takes effect immediately.

import { mountPanel, request, showSecretDialog, showTime } from '../settings-ui.js';

export function render(view) {
  const panel = mountPanel(view, {
    noun: 'API token',
    intro: 'Scripts call the REST API v1 (/v1/pauses, /v1/errors, /v1/inject, …) with "Authorization: Bearer <token>". Every token has full access.',
    searchPlaceholder: 'Search on this page for a token name',
    createLabel: 'Create token',
    emptyText: 'No tokens: the REST API answers only console logins.',
    audit: ['token'],
    canEdit: false,
    deleteLabel: 'Revoke',
    doneLabel: 'Revoked',
    confirmText: () => 'Scripts using it are refused from now on.',
    columns: [
      { title: 'Name', value: (t) => t.name },
      { title: 'Created', value: (t) => showTime(t.created) },
    ],
    load: () => request('GET', '/api/tokens'),
    fields: [
      { name: 'name', label: 'Token name', required: true, placeholder: 'deploy-bot', help: 'Letters, digits, "-", "_" and ".". Names the token in logs and injected messages.' },
    ],
    describe: (t) => t.name,
    save: (values) => request('POST', '/api/tokens', { name: values.name }),
    afterSave: (created) => showSecretDialog(
      `Token ${created.name} created`,
      'Copy the token now: it is shown this once and cannot be read back.',
      created.token,
      'API token',
    ),
    remove: (t) => request('DELETE', `/api/tokens/${encodeURIComponent(t.name)}`),
  });
  return panel.cleanup;
}
