import { capText } from '../core/record-error';
import { isSecretName, REDACTED } from '../core/redaction-rules';

// Request headers whose value is a URL, whose query may carry the same secrets as the request's own: HTTP/2's
// `:path` is the request's URL itself, a `Referer` the page's (an OAuth callback's `?code=` or `?token=`).
const URL_HEADERS = new Set([':path', 'referer', 'x-original-url', 'x-rewrite-url', 'x-forwarded-uri']);

/** Whether a header is secret: named as a secret header (`proxy-authorization`) or a secret parameter (`x-auth-token`) is. */
export function isSecretHeader(name: string, secretHeaders: ReadonlySet<string>, secretParams: ReadonlySet<string>): boolean {
  return isSecretName(name, secretHeaders) || isSecretName(name, secretParams);
}

/**
 * Headers with the values of secret ones (see isSecretHeader) replaced and long values cut; names lower-cased. A
 * header that holds a URL has its secret parameters and credentials redacted as the request's URL has.
 */
export function redactHeaders(
  headers: Record<string, unknown>,
  secretHeaders: ReadonlySet<string>,
  secretParams: ReadonlySet<string>,
  maxLength: number,
): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (isSecretHeader(lower, secretHeaders, secretParams)) {
      safe[lower] = REDACTED;
      continue;
    }
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    safe[lower] = capText(URL_HEADERS.has(lower) ? redactUrl(text, secretParams) : text, maxLength);
  }
  return safe;
}

/** Parameters (query or route) with secret ones redacted, matched by name (see isSecretName). */
export function redactParams(params: Record<string, unknown>, secret: ReadonlySet<string>, maxLength: number): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (isSecretName(name, secret)) safe[name] = REDACTED;
    else if (typeof value === 'string') safe[name] = capText(value, maxLength);
    else safe[name] = value;
  }
  return safe;
}

const MAX_BODY_DEPTH = 8;

/** A form-encoded text (`user=ada&password=x&remember`) with its secret fields redacted; undefined if it holds none. */
function redactedForm(text: string, secret: ReadonlySet<string>): string | undefined {
  const params = new URLSearchParams(text);
  let found = false;
  for (const name of new Set(params.keys())) {
    if (!isSecretName(name, secret)) continue;
    params.set(name, REDACTED);
    found = true;
  }
  return found ? params.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED) : undefined;
}

/** A body the app kept as text: JSON or form-encoded fields are redacted by name, as a parsed body's are. */
function redactText(text: string, secret: ReadonlySet<string>, maxLength: number, depth: number): unknown {
  if (/^\s*[[{]/.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return capText(text, maxLength);
    }
    return redactBody(parsed, secret, maxLength, depth);
  }
  if (text.includes('=') && !/\s/.test(text.trim())) return capText(redactedForm(text.trim(), secret) ?? text, maxLength);
  return capText(text, maxLength);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A request body as it may be recorded: secret keys redacted at any depth of objects and arrays; a body kept as
 * text (express.text(), a form or JSON not parsed) or as bytes (express.raw(), as its UTF-8 text) redacted by
 * field name when it is JSON or form-encoded; strings capped. Bytes that are no UTF-8 text are not shown, only
 * counted. Deeper than 8 levels: cut.
 */
export function redactBody(body: unknown, secret: ReadonlySet<string>, maxLength: number, depth = 0): unknown {
  if (typeof body === 'string') return redactText(body, secret, maxLength, depth);
  if (body instanceof Uint8Array) {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      return `[binary, ${body.length} bytes]`;
    }
    return redactText(text, secret, maxLength, depth);
  }
  if (typeof body !== 'object' || body === null) return body;
  if (depth >= MAX_BODY_DEPTH) return '[…]';
  if (Array.isArray(body)) return body.map((item) => redactBody(item, secret, maxLength, depth + 1));
  const safe: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    safe[name] = isSecretName(name, secret) ? REDACTED : redactBody(value, secret, maxLength, depth + 1);
  }
  return safe;
}

/** `text` percent-decoded, or as it is where it is not valid percent-encoding. */
export function decodedOrSelf(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function decodedName(segment: string): string {
  return decodedOrSelf(segment.split('=', 1)[0].replace(/\+/g, ' '));
}

function hasSecretParam(url: string, secret: ReadonlySet<string>): boolean {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return false;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart < 0 ? undefined : hashStart);
  return query.split('&').some((segment) => isSecretName(decodedName(segment), secret));
}

/** The longest `http.url` recorded: a client chooses a URL's length, and a span over a datagram's size is lost. */
export const MAX_URL_TAG_LENGTH = 2048;

