// Timeline entry ids of rule runs are time-ordered (UUID version 7), so a backfill's entries append
// to timeline_events' primary key instead of landing on random pages of it.
import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './act.js';

describe('timeOrderedId', () => {
  it('makes version-7 uuids that sort in the order they were made, even many per millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => timeOrderedId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const ms = parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });
});
