import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const OUT = path.join(ROOT, 'build', 'readme-snippets');

it('every TypeScript snippet in the README compiles against the built package', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  assert.ok(snippets.length >= 7, `found ${snippets.length} snippets`);
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  // .mts: each snippet is an ES module, as a user's file would be, so top-level await is allowed.
  const files = snippets.map((code, i) => {
    const file = path.join(OUT, `snippet-${i + 1}.mts`);
    fs.writeFileSync(file, code);
    return file;
  });
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--target',
        'ES2022',
        '--module',
        'Node16',
        '--moduleResolution',
        'Node16',
        '--experimentalDecorators',
        '--emitDecoratorMetadata',
        '--esModuleInterop',
        '--types',
        'node',
        ...files,
      ],
      { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' },
    );
  } catch (error) {
    assert.fail(`README snippets do not compile:\n${(error as { stdout?: string }).stdout ?? error}`);
  }
});
