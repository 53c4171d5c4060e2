// CPU time the PostgreSQL server spent for one database while some work ran: the user + system
// time (/proc/<pid>/stat) of its client backends and parallel workers. On a shared machine this is
// steadier than wall time, which grows with everyone else's load. Linux, and a server on this
// machine (bench/lib/databases.ts allows loopback only), else null.
import { readFileSync } from 'node:fs';
import pg from 'pg';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every mainstream Linux build). */
const TICKS = 100;

function cpuTicks(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces, hence from the last ')'): utime is the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * Starts watching the backends of the database at `url` (sampled every `everyMs`, so a backend
 * that comes and goes between samples is missed; a pool keeps its connections through a job);
 * `stop` answers the CPU seconds they used since the start, or null off Linux.
 */
export async function watchBackendCpu(url: string, everyMs = 500): Promise<{ stop(): Promise<number | null> }> {
  if (process.platform !== 'linux') return { stop: async () => null };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const database = new URL(url).pathname.slice(1);
  const { rows: own } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  // A backend first seen after the start began after it: all its time counts.
  let started = false;
  const sample = async () => {
    const { rows } = await client.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = $1 and backend_type in ('client backend', 'parallel worker') and pid <> $2",
      [database, own[0]!.pid],
    );
    for (const { pid } of rows) {
      const ticks = cpuTicks(pid);
      if (ticks === null) continue;
      if (!first.has(pid)) first.set(pid, started ? 0 : ticks);
      last.set(pid, ticks);
    }
  };
  await sample();
  started = true;
  let busy = Promise.resolve();
  const timer = setInterval(() => {
    busy = busy.then(sample, () => undefined);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      await sample();
      await client.end();
      let ticks = 0;
      for (const [pid, end] of last) ticks += end - (first.get(pid) ?? 0);
      return ticks / TICKS;
    },
  };
}
