// The message view: one stored message in four tabs (CONTRACT.md "Console labels": Headers, Raw,
// HTML source, Rendered), the Headers tab with the MIME tree. Mail is hostile content: everything is
// shown as text (textContent), and only the Rendered tab shows HTML, from /render/{id} inside an
// <iframe sandbox> with no allow-* at all (no scripts, an opaque origin, no forms, no navigation).

import { EMPTY, api, h, numberFormat } from './core.js';
import { useStyleSheet } from './style-sheet.js';

/** Raw and HTML source above this many characters are cut in the page (the download has everything). */
const MAX_TEXT = 2 * 1024 * 1024;

const TABS = [
  { key: 'headers', label: 'Headers' },
  { key: 'raw', label: 'Raw' },
  { key: 'html', label: 'HTML source' },
  { key: 'rendered', label: 'Rendered' },
];

let instances = 0;

function formatBytes(n) {
  if (typeof n !== 'number') return EMPTY;
  if (n < 1024) return `${numberFormat.format(n)} B`;
  if (n < 1024 * 1024) return `${numberFormat.format(Math.round(n / 102.4) / 10)} KiB`;
  return `${numberFormat.format(Math.round(n / 104857.6) / 10)} MiB`;
}

async function fetchText(path) {
  const response = await api('GET', path);
  return { status: response.status, text: response.ok ? await response.text() : '' };
}

function truncated(text) {
  if (text.length <= MAX_TEXT) return [text, null];
  return [text.slice(0, MAX_TEXT), h('p', { class: 'mv-note' }, `Showing the first ${numberFormat.format(MAX_TEXT)} characters; download the message for all of it.`)];
}

/** The MIME tree as nested lists, each part with what an operator looks for. */
function mimeTree(part) {
  const facts = [part.mediaType];
  if (part.charset) facts.push(`charset ${part.charset}`);
  if (part.encoding) facts.push(part.encoding);
  if (typeof part.size === 'number') facts.push(formatBytes(part.size));
  if (part.disposition) facts.push(part.disposition);
  if (part.fileName) facts.push(`“${part.fileName}”`);
  if (part.contentId) facts.push(`cid ${part.contentId}`);
  const item = h('li', { class: 'mv-part' }, h('code', {}, facts[0]), facts.length > 1 ? h('span', { class: 'mv-part-facts' }, ` · ${facts.slice(1).join(' · ')}`) : null);
  if (Array.isArray(part.parts) && part.parts.length) item.append(h('ul', {}, part.parts.map(mimeTree)));
  return item;
}

/**
 * Shows message `id` in `container` (replacing its content). Options: onClose() adds a Close button.
 * Returns { close() } which forgets pending work.
 */
