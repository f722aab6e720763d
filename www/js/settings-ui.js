// The settings panels' shared parts: a searchable list with Create / Edit / Delete, the editor dialog built
// from a field list, the confirmation dialog, "Recent changes" from /api/audit, copy buttons and time helpers.
// Every page in js/pages/{throttling,paused,...}.js describes its panel and calls mountPanel().
// DOM is built with textContent only (h()), so nothing the server returns is parsed as HTML.

import { api, getJson, h } from './core.js';

/** How often an open panel re-reads its list and change log, so changes by others appear. */
const REFRESH_MS = 10000;

let idCounter = 0;
const uid = (prefix) => `${prefix}-${++idCounter}`;

/** Adds css/settings.css once (the shell's style.css is shared by every page; ours stays separate). */
export function useStyles() {
  if (document.querySelector('link[data-settings-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: 'css/settings.css', 'data-settings-css': true }));
}

/** An API call that answers the parsed JSON or throws an Error carrying the server's {"error"} text and the status. */
export async function request(method, path, body) {
  let response;
  try {
    response = await api(method, path, body);
  } catch {
    throw Object.assign(new Error('Cannot reach the server.'), { status: 0 });
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw Object.assign(new Error(data?.error || `The server answered HTTP ${response.status}.`), { status: response.status, data });
  }
  return data;
}

// ---- Time -------------------------------------------------------------------------------------------

/** The API's "YYYY-MM-DD HH:MM:SS" (UTC) as a Date. */
export function parseUtc(text) {
  const d = new Date(`${String(text).replace(' ', 'T')}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "YYYY-MM-DD HH:MM:SS" (UTC) shown in the browser's time zone. */
export function showTime(text) {
  if (!text) return '';
  return parseUtc(text)?.toLocaleString() ?? text;
}

/** A datetime-local input's value (local time) as the API's UTC text; null when empty. */
function localInputToUtc(value) {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 19).replace('T', ' ');
}

function utcToLocalInput(text) {
  const d = text ? parseUtc(text) : null;
  if (!d) return '';
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

// ---- Copy -------------------------------------------------------------------------------------------

/** Copies text; the Clipboard API needs a secure context, so plain-HTTP consoles fall back to execCommand. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h('textarea', { class: 'visually-hidden', readonly: true, 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

/** A button that copies getText() and says so for two seconds. */
export function copyButton(label, getText, attributes = {}) {
  const button = h('button', { type: 'button', class: 'small', ...attributes }, label);
  button.addEventListener('click', async () => {
    const ok = await copyText(getText());
    button.textContent = ok ? 'Copied' : 'Copy failed: select and copy by hand';
    setTimeout(() => { button.textContent = label; }, 2000);
  });
  return button;
}

// ---- Dialogs ----------------------------------------------------------------------------------------

/** A modal <dialog> (focus trapped, Escape closes) removed from the page when closed. */
function modal(titleText, narrow = false) {
  const titleId = uid('dialog-title');
  const dialog = h('dialog', { class: `panel-dialog${narrow ? ' narrow' : ''}`, 'aria-labelledby': titleId });
  const title = h('h2', { id: titleId }, titleText);
  dialog.addEventListener('close', () => dialog.remove());
  return { dialog, title };
}

/** Asks before a destructive action; resolves true only when the operator confirms. Cancel has the focus. */
export function confirmDialog(titleText, text, actionLabel = 'Delete') {
  return new Promise((resolve) => {
    const { dialog, title } = modal(titleText, true);
    let confirmed = false;
    const cancel = h('button', { type: 'button', autofocus: true, onclick: () => dialog.close() }, 'Cancel');
    const ok = h('button', { type: 'button', class: 'primary', onclick: () => { confirmed = true; dialog.close(); } }, actionLabel);
    dialog.append(title, h('p', {}, text), h('div', { class: 'dialog-actions' }, cancel, ok));
    dialog.addEventListener('close', () => resolve(confirmed));
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/** Shows a secret once (a new API token) with a copy button; it is gone when the dialog closes. */
export function showSecretDialog(titleText, text, secret, secretLabel) {
  const { dialog, title } = modal(titleText);
  const id = uid('secret');
  const input = h('input', { id, type: 'text', readonly: true, value: secret, spellcheck: 'false' });
  const done = h('button', { type: 'button', class: 'primary', onclick: () => dialog.close() }, 'Done');
  dialog.append(
    title,
    h('div', { class: 'panel-form' },
      h('p', {}, text),
      h('div', { class: 'field' }, h('label', { for: id }, secretLabel), h('div', { class: 'copy-line' }, input, copyButton('Copy', () => secret))),
      h('div', { class: 'dialog-actions' }, done)),
  );
  document.body.append(dialog);
  dialog.showModal();
  input.select();
  return dialog;
}

// ---- Forms ------------------------------------------------------------------------------------------

/**
 * Builds form controls from field specs. Types: text, number, password, textarea, select, checkbox, radio,
 * datetime (local input, UTC value), group (fieldset of fields), rows (repeatable lines, e.g. patterns), file
 * (reads a text file into the field named by `into`). `createOnly: true` disables a field when editing,
 * `createOnly: 'hide'` leaves it out; `showIf(values)` shows a field only when it says so.
 */
function buildForm(fields, values, mode) {
  const readers = [];
  const conditional = [];
  const byName = new Map();

  const render = (spec) => {
    if (mode === 'edit' && spec.createOnly === 'hide') return null;
    const disabled = mode === 'edit' && spec.createOnly === true;
    const id = uid(`f-${(spec.name || 'group').replace(/\W/g, '')}`);
    const helpId = spec.help ? `${id}-help` : null;
    const help = spec.help ? h('p', { class: 'help', id: helpId }, spec.help) : null;
    const value = values[spec.name];
    let wrapper;

    switch (spec.type) {
      case 'group': {
        const inner = h('div', { class: 'grid-2' }, spec.fields.map(render));
        wrapper = h('fieldset', {}, h('legend', {}, spec.label), help, inner);
        break;
      }
      case 'checkbox': {
        const input = h('input', { id, type: 'checkbox', name: spec.name, disabled });
        input.checked = Boolean(value);
        readers.push([spec.name, () => input.checked]);
        byName.set(spec.name, input);
        wrapper = h('div', {}, h('label', { class: 'check', for: id }, input, spec.label), help);
        break;
      }
      case 'radio': {
        const name = uid(spec.name);
        const inputs = spec.options.map(([v, label]) => {
          const input = h('input', { type: 'radio', name, value: v, disabled });
          input.checked = (value ?? spec.options[0][0]) === v;
          return h('label', {}, input, label);
        });
        readers.push([spec.name, () => wrapper.querySelector('input:checked')?.value ?? null]);
        wrapper = h('fieldset', {}, h('legend', {}, spec.label), h('div', { class: 'choices' }, inputs), help);
        break;
      }
      case 'rows':
        wrapper = rowsField(spec, value ?? [], disabled, readers);
        break;
      default: {
        let input;
        if (spec.type === 'select') {
          input = h('select', { id, name: spec.name, disabled }, spec.options.map(([v, label]) => h('option', { value: v }, label)));
          input.value = value ?? spec.options[0][0];
        } else if (spec.type === 'textarea') {
          input = h('textarea', { id, name: spec.name, placeholder: spec.placeholder, disabled, spellcheck: 'false', rows: spec.rows ?? 6 });
          input.value = value ?? '';
        } else if (spec.type === 'file') {
          input = h('input', { id, type: 'file', accept: spec.accept, disabled });
          input.addEventListener('change', async () => {
            const file = input.files?.[0];
            const target = byName.get(spec.into);
            if (file && target) {
              target.value = await file.text();
              target.dispatchEvent(new Event('input', { bubbles: true }));
            }
          });
        } else {
          const type = spec.type === 'datetime' ? 'datetime-local' : spec.type || 'text';
          input = h('input', {
            id, type, name: spec.name, placeholder: spec.placeholder, disabled,
            inputmode: spec.type === 'number' ? 'numeric' : null, min: spec.min, autocomplete: 'off', spellcheck: 'false',
          });
          input.value = spec.type === 'datetime' ? utcToLocalInput(value) : (value ?? '');
        }
        if (helpId) input.setAttribute('aria-describedby', helpId);
        if (spec.required) input.setAttribute('aria-required', 'true');
        byName.set(spec.name, input);
        if (spec.type !== 'file') {
          readers.push([spec.name, () => {
            if (spec.type === 'datetime') return localInputToUtc(input.value);
            const text = input.value.trim();
            if (spec.type === 'number') return text === '' ? null : Number(text);
            if (spec.type === 'textarea' || spec.type === 'select') return input.value === '' ? null : input.value;
            return text === '' ? null : text;
          }]);
        }
        wrapper = h('div', { class: 'field' }, h('label', { for: id }, spec.label), input, help);
      }
    }
    if (spec.showIf) conditional.push([spec, wrapper]);
    return wrapper;
  };

  const element = h('div', { class: 'panel-form' }, fields.map(render));
  const read = () => Object.fromEntries(readers.map(([name, get]) => [name, get()]));
  const update = () => {
    const current = read();
    for (const [spec, wrapper] of conditional) wrapper.hidden = !spec.showIf(current);
  };
  element.addEventListener('input', update);
  element.addEventListener('change', update);
  update();
  return { element, read, focusFirst: () => element.querySelector('input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled])')?.focus() };
}

/** Repeatable lines (throttle patterns, sign patterns): each line's inputs are labelled, with Remove; "Add …" adds one. */
function rowsField(spec, initial, disabled, readers) {
  const list = h('div', { class: 'rows-field', role: 'list' });
  let count = 0;
  const addRow = (row = {}) => {
    count += 1;
    const inputs = spec.columns.map((col) => {
      const id = uid(`r-${col.name}`);
      let input;
      if (col.type === 'select') {
        input = h('select', { id, disabled }, col.options.map(([v, label]) => h('option', { value: v }, label)));
        input.value = row[col.name] ?? col.options[0][0];
      } else {
        input = h('input', { id, type: 'text', placeholder: col.placeholder, disabled, autocomplete: 'off', spellcheck: 'false' });
        input.value = row[col.name] ?? '';
      }
      input.dataset.column = col.name;
      return h('label', { for: id }, `${col.label} ${count}`, input);
    });
    const line = h('div', { class: 'row', role: 'listitem' }, inputs);
    if (row.id !== undefined) line.dataset.id = row.id;
    const remove = h('button', { type: 'button', class: 'small', disabled, 'aria-label': `Remove ${spec.itemLabel ?? 'line'} ${count}`, onclick: () => { line.remove(); list.dispatchEvent(new Event('input', { bubbles: true })); } }, 'Remove');
    line.append(remove);
    list.append(line);
    return line;
  };
  for (const row of initial) addRow(row);
  readers.push([spec.name, () => [...list.children].map((line) => {
    const out = {};
    if (line.dataset.id !== undefined) out.id = Number(line.dataset.id);
    for (const input of line.querySelectorAll('[data-column]')) out[input.dataset.column] = input.value.trim();
    return out;
  }).filter(spec.keep ?? ((r) => spec.columns.some((c) => c.type !== 'select' && r[c.name] !== '')))]);
  const add = h('button', { type: 'button', class: 'small', disabled, onclick: () => addRow().querySelector('input, select')?.focus() }, spec.addLabel ?? 'Add');
  return h('fieldset', {}, h('legend', {}, spec.label), spec.help ? h('p', { class: 'help' }, spec.help) : null, list, h('div', {}, add));
}

// ---- Change log -------------------------------------------------------------------------------------

/** "Recent changes": the newest audit entries whose target is one of `targets` (who, when, what). */
function changeLog(targets) {
  const list = h('ol');
  const element = h('section', { class: 'changes', 'aria-label': 'Recent changes' }, h('h2', {}, 'Recent changes'), list);
  let shown = null;
  const refresh = async () => {
    const entries = await getJson('/api/audit?limit=500');
    if (!Array.isArray(entries)) return;
    const mine = entries.filter((e) => targets.includes(e.target)).slice(0, 10);
    const text = JSON.stringify(mine);
    if (text === shown) return;
    shown = text;
    list.replaceChildren(...(mine.length === 0
      ? [h('li', { class: 'muted' }, 'No changes recorded yet.')]
      : mine.map((e) => h('li', {},
        h('time', { datetime: `${e.time.replace(' ', 'T')}Z` }, showTime(e.time)),
        h('span', { class: 'who' }, e.user),
        h('span', {}, `${e.action} ${e.target}`),
        h('span', { class: 'mono' }, e.detail ?? '')))));
  };
  return { element, refresh };
}

// ---- The panel --------------------------------------------------------------------------------------

/**
 * Mounts a settings panel into `view`. cfg: intro, noun, createLabel, searchPlaceholder, columns [{title, value(it)
 * | render(it), class}], load() → items, fields, toForm(item), save(values, item|null) → result, remove(item),
 * describe(item), canEdit, deleteLabel + doneLabel ("Resume" / "Resumed"), confirmText(item), afterSave(result, item),
 * audit [targets of /api/audit], emptyText, before (an element above the list).
 * Returns { cleanup, reload, setStatus }.
 */
export function mountPanel(view, cfg) {
  useStyles();
  let items = [];
  let loadedText = null;
  let active = true;
  let timer = 0;

  const status = h('p', { class: 'panel-status', role: 'status', 'aria-live': 'polite' });
  const setStatus = (text, isError = false) => {
    status.textContent = text;
    status.classList.toggle('is-error', isError);
  };
  const searchId = uid('search');
  const search = h('input', { id: searchId, type: 'search', placeholder: cfg.searchPlaceholder, autocomplete: 'off' });
  const createButton = cfg.createLabel ? h('button', { type: 'button', class: 'primary', onclick: () => openEditor(null) }, cfg.createLabel) : null;
  const toolbar = h('div', { class: 'panel-toolbar' }, h('label', { for: searchId, class: 'visually-hidden' }, 'Search'), search, createButton);
  // After a change the row that had the focus may be gone: keyboard users land back on the toolbar.
  const refocus = () => {
    if (!document.activeElement || document.activeElement === document.body) (createButton ?? search).focus();
  };

  const tbody = h('tbody');
  const table = h('table', { class: 'panel-table' },
    h('caption', { class: 'visually-hidden' }, cfg.caption ?? cfg.noun),
    h('thead', {}, h('tr', {}, cfg.columns.map((c) => h('th', { scope: 'col' }, c.title)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    tbody);
  const empty = h('p', { class: 'panel-empty' });
  const log = changeLog(cfg.audit);
  // Node.append() would print a null as the text "null": leave absent parts out.
  view.append(...[
    cfg.intro ? h('p', { class: 'lead' }, cfg.intro) : null,
    cfg.before,
    toolbar,
    status,
    h('div', { class: 'panel-table-wrap' }, table, empty),
    log.element,
  ].filter(Boolean));

  const searchText = cfg.searchText ?? ((it) => cfg.columns.map((c) => (c.value ? c.value(it) : '')).join(' '));

  const renderRows = () => {
    const q = search.value.trim().toLowerCase();
    const shown = q ? items.filter((it) => String(searchText(it)).toLowerCase().includes(q)) : items;
    tbody.replaceChildren(...shown.map((it) => {
      const describe = cfg.describe(it);
      const actions = h('td', { class: 'actions' },
        cfg.canEdit === false ? null : h('button', { type: 'button', class: 'small', 'aria-label': `Edit ${describe}`, onclick: () => openEditor(it) }, 'Edit'),
        h('button', { type: 'button', class: 'small danger', 'aria-label': `${cfg.deleteLabel ?? 'Delete'} ${describe}`, onclick: () => removeItem(it) }, cfg.deleteLabel ?? 'Delete'),
        ...(cfg.extraActions?.(it) ?? []));
      return h('tr', {}, cfg.columns.map((c) => h('td', { class: c.class }, c.render ? c.render(it) : String(c.value(it) ?? ''))), actions);
    }));
    empty.hidden = shown.length > 0;
    empty.textContent = items.length > 0 ? 'Nothing matches the search.' : (cfg.emptyText ?? 'Nothing here yet.');
  };
  search.addEventListener('input', renderRows);

  const reload = async () => {
    try {
      const loaded = await cfg.load();
      if (!active) return;
      // Re-render only when something changed, so the periodic refresh does not take the keyboard focus away.
      const text = JSON.stringify(loaded);
      if (text !== loadedText) {
        loadedText = text;
        items = loaded;
        renderRows();
      }
      if (status.classList.contains('is-error') && status.dataset.from === 'load') setStatus('');
    } catch (e) {
      if (!active) return;
      setStatus(`Cannot load the list: ${e.message}`, true);
      status.dataset.from = 'load';
    }
    log.refresh();
  };

  const openDialogs = new Set();

  async function openEditor(item) {
    const mode = item ? 'edit' : 'create';
    const values = item ? cfg.toForm(item) : (cfg.defaults?.() ?? {});
    const form = buildForm(cfg.fields, values, mode);
    const { dialog, title } = modal(item ? `Edit ${cfg.describe(item)}` : cfg.createLabel);
    const error = h('p', { class: 'dialog-error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary' }, item ? 'Save' : (cfg.submitLabel ?? cfg.createLabel));
    const cancel = h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel');
    const formElement = h('form', { novalidate: true }, title, form.element, error, h('div', { class: 'dialog-actions' }, cancel, submit));
    formElement.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      error.textContent = '';
      try {
        const result = await cfg.save(form.read(), item);
        dialog.close();
        setStatus(item ? `Saved ${cfg.noun}.` : `Created ${cfg.noun}.`);
        await reload();
        refocus();
        cfg.afterSave?.(result, item);
      } catch (e) {
        error.textContent = e.message;
      } finally {
        submit.disabled = false;
      }
    });
    dialog.append(formElement);
    dialog.addEventListener('close', () => openDialogs.delete(dialog));
    openDialogs.add(dialog);
    document.body.append(dialog);
    dialog.showModal();
    form.focusFirst();
  }

  async function removeItem(item) {
    const label = cfg.deleteLabel ?? 'Delete';
    const ok = await confirmDialog(`${label} ${cfg.describe(item)}?`, cfg.confirmText?.(item) ?? 'This takes effect immediately.', label);
    if (!ok) return;
    try {
      await cfg.remove(item);
      setStatus(`${cfg.doneLabel ?? 'Deleted'} ${cfg.describe(item)}.`);
    } catch (e) {
      setStatus(e.message, true);
    }
    await reload();
    refocus();
  }

  const tick = async () => {
    await reload();
    if (active) timer = setTimeout(tick, REFRESH_MS);
  };
  tick();

  return {
    reload,
    setStatus,
    cleanup: () => {
      active = false;
      clearTimeout(timer);
      for (const d of openDialogs) d.close();
    },
  };
}

// ---- Selections shared by pauses and forced errors (MailerQ's REST v1 fields) -----------------------

/** mta|pool × domain|ip × tag, as REST v1 names them; "*" or empty = everything. */
export const SELECTION_KEYS = ['mta', 'pool', 'domain', 'ip', 'tag'];

export function selectionFields() {
  return [
    {
      type: 'group', label: 'From', help: 'An MTA IP or an IP pool, not both. Leave both empty for every MTA IP.',
      fields: [
        { name: 'mta', label: 'MTA IP', placeholder: '*' },
        { name: 'pool', label: 'IP pool', placeholder: '*' },
      ],
    },
    {
      type: 'group', label: 'To', help: 'A receiving domain or a remote IP, not both. Leave both empty for everything.',
      fields: [
        { name: 'domain', label: 'Domain', placeholder: '*' },
        { name: 'ip', label: 'Remote IP', placeholder: '*' },
      ],
    },
    { name: 'tag', label: 'Tag', placeholder: '*', help: 'Only messages with this tag; empty for all messages.' },
  ];
}

const wild = (v) => (v && v !== '*' ? v : null);

/** "from" side of a selection as text. */
export function fromText(it) {
  if (wild(it.mta)) return it.mta;
  if (wild(it.pool)) return `pool ${it.pool}`;
  return '*';
}

/** "to" side of a selection as text. */
export function toText(it) {
  if (wild(it.domain)) return it.domain;
  if (wild(it.ip)) return `IP ${it.ip}`;
  return '*';
}

export function describeSelection(it) {
  return `from ${fromText(it)} to ${toText(it)}${wild(it.tag) ? ` tagged ${it.tag}` : ''}`;
}

/** The selection fields of an item (null for absent), for bodies and comparisons. */
export function selectionOf(it) {
  return Object.fromEntries(SELECTION_KEYS.map((k) => [k, wild(it[k]) ?? null]));
}

export function sameSelection(a, b) {
  const x = selectionOf(a);
  const y = selectionOf(b);
  return SELECTION_KEYS.every((k) => (x[k] ?? '').toLowerCase() === (y[k] ?? '').toLowerCase());
}
