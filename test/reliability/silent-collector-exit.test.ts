import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';

const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'close-with-silent-collector.js');

describe('reliability: a collector that accepts connections and never answers', () => {
  for (const timeoutMs of [5000, 30000]) {
    it(`closeTracer() resolves by its 5 s cap, says what it could not send, and the process then exits by itself (timeoutMs ${timeoutMs})`, async () => {
      const sockets = new Set<net.Socket>();
      const silent = net.createServer((socket) => {
        sockets.add(socket);
        socket.resume(); // reads every request, answers none
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const child = spawn(process.execPath, [FIXTURE], {
          env: { ...process.env, SILENT_PORT: String((silent.address() as net.AddressInfo).port), TIMEOUT_MS: String(timeoutMs) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const started = Date.now();
        const exit = await new Promise<number | string>((resolve) => {
          const hang = setTimeout(() => {
            child.kill('SIGKILL');
            resolve('killed after 9 s: the process did not exit by itself');
          }, 9000);
          child.on('exit', (code) => {
            clearTimeout(hang);
            resolve(code ?? -1);
          });
        });
        assert.equal(exit, 0, `${String(exit)}\n${stderr}`);
        const { closeMs } = JSON.parse(stdout.trim()) as { closeMs: number };
        console.log(`    closeTracer() took ${closeMs} ms; the process exited ${Date.now() - started} ms after it started`);
        assert.ok(closeMs <= 5500, `closeTracer() took ${closeMs} ms`);
        assert.match(
          stderr,
          /TracingWarning: jaeger-decorators: close\(\) gave up after 4500 ms with spans still waiting to be sent.*500 spans dropped so far/,
        );
      } finally {
        for (const socket of sockets) socket.destroy();
        silent.close();
      }
    });
  }
});
