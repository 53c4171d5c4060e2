// Ids for the contacts an import creates: UUIDv7 (RFC 9562), time-ordered, so a batch's new
// rows land at the right edge of the primary-key index (and of import_contacts') instead of on
// 10^4 random pages of it — at 10^6 contacts those pages no longer stay in shared buffers.
import { randomUUID } from 'node:crypto';

/**
 * A version-7 UUID: the 48-bit Unix time in milliseconds, then random bits. It reuses a v4 id
 * from crypto.randomUUID (which draws its entropy in bulk, much cheaper per id than a fresh
 * random fill) and writes the time and the version over its first 13 hex digits; the variant
 * bits of a v4 id are those of a v7 one.
 */
export function timeOrderedId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
