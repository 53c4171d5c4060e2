// Contacts as plain objects, streamed: generatePeople({ seed, count }) yields one at a time, and
// person i depends only on (seed, i). The contacts issue writes them to tables.
import type { Faker } from '@faker-js/faker';
import { phoneFor } from './phones.js';
import { Stream, chance, checkSeed, distinct, enFaker, logNormal, pad, rowFaker, unit, weighted, zhFaker, zipf } from './random.js';
import {
  cities,
  currencyOf,
  enCompanySuffixes,
  enEmailDomains,
  lifecycleStages,
  pinyinSyllables,
  sourceWeights,
  tagVocabulary,
  zhCompanySuffixes,
  zhEmailDomains,
  customFieldDefinitions,
  type Country,
  type LifecycleStage,
} from './vocabulary.js';

export interface Money {
  /** In the currency's minor unit (fen, cents; yen have none). */
  amountMinor: number;
  currency: string;
}

export interface CustomFieldValues {
  wechat_id: string | null;
  employees: number | null;
  budget: Money | null;
  birthday: string | null; // YYYY-MM-DD
  source: string | null;
  interests: string[];
}

export interface Person {
  /** Position in the seeded stream (0-based); stable across counts. */
  ref: number;
  id: string;
  nameKind: 'zh' | 'en';
  name: string;
  familyName: string;
  givenName: string;
  phone: string | null;
  email: string | null;
  /** Ground truth for de-dup tests: the ref whose e-mail this contact reuses on purpose. */
  duplicateOf: number | null;
  company: string | null;
  country: Country;
  city: string;
  tags: string[];
  customFields: CustomFieldValues;
  lifecycleStage: LifecycleStage;
  createdAt: Date;
}

export interface PeopleOptions {
  seed: number;
  count: number;
  /** First ref to produce, for generating in chunks. */
  start?: number;
  /** Newest possible created_at; fixed by default so output never depends on the clock. */
  until?: Date;
}

export const DEFAULT_UNTIL = new Date('2026-11-01T00:00:00.000Z');
export const HISTORY_DAYS = 730;
const DAY_MS = 86_400_000;

export const CHINESE_NAME_SHARE = 0.65;
export const DUPLICATE_EMAIL_RATE = 0.02;

// Faker's zh_CN surnames are uniform; real ones are not (王, 李, 张 alone are ~20% of people).
const commonSurname = zipf(['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林'], 0.8);
const cnCity = zipf(cities.CN, 0.9);
const tag = zipf(tagVocabulary, 1.1);
const interest = zipf(customFieldDefinitions[5].options, 0.8);
const zhIndustries = ['网络科技', '贸易', '电子商务', '文化传媒', '餐饮管理', '教育科技', '医疗器械', '物流', '建材', '食品', '服饰', '信息咨询', '智能制造', '生物科技'];

interface Identity {
  nameKind: 'zh' | 'en';
  familyName: string;
  givenName: string;
  name: string;
  country: Country;
}

function identityAt(seed: number, ref: number): Identity {
  const f = rowFaker(zhFaker, seed, ref, Stream.identity);
  if (chance(f, CHINESE_NAME_SHARE)) {
    const familyName = chance(f, 0.55) ? commonSurname(f) : f.person.lastName(); // faker's list has 欧阳, 司马, 上官…
    const givenName = f.person.firstName();
    const country = weighted<Country>(f, [['CN', 97], ['SG', 2], ['US', 1]]);
    return { nameKind: 'zh', familyName, givenName, name: familyName + givenName, country };
  }
  const country = weighted<Country>(f, [['CN', 30], ['US', 30], ['GB', 18], ['SG', 12], ['JP', 10]]);
  const g = rowFaker(enFaker, seed, ref, Stream.identity);
  const givenName = g.person.firstName();
  const familyName = g.person.lastName();
  return { nameKind: 'en', familyName, givenName, name: `${givenName} ${familyName}`, country };
}

const asciiHandle = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** The contact's own address (before any on-purpose duplication), or null when it has none. */
function ownEmail(seed: number, ref: number): string | null {
  const id = identityAt(seed, ref);
  const f = rowFaker(enFaker, seed, ref, Stream.email);
  if (chance(f, id.nameKind === 'zh' ? 0.3 : 0.1)) return null;
  if (id.nameKind === 'zh') {
    const domain = weighted(f, zhEmailDomains);
    if (domain === 'qq.com' && chance(f, 0.7)) return `${f.number.int({ min: 10_000, max: 3_999_999_999 })}@qq.com`;
    const handle = distinct(f, f.number.int({ min: 1, max: 3 }), (g) => g.helpers.arrayElement(pinyinSyllables)).join('');
    return `${handle}${f.number.int({ min: 1, max: 99_999 })}@${domain}`;
  }
  const first = asciiHandle(id.givenName);
  const last = asciiHandle(id.familyName);
  const local = weighted(f, [[`${first}.${last}`, 40], [`${first}${last}${f.number.int({ min: 1, max: 999 })}`, 35], [`${first[0] ?? 'x'}${last}${f.number.int({ min: 1, max: 99 })}`, 25]]);
  return `${local}@${weighted(f, enEmailDomains)}`;
}

