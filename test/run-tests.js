#!/usr/bin/env node
'use strict';
// The test command (`npm test` builds, then runs this): provides a real Jaeger for the end-to-end suites and
// runs every compiled test file with Node's test runner.
//
// Jaeger comes from, in order: JAEGER_QUERY_URL (a Jaeger you run, e.g. in Docker), else the binary built
// from the pinned Go module (built now if Go is installed). With neither, the e2e suites are skipped loudly;
// with CI=true that is a failure, so CI can never pass without them.
//
// The instrumentation suites also get real PostgreSQL, MariaDB, Redis and RabbitMQ servers (test/servers/):
// throwaway instances of the installed servers on free loopback ports, stopped at the end. A server that is
// not installed is skipped loudly, and fails the run with CI=true, as Jaeger does.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureJaegerBinary, startJaeger } = require('./jaeger/jaeger.js');
const { needsServers, startServers } = require('./servers/index.js');

const ROOT = path.resolve(__dirname, '..');
const TEST_DIRS = ['build/test-legacy', 'build/test-tc39'];

function banner(lines) {
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  const edge = '!'.repeat(width);
  console.error(['', edge, ...lines.map((line) => `! ${line.padEnd(width - 4)} !`), edge, ''].join('\n'));
}

/**
 * Every compiled test file under `dirs`, sorted. Node 22+ reads `--test` arguments as file globs and no longer
 * takes a directory, and Node 20 takes no globs: a list of files is what every version reads the same way.
 */
function testFiles(dirs) {
  return dirs.flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, dir), { recursive: true })
      .filter((file) => file.endsWith('.test.js'))
      .map((file) => path.join(dir, file))
      .sort(),
  );
}

/** Endpoints of a Jaeger the user runs themselves, from JAEGER_QUERY_URL and optional overrides. */
function externalJaeger(queryUrl) {
  const host = new URL(queryUrl).hostname;
  return {
    queryUrl: queryUrl.replace(/\/$/, ''),
    collectorUrl: process.env.JAEGER_COLLECTOR_URL ?? `http://${host}:14268/api/traces`,
    agentHost: process.env.JAEGER_E2E_AGENT_HOST ?? host,
    agentPort: Number(process.env.JAEGER_E2E_AGENT_PORT ?? 6832),
    samplingPort: Number(process.env.JAEGER_E2E_SAMPLING_PORT ?? 5778),
    compactPort: Number(process.env.JAEGER_E2E_COMPACT_PORT ?? 6831),
    otlpHttpUrl: process.env.JAEGER_E2E_OTLP_HTTP_URL ?? `http://${host}:4318`,
    stop: async () => {},
  };
}

async function provideJaeger() {
  if (process.env.JAEGER_QUERY_URL) return externalJaeger(process.env.JAEGER_QUERY_URL);
  const binary = ensureJaegerBinary({ build: true });
  if (binary === undefined) return undefined;
  return startJaeger(binary, { ports: 'free' });
}

function testEnvironment(jaeger, serverEnv) {
  const env = {};
  // The unit tests read no JAEGER_* or OTEL_* variable they did not set themselves.
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('JAEGER_') && !name.startsWith('OTEL_')) env[name] = value;
  if (jaeger) {
    env.E2E_JAEGER_QUERY_URL = jaeger.queryUrl;
    env.E2E_JAEGER_COLLECTOR_URL = jaeger.collectorUrl;
    env.E2E_JAEGER_AGENT_HOST = jaeger.agentHost;
    env.E2E_JAEGER_AGENT_PORT = String(jaeger.agentPort);
    env.E2E_JAEGER_SAMPLING_PORT = String(jaeger.samplingPort);
    // For the Python peers: jaeger_client sends compact Thrift over UDP, OpenTelemetry sends OTLP over HTTP.
    env.E2E_JAEGER_COMPACT_PORT = String(jaeger.compactPort);
    env.E2E_JAEGER_OTLP_HTTP_URL = jaeger.otlpHttpUrl;
  }
  // E2E_POSTGRES_URL, E2E_MYSQL_URL, E2E_REDIS_URL and E2E_AMQP_URL, for the servers that started.
  Object.assign(env, serverEnv);
  return env;
}

/**
 * The servers the instrumentation suites need (test/servers/), or the end of the run: with CI=true a server
 * that did not start fails it (startServers' error carries the banner).
 */
async function provideServers(jaeger) {
  // A signal while they start: exit at once (nothing more may start), signalling Jaeger on the way; the
  // servers' children die with this process (an 'exit' handler in test/servers).
  const interrupted = () => {
    console.error('Interrupted while starting the servers.');
    if (jaeger?.pid) process.kill(jaeger.pid, 'SIGTERM');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    return await startServers({ log: console.error, required: process.env.CI === 'true' });
  } catch (error) {
    console.error(error.message);
    if (jaeger) await jaeger.stop();
    process.exit(1);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

async function main() {
  let jaeger;
  try {
    jaeger = await provideJaeger();
  } catch (error) {
    console.error(`Could not start Jaeger: ${error.message}`);
  }
  if (!jaeger) {
    if (process.env.CI === 'true') {
      banner(['CI=true and no Jaeger could be had: the end-to-end suites cannot run, so this run FAILS.']);
      process.exit(1);
    }
    banner([
      'NO JAEGER: the end-to-end suites against a real Jaeger are SKIPPED.',
      'Install Go (npm test then builds Jaeger), or run one and set JAEGER_QUERY_URL=http://host:16686.',
    ]);
  } else {
    console.error(`End-to-end suites use the Jaeger at ${jaeger.queryUrl}`);
  }

  const files = process.argv.slice(2);
  // With no files named, every file runs, the instrumentation suites among them.
  const servers = files.length === 0 || needsServers(files) ? await provideServers(jaeger) : { env: {}, stop: async () => {} };
  const args = ['--test', '--test-reporter=spec', ...(files.length > 0 ? files : testFiles(TEST_DIRS))];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: testEnvironment(jaeger, servers.env), stdio: 'inherit' });
  // On SIGINT or SIGTERM the tests end first; then the servers and Jaeger are stopped below, as after any run.
  const stopAll = () => child.kill('SIGTERM');
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
  const code = await new Promise((resolve) => child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
  await servers.stop();
  if (jaeger) await jaeger.stop();
  process.exit(code);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
