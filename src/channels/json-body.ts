// A webhook body that is JSON, read against the provider's schema: what cannot be read is a
// ChannelPayloadError (400, nothing stored) naming where the body departs from the schema.
import type { z } from 'zod';
import { ChannelPayloadError } from './adapter.js';

/** `what` names the expected body in the error ("a LINE webhook"). */
export function readJsonBody<T>(rawBody: Buffer, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new ChannelPayloadError('The body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ChannelPayloadError(`The body is not ${what}`, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return parsed.data;
}
