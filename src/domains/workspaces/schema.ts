import { z } from 'zod';

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  locale: z.string(),
  defaultRegion: z.string(),
  identityCollision: z.enum(['refuse', 'merge']),
  createdAt: z.date(),
});

const timezone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'Unknown time zone');

export const workspaceCreateBody = z.strictObject({ name: z.string().trim().min(1).max(100) });

export const workspacePatchBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  timezone: timezone.optional(),
  locale: z.enum(['zh-CN', 'en']).optional(),
  defaultRegion: z.string().regex(/^[A-Z]{2}$/, 'Two-letter region code such as CN').optional(),
  identityCollision: z.enum(['refuse', 'merge']).optional(),
});
