// Domain events: `<domain>.<entity>.<past tense>`, e.g. `auth.api_key.created` (STYLE.md §6).
export type EventType = `${string}.${string}.${string}`;

export const EVENT_TYPE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

export interface DomainEvent<P extends Record<string, unknown> = Record<string, unknown>> {
  id: number;
  workspaceId: string;
  type: EventType;
  payload: P;
  /** ISO 8601; events travel through job payloads as JSON. */
  occurredAt: string;
}
