'use strict';
// A throwaway RabbitMQ for the instrumentation suites (amqplib): a node of its own, with its own epmd, every
// directory and file it writes in a temp dir, listening on free loopback ports only, no plugins.
//
// Erlang nodes find each other through epmd, which normally is one shared daemon on port 4369 that the first
// node starts and nobody stops. Ours runs in the foreground on a free port (ERL_EPMD_PORT tells the node and
// the tools it runs), so it is a child we stop, and a RabbitMQ the machine already runs is never touched.

const fs = require('node:fs');
const path = require('node:path');
const { findBinary, missingServer, freeTcpPort, isListening, makeTempDir, removeDir, startProcess, waitUntilReady, secondsSince } = require('./processes.js');

/**
 * The server script itself. Debian's /usr/sbin/rabbitmq-server is a wrapper that switches to the rabbitmq user
 * with su (a process in between, and a fixed HOME), so the script it runs comes first.
 */
function findBinaries() {
  const script = ['/usr/lib/rabbitmq/bin/rabbitmq-server'].find((file) => fs.existsSync(file)) ?? findBinary('rabbitmq-server');
  if (!script) throw missingServer('RabbitMQ', 'rabbitmq-server', 'rabbitmq-server');
  const epmd = findBinary('epmd', ['/usr/lib/erlang/bin']);
  if (!epmd) throw missingServer('RabbitMQ', 'rabbitmq-server', 'epmd (Erlang)');
  return { script, epmd };
}

/** rabbitmq.conf: logs on the console (kept for errors), and no blocking of publishers on a nearly full disk. */
function config() {
  return ['log.console = true', 'log.console.level = info', 'log.file = false', 'disk_free_limit.absolute = 1MB', ''].join('\n');
}

/** The environment RabbitMQ's scripts read: every path in `dir`, every listener on loopback. */
function rabbitEnvironment(dir, { amqpPort, distPort, epmdPort }) {
  const env = {};
  // Nothing of a RabbitMQ or Erlang setup of the user's may leak in.
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('RABBITMQ_') && !name.startsWith('ERL_')) env[name] = value;
  return {
    ...env,
    // Erlang keeps its cookie in $HOME/.erlang.cookie.
    HOME: dir,
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_CRASH_DUMP: path.join(dir, 'erl_crash.dump'),
    RABBITMQ_NODENAME: `test-${process.pid}-${amqpPort}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
    RABBITMQ_CONFIG_FILES: path.join(dir, 'conf.d'),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_PLUGINS_EXPAND_DIR: path.join(dir, 'plugins-expand'),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
    // Without this the script runs Erlang in a background subshell and waits: the process we spawn would be
    // a shell, not the node, and the node would not get our signals. With it the script execs Erlang
    // (sh, erl and erlexec all exec), and -noinput keeps the shell it would then start off stdin.
    RABBITMQ_ALLOW_INPUT: 'true',
    RABBITMQ_SERVER_START_ARGS: '-noinput -start_epmd false',
    // The distribution port on loopback too (RABBITMQ_NODE_IP_ADDRESS is only AMQP's).
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
}

function writeConfigFiles(dir) {
  fs.writeFileSync(path.join(dir, 'rabbitmq.conf'), config());
  fs.writeFileSync(path.join(dir, 'rabbitmq-env.conf'), '');
  fs.mkdirSync(path.join(dir, 'conf.d'));
  // No plugins: management and its HTTP listener would only cost start time.
  fs.writeFileSync(path.join(dir, 'enabled_plugins'), '[].\n');
}

async function openChannel(url) {
  const amqp = require('amqplib');
  const connection = await amqp.connect(url);
  connection.on('error', () => {});
  try {
    await connection.createChannel();
  } finally {
    await connection.close().catch(() => {});
  }
}

/** Starts epmd and waits until it listens, so the node never starts a daemon of its own. */
async function startEpmd(epmd, dir, port, timeoutMs) {
  const proc = startProcess('epmd', epmd, ['-port', String(port), '-address', '127.0.0.1'], { cwd: dir, stopSignal: 'SIGTERM', emergencySignal: 'SIGKILL' });
  await waitUntilReady(
    proc,
    async () => {
      if (!(await isListening(port))) throw new Error(`nothing on port ${port} yet`);
    },
    { timeoutMs, intervalMs: 50 },
  );
  return proc;
}

/** Starts RabbitMQ; resolves once guest/guest can open a channel, with its URL and a stop(). */
async function startRabbitmq({ log = () => {}, timeoutMs = 60000 } = {}) {
  const started = Date.now();
  const { script, epmd } = findBinaries();
  const dir = makeTempDir('rabbitmq');
  writeConfigFiles(dir);
  const ports = { amqpPort: await freeTcpPort(), distPort: await freeTcpPort(), epmdPort: await freeTcpPort() };
  const url = `amqp://guest:guest@127.0.0.1:${ports.amqpPort}`;
  const children = [];
  const stop = async () => {
    // The node first (it is registered with epmd), then epmd. The node's own children (erl_child_setup,
    // inet_gethost) exit with it.
    for (const child of children) await child.stop();
    removeDir(dir);
  };
  try {
    children.push(await startEpmd(epmd, dir, ports.epmdPort, timeoutMs));
    const node = startProcess('rabbitmq-server', script, [], {
      cwd: dir,
      env: rabbitEnvironment(dir, ports),
      stopSignal: 'SIGTERM',
      emergencySignal: 'SIGKILL',
    });
    children.unshift(node);
    // The AMQP listener opens at the end of the boot, so a channel means it is ready.
    await waitUntilReady(node, () => openChannel(url), { timeoutMs, intervalMs: 200 });
  } catch (error) {
    await stop();
    throw error;
  }
  log(`RabbitMQ ready on 127.0.0.1:${ports.amqpPort} in ${secondsSince(started)} s`);
  return { url, stop };
}

module.exports = { startRabbitmq };
