// Zod types of referral programmes and codes, the invite tree and its report, shared by the
// routes and the services.
import { z } from 'zod';

export const programBody = z.object({
  name: z.string().trim().min(1).max(200),
  /** Where the codes lead: the channel's deep link carries r_<code slug>. */
  channelId: z.uuid(),
  enabled: z.boolean().default(true),
});
export const programPatch = programBody.partial();
export type ProgramInput = z.infer<typeof programBody>;

export const programSchema = z.object({ id: z.uuid(), name: z.string(), channelId: z.uuid(), enabled: z.boolean(), createdAt: z.date() });

/** Whose code: a contact's (一客一码) or a member's (全员营销). */
export const codeBody = z.union([z.object({ contactId: z.uuid() }).strict(), z.object({ memberId: z.uuid() }).strict()]);

export const codeSchema = z.object({
  id: z.uuid(),
  programId: z.uuid(),
  slug: z.string(),
  /** PUBLIC_URL/r/<slug>: the short link the QR code carries. */
  url: z.string(),
  /** r_<slug>: the source arrivals carry (14 characters, within WeCom's State ≤ 30). */
  source: z.string(),
  ownerContactId: z.uuid().nullable(),
  ownerMemberId: z.uuid().nullable(),
  createdAt: z.date(),
  stats: z.object({
    /** Opens of the link. */
    visits: z.number(),
    /** Contacts that arrived on the channel with the code, new or already known (once each). */
    arrivals: z.number(),
    /** Arrivals new to the workspace: the code's owner is their parent in the invite tree. */
    newContacts: z.number(),
    validNewContacts: z.number(),
  }),
});

export const qrQuery = z.object({ size: z.enum(['256', '512', '1024']).default('512') });

const nodeRef = z.object({ kind: z.enum(['contact', 'member']), id: z.uuid(), name: z.string().nullable(), influence: z.number().nullable() });

/** A node for a tree picture: who, their parent, their generation and how they came. */
export const treeNodeSchema = z.object({
  contactId: z.uuid(),
  name: z.string().nullable(),
  influence: z.number().nullable(),
  parent: nodeRef,
  /** Levels below the node asked about (downline) or above the contact (upline): 1 = direct. */
  level: z.number(),
  /** Generation in the whole forest: 1 = brought in by a root. */
  depth: z.number(),
  source: z.enum(['fission', 'referral']),
  /** The fission campaign or referral programme. */
  scopeId: z.uuid(),
  status: z.enum(['counted', 'review', 'voided', 'rejected']),
  createdAt: z.date(),
});

export const uplineSchema = z.object({
  contact: nodeRef.extend({ depth: z.number(), reach: z.number() }),
  /** From the contact's parent up to the root: the last item's parent is the root. */
  items: z.array(treeNodeSchema),
  root: nodeRef,
});

export const downlineQuery = z.object({
  /** Levels below the node; 1 = direct invitees only. */
  maxDepth: z.coerce.number().int().min(1).max(1000).default(1000),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});
export const downlineSchema = z.object({ items: z.array(treeNodeSchema.extend({ children: z.number() })), nextCursor: z.string().nullable() });

export const reportQuery = z
  .object({
    campaignId: z.uuid().optional(),
    programId: z.uuid().optional(),
    top: z.coerce.number().int().min(1).max(100).default(10),
  })
  .refine((q) => !(q.campaignId && q.programId), { message: 'Name a campaign or a programme, not both', path: ['programId'] });

export const reportSchema = z.object({
  scope: z.object({ kind: z.enum(['workspace', 'campaign', 'program']), id: z.uuid().nullable() }),
  /** Edges of the scope in any state, and the counted (valid) ones. */
  invites: z.number(),
  validInvites: z.number(),
  /** Distinct people with at least one valid invite in the scope. */
  inviters: z.number(),
  invitesPerInviter: z.number(),
  /** Of the valid invitees, the share who brought someone themselves (in the scope). */
  reinviterShare: z.number(),
  /** Mean valid invites brought by each valid invitee: invitesPerReinviter × reinviterShare; > 1 grows by itself. */
  kFactor: z.number(),
  /** Per generation (in the scope; the whole forest's for the workspace): invites and valid ones. */
  generations: z.array(z.object({ depth: z.number(), invites: z.number(), validInvites: z.number() })),
  maxDepth: z.number(),
  topSpreaders: z.array(nodeRef.extend({ validInvites: z.number(), reach: z.number() })),
});
