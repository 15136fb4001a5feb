import dgram from 'node:dgram';
import net from 'node:net';
import { sameHost } from '../internal/own-endpoint';

/** Where the reporter sends spans over UDP, and what to send to ask whether anything listens there. */
export interface UdpAgentAddress {
  host: string;
  port: number;
  socketType: 'udp4' | 'udp6';
  /** The agent's sampling port on the same host, when the tracer's sampler points there. */
  samplingPort?: number;
  /** A datagram the agent accepts and ignores: an empty span batch. */
  probe: Buffer;
}

export interface UdpAgentProbe {
  /** Asks again whether the agent listens; at most once per `intervalMs`, so cheap to call after every flush. */
  check(): void;
  close(): void;
}

/** Longest wait for the sampling port to accept a connection. */
const SAMPLING_CONNECT_TIMEOUT_MS = 2000;
/** Loopback always answers a datagram to a closed port with "port unreachable"; other hosts may not. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];

function samplingPortAnswers(host: string, port: number): Promise<{ answers: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.unref();
    socket.setTimeout(SAMPLING_CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      socket.destroy();
      resolve({ answers: true });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ answers: false, error: `no answer in ${SAMPLING_CONNECT_TIMEOUT_MS / 1000} s` });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ answers: false, error: error.code ?? error.message }));
  });
}

/**
 * UDP gives the sender no error when nothing listens, so every span sent to a stopped agent is lost without
 * a word. Two things can still tell: a *connected* UDP socket receives the ICMP "port unreachable" the
 * host answers with (the transport's socket is not connected, so it never sees it), and the agent's sampling
 * port (TCP) accepts a connection or not. This probe uses its own connected socket, sending an empty span batch
 * now and then, and checks the sampling port once; `warn` is called once, with what was found.
 */
export function startUdpAgentProbe(
  address: UdpAgentAddress,
  warn: (message: string) => void,
  { intervalMs = 10000, trustSilence = LOOPBACK_HOSTS.some((host) => sameHost(host, address.host)) } = {},
): UdpAgentProbe {
  const where = `udp://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
  let warned = false;
  let closed = false;
  let lastCheck = Date.now();
  const say = (message: string) => {
    if (warned || closed) return;
    warned = true;
    warn(message);
  };

  const socket = dgram.createSocket(address.socketType);
  socket.unref();
  // Other errors (a host name that does not resolve) reach the transport's own socket too, and are said there.
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNREFUSED') {
      say(
        `spans sent to the Jaeger agent at ${where} are lost: nothing listens there (the host answers "port unreachable"). ` +
          'UDP gives the sender no error, so nothing else will say so; this is said once.',
      );
    }
  });
  let connected = false;
  const send = () => {
    if (connected && !closed) socket.send(address.probe, () => {});
  };
  socket.connect(address.port, address.host, () => {
    connected = true;
    send();
  });

  // Silence on loopback proves a listener; elsewhere ICMP may be filtered, and the sampling port is the only sign.
  if (!trustSilence && address.samplingPort !== undefined) {
    const samplingWhere = `${address.host}:${address.samplingPort}`;
    void samplingPortAnswers(address.host, address.samplingPort).then(({ answers, error }) => {
      if (answers) return;
      say(
        `spans sent to the Jaeger agent at ${where} may be lost: its sampling port ${samplingWhere} does not answer (${error}), ` +
          'and UDP cannot tell whether anything listens. Check that a Jaeger agent runs there; this is said once.',
      );
    });
  }

  return {
    check() {
      const now = Date.now();
      if (now - lastCheck < intervalMs) return;
      lastCheck = now;
      send();
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        socket.close();
      } catch {
        // never connected or already closed
      }
    },
  };
}
