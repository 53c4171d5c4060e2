// A fake outbound SMTP server for the e-mail channel's tests: a real smtp-server on 127.0.0.1
// that records every message it accepts (envelope and raw bytes, parsed by mailparser) and
// answers what the test scripted instead (e.g. 451 then 250, or 550), so the send path runs over
// real sockets. With `auth`, it refuses anyone else (535).
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string | false;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** A header's raw value (first occurrence), unfolded. */
  header(name: string): string | undefined;
}

export interface FakeSmtp {
  port: number;
  received: ReceivedMail[];
  /** Answers the next messages' DATA with these SMTP replies, in order; then 250 again. */
  failNext(...replies: Array<{ code: number; message: string }>): void;
  close(): Promise<void>;
}

const reply = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startFakeSmtp(options: { auth?: { user: string; pass: string } } = {}): Promise<FakeSmtp> {
  const received: ReceivedMail[] = [];
  const script: Array<{ code: number; message: string }> = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === options.auth?.pass;
      callback(ok ? null : reply(535, '5.7.8 Authentication credentials invalid'), ok ? { user: auth.username } : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const scripted = script.shift();
        if (scripted) return callback(reply(scripted.code, scripted.message));
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((parsed) => {
          const header = (name: string) => {
            const line = parsed.headerLines.find((h) => h.key === name)?.line;
            return line?.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
          };
          received.push({ from: session.envelope.mailFrom && session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), raw, parsed, header });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    failNext: (...replies) => script.push(...replies),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
