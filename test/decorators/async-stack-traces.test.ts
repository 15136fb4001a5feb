import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LogErrorsToSpan, Span, withSpan } from 'jaeger-decorators';
import { DIALECT } from '../support/dialect';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';
import { appFrames, packageFrames } from '../support/stack-frames';

interface Chain {
  a(): Promise<void>;
}

// The same three awaited calls, each under a class named Chain so the frames read alike: a awaits b, b awaits
// c, and c throws after an await of its own, where only V8's async stack trace can say who called it.
function undecoratedChain(): Chain {
  class Chain {
    async a() {
      await this.b();
    }
    async b() {
      await this.c();
    }
    async c() {
      await delay(1);
      throw new Error('three calls deep');
    }
  }
  return new Chain();
}

function spanChain(): Chain {
  class Chain {
    @Span()
    async a() {
      await this.b();
    }
    @Span()
    async b() {
      await this.c();
    }
    @Span()
    async c() {
      await delay(1);
      throw new Error('three calls deep');
    }
  }
  return new Chain();
}

function errorLoggingChain(): Chain {
  class Chain {
    @LogErrorsToSpan()
    async a() {
      await this.b();
    }
    @LogErrorsToSpan()
    async b() {
      await this.c();
    }
    @LogErrorsToSpan()
    async c() {
      await delay(1);
      throw new Error('three calls deep');
    }
  }
  return new Chain();
}

async function errorFrom(chain: Chain): Promise<Error> {
  try {
    await chain.a();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the chain should have failed');
}

describe(`async stack traces through the decorators (${DIALECT})`, () => {
  let recording: RecordingTracer;
  // Whole stacks are compared: V8 cuts a stack at 10 frames by default, and a frame of ours would push the last
  // of the app's frames out of a decorated stack.
  const defaultStackTraceLimit = Error.stackTraceLimit;
  beforeEach(() => {
    Error.stackTraceLimit = 50;
    recording = recordingTracer();
  });
  afterEach(() => {
    Error.stackTraceLimit = defaultStackTraceLimit;
    return closeTracer();
  });

  async function stackInRequest(chain: Chain): Promise<string> {
    const request = recording.tracer.startSpan('request');
    const error = await withSpan(request, () => errorFrom(chain));
    request.finish();
    return String(error.stack);
  }

  it('an undecorated chain shows every awaiting caller (what the decorated ones must match)', async () => {
    const frames = appFrames(await stackInRequest(undecoratedChain()));
    assert.deepEqual(frames.slice(0, 4), ['at Chain.c', 'at async Chain.b', 'at async Chain.a', 'at async errorFrom']);
  });

  it('@Span keeps every frame of the undecorated stack, adding none of its own', async () => {
    const expected = appFrames(await stackInRequest(undecoratedChain()));
    const stack = await stackInRequest(spanChain());
    assert.deepEqual(appFrames(stack), expected);
    assert.deepEqual(packageFrames(stack), []);
  });

  it('@Span logs that same stack on the span', async () => {
    const expected = appFrames(await stackInRequest(undecoratedChain()));
    await stackInRequest(spanChain());
    for (const name of ['Chain.c', 'Chain.b', 'Chain.a']) {
      assert.deepEqual(appFrames(recording.span(name).logs[0].stack), expected, name);
    }
  });

  it('@LogErrorsToSpan keeps every frame of the undecorated stack, adding none of its own', async () => {
    const expected = appFrames(await stackInRequest(undecoratedChain()));
    const stack = await stackInRequest(errorLoggingChain());
    assert.deepEqual(appFrames(stack), expected);
    assert.deepEqual(packageFrames(stack), []);
  });

  it('@LogErrorsToSpan logs that same stack on the active span', async () => {
    const expected = appFrames(await stackInRequest(undecoratedChain()));
    await stackInRequest(errorLoggingChain());
    const requests = recording.spans().filter((span) => span.name === 'request');
    assert.deepEqual(appFrames(requests[1].logs[0].stack), expected);
  });
});
