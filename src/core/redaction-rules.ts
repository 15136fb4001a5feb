// What counts as secret, and what a secret is replaced with: shared by the server spans, the HTTP client spans,
// the tags computed from a call and the OpenTelemetry attributes, so it lives in the core, below all of them.

/** What a secret value is replaced with, wherever it would be recorded. */
export const REDACTED = '[REDACTED]';

export const DEFAULT_REDACT_HEADERS: readonly string[] = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'];
export const DEFAULT_REDACT_PARAMS: readonly string[] = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'client_secret',
  'auth',
];

/** A name as any convention writes it, compared: lower case, without `-`, `_`, `.` or spaces. */
function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '');
}

/** Per set of names (an integration's options, made once): one pattern its normalized names end a name with. */
const endingsOfSets = new WeakMap<ReadonlySet<string>, { size: number; pattern: RegExp | undefined }>();

function endingOf(secret: ReadonlySet<string>): RegExp | undefined {
  let kept = endingsOfSets.get(secret);
  if (kept === undefined || kept.size !== secret.size) {
    const names = [...new Set([...secret].map(normalizedName))].filter((name) => name !== '');
    const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    kept = { size: secret.size, pattern: names.length === 0 ? undefined : new RegExp(`(?:${escaped.join('|')})$`) };
    endingsOfSets.set(secret, kept);
  }
  return kept.pattern;
}

/**
 * Whether `name` (a parameter, a body field, a header, a tag) names a secret of `secret` (lower-cased names):
 * the name itself, or one that ends with one whatever its convention (`accessToken`, `new_password`,
 * `user.password`, `X-Auth-Token`), or, written in brackets as qs and PHP write nested fields (`user[password]`,
 * `token[]`), one of its parts. An end, not any part: `author` is no `auth`, and `tokenizer` no `token`.
 */
export function isSecretName(name: string, secret: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  if (secret.has(lower)) return true;
  const ending = endingOf(secret);
  if (ending === undefined) return false;
  const parts = lower.includes('[') ? lower.split(/[[\]]+/) : [lower];
  for (const part of parts) if (ending.test(normalizedName(part))) return true;
  return false;
}
