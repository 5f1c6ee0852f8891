import { ATTACHMENT_LIMITS, LIMITS } from '@parley/sdk/protocol';
import { z } from 'zod';

/** Every inbound payload is checked against one of these before any work is done. */
const id = z.string().min(1).max(64);
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const hostUserSchema = z.strictObject({
  id: z.string().min(1).max(LIMITS.userIdMaxChars),
  email: z.string().max(LIMITS.userEmailMaxChars).optional(),
  name: z.string().max(LIMITS.userNameMaxChars).optional(),
});

export const visitorAuthSchema = z.object({
  appId: id,
  visitorToken: z.string().min(1).max(1000).optional(),
  user: hostUserSchema.optional(),
  userHash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
    .optional(),
  userJwt: z.string().min(1).max(4000).optional(),
});

export const agentAuthSchema = z.object({ token: z.string().min(1).max(200) });

export const conversationListSchema = z.strictObject({
  status: z.enum(['open', 'closed']).optional(),
  before: z.iso.datetime().optional(),
  limit: z.number().int().min(1).max(LIMITS.conversationPageMax).optional(),
});

export const messageSendSchema = z
  .strictObject({
    clientId: z.string().min(1).max(LIMITS.clientIdMaxChars),
    conversationId: id.optional(),
    text: z.string().max(LIMITS.messageMaxChars),
    attachmentIds: z.array(id).max(ATTACHMENT_LIMITS.perMessage).optional(),
  })
  .refine((m) => m.text.trim().length > 0 || (m.attachmentIds?.length ?? 0) > 0, {
    path: ['text'],
    message: 'must not be empty',
  });

export const historySchema = z.strictObject({
  conversationId: id,
  beforeSeq: seq.optional(),
  limit: z.number().int().min(1).max(LIMITS.pageMax).optional(),
});

export const syncSchema = z.strictObject({
  conversationId: id,
  afterSeq: seq,
  limit: z.number().int().min(1).max(LIMITS.pageMax).optional(),
});

export const typingSchema = z.strictObject({ conversationId: id, typing: z.boolean() });

export const readSchema = z.strictObject({ conversationId: id, seq });

export const conversationGetSchema = z.strictObject({ conversationId: id });

/** Flat, small attribute objects: at most 50 keys, scalar values, strings capped. */
export const attributesSchema = z
  .record(
    z.string().min(1).max(LIMITS.attributeKeyMaxChars),
    z.union([z.string().max(LIMITS.attributeValueMaxChars), z.number(), z.boolean(), z.null()]),
  )
  .refine((a) => Object.keys(a).length <= LIMITS.attributesMaxKeys, `at most ${LIMITS.attributesMaxKeys} attributes`);

export const visitorUpdateSchema = z.strictObject({
  name: z.string().max(LIMITS.userNameMaxChars).optional(),
  email: z.string().max(LIMITS.userEmailMaxChars).optional(),
  attributes: attributesSchema.optional(),
});

export const conversationUpdateSchema = z.strictObject({ conversationId: id, attributes: attributesSchema });
