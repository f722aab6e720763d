// Live SMTP: every incoming and outgoing SMTP session as it happens (docs/ws-protocol.md), with the
// transcript streaming in, and the stored message of a session in the message view.
//
// Built to follow a busy server (hundreds of messages a second) without freezing the tab:
// - trace frames update an in-memory model at once (cheap: decode, split lines), and the DOM is
//   touched at most once per animation frame, from dirty flags;
// - everything is capped: sessions kept, lines per session, message-data lines shown per
//   transaction, rows in the all-sessions stream;
// - "Pause" freezes the DOM while the model keeps following (capped), so the operator can read.

import { EMPTY, getJson, h, numberFormat } from '../core.js';
import { connect, subscribe, unsubscribe } from '../ws.js';
import { openMessage } from '../message-view.js';
import { useStyleSheet } from '../style-sheet.js';

const MAX_SESSIONS = 200;
const MAX_LINES_PER_SESSION = 1000;
const MAX_LINE_CHARS = 2000;
/** Lines of message data (between 354 and the final ".") shown per transaction; the rest are counted. */
const MAX_DATA_LINES = 20;
/** Rows kept in the all-sessions stream. */
const MAX_STREAM_ROWS = 400;
/** Session metadata (peer, state, sender, recipients, message id) comes from the API this often. */
const META_REFRESH_MS = 1000;
/** The session table is rebuilt at most this often; transcript lines still go out every frame. */
const LIST_REFRESH_MS = 250;
const QUEUED_AS = /queued as ([0-9a-f]{32})/;
const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:.]*:[0-9a-f:.]*)$/i;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** The address part of "1.2.3.4:25" or "[::1]:25". */
function address(peer) {
  if (!peer) return '';
  const bracket = /^\[([^\]]+)\]:\d+$/.exec(peer);
  if (bracket) return bracket[1];
  const colon = peer.lastIndexOf(':');
  return colon > 0 && peer.indexOf(':') === colon ? peer.slice(0, colon) : peer;
}

