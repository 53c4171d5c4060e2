// The members' realtime socket (/api/v1/realtime): one per tab, shared by every part of the
// console that listens, reconnecting with backoff. After a reconnect, listeners get a `resync`
// (events may have been missed while it was down), as the server sends one when its own
// database listener reconnected.
import { useEffect, useRef, useSyncExternalStore } from 'react';

export interface LiveEvent {
  type: string;
  data: Record<string, unknown>;
}
export type LiveState = 'connecting' | 'open' | 'closed';

type Listener = (event: LiveEvent) => void;

const listeners = new Set<Listener>();
const stateListeners = new Set<() => void>();
let socket: WebSocket | null = null;
let state: LiveState = 'closed';
let failures = 0;
let everOpened = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

function setState(next: LiveState) {
  state = next;
  for (const l of stateListeners) l();
}

const emit = (event: LiveEvent) => {
  for (const l of [...listeners]) l(event);
};

function connect() {
  clearTimeout(retryTimer);
  retryTimer = undefined;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`;
  const ws = new WebSocket(url);
  socket = ws;
  setState('connecting');
  ws.onmessage = (message) => {
    let event: LiveEvent;
    try {
      event = JSON.parse(String(message.data)) as LiveEvent;
    } catch {
      return;
    }
    if (event.type === 'ready') {
      failures = 0;
      setState('open');
      if (everOpened) emit({ type: 'resync', data: { reason: 'reconnected' } });
      everOpened = true;
    }
    emit(event);
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    setState('closed');
    if (!listeners.size) return;
    // 1 s, 2 s, 4 s … up to 30 s, with jitter so a restarted server is not hit by every tab at once.
    const delay = Math.min(30_000, 1000 * 2 ** failures) * (0.5 + Math.random() / 2);
    failures += 1;
    retryTimer = setTimeout(connect, delay);
  };
}

/** Listens to every event; the socket opens with the first listener and closes with the last. */
export function subscribeLive(listener: Listener): () => void {
  listeners.add(listener);
  if (!socket && retryTimer === undefined) connect();
  return () => {
    listeners.delete(listener);
    if (listeners.size) return;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    const ws = socket;
    socket = null;
    everOpened = false;
    ws?.close();
    setState('closed');
  };
}

/** Sends a client message (e.g. typing) when the socket is open; dropped otherwise. */
export function sendLive(message: { type: string } & Record<string, unknown>) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

export const useLiveState = () =>
  useSyncExternalStore(
    (cb) => {
      stateListeners.add(cb);
      return () => stateListeners.delete(cb);
    },
    () => state,
  );

/** Calls the latest `handler` for each event while mounted. */
export function useLiveEvents(handler: Listener, enabled = true) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => (enabled ? subscribeLive((e) => ref.current(e)) : undefined), [enabled]);
}
