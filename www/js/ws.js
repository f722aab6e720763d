// MailerQ console: the /ws client (docs/ws-protocol.md). Plain ES module, no dependencies.
//
//   import { connect, subscribe, unsubscribe } from './js/ws.js';
//   connect({ onStats: s => …, onTrace: t => … });
//   subscribe('stats');
//   subscribe('smtp', { direction: 'in', peer: '192.0.2.1' });
//
// Reconnects with exponential backoff (1 s doubling to 30 s, with jitter) and subscribes again to
// whatever was subscribed. The login is the session cookie the browser already holds.

const HEADER_SIZE = 20;
const FLAG_OUTBOUND = 0x01;
const FLAG_CONTINUED = 0x02;
const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30000;
const MAX_DECODERS = 1024;

let socket = null;
let handlers = {};
let backoff = MIN_BACKOFF_MS;
let timer = null;
let wanted = true;
/** channel -> filter object (or {}), replayed after every reconnect. */
const subscriptions = new Map();
/** `${session}:${direction}` -> TextDecoder, so a character split across frames decodes whole. */
const decoders = new Map();

function url() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function subscribeMessage(channel, filter) {
  const message = { subscribe: channel };
  if (channel === 'smtp' && filter) {
    if (filter.direction === 'in' || filter.direction === 'out') message.direction = filter.direction;
    if (filter.peer) message.peer = String(filter.peer);
  }
  return message;
}

function decoderFor(session, direction) {
  const key = `${session}:${direction}`;
  let decoder = decoders.get(key);
  if (!decoder) {
    if (decoders.size >= MAX_DECODERS) decoders.delete(decoders.keys().next().value);
    decoder = new TextDecoder('utf-8');
    decoders.set(key, decoder);
  }
  return decoder;
}

/** Parses one binary trace frame (docs/ws-protocol.md §4). */
export function parseTrace(buffer) {
  if (buffer.byteLength < HEADER_SIZE) return null;
  const view = new DataView(buffer);
  const session = view.getBigUint64(0);
  const direction = view.getUint8(8) === 0 ? 'c' : 's';
  const flags = view.getUint8(9);
  const time = Number(view.getBigInt64(12));
  const bytes = new Uint8Array(buffer, HEADER_SIZE);
  const text = decoderFor(session, direction).decode(bytes, { stream: true });
  return {
    session,
    direction,
    outbound: (flags & FLAG_OUTBOUND) !== 0,
    continued: (flags & FLAG_CONTINUED) !== 0,
    time,
    bytes,
    text,
  };
}

function onMessage(event) {
  if (typeof event.data !== 'string') {
    const trace = parseTrace(event.data);
    if (trace && handlers.onTrace) handlers.onTrace(trace);
    return;
  }
  let message;
  try {
    message = JSON.parse(event.data);
  } catch {
    return;
  }
  if (message.stats !== undefined) {
    if (handlers.onStats) handlers.onStats(message);
  } else if (message.error !== undefined) {
    if (handlers.onError) handlers.onError(message.error);
  } else if (handlers.onReply) {
    handlers.onReply(message);
  }
}

function open() {
  timer = null;
  const ws = new WebSocket(url());
  ws.binaryType = 'arraybuffer';
  socket = ws;
  ws.onopen = () => {
    backoff = MIN_BACKOFF_MS;
    for (const [channel, filter] of subscriptions) send(subscribeMessage(channel, filter));
    if (handlers.onState) handlers.onState('open');
  };
  ws.onmessage = onMessage;
  ws.onclose = (event) => {
    if (socket === ws) socket = null;
    decoders.clear();
    if (handlers.onState) handlers.onState('closed', event.code, event.reason);
    if (!wanted) return;
    // Full jitter keeps a restarted server from being hit by every tab at the same instant.
    const delay = Math.round(backoff / 2 + Math.random() * backoff / 2);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    timer = setTimeout(open, delay);
  };
}

/**
 * Opens the socket (and keeps it open). Handlers: onStats(frame), onTrace(trace), and optionally
 * onError(text), onReply(message), onState('open'|'closed', code, reason).
 * Returns { close() } to stop for good.
 */
export function connect(callbacks = {}) {
  handlers = callbacks;
  wanted = true;
  if (!socket && !timer) open();
  return {
    close() {
      wanted = false;
      if (timer) clearTimeout(timer);
      timer = null;
      if (socket) socket.close(1000, 'bye');
    },
  };
}

/** Subscribes to 'stats' or 'smtp' (filter: { direction: 'in'|'out', peer: '…' }); kept across reconnects. */
export function subscribe(channel, filter = {}) {
  subscriptions.set(channel, filter);
  send(subscribeMessage(channel, filter));
}

/** Stops a channel. */
export function unsubscribe(channel) {
  subscriptions.delete(channel);
  send({ unsubscribe: channel });
}
