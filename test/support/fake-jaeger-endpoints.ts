import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/** A UDP socket on loopback (IPv4's, or IPv6's `::1`) standing where the Jaeger agent would, keeping every datagram it receives. */
export async function udpSink(family: 4 | 6 = 4): Promise<{ port: number; packets: Buffer[]; close(): Promise<void> }> {
  const socket = dgram.createSocket(family === 4 ? 'udp4' : 'udp6');
  const packets: Buffer[] = [];
  socket.on('message', (message) => packets.push(message));
  await new Promise<void>((resolve) => socket.bind(0, family === 4 ? '127.0.0.1' : '::1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    packets,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** Decompressed when it came with `Content-Encoding: gzip`. */
  body: Buffer;
  /** Length of the body as sent. */
  wireBytes: number;
}

/** An HTTP server on loopback that records requests and answers each with `respond`. */
export async function httpSink(
  respond: (request: RecordedRequest) => { status: number; body?: string | Buffer; headers?: Record<string, string> } = () => ({ status: 202 }),
): Promise<{ port: number; url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // As a collector does, the body is read decompressed; `headers` still say how it came.
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw;
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, wireBytes: raw.length };
      requests.push(recorded);
      const answer = respond(recorded);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
