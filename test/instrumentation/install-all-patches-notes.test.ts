// What installAllPatches() says, where a client would go untraced without a word: one loaded before it through
// another file than its main one (mysql2/promise), and an ES module app, whose imports need the loader hook.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';

const ESM_ENTRY = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'install-all-patches-esm.mjs');

function installedAfter(code: string): string {
  const result = spawnSync(
    process.execPath,
    [
      '-e',
      `${code}
const { initTracer } = require('jaeger-decorators');
initTracer('notes', { sampler: { type: 'const', param: 1 } }, { reporter: new (require('jaeger-client').InMemoryReporter)() });
require('jaeger-decorators/patches').installAllPatches({ log: (message) => console.log(message) });`,
    ],
    { encoding: 'utf8', cwd: process.cwd() },
  );
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

function noteOf(line: string, client: string): string | undefined {
  return new RegExp(`${client} \\([^()]*\\)( \\([^)]*\\))?`).exec(line)?.[1];
}

it('a client loaded before installAllPatches() through a file other than its main one is named as loaded before', () => {
  assert.match(noteOf(installedAfter("require('mysql2/promise');"), 'mysql2') ?? '', /mysql2 was loaded before installAllPatches\(\)/);
  assert.match(noteOf(installedAfter("require('pg');"), 'pg') ?? '', /pg was loaded before installAllPatches\(\)/);
  const untouched = installedAfter('');
  assert.equal(noteOf(untouched, 'mysql2'), undefined);
  assert.equal(noteOf(untouched, 'pg'), undefined);
});

it("an ES module app is told that its imports are traced only with OpenTelemetry's loader hook; a CommonJS one is not", () => {
  const esm = spawnSync(process.execPath, [ESM_ENTRY], { encoding: 'utf8', cwd: process.cwd() });
  assert.equal(esm.status, 0, esm.stderr);
  assert.match(esm.stdout, /traces .*mysql2 .*An ES module app's imports of these clients are traced only where OpenTelemetry's loader hook was registered/);
  assert.doesNotMatch(installedAfter(''), /ES module/);
});
