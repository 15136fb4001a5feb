import type { Span } from 'opentracing';
import { DEFAULT_REDACT_HEADERS, DEFAULT_REDACT_PARAMS, isSecretName as namesSecret, REDACTED } from './redaction-rules';
import { reportTracingFailure } from './guard';
import { capText } from './record-error';

/** Tags computed from a call: tag names to values. `undefined` values are left out. */
export type CallTags = Record<string, unknown>;

/** The longest string a computed tag keeps, as for request data and error messages. */
export const MAX_TAG_LENGTH = 4096;

// A tag named like one of these, or ending like one (e.g. `user.password`, `api_key`, `accessToken`), is
// redacted, whatever computed it: the names request data is redacted by (see isSecretName in redaction-rules).
const SECRET_NAMES = new Set([...DEFAULT_REDACT_PARAMS, ...DEFAULT_REDACT_HEADERS]);

export function isSecretName(name: string): boolean {
  return namesSecret(name, SECRET_NAMES);
}

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A value as a tag may hold it: strings capped, numbers and booleans as they are, bigints as decimal text,
 * anything else as its JSON (capped), so an object passed by mistake shows what it held rather than
 * `[object Object]`. Secret names are redacted.
 */
export function tagValue(name: string, value: unknown): string | number | boolean {
  if (isSecretName(name)) return REDACTED;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return capText(value, MAX_TAG_LENGTH);
  if (typeof value === 'bigint') return value.toString();
  return capText(describeValue(value), MAX_TAG_LENGTH);
}

/**
 * Sets the tags `compute` returns on `span`. `compute` is user code: if it throws, or returns something that
 * is not an object, that is a tracing failure, said once per `what`, and the call goes on untouched.
 */
export function setComputedTags(span: Span, what: string, compute: () => CallTags | undefined | void): void {
  let tags: CallTags | undefined | void;
  try {
    tags = compute();
  } catch (error) {
    reportTracingFailure(what, error);
    return;
  }
  if (tags !== undefined) setTags(span, tags, what);
}

/** Sets computed `tags` (redacted and capped) on `span`; anything but an object is a failure said once per `what`. */
export function setTags(span: Span, tags: CallTags | null, what: string): void {
  if (tags === null) return;
  if (typeof tags !== 'object') {
    reportTracingFailure(what, new TypeError(`expected an object of tag names to values, got ${typeof tags}`));
    return;
  }
  try {
    for (const name of Object.keys(tags)) {
      const value = tags[name];
      if (value !== undefined) span.setTag(name, tagValue(name, value));
    }
  } catch (error) {
    reportTracingFailure(what, error);
  }
}
