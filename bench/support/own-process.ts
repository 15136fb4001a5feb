// Runs one microbenchmark case (`run-bench.js <case> --json FILE`) in a Node process of its own and reads back
// its result. A case that runs after others in the same process inherits their heap, their optimized code and
// their inline caches: in full runs the method case's `@Span` in an unsampled trace read 85 to 99 ns where the
// same case alone read 42 to 52 ns, and the reporter's ⅕ ratio moved from 0.17 alone to 0.25.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function runCaseInOwnProcess<T>(caseName: string): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${caseName}-`));
  const jsonPath = path.join(dir, 'result.json');
  const script = path.join(__dirname, '..', 'run-bench.js');
  // BENCH_ANY_NODE: this process is on the reference Node already; the child stays on it.
  const child = spawn(process.execPath, [script, caseName, '--json', jsonPath], { stdio: 'inherit', env: { ...process.env, BENCH_ANY_NODE: '1' } });
  return new Promise<T>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`the ${caseName} case exited with ${code}`);
        resolve(JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as T);
      } catch (error) {
        reject(error);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
