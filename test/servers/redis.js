'use strict';
// A throwaway Redis for the instrumentation suites (ioredis and node-redis): on a free loopback port, no
// password, nothing saved (no RDB snapshots, no append-only file), its working dir a temp dir.

const { findBinary, missingServer, freeTcpPort, makeTempDir, removeDir, startProcess, waitUntilReady, secondsSince } = require('./processes.js');

async function ping(port) {
  const Redis = require('ioredis');
  // One try per call, no reconnecting and no offline queue: waitUntilReady does the retrying.
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
  } finally {
    client.disconnect();
  }
}

/** Starts Redis; resolves once it answers PING, with its URL and a stop(). */
async function startRedis({ log = () => {}, timeoutMs = 30000 } = {}) {
  const started = Date.now();
  const redisServer = findBinary('redis-server');
  if (!redisServer) throw missingServer('Redis', 'redis-server', 'redis-server');
  const dir = makeTempDir('redis');
  const port = await freeTcpPort();
  const server = startProcess(
    'redis-server',
    redisServer,
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes'],
      // No persistence, and the log on stdout (kept for errors) rather than in a file.
      ...['--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', '', '--daemonize', 'no'],
    ],
    { cwd: dir, stopSignal: 'SIGTERM', emergencySignal: 'SIGKILL' },
  );
  const stop = async () => {
    await server.stop();
    removeDir(dir);
  };
  try {
    await waitUntilReady(server, () => ping(port), { timeoutMs, intervalMs: 50 });
  } catch (error) {
    await stop();
    throw error;
  }
  log(`Redis ready on 127.0.0.1:${port} in ${secondsSince(started)} s`);
  return { url: `redis://127.0.0.1:${port}`, stop };
}

module.exports = { startRedis };
