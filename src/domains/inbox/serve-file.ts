// A stored attachment as an HTTP answer, for agents and for widget visitors alike: shown in the
// browser for media, downloaded for everything else, and never run as a page of our origin.
import type { FastifyReply } from 'fastify';

export interface StoredFile {
  fileName: string;
  mimeType: string;
  data: Buffer;
}

export const sendFile = (reply: FastifyReply, file: StoredFile) =>
  reply
    .type(file.mimeType)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', `${/^(image|audio|video)\//.test(file.mimeType) ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .send(file.data);
