// Every optional peer's range takes the version the suites test with: a range that left it out made npm pick an
// older peer beside the newer ones an instrumentation needs (context-async-hooks 2 holding @opentelemetry/api
// below 1.10, and instrumentation-pg failing to load), or refuse the install.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
// semver has no types of its own here: the one function used.
const { satisfies } = require('semver') as { satisfies(version: string, range: string): boolean };

interface PackageJson {
  version: string;
  peerDependencies: Record<string, string>;
}

const readJson = (file: string): PackageJson => JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson;

it('the range of every peer dependency takes the version installed for the tests', () => {
  const { peerDependencies } = readJson(path.join(ROOT, 'package.json'));
  const outside = Object.entries(peerDependencies)
    .map(([name, range]) => ({ name, range, installed: readJson(path.join(ROOT, 'node_modules', name, 'package.json')).version }))
    .filter(({ range, installed }) => !satisfies(installed, range));
  assert.deepEqual(outside, []);
});
