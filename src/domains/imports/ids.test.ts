import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedId } from './ids.js';

describe('timeOrderedId', () => {
  it('is a version-7 UUID that carries the time and sorts by it', () => {
    const id = timeOrderedId(Date.UTC(2026, 10, 25, 2, 0, 0, 123));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 25, 2, 0, 0, 123));
    const later = Array.from({ length: 50 }, (_, i) => timeOrderedId(Date.UTC(2026, 10, 25, 2, 0, 0, 124 + i)));
    expect([...later].sort()).toEqual(later);
    expect(new Set(Array.from({ length: 1000 }, () => timeOrderedId(0))).size).toBe(1000);
  });
});
