import path from 'node:path';
import { fromNearestManifest } from './app-packages';

/** The `type` of the package.json nearest to `file`. */
function packageTypeOf(file: string): string | undefined {
  const type = fromNearestManifest(path.dirname(file), (json) => ({ type: json.type }))?.type;
  return typeof type === 'string' ? type : undefined;
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
