// The subset of Telegram Bot API objects Renmai reads (https://core.telegram.org/bots/api#update).
// Unknown fields are ignored; ids may exceed 32 bits (at most 52 significant bits: exact as JS
// numbers) and are kept as strings from here on.
import { z } from 'zod';

const id = z.number().int();

export const user = z.object({
  id,
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
export type TelegramUser = z.infer<typeof user>;

export const chat = z.object({
  id,
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});

const file = { file_id: z.string().min(1), file_unique_id: z.string().optional(), file_size: z.number().optional() };
const photoSize = z.object({ ...file, width: z.number(), height: z.number() });

export const message = z.object({
  message_id: id,
  from: user.optional(),
  chat,
  date: z.number().int(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(photoSize).optional(),
  document: z.object({ ...file, file_name: z.string().optional(), mime_type: z.string().optional() }).optional(),
  voice: z.object({ ...file, mime_type: z.string().optional() }).optional(),
  audio: z.object({ ...file, file_name: z.string().optional(), mime_type: z.string().optional(), title: z.string().optional() }).optional(),
  video: z.object({ ...file, file_name: z.string().optional(), mime_type: z.string().optional() }).optional(),
  video_note: z.object({ ...file }).optional(),
  sticker: z
    .object({ ...file, emoji: z.string().optional(), is_animated: z.boolean().optional(), is_video: z.boolean().optional(), thumbnail: photoSize.optional() })
    .optional(),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  venue: z.object({ title: z.string(), address: z.string() }).optional(),
  contact: z.object({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional(), user_id: id.optional() }).optional(),
  new_chat_members: z.array(user).optional(),
  left_chat_member: user.optional(),
});
export type TelegramMessage = z.infer<typeof message>;

const memberStatus = z.object({ status: z.string(), user });

export const update = z.object({
  update_id: id,
  message: message.optional(),
  edited_message: message.optional(),
  my_chat_member: z.object({ chat, from: user, date: z.number().int(), old_chat_member: memberStatus, new_chat_member: memberStatus }).optional(),
});
export type TelegramUpdate = z.infer<typeof update>;

/** Every Bot API answer (https://core.telegram.org/bots/api#making-requests). */
export const answer = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional(), migrate_to_chat_id: z.number().optional() }).optional(),
});

export const sentMessage = z.object({ message_id: id, chat: z.object({ id }) });
export const fileInfo = z.object({ file_id: z.string(), file_path: z.string().optional(), file_size: z.number().optional() });
export const me = z.object({ id, first_name: z.string(), username: z.string().optional(), is_bot: z.boolean().optional() });
