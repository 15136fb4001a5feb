// Nest 11 on Express 5, which leaves its route handlers unnamed where Nest 12 names them: the small project beside
// this file's source (REST behind a MiddlewareConsumer middleware, and Apollo GraphQL), with the built package
// copied into its node_modules as npm installs it, so that it loads that project's Nest 11 and not ours.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PROJECT = path.join(ROOT, 'test', 'nestjs', 'nest11-project');
const ENV = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };

interface Answer {
  status: number;
  span?: { operationName: string; tags: Record<string, unknown> };
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: PROJECT, env: ENV, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} in ${PROJECT} failed:\n${result.error ?? ''}${result.stdout}${result.stderr}`);
  return result.stdout;
}

describe('Nest 11 on Express 5 (REST and Apollo GraphQL), TracingModule.forRoot()', () => {
  let answers: Record<string, Answer>;

  before(() => {
    // .ci/run installs the project after the root's `npm ci`; a developer who skipped that gets it installed here.
    if (!fs.existsSync(path.join(PROJECT, 'node_modules', '@nestjs', 'core')))
      run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']);
    const installed = path.join(PROJECT, 'node_modules', 'jaeger-decorators');
    fs.rmSync(installed, { recursive: true, force: true });
    fs.mkdirSync(installed);
    fs.cpSync(path.join(ROOT, 'dist'), path.join(installed, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(installed, 'package.json'));
    run(process.execPath, [path.join(PROJECT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    answers = JSON.parse(run(process.execPath, ['out/main.js'])) as Record<string, Answer>;
  });

  function spanOf(name: string, status: number): { operationName: string; tags: Record<string, unknown> } {
    const answer = answers[name];
    assert.equal(answer.status, status, name);
    assert.ok(answer.span, `${name}: a server span`);
    return answer.span;
  }

  it('a routed request is named after its handler, with the route Nest registered', () => {
    const span = spanOf('routed', 200);
    assert.equal(span.operationName, 'UsersController.one');
    assert.equal(span.tags['http.route'], '/users/:id');
    assert.equal(spanOf('created', 201).operationName, 'UsersController.create');
  });

  it('a body that does not parse, and a refusal by middleware, both before routing: named by the route they were headed for', () => {
    const malformed = spanOf('malformedBody', 400);
    assert.equal(malformed.operationName, 'POST /users');
    assert.equal(malformed.tags['http.route'], '/users');
    // The first route that matches, as Express routes it: /users/bulk, declared before /users/:id.
    const malformedBulk = spanOf('malformedBulk', 400);
    assert.equal(malformedBulk.operationName, 'POST /users/bulk');
    assert.equal(malformedBulk.tags['http.route'], '/users/bulk');
    const refused = spanOf('refusedByMiddleware', 403);
    assert.equal(refused.operationName, 'GET /users/:id');
    assert.equal(refused.tags['http.route'], '/users/:id');
  });

  it('an Apollo operation on Express is named after its resolver, with http.route the path Apollo is mounted at', () => {
    const span = spanOf('graphql', 200);
    assert.equal(span.operationName, 'UsersResolver.user');
    assert.equal(span.tags['http.route'], '/graphql');
    assert.equal(span.tags.error, undefined);
  });
});
