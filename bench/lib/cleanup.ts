// Teardown that must happen even when a run is interrupted or times out: servers stopped,
// throwaway databases dropped, temp dirs removed. Run in reverse order of registration.
const steps: Array<{ label: string; fn: () => Promise<void> | void }> = [];

export function onCleanup(label: string, fn: () => Promise<void> | void): () => Promise<void> {
  const step = { label, fn };
  steps.push(step);
  return async () => {
    const at = steps.indexOf(step);
    if (at >= 0) steps.splice(at, 1);
    await fn();
  };
}

/** Runs every pending step (newest first), each bounded in time, reporting failures. */
export async function cleanupAll(log: (m: string) => void): Promise<void> {
  while (steps.length) {
    const { label, fn } = steps.pop()!;
    try {
      await withTimeout(Promise.resolve().then(fn), 30_000, `cleanup: ${label}`);
    } catch (err) {
      log(`cleanup failed (${label}): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
