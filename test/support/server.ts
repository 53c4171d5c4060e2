// The real server in a child process (`renmai serve`) on a free port with a fresh data dir,
// exactly as `npm start` runs it; the demo login it prints on first start is captured.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestServer {
  url: string;
  login: { email: string; password: string };
  output(): string;
  close(): Promise<void>;
}

const root = new URL('../../', import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'renmai-e2e-'));
  const child = spawn(process.execPath, ['bin/renmai.js', 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', PASSWORD_SCRYPT_LOG_N: '12', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));

  const login = await new Promise<{ email: string; password: string }>((resolve, reject) => {
    // A first start migrates and may build the console; on a loaded 2-core machine that took over a minute.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 180_000);
    const check = () => {
      const email = out.match(/E-mail:\s+(\S+)/)?.[1];
      const password = out.match(/Password:\s+(\S+)/)?.[1];
      if (email && password) {
        clearTimeout(timer);
        resolve({ email, password });
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });

  return {
    url: `http://127.0.0.1:${port}`,
    login,
    output: () => out,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
