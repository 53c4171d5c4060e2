// The widget's bundle at /widget.js (built by `npm run build:web` into web/dist/widget.js) and the
// one-line snippet that loads it, for the console (GET /api/v1/channels/{id}/widget-snippet). The
// URL is not versioned, so caches keep it briefly and revalidate by ETag.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicUrl } from '../../config.js';
import { actorOf } from '../../platform/http/authenticate.js';
import { CONSOLE_DIR } from '../../platform/http/console.js';
import { notFound } from '../../platform/http/errors.js';
import { widgetAdapter } from '../../channels/widget/index.js';
import { getChannel, keyringOf } from '../channels/index.js';

export const BUNDLE = join(CONSOLE_DIR, 'widget.js');

export const widgetScriptRoute: FastifyPluginAsync = async (app) => {
  let cached: { mtimeMs: number; body: Buffer; etag: string } | undefined;
  app.get('/widget.js', { config: { access: 'public' }, schema: { tags: ['widget'], description: 'The live-chat widget’s script (see GET /api/v1/channels/{id}/widget-snippet).' } }, async (request, reply) => {
    const info = await stat(BUNDLE).catch(() => undefined);
    if (!info) throw notFound('The widget is not built yet (npm run build:web); it');
    if (cached?.mtimeMs !== info.mtimeMs) {
      const body = await readFile(BUNDLE);
      cached = { mtimeMs: info.mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    reply
      .header('cache-control', 'public, max-age=300, stale-while-revalidate=86400')
      .header('etag', cached.etag)
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === cached.etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(cached.body);
  });
};

export const snippetOf = (base: string, channelId: string) => {
  const scriptUrl = `${base}/widget.js`;
  return { scriptUrl, snippet: `<script src="${scriptUrl}" data-channel="${channelId}" async></script>` };
};

export const widgetSnippetRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  const base = publicUrl(config);
  const keyring = keyringOf(config);
  app.get(
    '/channels/:id/widget-snippet',
    { schema: { tags: ['channels'], params: z.object({ id: z.uuid() }), description: 'The <script> line that puts a widget channel on a site.', response: { 200: z.object({ snippet: z.string(), scriptUrl: z.string() }) } } },
    async (request) => {
      const channel = await getChannel(db, keyring, actorOf(request), request.params.id);
      if (channel.type !== widgetAdapter.type) throw notFound('Widget channel');
      return snippetOf(base, channel.id);
    },
  );
};
