// Attachments on disk: checked against the size limit and the MIME allowlist by the type read
// from the bytes (file-type), stored once per workspace under their SHA-256, recorded in
// `attachments`. Uploads wait unattached until a message takes them; inbound media are stored
// at intake.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { Config } from '../../config.js';
import type { Db } from '../../platform/db/connect.js';
import { AppError } from '../../platform/http/errors.js';

export interface AttachmentLimits {
  dir: string;
  maxBytes: number;
  types: readonly string[];
}

export const limitsOf = (config: Pick<Config, 'ATTACHMENTS_DIR' | 'DATA_DIR' | 'ATTACHMENT_MAX_BYTES' | 'ATTACHMENT_TYPES'>): AttachmentLimits => ({
  dir: config.ATTACHMENTS_DIR ?? join(config.DATA_DIR, 'attachments'),
  maxBytes: config.ATTACHMENT_MAX_BYTES,
  types: config.ATTACHMENT_TYPES.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean),
});

const allowed = (types: readonly string[], mime: string) => types.some((t) => (t.endsWith('*') ? mime.startsWith(t.slice(0, -1)) : mime === t));

/** Text has no magic number: valid UTF-8 without NUL bytes counts as text. */
const looksLikeText = (data: Buffer) => !data.includes(0) && Buffer.from(data.toString('utf8'), 'utf8').equals(data);

/** The type the bytes are: what the sniffer finds, else text (keeping a declared text/* subtype) or octet-stream. */
export async function typeOf(data: Buffer, declared: string): Promise<string> {
  const sniffed = await fileTypeFromBuffer(data);
  if (sniffed) return sniffed.mime;
  if (!looksLikeText(data)) return 'application/octet-stream';
  const claimed = declared.toLowerCase().split(';')[0]!.trim();
  return claimed.startsWith('text/') ? claimed : 'text/plain';
}

/** No path separators or control characters in a name that ends up in a download header. */
const safeName = (name: string) => [...name].map((c) => (c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 ? '_' : c)).join('').slice(0, 255) || 'file';

export interface CheckedFile {
  fileName: string;
  mimeType: string;
  data: Buffer;
}

/** Throws 413 or 415 (problem+json) unless the file may be kept. */
export async function checkFile(limits: AttachmentLimits, file: { fileName: string; declaredType: string; data: Buffer }): Promise<CheckedFile> {
  if (file.data.length > limits.maxBytes) throw new AppError('payload_too_large', `"${file.fileName}" is larger than ${limits.maxBytes} bytes`, { details: { maxBytes: limits.maxBytes } });
  const mimeType = await typeOf(file.data, file.declaredType);
  if (!allowed(limits.types, mimeType)) {
    throw new AppError('unsupported_media_type', `"${file.fileName}" is ${mimeType}, which is not an allowed attachment type`, { details: { mimeType, allowed: limits.types } });
  }
  return { fileName: safeName(file.fileName), mimeType, data: file.data };
}

const pathOf = (limits: AttachmentLimits, workspaceId: string, sha256: string) => join(limits.dir, workspaceId, sha256.slice(0, 2), sha256);

/** Writes the file (once per content) and records it; returns the attachment's id. */
export async function storeFile(db: Db, limits: AttachmentLimits, workspaceId: string, file: CheckedFile, uploadedBy: string | null): Promise<string> {
  const sha256 = createHash('sha256').update(file.data).digest('hex');
  const path = pathOf(limits, workspaceId, sha256);
  await mkdir(join(path, '..'), { recursive: true });
  // Written aside and renamed: a reader never sees half a file, and equal content is equal bytes.
  const partial = `${path}.${randomBytes(6).toString('hex')}.part`;
  await writeFile(partial, file.data);
  await rename(partial, path);
  const { id } = await db
    .insertInto('attachments')
    .values({ workspace_id: workspaceId, file_name: file.fileName, mime_type: file.mimeType, size_bytes: file.data.length, sha256, uploaded_by: uploadedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export const readStored = (limits: AttachmentLimits, workspaceId: string, sha256: string) => readFile(pathOf(limits, workspaceId, sha256));
