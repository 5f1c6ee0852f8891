import {
  type AgentConversation,
  type AgentProfile,
  type Attachment,
  CONVERSATION_STATUSES,
  type ConversationIncident,
  ERROR_CODES,
  INCIDENT_PRIORITIES,
  type Incident,
  type Message,
  type MessageScreening,
  type Note,
  SCREENING_CATEGORIES,
  type VisitorIncident,
  type VisitorProfile,
} from '@parley/sdk/protocol';
import { z } from 'zod';
import { contextSchema } from '../incidents/report.js';
import { text } from '../platform/validation.js';

/**
 * The entities of the REST API as zod schemas: they serialise the answers and describe them
 * in the OpenAPI document. Each is checked against the protocol's type below, so the two
 * cannot drift apart.
 */

const iso = z.string().describe('ISO 8601, UTC');
const attributes = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const attachmentSchema = z
  .object({ id: z.string(), name: z.string(), contentType: z.string(), size: z.number(), path: z.string() })
  .meta({ id: 'Attachment' });

const clause = z.object({ document: z.string(), ref: z.string(), reason: z.string() });
export const screeningSchema = z
  .object({
    action: z.enum(['redact', 'flag']),
    notes: z.array(
      z.object({
        rule: z.string(),
        category: z.enum(SCREENING_CATEGORIES),
        action: z.enum(['redact', 'flag']),
        clause,
        replacements: z.array(z.string()).optional(),
        confidence: z.number().min(0).max(1).optional().describe("A model's or a weaker rule's certainty (0–1)"),
      }),
    ),
  })
  .meta({ id: 'MessageScreening' });

const author = z.object({ type: z.enum(['visitor', 'agent', 'bot']), id: z.string(), name: z.string().nullable() });

export const messageSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    seq: z.number().int(),
    clientId: z.string().nullable(),
    author,
    text: z.string(),
    attachments: z.array(attachmentSchema),
    createdAt: iso,
    screening: screeningSchema.optional(),
  })
  .meta({ id: 'Message' });

export const noteSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    author,
    text: z.string(),
    createdAt: iso,
    screening: screeningSchema.optional(),
  })
  .meta({ id: 'Note', description: 'An internal note: agents see it, the visitor never does.' });

const clientInfoSchema = z.object({
  browser: z.string().nullable(),
  browserVersion: z.string().nullable(),
  os: z.string().nullable(),
  osVersion: z.string().nullable(),
  device: z.enum(['desktop', 'mobile', 'tablet', 'unknown']),
});

const visitorDeviceSchema = clientInfoSchema
  .extend({
    page: z.string().nullable().describe('the page, without its query or fragment'),
    locale: z.string().nullable(),
    timeZone: z.string().nullable(),
    seenAt: iso,
  })
  .meta({
    id: 'VisitorDevice',
    description: 'Browser, OS and device class (never the whole user agent), page, language and time zone.',
  });

