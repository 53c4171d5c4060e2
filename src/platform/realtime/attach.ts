// Hands an upgraded socket to the hub: client messages wait until its subscriber is ready (it may
// load state first), a socket gone meanwhile is not attached, and the first event is `ready`.
// The members' socket uses it, and so does any endpoint with its own authentication (the
// widget's visitors, src/domains/widget), whose subscribers decide what they receive.
import type { WebSocket } from 'ws';
import type { Connection } from './connection.js';
import type { Hub, Subscriber } from './hub.js';
import type { ClientEvent } from './notice.js';

export async function attachSocket(hub: Hub, socket: WebSocket, subscriber: () => Promise<Subscriber>, ready: () => ClientEvent): Promise<Connection | undefined> {
  socket.pause();
  const s = await subscriber();
  if (socket.readyState !== socket.OPEN) {
    s.closed();
    return undefined;
  }
  const connection = hub.attach(socket, s);
  socket.resume();
  connection.send(ready());
  return connection;
}
