// The WeChat family's API errors: WeCom and official accounts answer HTTP 200 with
// {errcode, errmsg}, and each provider's table maps an errcode to the queue's kind, a stable
// reason and words for the console.
import { ChannelError, type ChannelErrorKind, type ChannelErrorReason } from './adapter.js';

export type ErrcodeTable = Readonly<Record<number, [ChannelErrorKind, ChannelErrorReason, string]>>;

export interface ErrcodeProvider {
  name: string;
  known: ErrcodeTable;
  /** How long to wait after a quota answer. */
  rateWaitMs: number;
}

/** An errcode answer; `errcode` kept for callers that act on one. */
export class WxApiError extends ChannelError {
  constructor(
    readonly errcode: number,
    kind: ChannelErrorKind,
    message: string,
    options: { retryAfterMs?: number; reason?: ChannelErrorReason } = {},
  ) {
    super(kind, message, options);
    this.name = 'WxApiError';
  }
}

/** The error for `provider`'s errcode answer (errmsg holds a hint and a request id, never credentials). */
export function errcodeError(provider: ErrcodeProvider, errcode: number, errmsg: string): WxApiError {
  const [kind, reason, text] = provider.known[errcode] ?? ['permanent', 'provider_error', `${provider.name} refused the call`];
  const retryAfterMs = kind === 'rate_limited' ? provider.rateWaitMs : kind === 'temporary' ? 1000 : undefined;
  return new WxApiError(errcode, kind, `${text} (errcode ${errcode}: ${errmsg.slice(0, 200)})`, { retryAfterMs, reason });
}
