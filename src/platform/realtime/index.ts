// Realtime: notices published in a transaction (pg_notify), one LISTEN per process feeding a hub
// of websockets, and the members' socket whose audiences domains extend. README.md has the design.
export { publish, MAX_NOTICE_BYTES, type Audience, type ClientEvent, type Notice } from './notice.js';
export { registerRealtime, type Realtime } from './register.js';
export type { AgentContext, AgentExtension, AgentGuard, AgentMessageHandler, AgentPresence, MemberRef } from './agent-socket.js';
export type { ClientMessage, Hub, Subscriber } from './hub.js';
export { attachSocket } from './attach.js';
export { CLOSE, type Connection } from './connection.js';
