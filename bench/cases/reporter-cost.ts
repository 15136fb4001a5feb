// Case 2: what reporting costs per span, the same finished spans through jaeger-client's reporter and ours,
// over UDP and over HTTP to local sinks: report() for every span, then flush until the last batch is sent.
// Also the encoders alone (ours, and jaeger-client's thriftrw path), since that is where the difference is; and
// our OTLP path beside them: the reporter over OTLP/HTTP, its protobuf encoder alone, and an OTLP/JSON
// prototype that says what JSON would have cost. A control row runs our UDP reporter with its pace lifted, and a
// probe measures what one wake from an idle timer wait costs this machine: together they say how much of the UDP
// row is pacing's waits rather than the reporter's work.
import { InMemoryReporter, initTracer as initJaegerTracer } from 'jaeger-client';
import type { Span } from 'opentracing';
import { median, sink } from '../support/measure';
import { otlpJsonRequest } from '../support/otlp-json-prototype';
import { fullOrQuick } from '../support/quick';
import { startSinks } from '../support/sinks';
import {
  BatchSpanReporter,
  HttpCollectorTransport,
  JaegerBatchEncoder,
  JaegerHttpSender,
  JaegerRemoteReporter,
  JaegerUdpSender,
  OtlpBatchEncoder,
  OtlpHttpTransport,
  DEFAULT_UDP_BYTES_PER_MS,
  UDP_MAX_PACKET_BYTES,
  UdpAgentTransport,
  type JaegerClientReporter,
} from '../support/reporting-internals';

export interface ReporterCost {
  name: string;
  /** Wall time per span, median over rounds: includes waiting for the sink's answer (HTTP). */
  medianNs: number;
  meanNs: number;
  /** CPU time (user + system) of this process per span, median over rounds: the work, without the waiting. */
  cpuMedianNs: number;
}

export interface ReporterCostResult {
  costs: ReporterCost[];
  /** CPU time this process is charged for waking from an idle timer wait of PACING_WAIT_MS, median, in ns. */
  wakeCpuNs: number;
  spans: number;
  bytesPerSpan: number;
  /** The same spans in OTLP: protobuf (ours), and JSON (the prototype). */
  otlpBytesPerSpan: number;
  otlpJsonBytesPerSpan: number;
}

/** Spans shaped like a traced request's: a server span with the middleware's tags, and a @Span child. */
function requestSpans(requests: number): { spans: Span[]; processTags: unknown } {
  const memory = new InMemoryReporter();
  const tracer = initJaegerTracer({ serviceName: 'bench-reporter', sampler: { type: 'const', param: 1 } }, { reporter: memory });
  for (let i = 0; i < requests; i += 1) {
    const server = tracer.startSpan('UserController.getOne', {
      tags: {
        'span.kind': 'server',
        component: 'routing-controllers',
        'http.method': 'GET',
        'http.url': `/users/${i}`,
        'peer.ipv4': '127.0.0.1',
        'peer.port': 40000 + (i % 20000),
        request_id: `req-${i}`,
      },
    });
    server.setTag('trace_id', (server.context() as unknown as { traceIdStr: string }).traceIdStr);
    tracer.startSpan('UserService.find', { childOf: server }).finish();
    server.setTag('http.route', '/users/:id');
    server.setTag('http.status_code', 200);
    server.finish();
  }
  return { spans: memory.spans as Span[], processTags: (tracer as unknown as { _process: { tags: unknown } })._process.tags };
}

interface PathUnderTest {
  name: string;
  /** Reports `spans` and resolves when they are sent. */
  run(spans: Span[]): Promise<void>;
  close(): Promise<void>;
}

function jaegerClientPath(name: string, sender: object, processTags: unknown): PathUnderTest {
  const reporter: JaegerClientReporter = new JaegerRemoteReporter(sender, { bufferFlushInterval: 60_000 });
  reporter.setProcess('bench-reporter', processTags);
  return {
    name,
    run: (spans) => {
      for (const span of spans) reporter.report(span);
      return new Promise((resolve) => reporter.flush(resolve));
    },
    close: () => new Promise((resolve) => reporter.close(resolve)),
  };
}

