import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronImport = {
  name: 'electron',
  message:
    'This layer runs under plain Node: only src-main/shell, src-main/index.ts and src-preload may import electron.',
};
const builtins = {
  regex: '^(fs|path|os|url|crypto|http|child_process|util|net|stream|events)$',
  message: 'Use the node: prefix for built-ins.',
};
const noShell = { group: ['**/shell/**', '**/shell'], message: 'core and server never import the Electron shell.' };
const facadeOnly = [
  {
    group: ['**/core/app'],
    importNames: ['createCoreWithParts', 'CoreParts'],
    message: "Use the Core facade; the parts behind it are for the core's own tests.",
  },
  {
    group: ['**/core/*/**'],
    message: 'The shell and the server reach the core only through core/app (the facade).',
  },
];
/** One no-restricted-imports rule; the node: prefix rule is always part of it (a later block replaces the whole rule). */
const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { paths, patterns: [builtins, ...patterns] }],
});
const tests = ['**/*.test.ts', '**/test-support.ts'];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'extension/dist/**',
      'node_modules/**',
      'test-results/**',
      '.native/**',
      'release/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      ...restrict([]),
    },
  },
  {
    // Type-aware checks where a mistake is silent at run time: a promise nobody awaits or
    // catches, a promise where a boolean or a void callback is expected.
    files: ['**/*.ts', '**/*.tsx'],
    // Build configs outside every tsconfig are linted without types.
    ignores: ['extension/vite.config.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    files: ['src-main/core/**'],
    rules: restrict(
      [{ group: ['**/shell/**', '**/server/**'], message: 'core imports nothing above it.' }],
      [electronImport],
    ),
  },
  { files: ['src-main/server/**'], rules: restrict([noShell, ...facadeOnly], [electronImport]) },
  {
    files: ['src-main/shell/**', 'src-main/index.ts', 'src-main/entry.ts', 'src-main/cli.ts'],
    rules: restrict(facadeOnly),
  },
  { files: ['src-main/headless.ts'], rules: restrict([noShell, ...facadeOnly], [electronImport]) },
  // Tests set up the parts behind the facade directly.
  { files: tests.map((t) => `src-main/server/${t}`), rules: restrict([noShell], [electronImport]) },
  { files: tests.map((t) => `src-main/shell/${t}`).concat(['src-main/*.test.ts']), rules: restrict([]) },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        [
          { group: ['**/src-main/**'], message: 'The renderer talks to main only through the contract.' },
          { group: ['**/src-preload/**'], message: 'The renderer shares only src-common with main.' },
        ],
        [electronImport],
      ),
    },
  },
  {
    // The browser extension: browser globals (chrome comes from @types/chrome); of the
    // project it shares only the contract's types.
    files: ['extension/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [
            {
              group: ['**/src-main/**', '**/src-preload/**', '**/src-renderer/**'],
              message: 'The extension talks to Haul over its HTTP API; it shares only src-common.',
            },
            { regex: '^node:', message: 'The extension runs in the browser.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'e2e/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
