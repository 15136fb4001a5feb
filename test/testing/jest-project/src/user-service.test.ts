import { afterEach, beforeEach, expect, it, jest } from '@jest/globals';
import { installTestTracer, type TestTracer } from 'jaeger-decorators/testing';
import { UserService } from './user-service';

let tracing: TestTracer;
beforeEach(() => {
  tracing = installTestTracer();
});
afterEach(async () => {
  await tracing.close(); // resolves under fake timers too
  jest.useRealTimers();
});

it('traces find() with its tags', async () => {
  await new UserService().find(7);
  expect(tracing.finishedSpans()).toMatchObject([{ operationName: 'users.find', parentId: null, tags: { 'db.type': 'sql' } }]);
});

it('logs a failure on the span', async () => {
  await expect(new UserService().find(0)).rejects.toThrow('no user 0');
  const [span] = tracing.finishedSpans();
  expect(span.tags).toEqual({ 'db.type': 'sql', error: true });
  expect(span.logs[0].fields).toMatchObject({ event: 'error', 'error.kind': 'Error', message: 'no user 0' });
});

it('traces a call that waits on a timer, under fake timers', async () => {
  jest.useFakeTimers();
  const reminder = new UserService().remindLater(7);
  await jest.advanceTimersByTimeAsync(60_000);
  await expect(reminder).resolves.toBe(7);
  expect(tracing.finishedSpans().map((span) => span.operationName)).toEqual(['UserService.remindLater']);
});
