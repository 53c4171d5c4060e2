// Seeded randomness for the generators. Every row draws from a faker instance reseeded with
// [seed, row index, stream], so row i is a pure function of (seed, i): a 10^6-row stream needs no
// state between rows, the first N rows are the same whatever the count, and any row can be
// recomputed on its own (the e-mail duplicates use that).
import { Faker, base, en, zh_CN, type Randomizer } from '@faker-js/faker';

/**
 * sfc32 seeded through a murmur3-style mix of the seed parts. Faker's default Mersenne Twister
 * takes ~25 µs to reseed, and we reseed several times per row (~4k rows/s); this takes well under
 * a microsecond. Being our own code, its sequence cannot change under a faker upgrade either.
 */
export class RowRandomizer implements Randomizer {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  seed = (seed: number | number[]): void => {
    let h = 0x9e3779b9;
    const mix = (v: number) => {
      h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    for (const part of Array.isArray(seed) ? seed : [seed]) mix(part);
    this.a = mix(1);
    this.b = mix(2);
    this.c = mix(3);
    this.d = mix(4);
    for (let i = 0; i < 12; i++) this.next(); // let the state diffuse
  };

  // Faker calls next() detached from the instance, hence an arrow function.
  next = (): number => {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export const zhFaker = new Faker({ locale: [zh_CN, en, base], randomizer: new RowRandomizer() });
export const enFaker = new Faker({ locale: [en, base], randomizer: new RowRandomizer() });

/** Separate streams per concern, so adding a draw to one does not shift the others. */
export const Stream = { identity: 1, email: 2, details: 3, created: 4, events: 5, id: 6 } as const;

export function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in 0..2^32-1, got ${seed}`);
}

/**
 * Reseeds `faker` for one row and stream and returns it. Draw everything for that row before
 * yielding: the instances are shared, and another generator may reseed them in between.
 */
export function rowFaker(faker: Faker, seed: number, index: number, stream: number): Faker {
  faker.seed([seed, index, stream]);
  return faker;
}

/** A uniform float in [0, 1). */
export const unit = (f: Faker) => f.number.float({ min: 0, max: 1 });

/** Standard normal by Box–Muller. */
export function normal(f: Faker): number {
  const u = 1 - unit(f); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * unit(f));
}

/** Log-normal with the given median; sigma is the spread of the underlying normal. */
export const logNormal = (f: Faker, median: number, sigma: number) => median * Math.exp(sigma * normal(f));

/** True with probability p. */
export const chance = (f: Faker, p: number) => unit(f) < p;

/** Picks a value by relative weight (weights need not sum to 1). */
export function weighted<T>(f: Faker, entries: ReadonlyArray<readonly [T, number]>): T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let r = unit(f) * total;
  for (const [value, w] of entries) {
    r -= w;
    if (r < 0) return value;
  }
  return entries[entries.length - 1]![0];
}

/**
 * A sampler over `items` where the item of rank k has weight 1/k^s (Zipf): a few items are
 * everywhere, most are rare — how tags, interests and order sizes look in a real CRM.
 */
export function zipf<T>(items: readonly T[], s = 1.1): (f: Faker) => T {
  const cumulative: number[] = [];
  let total = 0;
  items.forEach((_, k) => cumulative.push((total += 1 / (k + 1) ** s)));
  return (f) => {
    const r = unit(f) * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

/** Up to `count` distinct draws from a sampler (fewer if the vocabulary runs dry). */
export function distinct<T>(f: Faker, count: number, draw: (f: Faker) => T): T[] {
  const picked = new Set<T>();
  for (let tries = 0; picked.size < count && tries < count * 8; tries++) picked.add(draw(f));
  return [...picked];
}

export const pad = (n: number, width: number) => String(n).padStart(width, '0');
