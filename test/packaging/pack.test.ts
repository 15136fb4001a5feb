import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TSC_5 = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TSC_7 = path.join(ROOT, 'node_modules', 'typescript-7', 'bin', 'tsc');

// The README's snippet, as a consumer of the published package writes it.
const CONSUMER_TS = `
import { InMemoryReporter } from 'jaeger-client';
import { closeTracer, getActiveSpan, initTracer, LogErrorsToSpan, Span, withSpan } from 'jaeger-decorators';

const reporter = new InMemoryReporter();
const tracer = initTracer('service_b', { sampler: { type: 'const', param: 1 }, logging: false }, { reporter });

class UserService {
  @Span()
  async find(id: number) { return { id, active: getActiveSpan() !== undefined }; }

  @Span('users.compute', { tags: { 'db.type': 'sql' } })
  compute(x: number) { return x * 2; }

  @LogErrorsToSpan()
  async save(): Promise<void> { throw new Error('invalid user'); }
}

async function main() {
  const users = new UserService();
  const root = tracer.startSpan('request');
  const found = await withSpan(root, () => users.find(1));
  const doubled = users.compute(21);
  const failed = await withSpan(root, () => users.save().catch((error: Error) => error.message));
  root.finish();
  await closeTracer();
  const names = (reporter.spans as Array<{ operationName: string }>).map((span) => span.operationName);
  console.log(JSON.stringify({ found, doubled, failed, names }));
}
void main();
`;

const JAEGER_CLIENT_TYPES = `declare module 'jaeger-client' { export class InMemoryReporter { spans: unknown[]; report(span: unknown): void; close(callback?: () => void): void; setProcess(serviceName: string, tags: unknown): void; } }\n`;

function tsconfig(legacy: boolean, outDir: string): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'Node16',
      moduleResolution: 'Node16',
      strict: true,
      outDir,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      experimentalDecorators: legacy,
      skipLibCheck: false,
    },
    files: ['consumer.ts', 'jaeger-client.d.ts'],
  });
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the packed package, installed in a fresh project', () => {
  let project: string;

  before(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'jaeger-decorators-consumer-'));
    // dist/ is already built by `npm test`; --ignore-scripts keeps pack from rebuilding it.
    const tarball = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', project], ROOT).trim().split('\n').pop()!;
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', path.join(project, tarball), 'jaeger-client'], project);
    fs.writeFileSync(path.join(project, 'consumer.ts'), CONSUMER_TS);
    fs.writeFileSync(path.join(project, 'jaeger-client.d.ts'), JAEGER_CLIENT_TYPES);
    fs.writeFileSync(path.join(project, 'tsconfig.legacy.json'), tsconfig(true, 'out-legacy'));
    fs.writeFileSync(path.join(project, 'tsconfig.tc39.json'), tsconfig(false, 'out-tc39'));
  });
  after(() => fs.rmSync(project, { recursive: true, force: true }));

  for (const dialect of ['legacy', 'tc39'] as const) {
    it(`compiles (TypeScript 5.9) and runs a consumer with ${dialect === 'legacy' ? 'experimentalDecorators' : 'TC39 decorators'}`, () => {
      run(process.execPath, [TSC_5, '-p', `tsconfig.${dialect}.json`], project);
      const output = JSON.parse(run(process.execPath, [`out-${dialect}/consumer.js`], project));
      assert.deepEqual(output, {
        found: { id: 1, active: true },
        doubled: 42,
        failed: 'invalid user',
        names: ['UserService.find', 'users.compute', 'request'],
      });
    });
  }

  it('type-checks the same consumer with TypeScript 7', () => {
    assert.match(run(process.execPath, [TSC_7, '--version'], project), /Version 7\./);
    run(process.execPath, [TSC_7, '-p', 'tsconfig.legacy.json', '--noEmit'], project);
    run(process.execPath, [TSC_7, '-p', 'tsconfig.tc39.json', '--noEmit'], project);
  });

  it('loads from ESM with named imports', () => {
    fs.writeFileSync(
      path.join(project, 'esm.mjs'),
      "import { initTracer, Span, LogErrorsToSpan, withSpan, getActiveSpan, closeTracer } from 'jaeger-decorators';\n" +
        'console.log([initTracer, Span, LogErrorsToSpan, withSpan, getActiveSpan, closeTracer].map((f) => typeof f).join(","));\n',
    );
    assert.equal(run(process.execPath, ['esm.mjs'], project).trim(), Array(6).fill('function').join(','));
  });

  it('loads its root without express, koa, log4js or routing-controllers installed', () => {
    for (const framework of ['express', 'koa', 'log4js', 'routing-controllers']) {
      assert.equal(fs.existsSync(path.join(project, 'node_modules', framework)), false, `${framework} must not be installed with the package`);
    }
    assert.equal(run(process.execPath, ['-e', "console.log(typeof require('jaeger-decorators').initTracer)"], project).trim(), 'function');
  });

  it("lets log4js load the appender by its name, type: 'jaeger-decorators/log4js'", () => {
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', 'log4js@6'], project);
    fs.writeFileSync(
      path.join(project, 'log4js-by-name.js'),
      `const log4js = require('log4js');
const { InMemoryReporter } = require('jaeger-client');
const { initTracer, withSpan } = require('jaeger-decorators');
const reporter = new InMemoryReporter();
const tracer = initTracer('svc', { sampler: { type: 'const', param: 1 } }, { reporter });
log4js.configure({ appenders: { jaeger: { type: 'jaeger-decorators/log4js' } }, categories: { default: { appenders: ['jaeger'], level: 'info' } } });
const span = tracer.startSpan('request');
withSpan(span, () => log4js.getLogger('orders').error('order failed'));
console.log(reporter.spans.map((s) => s.operationName).join(','));
`,
    );
    assert.equal(run(process.execPath, ['log4js-by-name.js'], project).trim(), 'logger[orders]');
  });
});