export function render(view, context) {
  useStyleSheet('css/live.css');

  // ---- Model ----------------------------------------------------------------------------------
  /** id (string) -> session; Map keeps insertion order, the table sorts by numeric id. */
  const sessions = new Map();
  let selected = null; // id of the session whose transcript is shown, or null for the all-sessions stream
  let paused = false;
  let pausedLines = 0;
  let direction = 'all';
  let peerFilter = '';
  let droppedBase = 0; // drops of earlier connections (droppedTotal restarts with each socket)
  let droppedNow = 0;
  let connected = false;
  let alive = true;

  // Dirty flags for the next animation frame.
  let listDirty = true;
  const dirtyRows = new Set();
  let transcriptReset = true;
  let headerDirty = true;
  let pendingSelected = []; // lines to append to the selected transcript
  let pendingStream = []; // { s, line } to append to the all-sessions stream
  let frame = 0;
  let listDrawn = 0;
  let metaTimer = 0;
  // What the page costs, for the load test and for anyone curious in the devtools console.
  const cost = window.__liveSmtp = { traces: 0, traceMs: 0, draws: 0, drawMs: 0, listMs: 0, rowsMs: 0, scrollMs: 0 };
  let metaWanted = true;

  function newSession(id, fields) {
    const s = {
      id, direction: 'in', peer: '', started: Date.now(), state: 'connected', from: null, rcpts: [], messageId: null, size: 0,
      lines: [], partial: { c: '', s: '' }, inData: false, dataLines: 0, dataSkipped: 0, complete: false, row: null,
      ...fields,
    };
    sessions.set(id, s);
    evict();
    listDirty = true;
    return s;
  }

  /** Forgets the oldest sessions beyond the cap (never the one on screen). */
  function evict() {
    if (sessions.size <= MAX_SESSIONS) return;
    const ids = [...sessions.keys()].sort((a, b) => Number(a) - Number(b));
    for (const id of ids) {
      if (sessions.size <= MAX_SESSIONS) break;
      if (id === selected) continue;
      sessions.delete(id);
    }
  }

  function passes(s) {
    if (direction !== 'all' && s.direction !== direction) return false;
    if (peerFilter && !address(s.peer).toLowerCase().includes(peerFilter.toLowerCase())) return !s.peer && IP_ADDRESS.test(peerFilter);
    return true;
  }

  function addLine(s, dir, text, time) {
    if (text.length > MAX_LINE_CHARS) text = `${text.slice(0, MAX_LINE_CHARS)} … [${numberFormat.format(text.length - MAX_LINE_CHARS)} more characters]`;
    let line = null;
    if (s.inData && dir === 'c') {
      if (text === '.') {
        s.inData = false;
        if (s.dataSkipped > 0) push(s, { dir: 'c', text: `[… ${numberFormat.format(s.dataSkipped)} more lines of message data]`, time, data: true, note: true });
        line = { dir, text, time };
      } else if (++s.dataLines <= MAX_DATA_LINES) {
        line = { dir, text, time, data: true };
      } else {
        s.dataSkipped++;
        return;
      }
    } else {
      line = { dir, text, time };
      if (dir === 's') {
        if (/^354[ -]/.test(text)) {
          s.inData = true;
          s.dataLines = s.dataSkipped = 0;
        }
        const queued = s.direction === 'in' && QUEUED_AS.exec(text);
        if (queued) { s.messageId = queued[1]; dirtyRows.add(s); }
      } else {
        const upper = text.slice(0, 10).toUpperCase();
        if (upper.startsWith('MAIL FROM:')) { s.from = /<([^>]*)>/.exec(text)?.[1] ?? text.slice(10).trim(); s.rcpts = []; s.state = 'mail'; dirtyRows.add(s); }
        else if (upper.startsWith('RCPT TO:')) { const r = /<([^>]*)>/.exec(text)?.[1]; if (r && s.rcpts.length < 100) s.rcpts.push(r); dirtyRows.add(s); }
        else if (upper.startsWith('QUIT')) { s.state = 'quit'; dirtyRows.add(s); }
      }
    }
    push(s, line);
  }

  function push(s, line) {
    s.lines.push(line);
    if (s.lines.length > MAX_LINES_PER_SESSION) s.lines.splice(0, s.lines.length - MAX_LINES_PER_SESSION);
    if (s.id === selected) {
      pendingSelected.push(line);
      if (pendingSelected.length > MAX_LINES_PER_SESSION) pendingSelected = pendingSelected.slice(-MAX_LINES_PER_SESSION);
    } else if (selected === null && passes(s)) {
      pendingStream.push({ s, line });
      if (pendingStream.length > MAX_STREAM_ROWS * 2) pendingStream = pendingStream.slice(-MAX_STREAM_ROWS);
    }
    if (paused) pausedLines++;
  }

  /** Splits a chunk into lines; a line cut between frames waits for its end. */
  function feed(s, dir, text, time) {
    const data = s.partial[dir] + text;
    const pieces = data.split('\n');
    s.partial[dir] = pieces.pop();
    if (s.partial[dir].length > MAX_LINE_CHARS * 4) {
      pieces.push(s.partial[dir]);
      s.partial[dir] = '';
    }
    for (const piece of pieces) addLine(s, dir, piece.endsWith('\r') ? piece.slice(0, -1) : piece, time);
  }

  function onTrace(trace) {
    if (!alive) return;
    const began = performance.now();
    const id = String(trace.session);
    let s = sessions.get(id);
    if (!s) {
      // Seen from its first byte (the server's greeting), the live stream holds the whole transcript; seen later (a
      // reconnect, frames sent before the subscription took effect) the start comes from the API when selected.
      const fromStart = trace.direction === 's' && /^\d{3}[ -]/.test(trace.text);
      s = newSession(id, { direction: trace.outbound ? 'out' : 'in', started: trace.time, complete: fromStart, peer: IP_ADDRESS.test(peerFilter) ? peerFilter : '' });
      metaWanted = true;
    }
    feed(s, trace.direction, trace.text, trace.time);
    schedule();
    cost.traces++;
    cost.traceMs += performance.now() - began;
  }

  function onStats(message) {
    if (typeof message.droppedTotal === 'number') droppedNow = message.droppedTotal;
    updateStatus();
  }

  /** "Live" once the server confirmed the smtp subscription: from then on no session's start is missed. */
  function onReply(message) {
    if (message.subscribed === 'smtp' && !connected) {
      connected = true;
      updateStatus();
    }
  }

  function onState(state) {
    if (state === 'open') {
      // Connected, not yet subscribed: onReply says Live.
    } else {
      if (connected) droppedBase += droppedNow;
      droppedNow = 0;
      connected = false;
    }
    updateStatus();
  }

  // ---- Session metadata from the API ----------------------------------------------------------
  function merge(item) {
    const id = String(item.id);
    let s = sessions.get(id);
    if (!s) {
      const oldest = sessions.size >= MAX_SESSIONS ? Math.min(...[...sessions.keys()].map(Number)) : -1;
      if (item.id < oldest) return;
      s = newSession(id, { direction: item.direction, started: Date.parse(item.started) || Date.now() });
    }
    const before = `${s.peer}|${s.state}|${s.from}|${s.rcpts.length}|${s.messageId}|${s.size}`;
    s.direction = item.direction || s.direction;
    s.peer = item.peer || s.peer;
    s.state = item.state || s.state;
    s.from = item.from ?? s.from;
    if (Array.isArray(item.rcpts) && item.rcpts.length) s.rcpts = item.rcpts.slice(0, 100);
    s.messageId = item.messageId ?? s.messageId;
    s.size = item.size ?? s.size;
    if (!s.apiStarted && item.started) s.apiStarted = Date.parse(item.started);
    if (before !== `${s.peer}|${s.state}|${s.from}|${s.rcpts.length}|${s.messageId}|${s.size}`) {
      dirtyRows.add(s);
      if (peerFilter || direction !== 'all') listDirty = true;
    }
  }

  async function refreshMeta() {
    metaTimer = 0;
    if (!alive) return;
    if (!paused && metaWanted && document.visibilityState !== 'hidden') {
      metaWanted = false;
      const list = await getJson(`/api/smtp/sessions?limit=${MAX_SESSIONS}`);
      if (!alive) return;
      if (Array.isArray(list)) {
        for (const item of list.slice().reverse()) merge(item);
        schedule();
      }
    }
    // Sessions still open change state without sending bytes we parse; look again now and then.
    if ([...sessions.values()].some((s) => s.state !== 'quit' && s.state !== 'closed')) metaWanted = true;
    metaTimer = setTimeout(refreshMeta, META_REFRESH_MS);
  }

  // ---- View -----------------------------------------------------------------------------------
  const directionSelect = h('select', { id: 'live-direction' },
    h('option', { value: 'all' }, 'All sessions'), h('option', { value: 'in' }, 'Incoming'), h('option', { value: 'out' }, 'Outgoing'));
  const peerInput = h('input', { id: 'live-peer', type: 'search', placeholder: 'IP address', autocomplete: 'off', spellcheck: 'false' });
  const pauseButton = h('button', { type: 'button', class: 'live-pause', 'aria-pressed': 'false' }, 'Pause');
  const connection = h('span', { class: 'live-chip', role: 'status' }, 'Connecting…');
  const dropped = h('span', { class: 'live-chip live-dropped', title: 'Trace frames the server dropped because this page could not keep up' }, 'Dropped frames: 0');
  const pausedNote = h('span', { class: 'live-chip live-paused', hidden: true });
  const counter = h('span', { class: 'live-count' });

  const tbody = h('tbody', {});
  const table = h('table', { class: 'live-sessions', 'aria-label': 'SMTP sessions' },
    h('thead', {}, h('tr', {}, ['#', 'Direction', 'Peer', 'Started', 'State', 'From', 'To', 'Message'].map((x) => h('th', { scope: 'col' }, x)))),
    tbody);
  const empty = h('p', { class: 'live-empty' }, 'No SMTP sessions yet. They appear here as they open.');

  const transcriptTitle = h('h2', { class: 'live-transcript-title' });
  const transcriptActions = h('div', { class: 'live-transcript-actions' });
  const transcript = h('ol', { class: 'transcript', tabindex: '0', 'aria-label': 'Transcript' });
  const messageArea = h('div', { class: 'live-message' });
  let message = null;

  view.append(
    h('p', { class: 'lead' }, 'Incoming and outgoing SMTP sessions as they happen. Select a session for its transcript and message.'),
    h('form', { class: 'live-toolbar', onsubmit: (e) => e.preventDefault() },
      h('label', { for: 'live-direction' }, 'Direction'), directionSelect,
      h('label', { for: 'live-peer' }, 'Peer'), peerInput,
      pauseButton, connection, dropped, pausedNote),
    h('div', { class: 'live-grid' },
      h('section', { class: 'live-list', 'aria-label': 'Sessions' }, counter, h('div', { class: 'live-scroll' }, table, empty)),
      h('section', { class: 'live-transcript', 'aria-label': 'Transcript' }, h('header', {}, transcriptTitle, transcriptActions), transcript)),
    messageArea,
  );

  /** Sets text only when it changed: an unchanged write still costs a style recalculation. */
  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  function updateStatus() {
    setText(connection, connected ? 'Live' : 'Reconnecting…');
    connection.classList.toggle('ok', connected);
    const total = droppedBase + droppedNow;
    setText(dropped, `Dropped frames: ${numberFormat.format(total)}`);
    dropped.classList.toggle('warn', total > 0);
    if (pausedNote.hidden === paused) pausedNote.hidden = !paused;
    if (paused) setText(pausedNote, `Paused · ${numberFormat.format(pausedLines)} new lines`);
  }

  function cell(text) {
    return h('td', {}, text === null || text === undefined || text === '' ? EMPTY : String(text));
  }

  function fillRow(s) {
    const row = s.row;
    const rcpts = s.rcpts.length > 1 ? `${s.rcpts[0]} +${s.rcpts.length - 1}` : s.rcpts[0];
    const open = s.messageId
      ? h('td', {}, h('button', { type: 'button', class: 'link', 'data-message': s.messageId, onclick: (e) => { e.stopPropagation(); showMessage(s.messageId); } }, 'Open'))
      : cell(null);
    row.replaceChildren(
      cell(`#${s.id}`),
      h('td', {}, h('span', { class: `live-dir ${s.direction}` }, s.direction === 'out' ? 'Out' : 'In')),
      cell(s.peer),
      cell(timeFormat.format(s.started)),
      cell(s.state),
      cell(s.from),
      cell(rcpts),
      open);
  }

  /** The session's row, built on first need and refilled only when it changed while off screen. */
  function rowFor(s) {
    if (!s.row) {
      s.row = h('tr', { tabindex: '-1', 'data-session': s.id, onclick: () => choose(s.id) });
      s.rowStale = true;
    }
    if (s.rowStale) {
      s.rowStale = false;
      fillRow(s);
    }
    return s.row;
  }

  /** The visible sessions, newest first. */
  function visible() {
    return [...sessions.values()].filter(passes).sort((a, b) => Number(b.id) - Number(a.id));
  }

  function renderList() {
    const list = visible();
    const focused = document.activeElement;
    tbody.replaceChildren(...list.map(rowFor));
    // Exactly one row is in the tab order (roving tabindex): the selected one, else the newest.
    const current = list.find((s) => s.id === selected) ?? list[0];
    for (const s of list) {
      s.row.tabIndex = s === current ? 0 : -1;
      s.row.setAttribute('aria-selected', String(s.id === selected));
    }
    if (focused && focused.closest?.('tr') && !tbody.contains(focused) && current) current.row.focus({ preventScroll: true });
    empty.hidden = list.length > 0;
    empty.textContent = sessions.size ? 'No session matches the filter.' : 'No SMTP sessions yet. They appear here as they open.';
    counter.textContent = `${numberFormat.format(list.length)} session${list.length === 1 ? '' : 's'} (the newest ${MAX_SESSIONS} are kept)`;
  }

  /**
   * One element per line (a text node, no inner spans): at a few thousand lines a second the browser's
   * style and layout work per element is what costs, so client and server differ by class and prefix.
   */
  function lineElement(line, s) {
    const li = document.createElement('li');
    li.className = `line ${line.dir}${line.data ? ' data' : ''}${line.note ? ' note' : ''}`;
    li.textContent = `${s ? `#${s.id} ` : ''}${line.dir === 'c' ? 'C:' : 'S:'} ${line.text}`;
    return li;
  }

  // Whether the transcript follows new lines: true until the operator scrolls up, again once back at
  // the bottom. Kept from scroll events so drawing never has to read layout first.
  let following = true;
  transcript.addEventListener('scroll', () => {
    following = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
  }, { passive: true });

  function renderTranscript(stick) {
    const s = selected !== null ? sessions.get(selected) : null;
    if (headerDirty || transcriptReset) {
      headerDirty = false;
      if (s) {
        transcriptTitle.textContent = `Session #${s.id} · ${s.direction === 'out' ? 'outgoing' : 'incoming'}${s.peer ? ` · ${s.peer}` : ''}`;
        transcriptActions.replaceChildren(
          s.messageId ? h('button', { type: 'button', onclick: () => showMessage(s.messageId) }, 'Open message') : null,
          h('button', { type: 'button', onclick: () => choose(null) }, 'All sessions'));
      } else {
        transcriptTitle.textContent = 'All sessions (live)';
        transcriptActions.replaceChildren();
      }
    }
    if (transcriptReset) {
      transcriptReset = false;
      if (s) {
        transcript.replaceChildren(...s.lines.map((line) => lineElement(line)));
        if (!s.lines.length) transcript.append(h('li', { class: 'line note' }, s.complete ? 'Waiting for the session to say something…' : 'Loading the transcript…'));
      } else {
        const rows = [];
        for (const s of visible()) for (const line of s.lines.slice(-MAX_STREAM_ROWS)) rows.push({ s, line });
        rows.sort((a, b) => a.line.time - b.line.time);
        transcript.replaceChildren(...rows.slice(-MAX_STREAM_ROWS).map((x) => lineElement(x.line, x.s)));
      }
      pendingSelected = [];
      pendingStream = [];
    } else if (selected !== null && pendingSelected.length) {
      const fragment = document.createDocumentFragment();
      for (const line of pendingSelected) fragment.append(lineElement(line));
      pendingSelected = [];
      transcript.querySelector('.line.note:only-child')?.remove();
      transcript.append(fragment);
      const extra = transcript.childElementCount - MAX_LINES_PER_SESSION;
      for (let i = 0; i < extra; i++) transcript.firstElementChild.remove();
    } else if (selected === null && pendingStream.length) {
      const fragment = document.createDocumentFragment();
      for (const x of pendingStream.slice(-MAX_STREAM_ROWS)) fragment.append(lineElement(x.line, x.s));
      pendingStream = [];
      transcript.append(fragment);
      const extra = transcript.childElementCount - MAX_STREAM_ROWS;
      for (let i = 0; i < extra; i++) transcript.firstElementChild.remove();
    }
    const t2 = performance.now();
    if (stick) transcript.scrollTop = transcript.scrollHeight;
    cost.scrollMs += performance.now() - t2;
  }

  function draw(now) {
    frame = 0;
    if (!alive || paused) return;
    const began = performance.now();
    const stick = transcriptReset || following;
    if (listDirty && now - listDrawn < LIST_REFRESH_MS) {
      schedule(); // not yet: come back next frame
    } else if (listDirty) {
      listDirty = false;
      listDrawn = now;
      const t0 = performance.now();
      renderList();
      cost.listMs += performance.now() - t0;
    }
    const t1 = performance.now();
    for (const s of dirtyRows) {
      if (s.row?.isConnected) fillRow(s);
      else if (s.row) s.rowStale = true;
      if (s.id === selected) headerDirty = true;
    }
    dirtyRows.clear();
    cost.rowsMs += performance.now() - t1;
    updateStatus();
    renderTranscript(stick); // last: its scroll position is the frame's only layout read
    cost.draws++;
    cost.drawMs += performance.now() - began;
  }

  function schedule() {
    if (!frame && !paused) frame = requestAnimationFrame(draw);
  }

  // ---- Interaction ----------------------------------------------------------------------------
  async function choose(id) {
    selected = id;
    transcriptReset = true;
    listDirty = true;
    listDrawn = 0; // the operator acted: answer in this frame
    schedule();
    const s = id !== null ? sessions.get(id) : null;
    if (!s || s.complete) return;
    // A session older than this page: its transcript so far comes from the API, then the live lines.
    const lines = await getJson(`/api/smtp/sessions/${encodeURIComponent(id)}`);
    if (!alive || !Array.isArray(lines)) return;
    const start = s.apiStarted ?? s.started;
    const last = lines.length ? start + lines[lines.length - 1].t : -Infinity;
    const live = s.lines.filter((line) => line.time > last);
    s.lines = lines.map((x) => ({ dir: x.dir === 'c' ? 'c' : 's', text: String(x.line), time: start + x.t })).concat(live).slice(-MAX_LINES_PER_SESSION);
    s.complete = true;
    if (selected === id) { transcriptReset = true; schedule(); }
  }

  function showMessage(messageId) {
    if (message) message.close();
    message = openMessage(messageArea, messageId, {
      onClose: () => {
        message?.close();
        message = null;
        messageArea.replaceChildren();
        (selected !== null ? sessions.get(selected)?.row : null)?.focus();
      },
    });
    message.element.scrollIntoView({ block: 'start' });
  }

  tbody.addEventListener('keydown', (event) => {
    const row = event.target.closest('tr');
    if (!row) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      choose(row.dataset.session);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
      if (next) { row.tabIndex = -1; next.tabIndex = 0; next.focus(); }
    } else if (event.key === 'Escape' && selected !== null) {
      choose(null);
    }
  });

  const resubscribe = () => {
    const filter = {};
    if (direction !== 'all') filter.direction = direction;
    if (IP_ADDRESS.test(peerFilter)) filter.peer = peerFilter; // the server filters exact addresses only
    subscribe('smtp', filter);
  };
  directionSelect.addEventListener('change', () => {
    direction = directionSelect.value;
    resubscribe();
    listDirty = transcriptReset = true;
    listDrawn = 0;
    schedule();
  });
  let peerTimer = 0;
  peerInput.addEventListener('input', () => {
    clearTimeout(peerTimer);
    peerTimer = setTimeout(() => {
      peerFilter = peerInput.value.trim();
      resubscribe();
      listDirty = transcriptReset = true;
      listDrawn = 0;
      schedule();
    }, 250);
  });
  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    pauseButton.setAttribute('aria-pressed', String(paused));
    if (paused) {
      pausedLines = 0;
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    } else {
      // The model kept following: draw it whole.
      listDirty = transcriptReset = true;
      listDrawn = 0;
      for (const s of sessions.values()) s.rowStale = true;
      metaWanted = true;
      schedule();
    }
    updateStatus();
  });

  // ---- Start ----------------------------------------------------------------------------------
  const socket = connect({ onTrace, onStats, onState, onReply });
  subscribe('stats');
  resubscribe();
  (async () => {
    const list = await getJson(`/api/smtp/sessions?limit=${MAX_SESSIONS}`);
    if (!alive) return;
    if (Array.isArray(list)) for (const item of list.slice().reverse()) merge(item);
    metaWanted = false;
    schedule();
    metaTimer = setTimeout(refreshMeta, META_REFRESH_MS);
    const wanted = context?.params?.get('message');
    if (wanted && /^[0-9a-f]{32}$/.test(wanted)) showMessage(wanted);
  })();
  updateStatus();
  schedule();

  return () => {
    alive = false;
    if (frame) cancelAnimationFrame(frame);
    clearTimeout(metaTimer);
    clearTimeout(peerTimer);
    message?.close();
    unsubscribe('smtp');
    unsubscribe('stats');
    socket.close();
  };
}
