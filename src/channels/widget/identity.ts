// Identity verification: the site's server signs its user's id with the channel's secret and
// hands the widget both (`data-user-id`, `data-user-hash`, or `Renmai('identify', …)`). The
// scheme is Intercom's and Crisp's: lower-case hex HMAC-SHA256(secret, userId), so the same
// one-line server snippet works. Compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const userHash = (secret: string, userId: string) => createHmac('sha256', secret).update(userId, 'utf8').digest('hex');

export function userHashMatches(secret: string, userId: string, given: string): boolean {
  const expected = Buffer.from(userHash(secret, userId));
  const actual = Buffer.from(given.trim().toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
