import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Real Python services (test/python-peers/) that the end-to-end tests chain with Node services, to show that
 * both sides end up in one Jaeger trace. Each runs on its framework's own dev server in a venv built from
 * test/python-peers/requirements.txt:
 * - 'flask-seed': Flask traced the seed project's way (jaeger_client, `trace_id` header, sent as `trace-id`);
 * - 'flask-plain': Flask with jaeger_client's own `uber-trace-id` header;
 * - 'django-seed': Django runserver with the seed-style middleware (`trace-id`);
 * - 'flask-otel': Flask with the OpenTelemetry SDK (W3C `traceparent`), exporting OTLP over HTTP.
 * All serve GET /health, GET /hop?next=URL (calls URL, answers `{ service, trace_id, downstream }`) and
 * GET /fail (500), and answer every traced request with an `x-trace-id` header.
 */
export type PythonPeerKind = 'flask-seed' | 'flask-plain' | 'django-seed' | 'flask-otel';

export interface PythonPeerJaeger {
  agentHost: string;
  /** The UDP port for compact Thrift, where Python jaeger_client reports. */
  compactPort: number;
  /** OTLP over HTTP, e.g. http://127.0.0.1:4318/v1/traces. */
  otlpTracesUrl: string;
}

export interface PythonPeer {
  kind: PythonPeerKind;
  service: string;
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  /** stdout+stderr so far */
  output(): string;
  stop(): Promise<void>;
}

interface VenvBuilder {
  ensurePythonVenv(options?: { log?: (message: string) => void }): { python: string } | { missing: string };
}

// Compiled, this file sits three folders below the repository (build/test-legacy/support/).
const PEERS_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'python-peers');
const venvBuilder = require(path.join(PEERS_DIR, 'python-venv.js')) as VenvBuilder;
// The free ports of the test servers, and their restart when one is taken before it is bound (plain JS).
const freePorts = require(path.join(PEERS_DIR, '..', 'jaeger', 'free-ports.js')) as typeof import('../jaeger/free-ports');

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 8_000;
const OUTPUT_LIMIT = 200_000;

let venv: { python: string } | { missing: string } | undefined;

/** The venv's python, building it on first use; or a reason it cannot be had. */
export function pythonForPeers(): { python: string } | { missing: string } {
  venv ??= venvBuilder.ensurePythonVenv();
  return venv;
}

function commandFor(kind: PythonPeerKind, port: number): string[] {
  switch (kind) {
    case 'flask-seed':
      return [path.join(PEERS_DIR, 'flask_seed.py')];
    case 'flask-plain':
      return [path.join(PEERS_DIR, 'flask_plain.py')];
    case 'flask-otel':
      return [path.join(PEERS_DIR, 'flask_otel.py')];
    case 'django-seed':
      // Django's own runserver, without the autoreloader's second process.
      return [path.join(PEERS_DIR, 'django_seed', 'manage.py'), 'runserver', `127.0.0.1:${port}`, '--noreload'];
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts one Python peer on a free port and resolves once its GET /health answers 200. Rejects, with what
 * the service printed, if it exits first or is not up within 30 s.
 */
export async function startPythonPeer(kind: PythonPeerKind, options: { service: string; jaeger: PythonPeerJaeger }): Promise<PythonPeer> {
  const venvPython = pythonForPeers();
  if ('missing' in venvPython) throw new Error(`no Python for the peers: ${venvPython.missing}`);
  const python = venvPython.python;
  return freePorts.startOnFreePorts(`Python peer ${kind}`, async () => startPythonPeerOn(await freePorts.freeTcpPort(), python, kind, options));
}

async function startPythonPeerOn(
  port: number,
  python: string,
  kind: PythonPeerKind,
  options: { service: string; jaeger: PythonPeerJaeger },
): Promise<PythonPeer> {
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    PEER_PORT: String(port),
    PEER_SERVICE: options.service,
    JAEGER_AGENT_HOST: options.jaeger.agentHost,
    JAEGER_COMPACT_PORT: String(options.jaeger.compactPort),
    OTLP_TRACES_URL: options.jaeger.otlpTracesUrl,
    // Tracebacks and the READY line arrive as they are printed, not when a buffer fills.
    PYTHONUNBUFFERED: '1',
    // No __pycache__ folders left in the source tree.
    PYTHONDONTWRITEBYTECODE: '1',
  };
  const child = spawn(python, commandFor(kind, port), { cwd: PEERS_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null && spawnError === undefined;

  const stop = async () => {
    if (!running()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!running()) {
      await Promise.race([exited, sleep(1000)]);
      const how = spawnError?.message ?? `exit ${child.exitCode ?? child.signalCode}`;
      throw new Error(`Python peer ${kind} (${options.service}) ended while starting (${how}):\n${output}`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Python peer ${kind} (${options.service}) did not answer ${url}/health within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(100);
  }
  return { kind, service: options.service, url, output: () => output, stop };
}
