// The Jaeger config this project ships (tests, demo, `npm run jaeger`) turns Jaeger's own tracing off: Jaeger v2
// otherwise traces its queries and exports them to 127.0.0.1:4317 every few seconds, whatever listens there.
import assert from 'node:assert/strict';
import net from 'node:net';
import { it } from 'node:test';

// test/jaeger/jaeger.js is the launcher the test command uses; plain JavaScript, required as it is.
const { ensureJaegerBinary, startJaeger } = require('../../../test/jaeger/jaeger.js') as {
  ensureJaegerBinary(options: { build: boolean }): string | undefined;
  startJaeger(binary: string, options: { ports: 'free' }): Promise<{ queryUrl: string; stop(): Promise<void> }>;
};

async function listenOn4317(onConnection: () => void): Promise<net.Server | string> {
  const trap = net.createServer((socket) => {
    onConnection();
    socket.destroy();
  });
  return new Promise((resolve) => {
    trap.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    trap.listen(4317, '127.0.0.1', () => resolve(trap));
  });
}

const binary = ensureJaegerBinary({ build: false });

it(
  'a Jaeger started with the shipped config makes no connection to 127.0.0.1:4317 while it answers queries',
  { skip: binary === undefined ? 'no Jaeger binary built' : false },
  async (t) => {
    let connections = 0;
    const trap = await listenOn4317(() => (connections += 1));
    if (typeof trap === 'string') {
      t.skip(`127.0.0.1:4317 is taken (${trap}): nothing to listen with`);
      return;
    }
    const jaeger = await startJaeger(binary!, { ports: 'free' });
    try {
      // Jaeger v2's query extension exports its own traces in batches every few seconds: 10 s of queries shows it.
      for (let i = 0; i < 5; i += 1) {
        assert.equal((await fetch(`${jaeger.queryUrl}/api/services`)).status, 200);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    } finally {
      await jaeger.stop();
      trap.close();
    }
    assert.equal(connections, 0, `${connections} connections to 127.0.0.1:4317`);
  },
);
