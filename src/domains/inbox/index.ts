// The inbox domain's public surface: its routes (API and provider webhooks), its part of the
// realtime socket, its background jobs and the worker's assignment sweep. Other domains react to
// its events (events.ts), not to its internals.
export { conversationRoutes } from './conversations-routes.js';
export { messageRoutes } from './messages-routes.js';
export { hookRoutes } from './hooks-routes.js';
export { assignmentRoutes } from './assignment/routes.js';
export { startAssignmentSweep } from './assignment/sweep.js';
export { inboxRealtime } from './live/socket.js';
export { inboxJobs } from './deps.js';
export { inboxEvents } from './events.js';
// Intake that is not HTTP (e-mail): the raw entry point, the SMTP listener and IMAP polling.
export { receiveRaw } from './mail-intake.js';
export { startMailListener } from './mail-listener.js';
export { startMailPolling } from './mail-poll.js';
export { startProviderPolling } from './provider-poll.js';
// Automatic messages (auto-replies, welcome, away, surveys) for the autoreplies domain, and the conversation a template is rendered for.
export { queueAutomaticMessage, type AutomaticMessage, type AutomaticResult } from './automatic.js';
export { getConversation } from './conversations.js';
// For the live-chat widget (src/domains/widget): its visitors' messages go to the same intake, with
// the same attachment limits; their typing reaches the agents who see the conversation.
export { storeEvents } from './intake.js';
export { inboxDeps } from './deps.js';
export { checkFile, readStored, storeFile, type AttachmentLimits } from './attachments.js';
export { sendFile } from './serve-file.js';
export { channelKey, conversationKey, currentAccess, publishToViewers, CONVERSATION_GUARD } from './live/notices.js';
