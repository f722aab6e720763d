// The cluster in the console's header (docs/cluster.md): a switcher to the other instances' consoles, and a warning
// while this instance cannot reach the settings database or the cluster broker. Reads GET /api/cluster every few
// seconds while the console is shown; switching asks this instance for a one-time token (POST /api/cluster/switch)
// and opens the other console with it, already logged in.
import { $, api, getJson, h, session } from './core.js';

const REFRESH_MS = 5000;
let timer = null;

function label(instance) {
  const name = instance.host || instance.url;
  if (instance.self) return `${name} (this instance)`;
  if (instance.stale) return `${name} — not responding`;
  if (instance.health === 'degraded') return `${name} — degraded`;
  return name;
}

function render(list) {
  const box = $('cluster');
  const select = $('instance-switcher');
  const status = $('cluster-status');
  if (!Array.isArray(list) || list.length === 0) {
    box.hidden = true;
    return;
  }
  const self = list.find((i) => i.self) || list[0];
  const down = [];
  if (self.database === 'down') down.push(h('span', { class: 'badge danger', title: self.databaseError || '' }, 'Database down'));
  if (self.broker === 'down') down.push(h('span', { class: 'badge danger', title: self.brokerError || '' }, 'Broker down'));
  status.replaceChildren(...down);
  // The select only when there is somewhere to go; the warnings always.
  select.hidden = list.length < 2;
  if (document.activeElement !== select) {
    select.replaceChildren(...list.map((i) => h('option', {
      value: i.id || '',
      selected: i.self,
      disabled: !i.self && i.stale,
      'data-url': i.url,
    }, label(i))));
  }
  box.hidden = select.hidden && down.length === 0;
}

async function refresh() {
  if (!session.user) return;
  render(await getJson('/api/cluster'));
}

async function switchTo(id) {
  const select = $('instance-switcher');
  select.disabled = true;
  try {
    const response = await api('POST', '/api/cluster/switch', { id });
    const answer = await response.json().catch(() => ({}));
    if (response.ok && answer.url) {
      window.location.assign(answer.url);
      return;
    }
    $('cluster-status').replaceChildren(h('span', { class: 'badge danger' }, answer.error || 'Cannot switch instance'));
  } catch {
    $('cluster-status').replaceChildren(h('span', { class: 'badge danger' }, 'Cannot switch instance'));
  } finally {
    select.disabled = false;
  }
  refresh();
}

function watch() {
  const app = $('app');
  const update = () => {
    if (!app.hidden && timer === null) {
      refresh();
      timer = setInterval(refresh, REFRESH_MS);
    } else if (app.hidden && timer !== null) {
      clearInterval(timer);
      timer = null;
      $('cluster').hidden = true;
    }
  };
  // The shell shows #app after login and hides it on logout; follow it without touching the shell.
  new MutationObserver(update).observe(app, { attributes: true, attributeFilter: ['hidden'] });
  update();
  $('instance-switcher').addEventListener('change', (event) => {
    const id = event.target.value;
    const current = event.target.querySelector('option[selected]');
    if (current && current.value === id) return;
    switchTo(id);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
else watch();
