// The part of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }
  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram;
    throughput: Histogram;
    /** The warm-up run's result, when `warmup` was given. */
    warmup?: Result;
  }
  export interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    connections?: number;
    duration?: number;
    timeout?: number;
    workers?: number;
    warmup?: { connections?: number; duration?: number };
    /** Requests each connection sends in turn (paths relative to `url`'s host). */
    requests?: Array<{ path?: string; method?: string }>;
  }
  export default function autocannon(options: Options): PromiseLike<Result> & { stop(): void };
}
