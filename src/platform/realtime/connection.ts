// One websocket as the hub drives it: sends that give up on a slow reader instead of buffering
// without end, a liveness flag for the ping/pong heartbeat, and client messages parsed as JSON
// under a rate limit.
import type { WebSocket } from 'ws';
import type { ClientEvent } from './notice.js';

export interface ConnectionLimits {
  /** Unsent bytes a socket may hold before it is dropped as too slow. */
  maxBufferedBytes: number;
  /** Client messages allowed in a burst, refilled at `messagesPerSecond`. */
  messageBurst: number;
  messagesPerSecond: number;
}

// Close codes (RFC 6455 §7.4; 4000–4999 are the application's).
export const CLOSE = {
  policy: 1008,
  overloaded: 1013,
  sessionEnded: 4001,
  slowConsumer: 4008,
} as const;

export class Connection {
  /** Answered the last ping (or sent something) since the previous heartbeat. */
  alive = true;
  /** Files the socket again under its subscriber's current routing keys (set by the hub). */
  rekey: () => void = () => {};
  private tokens: number;
  private refilledAt = Date.now();

  constructor(
    readonly ws: WebSocket,
    private readonly limits: ConnectionLimits,
  ) {
    this.tokens = limits.messageBurst;
    ws.on('pong', () => (this.alive = true));
  }

  get open() {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** Sends text; a reader that has let too much pile up is cut off (it reconnects and resyncs). */
  sendText(text: string): boolean {
    if (!this.open) return false;
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      // Its buffer is what is full, so a close frame would wait behind it: end the TCP connection.
      this.ws.terminate();
      return false;
    }
    this.ws.send(text);
    return true;
  }

  send(event: ClientEvent) {
    return this.sendText(JSON.stringify(event));
  }

  close(code: number, reason: string) {
    if (this.open) this.ws.close(code, reason);
  }

  /** Takes a token for one client message; false when the client sends faster than allowed. */
  admit(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.limits.messageBurst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.messagesPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    this.alive = true;
    return true;
  }
}
