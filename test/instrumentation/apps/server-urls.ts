import { describe } from 'node:test';

/** The real servers test/run-tests.js started (test/servers), by the variable each URL comes in. */
export const servers = {
  postgres: process.env.E2E_POSTGRES_URL,
  mysql: process.env.E2E_MYSQL_URL,
  redis: process.env.E2E_REDIS_URL,
  amqp: process.env.E2E_AMQP_URL,
};

/** BullMQ's connection options for that Redis (host and port, as its docs write them). */
export function redisConnection(): { host: string; port: number } {
  const { hostname, port } = new URL(servers.redis!);
  return { host: hostname, port: Number(port) };
}

/** A suite that needs every server: skipped without them, and failed under CI=true, where none may be missing. */
export function describeWithServers(name: string, fn: () => void): void {
  const missing = Object.entries(servers)
    .filter(([, url]) => url === undefined)
    .map(([server]) => server);
  if (missing.length > 0 && process.env.CI === 'true')
    throw new Error(`${name}: CI=true but no ${missing.join(', ')} server was provided; run the suite with npm test`);
  describe(name, { skip: missing.length > 0 ? `no ${missing.join(', ')} server (see the banner above)` : false }, fn);
}
