// Lint: typescript-eslint's type-aware rules (no floating promises above all) and no import cycles.
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', '.cache/**', 'bench/tmp/**', 'test/fixtures/**', 'test/nestjs/nest11-project/out/**', 'test/jaeger/**', 'test/servers/**', 'test/run-tests.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    // TypeScript sources import each other without an extension: resolved as such, so the import rules see them.
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mts', '.js', '.mjs', '.d.ts'] })] },
    rules: {
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      'import-x/no-cycle': 'error',
      // Imports run downhill: the core and the shared state import no integration and nothing of the tracer's
      // set-up; propagation and reporting import neither the tracer (which composes them) nor an integration.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: ['./src/internal', './src/core', './src/context'], from: ['./src/tracer', './src/propagation', './src/reporting', './src/http-server', './src/http-client', './src/express', './src/koa', './src/routing-controllers', './src/nestjs', './src/fastify', './src/log4js', './src/opentelemetry', './src/patches', './src/testing', './src/decorators'] },
            { target: ['./src/propagation', './src/reporting'], from: ['./src/tracer', './src/http-server', './src/http-client', './src/express', './src/koa', './src/routing-controllers', './src/nestjs', './src/fastify', './src/log4js', './src/opentelemetry', './src/patches', './src/testing', './src/decorators'] },
          ],
        },
      ],
      // Decorator signatures and framework-shaped parameters are loosely typed on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
