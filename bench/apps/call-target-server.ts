// What the outgoing-call case calls: a keep-alive HTTP server answering every request with a small JSON body, in
// a process of its own (on the benchmark's core, not the app's), so answering is never counted as the caller's
// cost. Ends with the process that started it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from(JSON.stringify({ id: 42, name: 'user-42', roles: ['reader'] }));
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
