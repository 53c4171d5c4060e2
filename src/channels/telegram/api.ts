// Calling the Bot API: POST <base>/bot<token>/<method> with JSON or multipart, answered
// {ok:true,result} or {ok:false,error_code,description,parameters} (https://core.telegram.org/bots/api#making-requests).
// The token is in the path, so errors name the method and the host only, never the URL.
import { ChannelError } from '../adapter.js';
import { callProvider, jsonOf } from '../http.js';
import { answer as answerSchema } from './payloads.js';

export const DEFAULT_BASE_URL = 'https://api.telegram.org';

export interface TelegramApi {
  baseUrl: string;
  token: string;
  signal: AbortSignal;
  allowPrivateTargets: boolean;
}

const base = (api: Pick<TelegramApi, 'baseUrl'>) => api.baseUrl.replace(/\/+$/, '');

/** The ChannelError for a refused call, from the error code and description Telegram gives. */
export function telegramError(method: string, status: number, errorCode: number | undefined, description: string | undefined, retryAfterSeconds: number | undefined): ChannelError {
  const code = errorCode ?? status;
  const said = `Telegram ${method}: ${(description ?? `HTTP ${status}`).slice(0, 300)}`;
  const text = (description ?? '').toLowerCase();
  if (code === 429) return new ChannelError('rate_limited', said, { retryAfterMs: retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : undefined });
  if (code >= 500) return new ChannelError('temporary', said);
  if (code === 401 || code === 404) return new ChannelError('auth', said, { reason: 'token_invalid' });
  // "Forbidden: bot was blocked by the user", "bot was kicked from the group chat", "user is deactivated".
  if (code === 403) return new ChannelError('permanent', said, { reason: text.includes('deactivated') ? 'recipient_not_found' : 'recipient_blocked' });
  if (text.includes('chat not found') || text.includes('user not found')) return new ChannelError('not_found', said, { reason: 'recipient_not_found' });
  if (text.includes('too big')) return new ChannelError('permanent', said, { reason: 'media_too_large' });
  if (code === 400) return new ChannelError('permanent', said, { reason: 'invalid_request' });
  return new ChannelError('permanent', said);
}

/** Calls `method`; returns its `result` or throws ChannelError. */
export async function callTelegram(api: TelegramApi, method: string, params: Record<string, unknown> | FormData, timeoutMs?: number): Promise<unknown> {
  const multipart = params instanceof FormData;
  const res = await callProvider(
    `${base(api)}/bot${api.token}/${method}`,
    { method: 'POST', body: multipart ? params : JSON.stringify(params), headers: multipart ? {} : { 'content-type': 'application/json' } },
    { signal: api.signal, allowPrivateTargets: api.allowPrivateTargets, timeoutMs: timeoutMs ?? (multipart ? 60_000 : undefined) },
  );
  let parsed;
  try {
    parsed = answerSchema.safeParse(jsonOf(res));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    if (!res.ok) throw telegramError(method, res.status, undefined, undefined, undefined);
    throw new ChannelError('permanent', `Telegram ${method}: an answer that is not the Bot API's`);
  }
  const a = parsed.data;
  if (!a.ok || !res.ok) throw telegramError(method, res.status, a.error_code, a.description, a.parameters?.retry_after);
  return a.result;
}

/** Where getFile's file_path is downloaded from (the token in the path again). */
export const fileUrl = (api: Pick<TelegramApi, 'baseUrl' | 'token'>, filePath: string) => `${base(api)}/file/bot${api.token}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