/** With probability DUPLICATE_EMAIL_RATE, an earlier ref whose e-mail this one reuses. */
function duplicateTarget(seed: number, ref: number): number | null {
  if (ref === 0) return null;
  const f = rowFaker(enFaker, seed, ref, Stream.email + 100);
  return chance(f, DUPLICATE_EMAIL_RATE) ? f.number.int({ min: 0, max: ref - 1 }) : null;
}

/**
 * Follows duplicate links back to a contact with its own address. Each link points to an earlier
 * ref, so the walk ends; a chain longer than one is rare (2% of 2%).
 */
function emailOf(seed: number, ref: number): { email: string | null; duplicateOf: number | null } {
  let root = ref;
  for (let next = duplicateTarget(seed, root); next !== null; next = duplicateTarget(seed, root)) root = next;
  const shared = root === ref ? null : ownEmail(seed, root);
  return shared ? { email: shared, duplicateOf: root } : { email: ownEmail(seed, ref), duplicateOf: null };
}

function companyFor(f: Faker, country: Country, city: string): string | null {
  if (!chance(f, 0.7)) return null;
  if (country === 'CN') {
    const brand = chance(f, 0.5) ? f.person.firstName() + f.person.firstName() : f.person.firstName();
    return `${city}${brand.slice(0, 2)}${f.helpers.arrayElement(zhIndustries)}${weighted(f, zhCompanySuffixes)}`;
  }
  return `${f.person.lastName()} ${f.helpers.arrayElement(['Digital', 'Trading', 'Labs', 'Partners', 'Logistics', 'Foods', 'Capital', 'Health'])} ${weighted(f, enCompanySuffixes)}`;
}

function customFieldsFor(f: Faker, id: Identity): CustomFieldValues {
  const chineseContact = id.nameKind === 'zh' || id.country === 'CN';
  const birthday = chance(f, 0.3) ? `${f.number.int({ min: 1960, max: 2004 })}-${pad(f.number.int({ min: 1, max: 12 }), 2)}-${pad(f.number.int({ min: 1, max: 28 }), 2)}` : null;
  return {
    wechat_id: chance(f, chineseContact ? 0.6 : 0.1) ? `wxid_${f.string.alphanumeric({ length: 12, casing: 'lower' })}` : null,
    employees: chance(f, 0.5) ? Math.max(1, Math.round(logNormal(f, 50, 1.5))) : null,
    budget: chance(f, 0.35) ? { amountMinor: Math.round(logNormal(f, 50_000, 1.2)) * 100, currency: currencyOf[id.country] } : null,
    birthday,
    source: chance(f, 0.8) ? weighted(f, sourceWeights) : null,
    interests: distinct(f, weighted(f, [[0, 40], [1, 30], [2, 20], [3, 10]]), interest),
  };
}

/** Newer contacts are more common (a growing workspace): sqrt skews the draw toward `until`. */
export function createdAtOf(seed: number, ref: number, until = DEFAULT_UNTIL): Date {
  const f = rowFaker(enFaker, seed, ref, Stream.created);
  return new Date(Math.floor(until.getTime() - HISTORY_DAYS * DAY_MS * (1 - Math.sqrt(unit(f)))));
}

export function personAt(seed: number, ref: number, until = DEFAULT_UNTIL): Person {
  const { email, duplicateOf } = emailOf(seed, ref);
  const id = rowFaker(enFaker, seed, ref, Stream.id).string.uuid();
  const createdAt = createdAtOf(seed, ref, until);
  const identity = identityAt(seed, ref);
  const f = rowFaker(identity.nameKind === 'zh' ? zhFaker : enFaker, seed, ref, Stream.details);
  const city = identity.country === 'CN' ? cnCity(f) : f.helpers.arrayElement(cities[identity.country]);
  return {
    ref,
    id,
    ...identity,
    phone: chance(f, 0.92) ? phoneFor(f, identity.country) : null,
    email,
    duplicateOf,
    company: companyFor(f, identity.country, city),
    city,
    tags: distinct(f, weighted(f, [[0, 25], [1, 30], [2, 22], [3, 13], [4, 7], [5, 3]]), tag),
    customFields: customFieldsFor(f, identity),
    lifecycleStage: weighted(f, lifecycleStages),
    createdAt,
  };
}

/** Streams `count` people from ref `start`; memory stays flat whatever the count. */
export function* generatePeople({ seed, count, start = 0, until = DEFAULT_UNTIL }: PeopleOptions): Generator<Person> {
  checkSeed(seed);
  for (let ref = start; ref < start + count; ref++) yield personAt(seed, ref, until);
}
