import { z } from 'zod';
import { allPermissions, dataScopes } from './permissions.js';

export const loginBody = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});

export const passwordChangeBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});

export const profilePatchBody = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  locale: z.enum(['zh-CN', 'en']).optional(),
});

export const switchWorkspaceBody = z.strictObject({ workspaceId: z.uuid() });

export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), locale: z.string() });

export const meSchema = z.object({
  user: userSchema,
  workspace: z
    .object({ id: z.string(), name: z.string(), timezone: z.string(), locale: z.string(), defaultRegion: z.string(), identityCollision: z.enum(['refuse', 'merge']) })
    .nullable(),
  member: z
    .object({
      id: z.string(),
      role: z.object({ id: z.string(), key: z.string().nullable(), name: z.string(), scope: z.enum(dataScopes) }),
      permissions: z.array(z.string()),
      teamIds: z.array(z.string()),
    })
    .nullable(),
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), roleName: z.string() })),
});

export const permissionSchema = z.enum(allPermissions as [string, ...string[]]);

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  owner: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

export const apiKeyCreateBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(permissionSchema).min(1),
  expiresAt: z.coerce.date().nullable().optional(),
});
