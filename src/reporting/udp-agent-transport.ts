import dgram from 'node:dgram';
import type { SendOutcome, SpanTransport } from './span-transport';

/** Largest datagram Jaeger's agent (and Jaeger v2's UDP receivers) reads by default; jaeger-client's too. */
export const UDP_MAX_PACKET_BYTES = 65000;

export interface UdpAgentOptions {
  host: string;
  port: number;
  socketType: 'udp4' | 'udp6';
  maxPacketBytes?: number;
}

/**
 * Sends each batch as one UDP datagram carrying `Agent.emitBatch`, to the Jaeger agent or to Jaeger v2's
 * `thrift_binary` receiver (port 6832). UDP says nothing about delivery: a send that the kernel took counts
 * as sent. The socket never keeps the process alive by itself.
 */
export class UdpAgentTransport implements SpanTransport {
  readonly framing = 'agent' as const;
  readonly maxBatchBytes: number;
  // Encoded 256 at a time (a few packets): a short stretch of work between checks of the turn's budget.
  readonly batchSpans = 256;
  readonly maxInFlight = 16;
  readonly destination: string;
  private readonly _socket: dgram.Socket;

  constructor(private readonly _options: UdpAgentOptions) {
    this.maxBatchBytes = _options.maxPacketBytes ?? UDP_MAX_PACKET_BYTES;
    this.destination = `udp://${_options.host}:${_options.port}`;
    this._socket = dgram.createSocket(_options.socketType);
    // Errors also arrive through each send's callback; this listener only keeps them from being thrown.
    this._socket.on('error', () => {});
    this._socket.unref();
  }

  send(bytes: Buffer): Promise<SendOutcome> {
    return new Promise((resolve) => {
      try {
        this._socket.send(bytes, this._options.port, this._options.host, (error) => {
          // A datagram that failed is not sent again: UDP gives no better guarantee on a second try.
          resolve(error ? { ok: false, retryable: false, reason: `${error.message}, packet of ${bytes.length} bytes` } : { ok: true });
        });
      } catch (error) {
        resolve({ ok: false, retryable: false, reason: error instanceof Error ? error.message : String(error) });
      }
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this._socket.close(() => resolve());
      } catch {
        resolve(); // already closed
      }
    });
  }
}
