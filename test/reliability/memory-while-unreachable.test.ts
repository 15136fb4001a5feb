import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'spans-while-unreachable.js');

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('reliability: memory while Jaeger is unreachable', () => {
  for (const reporter of ['http', 'udp']) {
    it(`1,000,000 spans over ${reporter.toUpperCase()} to nowhere: the process grows by 50 MB at most`, async () => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', FIXTURE], {
        env: { ...process.env, REPORTER: reporter, SPANS: '1000000', CLOSED_PORT: String(await closedPort()) },
        timeout: 120000,
      });
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as { rssGrowthMb: number; heapGrowthMb: number; seconds: number };
      console.log(
        `    ${reporter}: RSS +${result.rssGrowthMb.toFixed(1)} MB, heap +${result.heapGrowthMb.toFixed(1)} MB over 1,000,000 spans in ${result.seconds.toFixed(1)} s`,
      );
      assert.ok(result.rssGrowthMb <= 50, `RSS grew by ${result.rssGrowthMb.toFixed(1)} MB`);
    });
  }
});
