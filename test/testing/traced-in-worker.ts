// Run as a worker thread by test-tracer.test.ts: a worker has its own globals, so its own tracer, and the test
// kit must work there as on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { Span } from 'jaeger-decorators';
import { installTestTracer } from 'jaeger-decorators/testing';

class ThumbnailService {
  @Span()
  resize(width: number): number {
    return width / 2;
  }
}

async function main(): Promise<void> {
  const testTracer = installTestTracer({ serviceName: 'thumbnails' });
  new ThumbnailService().resize(Number(workerData));
  const spans = testTracer.finishedSpans();
  await testTracer.close();
  parentPort?.postMessage(spans);
}

void main();
