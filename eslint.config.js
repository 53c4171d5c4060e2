import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'web/dist', 'data', 'coverage', '*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      'no-throw-literal': 'error',
      'no-sequences': 'error',
      'no-restricted-syntax': [
        'error',
        // Config is read in one place (src/config.ts).
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read settings through src/config.ts' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The places allowed to read the environment: config, the CLI entry, tests and tools.
    files: ['src/config.ts', 'src/cli.ts', 'test/**', 'bench/**', 'scripts/**', 'vitest.config.ts', '**/*.test.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
