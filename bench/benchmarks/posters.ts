// Fission posters: renders per second, cold (drawn with @napi-rs/canvas and written to the disk
// cache) and cached (read back from it), in this process, one at a time. Each poster is 750×1334
// with a photo-like background, an avatar, a Chinese name and the QR code of a personal link —
// what GET /f/<token>/poster.png does after its database reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createCanvas } from '@napi-rs/canvas';
import { cachedPoster, registerPosterFonts, renderPoster, type PosterKey } from '../../src/domains/fission/poster.js';
import { defaultLayout } from '../../src/domains/fission/schema.js';
import type { BenchOptions, BenchResult } from '../lib/types.js';

export const name = 'posters';
export const describe = 'Fission posters/s: --size distinct posters rendered cold (PNG written to the disk cache), then read back cached for --duration seconds; no database';

async function picture(width: number, height: number, hue: number) {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  for (let i = 0; i < 200; i++) {
    ctx.fillStyle = `hsl(${(hue + i * 7) % 360}, 60%, ${30 + (i % 40)}%)`;
    ctx.fillRect((i * 37) % width, (i * 53) % height, 40 + (i % 90), 40 + (i % 70));
  }
  return canvas.encode('jpeg', 85);
}

export async function run(o: BenchOptions): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'renmai-posters-'));
  try {
    const t0 = performance.now();
    registerPosterFonts();
    const fontsMs = performance.now() - t0;
    const background = await picture(750, 1334, 20);
    const avatar = await picture(132, 132, 200);
    const campaignId = randomUUID();
    const keys: PosterKey[] = Array.from({ length: o.size }, () => ({ dir, workspaceId: 'bench', campaignId, version: 1, participantId: randomUUID(), looks: 'avatar' }));
    o.log(`rendering ${o.size} posters cold…`);
    let bytes = 0;
    const coldStart = performance.now();
    for (const [i, key] of keys.entries()) {
      const { png, cached } = await cachedPoster(key, () => renderPoster({ layout: defaultLayout, background: { key: 'bench', data: background }, avatar, name: `王小明${i}`, link: `https://crm.example.com/f/${key.participantId.slice(0, 16)}` }));
      if (cached) throw new Error('a cold poster came from the cache');
      bytes += png.length;
    }
    const coldSeconds = (performance.now() - coldStart) / 1000;
    o.log(`reading cached posters for ${o.duration} s…`);
    let reads = 0;
    const cachedStart = performance.now();
    while (performance.now() - cachedStart < o.duration * 1000) {
      const { cached } = await cachedPoster(keys[reads % keys.length]!, () => Promise.reject(new Error('not cached')));
      if (!cached) throw new Error('a poster was not cached');
      reads++;
    }
    const cachedSeconds = (performance.now() - cachedStart) / 1000;
    return {
      rows: [
        { scenario: 'cold (render + write)', posters: o.size, 'posters/s': Math.round((o.size / coldSeconds) * 10) / 10, 'ms each': Math.round((coldSeconds * 1000) / o.size) },
        { scenario: 'cached (read)', posters: reads, 'posters/s': Math.round(reads / cachedSeconds), 'ms each': Math.round(((cachedSeconds * 1000) / reads) * 100) / 100 },
      ],
      notes: [`750×1334 PNG, mean ${Math.round(bytes / o.size / 1024)} KiB`, `font registration (once per process): ${Math.round(fontsMs)} ms`, 'one poster at a time on one thread'],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
