// Runs one case of the benchmark (`run-bench.js <case> --json FILE`) in a Node process of its own and reads back
// its result: the microbenchmark cases on the reference Node, and the HTTP case on the older Nodes. A case that
// runs after others in the same process inherits their heap, their optimized code and their inline caches: in
// full runs the method case's `@Span` in an unsampled trace read 85 to 99 ns where the same case alone read 42 to
// 52 ns, and the reporter's ⅕ ratio moved from 0.17 alone to 0.25.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envWithNodeFirst } from './node-binaries';

/** Runs `caseName` alone on the Node `binary`, which writes its result to `jsonPath`, and reads it back. */
export async function runCaseOn<T>(binary: string, caseName: string, jsonPath: string): Promise<T> {
  const script = path.join(__dirname, '..', 'run-bench.js');
  // BENCH_ANY_NODE: the child must not move to the reference Node as `npm run bench` does.
  const child = spawn(binary, [script, caseName, '--json', jsonPath], { stdio: 'inherit', env: envWithNodeFirst(binary, { BENCH_ANY_NODE: '1' }) });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the ${caseName} case on ${binary} exited with ${code}`))));
  });
  return JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as T;
}

/** Runs `caseName` alone in a new process of this Node (the reference, in a full run). */
export async function runCaseInOwnProcess<T>(caseName: string): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${caseName}-`));
  try {
    return await runCaseOn<T>(process.execPath, caseName, path.join(dir, 'result.json'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
