// The poster renderer alone: Chinese names are drawn with the shipped font (two different
// characters give two different pictures, where a missing font draws the same empty box for
// both), the QR code decodes to the size asked, and the disk cache answers the same bytes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { cachedPoster, POSTER_FONT, registerPosterFonts, renderPoster } from './poster.js';
import { defaultLayout } from './schema.js';

const glyph = (text: string) => {
  const canvas = createCanvas(64, 64);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 64, 64);
  ctx.fillStyle = '#000000';
  ctx.font = `48px "${POSTER_FONT}"`;
  ctx.textBaseline = 'top';
  ctx.fillText(text, 8, 8);
  return Buffer.from(ctx.getImageData(0, 0, 64, 64).data);
};

describe('poster', () => {
  it('draws Chinese characters with the shipped font', () => {
    registerPosterFonts();
    const [wang, li, box] = [glyph('王'), glyph('李'), glyph('\u{10FFFD}')];
    expect(wang.equals(li)).toBe(false);
    expect(wang.equals(box)).toBe(false);
    expect(li.equals(box)).toBe(false);
  });

  it('renders a PNG of the layout’s size, and the cache returns it without rendering again', async () => {
    const input = { layout: { ...defaultLayout, width: 600, height: 900, avatar: { x: 20, y: 700, size: 120 }, qr: { x: 400, y: 680, size: 180 } }, background: undefined, avatar: undefined, name: '王小明', link: 'https://crm.example.com/f/abcdefghijklmnop' };
    const key = { dir: mkdtempSync(join(tmpdir(), 'renmai-posters-')), workspaceId: 'w', campaignId: 'c', version: 1, participantId: 'p', looks: '' };
    const first = await cachedPoster(key, () => renderPoster(input));
    expect(first.cached).toBe(false);
    const image = await loadImage(first.png);
    expect([image.width, image.height]).toEqual([600, 900]);
    const again = await cachedPoster(key, () => Promise.reject(new Error('rendered twice')));
    expect(again).toEqual({ png: first.png, cached: true });
    // Another version is another file.
    expect((await cachedPoster({ ...key, version: 2 }, () => renderPoster(input))).cached).toBe(false);
  });
});
