// The reporting pipeline's internal modules, loaded from the built package: they are not public exports.
import path from 'node:path';
import type * as BatchEncoder from '../../dist/cjs/reporting/jaeger-batch-encoder';
import type * as BatchReporter from '../../dist/cjs/reporting/batch-span-reporter';
import type * as HttpTransport from '../../dist/cjs/reporting/http-collector-transport';
import type * as UdpTransport from '../../dist/cjs/reporting/udp-agent-transport';

const reporting = (file: string): unknown => require(path.resolve(__dirname, '..', '..', '..', 'dist', 'cjs', 'reporting', file));

export const { JaegerBatchEncoder } = reporting('jaeger-batch-encoder.js') as typeof BatchEncoder;
export const { BatchSpanReporter } = reporting('batch-span-reporter.js') as typeof BatchReporter;
export const { HttpCollectorTransport } = reporting('http-collector-transport.js') as typeof HttpTransport;
export const { UdpAgentTransport } = reporting('udp-agent-transport.js') as typeof UdpTransport;
export type { SendOutcome, SpanTransport } from '../../dist/cjs/reporting/span-transport';
import type * as RetryPolicy from '../../dist/cjs/reporting/retry-policy';
import type * as Drops from '../../dist/cjs/reporting/drop-warnings';

export const { parseRetryAfter, isRetryableJaegerStatus, isRetryableOtlpStatus, backoffDelayMs, nextRetryDelayMs, DEFAULT_RETRY } = reporting(
  'retry-policy.js',
) as typeof RetryPolicy;
export const { DropWarnings, describeSendFailure } = reporting('drop-warnings.js') as typeof Drops;
