// Shared pieces of the console: DOM building, the API client and the session. Plain ES module.
// DOM is built with textContent only, so nothing the server returns is ever parsed as HTML.

const XHR = { 'X-Requested-With': 'XMLHttpRequest' }; // keeps browsers from showing their Basic-auth dialog

/** Session state, in memory only: the CSRF token never touches storage. */
export const session = { user: null, csrf: null, host: null };

export const EMPTY = '–';

export const $ = (id) => document.getElementById(id);

/** Creates an element with optional attributes and children (strings become text nodes). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

/** fetch() with the console's headers; the CSRF token goes on every state-changing request. */
export function api(method, path, body) {
  const headers = { ...XHR, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  return fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  }).then((response) => {
    if (response.status === 401 && sessionEnded) sessionEnded();
    return response;
  });
}

/** GET returning parsed JSON, or null when the request failed (the page keeps its last state). */
export async function getJson(path) {
  try {
    const response = await api('GET', path);
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

let sessionEnded = null;

/** The shell registers what happens when the server says the session is gone (401). */
export function onSessionEnded(callback) {
  sessionEnded = callback;
}

export const numberFormat = new Intl.NumberFormat();
