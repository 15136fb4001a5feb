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
