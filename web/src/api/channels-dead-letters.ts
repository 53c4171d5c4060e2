// The dead-letter list (src/domains/inbox/messages-routes.ts): outbound messages that failed for
// good, newest first, and putting one back in the send queue with a fresh count of attempts.
import { api } from './client';

export interface DeadLetter {
  id: string;
  conversationId: string;
  channelId: string;
  kind: string;
  text: string | null;
  subject: string | null;
  attempts: number;
  lastError: string | null;
  /** Why it failed, as a stable code (channelReasons.<code> in the console); null when unknown. */
  errorReason: string | null;
  failedAt: string | null;
  createdAt: string;
  attachments: Array<{ id: string; fileName: string }>;
}

export const deadLettersPath = '/dead-letters';
export const retryDeadLetter = (id: string) => api.post<{ message: DeadLetter }>(`/dead-letters/${id}/retry`);
