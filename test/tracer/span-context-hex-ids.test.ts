import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SpanContext } from 'jaeger-client';
import { initTracer } from 'jaeger-decorators';
import { closeTracer } from '../support/recording-tracer';

/** jaeger-client's own rule: Buffer#toString('hex'), leading zero digits removed, one digit kept. */
const jaegerClientHex = (bytes: Buffer) => bytes.toString('hex').replace(/^0+(?=.)/, '');

type Ids = { traceIdStr: string; spanIdStr: string; parentIdStr: string | null };

describe("jaeger-client's id strings, computed in JavaScript", () => {
  it('are the strings jaeger-client writes, for every shape of id', async () => {
    initTracer('hex-ids', { sampler: { type: 'const', param: 1 }, reporter: { agentHost: '127.0.0.1', agentPort: 9 } });
    try {
      const ids: Buffer[] = [Buffer.alloc(8), Buffer.alloc(16), Buffer.from('000000000000000a', 'hex'), Buffer.from('0f00000000000000', 'hex')];
      for (let i = 0; i < 500; i += 1) ids.push(randomBytes(i % 2 === 0 ? 8 : 16));
      // Leading zero bytes and nibbles, as random ids have them one time in 16 and 256.
      for (let i = 0; i < 200; i += 1) ids.push(Buffer.concat([Buffer.alloc(i % 4), Buffer.from([i % 16]), randomBytes(7 - (i % 4))]));
      for (const id of ids) {
        const spanId = id.subarray(-8);
        const parentId = randomBytes(8);
        const Context = SpanContext as unknown as new (traceId: Buffer, spanId: Buffer, parentId: Buffer) => Ids;
        const context = new Context(Buffer.from(id), Buffer.from(spanId), Buffer.from(parentId));
        assert.equal(context.traceIdStr, jaegerClientHex(id));
        assert.equal(context.spanIdStr, jaegerClientHex(spanId));
        assert.equal(context.parentIdStr, jaegerClientHex(parentId));
        // A root span's shape: one buffer for the trace id and the span id, read in either order.
        const rootId = Buffer.from(spanId);
        const spanFirst = new Context(rootId, rootId, null as unknown as Buffer);
        assert.equal(spanFirst.spanIdStr, jaegerClientHex(spanId));
        assert.equal(spanFirst.traceIdStr, jaegerClientHex(spanId));
        const traceFirst = new Context(rootId, rootId, null as unknown as Buffer);
        // jaeger-client's constructor reads the span id string (for its sampling state): forgotten here, so the
        // trace id string is made first and the span id string is taken from it.
        (traceFirst as unknown as { _spanIdStr: string | null })._spanIdStr = null;
        assert.equal(traceFirst.traceIdStr, jaegerClientHex(spanId));
        assert.equal(traceFirst.spanIdStr, jaegerClientHex(spanId));
      }
    } finally {
      await closeTracer();
    }
  });

  it('keep the strings a context was given, and a context without a parent has none', () => {
    const Context = SpanContext as unknown as new (
      traceId: Buffer | null,
      spanId: Buffer | null,
      parentId: Buffer | null,
      traceIdStr?: string,
      spanIdStr?: string,
    ) => Ids;
    const context = new Context(null, null, null, 'abc', 'def');
    assert.equal(context.traceIdStr, 'abc');
    assert.equal(context.spanIdStr, 'def');
    assert.equal(context.parentIdStr, undefined);
  });
});
