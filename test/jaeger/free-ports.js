'use strict';
// Free loopback ports for the servers the tests start (Jaeger, PostgreSQL, MariaDB, Redis, RabbitMQ).
// A port found free here is handed back before the server binds it, and anything else on the machine may take
// it in between (an outgoing connection gets such a port as its local one): a server that then fails to bind
// is started again on fresh ports, rather than failing the run.

const dgram = require('node:dgram');
const net = require('node:net');

function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** How Jaeger (Go), PostgreSQL, MariaDB, Redis, RabbitMQ (Erlang), Flask and Django each say a port was taken. */
const PORT_TAKEN = /address already in use|eaddrinuse|port is already in use/i;

/** Whether `error` (with the server's log in its message) says the server could not bind its port. */
function lostItsPort(error) {
  return error instanceof Error && PORT_TAKEN.test(error.message);
}

/**
 * Calls `start` (which picks its own free ports) again, up to `attempts` times in all, while it fails because
 * a port it picked was taken before it bound it. Any other failure is thrown at once.
 */
async function startOnFreePorts(name, start, { attempts = 3, log = () => {} } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !lostItsPort(error)) throw error;
      log(`${name}: a port it was given was taken before it could bind it; starting it again on other ports.`);
    }
  }
}

module.exports = { freeTcpPort, freeUdpPort, lostItsPort, startOnFreePorts };