export const visitorProfileSchema = z
  .object({
    id: z.string(),
    userId: z.string().nullable(),
    verified: z.boolean(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    attributes,
    device: visitorDeviceSchema
      .nullable()
      .describe('where they were last seen; null if never, or if their browser asked not to be tracked'),
  })
  .meta({ id: 'VisitorProfile' });

export const incidentSchema = z
  .object({
    id: z.string(),
    number: z.number().int().describe('The app\'s running number for it, shown as "#42"'),
    conversationId: z.string(),
    priority: z.enum(INCIDENT_PRIORITIES),
    createdAt: iso,
    responseDueAt: iso,
    area: z.string(),
    details: z.string(),
    impact: z.object({
      usersAffected: z.enum(['one', 'several', 'many']),
      platformState: z.enum(['down', 'degraded', 'working']),
      workaround: z.boolean(),
    }),
    startedAt: iso,
    steps: z.array(z.string()),
    errorMessage: z.string(),
    attachments: z.array(attachmentSchema),
    context: contextSchema.nullable(),
    client: clientInfoSchema,
    suggestedPriority: z.enum(INCIDENT_PRIORITIES),
    status: z.enum(['open', 'resolved']),
    firstResponseAt: iso.nullable(),
    assigneeId: z.string().nullable(),
    breached: z.boolean(),
    visitor: visitorProfileSchema,
  })
  .meta({ id: 'Incident' });

/** The incident beside its conversation, as both sides see it. */
export const conversationIncidentSchema = incidentSchema
  .pick({
    id: true,
    number: true,
    area: true,
    priority: true,
    status: true,
    createdAt: true,
    responseDueAt: true,
    firstResponseAt: true,
  })
  .meta({ id: 'ConversationIncident', description: 'The incident report that opened a conversation.' });

/** What the reporter gets back: the reference and when to expect an answer. */
export const visitorIncidentSchema = incidentSchema
  .pick({
    id: true,
    number: true,
    conversationId: true,
    area: true,
    priority: true,
    createdAt: true,
    responseDueAt: true,
  })
  .meta({ id: 'ReportedIncident' });

export const conversationSchema = z
  .object({
    id: z.string(),
    visitorId: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    createdAt: iso,
    updatedAt: iso,
    lastSeq: z.number().int(),
    visitorLastReadSeq: z.number().int(),
    agentLastReadSeq: z.number().int(),
    unread: z.number().int(),
    lastMessage: messageSchema.nullable(),
    attributes,
    visitor: visitorProfileSchema,
    assigneeId: z.string().nullable(),
    flagged: z.boolean(),
    priority: z.enum(INCIDENT_PRIORITIES).nullable(),
    responseDueAt: iso.nullable(),
    incident: conversationIncidentSchema.nullable().optional(),
  })
  .meta({ id: 'Conversation' });

export const contactSchema = visitorProfileSchema
  .extend({ createdAt: iso, lastSeenAt: iso })
  .meta({ id: 'Contact', description: 'A visitor: anonymous, or a user the host named.' });

export const agentSchema = z
  .object({
    id: z.string(),
    appId: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['admin', 'agent']),
    avatarUrl: z.string().nullable().describe("An https URL of the agent's photo; null shows their initials"),
    disabled: z.boolean().optional(),
  })
  .meta({ id: 'Agent' });

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(['read', 'write']),
    createdBy: z.string(),
    createdAt: iso,
    lastUsedAt: iso.nullable(),
    revokedAt: iso.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const verdictSchema = z
  .object({
    id: z.string(),
    surface: z.enum(['message', 'incident', 'attachment', 'name', 'rate']),
    sender: z.object({ type: z.enum(['visitor', 'agent', 'bot']), id: z.string() }),
    action: z.enum(['redact', 'flag', 'block']),
    categories: z.array(z.string()),
    rules: z.array(z.string()),
    contentHash: z.string().describe('SHA-256 of the screened content, hex'),
    createdAt: iso,
  })
  .meta({ id: 'Verdict' });

/** RFC 9457 problem details, with Parley's stable `code` (docs/PROTOCOL.md#error-codes). */
export const problemSchema = z
  .object({
    type: z.string().describe('urn:parley:error:<code>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(ERROR_CODES),
    fields: z.record(z.string(), z.string()).optional(),
    retryAfterMs: z.number().optional(),
    rule: z.string().optional(),
    category: z.string().optional(),
    clause: clause.optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'Problem' });

// ---- Request pieces shared by routes --------------------------------------------------------

export const idParams = z.object({ id: text(64).min(1) });
export const limitQuery = (max: number, fallback = 50) =>
  z.coerce.number().int().min(1).max(max).default(fallback).describe(`1 to ${max}, default ${fallback}`);
export const cursorQuery = text(200).describe('`nextCursor` of the previous page').optional();
/** `true`/`false` in a query string. */
export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** An opaque cursor: the JSON of the last item's sort keys, base64url. */
export function encodeCursor(keys: string[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

export function decodeCursor(cursor: string, size: number): string[] | undefined {
  try {
    const keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(keys) && keys.length === size && keys.every((k) => typeof k === 'string')) return keys;
  } catch {
    // not ours: refused by the caller
  }
  return undefined;
}

// ---- Kept equal to the protocol's types -----------------------------------------------------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type SchemasMatchTheProtocol = [
  Assert<Same<z.output<typeof attachmentSchema>, Attachment>>,
  Assert<Same<z.output<typeof screeningSchema>, MessageScreening>>,
  Assert<Same<z.output<typeof messageSchema>, Message>>,
  Assert<Same<z.output<typeof noteSchema>, Note>>,
  Assert<Same<z.output<typeof visitorProfileSchema>, VisitorProfile>>,
  Assert<Same<z.output<typeof conversationSchema>, AgentConversation>>,
  Assert<Same<Omit<z.output<typeof agentSchema>, 'disabled'>, AgentProfile>>,
  Assert<Same<z.output<typeof incidentSchema>, Incident>>,
  Assert<Same<z.output<typeof conversationIncidentSchema>, ConversationIncident>>,
  Assert<Same<z.output<typeof visitorIncidentSchema>, VisitorIncident>>,
];
