'use strict';
// A throwaway PostgreSQL for the instrumentation suites: initdb into a temp dir, the server on a free loopback
// port with durability off, and the `app` database and user the tests connect as (scram-sha-256 over TCP).

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const {
  findBinary,
  missingServer,
  freeTcpPort,
  serverUser,
  makeTempDir,
  removeDir,
  writeFileFor,
  startProcess,
  runToEnd,
  waitUntilReady,
  secondsSince,
} = require('./processes.js');

const DATABASE = 'app';
const USER = 'app';
const PASSWORD = 'app-secret';

/** Debian and Ubuntu keep each major version's binaries in /usr/lib/postgresql/<major>/bin, off PATH. */
function debianBinDirs() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((version) => /^\d+$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(root, version, 'bin'));
}

/** initdb and postgres from one installation (a server must run on the data dir its own initdb made). */
function findBinaries() {
  const initdb = findBinary('initdb', debianBinDirs());
  if (!initdb) throw missingServer('PostgreSQL', 'postgresql', 'initdb');
  const postgres = path.join(path.dirname(initdb), 'postgres');
  if (!fs.existsSync(postgres)) throw missingServer('PostgreSQL', 'postgresql', postgres);
  return { initdb, postgres };
}

/** Connects as the superuser over TCP (no Unix socket: the server has none) and runs `sql`. */
async function runAsSuperuser(port, superPassword, sql) {
  const { Client } = require('pg');
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: superPassword, database: 'postgres', connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    for (const statement of [].concat(sql)) await client.query(statement);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts PostgreSQL; resolves once the `app` user can be connected as, with its URL and a stop(). */
async function startPostgres({ log = () => {}, timeoutMs = 30000 } = {}) {
  const started = Date.now();
  const { initdb, postgres } = findBinaries();
  // initdb and postgres refuse to run as root.
  const user = serverUser('postgres');
  const dir = makeTempDir('postgres', user);
  const dataDir = path.join(dir, 'data');
  const superPassword = crypto.randomBytes(16).toString('hex');
  const passwordFile = path.join(dir, 'superuser-password');
  writeFileFor(passwordFile, `${superPassword}\n`, user);
  const asServer = { cwd: dir, user };
  try {
    // --no-sync: nothing here needs to survive a crash of the machine.
    await runToEnd(
      'initdb',
      initdb,
      ['-D', dataDir, '-U', 'postgres', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      asServer,
    );
  } catch (error) {
    removeDir(dir);
    throw error;
  }
  fs.rmSync(passwordFile);

  const port = await freeTcpPort();
  // SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate one, which still removes its shared memory
  // (SIGKILL would leave a System V segment behind).
  const server = startProcess(
    'postgres',
    postgres,
    [
      ...['-D', dataDir, '-p', String(port)],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    ],
    { ...asServer, stopSignal: 'SIGINT', emergencySignal: 'SIGQUIT' },
  );
  const stop = async () => {
    await server.stop();
    removeDir(dir);
  };
  try {
    // Connections fail with "the database system is starting up" until it is ready.
    await waitUntilReady(server, () => runAsSuperuser(port, superPassword, 'SELECT 1'), { timeoutMs });
    await runAsSuperuser(port, superPassword, [`CREATE ROLE ${USER} LOGIN PASSWORD '${PASSWORD}'`, `CREATE DATABASE ${DATABASE} OWNER ${USER}`]);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`PostgreSQL ready on 127.0.0.1:${port} in ${secondsSince(started)} s`);
  return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`, stop };
}

module.exports = { startPostgres };