function ourPath(name: string, reporter: InstanceType<typeof BatchSpanReporter>, processTags: unknown): PathUnderTest {
  reporter.setProcess('bench-reporter', processTags as never);
  return {
    name,
    run: (spans) => {
      for (const span of spans) reporter.report(span);
      return reporter.flush();
    },
    close: () => new Promise((resolve) => reporter.close(resolve)),
  };
}

function encoderPaths(processTags: unknown): PathUnderTest[] {
  const encoder = new JaegerBatchEncoder('collector', 1 << 24);
  encoder.setProcess('bench-reporter', processTags as never);
  const otlpEncoder = new OtlpBatchEncoder(1 << 24);
  otlpEncoder.setProcess('bench-reporter', processTags as never);
  // jaeger-client's HTTP sender path, without the socket: spanToThrift, thriftrw structs, Batch.rw.toBuffer.
  const sender = new JaegerHttpSender({ endpoint: 'http://127.0.0.1:9/api/traces' }) as {
    setProcess(process: unknown): void;
    _jaegerThrift: { Span: new (span: object) => object; Batch: { rw: { toBuffer(batch: object): { value: Buffer } } } };
    _batch: { spans: object[] };
    close(): void;
  };
  const ThriftUtils = (
    require('jaeger-client/dist/src/thrift.js') as { default: { spanToThrift(span: unknown): object; getThriftTags(tags: unknown): object[] } }
  ).default;
  sender.setProcess({ serviceName: 'bench-reporter', tags: ThriftUtils.getThriftTags(processTags) });
  return [
    {
      name: 'encoder alone: jaeger-client (spanToThrift + thriftrw)',
      run: (spans) => {
        sender._batch.spans = spans.map((span) => new sender._jaegerThrift.Span(ThriftUtils.spanToThrift(span)));
        sink.value ^= sender._jaegerThrift.Batch.rw.toBuffer(sender._batch).value.length;
        return Promise.resolve();
      },
      close: () => Promise.resolve(sender.close()),
    },
    {
      name: 'encoder alone: ours',
      run: (spans) => {
        for (const batch of encoder.encode(spans as never[]).batches) sink.value ^= batch.bytes.length;
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    },
    {
      name: 'encoder alone: OTLP protobuf (ours)',
      run: (spans) => {
        for (const batch of otlpEncoder.encode(spans as never[]).batches) sink.value ^= batch.bytes.length;
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    },
    {
      name: 'encoder alone: OTLP/JSON prototype (JSON.stringify)',
      run: (spans) => {
        sink.value ^= otlpJsonRequest('bench-reporter', processTags as never, spans as never[]).length;
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    },
  ];
}

/** The name of the row of our HTTP reporter without gzip (see reporterCost). */
export const UNCOMPRESSED_HTTP = "HTTP, uncompressed: ours (compression: 'none')";

/** The control row's name (see reporterCost). */
export const UNPACED_CONTROL = 'control: our UDP reporter, pace lifted';

/** About what one pacing wait of a full datagram lasts at the default pace, in whole ms as the transport waits. */
export const PACING_WAIT_MS = Math.ceil(UDP_MAX_PACKET_BYTES / DEFAULT_UDP_BYTES_PER_MS);

/**
 * The CPU time this process is charged for one wake from an idle wait of PACING_WAIT_MS, with nothing to do once
 * awake: what each pacing wait of the UDP reporter costs besides its work. On a machine where waking from idle
 * is dear (a virtual machine whose exits are slow), it is a large part of the paced row.
 */
async function wakeCpu(wakes = 100): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < wakes; i += 1) {
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, PACING_WAIT_MS));
    const used = process.cpuUsage(cpu);
    samples.push((used.user + used.system) * 1000);
  }
  return median(samples);
}

