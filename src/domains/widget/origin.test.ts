// Which origins a widget channel's allowed list admits: exact origins (ports count), `*.host` for
// subdomains only, and nothing for a missing or malformed Origin.
import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin.js';

describe('originAllowed', () => {
  const allowed = ['https://shop.example', 'http://localhost:8080', 'https://*.brand.example'];
  it.each([
    ['https://shop.example', true],
    ['HTTPS://SHOP.EXAMPLE', true],
    ['https://shop.example:443', true],
    ['http://localhost:8080', true],
    ['https://eu.brand.example', true],
    ['https://a.b.brand.example', true],
    ['https://brand.example', false],
    ['https://evilbrand.example', false],
    ['https://brand.example.evil.example', false],
    ['http://eu.brand.example', false],
    ['http://shop.example', false],
    ['https://shop.example:8443', false],
    ['http://localhost:8081', false],
    ['null', false],
    ['', false],
  ])('%s → %s', (origin, expected) => {
    expect(originAllowed(allowed, origin || undefined)).toBe(expected);
  });
});
