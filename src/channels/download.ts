// Downloading a file on a channel's behalf (a provider's media, a URL someone sent): every hop
// passes the SSRF guard (net-guard.ts: after DNS resolution and after each redirect, no
// loopback, private, link-local or IPv4-mapped target unless allowPrivateTargets), the body is
// read only up to `maxBytes` (a larger Content-Length is refused before reading; a body that runs
// past it is cut off), and the whole download, body included, has a time limit.
import { ChannelError } from './adapter.js';
import { errorForStatus } from './http.js';
import { assertPublicTarget } from './net-guard.js';

const TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 5;

export interface DownloadOptions {
  signal: AbortSignal;
  allowPrivateTargets: boolean;
  /** The most bytes accepted (the inbox passes ATTACHMENT_MAX_BYTES). */
  maxBytes: number;
  /** For the whole download, body included; default 60 s. */
  timeoutMs?: number;
  /** Sent to the first host only: dropped when a redirect leaves its origin (a bearer token must not follow). */
  headers?: Record<string, string>;
  /** Default 5; 0 refuses any redirect. */
  maxRedirects?: number;
}

export interface Download {
  data: Buffer;
  /** The Content-Type without parameters, if any. */
  mimeType: string | undefined;
  /** From Content-Disposition, if any. */
  fileName: string | undefined;
}

const tooLarge = (host: string, maxBytes: number) => new ChannelError('permanent', `The file at ${host} is larger than ${maxBytes} bytes`, { reason: 'media_too_large' });

/** The file name a Content-Disposition header gives (RFC 6266: filename* preferred), if any. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[2]!.trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(disposition);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
  return name || undefined;
}

async function readCapped(res: Response, host: string, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(host, maxBytes);
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, size);
}

/** GETs `target` within the limits above; throws ChannelError (temporary: no answer, timeout or 5xx; 429 with its wait). */
export async function download(target: string | URL, o: DownloadOptions): Promise<Download> {
  const signal = AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs ?? TIMEOUT_MS)]);
  const first = new URL(target);
  let url = first;
  for (let hop = 0; ; hop++) {
    await assertPublicTarget(url, o.allowPrivateTargets);
    const headers = url.origin === first.origin ? o.headers : undefined;
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'manual', headers, signal });
    } catch (error) {
      throw new ChannelError('temporary', `No answer from ${url.host}`, { cause: error });
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel().catch(() => undefined);
      if (hop >= (o.maxRedirects ?? MAX_REDIRECTS)) throw new ChannelError('permanent', `Too many redirects from ${first.host}`, { reason: 'provider_error' });
      url = new URL(location, url);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw errorForStatus(res.status, url.host, res.headers.get('retry-after'));
    }
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (declared > o.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw tooLarge(url.host, o.maxBytes);
    }
    let data: Buffer;
    try {
      data = await readCapped(res, url.host, o.maxBytes);
    } catch (error) {
      if (error instanceof ChannelError) throw error;
      throw new ChannelError('temporary', `The download from ${url.host} broke off or timed out`, { cause: error });
    }
    const type = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    return { data, mimeType: type || undefined, fileName: fileNameOf(res.headers.get('content-disposition')) };
  }
}