/** `rounds` rounds; in each, every path reports the same `requests` × 2 spans in turn. */
export async function reporterCost({ requests = 500, rounds = fullOrQuick(60, 5), warmupRounds = fullOrQuick(10, 2) } = {}): Promise<ReporterCostResult> {
  const { spans, processTags } = requestSpans(requests);
  const endpoints = await startSinks();
  const paths: PathUnderTest[] = [
    jaegerClientPath('UDP: jaeger-client RemoteReporter + UDPSender', new JaegerUdpSender({ host: '127.0.0.1', port: endpoints.udpPort }), processTags),
    ourPath(
      'UDP: ours (BatchSpanReporter)',
      new BatchSpanReporter(new UdpAgentTransport({ host: '127.0.0.1', port: endpoints.udpPort, socketType: 'udp4' })),
      processTags,
    ),
    jaegerClientPath('HTTP: jaeger-client RemoteReporter + HTTPSender', new JaegerHttpSender({ endpoint: endpoints.httpUrl }), processTags),
    // The same reporter with its pace lifted: what the UDP row costs apart from the timer wake-ups its pacing waits
    // end with (see wakeCpu). A control, not a setting to use: the pace is what keeps a default receiver whole.
    ourPath(
      UNPACED_CONTROL,
      new BatchSpanReporter(new UdpAgentTransport({ host: '127.0.0.1', port: endpoints.udpPort, socketType: 'udp4', bytesPerMs: 2 ** 30 })),
      processTags,
    ),
    ourPath('HTTP: ours (BatchSpanReporter)', new BatchSpanReporter(new HttpCollectorTransport({ endpoint: endpoints.httpUrl })), processTags),
    // jaeger-client's HTTP sender sends its batches as they are; ours gzips them by default. Without gzip, the
    // two do the same work, and the difference says what the compression costs.
    ourPath(UNCOMPRESSED_HTTP, new BatchSpanReporter(new HttpCollectorTransport({ endpoint: endpoints.httpUrl, compression: 'none' })), processTags),
    ourPath(
      'OTLP/HTTP: ours (BatchSpanReporter + OtlpHttpTransport)',
      new BatchSpanReporter(new OtlpHttpTransport({ endpoint: endpoints.otlpUrl })),
      processTags,
    ),
    ...encoderPaths(processTags),
  ];
  const samples = paths.map(() => [] as number[]);
  const cpuSamples = paths.map(() => [] as number[]);
  for (let round = 0; round < warmupRounds + rounds; round += 1) {
    for (let i = 0; i < paths.length; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      await paths[i].run(spans);
      const ns = Number(process.hrtime.bigint() - start);
      const used = process.cpuUsage(cpu);
      if (round < warmupRounds) continue;
      samples[i].push(ns / spans.length);
      cpuSamples[i].push(((used.user + used.system) * 1000) / spans.length);
    }
  }
  for (const path of paths) await path.close();
  await endpoints.close();
  const wakeCpuNs = await wakeCpu(fullOrQuick(200, 20));

  const encoder = new JaegerBatchEncoder('collector', 1 << 24);
  encoder.setProcess('bench-reporter', processTags as never);
  const bytes = encoder.encode(spans as never[]).batches.reduce((sum, batch) => sum + batch.bytes.length, 0);
  const otlpEncoder = new OtlpBatchEncoder(1 << 24);
  otlpEncoder.setProcess('bench-reporter', processTags as never);
  const otlpBytes = otlpEncoder.encode(spans as never[]).batches.reduce((sum, batch) => sum + batch.bytes.length, 0);
  const otlpJsonBytes = otlpJsonRequest('bench-reporter', processTags as never, spans as never[]).length;
  return {
    costs: paths.map((path, i) => ({
      name: path.name,
      medianNs: median(samples[i]),
      meanNs: samples[i].reduce((a, b) => a + b, 0) / samples[i].length,
      cpuMedianNs: median(cpuSamples[i]),
    })),
    wakeCpuNs,
    spans: spans.length,
    bytesPerSpan: bytes / spans.length,
    otlpBytesPerSpan: otlpBytes / spans.length,
    otlpJsonBytesPerSpan: otlpJsonBytes / spans.length,
  };
}
