// Message-IDs and the headers that thread a conversation (RFC 5322 §3.6.4).
// A reply carries In-Reply-To: <parent's Message-ID> and References: the parent's References (or
// its In-Reply-To) followed by the parent's Message-ID; mail clients thread on them.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** References kept on a reply: the root and the newest ones, as RFC 5322 suggests when trimming. */
const MAX_REFERENCES = 20;

/** Our Message-ID for a Renmai message: a resend after a crash is the same message to every mail client. */
export const messageIdOf = (renmaiMessageId: string, domain: string) => `<${renmaiMessageId}@${domain}>`;

/**
 * The Renmai message id in a Message-ID of ours, whatever its domain (the channel's domain may
 * have changed since): anyone else's is not a random UUID of one of the channel's messages.
 */
export function renmaiIdOf(messageId: string): string | undefined {
  const local = /^<([^@<>]+)@[^<>]+>$/.exec(messageId.trim())?.[1];
  return local && UUID.test(local) ? local.toLowerCase() : undefined;
}

/**
 * The `<…>` ids in header values, in order, once each. mailparser gives References as a string
 * for one id and an array for several (PROTOCOLS.md §6.2); folded values hold several per string.
 */
export function idsIn(...values: Array<string | string[] | undefined>): string[] {
  const ids = values.flat().flatMap((v) => (v ?? '').match(/<[^<>\s]+>/g) ?? []);
  return [...new Set(ids)];
}

/** The References a reply to this message carries: its own chain, then its Message-ID, trimmed in the middle. */
export function replyChain(parent: { messageId: string; inReplyTo?: string; references?: string | string[] }): string[] {
  const earlier = idsIn(parent.references);
  const ancestors = earlier.length ? earlier : idsIn(parent.inReplyTo).slice(0, 1);
  const chain = [...ancestors.filter((id) => id !== parent.messageId), parent.messageId];
  return chain.length > MAX_REFERENCES ? [chain[0]!, ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
}

/** The ids a message answers, nearest first: In-Reply-To, then References from the last. */
export const answeredIds = (mail: { inReplyTo?: string; references?: string | string[] }) => idsIn(mail.inReplyTo, idsIn(mail.references).reverse()).slice(0, 50);

const REPLY_PREFIX = /^\s*(re|aw|sv|antw|回复|答复)\s*[:：]/i;

/** "Re: " before a subject that has no reply prefix yet. */
export const replySubject = (subject: string) => (REPLY_PREFIX.test(subject) ? subject : `Re: ${subject}`);
