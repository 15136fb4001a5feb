// jaeger-decorators/testing under the two test runners users have: the small Jest project (ts-jest, CommonJS,
// a module registry per test file) and the small Vitest project (ESM, forks and worker threads) beside this
// file's source, each run with its own command, as a user who copies one would run it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
// The projects are read where they are in the sources: only this file is compiled into build/.
const JEST_PROJECT = path.join(ROOT, 'test', 'testing', 'jest-project');
const VITEST_PROJECT = path.join(ROOT, 'test', 'testing', 'vitest-project');
const EXPECTED_TESTS = ['traces find() with its tags', 'logs a failure on the span', 'traces a call that waits on a timer, under fake timers'];

// npx and the runners it starts run on the Node running this test (CI runs it on each supported version).
const ENV = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };

interface RunnerReport {
  success: boolean;
  testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }>;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} in ${cwd} failed:\n${result.error ?? ''}${result.stdout}${result.stderr}`);
  return result.stdout;
}

// .ci/run installs both projects right after the root's `npm ci`; a developer who skipped that step gets them
// installed here (from the committed lockfiles) rather than a suite that silently skips them.
function ensureInstalled(project: string, bin: string): void {
  const installed =
    fs.existsSync(path.join(project, 'node_modules', '.bin', bin)) && fs.existsSync(path.join(project, 'node_modules', 'jaeger-decorators', 'package.json'));
  if (!installed) run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project);
}

/** The tests a runner's JSON report lists as passed, by title. */
function passedTests(stdout: string): string[] {
  const report = JSON.parse(stdout) as RunnerReport;
  assert.equal(report.success, true);
  return report.testResults.flatMap((file) => file.assertionResults.filter((test) => test.status === 'passed').map((test) => test.title));
}

describe('jaeger-decorators/testing in a real Jest project and a real Vitest project', () => {
  it('the Jest project (ts-jest, type-checked, a fake-timers test) passes its three tests', () => {
    ensureInstalled(JEST_PROJECT, 'jest');
    assert.deepEqual(passedTests(run('npx', ['jest', '--ci', '--json'], JEST_PROJECT)), EXPECTED_TESTS);
  });

  for (const pool of ['forks', 'threads']) {
    it(`the Vitest project (ESM, a fake-timers test) passes its three tests in ${pool === 'threads' ? 'worker threads' : 'child processes'}`, () => {
      ensureInstalled(VITEST_PROJECT, 'vitest');
      assert.deepEqual(passedTests(run('npx', ['vitest', 'run', `--pool=${pool}`, '--reporter=json'], VITEST_PROJECT)), EXPECTED_TESTS);
    });
  }

  it('the Vitest project type-checks (moduleResolution bundler, through the exports map), which Vitest itself does not do', () => {
    ensureInstalled(VITEST_PROJECT, 'vitest');
    run(process.execPath, [TSC, '-p', VITEST_PROJECT], VITEST_PROJECT);
  });
});
