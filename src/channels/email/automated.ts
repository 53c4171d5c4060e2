// Mail sent by a machine, which must never be answered automatically (the Inbox issue: no reply
// loops). Bounces: delivery status reports (RFC 3464) and mail from MAILER-DAEMON or postmaster.
// Auto-replies: Auto-Submitted other than "no" (RFC 3834), the X-Autoreply / X-Autorespond
// headers of older responders, Precedence: auto_reply. Bulk: Precedence bulk/junk/list and
// mailing lists (List-Id, RFC 2919; List-Unsubscribe, RFC 2369).
import type { Automated } from '../adapter.js';

export interface HeaderView {
  /** The raw value of a header (first occurrence), unfolded; undefined when absent. */
  get(name: string): string | undefined;
  contentType: string;
  /** The report-type parameter of a multipart/report. */
  reportType?: string;
  from?: string;
}

const DAEMON = /^(mailer-daemon|postmaster)@/i;

export function isBounce(h: HeaderView): boolean {
  if (h.contentType === 'multipart/report' && /^(delivery-status|global-delivery-status)$/i.test(h.reportType ?? '')) return true;
  return DAEMON.test(h.from ?? '');
}

export function automatedKind(h: HeaderView): Automated | undefined {
  if (isBounce(h)) return 'bounce';
  const autoSubmitted = h.get('auto-submitted')?.split(';')[0]!.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_reply';
  if (h.get('x-autoreply') !== undefined || h.get('x-autorespond') !== undefined || h.get('x-autoresponder') !== undefined) return 'auto_reply';
  const precedence = h.get('precedence')?.trim().toLowerCase();
  if (precedence === 'auto_reply') return 'auto_reply';
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') return 'bulk';
  if (h.get('list-id') !== undefined || h.get('list-unsubscribe') !== undefined) return 'bulk';
  return undefined;
}
