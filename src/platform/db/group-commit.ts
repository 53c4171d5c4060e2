// Group commit: calls that arrive while a write of the same key is in flight wait for it, then go
// together in the next write — so under load one transaction carries many calls, and an idle
// server still writes a lone call at once. Keys write independently (a hot live code does not
// hold up another). A group whose write fails is written again one call at a time, so a call the
// database refuses fails alone.

export interface GroupCommitOptions<I, O> {
  /** Writes a group (in arrival order) and answers each call, in the same order. */
  write(key: string, items: I[]): Promise<O[]>;
  /** The group's size limit, in `weight` units (default: one per call). */
  maxWeight: number;
  weight?(item: I): number;
}

interface Waiting<I, O> {
  item: I;
  done(result: O): void;
  fail(error: unknown): void;
}

export function groupCommit<I, O>({ write, maxWeight, weight = () => 1 }: GroupCommitOptions<I, O>) {
  // A key's queue exists while it has calls waiting or a write in flight.
  const queues = new Map<string, Waiting<I, O>[]>();

  async function writeGroup(key: string, group: Waiting<I, O>[]): Promise<void> {
    let results: O[];
    try {
      results = await write(key, group.map((w) => w.item));
    } catch (error) {
      if (group.length === 1) return group[0]!.fail(error);
      for (const w of group) await writeGroup(key, [w]);
      return;
    }
    group.forEach((w, i) => w.done(results[i]!));
  }

  async function drain(key: string, waiting: Waiting<I, O>[]) {
    while (waiting.length) {
      let total = 0;
      let take = 0;
      while (take < waiting.length && (take === 0 || total + weight(waiting[take]!.item) <= maxWeight)) total += weight(waiting[take++]!.item);
      await writeGroup(key, waiting.splice(0, take));
    }
    queues.delete(key);
  }

  return (key: string, item: I) =>
    new Promise<O>((done, fail) => {
      const waiting = queues.get(key);
      if (waiting) return void waiting.push({ item, done, fail });
      const fresh = [{ item, done, fail }];
      queues.set(key, fresh);
      void drain(key, fresh);
    });
}
