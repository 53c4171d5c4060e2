// What each channel type asks for, described for clients: the JSON Schema of its settings and of
// its credentials as the API accepts them (fields with defaults optional), and whether events
// reach it over /hooks. The console renders its forms from this, so a new adapter needs no
// console code.
import { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.js';
import { adapterFor, channelTypeNames, type AnyChannelAdapter } from '../../channels/index.js';
import { requireRead } from './channels.js';

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...described } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return described;
}

const describe = (adapter: AnyChannelAdapter) => ({
  type: adapter.type,
  settings: jsonSchemaOf(adapter.settings),
  secrets: jsonSchemaOf(adapter.secrets),
  hooks: adapter.hooks !== false,
  setup: adapter.setup ?? { webhook: adapter.hooks === false ? ('none' as const) : ('paste' as const), steps: [] },
  testable: typeof adapter.testConnection === 'function',
});

let described: Array<ReturnType<typeof describe>> | undefined;

export function listChannelTypes(actor: Actor) {
  requireRead(actor);
  described ??= channelTypeNames.map((type) => describe(adapterFor(type)!));
  return described;
}
