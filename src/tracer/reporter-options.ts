import { readFileSync } from 'node:fs';
import type { ResolvedReporterOptions } from '../reporting/create-span-reporter';
import {
  TracerConfigError,
  checkBoolean,
  checkHeaderName,
  checkHeaderValueCharacters,
  checkKnownKeys,
  checkObject,
  checkPositiveNumber,
  describe,
} from '../internal/config-checks';

/** Our reporter's own keys under `config.reporter`, beside jaeger-client's (which jaeger-client must not see). */
export type { ResolvedReporterOptions };

export const OWN_REPORTER_KEYS = ['headers', 'tls', 'compression', 'maxBatchBytes', 'queue', 'retry'] as const;

// A batch posted over HTTP: room for a few large spans at least, and no more than a collector takes (Jaeger's
// default gRPC and HTTP limits are 4 MiB).
const MIN_BATCH_BYTES = 16 * 1024;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

// The reporter sets these itself, from the batch it sends.
const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding', 'host']);

function resolveHeaders(raw: unknown): Record<string, string> {
  const headers = checkObject('config.reporter.headers', raw);
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = `config.reporter.headers['${name}']`;
    const lower = checkHeaderName(`a header name in config.reporter.headers`, name);
    if (RESERVED_HEADERS.has(lower)) throw new TracerConfigError(`${key} is set by the reporter itself; leave it out.`);
    // A header value is often a secret: the message says what is wrong, never what the value is.
    if (typeof value !== 'string' || value.trim() === '') throw new TracerConfigError(`${key} must be a non-empty string (got ${typeof value}).`);
    checkHeaderValueCharacters(key, value);
    resolved[lower] = value;
  }
  return resolved;
}

/**
 * PEM material: a Buffer or a string holding PEM text is taken as it is; any other string is a file path,
 * read now, so a wrong path is a TracerConfigError at start-up rather than a failed handshake later.
 */
function pem(key: string, value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TracerConfigError(`${key} must be PEM text, a Buffer (Uint8Array), or the path of a PEM file (got ${value === null ? 'null' : typeof value}).`);
  }
  if (value.includes('-----BEGIN')) return Buffer.from(value);
  try {
    return readFileSync(value);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new TracerConfigError(`${key} names a file that cannot be read (${code}): '${value}'.`);
  }
}

function resolveTls(raw: unknown): NonNullable<ResolvedReporterOptions['tls']> {
  const tls = checkObject('config.reporter.tls', raw);
  checkKnownKeys('config.reporter.tls', tls, ['ca', 'cert', 'key', 'rejectUnauthorized']);
  const resolved: NonNullable<ResolvedReporterOptions['tls']> = {};
  if (tls.ca !== undefined) resolved.ca = pem('config.reporter.tls.ca', tls.ca);
  if (tls.cert !== undefined) resolved.cert = pem('config.reporter.tls.cert', tls.cert);
  if (tls.key !== undefined) resolved.key = pem('config.reporter.tls.key', tls.key);
  if ((resolved.cert === undefined) !== (resolved.key === undefined)) {
    throw new TracerConfigError('config.reporter.tls.cert and config.reporter.tls.key go together: a client certificate needs its key.');
  }
  if (tls.rejectUnauthorized !== undefined) resolved.rejectUnauthorized = checkBoolean('config.reporter.tls.rejectUnauthorized', tls.rejectUnauthorized);
  return resolved;
}

function checkInteger(key: string, value: unknown): number {
  const number = checkPositiveNumber(key, value);
  if (!Number.isInteger(number)) throw new TracerConfigError(`${key} must be a whole number, got ${describe(value)}.`);
  return number;
}

/** Validates `headers`, `tls`, `compression`, `queue` and `retry` of `config.reporter`. */
export function resolveReporterOptions(reporter: Record<string, unknown>): ResolvedReporterOptions {
  const resolved: ResolvedReporterOptions = {};
  if (reporter.headers !== undefined) resolved.headers = resolveHeaders(reporter.headers);
  if (reporter.tls !== undefined) resolved.tls = resolveTls(reporter.tls);
  if (reporter.compression !== undefined) {
    if (reporter.compression !== 'gzip' && reporter.compression !== 'none') {
      throw new TracerConfigError(`config.reporter.compression must be 'gzip' or 'none', got ${describe(reporter.compression)}.`);
    }
    resolved.compression = reporter.compression;
  }
  if (reporter.maxBatchBytes !== undefined) {
    const bytes = checkInteger('config.reporter.maxBatchBytes', reporter.maxBatchBytes);
    if (bytes < MIN_BATCH_BYTES || bytes > MAX_BATCH_BYTES) {
      throw new TracerConfigError(`config.reporter.maxBatchBytes must be from ${MIN_BATCH_BYTES} to ${MAX_BATCH_BYTES} bytes, got ${bytes}.`);
    }
    resolved.maxBatchBytes = bytes;
  }
  if (reporter.queue !== undefined) {
    const queue = checkObject('config.reporter.queue', reporter.queue);
    checkKnownKeys('config.reporter.queue', queue, ['maxSpans', 'maxBytes']);
    resolved.queue = {};
    if (queue.maxSpans !== undefined) resolved.queue.maxSpans = checkInteger('config.reporter.queue.maxSpans', queue.maxSpans);
    if (queue.maxBytes !== undefined) resolved.queue.maxBytes = checkInteger('config.reporter.queue.maxBytes', queue.maxBytes);
  }
  if (reporter.retry !== undefined) {
    const retry = checkObject('config.reporter.retry', reporter.retry);
    checkKnownKeys('config.reporter.retry', retry, ['maxElapsedMs', 'initialDelayMs', 'maxDelayMs']);
    resolved.retry = {};
    for (const name of ['maxElapsedMs', 'initialDelayMs', 'maxDelayMs'] as const) {
      if (retry[name] !== undefined) resolved.retry[name] = checkPositiveNumber(`config.reporter.retry.${name}`, retry[name]);
    }
  }
  return resolved;
}

/**
 * `options` completed from the environment: JAEGER_AUTH_TOKEN, the bearer token jaeger-client-java reads,
 * becomes `Authorization: Bearer ...` unless the config sets an authorization header itself.
 */
export function withReporterOptionsEnvironment(options: ResolvedReporterOptions, env: NodeJS.ProcessEnv): ResolvedReporterOptions {
  const token = env.JAEGER_AUTH_TOKEN;
  if (token === undefined || token.trim() === '' || options.headers?.authorization !== undefined) return options;
  checkHeaderValueCharacters('environment variable JAEGER_AUTH_TOKEN', token.trim());
  return { ...options, headers: { ...options.headers, authorization: `Bearer ${token.trim()}` } };
}
