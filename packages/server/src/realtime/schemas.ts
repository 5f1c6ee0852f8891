import { ATTACHMENT_LIMITS, CONVERSATION_STATUSES, LIMITS } from '@parley/sdk/protocol';
import { z } from 'zod';
import { id, text } from '../platform/validation.js';

/**
 * Every inbound payload is checked against one of these before any work is done. Text limits
 * count UTF-16 code units (`text()`), as the protocol documents.
 */
const seq = z.number().int().min(0).max(LIMITS.seqMax);

export const hostUserSchema = z.strictObject({
  id: text(LIMITS.userIdMaxChars).min(1),
  email: text(LIMITS.userEmailMaxChars).optional(),
  name: text(LIMITS.userNameMaxChars).optional(),
});

export const visitorAuthSchema = z.object({
  appId: id,
  visitorToken: text(1000).min(1).optional(),
  user: hostUserSchema.optional(),
  userHash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
    .optional(),
  userJwt: text(4000).min(1).optional(),
  page: text(2000).optional(),
  locale: text(35).optional(),
  timeZone: text(64).optional(),
});

/** A token, or none: the console's session cookie then speaks for the agent. */
export const agentAuthSchema = z.object({ token: text(200).min(1).optional() });

export const conversationListSchema = z.strictObject({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  before: z.iso.datetime().optional(),
  limit: z.number().int().min(1).max(LIMITS.conversationPageMax).optional(),
});

export const messageSendSchema = z
  .strictObject({
    clientId: text(LIMITS.clientIdMaxChars).min(1),
    conversationId: id.optional(),
    text: text(LIMITS.messageMaxChars),
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
    text(LIMITS.attributeKeyMaxChars).min(1),
    z.union([text(LIMITS.attributeValueMaxChars), z.number(), z.boolean(), z.null()]),
  )
  .refine((a) => Object.keys(a).length <= LIMITS.attributesMaxKeys, `at most ${LIMITS.attributesMaxKeys} attributes`);

export const visitorUpdateSchema = z.strictObject({
  name: text(LIMITS.userNameMaxChars).optional(),
  email: text(LIMITS.userEmailMaxChars).optional(),
  attributes: attributesSchema.optional(),
});

export const conversationUpdateSchema = z.strictObject({ conversationId: id, attributes: attributesSchema });
