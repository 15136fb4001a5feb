// A process that ends without closing its tracer (process.exit(), an uncaught exception) loses the spans it
// held: it says how many as it goes. One that closes and exits at once hears the close's last word first.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';

const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'exit-paths.js');

function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, SERVICE: 'exit-paths', SPANS: '40', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const hang = setTimeout(() => child.kill('SIGKILL'), 15000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(hang);
      resolve({ code, stderr });
    }),
  );
}

/** A collector that answers every POST with `status` (nothing is sent to it in the exit cases: no flush comes). */
async function collector(status: number): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'text/plain' }).end('no'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/traces`, close: () => server.close() };
}

describe('reliability: a process that ends without closing its tracer says what it lost', () => {
  for (const [exit, code] of [
    ['exit', 0],
    ['throw', 1],
  ] as const) {
    it(`${exit === 'exit' ? 'process.exit()' : 'an uncaught exception'}: one TracingWarning counts the spans that were never sent, and says what to do`, async () => {
      const { url, close } = await collector(200);
      try {
        const { code: exitCode, stderr } = await run({ EXIT: exit, COLLECTOR_URL: url });
        assert.equal(exitCode, code, stderr);
        const said = stderr.match(
          /TracingWarning: jaeger-decorators: the process exited with 40 spans not yet sent to the Jaeger collector at (\S+): they are lost/g,
        );
        assert.equal(said?.length, 1, stderr);
        assert.ok(said[0].includes(url), stderr);
        assert.match(stderr, /Await closeTracer\(\) before the process ends, or pass closeOnExit\./);
      } finally {
        close();
      }
    });
  }

  it('`await closeTracer(); process.exit()`: what close could not send is said before the process goes', async () => {
    const { url, close } = await collector(400);
    try {
      const { code, stderr } = await run({ EXIT: 'close-then-exit', COLLECTOR_URL: url });
      assert.equal(code, 0, stderr);
      assert.match(
        stderr,
        /TracingWarning: jaeger-decorators: could not send spans to the Jaeger collector at \S+: the collector answered HTTP 400.*40 spans dropped so far\./,
      );
      // Said by the close itself: no line promises a total still to come.
      assert.doesNotMatch(stderr, /closeTracer\(\) gives the total/);
      assert.doesNotMatch(stderr, /not yet sent/);
    } finally {
      close();
    }
  });
});
