// OpenTelemetry's own generated protobufjs code for opentelemetry-proto, as @opentelemetry/otlp-transformer shipped
// it up to 0.212 (OpenTelemetry JS 3 serializes by hand and ships no decoder): the decoder our bytes are proven
// with, a devDependency under the alias otlp-transformer-0.212.
import path from 'node:path';

export interface DecodedAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  bytesValue?: Buffer;
}

export interface DecodedKeyValue {
  key: string;
  value: DecodedAnyValue;
}

export interface DecodedOtlpSpan {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId?: Buffer;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: DecodedKeyValue[];
  events?: Array<{ timeUnixNano: string; name?: string; attributes?: DecodedKeyValue[] }>;
  links?: Array<{ traceId: Buffer; spanId: Buffer; attributes?: DecodedKeyValue[] }>;
  status?: { code?: number; message?: string };
  flags?: number;
}

export interface DecodedRequest {
  resourceSpans: Array<{
    resource?: { attributes?: DecodedKeyValue[] };
    scopeSpans?: Array<{ scope?: { name?: string }; spans?: DecodedOtlpSpan[] }>;
  }>;
}

interface MessageType {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): unknown;
  fromObject(object: Record<string, unknown>): unknown;
  encode(message: unknown): { finish(): Uint8Array };
}

const generated = require(path.join(path.dirname(require.resolve('otlp-transformer-0.212/package.json')), 'build', 'src', 'generated', 'root.js')) as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageType; ExportTraceServiceResponse: MessageType } } } } };
};

const Request = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** Decodes an ExportTraceServiceRequest: 64-bit integers as decimal strings, bytes as Buffers, enums as numbers. */
export function decodeOtlpRequest(bytes: Uint8Array): DecodedRequest {
  return Request.toObject(Request.decode(bytes), { longs: String, bytes: Buffer, enums: Number, defaults: false }) as DecodedRequest;
}

/** An ExportTraceServiceResponse, as an OTLP receiver answers a request it took only in part. */
export function encodeOtlpPartialSuccess(rejectedSpans: number, errorMessage: string): Buffer {
  const Response = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
  return Buffer.from(Response.encode(Response.fromObject({ partialSuccess: { rejectedSpans, errorMessage } })).finish());
}

/** An attribute list as a plain object of key → the one value set. */
export function attributesOf(attributes: DecodedKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of attributes ?? []) {
    const set = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
    out[key] = set.length === 1 ? { [set[0][0]]: set[0][1] } : value;
  }
  return out;
}
