// Normal forms for the keys people are matched on: phones in E.164 (read in the workspace's
// default region when written without a country code) and e-mails trimmed and lower-cased.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type Normalised = { ok: true; value: string } | { ok: false; reason: string };

export function normalisePhone(raw: string, defaultRegion: string): Normalised {
  const text = raw.trim();
  if (!text) return { ok: false, reason: 'empty' };
  const parsed = parsePhoneNumberFromString(text, defaultRegion.toUpperCase() as CountryCode);
  if (!parsed || !parsed.isValid()) return { ok: false, reason: `"${text}" is not a valid phone number` };
  return { ok: true, value: parsed.number };
}

// Deliberately permissive (one @, a dot in the domain, no spaces): strict RFC checks reject
// real addresses, and delivery is the real test.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(raw: string): Normalised {
  const value = raw.trim().toLowerCase();
  if (!EMAIL.test(value) || value.length > 254) return { ok: false, reason: `"${raw.trim()}" is not a valid e-mail address` };
  return { ok: true, value };
}
