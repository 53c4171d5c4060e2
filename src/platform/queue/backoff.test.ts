import { describe, expect, it } from 'vitest';
import { errorMessage, retryDelayMs } from './backoff.js';

const policy = { baseMs: 1000, capMs: 600_000 };

describe('retryDelayMs', () => {
  it('doubles per attempt, with jitter in the upper half', () => {
    expect(retryDelayMs(1, new Error('x'), policy, () => 0)).toBe(500);
    expect(retryDelayMs(1, new Error('x'), policy, () => 1)).toBe(1000);
    expect(retryDelayMs(4, new Error('x'), policy, () => 1)).toBe(8000);
  });

  it('stops at the cap', () => {
    expect(retryDelayMs(40, new Error('x'), policy, () => 1)).toBe(600_000);
  });

  it('follows retryAfterMs when the error carries one', () => {
    expect(retryDelayMs(1, Object.assign(new Error('429'), { retryAfterMs: 42_000 }), policy)).toBe(42_000);
    expect(retryDelayMs(1, { retryAfterMs: -5 }, policy, () => 1)).toBe(1000);
  });
});

describe('errorMessage', () => {
  it('keeps the message, not the properties an error may carry', () => {
    const error = Object.assign(new Error('send failed'), { config: { headers: { authorization: 'Bearer secret' } } });
    expect(errorMessage(error)).toBe('Error: send failed');
    expect(errorMessage({ token: 'secret' })).not.toContain('secret');
  });
});
