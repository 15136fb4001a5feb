// Where the benchmarks send spans: a UDP socket and an HTTP server that take everything and keep nothing, in a
// process of their own, so that receiving (Jaeger's work) is never counted as the sender's cost.
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const udp = dgram.createSocket('udp4');
udp.on('message', () => {});
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(202).end());
});
udp.bind(0, '127.0.0.1', () => {
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ udpPort: (udp.address() as AddressInfo).port, httpPort: (server.address() as AddressInfo).port });
  });
});
// Ends with the process that started it.
process.on('disconnect', () => process.exit(0));
