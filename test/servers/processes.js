'use strict';
// What the four server modules beside this file share: free loopback ports, throwaway directories, finding a
// server's binaries, and running a server as a child of the test command that never outlives it.
//
// A child must not outlive the run however it ends. stop() ends it; an 'exit' handler ends whatever stop() did
// not (an uncaught error, process.exit()); and where util-linux's setpriv exists, each child is exec'd through
// `setpriv --pdeathsig`, so the kernel signals it even when the test command is killed with SIGKILL.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
// The Jaeger launcher's: one way to find a free loopback port for every server the tests start.
const { freeTcpPort } = require('../jaeger/free-ports.js');

/** Directories searched after PATH: servers live in sbin, which a non-root PATH often lacks. */
const EXTRA_BIN_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const OUTPUT_LINES_KEPT = 200;
const LOG_TAIL_LINES = 30;

/** Children still running and directories still there, for the 'exit' handler. */
const running = new Set();
const tempDirs = new Set();
let exitHandlerInstalled = false;

function installExitHandler() {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  // Synchronous, as 'exit' handlers must be: signal, then remove what can be removed.
  process.on('exit', () => {
    for (const proc of running) proc.signal(proc.emergencySignal);
    for (const dir of tempDirs) removeDir(dir);
  });
}

/** The full path of the first of `names` found on PATH or in the sbin/bin directories, else undefined. */
function findBinary(names, extraDirs = []) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...extraDirs, ...EXTRA_BIN_DIRS];
  for (const name of [].concat(names)) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** An error saying which server is not installed and which Debian/Ubuntu package provides it. */
function missingServer(server, aptPackage, binary) {
  const error = new Error(`${server} is not installed (no ${binary}); it comes with the apt package ${aptPackage}`);
  error.code = 'ESERVERMISSING';
  error.server = server;
  error.aptPackage = aptPackage;
  return error;
}

/** True once something accepts TCP connections on 127.0.0.1:port. */
function isListening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The uid and gid to run a server as. Databases refuse to run as root (PostgreSQL) or should not (MariaDB), so
 * as root they run as their package's system user; as anyone else they run as that user.
 */
function serverUser(name) {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error(`running as root, and there is no user ${name} to run the server as`);
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

const TEMP_PREFIX = 'jaeger-decorators-server-';
let staleDirsRemoved = false;

/**
 * Removes the temp dirs of earlier runs that died before they could (SIGKILL ends the servers through
 * --pdeathsig, but leaves their directories): each dir's name carries the pid of the run that made it.
 */
function removeStaleTempDirs() {
  if (staleDirsRemoved) return;
  staleDirsRemoved = true;
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(/^jaeger-decorators-server-(\d+)-/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) removeDir(path.join(os.tmpdir(), name));
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** A fresh directory under the system's temp dir, owned by `user` when given; removed at exit if not before. */
function makeTempDir(server, user) {
  removeStaleTempDirs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${TEMP_PREFIX}${process.pid}-${server}-`));
  tempDirs.add(dir);
  installExitHandler();
  if (user) fs.chownSync(dir, user.uid, user.gid);
  return dir;
}

function removeDir(dir) {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
    tempDirs.delete(dir);
  } catch {
    // a server still writing: the 'exit' handler tries again
  }
}

/** Writes a file the server's user may read (and only it, `mode` 0600 by default). */
function writeFileFor(file, content, user, mode = 0o600) {
  fs.writeFileSync(file, content, { mode });
  if (user) fs.chownSync(file, user.uid, user.gid);
}

const SETPRIV = findBinary('setpriv');

/**
 * Spawns `command` as a child that dies with the test command. `stopSignal` is the server's clean but quick
 * shutdown; `emergencySignal` is what it gets when the test command exits or dies without stopping it.
 */
function startProcess(name, command, args, { cwd, env = process.env, user, stopSignal = 'SIGTERM', emergencySignal = 'SIGKILL' } = {}) {
  const [file, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', emergencySignal, '--', command, ...args]] : [command, args];
  // uid/gid are set in the child before setpriv runs: a parent-death signal set before a change of user is cleared.
  const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: false, ...(user ?? {}) });
  const lines = [];
  const keep = (chunk) => {
    lines.push(...chunk.toString().split('\n'));
    if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // 'error' instead of 'exit' when it could not be spawned at all.
  let spawnError;
  const proc = {
    name,
    child,
    emergencySignal,
    /** Resolves with its exit code, else the signal that ended it, else the error that kept it from starting. */
    exited: new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? signal));
      child.once('error', (error) => {
        spawnError = error;
        resolve(error);
      });
    }),
    spawnError: () => spawnError,
    isRunning: () => spawnError === undefined && child.exitCode === null && child.signalCode === null,
    /** The last lines it wrote, without colour codes. */
    tail: (count = LOG_TAIL_LINES) =>
      lines
        .slice(-count)
        .join('\n')
        .replace(/\u001b\[[0-9;]*m/g, ''),
    signal(signal) {
      if (proc.isRunning()) {
        try {
          child.kill(signal);
        } catch {
          // already gone
        }
      }
    },
    /** Sends the stop signal, and SIGKILL if it is still running after `timeoutMs`. */
    async stop(timeoutMs = 10000) {
      if (proc.isRunning()) {
        proc.signal(stopSignal);
        const timer = setTimeout(() => proc.signal('SIGKILL'), timeoutMs);
        await proc.exited;
        clearTimeout(timer);
      }
      running.delete(proc);
    },
  };
  running.add(proc);
  installExitHandler();
  child.once('exit', () => running.delete(proc));
  child.once('error', () => running.delete(proc));
  return proc;
}

/** An error about `proc` that ends with the last lines it wrote. */
function withLog(message, proc) {
  return new Error(`${message}\n--- last lines from ${proc.name} ---\n${proc.tail()}\n---`);
}

/** Runs a setup command (initdb and the like) to its end; rejects with its output unless it exits 0. */
async function runToEnd(name, command, args, options) {
  const proc = startProcess(name, command, args, options);
  const outcome = await proc.exited;
  if (outcome instanceof Error) throw new Error(`${name} could not be run: ${outcome.message}`);
  if (outcome !== 0) throw withLog(`${name} failed (exit ${outcome})`, proc);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `attempt` until it resolves (its value is returned): the server is ready when its real client gets an
 * answer. Fails at once when the server exits, and after `timeoutMs` with the last error and the server's log.
 */
async function waitUntilReady(proc, attempt, { timeoutMs, intervalMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    if (proc.spawnError()) throw new Error(`${proc.name} could not be run: ${proc.spawnError().message}`);
    if (!proc.isRunning()) throw withLog(`${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) while starting`, proc);
    try {
      return await attempt();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw withLog(`${proc.name} did not accept clients within ${timeoutMs / 1000} s (last: ${lastError?.message ?? lastError})`, proc);
    }
    await sleep(intervalMs);
  }
}

/** The seconds since `started`, to one decimal, for the log. */
function secondsSince(started) {
  return ((Date.now() - started) / 1000).toFixed(1);
}

module.exports = {
  findBinary,
  missingServer,
  freeTcpPort,
  isListening,
  serverUser,
  makeTempDir,
  removeDir,
  writeFileFor,
  startProcess,
  runToEnd,
  waitUntilReady,
  withLog,
  secondsSince,
};
