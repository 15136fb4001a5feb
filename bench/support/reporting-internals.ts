// The reporting pipeline's internal modules, from the built package (they are not public exports), and
// jaeger-client's own reporter parts, for the side-by-side cases.
import path from 'node:path';
import type * as BatchEncoder from '../../dist/cjs/reporting/jaeger-batch-encoder';
import type * as BatchReporter from '../../dist/cjs/reporting/batch-span-reporter';
import type * as CreateReporter from '../../dist/cjs/reporting/create-span-reporter';
import type * as HttpTransport from '../../dist/cjs/reporting/http-collector-transport';
import type * as OtlpEncoder from '../../dist/cjs/reporting/otlp-batch-encoder';
import type * as OtlpTransport from '../../dist/cjs/reporting/otlp-http-transport';
import type * as UdpTransport from '../../dist/cjs/reporting/udp-agent-transport';

const reporting = (file: string): unknown => require(path.resolve(__dirname, '..', '..', '..', 'dist', 'cjs', 'reporting', file));

export const { JaegerBatchEncoder } = reporting('jaeger-batch-encoder.js') as typeof BatchEncoder;
export const { BatchSpanReporter } = reporting('batch-span-reporter.js') as typeof BatchReporter;
export const { createSpanReporter } = reporting('create-span-reporter.js') as typeof CreateReporter;
export const { HttpCollectorTransport } = reporting('http-collector-transport.js') as typeof HttpTransport;
export const { UdpAgentTransport, DEFAULT_UDP_BYTES_PER_MS, UDP_MAX_PACKET_BYTES } = reporting('udp-agent-transport.js') as typeof UdpTransport;
/** The UDP reporter's default pace, for the write-ups: `32 MB/s`. */
export const UDP_PACE = `${DEFAULT_UDP_BYTES_PER_MS / 1024} MB/s`;
export const { OtlpBatchEncoder } = reporting('otlp-batch-encoder.js') as typeof OtlpEncoder;
export const { OtlpHttpTransport } = reporting('otlp-http-transport.js') as typeof OtlpTransport;

/** jaeger-client's reporter interface, as its RemoteReporter has it. */
export interface JaegerClientReporter {
  report(span: unknown): void;
  flush(callback?: () => void): void;
  close(callback?: () => void): void;
  setProcess(serviceName: string, tags: unknown): void;
}

type Sender = object;
export const JaegerUdpSender = (require('jaeger-client/dist/src/reporters/udp_sender.js') as { default: new (options: object) => Sender }).default;
export const JaegerHttpSender = (require('jaeger-client/dist/src/reporters/http_sender.js') as { default: new (options: object) => Sender }).default;
export const JaegerRemoteReporter = (
  require('jaeger-client/dist/src/reporters/remote_reporter.js') as { default: new (sender: Sender, options?: object) => JaegerClientReporter }
).default;
export const JaegerThriftUtils = (
  require('jaeger-client/dist/src/thrift.js') as { default: { spanToThrift(span: unknown): object; getThriftTags(tags: unknown): object[]; _thrift: unknown } }
).default;
