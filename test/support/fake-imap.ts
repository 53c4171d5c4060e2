// A fake IMAP server for the e-mail channel's polling tests, speaking just enough IMAP4rev1
// (RFC 3501) for imapflow to sign in, open one mailbox read-only and fetch by UID: CAPABILITY,
// LOGIN, LIST/LSUB, SELECT/EXAMINE (EXISTS, UIDVALIDITY, UIDNEXT), UID FETCH of UID, RFC822.SIZE,
// INTERNALDATE and BODY[] (as a literal), NOOP, CLOSE/UNSELECT, LOGOUT. No npm IMAP server fit
// for tests is maintained today (hoodiecrow's last real release is years old), hence this.
// It records every command, so a test can see the mailbox was only read, and lets the test add
// messages or renumber the mailbox (a new UIDVALIDITY).
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

interface StoredMessage {
  uid: number;
  raw: Buffer;
  arrived: Date;
}

export interface FakeImap {
  port: number;
  user: string;
  password: string;
  /** Every command received, without its tag (LOGIN's password hidden). */
  commands: string[];
  add(raw: string | Buffer, arrived?: Date): number;
  /** Renumbers the mailbox under a new UIDVALIDITY, as a server rebuilding its index does. */
  renumber(uidValidity: number): void;
  close(): Promise<void>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
const internalDate = (d: Date) => `"${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000"`;

/** The UIDs a sequence set names ("3:*", "5", "1,4:6"); `*` is the highest UID in use. */
function uidsIn(set: string, messages: StoredMessage[]): Set<number> {
  const highest = messages.at(-1)?.uid ?? 0;
  const value = (v: string) => (v === '*' ? highest : Number(v));
  const wanted = new Set<number>();
  for (const part of set.split(',')) {
    const [a, b] = part.split(':');
    const from = value(a!);
    const to = b === undefined ? from : value(b);
    for (const m of messages) if (m.uid >= Math.min(from, to) && m.uid <= Math.max(from, to)) wanted.add(m.uid);
  }
  return wanted;
}

const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s);

export async function startFakeImap(options: { user?: string; password?: string; uidValidity?: number } = {}): Promise<FakeImap> {
  const user = options.user ?? 'support@acme.test';
  const password = options.password ?? 'imap-secret';
  let uidValidity = options.uidValidity ?? 1000;
  let uidNext = 1;
  let messages: StoredMessage[] = [];
  const commands: string[] = [];
  const sockets = new Set<Socket>();

  function handle(socket: Socket, line: string, state: { authed: boolean }) {
    const [tag, rawCommand = '', ...rest] = line.split(' ');
    const command = rawCommand.toUpperCase();
    const args = rest.join(' ');
    commands.push(command === 'LOGIN' ? 'LOGIN ***' : [command, args].filter(Boolean).join(' '));
    const send = (text: string | Buffer) => socket.write(text);
    const ok = (text = 'done') => send(`${tag} OK ${text}\r\n`);
    switch (command) {
      case 'CAPABILITY':
        send('* CAPABILITY IMAP4rev1\r\n');
        return ok();
      case 'LOGIN': {
        const [u, p] = (args.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? []).map(unquote);
        if (u !== user || p !== password) return send(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n`);
        state.authed = true;
        return ok('[CAPABILITY IMAP4rev1] Logged in');
      }
      case 'NOOP':
      case 'CLOSE':
      case 'UNSELECT':
        return ok();
      case 'LOGOUT':
        send('* BYE Logging out\r\n');
        ok();
        return socket.end();
    }
    if (!state.authed) return send(`${tag} NO Sign in first\r\n`);
    switch (command) {
      case 'LIST':
      case 'LSUB':
        send(`* ${command} (\\HasNoChildren) "/" INBOX\r\n`);
        return ok();
      case 'SELECT':
      case 'EXAMINE':
        if (unquote(args.trim()).toUpperCase() !== 'INBOX') return send(`${tag} NO [NONEXISTENT] No such mailbox\r\n`);
        send(`* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)\r\n* ${messages.length} EXISTS\r\n* 0 RECENT\r\n`);
        send(`* OK [UIDVALIDITY ${uidValidity}] UIDs valid\r\n* OK [UIDNEXT ${uidNext}] Predicted next UID\r\n`);
        return ok(command === 'EXAMINE' ? '[READ-ONLY] EXAMINE completed' : '[READ-WRITE] SELECT completed');
      case 'UID': {
        const [sub, set, ...itemWords] = args.split(' ');
        if (sub?.toUpperCase() !== 'FETCH' || !set) return send(`${tag} BAD Only UID FETCH is spoken here\r\n`);
        const items = itemWords.join(' ').toUpperCase();
        const wanted = uidsIn(set, messages);
        messages.forEach((m, i) => {
          if (!wanted.has(m.uid)) return;
          const parts = [`UID ${m.uid}`];
          if (items.includes('RFC822.SIZE')) parts.push(`RFC822.SIZE ${m.raw.length}`);
          if (items.includes('INTERNALDATE')) parts.push(`INTERNALDATE ${internalDate(m.arrived)}`);
          const body = items.includes('BODY.PEEK[]') || items.includes('BODY[]');
          send(`* ${i + 1} FETCH (${parts.join(' ')}${body ? ` BODY[] {${m.raw.length}}\r\n` : ')\r\n'}`);
          if (body) {
            send(m.raw);
            send(')\r\n');
          }
        });
        return ok('UID FETCH completed');
      }
      default:
        return send(`${tag} BAD Unknown command ${command}\r\n`);
    }
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const state = { authed: false };
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (line.trim()) handle(socket, line, state);
      }
    });
    socket.write('* OK [CAPABILITY IMAP4rev1] Fake IMAP ready\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    user,
    password,
    commands,
    add(raw, arrived = new Date()) {
      const uid = uidNext++;
      messages.push({ uid, raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw), arrived });
      return uid;
    },
    renumber(next) {
      uidValidity = next;
      uidNext = 1;
      messages = messages.map((m) => ({ ...m, uid: uidNext++ }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
