'use strict';
// A throwaway MariaDB (the MySQL protocol, for mysql2 and TypeORM) for the instrumentation suites: system
// tables installed into a temp dir, the server on a free loopback port with durability off, and the `app`
// database and user the tests connect as.

const path = require('node:path');
const { spawnSync } = require('node:child_process');
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
// Options both the installer's bootstrap and the server get: the redo log's size must match between the two.
const INNODB_OPTIONS = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M', '--innodb-use-native-aio=0'];

/** The server and its installer; MySQL's own mysqld initialises differently, so only MariaDB will do. */
function findBinaries() {
  const server = findBinary(['mariadbd', 'mysqld'], ['/usr/libexec']);
  if (!server) throw missingServer('MariaDB', 'mariadb-server', 'mariadbd or mysqld');
  const version = spawnSync(server, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  if (!/mariadb/i.test(version)) throw new Error(`${server} is not MariaDB (${version.trim()}); install the apt package mariadb-server`);
  const installer = findBinary(['mariadb-install-db', 'mysql_install_db'], [path.dirname(server)]);
  if (!installer) throw missingServer('MariaDB', 'mariadb-server', 'mariadb-install-db');
  return { server, installer };
}

/**
 * SQL the server runs as it starts (--init-file), before it takes connections: the installer's bootstrap
 * runs without grant tables, where CREATE USER is refused. Over TCP the client is 'app'@'127.0.0.1' (no name
 * resolution); 'app'@'localhost' is for the Unix socket.
 */
function initSql() {
  return [
    `CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4;`,
    ...['127.0.0.1', 'localhost'].flatMap((host) => [
      `CREATE USER '${USER}'@'${host}' IDENTIFIED BY '${PASSWORD}';`,
      `GRANT ALL PRIVILEGES ON ${DATABASE}.* TO '${USER}'@'${host}';`,
    ]),
    '',
  ].join('\n');
}

async function selectOne(port) {
  const mysql = require('mysql2/promise');
  const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: DATABASE, connectTimeout: 2000 });
  try {
    await connection.query('SELECT 1');
  } finally {
    await connection.end().catch(() => {});
  }
}

/** Starts MariaDB; resolves once the `app` user can query the `app` database, with its URL and a stop(). */
async function startMariadb({ log = () => {}, timeoutMs = 30000 } = {}) {
  const started = Date.now();
  const { server: mariadbd, installer } = findBinaries();
  // As root it runs as the package's mysql user (as root MariaDB wants --user=root, and would run as root).
  const user = serverUser('mysql');
  const dir = makeTempDir('mariadb', user);
  const dataDir = path.join(dir, 'data');
  const initFile = path.join(dir, 'init.sql');
  writeFileFor(initFile, initSql(), user);
  const asServer = { cwd: dir, user };
  try {
    // --no-defaults first (the installer insists): no my.cnf of the machine's may change what we start.
    await runToEnd(
      'mariadb-install-db',
      installer,
      ['--no-defaults', `--datadir=${dataDir}`, '--skip-test-db', '--skip-name-resolve', '--auth-root-authentication-method=normal', ...INNODB_OPTIONS],
      asServer,
    );
  } catch (error) {
    removeDir(dir);
    throw error;
  }

  const port = await freeTcpPort();
  const server = startProcess(
    'mariadbd',
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--init-file=${initFile}`,
      ...['--bind-address=127.0.0.1', `--port=${port}`, `--socket=${path.join(dir, 'mysqld.sock')}`, `--pid-file=${path.join(dir, 'mysqld.pid')}`],
      `--tmpdir=${dir}`,
      '--skip-name-resolve',
      // Nothing here needs to survive a crash: no binary log, no flush at commit, no doublewrite.
      ...['--skip-log-bin', '--innodb-flush-log-at-trx-commit=0', '--innodb-doublewrite=0', '--performance-schema=0'],
      ...['--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci'],
      ...INNODB_OPTIONS,
    ],
    { ...asServer, stopSignal: 'SIGTERM', emergencySignal: 'SIGKILL' },
  );
  const stop = async () => {
    await server.stop();
    removeDir(dir);
  };
  try {
    await waitUntilReady(server, () => selectOne(port), { timeoutMs });
  } catch (error) {
    await stop();
    throw error;
  }
  log(`MariaDB ready on 127.0.0.1:${port} in ${secondsSince(started)} s`);
  return { url: `mysql://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`, stop };
}

module.exports = { startMariadb };
