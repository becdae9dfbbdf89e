// Lint: typescript-eslint's type-checked rules on the service (floating promises, unsafe `any`
// and type assertions are errors), the syntactic ones on tests, benchmarks and the web app, plus
// the rules of hooks on the web app's React code.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['src/generated/**', 'dist/**', 'web/dist/**', 'web/src/api/schema.ts', 'node_modules/**', 'coverage/**', 'test-results/**', 'bench/.build/**'] },
  js.configs.recommended,
  {
    files: ['src/**/*.ts', 'workers/**/*.ts', 'prisma/**/*.ts', 'openapi/**/*.ts'],
    ignores: ['**/*.test.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unsafe-type-assertion': 'error',
      // Fastify plugins, hooks and route handlers are async by contract, awaiting or not.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'src/**/*.test.ts', 'web/*.ts'],
    extends: [...tseslint.configs.recommended],
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    extends: [...tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', HTMLElement: 'readonly', HTMLDivElement: 'readonly', KeyboardEvent: 'readonly', EventTarget: 'readonly' },
    },
  },
);
