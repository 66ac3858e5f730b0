// One lint gate for the whole tree. core/ is kept pure here as well as by core/tsconfig.json.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test/fixtures/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'child_process',
                'os',
                'vscode',
                'vscode-languageserver*',
                'dockerode',
              ],
              message: 'core/ is pure: no Node I/O, no vscode, no LSP library.',
            },
            {
              group: ['../server/*', '../cli/*', '../client/*', '../sandbox/*', '../runtime/*'],
              message: 'core/ depends on nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
