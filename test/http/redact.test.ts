import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import type * as Redact from '../../dist/cjs/http-server/redact';

// An internal module, tested directly: the URL forms it must handle are more than the test servers produce.
const { redactBody, redactUrl } = require(path.resolve(__dirname, '..', '..', '..', 'dist', 'cjs', 'http-server', 'redact.js')) as typeof Redact;

const SECRET = new Set(['password', 'token']);

it('redactUrl leaves a URL without secrets as it is', () => {
  assert.equal(redactUrl('/users/1', SECRET), '/users/1');
  assert.equal(redactUrl('/users?page=2&sort=name', SECRET), '/users?page=2&sort=name');
});

it('redactUrl redacts secret parameters, however their names are written', () => {
  assert.equal(redactUrl('/login?user=ada&password=hunter2', SECRET), '/login?user=ada&password=[REDACTED]');
  assert.equal(redactUrl('/login?Pass%77ord=hunter2', SECRET), '/login?Pass%77ord=[REDACTED]');
  assert.equal(redactUrl('/x?token=a&token=b', SECRET), '/x?token=[REDACTED]&token=[REDACTED]');
  assert.equal(redactUrl('/x?user%5Bpassword%5D=a', SECRET), '/x?user%5Bpassword%5D=[REDACTED]');
});

it('redactUrl keeps every other character as the client sent it: no dot segment resolved, nothing re-encoded', () => {
  // What a request for another path looked like once WHATWG's URL parser had resolved it.
  assert.equal(redactUrl('/files/bob@example.com/%2e%2e/%2e%2e/etc/passwd', SECRET), '/files/bob@example.com/%2e%2e/%2e%2e/etc/passwd');
  assert.equal(redactUrl('/users/a@b\\..\\..\\admin', SECRET), '/users/a@b\\..\\..\\admin');
  assert.equal(redactUrl('/static/../users/1?token=abc', SECRET), '/static/../users/1?token=[REDACTED]');
  assert.equal(redactUrl('/users/{a}@b?q=a%20b&flag&bad=%ZZ&token=t', SECRET), '/users/{a}@b?q=a%20b&flag&bad=%ZZ&token=[REDACTED]');
  assert.equal(redactUrl('//evil@host/users/9', SECRET), '//[REDACTED]@host/users/9');
});

it("redactUrl still takes out credentials that only WHATWG's parser sees, and secret parameters of a fragment", () => {
  // A backslash for a slash, a tab in the scheme: the parser reads credentials there; the text does not show them
  // plainly, so the parser's redacted form is recorded.
  for (const url of ['/\\u:S3CRETPW@host/p', 'http:\\\\u:S3CRETPW@host/p', 'ht\ttp://u:S3CRETPW@host/p', ' http://u:S3CRETPW@host/p']) {
    const recorded = redactUrl(url, SECRET);
    assert.ok(!recorded.includes('S3CRETPW'), `${JSON.stringify(url)} → ${recorded}`);
  }
  // An authority that does not parse: its path only.
  assert.ok(!redactUrl('http://u:pa?S3CRETPW@host/', SECRET).includes('S3CRETPW'));
  assert.equal(redactUrl('/a@b#access_token=t0k&state=1', SECRET), '/a@b#access_token=[REDACTED]&state=1');
});

it('redactUrl redacts credentials in an absolute URL', () => {
  assert.equal(redactUrl('https://ada:hunter2@api.example.com/v1?token=t', SECRET), 'https://[REDACTED]:[REDACTED]@api.example.com/v1?token=[REDACTED]');
  assert.equal(redactUrl('http://ada:p@ss@api.example.com/a/../b', SECRET), 'http://[REDACTED]:[REDACTED]@api.example.com/a/../b');
  assert.equal(redactUrl('http://:hunter2@api.example.com/', SECRET), 'http://:[REDACTED]@api.example.com/');
});

it('redactBody redacts secret keys at any depth and in form-encoded strings', () => {
  assert.deepEqual(redactBody({ user: { name: 'ada', password: 'hunter2' }, items: [{ token: 't' }] }, SECRET, 100), {
    user: { name: 'ada', password: '[REDACTED]' },
    items: [{ token: '[REDACTED]' }],
  });
  assert.equal(redactBody('user=ada&password=hunter2', SECRET, 100), 'user=ada&password=[REDACTED]');
  assert.equal(redactBody('just text with password in it', SECRET, 10), 'just text … [19 more characters]');
});

it('isSecretName: a secret name in any convention, at the end of a longer name, or inside brackets; not a name that only begins like one', () => {
  const { isSecretName } = require(
    path.resolve(__dirname, '..', '..', '..', 'dist', 'cjs', 'core', 'redaction-rules.js'),
  ) as typeof import('../../dist/cjs/core/redaction-rules');
  const secret = new Set(['password', 'token', 'api_key', 'auth']);
  for (const name of [
    'password',
    'PASSWORD',
    'newPassword',
    'current_password',
    'user.password',
    'accessToken',
    'X-Auth-Token',
    'x-api-key',
    'apiKey',
    'user[password]',
    'token[]',
    'oauth',
  ])
    assert.equal(isSecretName(name, secret), true, name);
  for (const name of ['author', 'tokenizer', 'passwordHint', 'user', 'page', 'authority']) assert.equal(isSecretName(name, secret), false, name);
  // A name added in capitals or another convention is matched as well.
  assert.equal(isSecretName('session_id', new Set(['SessionId'])), true);
});
