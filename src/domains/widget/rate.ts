// Visitors' posts are limited per visitor and sessions per client address: token buckets in this
// process's memory (a visitor talks to one process at a time behind a sticky or random balancer;
// the limit is a brake on a script, not an accounting of quotas).
import { AppError } from '../../platform/http/errors.js';

export interface Bucket {
  burst: number;
  perSecond: number;
}

const MAX_KEYS = 100_000;

export function createLimiter({ burst, perSecond }: Bucket) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return function take(key: string, now = Date.now()) {
    const b = buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    if (b.tokens < 1) {
      const retryAfterSeconds = Math.ceil((1 - b.tokens) / perSecond);
      throw new AppError('rate_limited', 'Too many requests from this visitor; wait a moment.', { details: { retryAfterSeconds } });
    }
    b.tokens -= 1;
    // Full buckets carry no information: forget them when the map grows.
    if (buckets.size >= MAX_KEYS) for (const [k, v] of buckets) if (v.tokens + ((now - v.at) / 1000) * perSecond >= burst) buckets.delete(k);
    buckets.set(key, b);
  };
}
