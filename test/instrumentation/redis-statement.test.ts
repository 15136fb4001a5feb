import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { it } from 'node:test';
import type * as RedisStatement from '../../dist/cjs/patches/redis-statement';

// An internal module, tested directly: the command forms it must handle are more than the apps send, and its
// fallback runs only where the instrumentation comes without OpenTelemetry's serializer.
const { redisStatementSerializer } = require(
  path.resolve(__dirname, '..', '..', '..', 'dist', 'cjs', 'patches', 'redis-statement.js'),
) as typeof RedisStatement;

const besideIoredisInstrumentation = createRequire(require.resolve('@opentelemetry/instrumentation-ioredis'));
const serialize = redisStatementSerializer(besideIoredisInstrumentation);

it("a script's digest and keys are kept, its arguments left out, however the command is written", () => {
  assert.equal(serialize('evalsha', ['5ab4', '2', 'lock:a', 'lock:b', 'token-secret', 30000]), 'evalsha 5ab4 2 lock:a lock:b [2 other arguments]');
  assert.equal(serialize('EVAL', ['return 1', '0', 'secret']), 'EVAL return 1 0 [1 other arguments]');
  assert.equal(serialize('EVALSHA_RO', ['5ab4', 1, Buffer.from('k'), 'v']), 'EVALSHA_RO 5ab4 1 k [1 other arguments]');
  assert.equal(serialize('evalsha', ['5ab4', '1', 'only:key']), 'evalsha 5ab4 1 only:key');
  // A key count that is not one: nothing past the script is trusted to be a key.
  assert.equal(serialize('eval', ['return 1', 'many', 'secret']), 'eval return 1 [2 other arguments]');
});

it("every other command is serialized by OpenTelemetry's own function, values left out as it leaves them", () => {
  const upstream = (besideIoredisInstrumentation('@opentelemetry/redis-common') as { defaultDbStatementSerializer: typeof serialize })
    .defaultDbStatementSerializer;
  for (const [command, args] of [
    ['set', ['user:1', 'secret', 'EX', 60]],
    ['hset', ['h', 'field', 'secret']],
    ['mget', ['a', 'b']],
    ['fcall', ['charge_card', 1, 'customer:42', 'secret']],
    ['auth', ['hunter2']],
    ['ping', []],
  ] as const) {
    assert.equal(serialize(command, args), upstream(command, args));
  }
  assert.equal(serialize('set', ['user:1', 'secret', 'EX', 60]), 'set user:1 [3 other arguments]');
});

it("without OpenTelemetry's serializer beside the instrumentation, each command is its name and a count of its arguments", () => {
  const nowhere = createRequire(path.join(path.parse(process.cwd()).root, 'no-such-dir', 'index.js'));
  const strict = redisStatementSerializer(nowhere);
  assert.equal(strict('mget', ['a', 'b']), 'mget [2 other arguments]');
  assert.equal(strict('auth', ['hunter2']), 'auth [1 other arguments]');
  assert.equal(strict('ping', []), 'ping');
  assert.equal(strict('evalsha', ['5ab4', '1', 'k', 'v']), 'evalsha 5ab4 1 k [1 other arguments]');
});
