import fs from 'node:fs';
import path from 'node:path';

/** The `type` of the package.json nearest to `file`, climbing its folders. */
function packageTypeOf(file: string): string | undefined {
  let dir = path.dirname(file);
  for (;;) {
    try {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { type?: unknown };
      return typeof json.type === 'string' ? json.type : undefined;
    } catch {
      // no package.json here, or not JSON: keep climbing
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Whether the app's entry point (`node app.mjs`) is an ES module, as Node decides it: by its extension, or a
 * `.js` file by its package's `type`. Its imports do not go through `require()`, so an instrumentation sees
 * them only through OpenTelemetry's loader hook. (Not `require.main`: it is unset while `--import` preloads
 * run, whatever the entry point is.)
 */
export function entryPointIsEsm(entry: string | undefined = process.argv[1]): boolean {
  if (entry === undefined || entry === '') return false;
  const extension = path.extname(entry);
  if (extension === '.mjs' || extension === '.mts') return true;
  if (extension === '.cjs' || extension === '.cts') return false;
  if (extension !== '.js' && extension !== '.ts' && extension !== '') return false;
  return packageTypeOf(path.resolve(entry)) === 'module';
}
