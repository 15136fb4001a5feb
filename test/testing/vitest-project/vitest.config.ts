import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Only because this project links the library from the repository (file:../../..): kept at its
  // node_modules path, it is loaded by Node as an installed package is. A project that installs
  // jaeger-decorators from npm needs no config at all.
  resolve: { preserveSymlinks: true },
});
