// The socket's framing, as the OpenAPI document shows it; each domain appends its events.
export const protocol = `Open with a websocket upgrade, authenticated like any API call: the console's session cookie
(the handshake's Origin must then be the console's own) or \`Authorization: Bearer <API key>\`.
Refused before the upgrade: 401 without credentials, 403 for a foreign Origin.

Server → client, one JSON object per frame: \`{ "type": "...", "data": { ... } }\`. Events carry ids
and small fields; fetch anything else over HTTP. First comes \`ready\` { workspaceId, memberId,
heartbeatSeconds }. \`resync\` means events may have been missed (the server's database listener
reconnected): re-read what you show. \`error\` { code, message, for } answers a client message that
failed (codes as in problem+json).

Client → server: JSON objects with a \`type\`, at most 4 KiB each and 5 a second (bursts of 20;
faster closes the socket with 1008). \`{ "type": "ping" }\` is answered with \`pong\`.

The server pings every heartbeat and drops a socket that did not answer the previous ping; a
socket that lets more than REALTIME_MAX_BUFFER_BYTES of events pile up unread is dropped. Every
minute the credentials are checked again (close code 4001 when they no longer hold). After any close, reconnect with backoff and re-read.`;
