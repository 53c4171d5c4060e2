// The personal poster: the campaign's background (cover-fitted to the layout's size, or a plain
// gradient without one) with the participant's avatar in a circle (their initial on a colour when
// there is none or it cannot be fetched), their name, and the QR code of their personal link,
// drawn with @napi-rs/canvas (Skia) and encoded as PNG. Names are drawn in Noto Sans SC, shipped
// by the @fontsource/noto-sans-sc npm package (WOFF2 slices, registered as one family: Skia falls
// back glyph by glyph across them), then DejaVu Sans for anything else.
// Posters are cached on disk, keyed by campaign, poster version (bumped by every change of the
// look), participant and a hash of the avatar URL and name; a changed avatar or name is a new file.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts, loadImage, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import QRCode from 'qrcode';
import type { PosterLayout } from './schema.js';

export const POSTER_FONT = 'Renmai Poster CJK';
let fontsReady = false;

/** Registers the shipped CJK font once per process (about 100 files of the regular weight). */
export function registerPosterFonts() {
  if (fontsReady) return;
  const dir = join(dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/package.json')), 'files');
  for (const file of readdirSync(dir)) if (/-400-normal\.woff2$/.test(file)) GlobalFonts.registerFromPath(join(dir, file), POSTER_FONT);
  fontsReady = true;
}

export interface PosterInput {
  layout: PosterLayout;
  /** The background's bytes and a name for its content (the stored file's SHA-256). */
  background: { key: string; data: Buffer } | undefined;
  avatar: Buffer | undefined;
  name: string;
  link: string;
}

// Decoding a background takes about as long as the rest of a poster, and every participant of a
// campaign shares one: the last few decoded are kept, by content.
const DECODED_KEPT = 8;
const decoded = new Map<string, Promise<Image | undefined>>();

function decodedBackground(background: { key: string; data: Buffer }) {
  let image = decoded.get(background.key);
  if (!image) {
    image = loadImage(background.data).catch(() => undefined);
    decoded.set(background.key, image);
    if (decoded.size > DECODED_KEPT) decoded.delete(decoded.keys().next().value!);
  }
  return image;
}

function drawCover(ctx: SKRSContext2D, image: Image, width: number, height: number) {
  const scale = Math.max(width / image.width, height / image.height);
  const w = image.width * scale;
  const h = image.height * scale;
  ctx.drawImage(image, (width - w) / 2, (height - h) / 2, w, h);
}

const initialOf = (name: string) => [...name.trim()][0]?.toUpperCase() ?? '?';
const colourOf = (name: string) => `hsl(${createHash('sha256').update(name).digest()[0]! * 1.41}, 55%, 55%)`;

async function drawAvatar(ctx: SKRSContext2D, input: PosterInput) {
  const { x, y, size } = input.layout.avatar;
  ctx.save();
  ctx.beginPath();
  ctx.arc(x + size / 2, y + size / 2, size / 2, 0, Math.PI * 2);
  ctx.clip();
  const image = input.avatar ? await loadImage(input.avatar).catch(() => undefined) : undefined;
  if (image) ctx.drawImage(image, x, y, size, size);
  else {
    ctx.fillStyle = colourOf(input.name);
    ctx.fillRect(x, y, size, size);
    ctx.fillStyle = '#ffffff';
    ctx.font = `${Math.round(size * 0.5)}px "${POSTER_FONT}", "DejaVu Sans"`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(initialOf(input.name), x + size / 2, y + size / 2);
  }
  ctx.restore();
}

/** Renders the poster as PNG bytes of layout.width × layout.height. */
export async function renderPoster(input: PosterInput): Promise<Buffer> {
  registerPosterFonts();
  const { layout } = input;
  const canvas = createCanvas(layout.width, layout.height);
  const ctx = canvas.getContext('2d');
  const background = input.background ? await decodedBackground(input.background) : undefined;
  if (background) drawCover(ctx, background, layout.width, layout.height);
  else {
    const gradient = ctx.createLinearGradient(0, 0, 0, layout.height);
    gradient.addColorStop(0, '#ff7a45');
    gradient.addColorStop(1, '#fff1e6');
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, layout.width, layout.height);
  }
  await drawAvatar(ctx, input);
  ctx.fillStyle = layout.name.color;
  ctx.font = `${layout.name.size}px "${POSTER_FONT}", "DejaVu Sans"`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText([...input.name].slice(0, 24).join(''), layout.name.x, layout.name.y, Math.max(layout.width - layout.name.x, 1));
  const qr = await QRCode.toBuffer(input.link, { type: 'png', width: layout.qr.size, margin: 1, errorCorrectionLevel: 'M' });
  ctx.drawImage(await loadImage(qr), layout.qr.x, layout.qr.y, layout.qr.size, layout.qr.size);
  return canvas.encode('png');
}

export interface PosterKey {
  dir: string;
  workspaceId: string;
  campaignId: string;
  version: number;
  participantId: string;
  /** What else the picture shows that may change: the avatar URL and the name. */
  looks: string;
}

const pathOf = (k: PosterKey) =>
  join(k.dir, k.workspaceId, 'fission-posters', k.campaignId, `v${k.version}-${k.participantId}-${createHash('sha256').update(k.looks).digest('hex').slice(0, 16)}.png`);

/** The cached poster, or `render()`'s, written aside and renamed (a reader never sees half a file). */
export async function cachedPoster(key: PosterKey, render: () => Promise<Buffer>): Promise<{ png: Buffer; cached: boolean }> {
  const path = pathOf(key);
  const found = await readFile(path).catch(() => undefined);
  if (found) return { png: found, cached: true };
  const png = await render();
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${randomBytes(6).toString('hex')}.part`;
  await writeFile(partial, png);
  await rename(partial, path);
  return { png, cached: false };
}
