// PGlite keeps its files in one directory that only one process may open. A lock file with the
// owner's pid makes a second process (a CLI command while the server runs) fail clearly
// instead of corrupting the database.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dir: string): () => void {
  const path = `${dir}/renmai.pid`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(path, 'utf8'));
      if (holder && holder !== process.pid && alive(holder)) {
        throw new Error(`The embedded database in ${dir} is in use by process ${holder}. Stop it first, or run on a PostgreSQL server (DATABASE_URL).`);
      }
      rmSync(path, { force: true }); // left by a process that died
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
