// `npm run bench` measures on Node 24, the reference, whatever Node started it: run-bench re-executes itself
// there (same arguments, same terminal) and exits with its code. BENCH_ANY_NODE=1 keeps the Node it was started
// on, for a look at another version (RESULTS.md's header then says the figures are not the reference's).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { REFERENCE_NODE_MAJOR, REFERENCE_NODE_VERSION, envWithNodeFirst, registryNode } from './node-binaries';

export const onReferenceNode = () => Number(process.versions.node.split('.')[0]) === REFERENCE_NODE_MAJOR;

/**
 * Undefined when this process should run the benchmark itself (on Node 24 already, or BENCH_ANY_NODE=1);
 * otherwise runs the same script on the reference Node and resolves with its exit code.
 */
export function rerunOnReferenceNode(): Promise<number> | undefined {
  if (onReferenceNode() || process.env.BENCH_ANY_NODE === '1') return undefined;
  let node: string;
  try {
    node = registryNode(REFERENCE_NODE_VERSION);
  } catch (error) {
    throw new Error(`Node v${REFERENCE_NODE_VERSION} could not be had from the npm registry (BENCH_ANY_NODE=1 runs on ${process.version} instead)`, {
      cause: error,
    });
  }
  console.log(
    `Node ${process.version} started the benchmark; it runs on Node v${REFERENCE_NODE_VERSION}, the reference (BENCH_ANY_NODE=1 keeps ${process.version}).`,
  );
  const child = spawn(node, [...process.execArgv, process.argv[1], ...process.argv.slice(2)], {
    stdio: 'inherit',
    // The Node 20 figures of a full run come from the Node that started it, if it is a Node 20.
    env: envWithNodeFirst(node, { BENCH_INVOKING_NODE: process.execPath }),
  });
  // Ctrl-C reaches both through the terminal; a signal sent to this process alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === null ? 0 : os.constants.signals[signal]))));
}
