import { z } from 'zod';
import { ParleyError } from '../errors.js';

/**
 * A string of at most `max` UTF-16 code units: the unit docs/PROTOCOL.md and the sdk count
 * in. (zod's own `.max()` counts code points, so 5,000 emoji would pass a 5,000 limit.)
 */
export function maxUnits(max: number) {
  return (value: string, ctx: z.RefinementCtx) => {
    if (value.length > max) {
      ctx.addIssue({
        code: 'too_big',
        origin: 'string',
        maximum: max,
        inclusive: true,
        input: value,
        message: `at most ${max} characters`,
      });
    }
  };
}

/**
 * `z.string()` limited to `max` UTF-16 code units. (The `.max` beside it never refuses more
 * than the units check does; it puts `maxLength` in the OpenAPI document.)
 */
export const text = (max: number) => z.string().max(max).superRefine(maxUnits(max));

/** An id of ours or a client's: 1 to 64 characters. */
export const id = text(64).min(1);

// U+0000, or a surrogate that is not half of a pair. PostgreSQL's text type cannot hold the
// first and its UTF-8 encoding cannot hold the second; SQLite would store both. Refusing them
// here gives every store the same answer.
const BAD_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when a string holds U+0000 or an unpaired surrogate. */
export function isBadText(value: string): boolean {
  return BAD_TEXT.test(value);
}

/**
 * The path (`text`, `steps.2`, `attributes.<key>`) of the first string or key in a payload
 * that holds U+0000 or an unpaired surrogate; `''` for the payload itself; undefined when clean.
 * Depth is bounded: nothing we accept nests deeper than a few levels.
 */
export function badTextPath(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return isBadText(value) ? path : undefined;
  if (typeof value !== 'object' || value === null || depth > 16) return undefined;
  // Every inbound payload passes here: a clean string is checked where it is, and a path is
  // only written out for what is looked into.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = innerBadTextPath(value[i], path, i, depth);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (isBadText(key)) return joinPath(path, '(key)');
    const found = innerBadTextPath((value as Record<string, unknown>)[key], path, key, depth);
    if (found !== undefined) return found;
  }
  return undefined;
}

function innerBadTextPath(inner: unknown, path: string, key: string | number, depth: number): string | undefined {
  if (typeof inner === 'string') return isBadText(inner) ? joinPath(path, key) : undefined;
  if (typeof inner !== 'object' || inner === null) return undefined;
  return badTextPath(inner, joinPath(path, key), depth + 1);
}

const joinPath = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

export const BAD_TEXT_MESSAGE = 'must not contain U+0000 or unpaired surrogate characters';

/** Refuses a payload with U+0000 or an unpaired surrogate anywhere in it, naming the field. */
export function refuseBadText(payload: unknown, what = 'payload'): void {
  const path = badTextPath(payload);
  if (path === undefined) return;
  const field = path || `(${what})`;
  throw new ParleyError('invalid_payload', `invalid ${what}: ${field}: ${BAD_TEXT_MESSAGE}`, {
    fields: { [field]: BAD_TEXT_MESSAGE },
  });
}

/** Turns a schema failure into the wire: too-long strings and lists are payload_too_large. */
export function payloadError(error: z.ZodError): ParleyError {
  const fields: Record<string, string> = {};
  let tooBig = false;
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '(payload)';
    fields[path] ??= issue.message;
    if (issue.code === 'too_big' && (issue.origin === 'string' || issue.origin === 'array')) tooBig = true;
  }
  const summary = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return tooBig
    ? new ParleyError('payload_too_large', `payload too large: ${summary}`, { fields })
    : new ParleyError('invalid_payload', `invalid payload: ${summary}`, { fields });
}

/**
 * Every inbound payload (socket event, handshake, HTTP body and query) passes here: text no
 * store can keep is refused first, then the schema decides.
 */
export function parse<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  refuseBadText(payload);
  const result = schema.safeParse(payload);
  if (!result.success) throw payloadError(result.error);
  return result.data;
}
