// When a failed job runs again: exponential backoff with jitter, unless the error says when
// (a provider's Retry-After, carried as `retryAfterMs` by ChannelError).
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, capMs: 10 * 60_000 };

/** Delay before attempt `attempt + 1`, given that `attempt` (1-based) just failed. */
export function retryDelayMs(attempt: number, error: unknown, policy: BackoffPolicy = defaultBackoff, random = Math.random): number {
  const hinted = retryAfterOf(error);
  if (hinted !== undefined) return hinted;
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  // "Equal jitter": half fixed so retries keep spacing out, half random so a burst of failures
  // (a provider outage) does not come back as a synchronised burst.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('retryAfterMs' in error)) return undefined;
  const value = (error as { retryAfterMs: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** What is kept of an error on the job row and in logs: its message, never its properties (tokens, headers). */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : 'Non-Error value thrown';
  return message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
}
