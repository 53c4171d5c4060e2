// Where an import spends its time, per phase, summed over the process's imports: a few
// performance.now() calls per batch (not per row), read by the import benchmark. The sums are
// wall-clock time of the awaited work, so a phase's figure includes the database's share of it.
// The job reads and normalises the next batch while the database applies two batches on two
// connections, so parse + normalise + wait (for a connection to come free) is the job's
// wall-clock time, and the database phases of the two connections overlap it and each other:
// their sum can exceed the run's time. `order` is a batch waiting, in its transaction, for the
// batch before it to commit.
export const importPhases = ['parse', 'normalise', 'analyze', 'keys', 'contacts', 'identities', 'tags', 'events', 'errors+keys', 'order', 'checkpoint', 'wait'] as const;
export type ImportPhase = (typeof importPhases)[number];

const totals = new Map<ImportPhase, number>();

/** Adds the time since `since` (performance.now()) to the phase; returns now, for chaining. */
export function lap(phase: ImportPhase, since: number): number {
  const now = performance.now();
  totals.set(phase, (totals.get(phase) ?? 0) + (now - since));
  return now;
}

/** Milliseconds per phase since the last reset. */
export function phaseTimes(): Record<ImportPhase, number> {
  return Object.fromEntries(importPhases.map((p) => [p, totals.get(p) ?? 0])) as Record<ImportPhase, number>;
}

export function resetPhaseTimes(): void {
  totals.clear();
}
