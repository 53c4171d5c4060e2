#!/usr/bin/env node
// Builds the console (web/dist) and the live-chat widget (web/dist/widget.js) when either is
// missing or older than its sources, so that `npm install && npm start` serves both without a
// separate build command. The console's build empties web/dist, so the widget follows it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

const parts = [
  {
    what: 'the console',
    config: 'web/vite.config.ts',
    built: 'web/dist/index.html',
    // The console also imports the shared password policy from the server code.
    sources: ['web/src', 'web/index.html', 'web/vite.config.ts', 'src/platform/auth/password-policy.ts'],
  },
  { what: 'the widget', config: 'web/widget/vite.config.ts', built: 'web/dist/widget.js', sources: ['web/widget'] },
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

for (const part of parts) {
  if (!existsSync(join(root, part.config))) continue;
  const built = join(root, part.built);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...part.sources.map((s) => newest(join(root, s))))) continue;
  console.log(`Building ${part.what}…`);
  // A production build whoever asks (vitest sets NODE_ENV=test, which would give React's and antd's development builds).
  const result = spawnSync('npx', ['vite', 'build', '--config', part.config, '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
