// jaeger-client's own Thrift definitions, read with jaeger-client's own thriftrw: the decoder the reporter's
// bytes are checked against in the unit tests (the end-to-end suite checks them against the real Jaeger).
import path from 'node:path';

interface ThriftRw {
  Batch: { rw: { readFrom(buffer: Buffer, offset: number): { err: Error | null; value: DecodedBatch; offset: number } } };
  Agent: {
    emitBatch: { argumentsMessageRW: { readFrom(buffer: Buffer, offset: number): { err: Error | null; value: DecodedAgentMessage; offset: number } } };
  };
}

export interface DecodedTag {
  key: string;
  vType: 'STRING' | 'DOUBLE' | 'BOOL' | 'LONG' | 'BINARY';
  vStr: string | null;
  vDouble: number | null;
  vBool: boolean | null;
  vLong: Buffer | null;
  vBinary: Buffer | null;
}

export interface DecodedSpan {
  traceIdLow: Buffer;
  traceIdHigh: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer;
  operationName: string;
  references: Array<{ refType: string; traceIdLow: Buffer; traceIdHigh: Buffer; spanId: Buffer }> | null;
  flags: number;
  startTime: Buffer;
  duration: Buffer;
  tags: DecodedTag[] | null;
  logs: Array<{ timestamp: Buffer; fields: DecodedTag[] }> | null;
}

export interface DecodedBatch {
  process: { serviceName: string; tags: DecodedTag[] | null };
  spans: DecodedSpan[];
}

export interface DecodedAgentMessage {
  name: string;
  type: string;
  body: { batch: DecodedBatch };
}

const jaegerClientDir = path.dirname(require.resolve('jaeger-client/package.json'));
const { Thrift } = require(require.resolve('thriftrw', { paths: [jaegerClientDir] })) as { Thrift: new (options: object) => ThriftRw };
const ThriftUtils = (require('jaeger-client/dist/src/thrift.js') as { default: { loadJaegerThriftDefinition(): string; buildAgentThriftPath(): string } })
  .default;

const jaegerIdl = new Thrift({ source: ThriftUtils.loadJaegerThriftDefinition(), allowOptionalArguments: true });
const agentIdl = new Thrift({ entryPoint: ThriftUtils.buildAgentThriftPath(), allowOptionalArguments: true, allowFilesystemAccess: true });

/** Decodes a collector batch (a bare `Batch`), failing on an error or on bytes left over. */
export function decodeCollectorBatch(bytes: Buffer): DecodedBatch {
  const result = jaegerIdl.Batch.rw.readFrom(bytes, 0);
  if (result.err) throw result.err;
  if (result.offset !== bytes.length) throw new Error(`${bytes.length - result.offset} bytes left after the Batch`);
  return result.value;
}

/** Decodes a UDP packet (`Agent.emitBatch`), failing on an error or on bytes left over. */
export function decodeAgentPacket(bytes: Buffer): DecodedAgentMessage {
  const result = agentIdl.Agent.emitBatch.argumentsMessageRW.readFrom(bytes, 0);
  if (result.err) throw result.err;
  if (result.offset !== bytes.length) throw new Error(`${bytes.length - result.offset} bytes left after the message`);
  return result.value;
}

/** An i64 as thriftrw hands it (8 big-endian bytes) as a JS number. */
export function i64(bytes: Buffer): number {
  return Number(bytes.readBigInt64BE(0));
}

/** A tag's value, read from the one field its type names. */
export function tagValue(tag: DecodedTag): unknown {
  switch (tag.vType) {
    case 'STRING':
      return tag.vStr;
    case 'DOUBLE':
      return tag.vDouble;
    case 'BOOL':
      return tag.vBool;
    case 'LONG':
      return tag.vLong === null ? null : i64(tag.vLong);
    default:
      return tag.vBinary;
  }
}
