/**
 * Checks that the peer packages an entry point imports are installed, before it imports them: without this, a
 * missing one fails deep inside the entry point's own modules, with Node's bare "Cannot find module" and a stack
 * of files of ours. Imported first by such an entry point (`import './peers'`), so it runs before its imports.
 */
export function requirePeers(entryPoint: string, packages: readonly string[]): void {
  const missing = packages.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch (error) {
      // Resolvable in another way only (an ES module without a `require` export): left to the import itself.
      return (error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND';
    }
  });
  if (missing.length > 0) {
    throw new Error(
      `${entryPoint} needs ${missing.join(' and ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed: npm install ${packages.join(' ')}`,
    );
  }
}
