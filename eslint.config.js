import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronImport = {
  name: 'electron',
  message:
    'This layer runs under plain Node: only src-main/shell, src-main/index.ts and src-preload may import electron.',
};

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
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(fs|path|os|url|crypto|http|child_process|util|net|stream|events)$',
              message: 'Use the node: prefix for built-ins.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/core/**', 'src-main/server/**', 'src-main/headless.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [
            { group: ['**/shell/**', '**/shell'], message: 'core and server never import the Electron shell.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [{ group: ['**/shell/**', '**/server/**'], message: 'core imports nothing above it.' }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [
            { group: ['**/src-main/**'], message: 'The renderer talks to main only through the contract.' },
            { group: ['**/src-preload/**'], message: 'The renderer shares only src-common with main.' },
          ],
        },
      ],
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
