// E.164 phone numbers with the shape of real ones (valid country code, mobile prefixes), not
// numbers anyone owns. Mainland China mobiles are +86 1[3-9] and nine digits.
import type { Faker } from '@faker-js/faker';
import type { Country } from './vocabulary.js';

const digits = (f: Faker, n: number) => f.string.numeric({ length: n, allowLeadingZeros: true });

export function phoneFor(f: Faker, country: Country): string {
  switch (country) {
    case 'CN':
      return `+861${f.helpers.arrayElement(['3', '4', '5', '6', '7', '8', '9'])}${digits(f, 9)}`;
    case 'US': // NANP: area code and exchange never start with 0 or 1
      return `+1${f.number.int({ min: 2, max: 9 })}${digits(f, 2)}${f.number.int({ min: 2, max: 9 })}${digits(f, 6)}`;
    case 'GB': // UK mobiles: 07xxx xxxxxx
      return `+447${f.helpers.arrayElement(['4', '5', '7', '8', '9'])}${digits(f, 8)}`;
    case 'SG': // Singapore mobiles: 8 digits starting 8 or 9
      return `+65${f.helpers.arrayElement(['8', '9'])}${digits(f, 7)}`;
    case 'JP': // Japanese mobiles: 070/080/090 + 8 digits
      return `+81${f.helpers.arrayElement(['70', '80', '90'])}${digits(f, 8)}`;
  }
}

/** The E.164 shape: +, a country code not starting with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{7,14}$/;
