import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// The chain's Python hops are the seed's own stack: Flask or Django traced with Python jaeger_client, its
// `trace_id` header, `requests` patched by opentracing_instrumentation. They are the same services the
// interop tests run (test/python-peers/), in a venv built from pinned requirements on first use.
const PEERS_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'python-peers');

interface VenvBuilder {
  ensurePythonVenv(options?: { log?: (message: string) => void }): { python: string } | { missing: string };
}

export type PythonKind = 'flask' | 'django';

/** Where a Python hop reports: Jaeger's compact-Thrift UDP port, or the demo's span sink when no Jaeger runs. */
export type PythonReporting = { agentHost: string; compactPort: number } | { spanSinkUrl: string };

/** The venv's python (built now if needed, which takes a minute the first time), or why there is none. */
export function pythonForDemo(log: (message: string) => void): { python: string } | { missing: string } {
  const builder = require(path.join(PEERS_DIR, 'python-venv.js')) as VenvBuilder;
  return builder.ensurePythonVenv({ log });
}

function commandFor(kind: PythonKind, port: number): string[] {
  return kind === 'flask'
    ? [path.join(PEERS_DIR, 'flask_seed.py')]
    : [path.join(PEERS_DIR, 'django_seed', 'manage.py'), 'runserver', `127.0.0.1:${port}`, '--noreload'];
}

/**
 * Starts one Python hop on `port`, calling `nextUrl` for /chain/ and /error/, and resolves once it listens
 * (it prints `READY <port>`). Its own output (server banners, jaeger_client's span log) is kept back: the
 * demo prints only what a newcomer should read.
 */
export function startPythonService(
  python: string,
  kind: PythonKind,
  options: { service: string; port: number; nextUrl: string; reporting: PythonReporting },
): Promise<ChildProcess> {
  const reporting = options.reporting;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PEER_SERVICE: options.service,
    PEER_PORT: String(options.port),
    PEER_NEXT_URL: options.nextUrl,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    ...('spanSinkUrl' in reporting
      ? { DEMO_SPAN_SINK: reporting.spanSinkUrl }
      : { JAEGER_AGENT_HOST: reporting.agentHost, JAEGER_COMPACT_PORT: String(reporting.compactPort) }),
  };
  const child = spawn(python, commandFor(kind, options.port), { cwd: PEERS_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // A Python service has no IPC channel to see the runner go: it is stopped when the runner exits, however it
  // exits (a signal, an error), so none is left holding its port.
  const stopWithRunner = () => child.kill('SIGTERM');
  process.once('exit', stopWithRunner);
  child.once('exit', () => process.off('exit', stopWithRunner));
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => fail(new Error(`${options.service} exited with code ${code} while starting:\n${output.slice(-2000)}`));
    const timer = setTimeout(() => fail(new Error(`${options.service} did not start within 30 s:\n${output.slice(-2000)}`)), 30000);
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (output.includes(`READY ${options.port}`)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(child);
      }
    });
    child.stderr.on('data', keep);
    child.once('error', fail);
    child.once('exit', onExit);
  });
}
