// Channel credentials at rest: AES-256-GCM with a key from config, each ciphertext bound to its
// workspace and channel (additional authenticated data), so a row's secrets copied onto another
// channel do not decrypt. Layout: version (1 byte) | nonce (12) | tag (16) | ciphertext.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.js';

const VERSION = 1;

export interface Keyring {
  seal(value: Record<string, unknown>, binding: string): Buffer;
  open(blob: Buffer, binding: string): Record<string, unknown>;
}

export function createKeyring(key: Buffer): Keyring {
  if (key.length !== 32) throw new Error('The channel secrets key must be 32 bytes');
  return {
    seal(value, binding) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(binding));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
    },
    open(blob, binding) {
      if (blob[0] !== VERSION) throw new Error(`Unknown channel secrets version ${blob[0]}`);
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13));
      decipher.setAAD(Buffer.from(binding));
      decipher.setAuthTag(blob.subarray(13, 29));
      return JSON.parse(Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]).toString('utf8'));
    },
  };
}

const byKey = new Map<string, Keyring>();

/**
 * The configured key, or for zero-setup installs one generated once into DATA_DIR (readable by
 * the owner only). Created with O_EXCL, so two processes starting together agree on one key.
 */
export function keyringOf(config: Pick<Config, 'CHANNEL_SECRETS_KEY' | 'DATA_DIR'>): Keyring {
  const encoded = config.CHANNEL_SECRETS_KEY ?? readOrCreateKeyFile(join(config.DATA_DIR, 'channel-secrets.key'));
  let ring = byKey.get(encoded);
  if (!ring) byKey.set(encoded, (ring = createKeyring(Buffer.from(encoded, 'base64'))));
  return ring;
}

function readOrCreateKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(join(path, '..'), { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(path, 'utf8').trim();
}

/** What binds a channel's ciphertext to its row. */
export const bindingOf = (workspaceId: string, channelId: string) => `channel:${workspaceId}:${channelId}`;
