// The OTLP side of the reporting pipeline, loaded from the built package: these are not public exports.
import path from 'node:path';
import type * as OtlpEncoder from '../../dist/cjs/reporting/otlp-batch-encoder';
import type * as OtlpEnvironment from '../../dist/cjs/reporting/otlp-environment';
import type * as OtlpTransport from '../../dist/cjs/reporting/otlp-http-transport';

const reporting = (file: string): unknown => require(path.resolve(__dirname, '..', '..', '..', 'dist', 'cjs', 'reporting', file));

export const { OtlpBatchEncoder } = reporting('otlp-batch-encoder.js') as typeof OtlpEncoder;
export const { OtlpHttpTransport } = reporting('otlp-http-transport.js') as typeof OtlpTransport;
export const { otlpFromEnvironment, parseOtlpHeaders } = reporting('otlp-environment.js') as typeof OtlpEnvironment;
