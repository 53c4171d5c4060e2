// Composes the HTTP application: platform conventions, then every domain's routes under /api/v1.
import type { FastifyInstance } from 'fastify';
import { auditRoutes } from './platform/audit/routes.js';
import { authRoutes } from './platform/auth/routes.js';
import { jobRoutes } from './platform/queue/routes.js';
import type { AppContext } from './platform/http/context.js';
import { registerConsole } from './platform/http/console.js';
import { healthRoutes } from './platform/http/health.js';
import { registerOpenApi } from './platform/http/openapi.js';
import { createServer } from './platform/http/server.js';
import { importRoutes } from './domains/imports/index.js';
import { invitationRoutes, memberRoutes, roleRoutes, teamRoutes, workspaceRoutes } from './domains/workspaces/index.js';
import { mergeRoutes } from './domains/merges/index.js';
import { batchRoutes, contactRoutes, customFieldRoutes, exportRoutes, stageRoutes, tagRoutes, viewRoutes } from './domains/contacts/index.js';
import { notificationRoutes, taskRoutes, timelineRoutes } from './domains/timeline/index.js';
import { rfmRoutes } from './domains/rfm/index.js';
import { tagRuleRoutes } from './domains/autotag/index.js';
import { preferenceRoutes } from './domains/preferences/index.js';
import { segmentRoutes } from './domains/segments/index.js';
import { channelRoutes } from './domains/channels/index.js';
import { assignmentRoutes, conversationRoutes, hookRoutes, inboxRealtime, messageRoutes } from './domains/inbox/index.js';
import { widgetRoutes, widgetScriptRoute, widgetSnippetRoutes } from './domains/widget/index.js';
import { autoreplyRoutes, csatPageRoutes } from './domains/autoreplies/index.js';
import { liveCodePageRoutes, liveCodeRoutes } from './domains/livecodes/index.js';
import { groupCodePageRoutes, groupCodeRoutes } from './domains/groupcodes/index.js';
import { fissionPageRoutes, fissionRoutes } from './domains/fission/index.js';
import { pointsRoutes } from './domains/points/index.js';
import { referralPageRoutes, referralRoutes } from './domains/referrals/index.js';
import { registerRealtime } from './platform/realtime/index.js';
import { version } from './version.js';

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = await createServer(ctx);
  await registerOpenApi(app, version);
  // The members' websocket (/api/v1/realtime) and the LISTEN that feeds it; domains add their events.
  await registerRealtime(app, [inboxRealtime(ctx.config)]);
  await app.register(healthRoutes);
  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(workspaceRoutes);
      await api.register(memberRoutes);
      await api.register(invitationRoutes);
      await api.register(teamRoutes);
      await api.register(roleRoutes);
      await api.register(auditRoutes);
      await api.register(jobRoutes);
      await api.register(importRoutes);
      await api.register(mergeRoutes);
      await api.register(tagRoutes);
      await api.register(contactRoutes);
      await api.register(customFieldRoutes);
      await api.register(stageRoutes);
      await api.register(viewRoutes);
      await api.register(batchRoutes);
      await api.register(exportRoutes);
      await api.register(timelineRoutes);
      await api.register(taskRoutes);
      await api.register(notificationRoutes);
      await api.register(rfmRoutes);
      await api.register(tagRuleRoutes);
      await api.register(preferenceRoutes);
      await api.register(segmentRoutes);
      await api.register(channelRoutes);
      await api.register(conversationRoutes);
      await api.register(messageRoutes);
      await api.register(assignmentRoutes);
      await api.register(autoreplyRoutes);
      await api.register(widgetSnippetRoutes);
      await api.register(liveCodeRoutes);
      await api.register(groupCodeRoutes);
      await api.register(fissionRoutes);
      await api.register(pointsRoutes);
      await api.register(referralRoutes);
    },
    { prefix: '/api/v1' },
  );
  // Provider webhooks, outside /api/v1: the provider authenticates by signature, not by API key.
  await app.register(hookRoutes);
  // The satisfaction survey's public page (the link's token is the credential).
  await app.register(csatPageRoutes);
  // A live code's short link /c/<slug>: public, it records the scan and sends the visitor on.
  await app.register(liveCodePageRoutes);
  // A group code's short link /g/<slug> and its groups' QR images: public.
  await app.register(groupCodePageRoutes);
  // A fission participant's personal link /f/<token>, their page and poster: public.
  await app.register(fissionPageRoutes(ctx.config));
  // A referral code's short link /r/<slug>: public, it records the visit and sends the visitor on.
  await app.register(referralPageRoutes);
  // The live-chat widget's visitors (their own token, the channel's allowed origins) and its script.
  await app.register(widgetRoutes);
  await app.register(widgetScriptRoute);
  await registerConsole(app);
  return app;
}
