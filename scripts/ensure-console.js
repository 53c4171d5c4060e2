#!/usr/bin/env node
// Builds the console (web/dist) when it is missing or older than its sources, so that
// `npm install && npm start` serves it without a separate build command.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const built = join(root, 'web/dist/index.html');
// The console also imports the shared password policy from the server code.
const sources = [join(root, 'web/src'), join(root, 'web/index.html'), join(root, 'web/vite.config.ts'), join(root, 'src/platform/auth/password-policy.ts')];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

if (!existsSync(join(root, 'web/vite.config.ts'))) process.exit(0);
if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) process.exit(0);

console.log('Building the console…');
const result = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
