// What the inbox's mail transport code uses of the e-mail channel: the listener, the mailbox
// poller and how our Message-IDs carry a Renmai message id. The adapter itself is in the registry.
import type { ChannelRuntime } from '../adapter.js';
import { emailSecrets, emailSettings } from './settings.js';

export { startMailListener, type MailListener } from './listener.js';
export { pollMailbox, type MailboxState, type PollResult } from './imap.js';
export { renmaiIdOf } from './threading.js';

/** The IMAP account an e-mail channel reads, or undefined when its mail comes by the listener. */
export function imapAccountOf(runtime: ChannelRuntime<unknown, unknown>) {
  const { inbound } = emailSettings.parse(runtime.settings);
  if (inbound.mode !== 'imap') return undefined;
  const { imapPassword } = emailSecrets.parse(runtime.secrets);
  return {
    account: { ...inbound, password: imapPassword ?? '' },
    /** What the mailbox state belongs to: another account or mailbox starts afresh. */
    key: `${inbound.user}@${inbound.host}:${inbound.port}/${inbound.mailbox}`,
  };
}
