import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
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

// Every subpath export, used as a project that imports them writes it.
const SUBPATHS_TS = `
import { initTracer } from 'jaeger-decorators';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import { koaTracingMiddleware } from 'jaeger-decorators/koa';
import { TracedController, type ServerTracingOptions } from 'jaeger-decorators/routing-controllers';
import { installHttpClientPatches, uninstallHttpClientPatches, type ClientTracingOptions } from 'jaeger-decorators/http';
import { traceTokens, type ErrorTraceAppenderConfig } from 'jaeger-decorators/log4js';
import { installAllPatches, type InstallAllPatchesOptions } from 'jaeger-decorators/patches';
import { registerOpenTelemetryApi } from 'jaeger-decorators/opentelemetry';
import { installTestTracer } from 'jaeger-decorators/testing';
import { TracingModule, type TracingDynamicModule } from 'jaeger-decorators/nestjs';
import { fastifyTracing, type FastifyTracingPlugin } from 'jaeger-decorators/fastify';
import { createServerTracing, extractSpanContext, traceHeaders, type IncomingRequestLike, type ServerRequestSpan, type ServerResponseLike } from 'jaeger-decorators';

const server: ServerTracingOptions = { errorOn4xx: true, traceResponseHeader: 'x-trace-id' };
const client: ClientTracingOptions = { traceWithoutParent: false };
const appender: ErrorTraceAppenderConfig = { level: 'WARN', onActiveSpan: false };
export const used = [initTracer, tracingMiddleware(server), tracingErrorHandler(), koaTracingMiddleware(server), TracedController(server)];
export const more = [installHttpClientPatches, uninstallHttpClientPatches, traceTokens, client, appender];
const patches: InstallAllPatchesOptions = { http: false, instrumentations: { redis: false }, log: false };
export const all = [installAllPatches, patches, registerOpenTelemetryApi, installTestTracer];
export const nest = (): TracingDynamicModule => TracingModule.forRoot({ errorOn4xx: false, traceResponseHeader: 'x-trace-id' });
export const fastify: FastifyTracingPlugin = fastifyTracing;
const tracing = createServerTracing('hapi', server);
export const serve = (req: IncomingRequestLike, res: ServerResponseLike) => {
  const request: ServerRequestSpan | undefined = tracing.start(req, res, { route: () => '/users/{id}' });
  return request?.run(() => traceHeaders(request.span)) ?? extractSpanContext(req.headers);
};
`;

/** The module settings a consumer may compile with, by the resolution TypeScript derives from them. */
const RESOLUTIONS = {
  // "module": "commonjs" alone implies node10, as in most routing-controllers projects.
  node10: { module: 'commonjs' },
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;

/**
 * `types: ['node']`, or `types: []`, TypeScript 7's default: the package's declarations must then compile with no
 * Node types at all (the frameworks' own declarations are left out of that check: they are not ours).
 */
const TYPES = { node: ['node'], none: [] } as const;

function subpathTsconfig(resolution: keyof typeof RESOLUTIONS, types: keyof typeof TYPES): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      ...RESOLUTIONS[resolution],
      strict: true,
      noEmit: true,
      experimentalDecorators: true,
      types: TYPES[types],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      skipLibCheck: false,
    },
    files: [types === 'node' ? 'subpaths.ts' : 'standalone.ts'],
  });
}

// Every entry point whose declarations import no framework's, used without Node types.
const STANDALONE_TS = SUBPATHS_TS.replace(/^import .*'jaeger-decorators\/(routing-controllers|log4js)';$/gm, '')
  .replace(/^export const used = .*$/m, 'export const used = [initTracer, tracingMiddleware(server), tracingErrorHandler(), koaTracingMiddleware(server)];')
  .replace(/^export const more = .*$/m, 'export const more = [installHttpClientPatches, uninstallHttpClientPatches, client];')
  .replace(/^const appender.*$/m, '')
  .replace(/^const server: ServerTracingOptions/m, "import type { ServerTracingOptions } from 'jaeger-decorators';\nconst server: ServerTracingOptions");

