import fs from 'node:fs';
import path from 'node:path';

/**
 * The version of an installed package, for the write-ups. Read from the package.json found above the file that
 * `require` resolves the package to, since packages that declare "exports" without "./package.json" (the
 * OpenTelemetry JS 3 packages) refuse `require('name/package.json')`.
 */
export function packageVersion(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name && manifest.version !== undefined) return manifest.version;
    } catch {
      // no package.json here: keep climbing
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json of ${name} above ${require.resolve(name)}`);
    dir = parent;
  }
}