export function openMessage(container, id, { onClose } = {}) {
  useStyleSheet('css/live.css');
  const n = ++instances;
  let alive = true;
  let structure = null; // the /structure answer once loaded
  const loaded = new Map(); // tab key -> panel filled

  const title = h('h2', { class: 'mv-title', tabindex: '-1' }, 'Message ', h('code', {}, id));
  const subtitle = h('p', { class: 'mv-subtitle' }, 'Loading…');
  const tabs = h('div', { class: 'mv-tabs', role: 'tablist', 'aria-label': 'Message views' });
  const panels = h('div', { class: 'mv-panels' });
  const buttons = [];

  const select = (index, focus = false) => {
    TABS.forEach((tab, i) => {
      const selected = i === index;
      buttons[i].setAttribute('aria-selected', String(selected));
      buttons[i].tabIndex = selected ? 0 : -1;
      panels.children[i].hidden = !selected;
    });
    if (focus) buttons[index].focus();
    load(TABS[index].key, panels.children[index]);
  };

  TABS.forEach((tab, i) => {
    const tabId = `mv${n}-tab-${tab.key}`;
    const panelId = `mv${n}-panel-${tab.key}`;
    const button = h('button', { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, 'aria-selected': 'false', tabindex: '-1', onclick: () => select(i) }, tab.label);
    // WAI-ARIA tabs: arrows move between tabs, Home/End jump to the ends.
    button.addEventListener('keydown', (event) => {
      const last = TABS.length - 1;
      const to = { ArrowRight: i === last ? 0 : i + 1, ArrowLeft: i === 0 ? last : i - 1, Home: 0, End: last }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      select(to, true);
    });
    buttons.push(button);
    tabs.append(button);
    panels.append(h('section', { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, tabindex: '0', class: 'mv-panel', hidden: true }, h('p', { class: 'mv-note' }, 'Loading…')));
  });

  const download = h('a', { class: 'button-link', href: `/api/messages/${id}/raw`, download: `${id}.eml` }, 'Download .eml');
  const actions = h('div', { class: 'mv-actions' }, download, onClose ? h('button', { type: 'button', onclick: () => onClose() }, 'Close message') : null);
  const root = h('article', { class: 'message-view', 'aria-labelledby': `mv${n}-title` }, h('header', { class: 'mv-header' }, h('div', {}, title, subtitle), actions), tabs, panels);
  title.id = `mv${n}-title`;
  container.replaceChildren(root);

  const structureLoaded = (async () => {
    try {
      const response = await api('GET', `/api/messages/${id}/structure`);
      if (!alive) return null;
      if (response.status === 404) {
        subtitle.textContent = 'This message is no longer kept (the server keeps the last 1000 messages received, for 24 hours).';
        return null;
      }
      structure = response.ok ? await response.json() : null;
    } catch {
      structure = null;
    }
    if (!alive) return null;
    if (structure) {
      const header = (name) => structure.headers.find((x) => x.name.toLowerCase() === name)?.value;
      subtitle.textContent = [header('subject') ? `“${header('subject')}”` : '(no subject)', header('from') ? `from ${header('from')}` : null, formatBytes(structure.size)].filter(Boolean).join(' · ');
    } else if (subtitle.textContent === 'Loading…') {
      subtitle.textContent = 'The message could not be read.';
    }
    return structure;
  })();

  async function load(key, panel) {
    if (loaded.has(key)) return;
    loaded.set(key, true);
    const fill = (...children) => { if (alive) panel.replaceChildren(...children.filter(Boolean)); };
    try {
      if (key === 'headers') {
        const s = await structureLoaded;
        if (!s) return fill(h('p', { class: 'mv-note' }, 'No headers to show.'));
        const rows = s.headers.map((x) => h('tr', {}, h('th', { scope: 'row' }, x.name), h('td', {}, x.value)));
        fill(
          h('table', { class: 'mv-headers' }, h('caption', { class: 'visually-hidden' }, 'Message headers'), h('tbody', {}, rows)),
          h('h3', {}, 'MIME structure'),
          s.structure ? h('ul', { class: 'mv-tree' }, mimeTree(s.structure)) : h('p', { class: 'mv-note' }, 'No body.'),
        );
      } else if (key === 'raw') {
        const { status, text } = await fetchText(`/api/messages/${id}/raw`);
        if (status !== 200) return fill(h('p', { class: 'mv-note' }, status === 404 ? 'This message is no longer kept.' : `Cannot load the message (HTTP ${status}).`));
        const [shown, note] = truncated(text);
        fill(note, h('pre', { class: 'mv-code', 'aria-label': 'Raw MIME' }, shown));
      } else if (key === 'html') {
        const { status, text } = await fetchText(`/api/messages/${id}/html`);
        if (status === 404) return fill(h('p', { class: 'mv-note' }, 'This message has no HTML part.'));
        if (status !== 200) return fill(h('p', { class: 'mv-note' }, `Cannot load the HTML source (HTTP ${status}).`));
        const [shown, note] = truncated(text);
        fill(note, h('pre', { class: 'mv-code', 'aria-label': 'HTML source' }, shown));
      } else if (key === 'rendered') {
        await renderFrame(fill);
      }
    } catch {
      loaded.delete(key); // a network error: try again when the tab is chosen again
      fill(h('p', { class: 'mv-note' }, 'Cannot reach the server.'));
    }
  }

  async function renderFrame(fill) {
    const [policyResponse, s] = await Promise.all([api('GET', '/api/render-policy'), structureLoaded]);
    const policy = policyResponse.ok ? await policyResponse.json() : null;
    if (s && !s.hasHtml) return fill(h('p', { class: 'mv-note' }, 'This message has no HTML part to render.'));
    if (policy && !policy.allowed) {
      // The server would answer 403 without a byte of the message: say why and what would be allowed.
      return fill(h('div', { class: 'mv-refusal', role: 'alert' },
        h('strong', {}, 'Rendering refused: this browser\'s user agent is not allowed to render messages.'),
        h('p', {}, 'The server\'s setting ', h('code', {}, policy.setting), ' allows only a browser whose User-Agent is exactly:'),
        h('pre', { class: 'mv-ua' }, policy.required),
        h('p', {}, 'This browser sends:'),
        h('pre', { class: 'mv-ua' }, policy.userAgent || '(no User-Agent)'),
        h('p', {}, 'Open the console in a browser (or profile) configured with that user agent to see the rendered message.')));
    }
    // sandbox="" = every restriction: no scripts, opaque origin, no forms, popups or top navigation.
    const frame = h('iframe', { class: 'mv-frame', sandbox: '', referrerpolicy: 'no-referrer', title: `Rendered message ${id}`, src: `/render/${id}` });
    fill(frame);
  }

  select(0);
  title.focus({ preventScroll: true });
  return {
    close() { alive = false; },
    element: root,
  };
}