// npm and anything it starts run on the Node running this test (CI runs it on each supported version), not on
// whichever Node comes first on PATH.
const ENV = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // What the command printed (a compiler's errors) is the reason; execFileSync's message alone does not say it.
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout}${stderr}`);
  }
}

/** Runs a command and returns everything it printed, on stdout and stderr alike. */
function runPrintingAll(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8' });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout + result.stderr;
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => fs.statSync(path.join(dir, file)).isFile());
}

describe('the packed package, installed in a fresh project', () => {
  let project: string;
  let installOutput: string;

  before(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'jaeger-decorators-consumer-'));
    // dist/ is already built by `npm test`; --ignore-scripts keeps pack from rebuilding it.
    const tarball = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', project], ROOT).trim().split('\n').pop()!;
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    // At npm's default log level, so that whatever it warns a user about on install is seen here.
    installOutput = runPrintingAll('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(project, tarball), 'jaeger-client'], project);
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

  it('installs without a single warning from npm, and its published package.json runs no script on install', () => {
    assert.doesNotMatch(installOutput, /warn/i);
    const { scripts = {} } = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'jaeger-decorators', 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(scripts[script], undefined, `scripts.${script}`);
  });

  it(`declares in engines the Node running this test (${process.version}): npm installs it with --engine-strict`, () => {
    const tarball = fs.readdirSync(project).find((file) => file.endsWith('.tgz'))!;
    run('npm', ['install', '--engine-strict', '--dry-run', '--no-audit', '--no-fund', '--prefer-offline', path.join(project, tarball)], project);
  });

  it('ships every source file its source maps name', () => {
    const installed = path.join(project, 'node_modules', 'jaeger-decorators');
    const maps = filesUnder(installed).filter((file) => file.endsWith('.map'));
    assert.ok(maps.length > 50, `${maps.length} source maps`);
    const missing = maps.flatMap((map) => {
      const { sources } = JSON.parse(fs.readFileSync(path.join(installed, map), 'utf8')) as { sources: string[] };
      return sources.map((source) => path.join(installed, path.dirname(map), source)).filter((source) => !fs.existsSync(source));
    });
    assert.deepEqual(missing, []);
  });

  it('maps a stack trace from inside the package to the TypeScript line that threw', () => {
    fs.writeFileSync(
      path.join(project, 'bad-config.js'),
      "try { require('jaeger-decorators').initTracer('svc', { local_agent: { reporting_port: 'your-reporting-port' } }); } catch (error) { console.log(error.stack); }\n",
    );
    const stack = run(process.execPath, ['--enable-source-maps', 'bad-config.js'], project);
    const frame = /\((\S+[\\/]node_modules[\\/]jaeger-decorators[\\/]\S+\.ts):(\d+):\d+\)/.exec(stack);
    assert.ok(frame, `no frame in a .ts file of the package:\n${stack}`);
    const line = fs.readFileSync(frame[1], 'utf8').split('\n')[Number(frame[2]) - 1];
    assert.match(line, /TracerConfigError/);
  });

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

  it('loads the NestJS and Fastify entry points from ESM with named imports, neither framework installed', () => {
    fs.writeFileSync(
      path.join(project, 'esm-integrations.mjs'),
      "import { TracingModule } from 'jaeger-decorators/nestjs';\nimport { fastifyTracing } from 'jaeger-decorators/fastify';\n" +
        "import { createServerTracing } from 'jaeger-decorators';\n" +
        'console.log([TracingModule.forRoot, fastifyTracing, createServerTracing].map((f) => typeof f).join(","));\n',
    );
    assert.equal(run(process.execPath, ['esm-integrations.mjs'], project).trim(), 'function,function,function');
  });

  it('loads its root, and installAllPatches(), without express, koa, log4js, routing-controllers or OpenTelemetry installed', () => {
    const patched = "const { installAllPatches } = require('jaeger-decorators/patches'); console.log(installAllPatches({ log: false }).enabled.join())";
    assert.equal(run(process.execPath, ['-e', patched], project).trim(), 'http');
    for (const framework of ['express', 'koa', 'log4js', 'routing-controllers', '@opentelemetry/api']) {
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

  describe('subpath imports, in a project with the frameworks installed', () => {
    before(() => {
      run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', 'routing-controllers@0.11', 'log4js@6'], project);
      fs.writeFileSync(path.join(project, 'subpaths.ts'), SUBPATHS_TS);
      fs.writeFileSync(path.join(project, 'standalone.ts'), STANDALONE_TS);
      for (const resolution of Object.keys(RESOLUTIONS) as Array<keyof typeof RESOLUTIONS>) {
        for (const types of Object.keys(TYPES) as Array<keyof typeof TYPES>) {
          fs.writeFileSync(path.join(project, `tsconfig.${resolution}.${types}.json`), subpathTsconfig(resolution, types));
        }
      }
    });

    for (const resolution of Object.keys(RESOLUTIONS) as Array<keyof typeof RESOLUTIONS>) {
      it(`every subpath export type-checks under moduleResolution ${resolution} (TypeScript 5.9), with types: ['node'] and types: []`, () => {
        for (const types of Object.keys(TYPES)) run(process.execPath, [TSC_5, '-p', `tsconfig.${resolution}.${types}.json`], project);
      });
    }

    it('every subpath export type-checks with TypeScript 7 under the same four settings, with both types', () => {
      for (const resolution of Object.keys(RESOLUTIONS)) {
        for (const types of Object.keys(TYPES)) run(process.execPath, [TSC_7, '-p', `tsconfig.${resolution}.${types}.json`], project);
      }
    });

    it('loads the NestJS and Fastify entry points with neither framework installed; forRoot() then says what is missing', () => {
      const script =
        "const { fastifyTracing } = require('jaeger-decorators/fastify'); const { TracingModule } = require('jaeger-decorators/nestjs');" +
        'try { TracingModule.forRoot(); } catch (error) { console.log(typeof fastifyTracing, error.message); }';
      assert.equal(
        run(process.execPath, ['-e', script], project).trim(),
        "function jaeger-decorators/nestjs: cannot load @nestjs/core (Cannot find module '@nestjs/core'); install @nestjs/core and @nestjs/common beside it.",
      );
    });
  });
});
