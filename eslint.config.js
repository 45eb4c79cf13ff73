// Lint: the layers (which folder may import which) and promises that nobody awaits or catches.
// Formatting is Prettier's job, not ESLint's.
import tseslint from 'typescript-eslint';

/** A folder's forbidden imports, as glob patterns of the specifiers a file there may not use. */
const layer = (files, forbidden, why) => ({
  files,
  // Tests may reach anything (they wire whole stacks together).
  ignores: ['**/*.test.ts', '**/*.test.tsx'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message: why }] }],
  },
});

const UPPER = ['**/server/**', '**/cli/**', '**/shell/**', '**/app/**', '**/renderer/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
    },
  },
  layer(
    ['shared/**/*.ts'],
    ['**/electron/**', '**/renderer/**', 'node:*'],
    'shared/ is used by both sides: it imports nothing of electron/ or renderer/, and nothing of Node',
  ),
  layer(
    ['renderer/src/**/*.{ts,tsx}'],
    ['**/electron/**'],
    'the dashboard talks to the main process only through the contract in shared/',
  ),
  layer(
    ['electron/net/**/*.ts'],
    [...UPPER, '**/sources/**', '**/store/**', '**/engine/**'],
    'net/ is the bottom layer: it imports only shared/ and errors.ts',
  ),
  layer(['electron/sources/**/*.ts'], [...UPPER, '**/store/**', '**/engine/**'], 'sources/ sit on net/ only'),
  layer(
    ['electron/store/**/*.ts'],
    [...UPPER, '**/engine/**', '**/quality/**', '**/alerts/**', '**/health/**'],
    'the store sits below the engine and the features that read it',
  ),
  layer(
    ['electron/engine/**/*.ts'],
    [...UPPER, '**/quality/**', '**/alerts/**', '**/health/**', '**/export/**', '**/import/**'],
    'the engine imports only downward: store, sources, net, shared',
  ),
  layer(
    ['electron/fleet/**/*.ts'],
    [...UPPER, '**/quality/**', '**/alerts/**', '**/health/**', '**/export/**', '**/import/**'],
    'the fleet sits beside the engine (its ownership port): it never imports the fronts',
  ),
  layer(
    ['electron/{quality,export,import,health,alerts,audit,secrets,logging}/**/*.ts'],
    UPPER,
    'the core never imports the fronts (server, cli, shell) or the application layer above it',
  ),
);
