'use strict';
// Builds and runs the real Jaeger (v2 all-in-one) that the tests, the demo and `npm run jaeger` use.
// Plain CommonJS so it runs before anything is compiled. Jaeger is built from its Go module, pinned in
// go.mod beside this file; the binary is cached under .cache/ and rebuilt only when that pin changes.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
// Through the module, so a test can hand out a taken port (test/harness/ports-taken.test.ts).
const freePorts = require('./free-ports.js');

const MODULE_DIR = __dirname;
const REPO_ROOT = path.resolve(MODULE_DIR, '..', '..');
const CACHE_DIR = path.join(REPO_ROOT, '.cache');
const CONFIG_FILE = path.join(MODULE_DIR, 'jaeger-config.yaml');
const JAEGER_PACKAGE = 'github.com/jaegertracing/jaeger/cmd/jaeger';

/** Jaeger's default ports, keyed by the environment variable jaeger-config.yaml reads each from. */
const DEFAULT_PORTS = {
  JAEGER_QUERY_PORT: 16686,
  JAEGER_QUERY_GRPC_PORT: 16685,
  JAEGER_SAMPLING_PORT: 5778,
  JAEGER_SAMPLING_GRPC_PORT: 5779,
  JAEGER_HEALTH_PORT: 13133,
  JAEGER_OTLP_GRPC_PORT: 4317,
  JAEGER_OTLP_HTTP_PORT: 4318,
  JAEGER_COLLECTOR_PORT: 14268,
  JAEGER_BINARY_PORT: 6832,
  JAEGER_COMPACT_PORT: 6831,
};
const UDP_PORTS = new Set(['JAEGER_BINARY_PORT', 'JAEGER_COMPACT_PORT']);

/** The Jaeger version go.mod pins. */
function pinnedVersion() {
  const goMod = fs.readFileSync(path.join(MODULE_DIR, 'go.mod'), 'utf8');
  const match = /github\.com\/jaegertracing\/jaeger (v\S+)/.exec(goMod);
  if (!match) throw new Error(`no github.com/jaegertracing/jaeger requirement in ${path.join(MODULE_DIR, 'go.mod')}`);
  return match[1];
}

function binaryPath() {
  return path.join(CACHE_DIR, `jaeger-${pinnedVersion()}`);
}

function hasGo() {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Returns the path of the Jaeger binary, building it first when it is missing and `build` is true.
 * Returns undefined when there is none and it cannot or may not be built.
 */
function ensureJaegerBinary({ build = true, log = console.error } = {}) {
  const binary = binaryPath();
  if (fs.existsSync(binary)) return binary;
  if (!build || !hasGo()) return undefined;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  log(`Building Jaeger ${pinnedVersion()} from its Go module (first time only; a few minutes)...`);
  const started = Date.now();
  const partial = `${binary}.partial`;
  const result = spawnSync('go', ['build', '-o', partial, JAEGER_PACKAGE], { cwd: MODULE_DIR, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`go build ${JAEGER_PACKAGE} failed (exit ${result.status})`);
  fs.renameSync(partial, binary);
  log(`Built ${binary} in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return binary;
}

function isTcpPortFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function choosePorts(useDefaults) {
  const ports = {};
  for (const [name, port] of Object.entries(DEFAULT_PORTS)) {
    if (useDefaults) ports[name] = port;
    else ports[name] = UDP_PORTS.has(name) ? await freePorts.freeUdpPort() : await freePorts.freeTcpPort();
  }
  return ports;
}

/** Where each part of a running Jaeger listens, for clients and for the query API. */
function endpointsFor(ports) {
  return {
    queryUrl: `http://127.0.0.1:${ports.JAEGER_QUERY_PORT}`,
    collectorUrl: `http://127.0.0.1:${ports.JAEGER_COLLECTOR_PORT}/api/traces`,
    agentHost: '127.0.0.1',
    agentPort: ports.JAEGER_BINARY_PORT,
    compactPort: ports.JAEGER_COMPACT_PORT,
    samplingPort: ports.JAEGER_SAMPLING_PORT,
    healthUrl: `http://127.0.0.1:${ports.JAEGER_HEALTH_PORT}/status`,
    otlpHttpUrl: `http://127.0.0.1:${ports.JAEGER_OTLP_HTTP_PORT}`,
  };
}

async function waitUntilHealthy(endpoints, child, timeoutMs, hasQuery = true) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Jaeger exited with code ${child.exitCode} while starting`);
    try {
      const health = await fetch(endpoints.healthUrl);
      const services = hasQuery ? await fetch(`${endpoints.queryUrl}/api/services`) : health;
      if (health.ok && services.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Jaeger was not healthy after ${timeoutMs} ms (${endpoints.healthUrl})`);
}

/**
 * Starts Jaeger from `binary` with in-memory storage on loopback. `ports: 'default'` uses Jaeger's usual
 * ports; `'free'` picks unused ones, so a test run never collides with a Jaeger the user already runs; an
 * object of ports (a running Jaeger's `ports`) starts it on exactly those.
 * `extraConfig` names a YAML file merged over jaeger-config.yaml; `config` names one used instead of it (e.g.
 * jaeger-collector-tier.yaml, a collector without query: `hasQuery: false`), and `env` adds variables it reads.
 * Resolves once Jaeger is healthy, with its endpoints and a `stop()` that ends it.
 */
async function startJaeger(binary, options = {}) {
  const { ports = 'free' } = options;
  // An object of ports (from an earlier run's `ports`) restarts Jaeger where it was.
  if (typeof ports === 'object') return startJaegerOn(binary, { ...ports }, options);
  if (ports === 'default') {
    const chosen = await choosePorts(true);
    if (!(await isTcpPortFree(chosen.JAEGER_QUERY_PORT))) {
      throw new Error(`port ${chosen.JAEGER_QUERY_PORT} is taken: is a Jaeger already running?`);
    }
    return startJaegerOn(binary, chosen, options);
  }
  return freePorts.startOnFreePorts('Jaeger', async () => startJaegerOn(binary, await choosePorts(false), options), { log: console.error });
}

async function startJaegerOn(binary, chosen, { log = () => {}, timeoutMs = 60000, extraConfig, config = CONFIG_FILE, env: extraEnv = {}, hasQuery = true }) {
  const env = { ...process.env, ...extraEnv };
  for (const [name, port] of Object.entries(chosen)) env[name] = String(port);
  // A second --config file is merged over the first (the collector's rule), for a variant of the setup.
  const args = ['--config', `file:${config}`, ...(extraConfig ? ['--config', `file:${extraConfig}`] : [])];
  const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk);
    if (output.length > 200) output.shift();
    log(chunk.toString());
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const endpoints = endpointsFor(chosen);
  try {
    await waitUntilHealthy(endpoints, child, timeoutMs, hasQuery);
  } catch (error) {
    child.kill('SIGKILL');
    // Its last words (a port it could not bind) may still be in the pipes when it has exited.
    await Promise.race([new Promise((resolve) => child.once('close', resolve)), new Promise((resolve) => setTimeout(resolve, 1000))]);
    error.message += `\n${Buffer.concat(output).toString().slice(-4000)}`;
    throw error;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    ...endpoints,
    ports: chosen,
    pid: child.pid,
    output: () => Buffer.concat(output).toString(),
    /** Ends Jaeger at once, as a crash would. */
    async kill() {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

module.exports = { ensureJaegerBinary, startJaeger, pinnedVersion, binaryPath, endpointsFor, DEFAULT_PORTS };
