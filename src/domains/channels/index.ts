// The channels domain's public surface: configuring channels, and the live channel (adapter,
// settings, decrypted credentials, rate) that the inbox's hook route and send job work with.
export { channelRoutes } from './routes.js';
export { getChannel, type Channel } from './channels.js';
export { channelForHook, liveChannel, channelProfile, channelEntry, entryLinkOf, recordRefusal, recordEventSeen, recordCredentialState, type LiveChannel, type ChannelProfile } from './runtime.js';
export { takeSendToken, pauseSends, type Rate } from './rate-limit.js';
export { keyringOf, type Keyring } from './secrets.js';
export { channelRelations, type RelationFactsJob } from './relations.js';
export { databaseTokenStore } from './token-store.js';
export { channelActor } from './actor.js';
export { registerChannelEntry } from './connection.js';
