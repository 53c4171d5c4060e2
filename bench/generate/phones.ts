// E.164 phone numbers with the shape of real ones (valid country code, mobile prefixes that
// libphonenumber's full metadata accepts as mobile numbers), not numbers anyone owns. Mainland
// China mobiles are +86 and an 11-digit number starting with an allocated 1xx prefix.
import type { Faker } from '@faker-js/faker';
import type { Country } from './vocabulary.js';

const digits = (f: Faker, n: number) => f.string.numeric({ length: n, allowLeadingZeros: true });

// Allocated mobile prefixes (China Mobile, Unicom, Telecom), the common ones more than once.
// 134 9, 140–149 (data-only / IoT) and 17x resale blocks are left out: not all of them are mobile.
const CN_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139', '138', '139', '135', '136',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '166', '177', '176', '173', '198', '199', '191',
];
// Real area codes of large NANP metros; exchanges (NXX) never start with 0/1, and 555/N11 are avoided.
const US_AREA_CODES = ['212', '213', '305', '310', '312', '404', '415', '512', '617', '646', '702', '713', '718', '773', '818', '917', '206', '303', '602', '214'];

function usExchange(f: Faker): string {
  for (;;) {
    const x = `${f.number.int({ min: 2, max: 9 })}${digits(f, 2)}`;
    if (x !== '555' && x.slice(1) !== '11') return x;
  }
}

export function phoneFor(f: Faker, country: Country): string {
  switch (country) {
    case 'CN':
      return `+86${f.helpers.arrayElement(CN_PREFIXES)}${digits(f, 8)}`;
    case 'US':
      return `+1${f.helpers.arrayElement(US_AREA_CODES)}${usExchange(f)}${digits(f, 4)}`;
    case 'GB': // UK mobiles: 07[4-9]xx xxxxxx (07700 900xxx is reserved for drama, so 77 is left out)
      return `+447${f.helpers.arrayElement(['4', '5', '8', '9'])}${f.number.int({ min: 1, max: 9 })}${digits(f, 7)}`;
    case 'SG': // Singapore mobiles: 8 digits, 8[1-9] or 9[0-7]
      return `+65${f.helpers.arrayElement(['81', '82', '83', '84', '85', '86', '87', '88', '90', '91', '92', '93', '94', '96', '97'])}${digits(f, 6)}`;
    case 'JP': // Japanese mobiles: 070/080/090, then a digit 1–9 and 7 more
      return `+81${f.helpers.arrayElement(['70', '80', '90'])}${f.number.int({ min: 1, max: 9 })}${digits(f, 7)}`;
  }
}

/** The E.164 shape: +, a country code not starting with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{7,14}$/;
