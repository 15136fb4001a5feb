import { SpanKind, type Attributes, type AttributeValue } from '@opentelemetry/api';
import { isSecretName, MAX_TAG_LENGTH, tagValue } from '../core/call-tags';
import { REDACTED } from '../core/redaction-rules';
import { jsonStatementWithoutValues } from './statement-values';

// Jaeger's OTLP translator writes `span.kind` for every kind but an unspecified one; INTERNAL included.
const KIND_TAGS: Record<SpanKind, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

/** The `span.kind` tag of an OpenTelemetry span kind; undefined for a value that is not one. */
export function spanKindTag(kind: SpanKind | undefined): string | undefined {
  return kind === undefined ? undefined : KIND_TAGS[kind];
}

// Attribute keys are few and repeat on every span an instrumentation makes: whether one is secret is worked out
// once. Bounded, should an app make keys up per call.
const secretKeys = new Map<string, boolean>();
const MAX_REMEMBERED_KEYS = 1000;

function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = isSecretName(key);
    if (secretKeys.size < MAX_REMEMBERED_KEYS) secretKeys.set(key, secret);
  }
  return secret;
}

// `scheme://user:password@host`: the userinfo runs to the authority's last `@`, and the password from the first `:`
// in it, as WHATWG URLs and the clients read a password holding `:` or `@`. Instrumentations censor it with a
// pattern that stops at the first of either (instrumentation-amqplib's `messaging.url` kept `ss-word` of
// `p@ss-word`): the whole password goes.
const URL_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^/?#]*@/i;

function withoutUrlPassword(text: string): string {
  return URL_WITH_PASSWORD.test(text) ? text.replace(URL_WITH_PASSWORD, `$1:${REDACTED}@`) : text;
}

/**
 * An attribute value as a tag: strings, numbers and booleans as they are, arrays as their JSON (what Jaeger's
 * OTLP translator makes of an array), long text capped and secret-named keys redacted as for every other tag, a
 * URL's password taken out, a statement recorded as JSON without its values (see statement-values).
 * Undefined for a value OpenTelemetry would drop (undefined, null).
 */
export function attributeTag(key: string, value: AttributeValue | undefined): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (isSecretKey(key)) return REDACTED;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const text = withoutUrlPassword(value);
    const statement = jsonStatementWithoutValues(key, text);
    if (statement !== undefined) return tagValue(key, statement);
    return text.length <= MAX_TAG_LENGTH ? text : tagValue(key, text);
  }
  return tagValue(key, value);
}

/** Copies `attributes` into `tags` as tag values (see attributeTag); returns `tags`. */
export function addAttributeTags(tags: Record<string, unknown>, attributes: Attributes | undefined): Record<string, unknown> {
  if (attributes === undefined) return tags;
  for (const key in attributes) {
    const value = attributeTag(key, attributes[key]);
    if (value !== undefined) tags[key] = value;
  }
  return tags;
}
