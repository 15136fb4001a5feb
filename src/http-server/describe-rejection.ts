import { STATUS_CODES } from 'node:http';
import { capText } from '../core/record-error';
import { isSecretName, REDACTED } from '../core/redaction-rules';

/** A request turned away with a 4xx: what a person reading the trace needs to know why. */
export interface Rejection {
  /** The error object when there is one; an error is logged on a span at most once. */
  error: unknown;
  kind: string;
  message: string;
  status: number;
  /** class-validator's ValidationErrors, when the request failed validation. */
  validationErrors?: unknown[];
  /** The messages of a validation that gives only messages (Nest's ValidationPipe: `getResponse().message`). */
  validationMessages?: string[];
}

/** What the log of a rejection may show, and how much of it. */
export interface RejectionPolicy {
  /** Names of the parameters and body fields whose values are secret (see isSecretName). */
  secretNames: ReadonlySet<string>;
  /** Values known to be secret in this request (its secret query and route parameters). */
  secretValues: string[];
}

interface ValidationErrorLike {
  property?: unknown;
  value?: unknown;
  constraints?: unknown;
  children?: unknown;
}

// Caps, so that a rejection cannot bloat a trace: a message as the seed's 4xx log had it, each constraint text,
// the whole list of failed properties (as a JSON text) and how many of them.
const MAX_MESSAGE = 1024;
const MAX_CONSTRAINT = 256;
const MAX_VALIDATION_TEXT = 4096;
const MAX_VALIDATION_ENTRIES = 50;

function kindOf(error: unknown, status: number): string {
  if (error instanceof Error) return error.name || error.constructor?.name || 'Error';
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : (STATUS_CODES[status] ?? 'HttpError');
}

interface AjvErrorLike {
  instancePath?: unknown;
  keyword?: unknown;
  message?: unknown;
  params?: { missingProperty?: unknown };
}

// Fastify's schema validation (Ajv): `error.validation`, one entry per failure, the property as a JSON pointer.
function fromAjv(validation: unknown[]): ValidationErrorLike[] {
  return validation.map((item) => {
    const { instancePath, keyword, message, params } = (item ?? {}) as AjvErrorLike;
    const pointer = typeof instancePath === 'string' ? instancePath.replace(/^\//, '').split('/').join('.') : '';
    const missing = typeof params?.missingProperty === 'string' ? params.missingProperty : '';
    const property = [pointer, missing].filter((part) => part !== '').join('.') || '(body)';
    return { property, constraints: { [typeof keyword === 'string' ? keyword : 'schema']: typeof message === 'string' ? message : 'is invalid' } };
  });
}

function validationErrorsOf(error: unknown): unknown[] | undefined {
  const { errors, validation } = (error ?? {}) as { errors?: unknown; validation?: unknown };
  const looksValidated = Array.isArray(errors) && errors.length > 0 && errors.every((item) => typeof (item as ValidationErrorLike)?.property === 'string');
  if (looksValidated) return errors;
  return Array.isArray(validation) && validation.length > 0 ? fromAjv(validation) : undefined;
}

// Nest's HttpException keeps what it answers in getResponse(): ValidationPipe's refusal lists its messages there.
function validationMessagesOf(error: unknown): string[] | undefined {
  const getResponse = (error as { getResponse?: unknown } | null)?.getResponse;
  if (typeof getResponse !== 'function') return undefined;
  let response: unknown;
  try {
    response = (getResponse as () => unknown).call(error);
  } catch {
    return undefined;
  }
  const messages = (response as { message?: unknown } | null)?.message;
  return Array.isArray(messages) && messages.length > 0 && messages.every((item) => typeof item === 'string') ? (messages as string[]) : undefined;
}

/** The rejection an error describes (a routing-controllers HttpError, a body parser's SyntaxError, ...). */
export function rejectionOfError(error: unknown, status: number): Rejection {
  const message = error instanceof Error ? error.message : String((error as { message?: unknown } | null)?.message ?? error);
  const validationErrors = validationErrorsOf(error);
  const validationMessages = validationErrors === undefined ? validationMessagesOf(error) : undefined;
  return { error, kind: kindOf(error, status), message, status, validationErrors, validationMessages };
}

/** `text` with each of `secrets` replaced by the marker, and (`quotedBody`) the body text a JSON syntax error quotes. */
export function scrub(text: string, secrets: readonly string[], quotedBody = true): string {
  let safe = text;
  for (const secret of secrets) if (secret !== '') safe = safe.split(secret).join(REDACTED);
  if (!quotedBody) return safe;
  // V8 quotes the text around a JSON syntax error ("Unexpected token 'o', "{"pin": nope-k3y9}" is not valid
  // JSON"): that is the request body, whose secret fields cannot be found by name in a body that does not parse.
  // A long body is quoted cut, with `...` on either side (`..."assword": s3cr3t-pw-"... is not valid JSON`).
  return safe.replace(/(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON/, `${REDACTED} is not valid JSON`);
}

function collectValidation(errors: unknown[], prefix: string, policy: RejectionPolicy, out: Array<Record<string, unknown>>): void {
  for (const item of errors) {
    if (out.length >= MAX_VALIDATION_ENTRIES) return;
    const { property, value, constraints, children } = (item ?? {}) as ValidationErrorLike;
    if (typeof property !== 'string') continue;
    const path = prefix === '' ? property : `${prefix}.${property}`;
    // A constraint message may repeat the value ($value); a secret field's value is taken out of it.
    const secrets = isSecretName(property, policy.secretNames) && value !== undefined && value !== null ? [String(value)] : [];
    if (typeof constraints === 'object' && constraints !== null) {
      const texts: Record<string, string> = {};
      for (const [name, text] of Object.entries(constraints)) texts[name] = capText(scrub(String(text), [...secrets, ...policy.secretValues]), MAX_CONSTRAINT);
      out.push({ property: path, constraints: texts });
    }
    if (Array.isArray(children)) collectValidation(children, path, policy, out);
  }
}

/**
 * The fields a rejection adds to a span log: `error.kind`, `message` and, after a failed validation,
 * `validation.errors` (each failed property with its constraint messages, never its value; or, where the
 * validation gives only messages, those), with secret values
 * redacted and every text capped: the message at 1024 characters, a constraint at 256, the list at 4096.
 */
export function rejectionFields(rejection: Rejection, policy: RejectionPolicy): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    'error.kind': rejection.kind,
    message: capText(scrub(rejection.message, policy.secretValues), MAX_MESSAGE),
  };
  if (rejection.validationErrors !== undefined) {
    const entries: Array<Record<string, unknown>> = [];
    collectValidation(rejection.validationErrors, '', policy, entries);
    fields['validation.errors'] = capText(JSON.stringify(entries), MAX_VALIDATION_TEXT);
  } else if (rejection.validationMessages !== undefined) {
    const texts = rejection.validationMessages.slice(0, MAX_VALIDATION_ENTRIES).map((text) => capText(scrub(text, policy.secretValues), MAX_CONSTRAINT));
    fields['validation.errors'] = capText(JSON.stringify(texts), MAX_VALIDATION_TEXT);
  }
  return fields;
}

/** A stack with the same secrets taken out as its message, which it repeats. */
export function scrubbedStack(error: unknown, policy: RejectionPolicy): string | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  return typeof stack === 'string' ? scrub(stack, policy.secretValues) : undefined;
}
