import { capText } from '../core/record-error';
import { REDACTED } from '../core/redaction-rules';

/** Headers with the values of secret ones replaced and long values cut; names lower-cased. */
export function redactHeaders(headers: Record<string, unknown>, secret: Set<string>, maxLength: number): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    safe[lower] = secret.has(lower) ? REDACTED : capText(Array.isArray(value) ? value.join(', ') : String(value), maxLength);
  }
  return safe;
}

/** Parameters (query or route) with secret ones redacted, matched by lower-cased name. */
export function redactParams(params: Record<string, unknown>, secret: Set<string>, maxLength: number): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (secret.has(name.toLowerCase())) safe[name] = REDACTED;
    else if (typeof value === 'string') safe[name] = capText(value, maxLength);
    else safe[name] = value;
  }
  return safe;
}

const MAX_BODY_DEPTH = 8;

/**
 * A request body as it may be recorded: secret keys redacted at any depth of objects and arrays, a form-encoded
 * string body (`user=ada&password=x`) redacted by parameter name, strings capped. Deeper than 8 levels: cut.
 */
export function redactBody(body: unknown, secret: Set<string>, maxLength: number, depth = 0): unknown {
  if (typeof body === 'string') {
    const looksLikeForm = /^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(body);
    if (looksLikeForm) {
      const params = new URLSearchParams(body);
      for (const name of [...params.keys()]) if (secret.has(name.toLowerCase())) params.set(name, REDACTED);
      return capText(params.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED), maxLength);
    }
    return capText(body, maxLength);
  }
  if (typeof body !== 'object' || body === null) return body;
  if (depth >= MAX_BODY_DEPTH) return '[…]';
  if (Array.isArray(body)) return body.map((item) => redactBody(item, secret, maxLength, depth + 1));
  const safe: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    safe[name] = secret.has(name.toLowerCase()) ? REDACTED : redactBody(value, secret, maxLength, depth + 1);
  }
  return safe;
}

function decodedName(segment: string): string {
  const name = segment.split('=', 1)[0].replace(/\+/g, ' ');
  try {
    return decodeURIComponent(name).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

function hasSecretParam(url: string, secret: Set<string>): boolean {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return false;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart < 0 ? undefined : hashStart);
  return query.split('&').some((segment) => secret.has(decodedName(segment)));
}

/**
 * A request URL as it may be recorded: credentials (`user:pass@`) and secret query parameters redacted.
 * Accepts a path with query (`/users?token=x`) or an absolute URL.
 */
export function redactUrl(url: string, secret: Set<string>): string {
  // Fast path, taken by most requests: nothing that could hold a secret, so no URL parsing at all.
  if (!url.includes('@') && !hasSecretParam(url, secret)) return url;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://placeholder');
  } catch {
    return url.split('?')[0];
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = parsed.username === '' ? '' : REDACTED;
    parsed.password = parsed.password === '' ? '' : REDACTED;
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (secret.has(name.toLowerCase())) parsed.searchParams.set(name, REDACTED);
  }
  // URLSearchParams encodes the brackets; keep the marker readable.
  const text = (absolute ? parsed.href : `${parsed.pathname}${parsed.search}`).replaceAll(encodeURIComponent(REDACTED), REDACTED);
  return text;
}
