// Group commit's contract, without a database: what waits goes together, keys are independent,
// a failed group is retried call by call so only the bad call fails.
import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.js';

/** A write that records its groups and can be held open until released. */
function recorder(fail: (item: number) => boolean = () => false) {
  const groups: [string, number[]][] = [];
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const write = async (key: string, items: number[]) => {
    groups.push([key, [...items]]);
    await gate;
    if (items.some(fail)) throw new Error(`refused ${items.join(',')}`);
    return items.map((i) => i * 10);
  };
  const open = () => {
    release();
    gate = Promise.resolve();
  };
  return { groups, write, open };
}

describe('groupCommit', () => {
  it('writes a lone call at once and the calls that arrived meanwhile as one group, up to the weight limit', async () => {
    const r = recorder();
    const commit = groupCommit({ write: r.write, maxWeight: 3 });
    const answers = [1, 2, 3, 4, 5, 6].map((i) => commit('k', i));
    r.open();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(r.groups).toEqual([
      ['k', [1]],
      ['k', [2, 3, 4]],
      ['k', [5, 6]],
    ]);
  });

  it('keys do not wait for each other', async () => {
    const r = recorder();
    const commit = groupCommit({ write: r.write, maxWeight: 10 });
    const a = commit('a', 1);
    const b = commit('b', 2);
    expect(r.groups).toEqual([
      ['a', [1]],
      ['b', [2]],
    ]);
    r.open();
    expect(await Promise.all([a, b])).toEqual([10, 20]);
  });

  it('a refused group is written again call by call: only the bad call fails', async () => {
    const r = recorder((i) => i === 3);
    const commit = groupCommit({ write: r.write, maxWeight: 10 });
    const answers = [1, 2, 3, 4].map((i) => commit('k', i).catch((e: Error) => e.message));
    r.open();
    expect(await Promise.all(answers)).toEqual([10, 20, 'refused 3', 40]);
    expect(r.groups.map(([, items]) => items)).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('weighs calls by the given weight; a call heavier than the limit goes alone', async () => {
    const r = recorder();
    const commit = groupCommit({ write: r.write, maxWeight: 5, weight: (i: number) => i });
    const answers = [1, 2, 3, 9, 1].map((i) => commit('k', i));
    r.open();
    await Promise.all(answers);
    expect(r.groups.map(([, items]) => items)).toEqual([[1], [2, 3], [9], [1]]);
  });
});