// The authority of an absolute-form (`http://user:pass@host/...`) or scheme-relative (`//user@host/...`) target.
const AUTHORITY = /^((?:[a-z][a-z0-9+.-]*:)?\/\/)([^/?#]*)/i;

/** `user:password@` of an authority with each part that is there redacted. */
function redactedUserinfo(userinfo: string): string {
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  const password = colon < 0 ? undefined : userinfo.slice(colon + 1);
  return `${user === '' ? '' : REDACTED}${password === undefined ? '' : `:${password === '' ? '' : REDACTED}`}`;
}

/** `segments` (`a=1&token=x`) with the value of each whose decoded name is secret redacted, the rest as they were. */
function redactSegments(segments: string, secret: ReadonlySet<string>): string {
  const parts = segments.split('&');
  for (let i = 0; i < parts.length; i += 1) {
    if (isSecretName(decodedName(parts[i]), secret)) parts[i] = `${parts[i].split('=', 1)[0]}=${REDACTED}`;
  }
  return parts.join('&');
}

/**
 * The query's and the fragment's parameters (an OAuth `#access_token=`) whose decoded names are secret with their
 * values redacted, every other byte as it was.
 */
function redactParameters(url: string, secret: ReadonlySet<string>): string {
  const queryStart = url.indexOf('?');
  const hashStart = url.indexOf('#', queryStart < 0 ? 0 : queryStart);
  const pathEnd = queryStart >= 0 ? queryStart : hashStart >= 0 ? hashStart : url.length;
  let text = url.slice(0, pathEnd);
  if (queryStart >= 0) text += `?${redactSegments(url.slice(queryStart + 1, hashStart < 0 ? url.length : hashStart), secret)}`;
  if (hashStart >= 0) text += `#${redactSegments(url.slice(hashStart + 1), secret)}`;
  return text;
}

/** What WHATWG's parser makes of `url`: the old way of redacting, kept for the credentials it finds where we do not. */
function normalizedRedacted(url: string, parsed: URL, secret: ReadonlySet<string>): string {
  const absolute = /^[\u0000-\u0020]*[a-z][a-z0-9+.\-\t\n\r]*:/i.test(url);
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = parsed.username === '' ? '' : REDACTED;
    parsed.password = parsed.password === '' ? '' : REDACTED;
  }
  for (const name of new Set(parsed.searchParams.keys())) {
    if (isSecretName(name, secret)) parsed.searchParams.set(name, REDACTED);
  }
  // URLSearchParams encodes the brackets; keep the marker readable.
  return (absolute ? `${parsed.origin}${parsed.pathname}${parsed.search}` : `${parsed.pathname}${parsed.search}`).replaceAll(
    encodeURIComponent(REDACTED),
    REDACTED,
  );
}

/**
 * A request URL as it may be recorded: credentials (`user:pass@`) and the values of secret query parameters
 * redacted, every other character as the client sent it. Not through WHATWG's URL parser where it can be
 * helped: it resolves dot segments (`%2e%2e` too), turns `\` into `/` and re-encodes the query, so a
 * path-traversal probe (`/files/a@b/%2e%2e/%2e%2e/etc/passwd`) was recorded as a request for another path
 * (`/etc/passwd`). Where the parser finds credentials that the text, as sent, does not show as plainly (it also
 * reads `http:\\u:p@host`, a tab inside the scheme, a leading space), its redacted form is recorded, as before.
 * Accepts a path with query (`/users?token=x`) or an absolute URL.
 */
export function redactUrl(url: string, secret: ReadonlySet<string>): string {
  // Fast path, taken by most requests: nothing that could hold a secret.
  if (!url.includes('@')) return hasSecretParam(url, secret) ? redactParameters(url, secret) : url;
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://placeholder');
  } catch {
    // Not a URL at all (an authority that does not parse, `http://u:pa?x@host/`): its path only, as before.
    return url.split(/[?#]/, 1)[0].split('@', 1)[0];
  }
  let text = url;
  const authority = AUTHORITY.exec(text);
  if (authority !== null && authority[2].includes('@')) {
    const at = authority[2].lastIndexOf('@');
    text = `${authority[1]}${redactedUserinfo(authority[2].slice(0, at))}${authority[2].slice(at)}${text.slice(authority[0].length)}`;
  }
  text = redactParameters(text, secret);
  const credentials = [parsed.username, parsed.password].filter((part) => part !== '');
  const shown = credentials.some((part) => text.includes(part) || text.includes(decodedOrSelf(part)));
  return shown ? normalizedRedacted(url, parsed, secret) : text;
}
