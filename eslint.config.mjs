// ESLint (flat config) with typescript-eslint. Besides style, it enforces the one rule of the
// house from DESIGN.md: dependencies point down. test/unit/layering.test.ts proves the rule bites.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node I/O modules a pure layer may not touch (with and without the node: prefix). */
const nodeIo = ['fs', 'fs/promises', 'net', 'child_process', 'http', 'https', 'http2', 'dgram', 'tls', 'worker_threads']
  .flatMap((m) => [m, `node:${m}`]);

const pureLayer = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        { name: 'vscode', message: 'src/sim and src/token are pure (DESIGN.md): no vscode.' },
        ...nodeIo.map((name) => ({ name, message: 'src/sim and src/token are pure (DESIGN.md): no Node I/O; inject it.' })),
        { name: '@kubernetes/client-node', message: 'Cluster access lives in src/cluster (DESIGN.md).' },
      ],
      patterns: [
        { group: ['**/cluster', '**/cluster/**'], message: 'src/sim and src/token may not import src/cluster (DESIGN.md).' },
        { group: ['**/vscode/**', '../vscode', '../../vscode'], message: 'src/sim and src/token may not import src/vscode (DESIGN.md).' },
      ],
    },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Pure code reads time from the injected virtual clock.' },
    { object: 'Math', property: 'random', message: 'Every random draw goes through the seeded source (sim/random.ts).' },
    { object: 'performance', property: 'now', message: 'Pure code reads time from the injected virtual clock.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the wall clock: pass a time in.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.code-server/**', 'test-results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.mjs', 'esbuild.config.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', Buffer: 'readonly' } },
  },
  { files: ['src/sim/**/*.ts', 'src/token/**/*.ts'], rules: pureLayer },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'webview/ runs in the browser: talk to the host through src/protocol.ts.' }],
          patterns: [
            { group: ['**/src/vscode/**', '**/src/cluster/**', '**/src/cli/**'], message: 'webview/ imports only src/protocol.ts and pure helpers (DESIGN.md).' },
            { group: ['node:*'], message: 'webview/ runs in the browser.' },
          ],
        },
      ],
    },
  },
);
