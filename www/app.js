// MailerQ management console: login, session and the dashboard shell.
// Plain ES module, no build step, no external resources; DOM is built with textContent only,
// so nothing the server returns is ever parsed as HTML.

import { $, api, h, onSessionEnded, session } from './js/core.js';

/** Cleanup of the current view (timers, sockets), run before the next one renders. */
let leaveView = () => {};

const SETTINGS = 'settings';
const ROUTES = [
  { path: 'overview', title: 'Overview', module: 'overview', text: 'Activity of this instance over the last 60 seconds.' },
  { path: 'domains', title: 'Domains', module: 'domains', items: true, text: 'Live delivery statistics per receiving domain: queues, remote IPs, effective throttles and warnings.' },
  { path: 'mta-ips', module: 'mta-ips', items: true, title: 'MTA IPs', text: 'The local IP addresses this instance sends from, each with its hostname and live graph.' },
  { path: 'tags', module: 'tags', items: true, title: 'Tags', text: 'Recently used tags with their delivery and error counters.' },
  { path: 'live-smtp', module: 'live-smtp', title: 'Live SMTP', text: 'Incoming and outgoing SMTP sessions as they happen, with the stored messages: Headers, Raw, HTML source and Rendered.' },
  { path: 'logs', module: 'logs', title: 'Logs', text: 'The send log, filtered by domain, MTA IP or tag.' },
  { path: SETTINGS, title: 'Settings', render: renderSettingsIndex },
  { path: 'settings/throttling', module: 'throttling', title: 'Email throttling', text: 'Limits on messages and connections per domain and MTA IP, applied without a restart.' },
  { path: 'settings/paused', module: 'paused', title: 'Paused deliveries', text: 'Paused MTA IP / domain pairs and tags, each with a Resume button.' },
  { path: 'settings/forced-errors', module: 'forced-errors', title: 'Forced errors', text: 'Deliveries answered with a chosen SMTP error instead of being sent.' },
  { path: 'settings/suppressions', module: 'suppressions', title: 'Suppression list', text: 'Addresses and domains that never receive mail.' },
  { path: 'settings/pools', module: 'pools', title: 'IP pools', text: 'Named groups of MTA IPs that messages can be sent from.' },
  { path: 'settings/local-addresses', module: 'local-addresses', title: 'Local addresses', text: 'Recipient addresses whose inbound mail is routed to the local queue.' },
  { path: 'settings/dkim', module: 'dkim', title: 'DKIM keys', text: 'Signing keys per domain and selector, with the DNS record to publish. Available over HTTPS only.' },
  { path: 'settings/tokens', module: 'tokens', title: 'REST API tokens', text: 'Bearer tokens for MailerQ’s REST API v1.' },
];

// ---- Login -------------------------------------------------------------------------------------

let retryTimer = 0;

function closeView() {
  leaveView();
  leaveView = () => {};
}

function showLogin(message = '') {
  closeView();
  session.user = session.csrf = null;
  $('boot').hidden = true;
  $('app').hidden = true;
  $('login').hidden = false;
  document.title = 'Log in · MailerQ';
  setLoginError(message);
  $('username').focus();
}

function setLoginError(message) {
  $('login-error').textContent = message;
}

/** Seconds to wait from a Retry-After value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
function retryAfterSeconds(value) {
  if (value && /^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value ?? '');
  return Number.isNaN(date) ? 60 : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

/** Blocks the form and counts down until the server accepts attempts again. */
function startRetryCountdown(seconds) {
  const button = $('login-submit');
  clearInterval(retryTimer);
  let left = seconds;
  const tick = () => {
    if (left <= 0) {
      clearInterval(retryTimer);
      button.disabled = false;
      setLoginError('');
      return;
    }
    setLoginError(`Too many attempts, retry in ${left} s`);
    left -= 1;
  };
  button.disabled = true;
  tick();
  retryTimer = setInterval(tick, 1000);
}

async function onLoginSubmit(event) {
  event.preventDefault();
  performance.mark('mq-login'); // with 'mq-dashboard-ready' (live-panel.js): login to a usable dashboard
  const username = $('username').value;
  const password = $('password').value;
  if (!username || !password) {
    setLoginError('Enter your username and password');
    (username ? $('password') : $('username')).focus();
    return;
  }

  const button = $('login-submit');
  button.disabled = true;
  setLoginError('');
  let response;
  try {
    response = await api('POST', '/api/login', { username, password });
  } catch {
    button.disabled = false;
    setLoginError('Cannot reach the server. Check the connection and try again.');
    return;
  }

  if (response.status === 429) {
    startRetryCountdown(retryAfterSeconds(response.headers.get('Retry-After')));
    return;
  }
  button.disabled = false;
  const answer = response.ok ? await response.json().catch(() => null) : null;
  if (answer?.csrf) {
    $('password').value = '';
    await enter(answer);
    return;
  }
  $('password').value = '';
  $('password').focus();
  setLoginError(response.status === 401 ? 'Invalid credentials' : `Login failed (HTTP ${response.status})`);
}

