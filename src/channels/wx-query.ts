// The query string of Tencent's signed callbacks (WeCom and WeChat official accounts), shared by
// both adapters: parameters decoded as URI components, and the timestamp window.
/** Query parameters decoded as URI components: echostr's "+" is a plus, not a space (form decoding would break it). */
export function queryOf(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    try {
      out.set(decodeURIComponent(part.slice(0, at)), decodeURIComponent(part.slice(at + 1)));
    } catch {
      // A malformed escape: the parameter is absent.
    }
  }
  return out;
}

/**
 * How far a callback's timestamp may be from our clock, either way. WeCom and WeChat retry a
 * callback they got no answer for (3 times, 5 s apart) and a clock may drift, so a few minutes;
 * beyond that a request is a replay of a captured one (harmless to store, since events are
 * stored once, but refused as stale all the same).
 */
export const TIMESTAMP_WINDOW_SECONDS = 300;

/** True when `timestamp` (seconds, as the query gives it) is within the window of `now` (ms). */
export function timestampFresh(timestamp: string, now: number): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now / 1000 - Number(timestamp)) <= TIMESTAMP_WINDOW_SECONDS;
}
