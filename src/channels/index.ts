// The channel adapters' public surface for the domains.
export { adapterFor, channelTypeNames } from './registry.js';
export { ChannelError, ChannelPayloadError, channelErrorReasons, messageKinds } from './adapter.js';
export type {
  AnyChannelAdapter, Automated, Capabilities, ChannelAdapter, ChannelErrorReason, ChannelRuntime, ConnectionInfo, FetchedMedia, HookAnswer, InboundAttachment, InboundMessage,
  InboundRequest, LinkCard, Location, MediaRef, MessageContent, MessageKind, NormalisedEvent, OutboundMessage, RelationFacts, Sender, SetupGuide, TemplateInfo, TemplateRef, EntryRegistration, RegisteredEntry,
} from './adapter.js';
