// The built-in inbound SMTP listener (smtp-server): one per process, for every e-mail channel
// whose mail is delivered to Renmai. The envelope recipient (RCPT TO), not the To header, says
// which channel a message is for (PROTOCOLS.md §6.2); an address no channel has is refused at
// RCPT (550), a message over the size limit at MAIL FROM's SIZE or at the end of DATA (552).
// 250 is answered only once the message is stored; a failure to store answers 451 so the sending
// server tries again later, and the retry is stored once (by Message-ID).
// No AUTH (this is an MX, not a submission server) and no STARTTLS: put an MTA in front for TLS
// and spam filtering, or deliver from one that already did.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { ChannelPayloadError } from '../adapter.js';

export interface MailListenerOptions {
  host: string;
  port: number;
  maxBytes: number;
  /** The channel an envelope recipient is for (lower-cased address), or undefined to refuse it. */
  route(address: string): Promise<string | undefined>;
  /** Stores the raw message for each channel; resolves once it is stored. */
  deliver(channelIds: string[], raw: Buffer): Promise<void>;
  onError(error: unknown): void;
}

export interface MailListener {
  port: number;
  close(): Promise<void>;
}

const reply = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // smtp-server stops keeping count past the limit but the stream must still be read to its end.
  for await (const chunk of stream) if (!stream.sizeExceeded) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function channelsOf(session: SMTPServerSession, route: MailListenerOptions['route']) {
  const ids = await Promise.all(session.envelope.rcptTo.map((r) => route(r.address.toLowerCase())));
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

export async function startMailListener(o: MailListenerOptions): Promise<MailListener> {
  const server = new SMTPServer({
    banner: 'Renmai',
    size: o.maxBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      o.route(address.address.toLowerCase()).then(
        (id) => callback(id ? null : reply(550, `5.1.1 <${address.address}>: no such mailbox here`)),
        (error: unknown) => {
          o.onError(error);
          callback(reply(451, '4.3.0 Temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      (async () => {
        const raw = await readAll(stream);
        if (stream.sizeExceeded) throw reply(552, `5.3.4 Message larger than ${o.maxBytes} bytes`);
        const channels = await channelsOf(session, o.route);
        if (!channels.length) throw reply(451, '4.3.0 The recipient went away, try again later');
        await o.deliver(channels, raw);
      })().then(
        () => callback(null, 'Stored'),
        (error: unknown) => {
          if (error instanceof ChannelPayloadError) return callback(reply(554, `5.6.0 ${error.message}`));
          if (typeof (error as { responseCode?: unknown }).responseCode === 'number') return callback(error as Error);
          o.onError(error);
          callback(reply(451, '4.3.0 Temporary failure, try again later'));
        },
      );
    },
  });
  server.on('error', o.onError);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
