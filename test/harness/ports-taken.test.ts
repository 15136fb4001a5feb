import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { localJaegerBinary, startLocalJaeger } from '../support/local-jaeger';
import { pythonForPeers, startPythonPeer } from '../support/python-peers';

// The servers the tests and the demo start are given ports found free a moment before; anything else on the
// machine may take one in between (a CI run failed so: Jaeger's query port went to another process). They must
// start again on other ports. Each test here hands out one taken port, through the module every starter asks.

type FreePorts = typeof import('../jaeger/free-ports');

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** What this test uses of the demo's runner (built by `npm run build:demo`, as `npm test` does first). */
interface DemoRunner {
  startChain(
    jaeger: undefined,
    python: string,
  ): Promise<{
    entryUrl: string;
    ports: number[];
    services: Array<{ name: string }>;
    spans: Array<{ traceId: string; service: string; kind?: string }>;
    stop(): Promise<void>;
  }>;
}
const { startChain } = require(path.join(ROOT, 'build', 'demo', 'support', 'run-services.js')) as DemoRunner;

const freePorts = require(path.join(ROOT, 'test', 'jaeger', 'free-ports.js')) as { -readonly [K in keyof FreePorts]: FreePorts[K] };
const realFreeTcpPort = freePorts.freeTcpPort;

const listeners: net.Server[] = [];
after(() => {
  freePorts.freeTcpPort = realFreeTcpPort;
  for (const listener of listeners) listener.close();
});

/** A port another process (here: a plain listener of this test) holds. */
async function takenPort(): Promise<number> {
  const listener = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listeners.push(listener);
  return (listener.address() as net.AddressInfo).port;
}

/** Makes call number `which` of freeTcpPort (from now on) answer `port`; returns how many calls were made. */
function handOutOnce(which: number, port: number): () => number {
  let calls = 0;
  freePorts.freeTcpPort = async () => (++calls === which ? port : realFreeTcpPort());
  return () => calls;
}

const python = pythonForPeers();
if ('missing' in python && process.env.CI === 'true') throw new Error(`CI=true but the Python peers cannot run: ${python.missing}`);
const pythonMissing = 'missing' in python ? python.missing : undefined;

describe('a free port taken before its server binds it: the server starts again elsewhere', () => {
  // service_a (Koa, Node), service_e (Flask), service_f (Django): each hop's start sees the port taken.
  for (const [index, name] of [
    [1, 'service_a (Node)'],
    [2, 'service_e (Flask)'],
    [5, 'service_f (Django)'],
  ] as const) {
    it(`npm run demo: ${name}'s port taken, the chain still answers through every hop`, { skip: pythonMissing, timeout: 120_000 }, async () => {
      const port = await takenPort();
      const calls = handOutOnce(index + 1, port);
      const chain = await startChain(undefined, (python as { python: string }).python);
      let traceId: string | null = null;
      try {
        assert.ok(calls() > chain.ports.length, 'the ports were chosen again');
        assert.ok(!chain.ports.includes(port), 'no service is on the taken port');
        const response = await fetch(`${chain.entryUrl}/chain/`);
        assert.equal(response.status, 200, await response.text());
        traceId = response.headers.get('x-trace-id');
        assert.ok(traceId);
      } finally {
        freePorts.freeTcpPort = realFreeTcpPort;
        await chain.stop();
      }
      // Every hop reported its server span to the demo: none is missing, none answered from the taken port.
      const servers = new Set(chain.spans.filter((span) => span.traceId === traceId && span.kind === 'server').map((span) => span.service));
      assert.deepEqual([...servers].sort(), chain.services.map((service) => service.name).sort());
    });
  }

  it('a Python peer of the interop suite', { skip: pythonMissing, timeout: 60_000 }, async () => {
    const port = await takenPort();
    handOutOnce(1, port);
    const peer = await startPythonPeer('flask-seed', {
      service: 'ports-taken-peer',
      jaeger: { agentHost: '127.0.0.1', compactPort: 9, otlpTracesUrl: 'http://127.0.0.1:9/v1/traces' },
    });
    try {
      freePorts.freeTcpPort = realFreeTcpPort;
      assert.notEqual(new URL(peer.url).port, String(port));
      assert.equal(await (await fetch(`${peer.url}/health`)).text(), 'ok');
    } finally {
      await peer.stop();
    }
  });

  const binary = localJaegerBinary();
  it('Jaeger, when its query port is taken', { skip: binary === undefined ? 'no Jaeger binary built' : undefined, timeout: 120_000 }, async () => {
    const port = await takenPort();
    // The query port is the first TCP port Jaeger is given.
    handOutOnce(1, port);
    const jaeger = await startLocalJaeger(binary!);
    try {
      freePorts.freeTcpPort = realFreeTcpPort;
      assert.notEqual(jaeger.ports.JAEGER_QUERY_PORT, port);
      assert.equal((await fetch(`${jaeger.queryUrl}/api/services`)).status, 200);
    } finally {
      await jaeger.stop();
    }
  });
});
