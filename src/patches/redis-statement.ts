/** Loads a package from beside another (createRequire's function), typed without Node's global types. */
export type RequireBeside = (id: string) => unknown;

/** How OpenTelemetry's Redis instrumentations turn a command into `db.query.text`. */
export type RedisStatementSerializer = (command: string, args: ReadonlyArray<unknown>) => string;

// The commands that run a script: their arguments are the script (or its digest), a count of keys, the keys,
// and then the script's ARGV, which are values. (FCALL's OpenTelemetry's serializer records as a count alone.)
const SCRIPT_COMMANDS = /^(eval|evalsha|eval_ro|evalsha_ro)$/i;

function othersNote(count: number): string[] {
  return count > 0 ? [`[${count} other arguments]`] : [];
}

/** `evalsha <digest> <numkeys> <keys...> [n other arguments]`: the script's values left out. */
function scriptStatement(command: string, args: ReadonlyArray<unknown>): string {
  const keyCount = Number(args[1]);
  // A count that is not one: nothing past the script is trusted to be a key.
  const shown = args.length < 2 || !Number.isInteger(keyCount) || keyCount < 0 ? args.slice(0, 1) : args.slice(0, 2 + keyCount);
  return [command, ...shown.map(String), ...othersNote(args.length - shown.length)].join(' ');
}

/** The command and how many arguments it had, none of them: where OpenTelemetry's serializer cannot be loaded. */
function countOnlyStatement(command: string, args: ReadonlyArray<unknown>): string {
  return [command, ...othersNote(args.length)].join(' ');
}

/**
 * The `dbStatementSerializer` installAllPatches() gives both Redis instrumentations. OpenTelemetry's own
 * (`@opentelemetry/redis-common`, which they use when given none) keeps each command's key and leaves its value
 * out, except for EVAL and EVALSHA, whose every argument it records: a Lua script's ARGV are values, such as a
 * BullMQ job's data or a lock's token. Those commands keep their keys here and lose their values; every other
 * command is serialized by OpenTelemetry's function, loaded from beside the instrumentation (`requireBeside`),
 * or, where it cannot be loaded, as its name and a count of its arguments.
 */
export function redisStatementSerializer(requireBeside: RequireBeside): RedisStatementSerializer {
  let upstream: RedisStatementSerializer = countOnlyStatement;
  try {
    const common = requireBeside('@opentelemetry/redis-common') as { defaultDbStatementSerializer?: unknown };
    if (typeof common.defaultDbStatementSerializer === 'function') upstream = common.defaultDbStatementSerializer as RedisStatementSerializer;
  } catch {
    // not installed beside it: the count alone
  }
  return (command, args) => (SCRIPT_COMMANDS.test(command) ? scriptStatement(command, args) : upstream(command, args));
}
