'use strict';
// The real servers the instrumentation suites run against (PostgreSQL, MariaDB, Redis, RabbitMQ), started by
// the test command beside Jaeger, each a throwaway instance of the machine's installed server on a free
// loopback port. The suites get their URLs in E2E_*_URL variables and skip without them; with CI=true
// (`required`) a server that is not installed fails the run instead, so CI can never pass without them.

const { startPostgres } = require('./postgres.js');
const { startMariadb } = require('./mariadb.js');
const { startRedis } = require('./redis.js');
const { startRabbitmq } = require('./rabbitmq.js');
const { startOnFreePorts } = require('../jaeger/free-ports.js');

const SERVERS = [
  { name: 'PostgreSQL', variable: 'E2E_POSTGRES_URL', start: startPostgres },
  { name: 'MariaDB', variable: 'E2E_MYSQL_URL', start: startMariadb },
  { name: 'Redis', variable: 'E2E_REDIS_URL', start: startRedis },
  { name: 'RabbitMQ', variable: 'E2E_AMQP_URL', start: startRabbitmq },
];

/** Whether any of these test files needs the servers: the suites under instrumentation/ do. */
function needsServers(files) {
  return files.some((file) => /[\\/]instrumentation[\\/]/.test(file));
}

function banner(lines) {
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  const edge = '!'.repeat(width);
  return ['', edge, ...lines.map((line) => `! ${line.padEnd(width - 4)} !`), edge, ''].join('\n');
}

/**
 * Starts every server at once. Resolves with `env` (the URL variable of each one that started) and a stop()
 * for all of them. A server that is not installed, or would not start, is left out with a loud banner; when
 * `required`, it is an error instead (naming the apt package to install), and the others are stopped first.
 */
async function startServers({ log = console.error, required = false } = {}) {
  const outcomes = await Promise.allSettled(SERVERS.map((server) => startOnFreePorts(server.name, () => server.start({ log }), { log })));
  const started = [];
  const failed = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') started.push({ ...SERVERS[index], ...outcome.value });
    else failed.push({ ...SERVERS[index], error: outcome.reason });
  });
  const stop = async () => {
    await Promise.all(started.map((server) => server.stop()));
  };
  if (failed.length > 0) {
    const reasons = failed.map(({ name, error }) => `${name}: ${error.message.split('\n')[0]}`);
    const install = failed.filter(({ error }) => error.code === 'ESERVERMISSING').map(({ error }) => error.aptPackage);
    const hint = install.length > 0 ? [`Install: apt-get install ${install.join(' ')}`] : [];
    if (required) {
      await stop();
      const details = failed.map(({ name, error }) => `${name}: ${error.message}`).join('\n');
      throw new Error(
        `${banner([`CI=true and not every server started: the instrumentation suites cannot run, so this run FAILS.`, ...reasons, ...hint])}${details}`,
      );
    }
    for (const { name, error } of failed) if (error.code !== 'ESERVERMISSING') log(`${name} would not start: ${error.message}`);
    log(banner([`NO ${failed.map(({ name }) => name).join(', ')}: the instrumentation suites that need them are SKIPPED.`, ...reasons, ...hint]));
  }
  const env = Object.fromEntries(started.map(({ variable, url }) => [variable, url]));
  return { env, stop };
}

module.exports = { startServers, needsServers, SERVERS };
