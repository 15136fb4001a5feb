import { guard } from '../core/guard';
import { reporterParts } from './jaeger-reporter-parts';
import { sameHost, type OwnEndpoint } from './own-endpoints';
import { startUdpAgentProbe, type UdpAgentProbe } from './udp-agent-probe';

type FlushCallback = (numSpans: number, error?: unknown) => void;

/** jaeger-client's HTTPSender and UDPSender, as far as this module reads them (none of it is public). */
interface SenderLike {
  flush(callback?: FlushCallback): void;
  _url?: { href?: string };
  _host?: string;
  _port?: number;
  _socketType?: string;
  _agentThrift?: {
    Agent: {
      emitBatch: { ArgumentsMessage: new (fields: unknown) => unknown; argumentsMessageRW: { toBuffer(message: unknown): { err: unknown; value: Buffer } } };
    };
  };
  _jaegerThrift?: { Batch: new (fields: unknown) => unknown };
  _thriftProcessMessage?: unknown;
}

export interface SpanDeliveryWatch {
  /** Says how many spans were dropped in all, if more were dropped after the warning; stops the UDP probe. */
  close(): void;
}

/** Plain words for the errors a collector or agent address gives. */
const PLAIN_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused, so nothing listens there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved now',
  ETIMEDOUT: 'it did not answer in time',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  EPIPE: 'the connection was closed while sending',
  EMSGSIZE: 'a batch was larger than one datagram may be',
};

/** The cause of a failed send, from jaeger-client's error text, e.g. "error sending spans over HTTP: Error: connect ECONNREFUSED 127.0.0.1:14268". */
export function describeSendFailure(error: unknown): { kind: string; text: string } {
  const message = String(error);
  const status = /responded with HTTP (\d{3})/.exec(message);
  if (status) return { kind: `HTTP ${status[1]}`, text: `the collector answered HTTP ${status[1]}` };
  const code = /\b(E[A-Z_]{3,})\b/.exec(message)?.[1];
  if (code !== undefined) return { kind: code, text: PLAIN_CAUSES[code] ? `${PLAIN_CAUSES[code]} (${code})` : code };
  const detail = message.replace(/^error sending spans over \w+: /, '').replace(/^Error: /, '');
  return { kind: detail, text: detail };
}

function destinationOf(sender: SenderLike): string {
  if (sender._url?.href !== undefined) {
    try {
      const url = new URL(sender._url.href);
      url.username = '';
      url.password = '';
      return `the Jaeger collector at ${url.href}`;
    } catch {
      return 'the Jaeger collector';
    }
  }
  const host = sender._host ?? 'localhost';
  return `the Jaeger agent at udp://${host.includes(':') ? `[${host}]` : host}:${sender._port ?? 6832}`;
}

/** An empty span batch in the agent's UDP protocol, built by the sender's own Thrift definitions. */
function emptyBatchDatagram(sender: SenderLike): Buffer | undefined {
  const agent = sender._agentThrift?.Agent.emitBatch;
  if (agent === undefined || sender._jaegerThrift === undefined || sender._thriftProcessMessage === undefined) return undefined;
  const message = new agent.ArgumentsMessage({
    version: 1,
    id: 0,
    body: { batch: new sender._jaegerThrift.Batch({ process: sender._thriftProcessMessage, spans: [] }) },
  });
  const { err, value } = agent.argumentsMessageRW.toBuffer(message);
  return err ? undefined : value;
}

const count = (spans: number) => `${spans.toLocaleString('en-US')} span${spans === 1 ? '' : 's'}`;

/**
 * Watches every batch jaeger-client's sender sends (HTTP or UDP) and says, once per cause and in plain words,
 * that spans are being dropped: where they were going, why, and how many so far. jaeger-client itself logs
 * each failed batch twice (the sender, then the reporter) and not at all for UDP to nowhere; `initTracer`
 * keeps those lines out of its default logger. Over UDP, an agent that is not there is detected where it can
 * be (see udp-agent-probe).
 */
export function watchSpanDelivery(tracer: unknown, { samplingEndpoint }: { samplingEndpoint?: OwnEndpoint } = {}): SpanDeliveryWatch {
  let dropped = 0;
  let droppedWhenSaid = 0;
  let lastWhere = '';
  const causesSaid = new Set<string>();
  const probes: UdpAgentProbe[] = [];
  const warn = (message: string) => process.emitWarning(`jaeger-decorators: ${message}`, 'TracingWarning');

  guard('watching span delivery', () => {
    for (const part of reporterParts(tracer)) {
      const sender = part._sender as SenderLike | undefined;
      if (typeof sender !== 'object' || sender === null || typeof sender.flush !== 'function') continue;
      const where = destinationOf(sender);
      const isUdp = sender._url === undefined && sender._host !== undefined;
      let probe: UdpAgentProbe | undefined;
      const onSent = () => {
        if (!isUdp) return;
        if (probe !== undefined) return probe.check();
        const datagram = guard('probing the Jaeger agent', () => emptyBatchDatagram(sender));
        if (datagram === undefined) return;
        const samplingPort = samplingEndpoint !== undefined && sameHost(samplingEndpoint.hostname, sender._host!) ? samplingEndpoint.port : undefined;
        probe = startUdpAgentProbe(
          { host: sender._host!, port: sender._port ?? 6832, socketType: sender._socketType === 'udp6' ? 'udp6' : 'udp4', samplingPort, probe: datagram },
          warn,
        );
        probes.push(probe);
      };
      const flush = sender.flush;
      sender.flush = function flushWatched(this: SenderLike, callback?: FlushCallback): void {
        flush.call(this, (numSpans: number, error?: unknown) => {
          if (error && numSpans > 0) {
            dropped += numSpans;
            lastWhere = where;
            const cause = describeSendFailure(error);
            if (!causesSaid.has(`${where} ${cause.kind}`)) {
              causesSaid.add(`${where} ${cause.kind}`);
              droppedWhenSaid = dropped;
              warn(
                `could not send spans to ${where}: ${cause.text}. ${count(dropped)} dropped so far; jaeger-client does not ` +
                  'retry them. This is said once; closeTracer() gives the total.',
              );
            }
          } else if (numSpans > 0) {
            guard('probing the Jaeger agent', onSent);
          }
          callback?.(numSpans, error);
        });
      };
    }
  });

  return {
    close() {
      for (const probe of probes) probe.close();
      if (dropped > droppedWhenSaid) warn(`${count(dropped)} dropped in all: they could not be sent to ${lastWhere}.`);
      droppedWhenSaid = dropped;
    },
  };
}
