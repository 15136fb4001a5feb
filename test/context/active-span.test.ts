import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getActiveSpan, withSpan } from 'jaeger-decorators';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

describe('the active span', () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('is undefined outside withSpan and the span inside it', () => {
    const span = recording.tracer.startSpan('a');
    assert.equal(getActiveSpan(), undefined);
    assert.equal(
      withSpan(span, () => getActiveSpan()),
      span,
    );
    assert.equal(getActiveSpan(), undefined);
  });

  it('withSpan returns what the function returns, the same object', () => {
    const value = { ok: true };
    const promise = Promise.resolve(1);
    const span = recording.tracer.startSpan('a');
    assert.equal(
      withSpan(span, () => value),
      value,
    );
    assert.equal(
      withSpan(span, () => promise),
      promise,
    );
  });

  it('survives await, setTimeout, setImmediate, nextTick and event emitters', async () => {
    const span = recording.tracer.startSpan('a');
    const seen = await withSpan(span, async () => {
      const results: unknown[] = [];
      await delay(1);
      results.push(getActiveSpan());
      await new Promise<void>((resolve) => setImmediate(() => (results.push(getActiveSpan()), resolve())));
      await new Promise<void>((resolve) => process.nextTick(() => (results.push(getActiveSpan()), resolve())));
      const emitter = new EventEmitter();
      const emitted = new Promise<void>((resolve) => emitter.once('go', () => (results.push(getActiveSpan()), resolve())));
      setTimeout(() => emitter.emit('go'), 1);
      await emitted;
      return results;
    });
    assert.deepEqual(seen, [span, span, span, span]);
  });

  it('never leaks between 200 concurrent interleaved calls', async () => {
    const spans = Array.from({ length: 200 }, (_, i) => recording.tracer.startSpan(`call-${i}`));
    const mismatches = await Promise.all(
      spans.map((span) =>
        withSpan(span, async () => {
          let wrong = 0;
          for (let step = 0; step < 5; step += 1) {
            await delay(Math.random() * 3);
            if (getActiveSpan() !== span) wrong += 1;
          }
          return wrong;
        }),
      ),
    );
    assert.equal(
      mismatches.reduce((a, b) => a + b, 0),
      0,
    );
  });

  it('does not leak into the caller after an async withSpan', async () => {
    const span = recording.tracer.startSpan('a');
    await withSpan(span, async () => {
      await delay(1);
    });
    assert.equal(getActiveSpan(), undefined);
  });

  it('nests: the inner span is active inside, the outer one again after', () => {
    const outer = recording.tracer.startSpan('outer');
    const inner = recording.tracer.startSpan('inner');
    withSpan(outer, () => {
      withSpan(inner, () => assert.equal(getActiveSpan(), inner));
      assert.equal(getActiveSpan(), outer);
    });
  });
});
