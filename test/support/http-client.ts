import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = unknown>(): T;
}

/** One request with node:http (so tests control every header), resolved with the whole response. */
export function httpRequest(
  url: string,
  { method = 'GET', headers = {}, body, agent }: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text, json: () => JSON.parse(text) });
      });
    });
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

/**
 * One GET resolved once the connection lets go of the response, whole or cut off (`complete` says which): for a
 * response the server aborts after its head, which httpRequest() rejects.
 */
export function httpRequestToTheEnd(url: string): Promise<HttpResult & { complete: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      // A cut-off response errors ('aborted') before it closes: the close says it is over.
      response.on('error', () => {});
      response.on('close', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text, json: () => JSON.parse(text), complete: response.complete });
      });
    });
    request.on('error', reject);
  });
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port with `handler` (an Express app, a Koa callback, ...). */
export async function listen(handler: http.RequestListener): Promise<RunningServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
