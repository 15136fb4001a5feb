/** Thrown by initTracer() for a configuration it cannot use; the message names the key and the value. */
export class TracerConfigError extends Error {
  constructor(message: string) {
    super(`initTracer: ${message}`);
    this.name = 'TracerConfigError';
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function fail(key: string, expected: string, value: unknown): never {
  throw new TracerConfigError(`${key} must be ${expected}, got ${describe(value)}.`);
}

export function checkObject(key: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(key, 'an object', value);
  return value as Record<string, unknown>;
}

export function checkKnownKeys(key: string, value: Record<string, unknown>, allowed: readonly string[], hints: Record<string, string> = {}): void {
  for (const name of Object.keys(value)) {
    if (allowed.includes(name)) continue;
    const hint = hints[name] === undefined ? '' : ` (did you mean ${hints[name]}?)`;
    throw new TracerConfigError(`unknown key ${key}.${name}${hint}; expected one of ${allowed.join(', ')}.`);
  }
}

/** A TCP/UDP port: an integer 1..65535, or a string of digits (Python configs often carry strings). */
export function checkPort(key: string, value: unknown): number {
  const port = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    fail(key, 'a port number from 1 to 65535', value);
  }
  return port;
}

export function checkString(key: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(key, 'a non-empty string', value);
  return value;
}

export function checkBoolean(key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(key, 'true or false', value);
  return value;
}

export function checkPositiveNumber(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(key, 'a positive number', value);
  return value;
}

/** The longest delay Node's timers take (2^31 - 1 ms, some 24.8 days): a longer one fires at once, with a warning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A duration in milliseconds for a timer: a positive number Node's timers can wait. */
export function checkTimerMs(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    fail(key, `a positive number of milliseconds, at most ${MAX_TIMER_MS}`, value);
  }
  return value;
}

/** The same, given as the text of an environment variable: a whole number of milliseconds. */
export function checkTimerMsText(key: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) fail(key, 'a positive whole number of milliseconds', value);
  return checkTimerMs(key, Number(value));
}

export function checkNumberInRange(key: string, value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(key, what, value);
  return value;
}

/** A URL as an error may quote it: credentials (`user:password@`) taken out, whether or not the URL parses. */
function withoutCredentials(text: string): string {
  return text.replace(/^([^/]*\/\/)[^/?#]*@/, '$1***@');
}

export function checkHttpUrl(key: string, value: unknown): string {
  const text = checkString(key, value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(key, 'an http(s) URL such as http://localhost:14268/api/traces', withoutCredentials(text));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(key, 'an http(s) URL', withoutCredentials(text));
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    // Never quoted: they are the credentials.
    throw new TracerConfigError(`${key}: the user name or password in the URL is not valid percent-encoding.`);
  }
  return text;
}

/**
 * A header value Node sends as it is: visible ASCII, spaces and tabs, and Latin-1 (what Node's header check
 * takes). A character outside them (an en dash pasted into a token) would fail every request later. The message
 * says what is wrong, never the value, which is often a secret.
 */
export function checkHeaderValueCharacters(key: string, value: string): void {
  if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) {
    throw new TracerConfigError(`${key} must hold only visible ASCII or Latin-1 characters, spaces and tabs (no line breaks, NUL or other characters).`);
  }
}

/** `host:port`, as jaeger-client's remote sampler takes it. */
export function checkHostPort(key: string, value: unknown): string {
  const text = checkString(key, value);
  const separator = text.lastIndexOf(':');
  if (separator <= 0) fail(key, "'host:port'", value);
  checkPort(key, text.slice(separator + 1));
  return text;
}

// RFC 9110 §5.6.2 token characters: what a header name may be made of, and so a baggage key that becomes one
// (`uberctx-<key>`), and a W3C Baggage key.
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** True for an HTTP token: a string Node accepts as a header name, and W3C Baggage as a key. */
export function isHttpToken(text: string): boolean {
  return HTTP_TOKEN.test(text);
}

export function checkHeaderName(key: string, value: unknown): string {
  const text = checkString(key, value);
  if (!isHttpToken(text)) fail(key, 'an HTTP header name', value);
  return text.toLowerCase();
}

/** An object whose `methods` are all functions (a logger, a metrics factory, a reporter jaeger-client will call). */
export function checkMethods(key: string, value: unknown, methods: readonly string[]): void {
  const object = (typeof value === 'function' ? value : checkObject(key, value)) as Record<string, unknown>;
  const missing = methods.filter((method) => typeof object[method] !== 'function');
  if (missing.length > 0) {
    throw new TracerConfigError(
      `${key} must have the method${methods.length === 1 ? '' : 's'} ${methods.join(', ')}; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing.`,
    );
  }
}
