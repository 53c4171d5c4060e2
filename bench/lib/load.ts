// HTTP load with autocannon, run in a worker thread so the load generator does not share the
// event loop of the in-process server it measures (it still shares the machine's cores).
import autocannon from 'autocannon';
import { withTimeout } from './cleanup.js';

export interface LoadFigures {
  'req/s': number;
  'p50 ms': number;
  'p99 ms': number;
  'max ms': number;
  requests: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  duration: number;
  connections: number;
  /** The one status every answer must have (default: any 2xx). */
  status?: number;
  /** Paths on `url`'s host asked in turn by each connection, instead of `url` itself. */
  paths?: string[];
}

/** Measures GET `url`; throws, with the status codes seen, when any response is not 2xx (or not `status`). */
export async function measureGet({ url, headers, duration, connections, status, paths }: LoadOptions): Promise<LoadFigures> {
  const instance = autocannon({
    url,
    headers,
    connections,
    duration,
    timeout: 10,
    workers: 1,
    ...(paths ? { requests: paths.map((path) => ({ path })) } : {}),
    // JIT, connection pools and PGlite's caches warm up first; only the second run is measured.
    warmup: { connections, duration: Math.min(3, Math.max(1, Math.round(duration / 4))) },
  });
  const result = await withTimeout(Promise.resolve(instance), (duration + 60) * 1000, `load on ${url}`).catch((err: unknown) => {
    instance.stop();
    throw err;
  });
  const unexpected = (r: typeof result) => (status === undefined ? r.non2xx : Object.entries(r.statusCodeStats).reduce((n, [code, { count }]) => n + (Number(code) === status ? 0 : count), 0));
  for (const [phase, r] of [['warm-up', result.warmup], ['measured run', result]] as const) {
    if (!r) continue;
    const wrong = unexpected(r);
    if (wrong + r.errors + r.timeouts > 0) {
      const codes = Object.entries(r.statusCodeStats).map(([code, { count }]) => `${code}×${count}`).join(', ');
      throw new Error(`GET ${url} (${phase}): ${wrong} unexpected statuses, ${r.errors} errors, ${r.timeouts} timeouts (status codes: ${codes})`);
    }
  }
  return {
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'max ms': result.latency.max,
    requests: status === undefined ? result['2xx'] : (result.statusCodeStats[String(status)]?.count ?? 0),
    non2xx: result.non2xx,
  };
}
