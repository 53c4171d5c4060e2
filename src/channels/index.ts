// The channel adapters' public surface for the domains.
export { adapterFor, channelTypeNames } from './registry.js';
export { ChannelError, ChannelPayloadError, messageKinds } from './adapter.js';
export type {
  AnyChannelAdapter, Automated, Capabilities, ChannelAdapter, ChannelRuntime, HookAnswer, InboundAttachment, InboundMessage, InboundRequest, LinkCard, Location,
  MessageContent, MessageKind, NormalisedEvent, OutboundMessage, Sender,
} from './adapter.js';
