import { describe, expect, it } from 'vitest';
import { normaliseEmail, normalisePhone } from './normalize.js';

describe('normalisePhone', () => {
  it.each([
    ['138 0013 8000', 'CN', '+8613800138000'],
    ['+86 138-0013-8000', 'US', '+8613800138000'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['9123 4567', 'SG', '+6591234567'],
  ])('%s in %s → %s', (raw, region, e164) => {
    expect(normalisePhone(raw, region)).toEqual({ ok: true, value: e164 });
  });

  it.each(['12345', 'not a phone', '+86 000', ''])('refuses %j', (raw) => {
    expect(normalisePhone(raw, 'CN').ok).toBe(false);
  });
});

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => expect(normaliseEmail('  Li.Lei@Example.COM ')).toEqual({ ok: true, value: 'li.lei@example.com' }));
  it.each(['no-at.example.com', 'a@b', 'a b@c.com'])('refuses %j', (raw) => expect(normaliseEmail(raw).ok).toBe(false));
});