async function onLogout() {
  try {
    await api('POST', '/api/logout');
  } catch {
    // The server is unreachable; the cookie ends with the browser session or on the server side.
  }
  showLogin();
}

// ---- Shell -------------------------------------------------------------------------------------

/** Enters the dashboard with the answer of /api/login or /api/whoami: {"user","csrf"}. */
async function enter(whoami) {
  session.user = whoami.user;
  session.csrf = whoami.csrf;
  session.host = whoami.host || location.host;
  $('current-user').textContent = session.user;
  $('instance-host').textContent = session.host;
  $('boot').hidden = true;
  // A field of the login form keeps the focus while hidden (Enter in the password field); let it go so the
  // page heading route() focuses keeps it.
  if ($('login').contains(document.activeElement)) document.activeElement.blur();
  $('login').hidden = true;
  $('app').hidden = false;
  route();
}

function buildNav() {
  const top = $('nav');
  const settings = h('ul', { class: 'subnav' });
  for (const r of ROUTES) {
    const item = h('li', {}, h('a', { href: `#/${r.path}`, 'data-route': r.path }, r.title));
    (r.path.startsWith(`${SETTINGS}/`) ? settings : top).append(item);
    if (r.path === SETTINGS) item.append(settings);
  }
}

function currentPath() {
  return location.hash.replace(/^#\/?/, '').split('?')[0].replace(/\/+$/, '');
}

/**
 * The route of a path, and for routes with `items` (lists whose entries have pages: #/domains/example.org)
 * the item, decoded. Unknown paths give no target.
 */
function findRoute(path) {
  const exact = ROUTES.find((r) => r.path === path);
  if (exact) return { target: exact, item: null };
  const parent = ROUTES.find((r) => r.items && path.startsWith(`${r.path}/`));
  if (!parent) return { target: null, item: null };
  try {
    return { target: parent, item: decodeURIComponent(path.slice(parent.path.length + 1)) };
  } catch {
    return { target: null, item: null }; // a broken escape in the address
  }
}

function route() {
  if (!session.user) return;
  const path = currentPath();
  const { target, item } = findRoute(path);
  if (!target) {
    location.replace('#/overview');
    return;
  }

  for (const link of document.querySelectorAll('#nav a')) {
    const route = link.dataset.route;
    if (route === target.path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    link.classList.toggle('within', target.path.startsWith(`${route}/`));
  }

  closeView();
  const view = $('view');
  const heading = h('h1', { tabindex: '-1' }, target.title);
  view.replaceChildren(heading);
  view.dataset.route = path;
  if (target.render) target.render(view);
  else if (target.module) mountModule(target, view, path, item);
  else view.append(h('p', { class: 'lead' }, target.text));
  document.title = `${target.title} · MailerQ`;
  // Move focus to the new page, as a full page load would, so screen readers announce it.
  heading.focus({ preventScroll: true });
}

// ---- Views -------------------------------------------------------------------------------------

/**
 * Pages live in js/pages/<module>.js and export `render(view, context)`, which may return a cleanup
 * function (timers, sockets). A page that is not there yet shows its description.
 */
async function mountModule(target, view, path, item) {
  let page;
  try {
    page = await import(`./js/pages/${target.module}.js`);
  } catch {
    view.append(h('p', { class: 'lead' }, target.text));
    return;
  }
  if (view.dataset.route !== path) return; // the operator moved on while it loaded
  const cleanup = page.render(view, { route: target, item, params: new URLSearchParams(location.hash.split('?')[1] ?? '') });
  if (typeof cleanup === 'function') leaveView = cleanup;
}

function renderSettingsIndex(view) {
  view.append(h('p', { class: 'lead' }, 'Delivery settings, stored in the database and applied without a restart.'));
  const list = h('ul', { class: 'cards' });
  for (const r of ROUTES.filter((x) => x.path.startsWith(`${SETTINGS}/`))) {
    list.append(h('li', {}, h('a', { href: `#/${r.path}` }, h('strong', {}, r.title), h('span', {}, r.text))));
  }
  view.append(list);
}

// ---- Start -------------------------------------------------------------------------------------

async function start() {
  onSessionEnded(() => { if (session.user) showLogin('Your session has ended. Please log in again.'); });
  buildNav();
  $('login-form').addEventListener('submit', onLoginSubmit);
  $('logout').addEventListener('click', onLogout);
  window.addEventListener('hashchange', route);
  // The Overview is the first page after login: load its module graph (chart library included) while the
  // operator types, so the dashboard draws as soon as the login answers.
  import('./js/pages/overview.js').catch(() => {});

  let response;
  try {
    response = await api('GET', '/api/whoami');
  } catch {
    showLogin('Cannot reach the server. Check the connection and reload.');
    return;
  }
  const whoami = response.ok ? await response.json().catch(() => null) : null;
  if (whoami?.user) await enter(whoami);
  else showLogin();
}

start();
