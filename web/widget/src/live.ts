// The visitor's socket: reconnects with exponential backoff (1 s doubling to 30 s, with jitter)
// and asks the widget to re-read over HTTP after any gap (a reconnect, or the server's `resync`).
export interface LiveEvent {
  type: string;
  data: Record<string, unknown>;
}

export function connectLive(url: () => Promise<string>, onEvent: (e: LiveEvent) => void, onGap: () => void) {
  let ws: WebSocket | undefined;
  let attempt = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function retry() {
    if (stopped) return;
    const delay = Math.min(30_000, 1000 * 2 ** attempt) * (0.75 + Math.random() / 2);
    attempt += 1;
    timer = setTimeout(() => void open(), delay);
  }

  async function open() {
    let target: string;
    try {
      target = await url();
    } catch {
      return retry();
    }
    if (stopped) return;
    ws = new WebSocket(target);
    ws.onmessage = (m) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(String(m.data)) as LiveEvent;
      } catch {
        return;
      }
      if (event.type === 'ready') {
        if (attempt > 0) onGap();
        attempt = 0;
      }
      if (event.type === 'resync') onGap();
      onEvent(event);
    };
    ws.onclose = () => {
      ws = undefined;
      retry();
    };
  }
  void open();

  return {
    send(message: Record<string, unknown>) {
      if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      ws?.close();
    },
  };
}
