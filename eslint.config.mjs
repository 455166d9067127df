// Lint, and the layer rule: imports point down only (renderer -> shared, electron -> shared).
// shared/ is also compiled without Node or DOM typings (shared/tsconfig.json); this file
// catches the module imports that typings alone would not.
import tseslint from 'typescript-eslint';

// Bare built-in names are matched exactly (as `paths`): as gitignore-style patterns, `crypto`
// would also match our own `../crypto/` folder.
const nodeBuiltinNames = ['fs', 'fs/promises', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'https', 'net', 'url', 'zlib', 'stream', 'util', 'events', 'buffer', 'module'];

const forbidden = (groups, message, { builtins = true } = {}) => [
  'error',
  {
    paths: builtins ? nodeBuiltinNames.map((name) => ({ name, message })) : [],
    patterns: [{ group: builtins ? ['node:*', ...groups] : groups, message }],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'release/**', 'node_modules/**', 'test-results/**', 'e2e/artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='JSON'][property.name='parse']", message: 'Untrusted JSON goes through shared/json/strict-json (FORMATS §1); JSON.parse accepts duplicate keys and unsafe integers.' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': forbidden(
        ['electron', 'electron/*', 'better-sqlite3', 'react', 'react-dom', 'react-dom/*', '@xyflow/*', '@tanstack/*', 'yauzl', 'tar-stream', '**/electron/**', '**/renderer/**'],
        'shared/ is pure domain code: no Node, DOM or Electron imports, and nothing from electron/ or renderer/.',
      ),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': forbidden(
        ['electron', 'electron/*', 'better-sqlite3', '**/electron/**'],
        'renderer/ talks to the Node side only through the Bridge (shared/api/contract); it never imports electron/ or Node modules.',
      ),
    },
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: {
      'no-restricted-imports': forbidden(['electron', 'electron/*', '**/renderer/**'], 'services run in plain Node (CLI, web host, tests): they never import electron.', { builtins: false }),
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/services/**'],
    rules: {
      'no-restricted-imports': forbidden(['**/renderer/**'], 'electron/ never imports renderer/.', { builtins: false }),
    },
  },
);
