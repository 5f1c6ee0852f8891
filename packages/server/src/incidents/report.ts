import {
  type ErrorContext,
  INCIDENT_LIMITS,
  type IncidentReport,
  LIMITS,
  SCRUB_KINDS,
  type ScrubKind,
} from '@parley/sdk/protocol';
import { scrubText } from '@parley/sdk/scrub';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { ParleyError } from '../errors.js';
import { newId } from '../ids.js';
import { parseUserAgent } from '../platform/user-agent.js';
import { id, maxUnits, text } from '../platform/validation.js';
import { mergeScreenings } from '../screening/screener.js';
import type { NewIncident, Store, VisitorRecord } from '../store/index.js';
import { responseDueAt, suggestPriority } from './priority.js';

// The collector cuts messages at 1,024 characters and stack frames at 300, and appends "…";
// the schema allows a little over that and refuses anything clearly larger.
const isoTime = z.iso.datetime({ offset: true });
const int = z.number().int();

const capturedError = z.strictObject({
  kind: z.enum(['error', 'unhandledrejection']),
  message: text(1100),
  stack: z.array(text(320)).max(50),
  source: text(1100).nullable(),
  line: int.nullable(),
  column: int.nullable(),
  count: int.min(1),
  firstAt: isoTime,
  lastAt: isoTime,
});

const breadcrumb = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('console'), level: z.enum(['error', 'warn']), message: text(1100), at: isoTime }),
  z.strictObject({
    type: z.literal('request'),
    method: text(16),
    url: text(1100),
    status: int.min(0).max(999).nullable(),
    durationMs: z.number().min(0),
    at: isoTime,
  }),
  z.strictObject({ type: z.literal('navigation'), from: text(1100), to: text(1100), at: isoTime }),
  z.strictObject({ type: z.literal('click'), selector: text(300), at: isoTime }),
]);

const environment = z.strictObject({
  userAgent: text(1000),
  clientHints: z
    .strictObject({
      brands: z.array(text(100)).max(20).optional(),
      mobile: z.boolean().optional(),
      platform: text(100).optional(),
    })
    .nullable(),
  language: text(50),
  timeZone: text(100),
  viewport: z.strictObject({ width: int.min(0), height: int.min(0) }),
  screen: z.strictObject({ width: int.min(0), height: int.min(0), pixelRatio: z.number().min(0) }),
  url: text(1100),
  referrer: text(1100),
  online: z.boolean(),
  appVersion: text(100).nullable(),
  userId: text(LIMITS.userIdMaxChars).nullable(),
});

export const contextSchema = z.strictObject({
  errors: z.array(capturedError).max(10),
  breadcrumbs: z.array(breadcrumb).max(100),
  environment: environment.nullable(),
  scrubbed: z.array(z.enum(SCRUB_KINDS)).max(SCRUB_KINDS.length),
  droppedBreadcrumbs: int.min(0),
});

const required = 'required';
export const reportSchema = z.strictObject({
  clientId: text(LIMITS.clientIdMaxChars).min(1, required),
  area: z.string().trim().min(1, required).superRefine(maxUnits(INCIDENT_LIMITS.areaMaxChars)),
  details: z.string().trim().superRefine(maxUnits(INCIDENT_LIMITS.detailsMaxChars)).optional(),
  impact: z.strictObject({
    usersAffected: z.enum(['one', 'several', 'many']),
    platformState: z.enum(['down', 'degraded', 'working']),
    workaround: z.boolean(),
  }),
  startedAt: isoTime,
  steps: z
    .array(z.string().trim().min(1, required).superRefine(maxUnits(INCIDENT_LIMITS.stepMaxChars)))
    .max(INCIDENT_LIMITS.stepsMax),
  errorMessage: z.string().trim().superRefine(maxUnits(INCIDENT_LIMITS.errorMessageMaxChars)),
  attachmentIds: z.array(id).max(10).optional(),
  context: contextSchema.nullable().optional(),
});

/** Allowance for a browser clock that runs a little ahead of the server's. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Validates a report (every problem named by field), scrubs its context again (the page did,
 * but the server does not rely on it), and stores it with the priority section C suggests
 * and its deadline. The report, its conversation, first message and files land together or
 * not at all.
 */
export async function receiveReport(
  ctx: ServerContext,
  visitor: VisitorRecord,
  report: IncidentReport,
  userAgentHeader: string | undefined,
  onStored?: NewIncident['onStored'],
): ReturnType<Store['incidents']['create']> {
  const now = ctx.clock();
  if (Date.parse(report.startedAt) > now.getTime() + CLOCK_SKEW_MS) {
    throw new ParleyError('invalid_payload', 'startedAt: must not be in the future', {
      fields: { startedAt: 'must not be in the future' },
    });
  }
  const context = report.context ? scrubContext(report.context) : null;
  if (context && Buffer.byteLength(JSON.stringify(context)) > INCIDENT_LIMITS.contextMaxBytes) {
    throw new ParleyError('payload_too_large', 'context: larger than 256 KB', {
      fields: { context: 'larger than 256 KB' },
    });
  }
  // Screened before anything is stored, field by field: a blocked field names itself.
  const screen = (field: string, text: string) =>
    ctx.screening.screen({
      appId: visitor.appId,
      surface: 'incident',
      sender: { type: 'visitor', id: visitor.id, name: visitor.name },
      text,
      field,
    });
  const area = await screen('area', report.area);
  const details = await screen('details', report.details ?? '');
  const steps = await Promise.all(report.steps.map((step, i) => screen(`steps.${i}`, step)));
  const errorMessage = await screen('errorMessage', scrubText(report.errorMessage).text);
  const screening = mergeScreenings([area, details, errorMessage, ...steps].map((s) => s.screening));
  const priority = suggestPriority(report.impact);
  const env = context?.environment;
  const { context: _sent, ...fields } = report;
  return ctx.store.incidents.create({
    ...(onStored ? { onStored } : {}),
    id: newId('inc'),
    appId: visitor.appId,
    visitor,
    report: {
      ...fields,
      area: area.text,
      ...(report.details ? { details: details.text } : {}),
      steps: steps.map((s) => s.text),
      errorMessage: errorMessage.text,
      context,
    },
    // The conversation opens with the report in the visitor's own words (no labels: the server
    // does not know their language); agents get every field with the incident itself.
    messageText: [area.text, details.text, errorMessage.text, steps.map((s, i) => `${i + 1}. ${s.text}`).join('\n')]
      .filter(Boolean)
      .join('\n\n')
      .slice(0, LIMITS.messageMaxChars),
    ...(screening ? { screening } : {}),
    client: parseUserAgent(env?.userAgent ?? userAgentHeader ?? '', env?.clientHints),
    priority,
    responseDueAt: responseDueAt(now, priority).toISOString(),
    now: now.toISOString(),
  });
}

/** Every string of the context through the scrubber; what it removed joins the list. */
export function scrubContext(context: ErrorContext): ErrorContext {
  const removed = new Set<ScrubKind>(context.scrubbed);
  const clean = <T>(value: T): T => {
    if (typeof value === 'string') {
      const s = scrubText(value);
      for (const kind of s.removed) removed.add(kind);
      return s.text as T;
    }
    if (Array.isArray(value)) return value.map(clean) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)])) as T;
    }
    return value;
  };
  const { scrubbed: _listed, ...rest } = context;
  return { ...clean(rest), scrubbed: [...removed].sort() };
}
