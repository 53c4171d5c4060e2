// Reading new mail from a mailbox over IMAP (imapflow), read-only (EXAMINE: flags untouched).
// UID bookkeeping, so that a restart neither loses nor repeats mail: the caller keeps
// (UIDVALIDITY, last UID handed over); each message is handed over and only then the state moves
// past it, so a crash in between hands it over again and intake stores it once (by Message-ID).
// A UID only means something under the same UIDVALIDITY (RFC 9051 §2.3.1.1): when it changes,
// the mailbox is read again from the start, taking only mail that arrived since the channel
// began following it. The first look at a mailbox starts after its newest message: what is
// already there is history, not new mail. PROTOCOLS.md §6.2.
import { ImapFlow } from 'imapflow';
import { assertPublicHost } from '../net-guard.js';
import type { ImapSettings } from './settings.js';

export interface MailboxState {
  uidValidity: string;
  lastUid: number;
}

export interface PollOptions {
  account: ImapSettings & { password: string };
  state: MailboxState | undefined;
  /** When the channel began following this mailbox: the limit of a re-read after UIDVALIDITY changed. */
  since: Date;
  maxBytes: number;
  /** Messages handed over per poll at most; the rest wait for the next one. */
  batch: number;
  allowPrivateTargets: boolean;
  deliver(raw: Buffer, uid: number): Promise<void>;
  save(state: MailboxState): Promise<void>;
  skipped(uid: number, reason: string): void;
}

export interface PollResult {
  delivered: number;
  /** More new messages wait than one batch took. */
  more: boolean;
}

async function readNew(client: ImapFlow, o: PollOptions): Promise<PollResult> {
  const box = client.mailbox;
  if (!box) throw new Error(`Mailbox ${o.account.mailbox} is not open`);
  const uidValidity = box.uidValidity.toString();
  if (!o.state) {
    await o.save({ uidValidity, lastUid: Math.max(0, box.uidNext - 1) });
    return { delivered: 0, more: false };
  }
  const resync = o.state.uidValidity !== uidValidity;
  let lastUid = resync ? 0 : o.state.lastUid;
  if (resync) await o.save({ uidValidity, lastUid });
  if (!box.exists || box.uidNext - 1 <= lastUid) return { delivered: 0, more: false };
  const waiting: Array<{ uid: number; size: number; arrived: Date | undefined }> = [];
  // `n:*` always names the newest message, even when its UID is below n: hence the filter.
  for await (const m of client.fetch(`${lastUid + 1}:*`, { uid: true, size: true, internalDate: true }, { uid: true })) {
    if (m.uid > lastUid) waiting.push({ uid: m.uid, size: m.size ?? 0, arrived: m.internalDate ? new Date(m.internalDate) : undefined });
  }
  waiting.sort((a, b) => a.uid - b.uid);
  // INTERNALDATE has whole seconds.
  const since = Math.floor(o.since.getTime() / 1000) * 1000;
  let delivered = 0;
  // Fetched one by one after the listing: imapflow runs one command at a time.
  for (const m of waiting.slice(0, o.batch)) {
    if (m.size > o.maxBytes) o.skipped(m.uid, `larger than ${o.maxBytes} bytes`);
    else if (!(resync && m.arrived && m.arrived.getTime() < since)) {
      const full = await client.fetchOne(String(m.uid), { uid: true, source: true }, { uid: true });
      if (full && full.source) {
        await o.deliver(full.source, m.uid);
        delivered++;
      }
    }
    lastUid = m.uid;
    await o.save({ uidValidity, lastUid });
  }
  return { delivered, more: waiting.length > o.batch };
}

/** imapflow says "Command failed" and keeps the server's words aside: bring them to the message. */
function imapError(error: unknown): Error {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { authenticationFailed?: boolean; responseText?: string; message?: string };
  const said = e.responseText ?? e.message ?? 'IMAP failed';
  return new Error(e.authenticationFailed ? `IMAP authentication failed: ${said}` : `IMAP: ${said}`, { cause: error });
}

/** One look at the mailbox: connect, hand over what is new, log out. */
export async function pollMailbox(o: PollOptions): Promise<PollResult> {
  const { host, port, secure, requireTls, user, password, mailbox } = o.account;
  await assertPublicHost(host, o.allowPrivateTargets);
  const client = new ImapFlow({
    host,
    port,
    secure,
    ...(!secure && requireTls ? { doSTARTTLS: true } : {}),
    auth: { user, pass: password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  await client.connect().catch((error: unknown) => {
    throw imapError(error);
  });
  try {
    const lock = await client.getMailboxLock(mailbox, { readOnly: true }).catch((error: unknown) => {
      throw imapError(error);
    });
    try {
      return await readNew(client, o);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}
