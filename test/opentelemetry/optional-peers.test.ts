// @opentelemetry/api and the instrumentations are optional peers: without them, every entry point but the
// OpenTelemetry bridge loads, and installAllPatches() still installs the HTTP patches.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';

// Run in a child where requiring a module whose name matches `hidden` fails as it does where it is not installed.
function hideModules(hidden: RegExp): string {
  return `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (${hidden.toString()}.test(request)) { const error = new Error("Cannot find module '" + request + "'"); error.code = 'MODULE_NOT_FOUND'; throw error; }
  return resolve.call(this, request, ...rest);
};`;
}

function runWithout(hidden: RegExp, code: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['-e', `${hideModules(hidden)}\n${code}`], { encoding: 'utf8', cwd: process.cwd() });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const runWithoutOpenTelemetry = (code: string) => runWithout(/^@opentelemetry\//, code);

it('the package root and every entry point but the bridge load without @opentelemetry/api', () => {
  const entries = [
    'jaeger-decorators',
    'jaeger-decorators/express',
    'jaeger-decorators/koa',
    'jaeger-decorators/routing-controllers',
    'jaeger-decorators/http',
    'jaeger-decorators/log4js',
    'jaeger-decorators/patches',
  ];
  const { status, stderr } = runWithoutOpenTelemetry(
    `${entries.map((entry) => `require(${JSON.stringify(entry)});`).join('\n')}\nrequire('assert').throws(() => require('jaeger-decorators/opentelemetry'), /@opentelemetry\\/api/);`,
  );
  assert.equal(status, 0, stderr);
});

it('installAllPatches() without OpenTelemetry installed: the HTTP patches, and each client said skipped with what to install', () => {
  const { status, stdout, stderr } = runWithoutOpenTelemetry(`
const { initTracer } = require('jaeger-decorators');
initTracer('no-otel', { sampler: { type: 'const', param: 1 } }, { reporter: new (require('jaeger-client').InMemoryReporter)() });
const installed = require('jaeger-decorators/patches').installAllPatches({ log: false });
console.log(JSON.stringify(installed));`);
  assert.equal(status, 0, stderr);
  const installed = JSON.parse(stdout) as { enabled: string[]; skipped: Array<{ name: string; reason: string }> };
  assert.deepEqual(installed.enabled, ['http']);
  const pg = installed.skipped.find((skip) => skip.name === 'pg');
  assert.match(pg?.reason ?? '', /npm install @opentelemetry\/instrumentation-pg/);
});

it('installAllPatches() with @opentelemetry/api but no context manager says the API is not served, and what to install', () => {
  const { status, stdout, stderr } = runWithout(
    /^@opentelemetry\/(context-async-hooks|instrumentation-)/,
    `
const { initTracer } = require('jaeger-decorators');
initTracer('api-only', { sampler: { type: 'const', param: 1 } }, { reporter: new (require('jaeger-client').InMemoryReporter)() });
const installed = require('jaeger-decorators/patches').installAllPatches({ log: false });
console.log(JSON.stringify(installed));`,
  );
  assert.equal(status, 0, stderr);
  const installed = JSON.parse(stdout) as { enabled: string[]; skipped: Array<{ name: string; reason: string }> };
  assert.deepEqual(installed.enabled, ['http']);
  const api = installed.skipped.find((skip) => skip.name === 'the OpenTelemetry API');
  assert.match(api?.reason ?? '', /install @opentelemetry\/api and @opentelemetry\/context-async-hooks/);
});

it('an entry point whose peer is missing says which package to install, in place of a bare "Cannot find module"', () => {
  const { status, stderr } = runWithout(
    /^(routing-controllers|@opentelemetry\/context-async-hooks)$/,
    `
const assert = require('assert');
assert.throws(() => require('jaeger-decorators/routing-controllers'), { message: 'jaeger-decorators/routing-controllers needs routing-controllers, which is not installed: npm install routing-controllers' });
assert.throws(() => require('jaeger-decorators/opentelemetry'), { message: 'jaeger-decorators/opentelemetry needs @opentelemetry/context-async-hooks, which is not installed: npm install @opentelemetry/api @opentelemetry/context-async-hooks' });`,
  );
  assert.equal(status, 0, stderr);
});
